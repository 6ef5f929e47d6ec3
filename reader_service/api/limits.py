"""Rate and concurrency limits, and who the client is."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.requests import Request

from reader_service.api.clients import ConcurrencyLimit, WorkSlots, bucket_of, client_address
from reader_service.db import Database
from reader_service.db.records import ServiceSecrets, SharedRateLimiter
from reader_service.errors import StorageError
from reader_service.netpolicy import parse_networks
from reader_service.ratelimit import RateLimit, RedisRateLimiter
from reader_service.settings import Settings


class Limits:
    def __init__(self, settings: Settings, database: Database) -> None:
        self.trusted_proxies = parse_networks(settings.trusted_proxies)
        # Shared by every worker, so they agree on each client's bucket: kept where the limits
        # are counted (Redis, when replicas have one; else the database). Read on first use: a
        # replica starts (and says what it cannot reach) while Redis is down.
        self._settings, self._database = settings, database
        self._bucket_key: bytes | None = None

        # Per-minute limits are shared by every worker: counted in Redis when replicas have
        # one (READER_REDIS_URL), else in the metadata database.
        def limit(per_minute: int, prefix: str, message: str | None = None) -> RateLimit:
            if settings.redis_url:
                return RedisRateLimiter(settings.redis_url, per_minute, prefix, message)
            return SharedRateLimiter(database, per_minute, prefix, message)

        self.anonymous = limit(settings.anonymous_per_minute, "anon")
        self.keyed = limit(settings.key_per_minute, "key")
        self.key_failures = limit(
            settings.key_failures_per_minute,
            "fail",
            "Đã thử sai khoá API quá nhiều lần từ địa chỉ này; xin đợi một phút.",
        )
        self.anonymous_work = ConcurrencyLimit(settings.anonymous_concurrency)
        self.page_slots = WorkSlots(settings.page_work_slots, 50 * settings.page_work_slots)

    def client(self, request: Request) -> str:
        """The rate-limit bucket of the request's client (trusted proxies only; IPv6 by /64),
        as a keyed hash: limits count a client without its address ever being stored (the
        database or Redis hold the hash, for a minute)."""
        address = bucket_of(client_address(request, self.trusted_proxies))
        if self._bucket_key is None:
            secret = _shared_secret(self._settings, self._database, "client-buckets")
            self._bucket_key = secret.encode()
        digest = hmac.new(self._bucket_key, address.encode(), hashlib.sha256).hexdigest()
        return f"c-{digest[:32]}"


def _shared_secret(settings: Settings, database: Database, name: str) -> str:
    """A random secret every replica and worker reads the same: from Redis (first writer
    wins) where limits are counted there, else from the metadata database."""
    if not settings.redis_url:
        return ServiceSecrets(database).get(name)
    import redis

    key = f"reader:secret:{name}"
    try:
        client = redis.Redis.from_url(settings.redis_url, socket_timeout=2)
        client.set(key, secrets.token_hex(32), nx=True)
        value = client.get(key)
    except Exception as exc:  # unreachable or refused: the request gets 503, said plainly
        raise StorageError(f"Redis không trả lời (khoá giới hạn lượt gọi): {exc}") from exc
    assert value is not None  # just set, never expires
    return value.decode() if isinstance(value, bytes) else str(value)
