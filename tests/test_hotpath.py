"""The clip hot path marks what it serves as used, so pruning keeps the most played clips."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import ToneEngine
from reader_service.api import create_app, hotpath
from reader_service.settings import Settings


def test_clips_played_from_memory_are_kept_by_pruning(
    tmp_path: Path, tone_engine: ToneEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hotpath, "_TOUCH_EVERY_S", 0.0)
    settings = Settings(
        cache_dir=tmp_path / "cache",
        data_dir=tmp_path / "data",
        engine="tone",
        voice="a",
        fallback_engines="",
    )
    app = create_app(settings)
    client = TestClient(app)
    clips = [
        c["clip"] for c in client.get("/v1/listen", params={"url": "/demo/article"}).json()["cues"]
    ]
    for clip in clips:
        assert client.get(clip).status_code == 200  # made, then cached on disk
    store = app.state.service.store
    for entry in (tmp_path / "cache" / "clips").rglob("*"):
        if entry.is_file():
            os.utime(entry, (1_000_000, 1_000_000))  # everything long unused
    popular = clips[3].split("?")[0].removeprefix("/v1/clips/")
    assert client.get(clips[3]).status_code == 200  # now from the hot path's memory
    assert client.get(clips[3]).status_code == 200
    size, used = store.stat(popular)
    assert used > 1_000_000 and size > 0
    store.prune(size)  # room for about one clip
    assert store.stat(popular) is not None
    assert store.stat(clips[4].split("?")[0].removeprefix("/v1/clips/")) is None
