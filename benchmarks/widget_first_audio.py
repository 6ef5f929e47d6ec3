"""Time to audio in the browser: from the press of "Đọc nội dung" to the first sound, on the demo
page of `reader-service serve`, in Debian's Chromium. Two cases side by side, each the median of
several runs: a cold article (fresh cache: manifest, extraction and the first clip's synthesis)
and a warm one (the same article again in a fresh browser: clips cached by the service).

    python benchmarks/widget_first_audio.py [--runs 7]

Needs /usr/bin/chromium (apt install chromium) and Playwright for Python.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
from servers import launch  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _first_sound(browser: object, url: str) -> float:
    """Seconds from the click to audio.currentTime > 0, in a fresh browser context."""
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(url + "/")
    page.wait_for_function("() => window.readerWidget !== undefined")
    started = time.perf_counter()
    page.get_by_role("button", name="Đọc nội dung").click()
    page.wait_for_function("() => window.readerWidget.audio.currentTime > 0", timeout=30_000)
    elapsed = time.perf_counter() - started
    context.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    cold: list[float] = []
    warm: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as folder:
                env = {
                    **os.environ,
                    "XDG_CACHE_HOME": f"{folder}/c",
                    "XDG_DATA_HOME": f"{folder}/d",
                }
                with launch.running_service(env) as url:
                    cold.append(_first_sound(browser, url))
                    warm.append(_first_sound(browser, url))
        browser.close()
    print(f"time to audio over {args.runs} runs (median, min-max), seconds")
    for name, times in (("cold article", cold), ("warm article", warm)):
        print(f"  {name:<13} {statistics.median(times):6.3f}  ({min(times):.3f}-{max(times):.3f})")
    print(f"  cold / warm   {statistics.median(cold) / statistics.median(warm):6.2f}x")


if __name__ == "__main__":
    main()
