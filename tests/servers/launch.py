"""Throwaway real servers from Debian's packages on loopback ports, for the tests (through
conftest's fixtures) and the benchmarks: PostgreSQL, Redis, a one-node Ceph with its S3
gateway, nginx running deploy/nginx.conf, and `reader-service serve` itself.

Each is a context manager yielding its address. A server that is not installed raises
``NotInstalled`` (the tests skip, or fail where CI requires it); one that does not start raises
``DidNotStart`` with the end of its log.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

SCRIPTS = Path(__file__).parent
DEPLOYED_NGINX = Path(__file__).parents[2] / "deploy" / "nginx.conf"
# The credentials start-ceph-rgw.sh gives its S3 user.
S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testkey", "AWS_SECRET_ACCESS_KEY": "testsecret"}


class NotInstalled(Exception):
    pass


class DidNotStart(Exception):
    pass


def free_port() -> int:
    """A loopback TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _postgres_bin() -> Path | None:
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / "initdb").is_file():
            return folder
    return None


@contextmanager
def postgres() -> Iterator[str]:
    """PostgreSQL in a temporary folder, no durability: its URL without a database name."""
    import pwd

    binaries = _postgres_bin()
    if binaries is None:
        raise NotInstalled("PostgreSQL not installed (Debian package postgresql)")
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
        raise DidNotStart(f"initdb failed: {initdb.stderr[-2000:]}")
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
    )
    start = [*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-o", options]
    started = subprocess.run(
        [*start, "-l", str(folder / "log"), "-w", "start"], capture_output=True, text=True
    )
    try:
        if started.returncode != 0:
            log_text = (folder / "log").read_text() if (folder / "log").exists() else ""
            raise DidNotStart(f"PostgreSQL did not start: {started.stderr} {log_text[-2000:]}")
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


@contextmanager
def redis_server() -> Iterator[str]:
    """Redis keeping nothing on disk: its URL."""
    import redis

    binary = shutil.which("redis-server")
    if binary is None:
        raise NotInstalled("Redis not installed (Debian package redis-server)")
    folder = Path(tempfile.mkdtemp(prefix="reader-redis-"))
    port = free_port()
    arguments = ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(
        [binary, *arguments, "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        else:
            raise DidNotStart("Redis did not start")
        client.close()
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def ceph_rgw() -> Iterator[str]:
    """A one-node Ceph (data in RAM) with its S3 gateway, about 12 s to start: the endpoint."""
    if shutil.which("radosgw") is None or shutil.which("ceph-mon") is None:
        raise NotInstalled(
            "Ceph not installed (Debian packages ceph-mon ceph-osd radosgw ceph-common)"
        )
    env = {
        **os.environ,
        "CEPH_DIR": tempfile.mkdtemp(prefix="reader-ceph-"),
        "RGW_PORT": str(free_port()),
        "MON_PORT": str(free_port()),
    }
    stop = ["bash", str(SCRIPTS / "stop-ceph-rgw.sh")]
    try:
        started = subprocess.run(
            ["bash", str(SCRIPTS / "start-ceph-rgw.sh")],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        if started.returncode != 0:
            raise DidNotStart(f"Ceph RGW did not start: {started.stderr[-2000:]}")
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(stop, env=env, timeout=60, capture_output=True)


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


def _wait_for_health(
    base: str, process: subprocess.Popen[bytes], why_not: Callable[[], str], seconds: float = 30
) -> None:
    """Until ``base``/healthz answers; DidNotStart (with ``why_not()``) if the process exits."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)
            return
        except OSError as exc:
            if process.poll() is not None:
                raise DidNotStart(why_not()) from exc
            time.sleep(0.05)


def start_service(env: dict[str, str], *arguments: str) -> tuple[subprocess.Popen[bytes], str]:
    """`reader-service serve` in a child process on a free loopback port, with ``env``: the
    process and its base URL once /healthz answers (the caller stops it)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "reader_service", "serve", "--port", str(port), *arguments],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    _wait_for_health(
        base, process, lambda: f"reader-service serve exited with {process.returncode}"
    )
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


def nginx_binary() -> str:
    # Debian puts it in /usr/sbin, which a non-root PATH may lack.
    binary = shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin")
    if binary is None:
        raise NotInstalled("nginx not installed (Debian package nginx)")
    return binary


def _replace_once(text: str, old: str, new: str) -> str:
    if text.count(old) != 1:
        raise AssertionError(f"deploy/nginx.conf no longer has {old!r} once")
    return text.replace(old, new)


@contextmanager
def deployed_nginx(upstreams: list[str], extra_server: str = "") -> Iterator[str]:
    """deploy/nginx.conf with these replicas, a free port and a temporary cache folder put in
    place of its addresses (and ``extra_server``, a server block benchmarks add): its base
    URL."""
    folder = Path(tempfile.mkdtemp(prefix="reader-nginx-"))
    # As root, nginx's workers run as nobody: they must reach and write the cache folder.
    os.chmod(folder, 0o755)
    (folder / "cache").mkdir()
    os.chmod(folder / "cache", 0o777)
    port = free_port()
    text = DEPLOYED_NGINX.read_text("utf-8")
    text = _replace_once(text, "pid /var/run/nginx.pid;", f"pid {folder}/nginx.pid;")
    text = text.replace("/var/cache/nginx/", f"{folder}/cache/")
    text = _replace_once(text, "listen 8080;", f"listen 127.0.0.1:{port};")
    servers = "".join(
        f"        server {upstream.removeprefix('http://')} max_fails=3 fail_timeout=10s;\n"
        for upstream in upstreams
    )
    text = _replace_once(
        text,
        "        server replica-a:8000 max_fails=3 fail_timeout=10s;\n"
        "        server replica-b:8000 max_fails=3 fail_timeout=10s;\n",
        servers,
    )
    if extra_server:
        text = text.rstrip().removesuffix("}") + extra_server + "\n}\n"
    conf = folder / "nginx.conf"
    conf.write_text(text, "utf-8")
    log = (folder / "error.log").open("wb")
    process = subprocess.Popen(
        [nginx_binary(), "-p", str(folder), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(
            base,
            process,
            lambda: (
                "nginx did not start: " + (folder / "error.log").read_text(errors="replace")[-2000:]
            ),
        )
        yield base
    finally:
        process.terminate()
        process.wait(10)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)
