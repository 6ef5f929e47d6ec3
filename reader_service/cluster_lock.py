"""Work done once across replicas: a Redis lock per piece of work, with a fencing token.

Before making a clip, a replica takes ``reader:lock:<name>`` with ``SET NX PX`` (the value is a
token from ``INCR``, unique cluster-wide); the others wait, looking every 25 ms whether the work
is done (the clip is in the store). The holder releases with a compare-and-delete, so a holder
whose lock expired (it was paused too long) never deletes the next holder's lock; a holder that
died is taken over when its lock expires. Without Redis (one machine) the in-process
single-flight is enough and this is not used; when Redis does not answer, work goes on without
the lock (a clip made twice is a cost, a listener without audio is a failure).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

import redis

log = logging.getLogger(__name__)
T = TypeVar("T")

_RELEASE = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
)


class ClusterLocks:
    def __init__(self, redis_url: str, ttl_s: float = 30.0, poll_s: float = 0.025) -> None:
        self.client = redis.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
        self.ttl_ms = int(ttl_s * 1000)
        self.poll_s = poll_s
        self.taken_over = 0

    def run_once(self, name: str, work: Callable[[], T], done: Callable[[], T | None]) -> T:
        """``work()`` under the cluster-wide lock ``name``, unless ``done()`` shows another
        replica did it meanwhile (then its result)."""
        key = f"reader:lock:{name}"
        try:
            token = str(self.client.incr("reader:fence"))
            while not self.client.set(key, token, nx=True, px=self.ttl_ms):
                if (result := done()) is not None:
                    return result
                time.sleep(self.poll_s)
        except redis.RedisError as exc:
            log.warning("khoá cụm %s không dùng được (%s); làm tiếp không có khoá", name, exc)
            return done() or work()
        try:
            if (result := done()) is not None:
                return result
            return work()
        finally:
            try:
                self.client.eval(_RELEASE, 1, key, token)
            except redis.RedisError as exc:  # it expires by itself
                log.warning("khoá cụm %s chưa được nhả (%s)", name, exc)
