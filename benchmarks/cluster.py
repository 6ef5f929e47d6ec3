"""One replica versus two on the same machine, side by side in one run, sharing real PostgreSQL,
Redis and Ceph RGW (S3), with one batch worker beside them; then nginx (deploy/nginx.conf)
serving a cached clip versus nginx serving the same file from disk.

For each cluster size, on articles it has never seen:
  - first-clip latency: a listener asks for the manifest, then the first clip (p50, p99);
  - syntheses per clip: every clip of every article asked for by three listeners over the
    replicas; clips synthesised cluster-wide / distinct clips (must be 1.00);
  - manifest requests/s: listeners asking for articles already read, spread over the replicas.

    python benchmarks/cluster.py [--seconds 10] [--articles 24] [--listeners 8]

Needs Debian's postgresql, redis-server, ceph-mon ceph-osd radosgw ceph-common and nginx (what
.ci/run installs), and wrk for the nginx figures (`apt-get install wrk`: a measuring tool, not
a dependency; without it a slower Python client is used and the ratio says so).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
from servers import launch  # noqa: E402

ARTICLE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Tin số {n} - Cổng thông tin</title></head><body>
<nav><a href="/">Trang chủ</a> <a href="/tin">Tin tức</a></nav><main><article>
<h1>Hội nghị lần thứ {n} về chuyển đổi số của tỉnh năm {year}</h1><p>Ngày 5/12/2026</p>
<p>Sáng nay, Ủy ban nhân dân tỉnh tổ chức hội nghị lần thứ {n} về chuyển đổi số, với sự
tham dự của {n} đại biểu đến từ các sở, ngành và địa phương trong tỉnh.</p>
<p>Tại hội nghị số {n}, các đại biểu đã thảo luận về kết quả đạt được trong năm {year} và đề ra
nhiệm vụ trọng tâm cho năm tới, trong đó chú trọng dịch vụ công trực tuyến.</p>
<p>Phát biểu kết luận, đồng chí Chủ tịch tỉnh đề nghị các đơn vị triển khai quyết liệt các
giải pháp đã đề ra, hoàn thành {n} nhiệm vụ trước ngày 31/12/{year}.</p>
</article></main><footer>Bản quyền thuộc về Cổng thông tin điện tử tỉnh.</footer></body></html>"""


def get(base: str, path: str) -> tuple[int, bytes]:
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def syntheses(base: str) -> float:
    text = get(base, "/metrics")[1].decode()
    return sum(
        float(line.split()[-1])
        for line in text.splitlines()
        if line.startswith("reader_engine_syntheses_total")
    )


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def listen_path(site: str, n: int) -> str:
    return "/v1/listen?" + urllib.parse.urlencode({"url": f"{site}/tin-{n}.html"})


def new_articles(
    bases: list[str], site: str, numbers: list[int], listeners: int
) -> tuple[list[float], int, float]:
    """First-clip latencies of new articles, distinct clips, and syntheses per clip."""
    latencies: list[float] = []
    clips: set[str] = set()
    lock = threading.Lock()

    def listener(i: int) -> None:
        n = numbers[i]
        started = time.perf_counter()
        status, body = get(bases[i % len(bases)], listen_path(site, n))
        assert status == 200, body[:300]
        cues = json.loads(body)["cues"]
        status, _ = get(bases[(i + 1) % len(bases)], cues[0]["clip"])
        assert status == 200
        elapsed = time.perf_counter() - started
        # Three listeners play the whole article, from whichever replica answers.
        for who in range(3):
            for k, cue in enumerate(cues):
                assert get(bases[(i + who + k) % len(bases)], cue["clip"])[0] == 200
        with lock:
            latencies.append(elapsed)
            clips.update(cue["clip"].split("?")[0] for cue in cues)

    with ThreadPoolExecutor(listeners) as pool:
        list(pool.map(listener, range(len(numbers))))
    made = sum(syntheses(base) for base in bases)
    return latencies, len(clips), made / len(clips)


def manifest_rate(bases: list[str], site: str, numbers: list[int], seconds: float) -> float:
    """Manifests answered per second by 16 keep-alive clients spread over the replicas."""
    stop = time.monotonic() + seconds
    counts = [0] * 16

    def client(i: int) -> None:
        parts = urllib.parse.urlsplit(bases[i % len(bases)])
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        j = i
        while time.monotonic() < stop:
            connection.request("GET", listen_path(site, numbers[j % len(numbers)]))
            response = connection.getresponse()
            response.read()
            assert response.status == 200
            counts[i] += 1
            j += 1
        connection.close()

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(client, range(16)))
    return sum(counts) / seconds


def wrk_rate(url: str, seconds: float) -> float:
    if shutil.which("wrk") is None:
        return python_rate(url, seconds)
    output = subprocess.run(
        ["wrk", "-t1", "-c32", f"-d{int(seconds)}s", url], capture_output=True, text=True
    ).stdout
    return float(next(x for x in output.splitlines() if "Requests/sec" in x).split()[-1])


def python_rate(url: str, seconds: float) -> float:
    parts = urllib.parse.urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    stop = time.monotonic() + seconds
    counts = [0] * 8

    def client(i: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port)
        while time.monotonic() < stop:
            connection.request("GET", path)
            connection.getresponse().read()
            counts[i] += 1

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(client, range(8)))
    return sum(counts) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--articles", type=int, default=24)
    parser.add_argument("--listeners", type=int, default=8)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="reader-cluster-bench-"))
    site_folder = work / "site"
    site_folder.mkdir()
    for n in range(2 * args.articles):
        page = ARTICLE.format(n=n + 1, year=2000 + n)
        (site_folder / f"tin-{n}.html").write_text(page, "utf-8")
    # The portal in a process of its own: in this one it would share the interpreter's lock
    # with the load generator.
    site_port = launch.free_port()
    site_server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(site_port), "--bind", "127.0.0.1"]
        + ["--directory", str(site_folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    site = f"http://127.0.0.1:{site_port}"
    for _ in range(100):
        try:
            get(site, "/tin-0.html")
            break
        except OSError:
            time.sleep(0.05)
    results: dict[int, dict[str, float]] = {}
    print(f"machine: {os.cpu_count()} cores; {args.articles} new articles per cluster size")
    with ExitStack() as servers:
        database = servers.enter_context(launch.postgres())
        redis_url = servers.enter_context(launch.redis_server())
        s3 = servers.enter_context(launch.ceph_rgw())
        for size in (1, 2):
            import redis

            redis.Redis.from_url(redis_url).flushdb()
            env = {
                **os.environ,
                **launch.S3_CREDENTIALS,
                "READER_STORE_URL": f"s3://{launch.fresh_bucket(s3)}/clips",
                "READER_S3_ENDPOINT": s3,
                "READER_S3_REGION": "us-east-1",
                "READER_DATABASE_URL": launch.fresh_postgres_database(database),
                "READER_REDIS_URL": redis_url,
                "XDG_CACHE_HOME": str(work / f"cache{size}"),
                "XDG_DATA_HOME": str(work / f"data{size}"),
                "READER_ALLOWED_HOSTS": site.removeprefix("http://"),
                "READER_ALLOW_LOOPBACK": "true",
                "READER_ANONYMOUS_PER_MINUTE": "10000000",
                "READER_ANONYMOUS_CONCURRENCY": "10000",
            }
            numbers = list(range((size - 1) * args.articles, size * args.articles))
            with ExitStack() as cluster:
                bases = [
                    cluster.enter_context(launch.running_service(env | {"READER_REPLICA": r}))
                    for r in "ab"[:size]
                ]
                worker = subprocess.Popen(
                    [sys.executable, "-m", "reader_service", "worker"],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                cluster.callback(worker.wait, 30)
                cluster.callback(worker.terminate)
                latencies, clips, per_clip = new_articles(bases, site, numbers, args.listeners)
                rate = manifest_rate(bases, site, numbers, args.seconds)
                results[size] = {
                    "p50": quantile(latencies, 0.5),
                    "p99": quantile(latencies, 0.99),
                    "clips": clips,
                    "per_clip": per_clip,
                    "manifests": rate,
                }
                if size == 2:
                    results[0] = nginx_figures(bases, work, args.seconds)
    one, two = results[1], results[2]
    print(f"{'':34}{'1 replica':>12}{'2 replicas':>12}{'ratio 2/1':>11}")
    for label, key, scale, unit in (
        ("manifests (cached) per second", "manifests", 1, ""),
        ("first clip of a new article p50", "p50", 1000, " ms"),
        ("first clip of a new article p99", "p99", 1000, " ms"),
        ("syntheses per clip", "per_clip", 1, ""),
    ):
        a, b = one[key] * scale, two[key] * scale
        print(f"{label:34}{a:>9.2f}{unit:<3}{b:>9.2f}{unit:<3}{b / a:>8.2f}")
    print(f"distinct clips: {one['clips']:.0f} and {two['clips']:.0f}")
    nginx = results[0]
    print(
        f"cached clip ({nginx['size'] / 1000:.1f} kB): nginx from its cache "
        f"{nginx['cached']:,.0f} req/s, nginx from a file on disk {nginx['disk']:,.0f} req/s, "
        f"ratio {nginx['cached'] / nginx['disk']:.2f}"
        + ("" if shutil.which("wrk") else " (Python client: install wrk for real figures)")
    )
    site_server.terminate()
    shutil.rmtree(work, ignore_errors=True)


def nginx_figures(bases: list[str], work: Path, seconds: float) -> dict[str, float]:
    """A clip through nginx's cache versus the same bytes as a file nginx serves from disk."""
    status, body = get(bases[0], "/v1/listen?url=/demo/article")
    assert status == 200
    cues = json.loads(body)["cues"]
    clip = sorted(cues, key=lambda cue: len(cue["spoken"]))[len(cues) // 2]["clip"]
    status, data = get(bases[0], clip)
    assert status == 200
    www = work / "www"
    www.mkdir()
    os.chmod(work, 0o755)
    os.chmod(www, 0o755)
    (www / "clip.mp3").write_bytes(data)
    os.chmod(www / "clip.mp3", 0o644)
    disk_port = launch.free_port()
    disk_server = f"\n    server {{ listen 127.0.0.1:{disk_port}; root {www}; }}"
    with launch.deployed_nginx(bases, extra_server=disk_server) as proxy:
        for _ in range(2):  # fill the cache
            get(proxy, clip)
        cached = max(wrk_rate(proxy + clip, seconds) for _ in range(2))
        disk = max(wrk_rate(f"http://127.0.0.1:{disk_port}/clip.mp3", seconds) for _ in range(2))
    return {"cached": cached, "disk": disk, "size": len(data)}


if __name__ == "__main__":
    main()
