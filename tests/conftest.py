from __future__ import annotations

import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from reader_service.engines.base import EngineInfo
from reader_service.models import Clip, SynthesisOptions

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_PAGE = Path(__file__).parent.parent / "reader_service" / "samples" / "portal-article.html"


@pytest.fixture
def sample_html() -> bytes:
    return SAMPLE_PAGE.read_bytes()


@pytest.fixture
def expected_article() -> dict[str, object]:
    return json.loads((FIXTURES / "portal-article.expected.json").read_text("utf-8"))


class ToneEngine:
    """A fake engine: 10 ms of a fixed tone per character, and a log of what it was asked."""

    def __init__(self, max_chars: int = 10_000) -> None:
        self.info = EngineInfo("tone", False, max_chars, ("a", "b"), 8000, "a")
        self.calls: list[str] = []

    def synthesize(self, text: str, voice: str, options: SynthesisOptions) -> Clip:
        self.calls.append(text)
        samples = 80 * len(text)  # 8000 Hz: 80 samples = 10 ms
        pcm = (b"\x00\x10\x00\xf0" * (samples // 2 + 1))[: samples * 2]
        return Clip(pcm=pcm, sample_rate=8000, engine="tone", voice=voice)


@pytest.fixture
def tone_engine(monkeypatch: pytest.MonkeyPatch) -> ToneEngine:
    """Registers a ToneEngine as engine 'tone' for this test."""
    from reader_service import engines

    engine = ToneEngine()
    monkeypatch.setitem(engines._instances, "tone", engine)
    return engine


class QuietFolderHandler(http.server.SimpleHTTPRequestHandler):
    """Serves ``folder`` (set by ``serve_folder``) without logging; subclasses add routes."""

    folder = "."

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, directory=self.folder, **kwargs)

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def serve_folder(
    folder: Path, handler: type[QuietFolderHandler] = QuietFolderHandler
) -> Iterator[str]:
    """A local HTTP server for ``folder`` on 127.0.0.1 (real fetches, no network): its base URL."""
    bound = type("Bound", (handler,), {"folder": str(folder)})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), bound)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def run_then_kill(script: str, args: list[str], after_s: float) -> None:
    """Runs ``python -c script args`` (tests/ importable), waits for it to print "started",
    lets it work ``after_s`` seconds and SIGKILLs it: a crash mid-work, nothing cleaned up."""
    tests_dir = Path(__file__).parent
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=tests_dir,
        env={**os.environ, "PYTHONPATH": str(tests_dir)},
        stdout=subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        assert process.stdout.readline().strip() == b"started"
        time.sleep(after_s)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
