"""Rate and concurrency limits, and who the client is."""

from __future__ import annotations

import hashlib
import hmac

from starlette.requests import Request

from reader_service.api.clients import ConcurrencyLimit, WorkSlots, bucket_of, client_address
from reader_service.db import Database
from reader_service.db.records import ServiceSecrets, SharedRateLimiter
from reader_service.netpolicy import parse_networks
from reader_service.ratelimit import RateLimit, RedisRateLimiter
from reader_service.settings import Settings


class Limits:
    def __init__(self, settings: Settings, database: Database) -> None:
        self.trusted_proxies = parse_networks(settings.trusted_proxies)
        # Shared by every worker, so they agree on each client's bucket.
        self._bucket_key = ServiceSecrets(database).get("client-buckets").encode()

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
        digest = hmac.new(self._bucket_key, address.encode(), hashlib.sha256).hexdigest()
        return f"c-{digest[:32]}"
