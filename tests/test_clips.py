"""Clips and readings: cache, single-flight, fallback, cues that follow the audio."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest

from conftest import SAMPLE_PAGE, ToneEngine, run_then_kill, wait_until
from reader_service import audio, engines
from reader_service.clips import Voicing, clip_key, load_clip, obtain
from reader_service.errors import EngineUnavailableError, SynthesisError
from reader_service.models import Article, Clip, SynthesisOptions
from reader_service.pipeline import ReadOptions, load_article, render
from reader_service.singleflight import SingleFlight
from reader_service.storage import FileStore

ARTICLE = Article(
    title="Tiêu đề",
    paragraphs=("Câu một. Câu hai. Câu ba.", "Đoạn hai câu một. Đoạn hai câu hai.", "Cuối."),
)
TONE = ReadOptions(engine="tone", voice="a", fallback_engines=())


class SlowEngine(ToneEngine):
    """A tone engine that takes its time and counts calls from many threads."""

    def __init__(self, delay_s: float = 0.02) -> None:
        super().__init__()
        self.delay_s = delay_s
        self.lock = threading.Lock()

    def synthesize(self, text: str, voice: str, options: SynthesisOptions) -> Clip:
        time.sleep(self.delay_s)
        with self.lock:
            return super().synthesize(text, voice, options)


class BrokenEngine(ToneEngine):
    def synthesize(self, text: str, voice: str, options: SynthesisOptions) -> Clip:
        self.calls.append(text)
        raise EngineUnavailableError("mạng hỏng")


def test_editing_one_paragraph_synthesises_only_its_sentences(
    tone_engine: ToneEngine, tmp_path: Path
) -> None:
    store = FileStore(tmp_path)
    render(ARTICLE, TONE, store=store)
    first = len(tone_engine.calls)
    edited = Article(
        title=ARTICLE.title,
        paragraphs=(ARTICLE.paragraphs[0], "Đoạn hai đã sửa. Thêm một câu mới.", "Cuối."),
    )
    render(edited, TONE, store=store)
    assert tone_engine.calls[first:] == ["Đoạn hai đã sửa.", "Thêm một câu mới."]


def test_unchanged_article_is_read_from_the_cached_reading(
    tone_engine: ToneEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = FileStore(tmp_path)
    cold = render(ARTICLE, TONE, store=store)
    calls = len(tone_engine.calls)

    def no_encoding(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("a warm read must not encode again")

    monkeypatch.setattr(audio, "encode_mp3", no_encoding)
    warm = render(ARTICLE, TONE, store=store)
    assert len(tone_engine.calls) == calls
    assert warm.audio == cold.audio and warm.cues == cold.cues


def test_fifty_concurrent_reads_make_each_clip_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = SlowEngine()
    monkeypatch.setitem(engines._instances, "tone", engine)
    store = FileStore(tmp_path)
    results: list[object] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            results.append(render(ARTICLE, TONE, store=store))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(results) == 50
    sentences = 1 + 3 + 2 + 1
    assert len(engine.calls) == sentences
    assert sorted(engine.calls) == sorted(set(engine.calls))


def test_single_flight_is_shared_by_threads_and_asyncio() -> None:
    flight: SingleFlight[int] = SingleFlight()
    started = threading.Event()
    release = threading.Event()
    runs: list[int] = []

    def work() -> int:
        started.set()
        assert release.wait(30)
        runs.append(1)
        return 42

    async def main() -> list[int]:
        callers = [asyncio.ensure_future(flight.run_async("k", work)) for _ in range(4)]
        # The work is held until all four async callers have joined the thread's flight.
        await asyncio.to_thread(wait_until, lambda: flight.followers("k") == 4, "4 followers")
        release.set()
        return list(await asyncio.gather(*callers))

    thread_result: list[int] = []
    thread = threading.Thread(target=lambda: thread_result.append(flight.run("k", work)))
    thread.start()
    assert started.wait(30)
    assert asyncio.run(main()) == [42] * 4
    thread.join()
    assert thread_result == [42] and len(runs) == 1


def test_failing_engine_falls_back_and_is_tried_again_later(
    tone_engine: ToneEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = BrokenEngine()
    monkeypatch.setitem(engines._instances, "broken", broken)
    options = ReadOptions(engine="broken", voice="a", fallback_engines=("tone",))
    store = FileStore(tmp_path)
    rendition = render(ARTICLE, options, store=store)
    assert {cue.engine for cue in rendition.cues} == {"tone"}
    tried = len(broken.calls)
    assert tried == 7
    render(ARTICLE, options, store=store)
    assert len(broken.calls) == 2 * tried  # the preferred engine is asked again
    assert len(tone_engine.calls) == 7  # the fallback's clips come from the cache


def test_every_engine_failing_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(engines._instances, "broken", BrokenEngine())
    with pytest.raises(EngineUnavailableError, match="Không bộ đọc nào"):
        obtain("Xin chào.", [Voicing("broken", "a", SynthesisOptions())], None)


def test_synthesis_error_of_one_engine_also_falls_back(
    tone_engine: ToneEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Refusing(ToneEngine):
        def synthesize(self, text: str, voice: str, options: SynthesisOptions) -> Clip:
            raise SynthesisError("không đọc được")

    monkeypatch.setitem(engines._instances, "refusing", Refusing())
    chain = [Voicing("refusing", "a", SynthesisOptions()), Voicing("tone", "a", SynthesisOptions())]
    key, clip = obtain("Xin chào.", chain, None)
    assert clip.engine == "tone" and key == clip_key("Xin chào.", chain[1])


def test_sample_page_cues_follow_its_mp3(tmp_path: Path) -> None:
    article = load_article(str(SAMPLE_PAGE), ReadOptions())
    rendition = render(article, ReadOptions(), store=FileStore(tmp_path))
    cues = rendition.cues
    assert [c.sentence for c in cues] == list(range(len(cues)))
    assert all(a.end_ms <= b.start_ms for a, b in zip(cues, cues[1:], strict=False))
    assert all(c.start_ms < c.end_ms for c in cues)
    decoded_ms = len(audio.decode(rendition.audio))
    assert abs(decoded_ms - cues[-1].end_ms) <= 100
    for cue in cues:
        times = [w.start_ms for w in cue.words]
        assert times == sorted(times) and cue.words
        assert cue.start_ms <= cue.words[0].start_ms and cue.words[-1].end_ms <= cue.end_ms + 1
        assert all(w.text and w.text in cue.spoken for w in cue.words)


def test_word_marks_survive_chunking(monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from reader_service.clips import synthesize
    from reader_service.engines.espeak import EspeakEngine

    espeak = EspeakEngine()
    monkeypatch.setattr(espeak, "info", replace(espeak.info, max_chars=30))
    small = espeak

    spoken = "một hai ba bốn năm, sáu bảy tám chín mười, mười một mười hai"
    clip = synthesize(small, spoken, "vi", SynthesisOptions())
    texts = [spoken[m.start : m.start + m.length].rstrip(",") for m in clip.words]
    assert texts == spoken.replace(",", "").split()
    times = [m.time_ms for m in clip.words]
    assert times == sorted(times) and times[-1] < clip.duration_ms


KILL_SCRIPT = """
import sys, time
from pathlib import Path
from conftest import ToneEngine
from reader_service import engines
from reader_service.models import Article
from reader_service.pipeline import ReadOptions, render
from reader_service.storage import FileStore

class Slow(ToneEngine):
    def synthesize(self, text, voice, options):
        time.sleep(0.15)
        return super().synthesize(text * 50, voice, options)

engines._instances["tone"] = Slow()
article = Article(title="Tiêu đề", paragraphs=tuple(f"Câu số {i}." for i in range(40)))
print("started", flush=True)
options = ReadOptions(engine="tone", voice="a", fallback_engines=())
render(article, options, store=FileStore(Path(sys.argv[1])))
"""


def _finished_clips(store_dir: Path) -> list[Path]:
    return [p for p in store_dir.rglob("*.wav") if not p.name.startswith(".tmp-")]


def test_a_read_killed_midway_leaves_nothing_half_written(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    run_then_kill(
        KILL_SCRIPT,
        [str(store_dir)],
        when=lambda: len(_finished_clips(store_dir)) >= 3,
        what="three of forty clips made",
    )
    store = FileStore(store_dir)
    finished = _finished_clips(store_dir)
    assert len(finished) < 40  # killed mid-read
    for wav in finished:
        key = wav.name.removesuffix(".wav")
        clip = load_clip(store, key)
        assert clip is not None and clip.duration_ms > 0  # every served clip is whole
    assert not list(store_dir.rglob("*.mp3"))  # no reading was assembled from a partial set
