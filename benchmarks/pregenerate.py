"""Pre-generation throughput, side by side in one run, with the offline engine (espeak).

    python benchmarks/pregenerate.py

The Vietnamese pages of tests/fixtures/pages are served locally (127.0.0.1) with Last-Modified;
reported: articles per minute at concurrency 1 and 2 (each from an empty cache), then the time of
a repeated run over the unchanged articles versus the first run.
"""

from __future__ import annotations

import http.server
import tempfile
import threading
import time
from pathlib import Path

from reader_service.batch import run_batch
from reader_service.db import open_database
from reader_service.db.records import PageStates
from reader_service.fetch import FetchOptions
from reader_service.pipeline import ReadOptions
from reader_service.storage import FileStore

PAGES = Path(__file__).resolve().parents[1] / "tests/fixtures/pages"


def main() -> None:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(PAGES), **kwargs)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    urls = [f"{base}/{page.name}" for page in sorted(PAGES.glob("*.html"))]
    options = ReadOptions(fetch=FetchOptions(allow_loopback=True))
    with tempfile.TemporaryDirectory() as warm:
        warm_states = PageStates(open_database(f"sqlite:///{warm}/meta.db"))
        run_batch(urls[:1], options, FileStore(Path(warm)), warm_states)  # load everything once
    firsts = {}
    for concurrency in (1, 2):
        with tempfile.TemporaryDirectory() as folder:
            store = FileStore(Path(folder))
            states = PageStates(open_database(f"sqlite:///{folder}/meta.db"))
            started = time.perf_counter()
            results = run_batch(urls, options, store, states, concurrency)
            firsts[concurrency] = time.perf_counter() - started
            made = sum(r.status == "made" for r in results)
            seconds = firsts[concurrency]
            print(
                f"concurrency {concurrency}: {made}/{len(urls)} articles in {seconds:.1f} s"
                f" = {60 * made / seconds:.0f} articles a minute"
            )
            if concurrency == 1:
                started = time.perf_counter()
                again = run_batch(urls, options, store, states)
                repeat = time.perf_counter() - started
                unchanged = sum(r.status == "unchanged" for r in again)
                print(
                    f"repeated run: {unchanged}/{len(urls)} unchanged in {1000 * repeat:.0f} ms = "
                    f"{firsts[1] / repeat:.0f}x faster than the first run"
                )
    server.shutdown()


if __name__ == "__main__":
    main()
