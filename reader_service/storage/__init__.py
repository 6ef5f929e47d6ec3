"""Content-addressed storage of clips and renditions."""

from __future__ import annotations

from typing import Protocol

from reader_service.storage.filesystem import FileStore, StoreStats

__all__ = ["FileStore", "Store", "StoreStats"]


class Store(Protocol):
    """Bytes by key; a key always names the same content, so entries are never rewritten."""

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, data: bytes) -> None: ...

    def has(self, key: str) -> bool: ...

    def touch(self, key: str) -> None: ...

    def delete(self, key: str) -> None: ...

    def stat(self, key: str) -> tuple[int, float] | None: ...
