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


def test_prune_removes_least_recently_used_first(tmp_path: Path) -> None:
    import os
    import time

    store = FileStore(tmp_path)
    for number, key in enumerate(["aaa1.wav", "bbb2.wav", "ccc3.wav"]):
        store.put(key, b"x" * 100)
        os.utime(tmp_path / key[:2] / key, (time.time() - 100 + number, time.time() - 100 + number))
    assert store.get("aaa1.wav") == b"x" * 100  # reading marks it as just used
    removed, freed = store.prune(max_bytes=200)
    assert (removed, freed) == (1, 100)
    assert store.get("bbb2.wav") is None
    assert store.get("aaa1.wav") and store.get("ccc3.wav")
    stats = store.stats()
    assert stats.entries == 2 and stats.bytes == 200


def test_size_cap_prunes_on_write(tmp_path: Path) -> None:
    store = FileStore(tmp_path, max_bytes=1000)
    for number in range(30):
        store.put(f"key{number:03d}.wav", b"y" * 100)
    assert store.stats().bytes <= 1000
    assert store.get("key029.wav") == b"y" * 100  # the newest survive


def test_stale_temporary_files_are_never_entries_and_are_cleaned(tmp_path: Path) -> None:
    import os

    store = FileStore(tmp_path)
    store.put("abc123.wav", b"whole")
    stale = tmp_path / "ab" / ".tmp-killed"
    stale.write_bytes(b"half")
    os.utime(stale, (0, 0))
    assert store.stats().entries == 1
    assert not stale.exists()
