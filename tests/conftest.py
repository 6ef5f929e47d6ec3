from __future__ import annotations

import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest

# A normalisation rule that raises fails the test that met it (the service logs and goes on;
# tests that only check "no crash" would pass by construction). Inherited by the commands and
# servers the tests start.
os.environ["READER_NORMALIZE_STRICT"] = "1"
from servers import launch
from servers.launch import (
    S3_CREDENTIALS,
    free_port,
    fresh_bucket,
    fresh_postgres_database,
    running_service,
    start_service,
)

from reader_service.engines.base import EngineInfo
from reader_service.models import Clip, SynthesisOptions
from reader_service.settings import get_settings

# Helpers the test modules import from here (they live in servers.launch).
__all__ = [
    "S3_CREDENTIALS",
    "fresh_bucket",
    "fresh_postgres_database",
    "free_port",
    "start_service",
]

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_PAGE = Path(__file__).parent.parent / "reader_service" / "samples" / "portal-article.html"


@pytest.fixture(autouse=True)
def _settings_read_per_test() -> Iterator[None]:
    """Commands invoked in-process read READER_* as each test set them, not as an earlier
    test left them (get_settings reads the environment once per process)."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


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
        # A 500 Hz square wave: audible through MP3's low-pass, unlike a tone at Nyquist.
        pcm = ((b"\x00\x10" * 8 + b"\x00\xf0" * 8) * (samples // 16 + 1))[: samples * 2]
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
def serve_pages(pages: dict[str, str]) -> Iterator[int]:
    """A local HTTP server of ``pages`` (path -> HTML, read at each request, so a test may
    write them once it knows other addresses) on 127.0.0.1: its port."""

    class Pages(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            body = pages.get(self.path.split("?")[0])
            if body is None:
                self.send_error(404)
                return
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


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


def wait_until(condition: Callable[[], object], what: str, timeout_s: float = 30.0) -> None:
    """Wait for a state to be reached (checked every few milliseconds), rather than sleeping
    for a window and hoping threads got there; fails, saying what, after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not reached in {timeout_s:g} s: {what}")
        time.sleep(0.005)


def run_then_kill(script: str, args: list[str], when: Callable[[], object], what: str) -> None:
    """Runs ``python -c script args`` (tests/ importable), waits for it to print "started",
    lets it work until ``when()`` holds and SIGKILLs it: a crash mid-work, nothing cleaned
    up."""
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
        wait_until(lambda: when() or process.poll() is not None, what, timeout_s=120)
        assert process.poll() is None, f"finished before it could be killed ({what})"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()


# --- the metadata database: SQLite by default, a real PostgreSQL on request ------------------

POSTGRES_REQUIRED = os.environ.get("READER_REQUIRE_POSTGRES") == "1"


def _server(start: Callable[[], AbstractContextManager[str]], required: bool) -> Iterator[str]:
    """A real server for a fixture: skipped where not installed (failed where ``required``,
    as CI requires), failed where it does not start."""
    try:
        with start() as address:
            yield address
    except launch.NotInstalled as exc:
        if required:
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    except launch.DidNotStart as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL (Debian's package) on a free loopback port, for this test
    session: its base URL (without a database name). Fails rather than skips where
    READER_REQUIRE_POSTGRES=1 (CI)."""
    yield from _server(launch.postgres, POSTGRES_REQUIRED)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test that takes this runs on both databases."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'meta.db'}"
    return fresh_postgres_database(request.getfixturevalue("postgres_server"))


@pytest.fixture(autouse=True)
def _suite_database(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """READER_TEST_DATABASE=postgresql runs the whole suite on PostgreSQL: every Settings built
    in a test (and every child process that inherits the environment) uses a fresh database."""
    if os.environ.get("READER_TEST_DATABASE") != "postgresql":
        return
    if "database_url" in request.fixturenames:
        return  # the test chooses for itself
    server = request.getfixturevalue("postgres_server")
    monkeypatch.setenv("READER_DATABASE_URL", fresh_postgres_database(server))


REDIS_REQUIRED = os.environ.get("READER_REQUIRE_REDIS") == "1"


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    """A throwaway Redis (Debian's redis-server) on a free loopback port, nothing kept on disk:
    its URL. Fails rather than skips where READER_REQUIRE_REDIS=1 (CI)."""
    yield from _server(launch.redis_server, REDIS_REQUIRED)


S3_REQUIRED = os.environ.get("READER_REQUIRE_S3") == "1"


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """A one-node Ceph with its S3 gateway (Debian's ceph-mon, ceph-osd, radosgw), data in RAM,
    started once per test session (about 12 s): its endpoint URL. Fails rather than skips where
    READER_REQUIRE_S3=1 (CI)."""
    yield from _server(launch.ceph_rgw, S3_REQUIRED)


@pytest.fixture
def s3_store_env(s3_server: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """READER_* and AWS_* variables of a fresh bucket on the session's S3 server (also set in
    this process's environment, where settings and clients read them)."""
    env = {
        **S3_CREDENTIALS,
        "READER_STORE_URL": f"s3://{fresh_bucket(s3_server)}/clips",
        "READER_S3_ENDPOINT": s3_server,
        "READER_S3_REGION": "us-east-1",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.fixture
def cluster_env(
    tmp_path: Path,
    postgres_server: str,
    redis_server: str,
    s3_store_env: dict[str, str],
) -> dict[str, str]:
    """The settings every replica and worker of one test's cluster shares: a fresh PostgreSQL
    database, an empty Redis, a fresh bucket."""
    import redis

    redis.Redis.from_url(redis_server).flushdb()
    return {
        **os.environ,
        **s3_store_env,
        "READER_DATABASE_URL": fresh_postgres_database(postgres_server),
        "READER_REDIS_URL": redis_server,
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "READER_ALLOW_LOOPBACK": "true",
        "READER_ANONYMOUS_PER_MINUTE": "100000",
        "READER_ANONYMOUS_CONCURRENCY": "1000",
        # Short enough for a test to see a dead replica or worker replaced.
        "READER_CLIP_LOCK_TTL_S": "3",
        "READER_QUEUE_HEARTBEAT_S": "2",
    }


def replicas(stack: ExitStack, env: dict[str, str], names: str = "ab") -> list[str]:
    return [stack.enter_context(running_service(env | {"READER_REPLICA": name})) for name in names]
