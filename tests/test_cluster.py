"""Several replicas and workers on real PostgreSQL, Redis and Ceph RGW (S3), each a separate
process on its own port, as an operator runs them (issue 14): clips made once cluster-wide,
locks of dead or paused replicas taken over, rate limits and keys shared, batches that survive
a killed worker."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from conftest import (
    SAMPLE_PAGE,
    QuietFolderHandler,
    replicas,
    running_service,
    serve_folder,
    start_service,
    wait_until,
)
from reader_service.storage.s3 import S3Store


def request(
    url: str, body: Any = None, key: str | None = None, method: str | None = None
) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if data else {}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    call = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(call, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def metric(base: str, name: str) -> float:
    """A counter's value summed over its samples in a replica's /metrics."""
    text = request(f"{base}/metrics")[1].decode()
    return sum(
        float(line.split()[-1])
        for line in text.splitlines()
        if line.startswith(name) and not line.startswith("#")
    )


def test_200_listeners_over_two_replicas_make_each_clip_once(cluster_env: dict[str, str]) -> None:
    """200 listeners spread over two replicas ask for the same new article and all its clips:
    exactly one synthesis per clip cluster-wide, no errors, every clip decodes."""
    from reader_service import audio

    folder = Path(cluster_env["XDG_DATA_HOME"]) / "site"
    folder.mkdir(parents=True)
    (folder / "bai.html").write_bytes(SAMPLE_PAGE.read_bytes())
    with serve_folder(folder) as site, ExitStack() as stack:
        env = cluster_env | {"READER_ALLOWED_HOSTS": site.removeprefix("http://")}
        bases = replicas(stack, env)
        query = urllib.parse.urlencode({"url": f"{site}/bai.html"})

        def listener(i: int) -> list[tuple[int, bytes]]:
            status, body = request(f"{bases[i % 2]}/v1/listen?{query}")
            assert status == 200, body[:300]
            cues = json.loads(body)["cues"]
            # Clips from either replica, as a load balancer spreads them.
            return [request(f"{bases[(i + n) % 2]}{cue['clip']}") for n, cue in enumerate(cues)]

        with ThreadPoolExecutor(32) as pool:
            answers = [a for clips in pool.map(listener, range(200)) for a in clips]
        syntheses = [metric(base, "reader_engine_syntheses_total") for base in bases]
    assert len(answers) == 200 * 11 and all(status == 200 for status, _ in answers)
    assert sum(syntheses) == 11, syntheses  # one per sentence of the article, both replicas
    for data in {body for _, body in answers}:
        assert len(audio.decode(data)) > 0  # every distinct clip decodes


def _clip_lock(redis_url: str, key: str, timeout_s: float = 20) -> bool:
    """Whether some replica took the lock on clip ``key`` within ``timeout_s``."""
    import redis

    client = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if client.exists(f"reader:lock:clip:{key}"):
            return True
        time.sleep(0.0005)
    return False


def _ask(url: str, answers: list[tuple[int, bytes]]) -> None:
    try:
        answers.append(request(url))
    except OSError:  # the replica was killed while it answered
        answers.append((0, b""))


def test_a_dead_or_paused_lock_holder_is_taken_over_and_cannot_overwrite(
    cluster_env: dict[str, str],
) -> None:
    """Replica A is stopped (SIGSTOP) while it holds a clip's lock: B makes the clip after the
    lock's time to live. A, let go again, finishes late and its write is refused by the
    bucket (write-once). Then A is SIGKILLed while holding another clip's lock: B takes over
    after the time to live too."""
    env = cluster_env
    holder_process, holder = start_service(env | {"READER_REPLICA": "a"})
    try:
        with running_service(env | {"READER_REPLICA": "b"}) as other:
            status, body = request(f"{holder}/v1/listen?url=/demo/article")
            assert status == 200
            cues = json.loads(body)["cues"]
            bucket = S3Store(env["READER_STORE_URL"], env["READER_S3_ENDPOINT"], "us-east-1")
            for n, how in ((1, signal.SIGCONT), (2, signal.SIGKILL)):
                clip = cues[n]["clip"]
                key = clip.split("/")[-1].split("?")[0]
                late: list[tuple[int, bytes]] = []
                asking = threading.Thread(target=_ask, args=(holder + clip, late))
                asking.start()
                assert _clip_lock(env["READER_REDIS_URL"], key.removesuffix(".mp3"))
                holder_process.send_signal(signal.SIGSTOP)  # paused, holding the lock
                started = time.monotonic()
                status, made = request(other + clip)
                waited = time.monotonic() - started
                assert status == 200 and bucket.get(key) == made
                assert waited > 1.0  # it waited for the lock to expire (3 s from taking it)
                holder_process.send_signal(how)
                if how == signal.SIGCONT:
                    asking.join(60)
                    assert late and late[0][0] == 200  # the late replica's listener is served
                    assert bucket.get(key) == made  # and the clip B made was not replaced
                else:
                    holder_process.wait(10)
                    asking.join(60)
            assert metric(other, "reader_engine_syntheses_total") >= 2
    finally:
        if holder_process.poll() is None:
            holder_process.kill()
        holder_process.wait(10)


def test_a_late_writer_whose_lock_expired_cannot_replace_the_clip(
    redis_server: str, s3_store_env: dict[str, str]
) -> None:
    """The storage-side fence: a holder paused past its lock's time to live, after making its
    clip and before writing it, comes back after the next holder wrote the clip: the bucket
    refuses its write-once PUT, and listeners keep getting the next holder's clip."""
    import redis

    from reader_service.cluster_lock import ClusterLocks

    redis.Redis.from_url(redis_server).flushdb()
    env = s3_store_env
    late_store = S3Store(env["READER_STORE_URL"], env["READER_S3_ENDPOINT"], "us-east-1")
    next_store = S3Store(env["READER_STORE_URL"], env["READER_S3_ENDPOINT"], "us-east-1")

    next_wrote = threading.Event()

    def paused_holder() -> bytes:
        # Made its clip, then paused (GC, swap, SIGSTOP) past the TTL, until the next wrote.
        assert next_wrote.wait(30)
        late_store.put("c0ffee.mp3", b"late bytes")
        return b"late bytes"

    late = threading.Thread(
        target=lambda: ClusterLocks(redis_server, ttl_s=0.3).run_once(
            "clip:c0ffee", paused_holder, lambda: None
        )
    )
    late.start()
    client = redis.Redis.from_url(redis_server)
    wait_until(lambda: client.exists("reader:lock:clip:c0ffee"), "the late holder's lock taken")
    wait_until(lambda: not client.exists("reader:lock:clip:c0ffee"), "its lock expired")

    def next_holder() -> bytes:
        next_store.put("c0ffee.mp3", b"the clip")
        return b"the clip"

    made = ClusterLocks(redis_server, ttl_s=5).run_once(
        "clip:c0ffee", next_holder, lambda: next_store.get("c0ffee.mp3")
    )
    next_wrote.set()
    late.join()
    assert made == b"the clip" and next_store.get("c0ffee.mp3") == b"the clip"
    assert late_store.write_refusals == 1 and next_store.write_refusals == 0


def test_rate_limits_and_keys_hold_across_replica_processes(cluster_env: dict[str, str]) -> None:
    env = cluster_env | {"READER_ANONYMOUS_PER_MINUTE": "100"}
    with ExitStack() as stack:
        bases = replicas(stack, env)
        body = {"title": "T", "text": "Xin chào."}
        with ThreadPoolExecutor(16) as pool:
            statuses = list(
                pool.map(lambda i: request(f"{bases[i % 2]}/v1/preview", body)[0], range(150))
            )
        assert statuses.count(200) == 100 and statuses.count(429) == 50
        # A key made on replica A's machine (the CLI, on the shared database) works on B at
        # once; revoked there, B refuses it at once.
        created = subprocess.run(
            [sys.executable, "-m", "reader_service", "keys", "create", "--tenant", "so-a"]
            + ["--host", "a.gov.vn"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        key_id = created.stdout.split()[1]
        secret = created.stdout.strip().splitlines()[-1]
        article = {"title": "Tin", "text": "Xin chào bà con."}
        for base in bases:
            assert request(f"{base}/v1/articles", article, key=secret)[0] == 201
        subprocess.run(
            [sys.executable, "-m", "reader_service", "keys", "revoke", key_id],
            env=env,
            check=True,
            capture_output=True,
        )
        for base in bases:
            assert request(f"{base}/v1/articles", article, key=secret)[0] == 401


def _article_page(number: int) -> str:
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Tin số {number} - Cổng thông tin</title></head><body>
<nav><a href="/">Trang chủ</a> <a href="/tin">Tin tức</a></nav><main><article>
<h1>Hội nghị số {number} về chuyển đổi số của tỉnh</h1><p>Ngày 5/12/2026</p>
<p>Sáng nay, Ủy ban nhân dân tỉnh tổ chức hội nghị lần thứ {number} về chuyển đổi số, với sự
tham dự của đại diện các sở, ngành và địa phương trong tỉnh.</p>
<p>Tại hội nghị, các đại biểu đã thảo luận về kết quả đạt được trong năm và đề ra nhiệm vụ
trọng tâm cho năm tới, trong đó chú trọng dịch vụ công trực tuyến.</p>
</article></main><footer>Bản quyền thuộc về Cổng thông tin điện tử tỉnh.</footer></body></html>"""


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "reader_service", "worker", "--threads", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _batch(base: str, batch_id: str, key: str) -> dict[str, Any]:
    status, body = request(f"{base}/v1/batches/{batch_id}", key=key)
    assert status == 200, body[:300]
    result: dict[str, Any] = json.loads(body)
    return result


def test_a_batch_survives_a_killed_worker(tmp_path: Path, cluster_env: dict[str, str]) -> None:
    """A 30-URL batch submitted to replica A; its worker SIGKILLed mid-batch; a second worker
    finishes it; progress and results read through B; no URL made twice beyond the messages
    the killed worker held."""
    folder = tmp_path / "site"
    folder.mkdir()
    for number in range(30):
        (folder / f"tin-{number}.html").write_text(_article_page(number), "utf-8")
    fetched: Counter[str] = Counter()
    in_flight: list[str] = []
    seventh_fetch = threading.Event()

    class SlowCountingSite(QuietFolderHandler):
        def do_GET(self) -> None:  # noqa: N802
            fetched[self.path] += 1
            if sum(fetched.values()) == 7:
                in_flight.append(self.path)
                seventh_fetch.set()
            time.sleep(0.3)  # a portal's page takes a while
            super().do_GET()

    with serve_folder(folder, SlowCountingSite) as site, ExitStack() as stack:
        env = cluster_env
        first, second = replicas(stack, env)
        created = subprocess.run(
            [sys.executable, "-m", "reader_service", "keys", "create", "--tenant", "so-b"]
            + ["--host", site.removeprefix("http://")],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        key = created.stdout.strip().splitlines()[-1]
        urls = [f"{site}/tin-{number}.html" for number in range(30)]
        status, body = request(f"{first}/v1/batches", {"urls": urls}, key=key)
        assert status == 202, body[:300]
        batch_id = json.loads(body)["id"]
        doomed = _worker(env)
        try:  # killed while it is fetching its seventh page: that URL is in flight
            assert seventh_fetch.wait(120) and doomed.poll() is None
        finally:
            doomed.send_signal(signal.SIGKILL)
            doomed.wait(10)
        assert 0 < _batch(second, batch_id, key)["done"] < 30  # killed mid-batch
        rescuer = _worker(env)
        try:
            deadline = time.monotonic() + 180
            while (state := _batch(second, batch_id, key))["status"] != "done":
                assert time.monotonic() < deadline, state
                time.sleep(0.2)
        finally:
            rescuer.terminate()
            rescuer.wait(30)
    assert state["total"] == 30 and state["done"] == 30 and state["error"] is None
    assert sorted(result["url"] for result in state["results"]) == sorted(urls)
    assert all(result["status"] in ("made", "unchanged") for result in state["results"])
    assert set(fetched) == {f"/tin-{number}.html" for number in range(30)}
    twice = [path for path, count in fetched.items() if count > 1]
    # Only the messages the killed worker held (2 threads, 2 prefetched) went round again.
    assert in_flight[0] in twice  # the killed worker's URL was redelivered and made
    assert len(twice) <= 4, fetched
