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
from contextlib import ExitStack, contextmanager
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


# --- the metadata database: SQLite by default, a real PostgreSQL on request ------------------

POSTGRES_REQUIRED = os.environ.get("READER_REQUIRE_POSTGRES") == "1"


def _postgres_bin() -> Path | None:
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / "initdb").is_file():
            return folder
    return None


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A throwaway PostgreSQL (Debian's package) on a free loopback port, for this test
    session: its base URL (without a database name). Fails rather than skips where
    READER_REQUIRE_POSTGRES=1 (CI)."""
    import pwd
    import shutil

    binaries = _postgres_bin()
    if binaries is None:
        reason = "PostgreSQL not installed (Debian package postgresql)"
        if POSTGRES_REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)
    import tempfile

    # Not under pytest's own temporary folder: that is private to root, and the server runs
    # as the postgres user.
    folder = Path(tempfile.mkdtemp(prefix="reader-postgres-"))
    data = folder / "data"
    port = free_port()
    # PostgreSQL refuses to run as root: as root, run it as the package's postgres user.
    prefix: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    run = [*prefix, str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"]
    initdb = subprocess.run(run, capture_output=True, text=True)
    if initdb.returncode != 0:
        pytest.fail(f"initdb failed: {initdb.stderr[-2000:]}")
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
    )
    start = [*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-o", options]
    started = subprocess.run(
        [*start, "-l", str(folder / "log"), "-w", "start"], capture_output=True, text=True
    )
    if started.returncode != 0:
        log_text = (folder / "log").read_text() if (folder / "log").exists() else ""
        pytest.fail(f"PostgreSQL did not start: {started.stderr} {log_text[-2000:]}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


_databases = iter(range(1, 1_000_000))


def fresh_postgres_database(server: str) -> str:
    """A new, empty database on ``server``: its URL."""
    import psycopg

    name = f"t{os.getpid()}_{next(_databases)}"
    plain = server.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"


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


def start_service(env: dict[str, str], *arguments: str) -> tuple[subprocess.Popen[bytes], str]:
    """`reader-service serve` in a child process on a free loopback port, with ``env``: the
    process and its base URL once /healthz answers (the caller stops it)."""
    import urllib.request

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "reader_service", "serve", "--port", str(port), *arguments],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)
            break
        except OSError as exc:
            if process.poll() is not None:
                message = f"reader-service serve exited with {process.returncode}"
                raise RuntimeError(message) from exc
            time.sleep(0.1)
    return process, base


@contextmanager
def running_service(env: dict[str, str], *arguments: str) -> Iterator[str]:
    """`reader-service serve` in a child process (see start_service): its base URL; stopped
    at the end."""
    process, base = start_service(env, *arguments)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


REDIS_REQUIRED = os.environ.get("READER_REQUIRE_REDIS") == "1"


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    """A throwaway Redis (Debian's redis-server) on a free loopback port, nothing kept on disk:
    its URL. Fails rather than skips where READER_REQUIRE_REDIS=1 (CI)."""
    import shutil
    import tempfile

    binary = shutil.which("redis-server")
    if binary is None:
        reason = "Redis not installed (Debian package redis-server)"
        if REDIS_REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)
    folder = Path(tempfile.mkdtemp(prefix="reader-redis-"))
    port = free_port()
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    import redis

    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    else:
        process.kill()
        pytest.fail("Redis did not start")
    client.close()
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def free_port() -> int:
    """A loopback TCP port nobody listens on now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


S3_REQUIRED = os.environ.get("READER_REQUIRE_S3") == "1"
SERVER_SCRIPTS = Path(__file__).parent / "servers"
# The credentials the throwaway Ceph's S3 user is created with (start-ceph-rgw.sh).
S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testkey", "AWS_SECRET_ACCESS_KEY": "testsecret"}


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """A one-node Ceph with its S3 gateway (Debian's ceph-mon, ceph-osd, radosgw), data in RAM,
    started once per test session (about 12 s): its endpoint URL. Fails rather than skips where
    READER_REQUIRE_S3=1 (CI)."""
    import shutil
    import tempfile

    if shutil.which("radosgw") is None or shutil.which("ceph-mon") is None:
        reason = "Ceph not installed (Debian packages ceph-mon ceph-osd radosgw ceph-common)"
        if S3_REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)
    folder = tempfile.mkdtemp(prefix="reader-ceph-")
    env = {
        **os.environ,
        "CEPH_DIR": folder,
        "RGW_PORT": str(free_port()),
        "MON_PORT": str(free_port()),
    }
    started = subprocess.run(
        ["bash", str(SERVER_SCRIPTS / "start-ceph-rgw.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if started.returncode != 0:
        subprocess.run(["bash", str(SERVER_SCRIPTS / "stop-ceph-rgw.sh")], env=env)
        pytest.fail(f"Ceph RGW did not start: {started.stderr[-2000:]}")
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(["bash", str(SERVER_SCRIPTS / "stop-ceph-rgw.sh")], env=env, timeout=60)


_buckets = iter(range(1, 1_000_000))


def fresh_bucket(endpoint: str) -> str:
    """A new, empty bucket on the S3 server at ``endpoint``: its name."""
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=S3_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        config=Config(s3={"addressing_style": "path"}),
    )
    name = f"t{os.getpid()}-{next(_buckets)}"
    client.create_bucket(Bucket=name)
    return name


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
