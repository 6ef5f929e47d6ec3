"""preview's reading-time estimate against the audio really made, article by article.

    python benchmarks/preview_duration.py [--rates 150] [--engine espeak] [--corpus DIR]

For each real article page (../shared/corpus/vi-real where it sits beside the checkout, and the
pages under tests/fixtures/pages), at each rate: the estimate `preview` gives (a fresh process
state: the pace comes from the calibration passage, not from earlier readings), the length of
the MP3 `read` makes, and, side by side, the estimate before this change (syllables divided by
the rate in words per minute, plus pauses). The goal is every article within ±10 %.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import replace
from pathlib import Path

from reader_service import duration
from reader_service.errors import ReaderError
from reader_service.extract import extract
from reader_service.models import Preview
from reader_service.pipeline import ReadOptions, preview, render

ROOT = Path(__file__).resolve().parents[1]
VI_REAL = ROOT.parent / "shared/corpus/vi-real"


def _pages(corpus: Path) -> list[Path]:
    """The corpus's article pages (those with ground truth) and the authored fixture pages."""
    pages = []
    truth = corpus / "ground-truth.json"
    if truth.is_file():
        for name in json.loads(truth.read_text(encoding="utf-8")):
            if (path := corpus / "pages" / f"{name}.html").is_file():
                pages.append(path)
    return pages + sorted((ROOT / "tests/fixtures/pages").glob("*.html"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", type=int, nargs="+", default=[150])
    parser.add_argument("--engine", default="espeak")
    parser.add_argument("--corpus", type=Path, default=VI_REAL)
    args = parser.parse_args()
    pages = _pages(args.corpus)
    print(f"{len(pages)} pages; engine {args.engine}")
    for rate in args.rates:
        base = ReadOptions(engine=args.engine)
        options = replace(base, synthesis=replace(base.synthesis, rate_wpm=rate))
        errors_now: list[float] = []
        errors_before: list[float] = []
        started = time.perf_counter()
        for page in pages:
            try:
                article = extract(page.read_bytes())
            except ReaderError:
                continue  # a page that is not an article (refused) has nothing to time
            duration.forget()
            estimate = preview(article, options)
            made_s = render(article, options).duration_ms / 1000
            errors_now.append(100 * (estimate.estimated_seconds - made_s) / made_s)
            errors_before.append(100 * (_before(estimate, options) - made_s) / made_s)
            print(
                f"  {rate:>3} wpm {page.name:<28} made {made_s:7.1f} s  "
                f"estimated {estimate.estimated_seconds:7.1f} s ({errors_now[-1]:+5.1f} %)  "
                f"before {errors_before[-1]:+6.1f} %"
            )
        within = sum(abs(e) <= 10 for e in errors_now)
        print(
            f"rate {rate}: {len(errors_now)} articles in {time.perf_counter() - started:.0f} s; "
            f"estimate error mean {statistics.mean(errors_now):+.1f} %, "
            f"worst {max(errors_now, key=abs):+.1f} %, within ±10 %: {within}/{len(errors_now)}; "
            f"before: mean {statistics.mean(errors_before):+.1f} %, "
            f"worst {max(errors_before, key=abs):+.1f} %"
        )


def _before(estimate: Preview, options: ReadOptions) -> float:
    """The estimate as it was: syllables at rate_wpm 'words' a minute, plus the same pauses."""
    syllables = sum(duration.syllables(line.spoken) for line in estimate.lines)
    pace = duration.seconds_per_syllable(options.engine, options.voice, options.synthesis)
    return (
        estimate.estimated_seconds - syllables * pace + syllables * 60 / options.synthesis.rate_wpm
    )


if __name__ == "__main__":
    main()
