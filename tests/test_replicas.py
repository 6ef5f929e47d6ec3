"""Replicas that share Redis (issue 14, first part): rate limits counted there hold across
replicas that do not even share a database; /readyz says what a replica cannot reach."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from conftest import wait_until
from reader_service.api import create_app
from reader_service.settings import Settings


def _replica(tmp_path: Path, name: str, **overrides: object) -> TestClient:
    values: dict[str, object] = {
        "cache_dir": tmp_path / name / "cache",
        "data_dir": tmp_path / name / "data",
        "database_url": f"sqlite:///{tmp_path / name / 'meta.db'}",
        "anonymous_concurrency": 1_000,
    }
    (tmp_path / name).mkdir(exist_ok=True)
    return TestClient(create_app(Settings(**(values | overrides))))  # type: ignore[arg-type]


def test_two_replicas_share_the_rate_limit_through_redis(tmp_path: Path, redis_server: str) -> None:
    import redis

    redis.Redis.from_url(redis_server).flushdb()  # the limits' windows start empty
    first = _replica(tmp_path, "a", redis_url=redis_server, anonymous_per_minute=100)
    second = _replica(tmp_path, "b", redis_url=redis_server, anonymous_per_minute=100)
    # Separate databases: only Redis can make the two replicas count together.
    replicas = [TestClient(r.app, client=("203.162.0.10", 40000)) for r in (first, second)]
    body = {"title": "T", "text": "Xin chào."}
    statuses = [replicas[i % 2].post("/v1/preview", json=body).status_code for i in range(150)]
    assert statuses.count(200) == 100 and statuses.count(429) == 50


def test_readyz_names_what_a_replica_cannot_reach(tmp_path: Path, redis_server: str) -> None:
    ready = _replica(tmp_path, "a", redis_url=redis_server).get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "store": "ok", "redis": "ok"}
    dead = _replica(tmp_path, "b", redis_url="redis://127.0.0.1:1/0").get("/readyz")
    assert dead.status_code == 503
    checks = dead.json()["checks"]
    assert checks["database"] == "ok" and checks["redis"] != "ok"
    plain = _replica(tmp_path, "c").get("/readyz")
    assert plain.status_code == 200 and "redis" not in plain.json()["checks"]


def test_a_dead_holders_lock_is_taken_over_after_its_time_to_live(redis_server: str) -> None:
    import time

    import redis

    from reader_service.cluster_lock import ClusterLocks

    client = redis.Redis.from_url(redis_server)
    client.flushdb()
    # A replica killed while holding the lock: its key stays until it expires.
    client.set("reader:lock:clip:x", "999", px=400)
    locks = ClusterLocks(redis_server)
    started = time.monotonic()
    made = locks.run_once("clip:x", lambda: b"mp3", lambda: None)
    waited = time.monotonic() - started
    assert made == b"mp3" and 0.3 < waited < 2.0
    assert client.get("reader:lock:clip:x") is None  # released after the work


def test_a_holder_whose_lock_expired_never_releases_the_next_holders_lock(
    redis_server: str,
) -> None:
    import threading

    import redis

    from reader_service.cluster_lock import ClusterLocks

    client = redis.Redis.from_url(redis_server)
    client.flushdb()
    slow = ClusterLocks(redis_server, ttl_s=0.3)
    fast = ClusterLocks(redis_server, ttl_s=5)
    seen: list[bytes | None] = []

    resume_late = threading.Event()

    def paused_holder() -> bytes:
        assert resume_late.wait(30)  # paused past its lock's time to live
        return b"late"

    worker = threading.Thread(target=lambda: slow.run_once("clip:y", paused_holder, lambda: None))
    worker.start()
    wait_until(lambda: client.exists("reader:lock:clip:y"), "the first holder's lock taken")
    wait_until(lambda: not client.exists("reader:lock:clip:y"), "the first holder's lock expired")
    next_took = threading.Event()
    done = threading.Event()

    def next_holder() -> bytes:
        next_took.set()
        assert done.wait(30)
        seen.append(client.get("reader:lock:clip:y"))  # still ours after the late one finished
        return b"mp3"

    second = threading.Thread(target=lambda: fast.run_once("clip:y", next_holder, lambda: None))
    second.start()
    assert next_took.wait(30)  # the next replica holds the lock now
    resume_late.set()
    worker.join()  # the late holder finishes and "releases"
    done.set()
    second.join()
    assert seen[0] is not None  # the late holder did not delete the next holder's lock
