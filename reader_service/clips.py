"""One clip per sentence: content-addressed, cached with its word timings, made once, and made
by the next engine of the fallback chain when the preferred one fails."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from reader_service import audio
from reader_service.engines import Engine, EngineConfig, get_engine
from reader_service.errors import (
    AudioError,
    EngineUnavailableError,
    ReaderError,
    StorageError,
    SynthesisError,
)
from reader_service.models import Clip, SynthesisOptions, WordMark
from reader_service.segment import chunk
from reader_service.singleflight import SingleFlight
from reader_service.storage import Store

log = logging.getLogger(__name__)

# Part of every clip key: bump when a change to normalisation or synthesis changes the audio.
PIPELINE_VERSION = "2"

_flights: SingleFlight[Clip] = SingleFlight()
# Sentences this process had an engine speak (a metric: made once cluster-wide, it is the number
# of distinct clips).
engine_syntheses = 0


@dataclass(frozen=True, slots=True)
class Voicing:
    """Who speaks: an engine, one of its voices, and the per-call options."""

    engine: str
    voice: str
    options: SynthesisOptions


def clip_key(spoken: str, voicing: Voicing) -> str:
    """Content address of a clip: the same words, engine, voice and options give the same key."""
    o = voicing.options
    identity = json.dumps(
        [PIPELINE_VERSION, voicing.engine, voicing.voice, o.rate_wpm, o.volume, o.pitch, spoken],
        ensure_ascii=False,
    )
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()


def synthesize(engine: Engine, spoken: str, voice: str, options: SynthesisOptions) -> Clip:
    """One clip for one sentence; a sentence longer than the engine takes is spoken in chunks
    (clause, then word boundaries) and its word marks are shifted onto the whole sentence."""
    pieces = chunk(spoken, engine.info.max_chars) or [""]
    if len(pieces) == 1:
        return engine.synthesize(pieces[0], voice, options)
    pcm: list[bytes] = []
    words: list[WordMark] = []
    rate = 0
    elapsed_ms = 0
    offset = 0
    for piece in pieces:
        clip = engine.synthesize(piece, voice, options)
        if rate and clip.sample_rate != rate:
            raise SynthesisError("Bộ đọc trả về các đoạn âm thanh khác tần số lấy mẫu.")
        rate = clip.sample_rate
        offset = spoken.find(piece, offset)
        words += [
            WordMark(mark.start + max(offset, 0), mark.length, mark.time_ms + elapsed_ms)
            for mark in clip.words
        ]
        offset += len(piece)
        pcm.append(clip.pcm)
        elapsed_ms += clip.duration_ms
    return Clip(b"".join(pcm), rate, engine.info.name, voice, tuple(words))


def _meta_key(key: str) -> str:
    return f"{key}.json"


def load_clip(store: Store | None, key: str) -> Clip | None:
    """A cached clip with its word marks, or None. The WAV is written last, so a clip whose
    WAV exists is whole."""
    if store is None:
        return None
    wav = store.get(f"{key}.wav")
    meta_bytes = store.get(_meta_key(key)) if wav is not None else None
    if wav is None or meta_bytes is None:
        return None
    try:
        meta = json.loads(meta_bytes)
        clip = audio.from_wav(wav, meta["engine"], meta["voice"])
    except (ValueError, KeyError, AudioError):
        log.warning("đoạn âm thanh %s trong bộ đệm không đọc được; làm lại", key)
        return None
    words = tuple(WordMark(*mark) for mark in meta.get("words", ()))
    return Clip(clip.pcm, clip.sample_rate, clip.engine, clip.voice, words)


def save_clip(store: Store | None, key: str, clip: Clip) -> None:
    if store is None:
        return
    meta = {
        "engine": clip.engine,
        "voice": clip.voice,
        "words": [[m.start, m.length, m.time_ms] for m in clip.words],
    }
    store.put(_meta_key(key), json.dumps(meta, ensure_ascii=False).encode("utf-8"))
    store.put(f"{key}.wav", audio.to_wav(clip))


def voicings(
    preferred: Voicing, fallbacks: tuple[str, ...], config: EngineConfig | None = None
) -> list[Voicing]:
    """The preferred voicing, then each fallback engine with the same voice if it has one,
    else its default voice."""
    chain = [preferred]
    for name in dict.fromkeys(fallbacks):
        if name == preferred.engine:
            continue
        try:
            info = get_engine(name, config).info
        except ReaderError as exc:
            log.warning("bộ đọc dự phòng %s không dùng được: %s", name, exc)
            continue
        voice = preferred.voice if preferred.voice in info.voices else info.default_voice
        chain.append(Voicing(name, voice, preferred.options))
    return chain


def obtain(
    spoken: str,
    chain: list[Voicing],
    store: Store | None,
    config: EngineConfig | None = None,
    before_synthesis: Callable[[], None] | None = None,
) -> tuple[str, Clip]:
    """The clip of ``spoken`` from the first voicing that has it cached or can make it.

    Concurrent callers wanting the same clip share one synthesis (single-flight). An engine
    that fails hands over to the next one; the clip is cached under the key of the engine that
    really spoke, so a later request tries the preferred engine again. ``before_synthesis``
    is called before a clip that has to be made (background work waits there for its turn).
    """
    failures: list[str] = []
    for position, voicing in enumerate(chain):
        key = clip_key(spoken, voicing)
        if (cached := load_clip(store, key)) is not None:
            return key, cached
        if before_synthesis is not None:
            before_synthesis()
        try:
            engine = get_engine(voicing.engine, config)
            if position + 1 < len(chain) and not breaker_closed(engine):
                # Its breaker is open: the failure that opened it was said once; the sentences
                # after it go to the next engine without a line each.
                failures.append(f"{voicing.engine}: tạm ngừng")
                continue
            work = partial(_make, engine, spoken, voicing, key, store)
            return key, _flights.run(key, work)
        except (EngineUnavailableError, SynthesisError, AudioError) as exc:
            log.warning(
                "bộ đọc %s không đọc được câu này (%s); chuyển sang bộ đọc tiếp theo",
                voicing.engine,
                exc,
            )
            failures.append(f"{voicing.engine}: {exc}")
    raise EngineUnavailableError(
        "Không bộ đọc nào đọc được câu này. " + "; ".join(failures or ["không có bộ đọc"])
    )


def breaker_closed(engine: Engine) -> bool:
    """False while an engine with a circuit breaker (``available()``) has it open."""
    available = getattr(engine, "available", None)
    return not callable(available) or bool(available())


def _make(engine: Engine, spoken: str, voicing: Voicing, key: str, store: Store | None) -> Clip:
    if (cached := load_clip(store, key)) is not None:  # made by another process meanwhile
        return cached
    clip = synthesize(engine, spoken, voicing.voice, voicing.options)
    global engine_syntheses
    engine_syntheses += 1
    try:
        save_clip(store, key, clip)
    except StorageError as exc:
        log.warning(
            "đoạn âm thanh %s không lưu được vào bộ đệm: %s", key, exc
        )  # the listener still gets the audio
    return clip
