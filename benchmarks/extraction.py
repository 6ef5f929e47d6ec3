"""Article extraction side by side: reader-service, trafilatura and readability-lxml, one run.

    pip install -e '.[bench]'
    python benchmarks/extraction.py [--bench ../shared/bench/article-extraction]

Three corpora (and a set of pages that must be refused):
- the public 181-page set (mostly English news; ground truth and the set's own scorer), which
  measures how the generic layer generalises to layouts it has never seen;
- tests/fixtures/pages: Vietnamese portal and news pages (Liferay, SharePoint, DotNetNuke,
  VNPT/Viettel templates, WordPress, Joomla, table layouts, JSON-LD only, windows-1258), with
  expected title, paragraphs and text that must not be read;
- ../shared/corpus/vi-real (``--corpus``): real Vietnamese article pages saved from public
  sources with hand-made ground truth (news, photo stories, forum threads), and real home,
  forum-index and data pages that must be refused (how many each tool refuses is reported).

Reported per extractor: body F1 / precision / recall (4-word shingles, averaged over pages),
exact titles, pages reading forbidden text, and milliseconds per page (median and mean).
Each tool runs with its defaults, as a portal operator would call it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import trafilatura
from readability import Document  # type: ignore[import-untyped]

from reader_service.errors import ReaderError
from reader_service.extract import extract
from reader_service.extract.evaluate import PageScore, score_corpus, score_page, scramble_names
from reader_service.extract.text import decode_html
from reader_service.text import clean_text

ROOT = Path(__file__).resolve().parents[1]
VIETNAMESE_PAGES = ROOT / "tests/fixtures/pages"


@dataclass
class Page:
    name: str
    html: bytes
    url: str | None
    body: str
    title: str | None = None
    forbidden: tuple[str, ...] = ()


@dataclass
class Result:
    body: str
    title: str
    seconds: float


def _ours(page: Page) -> Result:
    started = time.perf_counter()
    try:
        article = extract(page.html, url=page.url)
        body, title = "\n".join(article.paragraphs), article.title
    except ReaderError:
        body, title = "", ""
    return Result(body, title, time.perf_counter() - started)


def _trafilatura(page: Page) -> Result:
    text = decode_html(page.html)
    started = time.perf_counter()
    body = trafilatura.extract(text, url=page.url) or ""
    seconds = time.perf_counter() - started
    metadata = trafilatura.extract_metadata(text)
    return Result(body, clean_text(metadata.title or "") if metadata else "", seconds)


def _readability(page: Page) -> Result:
    text = decode_html(page.html)
    started = time.perf_counter()
    try:
        document = Document(text)
        summary = document.summary(html_partial=True)
        body = "\n".join(lxml.html.fromstring(summary).itertext()) if summary.strip() else ""
        title = clean_text(document.short_title())
    except Exception:  # readability raises bare Unparseable and lxml errors on odd pages
        body, title = "", ""
    return Result(body, title, time.perf_counter() - started)


EXTRACTORS: dict[str, Callable[[Page], Result]] = {
    "reader-service": _ours,
    "trafilatura": _trafilatura,
    "readability-lxml": _readability,
}


def public_pages(bench: Path) -> list[Page]:
    truth = json.loads((bench / "ground-truth.json").read_text("utf-8"))
    pages = []
    for path in sorted((bench / "html").glob("*.html.gz")):
        key = path.name.removesuffix(".html.gz")
        item = truth[key]
        pages.append(Page(key, gzip.decompress(path.read_bytes()), None, item["articleBody"]))
    return pages


def vietnamese_pages(scrambled: bool = False) -> list[Page]:
    """The corpus; with ``scrambled``, every class and id renamed to nothing meaningful."""
    pages = []
    for path in sorted(VIETNAMESE_PAGES.glob("*.json")):
        expected = json.loads(path.read_text("utf-8"))
        html = path.with_suffix(".html").read_bytes()
        pages.append(
            Page(
                path.stem,
                scramble_names(html) if scrambled else html,
                expected["url"],
                "\n".join(expected["paragraphs"]),
                expected["title"],
                tuple(expected.get("must_not_contain", ())),
            )
        )
    return pages


def real_pages(corpus: Path) -> list[Page]:
    truth = json.loads((corpus / "ground-truth.json").read_text("utf-8"))
    return [
        Page(
            key,
            (corpus / "pages" / f"{key}.html").read_bytes(),
            None,
            item["articleBody"],
            item["title"],
        )
        for key, item in sorted(truth.items())
    ]


def not_articles(corpus: Path) -> list[Page]:
    listed = json.loads((corpus / "not-articles.json").read_text("utf-8"))
    return [
        Page(key, (corpus / "not-articles" / f"{key}.html").read_bytes(), None, "")
        for key in sorted(listed)
    ]


def report_refusals(pages: list[Page]) -> None:
    """Pages that are not articles: an extractor that returns no body has refused."""
    print(f"\nReal pages that are not articles (home, forum index, data): {len(pages)} pages")
    for name, run in EXTRACTORS.items():
        read = [page.name for page in pages if run(page).body.strip()]
        print(
            f"{name:<18} refused {len(pages) - len(read):2d}/{len(pages)}; read: {', '.join(read)}"
        )


def _same(title: str, expected: str | None) -> bool:
    """Titles are equal after NFC and collapsing whitespace (the corpora's own rule)."""
    return expected is not None and " ".join(
        unicodedata.normalize("NFC", title).split()
    ) == " ".join(unicodedata.normalize("NFC", expected).split())


def _leaks(result: Result, page: Page) -> bool:
    read = f"{result.title}\n{result.body}"
    return any(snippet in read for snippet in page.forbidden)


def _timed_runs(pages: list[Page], repeat: int) -> dict[str, list[Result]]:
    """Each page through every extractor, interleaved, ``repeat`` times; a page's time is its
    fastest run (the least disturbed by the machine), its output that of the first."""
    runs: dict[str, list[Result]] = {name: [] for name in EXTRACTORS}
    names = list(EXTRACTORS)
    for number, page in enumerate(pages):
        # The order rotates from page to page: no tool always runs on a page the one before
        # it has just warmed up.
        shift = number % len(names)
        for name in names[shift:] + names[:shift]:
            results = [EXTRACTORS[name](page) for _ in range(repeat)]
            fastest = min(result.seconds for result in results)
            runs[name].append(Result(results[0].body, results[0].title, fastest))
    return runs


def report(label: str, pages: list[Page], verbose: bool, repeat: int = 1) -> None:
    print(f"\n{label}: {len(pages)} pages")
    print(
        f"{'extractor':<18} {'F1':>6} {'prec':>6} {'recall':>6} {'titles':>7} {'leaks':>6} "
        f"{'ms med':>7} {'ms mean':>8} {'time vs trafilatura':>20}"
    )
    runs = _timed_runs(pages, repeat)
    reference = sum(r.seconds for r in runs["trafilatura"])
    for name, results in runs.items():
        scores: list[PageScore] = [
            score_page(p.body, r.body) for p, r in zip(pages, results, strict=True)
        ]
        corpus = score_corpus(scores)
        titled = [(p, r) for p, r in zip(pages, results, strict=True) if p.title is not None]
        titles = (
            f"{sum(_same(r.title, p.title) for p, r in titled) / len(titled):7.0%}"
            if titled
            else "      -"
        )
        leaks = sum(_leaks(r, p) for p, r in zip(pages, results, strict=True)) if titled else 0
        times = [1000 * r.seconds for r in results]
        ratio = sum(r.seconds for r in results) / reference
        print(
            f"{name:<18} {corpus.f1:6.3f} {corpus.precision:6.3f} {corpus.recall:6.3f} {titles} "
            f"{leaks:6d} {statistics.median(times):7.1f} {statistics.mean(times):8.1f} "
            f"{ratio:19.2f}x"
        )
        if verbose:
            for page, result, score in zip(pages, results, scores, strict=True):
                flag = "" if page.title is None or _same(result.title, page.title) else " title!"
                flag += " leak!" if _leaks(result, page) else ""
                print(
                    f"    {page.name[:40]:<40} P {score.precision:.2f} R {score.recall:.2f}{flag}"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--bench", type=Path, default=ROOT.parent / "shared/bench/article-extraction"
    )
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/vi-real")
    parser.add_argument("--verbose", action="store_true", help="per-page scores")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per page and tool; the fastest counts"
    )
    args = parser.parse_args()
    # Warm-up: imports and compiled selectors should not count against the first page.
    for run in EXTRACTORS.values():
        run(vietnamese_pages()[0])
    report(
        "Vietnamese portal and news pages (tests/fixtures/pages)",
        vietnamese_pages(),
        True,
        args.repeat,
    )
    report(
        "The same pages with every class and id scrambled (no template or class pattern helps)",
        vietnamese_pages(scrambled=True),
        False,
        args.repeat,
    )
    if (args.corpus / "ground-truth.json").exists():
        report(
            "Real Vietnamese pages (../shared/corpus/vi-real)",
            real_pages(args.corpus),
            True,
            args.repeat,
        )
        report_refusals(not_articles(args.corpus))
    else:
        print(f"\n(no real page corpus at {args.corpus}; pass --corpus)")
    if (args.bench / "ground-truth.json").exists():
        report(
            "Public benchmark (scrapinghub article-extraction)",
            public_pages(args.bench),
            args.verbose,
            args.repeat,
        )
    else:
        print(f"\n(no public benchmark at {args.bench}; pass --bench)")


if __name__ == "__main__":
    main()
