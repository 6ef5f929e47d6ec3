"""A new listener's first clip and /healthz while players prefetch and a batch runs, side by
side with the same on an idle service (real espeak-ng synthesis, pages served on loopback).

    python benchmarks/listener_priority.py [--prefetch 120] [--batch 50]
"""

from __future__ import annotations

import argparse
import http.server
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

from fastapi.testclient import TestClient

from reader_service.api import create_app
from reader_service.settings import Settings
from reader_service.tenants import TenantRegistry


def _page(n: int) -> str:
    body = "".join(
        f"<p>Bài thứ {n}, đoạn {i}: Ủy ban nhân dân xã {n} tổ chức hội nghị tổng kết công tác "
        f"năm {2000 + i} với {10 + i} đại biểu tham dự.</p>"
        for i in range(12)
    )
    return (
        f"<html lang='vi'><head><title>Thông báo số {n}</title></head><body><article>"
        f"<h1>Thông báo số {n}</h1>{body}</article></body></html>"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefetch", type=int, default=120)
    parser.add_argument("--batch", type=int, default=50)
    args = parser.parse_args()
    # The batch is still running when the figures are taken; it is abandoned at exit.
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as folder:
        root = Path(folder)
        site = root / "site"
        site.mkdir()
        pages = 20 + args.prefetch // 11 + args.batch
        for n in range(pages):
            (site / f"bai-{n}.html").write_text(_page(n), "utf-8")
        handler = type(
            "Quiet",
            (http.server.SimpleHTTPRequestHandler,),
            {
                "__init__": lambda self, *a, **k: http.server.SimpleHTTPRequestHandler.__init__(
                    self, *a, directory=str(site), **k
                ),
                "log_message": lambda self, *a: None,
            },
        )
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        host = base.removeprefix("http://")
        settings = Settings(
            cache_dir=root / "cache",
            data_dir=root / "data",
            allowed_hosts=host,
            allow_loopback=True,
            anonymous_per_minute=100_000,
            anonymous_concurrency=10_000,
            batch_max_urls=1000,
        )
        _, secret = TenantRegistry.from_settings(settings).create_key("so-a", [host])

        def first_clip(client: TestClient, n: int) -> float:
            started = time.perf_counter()
            manifest = client.get("/v1/listen", params={"url": f"{base}/bai-{n}.html"}).json()
            client.get(manifest["cues"][0]["clip"])
            return time.perf_counter() - started

        def healthz(client: TestClient) -> float:
            started = time.perf_counter()
            client.get("/healthz")
            return time.perf_counter() - started

        with TestClient(create_app(settings)) as client:
            first_clip(client, 0)  # warm the engine
            idle = [first_clip(client, n) for n in range(1, 6)]
            idle_health = [healthz(client) for _ in range(10)]
            readers = [
                client.get("/v1/listen", params={"url": f"{base}/bai-{n}.html"}).json()
                for n in range(20, 20 + args.prefetch // 11 + 1)
            ]
            prefetch = [c["clip"] for m in readers for c in m["cues"][1:]][: args.prefetch]
            threads = [threading.Thread(target=client.get, args=(u,)) for u in prefetch]
            start_batch = 20 + args.prefetch // 11 + 1
            urls = [f"{base}/bai-{n}.html" for n in range(start_batch, start_batch + args.batch)]
            client.post(
                "/v1/batches", json={"urls": urls}, headers={"Authorization": f"Bearer {secret}"}
            )
            for thread in threads:
                thread.start()
            time.sleep(0.5)
            busy_health = [healthz(client) for _ in range(10)]
            busy = [first_clip(client, n) for n in range(6, 11)]
            waiting = client.app.state.service.scheduler.waiting  # type: ignore[attr-defined]
            for thread in threads:
                thread.join()
    idle_ms, busy_ms = 1000 * statistics.median(idle), 1000 * statistics.median(busy)
    print(f"first clip of a new article, idle service:  p50 {idle_ms:.0f} ms")
    print(
        f"same with {args.prefetch} prefetched clips and a {args.batch}-page batch running "
        f"({waiting} clips still queued): p50 {busy_ms:.0f} ms -> ratio {busy_ms / idle_ms:.2f}"
    )
    print(
        f"/healthz: idle max {1000 * max(idle_health):.1f} ms, busy max "
        f"{1000 * max(busy_health):.1f} ms"
    )
    os._exit(0)  # the batch's threads are not waited for


if __name__ == "__main__":
    main()
