"""preview's reading time against the audio really made (espeak-ng, the default engine)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import ToneEngine
from reader_service import duration
from reader_service.engines import EngineInfo
from reader_service.extract import extract
from reader_service.models import Article, Clip, SynthesisOptions
from reader_service.pipeline import ReadOptions, preview, render

PAGES = Path(__file__).parent / "fixtures/pages"


@pytest.fixture(autouse=True)
def fresh_paces() -> Iterator[None]:
    duration.forget()
    yield
    duration.forget()


def _at_rate(rate: int, **kwargs: object) -> ReadOptions:
    base = ReadOptions(**kwargs)  # type: ignore[arg-type]
    return replace(base, synthesis=replace(base.synthesis, rate_wpm=rate))


@pytest.mark.slow
@pytest.mark.parametrize("rate", [110, 150, 300])
@pytest.mark.parametrize("page", ["article-header-sapo.html", "aspnet-msword.html"])
def test_estimate_is_within_ten_percent_of_the_made_audio(page: str, rate: int) -> None:
    """The old estimate (syllables / rate_wpm) was 47 % long at 150 and worse at other rates."""
    article = extract((PAGES / page).read_bytes())
    options = _at_rate(rate)
    estimated = preview(article, options).estimated_seconds
    made = render(article, options).duration_ms / 1000
    assert abs(estimated - made) / made <= 0.10, (estimated, made)


def test_a_reading_made_refines_the_pace_of_its_voicing(tone_engine: ToneEngine) -> None:
    """The tone engine speaks 10 ms a character: after a reading, preview uses what it heard,
    not the calibration passage."""
    options = _at_rate(150, engine="tone", voice="a", sentence_pause_ms=0, paragraph_pause_ms=0)
    long_text = " ".join(["Một câu khá dài để nghe thử tốc độ của bộ đọc."] * 40)
    article = Article(title="Tiêu đề", paragraphs=(long_text,))
    made = render(article, options)
    tone_engine.calls.clear()
    estimated = preview(article, options).estimated_seconds
    assert tone_engine.calls == []  # the pace came from the reading, no calibration run
    assert estimated == pytest.approx(sum(c.end_ms - c.start_ms for c in made.cues) / 1000, 0.01)


class _OnlineEngine:
    """An online engine that must not be called for an estimate."""

    def __init__(self) -> None:
        self.info = EngineInfo("online", True, 100, ("vi",), 24000, "vi")

    def synthesize(self, text: str, voice: str, options: SynthesisOptions) -> Clip:
        raise AssertionError("preview called an online engine")

    def nominal_syllables_per_minute(self, options: SynthesisOptions) -> float:
        return 300.0 if options.rate_wpm >= 120 else 180.0


def test_online_engines_are_estimated_from_their_stated_pace(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reader_service import engines

    monkeypatch.setitem(engines._instances, "online", _OnlineEngine())
    article = Article(title="Tiêu đề", paragraphs=(" ".join(["một"] * 300) + ".",))
    options = _at_rate(150, engine="online", voice="vi", sentence_pause_ms=0, paragraph_pause_ms=0)
    assert preview(article, options).estimated_seconds == pytest.approx(302 / 300 * 60, abs=0.2)
    slow = _at_rate(100, engine="online", voice="vi", sentence_pause_ms=0, paragraph_pause_ms=0)
    assert preview(article, slow).estimated_seconds == pytest.approx(302 / 180 * 60, abs=0.2)


def test_the_gtts_engine_states_a_slower_pace_for_slow_reading() -> None:
    from reader_service.engines.gtts_engine import GttsEngine

    engine = GttsEngine()
    normal = engine.nominal_syllables_per_minute(SynthesisOptions(rate_wpm=150))
    assert engine.nominal_syllables_per_minute(SynthesisOptions(rate_wpm=100)) < normal
