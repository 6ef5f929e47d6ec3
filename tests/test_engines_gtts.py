"""gTTS engine: gTTS's real client code against a fake Google endpoint (``responses``).

The fake answers as Google's batchexecute endpoint does, with recorded MP3 bytes
(tests/fixtures/gtts-chunk.mp3, 0.6 s at 24 kHz) in base64 — never the network.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
import responses

from conftest import FIXTURES, ToneEngine
from reader_service.engines.gtts_engine import GttsEngine
from reader_service.errors import EngineUnavailableError, SynthesisError
from reader_service.models import SynthesisOptions

URL = "https://translate.google.com/_/TranslateWebserverUi/data/batchexecute"
MP3 = (FIXTURES / "gtts-chunk.mp3").read_bytes()


def _google_answer(mp3: bytes) -> str:
    payload = base64.b64encode(mp3).decode("ascii")
    return ")]}'\n\n" + f'[["wrb.fr","jQ1olc","[\\"{payload}\\"]",null,null,null,"generic"]]\n'


def _sent_text(call: responses.Call) -> str:
    """The text inside gTTS's request: f.req=<url-encoded RPC JSON holding a JSON string>."""
    body = urllib.parse.unquote(str(call.request.body)).removeprefix("f.req=").rstrip("&")
    rpc = json.loads(body)
    return str(json.loads(rpc[0][0][1])[0])


def _engine(**kwargs: object) -> tuple[GttsEngine, list[float]]:
    slept: list[float] = []
    options = {"tld": "com", "timeout_s": 2.0, "sleep": slept.append} | kwargs
    return GttsEngine(**options), slept  # type: ignore[arg-type]


@responses.activate
def test_real_gtts_client_speaks_vietnamese_through_the_fake_endpoint() -> None:
    responses.post(URL, body=_google_answer(MP3))
    engine, _ = _engine()
    clip = engine.synthesize("Xin chào các bạn.", "vi", SynthesisOptions())
    assert clip.engine == "gtts" and clip.sample_rate == 24_000
    assert 500 <= clip.duration_ms <= 750
    assert _sent_text(responses.calls[0]) == "Xin chào các bạn."
    assert engine.info.max_chars == 100


@responses.activate
def test_429_and_5xx_are_retried_with_exponential_back_off() -> None:
    responses.post(URL, status=429)
    responses.post(URL, status=503)
    responses.post(URL, body=_google_answer(MP3))
    engine, slept = _engine(backoff_s=0.5)
    clip = engine.synthesize("Xin chào.", "vi", SynthesisOptions())
    assert clip.duration_ms > 0
    assert slept == [0.5, 1.0]
    assert len(responses.calls) == 3


@responses.activate
def test_client_errors_are_not_retried_and_become_ours() -> None:
    responses.post(URL, status=403)
    engine, slept = _engine()
    with pytest.raises(SynthesisError, match="gTTS"):
        engine.synthesize("Xin chào.", "vi", SynthesisOptions())
    assert slept == [] and len(responses.calls) == 1


@responses.activate
def test_repeated_failures_open_the_breaker_until_the_cool_down_ends() -> None:
    responses.post(URL, status=500)
    now = [0.0]
    engine, _ = _engine(retries=0, breaker_failures=2, breaker_cooldown_s=30, clock=lambda: now[0])
    for _ in range(2):
        with pytest.raises(EngineUnavailableError):
            engine.synthesize("Xin chào.", "vi", SynthesisOptions())
    calls = len(responses.calls)
    with pytest.raises(EngineUnavailableError, match="tạm ngừng"):
        engine.synthesize("Xin chào.", "vi", SynthesisOptions())
    assert len(responses.calls) == calls  # no request while the breaker is open
    now[0] = 31.0
    responses.replace(responses.POST, URL, body=_google_answer(MP3))
    assert engine.synthesize("Xin chào.", "vi", SynthesisOptions()).duration_ms > 0


@responses.activate
def test_unreachable_network_opens_the_breaker_at_once_without_retrying() -> None:
    """No route, no name or refused: retrying waits for nothing (it cost 3.5 s a sentence)."""
    responses.post(URL, body=requests.exceptions.ConnectionError("no route to host"))
    engine, slept = _engine(retries=3)
    with pytest.raises(EngineUnavailableError, match="không kết nối được translate.google.com"):
        engine.synthesize("Xin chào.", "vi", SynthesisOptions())
    assert len(responses.calls) == 1 and slept == []
    assert not engine.available()


@responses.activate
def test_reachability_probe_says_why_and_is_cached() -> None:
    now = [0.0]
    engine, _ = _engine(clock=lambda: now[0])
    # Nothing registered for HEAD: responses refuses the connection, as a machine offline does.
    why = engine.reachable()
    assert why is not None and why.startswith("không kết nối được translate.google.com")
    responses.head("https://translate.google.com/", status=301)
    assert engine.reachable() == why  # cached a little while: no second probe
    now[0] = 31.0
    assert engine.reachable() is None  # any HTTP answer means Google is reachable
    assert len(responses.calls) == 2  # three questions, two probes (responses logs refusals too)


@responses.activate
def test_a_reading_offline_says_the_fallback_once(
    tone_engine: ToneEngine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from reader_service import engines
    from reader_service.models import Article
    from reader_service.pipeline import ReadOptions, render

    responses.post(URL, body=requests.exceptions.ConnectionError("no route to host"))
    engine, slept = _engine()
    monkeypatch.setitem(engines._instances, "gtts", engine)
    article = Article(title="Tiêu đề", paragraphs=("Câu một. Câu hai. Câu ba.", "Câu bốn."))
    options = ReadOptions(engine="gtts", voice="vi", fallback_engines=("tone",))
    with caplog.at_level("INFO"):
        rendition = render(article, options)
    assert rendition.engines == ("tone",) and len(rendition.cues) == 5
    assert len(responses.calls) == 1 and slept == []
    lines = [r.getMessage() for r in caplog.records if r.levelname != "DEBUG"]
    assert len(lines) == 1 and "chuyển sang bộ đọc tiếp theo" in lines[0], lines


def test_punctuation_only_chunk_is_silence_without_a_request() -> None:
    engine, _ = _engine()
    with responses.RequestsMock() as mock:  # any request would fail the test
        clip = engine.synthesize("…", "vi", SynthesisOptions())
        assert len(mock.calls) == 0
    assert clip.duration_ms == 150


@responses.activate
def test_a_long_sentence_reaches_gtts_in_chunks_of_at_most_100_characters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reader_service import engines
    from reader_service.models import Article
    from reader_service.pipeline import ReadOptions, render

    responses.post(URL, body=_google_answer(MP3))
    engine, _ = _engine()
    monkeypatch.setitem(engines._instances, "gtts", engine)
    sentence = (
        "Ngày 14/5/2021, Sở Thông tin và Truyền thông ban hành công văn số 904/STTTT-BCVT về"
        " việc tổ chức hoạt động nhân Ngày Viễn thông và Xã hội thông tin thế giới năm 2021."
    )
    rendition = render(Article(title="", paragraphs=(sentence,)), ReadOptions(engine="gtts"))
    sent = [_sent_text(call) for call in responses.calls]
    assert len(sent) > 1 and all(len(text) <= 100 for text in sent)
    assert " ".join(sent).split() == rendition.cues[0].spoken.split()
    assert rendition.engines == ("gtts",)


@contextmanager
def black_hole() -> Iterator[tuple[str, list[int]]]:
    """A loopback server that accepts connections and never answers a byte: Google behind a
    black hole, reached by gTTS's real client through HTTPS_PROXY. Yields (proxy URL, count of
    connections accepted)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    accepted: list[int] = []
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(connection)
            accepted.append(1)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}", accepted
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        server.close()


@pytest.fixture
def google_in_a_black_hole(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    with black_hole() as (proxy, accepted):
        for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.setenv(name, proxy)
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        yield accepted


def test_a_black_hole_costs_one_time_budget_then_the_breaker_answers_at_once(
    google_in_a_black_hole: list[int],
) -> None:
    engine = GttsEngine(tld="com", timeout_s=10.0, budget_s=1.0)
    started = time.monotonic()
    with pytest.raises(EngineUnavailableError):
        engine.synthesize("Xin chào các bạn.", "vi", SynthesisOptions())
    first = time.monotonic() - started
    assert first < 2.5  # the budget (1 s), not 4 tries x 10 s
    assert not engine.available()
    connections = len(google_in_a_black_hole)
    assert connections >= 1  # the real client did reach the black hole
    started = time.monotonic()
    with pytest.raises(EngineUnavailableError, match="tạm ngừng"):
        engine.synthesize("Câu thứ hai.", "vi", SynthesisOptions())
    assert time.monotonic() - started < 0.1
    assert len(google_in_a_black_hole) == connections  # nothing sent while the breaker is open


def test_listeners_get_the_fallback_at_once_and_its_mp3_is_made_once(
    tmp_path: Path,
    google_in_a_black_hole: list[int],
    monkeypatch: pytest.MonkeyPatch,
    tone_engine: ToneEngine,
) -> None:
    from fastapi.testclient import TestClient

    from reader_service import audio, engines
    from reader_service.api import create_app
    from reader_service.settings import Settings

    monkeypatch.setitem(
        engines._instances, "gtts", GttsEngine(tld="com", timeout_s=10.0, budget_s=1.0)
    )
    encoded: list[int] = []
    encode = audio.encode_mp3
    monkeypatch.setattr(audio, "encode_mp3", lambda *a: encoded.append(1) or encode(*a))
    settings = Settings(
        cache_dir=tmp_path / "cache",
        data_dir=tmp_path / "data",
        engine="gtts",
        voice="vi",
        fallback_engines="tone",
    )
    client = TestClient(create_app(settings))
    cues = client.get("/v1/listen", params={"url": "/demo/article"}).json()["cues"]
    started = time.monotonic()
    first = client.get(cues[0]["clip"])
    assert first.status_code == 200 and time.monotonic() - started < 2.5
    started = time.monotonic()
    rest = [client.get(cue["clip"]) for cue in cues[1:]]
    assert all(r.status_code == 200 for r in rest)
    assert time.monotonic() - started < 2.0  # ten more sentences without waiting on Google
    made = len(encoded)
    again = client.get(cues[0]["clip"])
    assert again.content == first.content and len(encoded) == made  # served, not re-encoded


@responses.activate
def test_settings_given_to_the_app_reach_the_gtts_engine(tmp_path: Path) -> None:
    """Not the process's environment: the Settings the app was built with."""
    from fastapi.testclient import TestClient

    from reader_service.api import create_app
    from reader_service.engines import get_engine
    from reader_service.settings import Settings

    responses.post(URL.replace(".com/", ".com.vn/"), body=_google_answer(MP3))
    settings = Settings(
        cache_dir=tmp_path / "cache",
        data_dir=tmp_path / "data",
        engine="gtts",
        voice="vi",
        fallback_engines="",
        gtts_tld="com.vn",
        gtts_timeout_s=3,
    )
    app = create_app(settings)
    client = TestClient(app)
    cues = client.get("/v1/listen", params={"url": "/demo/article"}).json()["cues"]
    assert client.get(cues[0]["clip"]).status_code == 200
    assert responses.calls and all(
        "translate.google.com.vn" in call.request.url for call in responses.calls
    )
    engine = get_engine("gtts", app.state.service.options.engines)
    assert isinstance(engine, GttsEngine) and engine.timeout_s == 3 and engine.tld == "com.vn"
