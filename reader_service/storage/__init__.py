"""Content-addressed storage of clips and renditions: a local folder by default, or an
S3-compatible bucket shared by replicas (READER_STORE_URL)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from reader_service.storage.filesystem import FileStore, StoreStats

if TYPE_CHECKING:
    from reader_service.settings import Settings
    from reader_service.storage.s3 import S3Store

__all__ = ["FileStore", "Store", "StoreStats", "open_store"]


class Store(Protocol):
    """Bytes by key; a key always names the same content, so entries are never rewritten."""

    @property
    def location(self) -> str: ...

    def get(self, key: str) -> bytes | None: ...

    async def get_async(self, key: str) -> bytes | None: ...

    def put(self, key: str, data: bytes) -> None: ...

    def has(self, key: str) -> bool: ...

    def touch(self, key: str) -> None: ...

    def delete(self, key: str) -> None: ...

    def stat(self, key: str) -> tuple[int, float] | None: ...

    def ping(self) -> None: ...


def open_store(settings: Settings) -> FileStore | S3Store:
    """The store the settings name: READER_STORE_URL's bucket, else the cache folder."""
    if settings.store_url:
        from reader_service.storage.s3 import S3Store

        return S3Store(settings.store_url, settings.s3_endpoint, settings.s3_region)
    return FileStore(settings.cache_dir / "clips", max_bytes=settings.cache_max_mb * 1_000_000)
