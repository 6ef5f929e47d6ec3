"""Per-minute rate limits on Redis, for replicas that do not share one database.

With READER_REDIS_URL set, every replica and worker counts against the same moving one-minute
windows in Redis, through the ``limits`` library (its moving-window strategy runs as one Lua
script, so two replicas never both take the last call). Unset, the metadata database counts
them (reader_service.db.records.SharedRateLimiter); both have the same two methods.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from reader_service.errors import RateLimitedError, StorageError


class RateLimit(Protocol):
    def take(self, client: str) -> None: ...

    def check(self, client: str) -> None: ...


class RedisRateLimiter:
    def __init__(
        self, redis_url: str, per_minute: int, prefix: str, message: str | None = None
    ) -> None:
        try:
            storage = storage_from_string(redis_url, socket_timeout=2, socket_connect_timeout=2)
        except Exception as exc:  # a bad URL or a missing client library, said for an operator
            raise StorageError(f"Không dùng được Redis ({redis_url}): {exc}") from exc
        self.limiter = MovingWindowRateLimiter(storage)
        self.item = RateLimitItemPerMinute(per_minute)
        self.prefix = prefix
        self.message = message or "Quá nhiều yêu cầu; xin thử lại sau ít phút."

    def take(self, client: str) -> None:
        if not self._call(self.limiter.hit, client):
            raise RateLimitedError(self.message)

    def check(self, client: str) -> None:
        if not self._call(self.limiter.test, client):
            raise RateLimitedError(self.message)

    def _call(self, method: Callable[..., bool], client: str) -> bool:
        try:
            return bool(method(self.item, "reader", self.prefix, client))
        except RateLimitedError:
            raise
        except Exception as exc:
            raise StorageError(f"Redis không trả lời khi đếm giới hạn: {exc}") from exc
