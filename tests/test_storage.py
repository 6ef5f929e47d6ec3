from __future__ import annotations

from pathlib import Path

import pytest

from reader_service.errors import StorageError
from reader_service.storage import FileStore


def test_put_then_get(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    assert store.get("abc123.wav") is None
    store.put("abc123.wav", b"data")
    assert store.get("abc123.wav") == b"data"
    assert (tmp_path / "ab" / "abc123.wav").read_bytes() == b"data"
    assert not [p for p in tmp_path.rglob(".tmp-*")]  # no temporary file left behind


def test_keys_cannot_escape_the_store(tmp_path: Path) -> None:
    with pytest.raises(StorageError):
        FileStore(tmp_path).put("../../etc/passwd", b"x")


def test_unwritable_store_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    with pytest.raises(StorageError, match="Không ghi được bộ đệm"):
        FileStore(blocker).put("abc123.wav", b"x")
