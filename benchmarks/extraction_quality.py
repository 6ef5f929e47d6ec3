"""Extraction quality beside trafilatura, readability and others, on the shared 181-page set.

Run by hand from the repository root (needs ../shared beside it):

    python benchmarks/extraction_quality.py [--bench ../shared/bench/article-extraction]

Writes our predictions to a temporary file, then runs the set's own scorer on ours and on the
published reference outputs in one table. The pages are mostly English news: this measures how
the generic fallback generalises, not the Vietnamese portal profiles.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reader_service.errors import ReaderError
from reader_service.extract import extract


def predict(bench: Path) -> tuple[dict[str, dict[str, str]], int, float]:
    predictions: dict[str, dict[str, str]] = {}
    failures = 0
    started = time.perf_counter()
    for page in sorted((bench / "html").glob("*.html.gz")):
        page_id = page.name.removesuffix(".html.gz")
        try:
            article = extract(gzip.decompress(page.read_bytes()))
            body = "\n".join(article.paragraphs)
        except ReaderError:
            failures += 1
            body = ""
        predictions[page_id] = {"articleBody": body}
    return predictions, failures, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[1].parent / "shared/bench/article-extraction"
    parser.add_argument("--bench", type=Path, default=default)
    args = parser.parse_args()
    predictions, failures, seconds = predict(args.bench)
    print(
        f"reader-service: {len(predictions)} pages in {seconds:.1f} s "
        f"({1000 * seconds / len(predictions):.0f} ms a page), {failures} ExtractionError"
    )
    references = sorted(str(p) for p in (args.bench / "reference-output").glob("*.json"))
    with tempfile.TemporaryDirectory() as folder:
        ours = Path(folder) / "reader_service.json"
        ours.write_text(json.dumps(predictions, ensure_ascii=False), "utf-8")
        scorer = str(args.bench / "score.py")
        subprocess.run([sys.executable, scorer, str(ours), *references], check=True)


if __name__ == "__main__":
    main()
