"""Time to the first clip of an uncached article (manifest + first clip, p50/p95) versus
synthesising the whole article, through the HTTP API in-process (one fresh cache per trial).

    python benchmarks/first_clip.py [--trials 20]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from reader_service.api import create_app
from reader_service.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    args = parser.parse_args()
    first, whole = [], []
    for _ in range(args.trials + 1):
        with tempfile.TemporaryDirectory() as folder:
            settings = Settings(cache_dir=Path(folder) / "c", data_dir=Path(folder) / "d")
            client = TestClient(create_app(settings))
            started = time.perf_counter()
            manifest = client.get("/v1/listen", params={"url": "/demo/article"}).json()
            assert client.get(manifest["cues"][0]["clip"]).status_code == 200
            first.append(time.perf_counter() - started)
            started = time.perf_counter()
            assert client.get(manifest["audio"]).status_code == 200
            whole.append(time.perf_counter() - started + first[-1])
    first, whole = first[1:], whole[1:]  # the first trial loads libraries
    q = statistics.quantiles
    print(
        f"first clip of an uncached article: p50 {1000 * statistics.median(first):.0f} ms, "
        f"p95 {1000 * q(first, n=20)[18]:.0f} ms; whole article: "
        f"p50 {1000 * statistics.median(whole):.0f} ms "
        f"(first clip / whole = {statistics.median(first) / statistics.median(whole):.2f})"
    )


if __name__ == "__main__":
    main()
