"""Tenants (portals) and their API keys. Keys are stored hashed; a key is shown once.

The registry lives in the metadata database (reader_service.db); an earlier version's
``READER_DATA_DIR/tenants.json`` is imported on first start. The default tenant is the
operator's own configuration: READER_ALLOWED_HOSTS.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update

from reader_service.db import Database, insert_missing, now
from reader_service.db.schema import api_keys, tenant_hosts, tenants
from reader_service.errors import InvalidInputError, StorageError, UnauthorizedError

if TYPE_CHECKING:
    from reader_service.settings import Settings

log = logging.getLogger(__name__)

KEY_PREFIX = "rs_"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ApiKey:
    id: str
    hash: str
    created: str
    revoked: str | None = None


@dataclass(frozen=True)
class Feed:
    """A tenant's podcast feed: on or off, and what its channel shows (defaults: the tenant's
    name, its first host's home page, the packaged cover)."""

    enabled: bool = False
    title: str | None = None
    link: str | None = None
    image: str | None = None


@dataclass(frozen=True)
class Tenant:
    name: str
    hosts: frozenset[str]
    keys: tuple[ApiKey, ...] = field(default=())
    # Called (POST, JSON) when one of the tenant's batches or articles is done.
    webhook: str | None = None
    feed: Feed = field(default=Feed())


def _feed(row: Any) -> Feed:
    return Feed(bool(row.feed_enabled), row.feed_title, row.feed_link, row.feed_image)


def normalise_host(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    if not host or any(ch in host for ch in "/ @\\"):
        raise InvalidInputError(
            f"Tên máy '{host}' không hợp lệ (dạng example.gov.vn hoặc host:port)."
        )
    return host.removeprefix("www.")


def check_webhook(url: str) -> None:
    """A webhook must be a well-formed http(s) URL. Its addresses are checked each time an
    event is sent (names can change what they point at), by the same policy as pages."""
    from reader_service.fetch import split_url

    if not url.startswith(("http://", "https://")):
        raise InvalidInputError("Địa chỉ webhook cần bắt đầu bằng http:// hoặc https://.")
    split_url(url)


class TenantRegistry:
    """Tenants and their keys in the metadata database. Every change is one transaction of
    row inserts or updates: writers in several processes never lose each other's work."""

    def __init__(self, database: Database, legacy_file: Path | None = None) -> None:
        self.database = database
        if legacy_file is not None:
            self.import_legacy(legacy_file)

    @classmethod
    def from_settings(cls, settings: Settings) -> TenantRegistry:
        return cls(Database.from_settings(settings), settings.data_dir / "tenants.json")

    def import_legacy(self, path: Path) -> int:
        """Tenants of an earlier version's tenants.json, imported once (the file is renamed to
        tenants.json.imported afterwards). Returns how many were imported."""
        if not path.is_file():
            return 0
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise StorageError(f"Không đọc được danh sách đơn vị {path}: {exc}") from exc
        imported = 0
        with self.database.transaction() as connection:
            for name, entry in data.get("tenants", {}).items():
                exists = connection.execute(
                    select(tenants.c.name).where(tenants.c.name == name)
                ).first()
                if exists is not None:
                    continue
                connection.execute(
                    insert(tenants).values(name=name, webhook=entry.get("webhook"), created=now())
                )
                for host in entry.get("hosts", []):
                    connection.execute(insert(tenant_hosts).values(tenant=name, host=host))
                for key in entry.get("keys", []):
                    connection.execute(insert(api_keys).values(tenant=name, **key))
                imported += 1
        try:
            path.rename(path.with_name(path.name + ".imported"))
        except OSError as exc:  # imported anyway; a second import skips known tenants
            log.warning("không đổi tên được %s: %s", path, exc)
        log.info("đã nhập %d đơn vị từ %s", imported, path)
        return imported

    def tenants(self) -> list[Tenant]:
        with self.database.transaction(read_only=True) as connection:
            rows = connection.execute(select(tenants)).all()
            hosts = connection.execute(select(tenant_hosts)).all()
            keys = connection.execute(select(api_keys).order_by(api_keys.c.created)).all()
        return [
            Tenant(
                row.name,
                frozenset(h.host for h in hosts if h.tenant == row.name),
                tuple(
                    ApiKey(k.id, k.hash, k.created, k.revoked) for k in keys if k.tenant == row.name
                ),
                row.webhook,
                _feed(row),
            )
            for row in rows
        ]

    def tenant(self, name: str) -> Tenant | None:
        return next((t for t in self.tenants() if t.name == name), None)

    def create_key(
        self, tenant: str, hosts: list[str], webhook: str | None = None
    ) -> tuple[ApiKey, str]:
        """A new key for ``tenant`` (created if new; its hosts extended). Returns the key once."""
        if not tenant.strip():
            raise InvalidInputError("Cần tên đơn vị (--tenant).")
        if webhook:
            check_webhook(webhook)
        normalised = {normalise_host(h) for h in hosts}
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        key = ApiKey(
            id=secrets.token_hex(4),
            hash=_hash(secret),
            created=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        with self.database.transaction() as connection:
            insert_missing(connection, tenants, {"name": tenant, "webhook": None, "created": now()})
            if webhook:
                connection.execute(
                    update(tenants).where(tenants.c.name == tenant).values(webhook=webhook)
                )
            for host in normalised:
                insert_missing(connection, tenant_hosts, {"tenant": tenant, "host": host})
            connection.execute(insert(api_keys).values(tenant=tenant, **key.__dict__))
        return key, secret

    def set_feed(self, name: str, feed: Feed) -> Tenant:
        """Turn a tenant's podcast feed on or off, with its channel's title, link and image."""
        for url in (feed.link, feed.image):
            if url and not url.startswith(("http://", "https://")):
                raise InvalidInputError(f"Địa chỉ '{url}' cần bắt đầu bằng http:// hoặc https://.")
        with self.database.transaction() as connection:
            changed = connection.execute(
                update(tenants)
                .where(tenants.c.name == name)
                .values(
                    feed_enabled=feed.enabled,
                    feed_title=feed.title,
                    feed_link=feed.link,
                    feed_image=feed.image,
                )
            ).rowcount
        if not changed:
            raise InvalidInputError(f"Không có đơn vị '{name}'.")
        tenant = self.tenant(name)
        assert tenant is not None
        return tenant

    def revoke(self, key_id: str) -> Tenant:
        with self.database.transaction() as connection:
            owner = connection.execute(
                select(api_keys.c.tenant).where(api_keys.c.id == key_id)
            ).scalar_one_or_none()
            if owner is None:
                raise InvalidInputError(f"Không có khoá '{key_id}'.")
            connection.execute(
                update(api_keys)
                .where(api_keys.c.id == key_id, api_keys.c.revoked.is_(None))
                .values(revoked=now())
            )
        tenant = self.tenant(owner)
        assert tenant is not None
        return tenant

    def authenticate(self, secret: str | None) -> Tenant:
        """The tenant of a valid, unrevoked key; 401 otherwise (missing, wrong or revoked)."""
        return self.authenticate_key(secret)[0]

    def authenticate_key(self, secret: str | None) -> tuple[Tenant, ApiKey]:
        """The tenant and the key itself (limits are counted per key). Read from the database
        on every call, so a key revoked by any process is refused by every worker at once."""
        if not secret:
            raise UnauthorizedError("Cần khoá API (tiêu đề Authorization: Bearer <khoá>).")
        digest = _hash(secret)
        with self.database.transaction(read_only=True) as connection:
            row = connection.execute(select(api_keys).where(api_keys.c.hash == digest)).first()
            if row is None or not hmac.compare_digest(row.hash, digest):
                raise UnauthorizedError("Khoá API không đúng.")
            if row.revoked:
                raise UnauthorizedError("Khoá API đã bị thu hồi.")
            owner = connection.execute(select(tenants).where(tenants.c.name == row.tenant)).one()
            hosts = connection.execute(
                select(tenant_hosts.c.host).where(tenant_hosts.c.tenant == row.tenant)
            ).scalars()
            tenant = Tenant(owner.name, frozenset(hosts), (), owner.webhook, _feed(owner))
        return tenant, ApiKey(row.id, row.hash, row.created, row.revoked)
