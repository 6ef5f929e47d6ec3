"""The default store: files under one directory, written atomically, pruned least-recently-used."""

from __future__ import annotations

import os
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from reader_service.errors import StorageError
from reader_service.storage.keys import check_key

_TEMPORARY_PREFIX = ".tmp-"
# A temporary file older than this was left by a killed process: never served, removed on prune.
_STALE_TEMPORARY_S = 3600


@dataclass(frozen=True, slots=True)
class StoreStats:
    entries: int
    bytes: int
    oldest_use: float | None
    newest_use: float | None
    max_bytes: int | None


class FileStore:
    """Entries live at ``root/<first two characters>/<key>``; half-written files never show.

    A read marks the entry as used (its modification time), so :meth:`prune` removes the least
    recently used entries first. With ``max_bytes``, the store prunes itself when a write takes
    it over the cap (to 90 % of it, so it does not prune on every write).
    """

    def __init__(self, root: Path, max_bytes: int | None = None) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes
        self._size: int | None = None
        self._lock = threading.Lock()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / check_key(key)

    @property
    def location(self) -> str:
        return str(self.root)

    def ping(self) -> None:
        """Raises unless the store's folder can be reached (it may still refuse writes)."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"Không tạo được thư mục bộ đệm {self.root}: {exc}") from exc

    async def get_async(self, key: str) -> bytes | None:
        # A local file read is quicker than a hop to a thread.
        return self.get(key)

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StorageError(f"Không đọc được bộ đệm {self.root}: {exc}") from exc
        try:
            os.utime(path)
        except OSError:
            pass  # pruned by another process in between: the data read is still whole
        return data

    def has(self, key: str) -> bool:
        return self._path(key).is_file()

    def touch(self, key: str) -> None:
        """Mark an entry as used now (pruning removes the least recently used first)."""
        try:
            os.utime(self._path(key))
        except OSError:
            pass  # pruned meanwhile: nothing to keep

    def stat(self, key: str) -> tuple[int, float] | None:
        """(size in bytes, last use) of an entry, or None."""
        try:
            info = self._path(key).stat()
        except OSError:
            return None
        return info.st_size, info.st_mtime

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink(missing_ok=True)
        except OSError as exc:
            raise StorageError(f"Không xoá được mục bộ đệm {key}: {exc}") from exc

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=_TEMPORARY_PREFIX)
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(data)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise StorageError(f"Không ghi được bộ đệm {self.root}: {exc}") from exc
        if self.max_bytes is not None:
            with self._lock:
                if self._size is None:
                    self._size = self.stats().bytes
                else:
                    self._size += len(data)
                over = self._size > self.max_bytes
            if over:
                self.prune(int(self.max_bytes * 0.9))

    def _entries(self) -> list[tuple[float, int, Path]]:
        entries: list[tuple[float, int, Path]] = []
        if not self.root.is_dir():
            return entries
        for folder in self.root.iterdir():
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                try:
                    info = path.stat()
                except FileNotFoundError:
                    continue
                if path.name.startswith(_TEMPORARY_PREFIX):
                    if time.time() - info.st_mtime > _STALE_TEMPORARY_S:
                        path.unlink(missing_ok=True)
                    continue
                entries.append((info.st_mtime, info.st_size, path))
        return entries

    def stats(self) -> StoreStats:
        entries = self._entries()
        uses = [used for used, _, _ in entries]
        return StoreStats(
            entries=len(entries),
            bytes=sum(size for _, size, _ in entries),
            oldest_use=min(uses) if uses else None,
            newest_use=max(uses) if uses else None,
            max_bytes=self.max_bytes,
        )

    def prune(self, max_bytes: int | None = None) -> tuple[int, int]:
        """Remove least recently used entries until the store holds at most ``max_bytes``
        (default: the store's cap). Returns (entries removed, bytes freed)."""
        limit = self.max_bytes if max_bytes is None else max_bytes
        entries = sorted(self._entries())
        total = sum(size for _, size, _ in entries)
        removed = freed = 0
        for _, size, path in entries:
            if limit is None or total <= limit:
                break
            path.unlink(missing_ok=True)
            total -= size
            removed, freed = removed + 1, freed + size
        with self._lock:
            self._size = total
        return removed, freed
