from __future__ import annotations

import json
from pathlib import Path

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
