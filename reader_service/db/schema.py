"""The metadata tables (SQLAlchemy Core). Changes go through a migration in migrations/versions.

Times are ISO 8601 strings in UTC (the same text on SQLite and PostgreSQL); documents that are only
ever read whole (an article's manifest, a batch result) are JSON text.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
)

metadata = MetaData()

tenants = Table(
    "tenants",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("webhook", Text, nullable=True),
    Column("created", String(32), nullable=False),
    # The tenant's podcast feed (GET /v1/feeds/{name}.xml): off until the tenant turns it on.
    Column("feed_enabled", Boolean, nullable=False, server_default=false()),
    Column("feed_title", Text, nullable=True),
    Column("feed_link", Text, nullable=True),
    Column("feed_image", Text, nullable=True),
)

# One row per host, so adding a host never rewrites (or loses) another writer's hosts.
tenant_hosts = Table(
    "tenant_hosts",
    metadata,
    Column(
        "tenant",
        String(200),
        ForeignKey("tenants.name", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("host", String(300), primary_key=True),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("tenant", String(200), ForeignKey("tenants.name"), nullable=False, index=True),
    Column("hash", String(64), nullable=False, unique=True),
    Column("created", String(32), nullable=False),
    Column("revoked", String(32), nullable=True),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("owner", String(200), nullable=False, index=True),
    Column("url", Text, nullable=True),
    # The manifest handed out, the article's text and the voicings of its clips: everything
    # needed to answer GET /v1/articles/{id} and to make any of its clips again.
    Column("record", Text, nullable=False),
    Column("updated", String(32), nullable=False),
)

batches = Table(
    "batches",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("owner", String(200), nullable=False, index=True),
    Column("request_key", String(64), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("total", Integer, nullable=False),
    Column("done", Integer, nullable=False),
    Column("counts", Text, nullable=False),
    Column("error", Text, nullable=True),
    Column("created", String(32), nullable=False),
    Column("updated", String(32), nullable=False),
)

batch_results = Table(
    "batch_results",
    metadata,
    Column(
        "batch_id",
        String(24),
        ForeignKey("batches.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("seq", Integer, primary_key=True),
    Column("result", Text, nullable=False),
    # The URL's position in its batch (queued batches): its result is recorded once.
    Column("item", Integer, nullable=True),
    Index("ux_batch_results_batch_item", "batch_id", "item", unique=True),
)

# Pre-generation: the last fetch's validators and the article's content hash, per page URL.
page_states = Table(
    "page_states",
    metadata,
    Column("url_hash", String(64), primary_key=True),
    Column("url", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("updated", String(32), nullable=False),
)

# Rate limits shared by every worker: one row per counted call within the last minute.
rate_hits = Table(
    "rate_hits",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("bucket", String(200), nullable=False),
    Column("at", Float, nullable=False),
    Index("ix_rate_hits_bucket_at", "bucket", "at"),
)

# The service's Ed25519 keys for signing what it read (reader_service.provenance). Retired keys
# stay, public halves still published, so every signature ever handed out can be checked.
signing_keys = Table(
    "signing_keys",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("private_key", Text, nullable=False),
    Column("public_key", String(64), nullable=False),
    Column("created", String(32), nullable=False),
    Column("retired", String(32), nullable=True),
)

# Listening statistics: counts per article, day and metric ("started", "25", "50", "75", "100",
# "speed:1.25", "voice:vi"), added up from each process's counters. Nothing about a listener:
# no address, no identifier, no time finer than the day (reader_service.stats).
listen_stats = Table(
    "listen_stats",
    metadata,
    Column("day", String(10), primary_key=True),
    Column("article_id", String(24), primary_key=True),
    Column("metric", String(40), primary_key=True),
    # The article page's host: statistics are a tenant's by its hosts, whoever made the record.
    Column("host", String(300), nullable=False, index=True),
    Column("count", Integer, nullable=False),
)

# Secrets the service makes for itself and every worker must share (the key that turns client
# addresses into rate-limit buckets, so no address is ever stored).
service_secrets = Table(
    "service_secrets",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
    Column("created", String(32), nullable=False),
)
