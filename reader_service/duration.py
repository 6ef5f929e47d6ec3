"""How long a reading will last, said before it is made (``preview``).

A rate in "words per minute" is not what an engine does with Vietnamese: espeak-ng asked for 150
speaks about 220 syllables a minute, and its clips carry their own lead-in and comma pauses, so
``syllables / rate_wpm`` overestimated by half. Here the engine and voice actually configured,
at the rate configured, read a short passage of typical portal prose once per process (sentence
by sentence, as the pipeline does), and the article's syllables are timed at that pace; the
pauses between sentences and paragraphs are added exactly. Measured on 18 real articles in
benchmarks/preview_duration.py.

Online engines are not called for an estimate (it would cost a request to the provider): they
state a nominal pace (``nominal_syllables_per_minute``), and every reading this process makes
refines the pace of the voicing that spoke it (:func:`observe`).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from reader_service.engines import EngineConfig, get_engine
from reader_service.models import SynthesisOptions

# Typical portal prose, already in spoken form (no digits, no abbreviations): about as many
# syllables per sentence and commas per syllable as the articles of ../shared/corpus/vi-real.
CALIBRATION_PASSAGE = (
    "Sáng nay ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác cải cách hành chính "
    "năm hai nghìn không trăm hai mươi tư.",
    "Tham dự hội nghị có lãnh đạo các sở, ban, ngành và ủy ban nhân dân các huyện, thành phố.",
    "Theo báo cáo, toàn tỉnh đã tiếp nhận hơn ba mươi nghìn hồ sơ, trong đó chín mươi tám phần "
    "trăm được giải quyết đúng hạn.",
    "Phát biểu kết luận, đồng chí chủ tịch yêu cầu các đơn vị tiếp tục đẩy mạnh chuyển đổi số, "
    "nâng cao chất lượng phục vụ người dân và doanh nghiệp.",
)
# Readings whose pace replaces the calibration once this many syllables have been heard.
TRUSTED_OBSERVATION_SYLLABLES = 200
# An engine that neither can be measured here nor states a pace: a Vietnamese newsreader's.
FALLBACK_SYLLABLES_PER_MINUTE = 240.0


# A voicing and the configuration its engine is built with.
_Key = tuple[str, str, SynthesisOptions, EngineConfig]


@dataclass(slots=True)
class _Pace:
    syllables: int = 0
    seconds: float = 0.0


_calibrated: dict[_Key, float] = {}
_observed: dict[tuple[str, str, SynthesisOptions], _Pace] = {}
_lock = threading.Lock()


def syllables(spoken: str) -> int:
    """Syllables of a spoken (normalised) text: Vietnamese writes one syllable per word."""
    return len(spoken.split())


def seconds_per_syllable(
    engine: str, voice: str, options: SynthesisOptions, config: EngineConfig | None = None
) -> float:
    """The pace of this voicing: from readings it made, else from the calibration passage
    (offline engines) or the engine's stated pace (online ones)."""
    with _lock:
        pace = _observed.get((engine, voice, options))
    if pace is not None and pace.syllables >= TRUSTED_OBSERVATION_SYLLABLES:
        return pace.seconds / pace.syllables
    key = (engine, voice, options, config or EngineConfig())
    with _lock:
        if key in _calibrated:
            return _calibrated[key]
    measured = _calibrate(key)
    with _lock:
        _calibrated[key] = measured
    return measured


def _calibrate(key: _Key) -> float:
    from reader_service.clips import synthesize

    name, voice, options, config = key
    engine = get_engine(name, config)
    if engine.info.online:
        stated = getattr(engine, "nominal_syllables_per_minute", None)
        per_minute = stated(options) if callable(stated) else FALLBACK_SYLLABLES_PER_MINUTE
        return 60.0 / per_minute
    milliseconds = sum(
        synthesize(engine, sentence, voice, options).duration_ms for sentence in CALIBRATION_PASSAGE
    )
    return milliseconds / 1000 / sum(syllables(s) for s in CALIBRATION_PASSAGE)


def observe(
    engine: str, voice: str, options: SynthesisOptions, spoken: Sequence[str], speech_ms: int
) -> None:
    """Record a reading's real pace (its clips' length, pauses excluded)."""
    count = sum(syllables(s) for s in spoken)
    if not count:
        return
    with _lock:
        pace = _observed.setdefault((engine, voice, options), _Pace())
        pace.syllables += count
        pace.seconds += speech_ms / 1000


def estimate_seconds(
    spoken: Sequence[str],
    pauses_ms: int,
    engine: str,
    voice: str,
    options: SynthesisOptions,
    config: EngineConfig | None = None,
) -> float:
    """Seconds a reading of these sentences will last, with ``pauses_ms`` of pauses between."""
    pace = seconds_per_syllable(engine, voice, options, config)
    return sum(syllables(s) for s in spoken) * pace + pauses_ms / 1000


def forget() -> None:
    """Drop measured and observed paces (tests; an operator changing voices in process)."""
    with _lock:
        _calibrated.clear()
        _observed.clear()
