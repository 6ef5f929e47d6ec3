"""Store keys: what a key may look like, and the media type its suffix stands for."""

from __future__ import annotations

import re

from reader_service.errors import StorageError

_KEY = re.compile(r"^[a-z0-9][a-z0-9._-]{2,127}$")
_CONTENT_TYPES = {".mp3": "audio/mpeg", ".wav": "audio/wav", ".json": "application/json"}


def check_key(key: str) -> str:
    """The key itself, or StorageError when it could name a path outside the store."""
    if not _KEY.match(key):
        raise StorageError(f"Khoá bộ đệm không hợp lệ: {key!r}")
    return key


def content_type_of(key: str) -> str:
    for suffix, content_type in _CONTENT_TYPES.items():
        if key.endswith(suffix):
            return content_type
    return "application/octet-stream"
