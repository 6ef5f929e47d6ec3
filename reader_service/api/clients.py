"""Who is asking, and how much they may ask: client addresses that cannot be spoofed, and
limits on expensive work at once (the per-minute rate limits are shared by every worker through
the database: reader_service.db.records.SharedRateLimiter).

The client is the socket's peer. ``X-Forwarded-For`` is believed only when that peer is one of
the operator's proxies (READER_TRUSTED_PROXIES; default none): then the client is the nearest
address in the header that is not itself a trusted proxy. IPv6 clients are counted per /64, the
block one subscriber usually holds, so rotating addresses inside it gains nothing.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from ipaddress import IPv6Network

import anyio
from starlette.requests import Request

from reader_service.errors import BusyError, RateLimitedError
from reader_service.netpolicy import Network


def _is_trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(request: Request, trusted: tuple[Network, ...]) -> str:
    """The address of the client that made ``request`` (see the module's docstring)."""
    peer = request.client.host if request.client else ""
    if not trusted or not _is_trusted(peer, trusted):
        return peer or "unknown"
    forwarded = ",".join(request.headers.getlist("x-forwarded-for"))
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            try:
                return str(ipaddress.ip_address(hop.split("%")[0]))
            except ValueError:
                return peer  # a proxy passed garbage on: count the proxy, not the garbage
    return peer


def bucket_of(address: str) -> str:
    """The rate-limit bucket of a client address: IPv4 as is, IPv6 by its /64."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(IPv6Network((int(ip) >> 64 << 64, 64)))
    return str(ip)


class ConcurrencyLimit:
    """At most ``per_client`` pieces of expensive work of one client at once."""

    def __init__(self, per_client: int) -> None:
        self.per_client = per_client
        self._running: dict[str, int] = {}
        self._lock = threading.Lock()

    @contextmanager
    def hold(self, client: str) -> Iterator[None]:
        with self._lock:
            running = self._running.get(client, 0)
            if running >= self.per_client:
                raise RateLimitedError(
                    "Đang xử lý các yêu cầu trước của bạn; xin đợi chúng xong rồi thử lại."
                )
            self._running[client] = running + 1
        try:
            yield
        finally:
            with self._lock:
                left = self._running[client] - 1
                if left:
                    self._running[client] = left
                else:
                    del self._running[client]


class WorkSlots:
    """At most ``slots`` pages in work at once across all clients (fetch and extraction).

    Waiting is asynchronous (no thread is held while a request waits), so health, metrics and
    cached clips are answered whatever the pages do; past ``max_waiting`` waiting requests, or
    after ``wait_s``, the answer is 503 rather than a longer queue.
    """

    def __init__(self, slots: int, max_waiting: int, wait_s: float = 15.0) -> None:
        self.slots = slots
        self.max_waiting = max_waiting
        self.wait_s = wait_s
        self._semaphore = threading.BoundedSemaphore(slots)
        self._lock = threading.Lock()
        self.waiting = 0
        self.refused = 0

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[None]:
        if not self._semaphore.acquire(blocking=False):
            with self._lock:
                if self.waiting >= self.max_waiting:
                    self.refused += 1
                    raise BusyError(_BUSY)
                self.waiting += 1
            try:
                deadline = time.monotonic() + self.wait_s
                delay = 0.005
                while not self._semaphore.acquire(blocking=False):
                    if time.monotonic() > deadline:
                        self.refused += 1
                        raise BusyError(_BUSY)
                    await anyio.sleep(delay)
                    delay = min(delay * 2, 0.1)
            finally:
                with self._lock:
                    self.waiting -= 1
        try:
            yield
        finally:
            self._semaphore.release()


_BUSY = "Dịch vụ đang bận đọc nhiều trang cùng lúc; xin thử lại sau ít giây."
