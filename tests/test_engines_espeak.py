from __future__ import annotations

import unicodedata
from concurrent.futures import ThreadPoolExecutor

import pytest

from reader_service.engines import available_engines, get_engine
from reader_service.errors import InvalidInputError
from reader_service.models import SynthesisOptions

SENTENCES = [
    "Sở Thông tin và Truyền thông ban hành công văn.",
    "Thời gian triển khai trong tháng năm.",
    "Liên minh viễn thông quốc tế lấy ngày mười bảy tháng năm làm ngày truyền thống.",
    "Phạm Thảo",
]
OPTIONS = SynthesisOptions()


def test_espeak_is_registered_and_offline() -> None:
    assert "espeak" in available_engines()
    engine = get_engine("espeak")
    assert engine.info.online is False
    assert "vi" in engine.info.voices
    assert engine.info.sample_rate == 22050


def test_speech_length_follows_text_length() -> None:
    engine = get_engine("espeak")
    short = engine.synthesize("Xin chào.", "vi", OPTIONS)
    long = engine.synthesize("Xin chào. " * 8, "vi", OPTIONS)
    assert 300 < short.duration_ms < 3000
    assert 5 * short.duration_ms < long.duration_ms < 16 * short.duration_ms
    # Real audio, not silence: some samples are loud.
    assert (
        max(
            abs(int.from_bytes(long.pcm[i : i + 2], "little", signed=True))
            for i in range(0, len(long.pcm), 2)
        )
        > 1000
    )


def test_slower_rate_gives_longer_audio() -> None:
    engine = get_engine("espeak")
    slow = engine.synthesize(SENTENCES[2], "vi", SynthesisOptions(rate_wpm=120))
    fast = engine.synthesize(SENTENCES[2], "vi", SynthesisOptions(rate_wpm=240))
    assert slow.duration_ms > 1.5 * fast.duration_ms


def test_decomposed_text_is_spoken_like_composed_text() -> None:
    engine = get_engine("espeak")
    composed = engine.synthesize(SENTENCES[0], "vi", OPTIONS)
    decomposed = engine.synthesize(unicodedata.normalize("NFD", SENTENCES[0]), "vi", OPTIONS)
    # espeak mixes random noise into fricatives, so compare structure, not bytes.
    assert decomposed.words == tuple(
        type(m)(m.start, m.length, d.time_ms)
        for m, d in zip(composed.words, decomposed.words, strict=True)
    )
    assert decomposed.duration_ms == pytest.approx(composed.duration_ms, rel=0.03)


def test_word_marks_fold_numbers_onto_their_token() -> None:
    clip = get_engine("espeak").synthesize("Năm 2021 có 42 hộ.", "vi", OPTIONS)
    assert [(mark.start, mark.length) for mark in clip.words] == [
        (0, 3),
        (4, 4),
        (9, 2),
        (12, 2),
        (15, 3),
    ]
    times = [mark.time_ms for mark in clip.words]
    assert times == sorted(times) and times[-1] < clip.duration_ms


def test_other_vietnamese_voices_work_and_unknown_voice_is_refused() -> None:
    engine = get_engine("espeak")
    north = engine.synthesize(SENTENCES[1], "vi", OPTIONS)
    south = engine.synthesize(SENTENCES[1], "vi-VN-x-south", OPTIONS)
    assert south.duration_ms > 0 and south.pcm != north.pcm
    with pytest.raises(InvalidInputError, match="Giọng đọc 'en'"):
        engine.synthesize("Xin chào", "en", OPTIONS)


def test_many_threads_at_once_give_the_same_audio_as_one() -> None:
    engine = get_engine("espeak")
    voices = ["vi", "vi-VN-x-south"]
    jobs = [(text, voices[i % 2]) for i, text in enumerate(SENTENCES * 6)]

    def shape(job: tuple[str, str]) -> tuple[int, tuple[int, ...]]:
        clip = engine.synthesize(job[0], job[1], OPTIONS)
        return clip.duration_ms, tuple(mark.start for mark in clip.words)

    serial = [shape(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=12) as pool:
        parallel = list(pool.map(shape, jobs))
    # Audio interleaved between two calls would change words and lengths; random noise cannot.
    for (ms, words), (serial_ms, serial_words) in zip(parallel, serial, strict=True):
        assert words == serial_words
        assert ms == pytest.approx(serial_ms, rel=0.03)
