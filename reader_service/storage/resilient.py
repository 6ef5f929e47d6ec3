"""The cache is only a cache: a disk that is full or read-only must not stop listening.

``CacheOnlyStore`` wraps the clip store for the HTTP service. A write that fails is logged
(once a minute at most), counted, and kept in a small in-memory overflow instead, so the audio
just made is still served and the records a manifest points at still answer; a read that fails
is a miss. When the disk takes writes again, new entries go there as before.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from typing import TYPE_CHECKING

from reader_service.errors import StorageError
from reader_service.storage.filesystem import FileStore, StoreStats

if TYPE_CHECKING:
    from reader_service.storage.s3 import S3Store

log = logging.getLogger(__name__)


class CacheOnlyStore:
    def __init__(self, inner: FileStore | S3Store, overflow_bytes: int = 64_000_000) -> None:
        self.inner = inner
        self.overflow_bytes = overflow_bytes
        self._overflow: OrderedDict[str, bytes] = OrderedDict()
        self._overflow_size = 0
        self._lock = threading.Lock()
        self.write_failures = 0
        self.read_failures = 0
        self._last_warning = 0.0

    @property
    def location(self) -> str:
        return self.inner.location

    def _from_overflow(self, key: str) -> bytes | None:
        # The overflow first: an entry there is newer than any copy the disk still holds
        # (a record rewritten while the disk refused writes).
        with self._lock:
            data = self._overflow.get(key)
            if data is not None:
                self._overflow.move_to_end(key)
            return data

    def get(self, key: str) -> bytes | None:
        if (data := self._from_overflow(key)) is not None:
            return data
        try:
            return self.inner.get(key)
        except StorageError as exc:
            self._read_failed(exc)
            return None

    async def get_async(self, key: str) -> bytes | None:
        if (data := self._from_overflow(key)) is not None:
            return data
        try:
            return await self.inner.get_async(key)
        except StorageError as exc:
            self._read_failed(exc)
            return None

    def _read_failed(self, exc: StorageError) -> None:
        """A read that fails is a miss (counted, and logged once a minute at most)."""
        self.read_failures += 1
        self._warn(f"cache read failed: {exc}")

    def has(self, key: str) -> bool:
        with self._lock:
            if key in self._overflow:
                return True
        try:
            return self.inner.has(key)
        except (StorageError, OSError):
            return False

    def put(self, key: str, data: bytes) -> None:
        try:
            self.inner.put(key, data)
        except StorageError as exc:
            self.write_failures += 1
            self._warn(f"cache not writable, kept in memory instead: {exc}")
            self._keep(key, data)
            return
        with self._lock:  # written to disk: the overflow copy (if any) is stale
            dropped = self._overflow.pop(key, None)
            if dropped is not None:
                self._overflow_size -= len(dropped)

    def ping(self) -> None:
        """Raises unless the store can be reached (it may still refuse writes: the service
        works on without them)."""
        self.inner.ping()

    def touch(self, key: str) -> None:
        try:
            self.inner.touch(key)
        except StorageError:
            pass  # only a hint for pruning

    def stat(self, key: str) -> tuple[int, float] | None:
        try:
            return self.inner.stat(key)
        except StorageError as exc:
            self._read_failed(exc)
            return None

    def delete(self, key: str) -> None:
        with self._lock:
            dropped = self._overflow.pop(key, None)
            if dropped is not None:
                self._overflow_size -= len(dropped)
        try:
            self.inner.delete(key)
        except StorageError as exc:
            self._warn(f"cache entry not removed: {exc}")

    def stats(self) -> StoreStats:
        return self._local().stats()

    def prune(self, max_bytes: int | None = None) -> tuple[int, int]:
        return self._local().prune(max_bytes)

    def _local(self) -> FileStore:
        if not isinstance(self.inner, FileStore):
            raise StorageError("Kho S3 được dọn bằng quy tắc vòng đời của bucket, không ở đây.")
        return self.inner

    @property
    def write_refusals(self) -> int:
        """Write-once PUTs the object store refused (0 for a folder, which never refuses)."""
        return int(getattr(self.inner, "write_refusals", 0))

    @property
    def overflow_entries(self) -> int:
        return len(self._overflow)

    def _keep(self, key: str, data: bytes) -> None:
        if len(data) > self.overflow_bytes:
            return
        with self._lock:
            previous = self._overflow.pop(key, None)
            if previous is not None:
                self._overflow_size -= len(previous)
            self._overflow[key] = data
            self._overflow_size += len(data)
            while self._overflow_size > self.overflow_bytes:
                _, dropped = self._overflow.popitem(last=False)
                self._overflow_size -= len(dropped)

    def _warn(self, message: str) -> None:
        now = time.monotonic()
        if now - self._last_warning > 60:
            self._last_warning = now
            log.warning(message)
