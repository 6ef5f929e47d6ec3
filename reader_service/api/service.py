"""What the routes share, put together once per application: settings, the cache, the
metadata database, and one object per job (access policy, limits, article records, clip
production, synthesis scheduling, webhooks)."""

from __future__ import annotations

import threading
from importlib import resources
from typing import TYPE_CHECKING, Any

from reader_service import provenance, tags
from reader_service.api.access import AccessPolicy
from reader_service.api.clip_production import ClipProducer
from reader_service.api.hotpath import ClipMemory
from reader_service.api.limits import Limits
from reader_service.api.publishing import Publisher
from reader_service.batch import Publish
from reader_service.clips import voicings
from reader_service.cluster_lock import ClusterLocks
from reader_service.db import Database
from reader_service.db.records import ArticleRecords, BatchRecords, PageStates
from reader_service.fetch import FetchOptions
from reader_service.manifest import clip_url, rendered_cue
from reader_service.models import Article, Rendition
from reader_service.pipeline import ReadOptions, voicing
from reader_service.provenance import SigningKeys
from reader_service.scheduling import SynthesisScheduler
from reader_service.settings import Settings
from reader_service.stats import ListeningStats
from reader_service.storage import open_store
from reader_service.storage.resilient import CacheOnlyStore
from reader_service.tenants import Tenant, TenantRegistry
from reader_service.webhooks import WebhookSender

if TYPE_CHECKING:
    from reader_service.jobs import BatchQueue


class Service:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.options = ReadOptions.from_settings(settings)
        # A local folder, or the bucket replicas share (READER_STORE_URL).
        self.store = CacheOnlyStore(open_store(settings))
        # What the service hands out lives in the metadata database, not in the cache.
        self.database = Database.from_settings(settings)
        self.tenants = TenantRegistry(self.database, settings.data_dir / "tenants.json")
        self.records = ArticleRecords(self.database)
        self.batch_records = BatchRecords(self.database)
        self.page_states = PageStates(self.database)
        self.signing_keys = SigningKeys(self.database)
        self.listening = ListeningStats(self.database)
        self.access = AccessPolicy(settings, self.tenants, self.options.fetch)
        self.limits = Limits(settings, self.database)
        sample_html = (
            resources.files("reader_service")
            .joinpath("samples", "portal-article.html")
            .read_bytes()
        )
        self.sample_html = sample_html
        self.articles = Publisher(self.options, self.access, self.records, sample_html)
        locks = (
            ClusterLocks(settings.redis_url, ttl_s=settings.clip_lock_ttl_s)
            if settings.redis_url
            else None
        )
        self.clips = ClipProducer(self.options, self.store, self.articles, locks)
        self.memory = ClipMemory(settings.clip_memory_mb * 1_000_000)
        self.scheduler = SynthesisScheduler(settings.synthesis_workers)
        self.webhooks = WebhookSender(
            FetchOptions(
                timeout_s=settings.webhook_timeout_s,
                max_bytes=65_536,
                allow_loopback=settings.allow_loopback,
            )
        )
        # Starting batches one at a time, so identical requests in flight share one.
        self.batches_lock = threading.Lock()
        # With Redis, batches go on the queue `reader-service worker` processes take.
        self.queue: BatchQueue | None = None
        if settings.redis_url:
            from reader_service.jobs import BatchQueue

            self.queue = BatchQueue(settings, self)

    def signed(self, rendition: Rendition, mp3: bytes, voice: str) -> dict[str, Any]:
        """What a record says of a whole MP3 handed out: its size, the text it reads and the
        signed statement that it is that text's reading (reader_service.provenance)."""
        article = rendition.article
        return {
            "audio_bytes": len(mp3),
            "paragraphs": list(article.paragraphs),
            "provenance": provenance.sign(
                self.signing_keys.current(), article, mp3, rendition.engines, voice
            ),
        }

    def publish_reading(
        self, owner: str, article: Article, options: ReadOptions, rendition: Rendition
    ) -> dict[str, Any]:
        """Keep the record of a whole reading made for ``owner`` (POST /v1/articles, batches):
        its manifest with timings, signed; it is then the tenant's article (GET
        /v1/articles/{id}, its audio, its podcast feed)."""
        article_id = self.articles.article_id(owner, article)
        chain = voicings(voicing(options), options.fallback_engines, options.engines)
        cues = [rendered_cue(c, clip_url(c.clip_key, article_id)) for c in rendition.cues]
        return self.articles.publish(
            article,
            options,
            cues,
            owner,
            chain,
            duration_ms=rendition.duration_ms,
            **self.signed(rendition, tags.download(rendition), options.voice),
        )

    def batch_publisher(self, owner: str) -> Publish:
        """For a tenant's batch: each article read becomes the tenant's article (its record,
        signed), so it has a manifest URL in the batch's results and is in its podcast feed."""

        def publish(
            article: Article, options: ReadOptions, rendition: Rendition | None
        ) -> str | None:
            if rendition is not None:
                record = self.publish_reading(owner, article, options, rendition)
                return f"/v1/articles/{record['id']}"
            article_id = self.articles.article_id(owner, article)
            return f"/v1/articles/{article_id}" if self.records.exists(article_id) else None

        return publish

    def notify(self, tenant: Tenant, event: str, payload: dict[str, Any]) -> None:
        """The tenant's webhook, if any: queued, sent off the request path, never fails the
        work it reports on."""
        if tenant.webhook:
            self.webhooks.send(tenant.name, tenant.webhook, event, payload)
