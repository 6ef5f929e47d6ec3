"""The anonymous preview amplifier of issue 12 (item 6), measured side by side in one run.

A 1.8 MB ``{url, html}`` body of 50,000 paragraphs sent to ``POST /v1/preview``, 20 at once from
one address, against the service as configured by default (the tag count refuses it before
parsing) and against the same service with the tag limit lifted (the old path: parse, extract,
then the text-length check). Each configuration runs in its own fresh process so their resident
memory does not mix; the figures are CPU seconds, wall seconds and peak / after resident memory.

    python benchmarks/abuse_preview.py [--clients 20]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

_PROBE = "<html><body>" + "<p>Đoạn văn số.</p>" * 50_000 + "</body></html>"


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run(clients: int, max_page_tags: int) -> dict[str, float]:
    from fastapi.testclient import TestClient

    from reader_service.api import create_app
    from reader_service.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            cache_dir=Path(folder) / "c",
            data_dir=Path(folder) / "d",
            max_page_tags=max_page_tags,
            anonymous_concurrency=clients,  # the probe stayed within one address's limits
            anonymous_per_minute=600,
        )
        client = TestClient(create_app(settings))
        body = json.dumps({"url": "https://x.example.vn/a", "html": _PROBE})
        statuses: list[int] = []
        peak = [_rss_mb()]
        before = peak[0]
        done = threading.Event()

        def watch() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _rss_mb())
                time.sleep(0.02)

        def probe() -> None:
            response = client.post(
                "/v1/preview", content=body, headers={"content-type": "application/json"}
            )
            statuses.append(response.status_code)

        watcher = threading.Thread(target=watch)
        watcher.start()
        cpu = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        threads = [threading.Thread(target=probe) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        after_cpu = resource.getrusage(resource.RUSAGE_SELF)
        done.set()
        watcher.join()
        time.sleep(0.2)
        return {
            "cpu_s": after_cpu.ru_utime + after_cpu.ru_stime - cpu.ru_utime - cpu.ru_stime,
            "wall_s": wall,
            "rss_before_mb": before,
            "rss_peak_mb": peak[0],
            "rss_after_mb": _rss_mb(),
            "status": max(set(statuses), key=statuses.count),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(run(args.clients, args.child)))
        return
    figures = {}
    for name, tags in (("tag limit (default)", 30_000), ("no tag limit (old path)", 10**9)):
        output = subprocess.run(
            [sys.executable, __file__, "--clients", str(args.clients), "--child", str(tags)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        figures[name] = json.loads(output.strip().splitlines()[-1])
    print(f"{args.clients} x 1.8 MB preview of 50,000 paragraphs from one address")
    print(f"{'':26} {'status':>6} {'CPU s':>7} {'wall s':>7} {'RSS peak':>9} {'RSS after':>10}")
    for name, f in figures.items():
        peak = f["rss_peak_mb"] - f["rss_before_mb"]
        after = f["rss_after_mb"] - f["rss_before_mb"]
        print(
            f"{name:26} {f['status']:>6} {f['cpu_s']:>7.2f} {f['wall_s']:>7.2f} "
            f"{peak:>+8.0f}M {after:>+9.0f}M"
        )
    new, old = figures["tag limit (default)"], figures["no tag limit (old path)"]
    print(f"CPU ratio (default / old path): {new['cpu_s'] / max(old['cpu_s'], 1e-9):.3f}")


if __name__ == "__main__":
    main()
