"""Our sentence splitter against underthesea's ``sent_tokenize``, as a check: where they
disagree on the corpora, and how long each takes.

    pip install -e '.[bench]'        # underthesea
    python benchmarks/sentences.py [--show 15] [--corpus DIR]

Paragraphs come from the Vietnamese articles of ../shared/corpus/vi-real (where it sits beside
the checkout) and tests/fixtures/pages, the seed article, and the shared normalisation examples
(../shared/bench is mostly other languages: left out). For each paragraph both splitters give
sentence ends (character offsets); where the ends differ, each end only one splitter found is
listed with its context, to judge by eye. underthesea is not the reference: it is a second
opinion. On the corpora of December 2026 (766 paragraphs) they disagreed on 23; of underthesea's
21 extra ends most cut web addresses ("Chinhphu. | vn"), split before a closing quote or after a
list number, and our 6 extra ends were all "…" followed by a capital.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from reader_service.errors import ReaderError
from reader_service.extract import extract
from reader_service.segment import split_sentences

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _paragraphs(corpus: Path) -> list[str]:
    pages = sorted((corpus / "pages").glob("*.html"))
    pages += sorted((ROOT / "tests/fixtures/pages").glob("*.html"))
    paragraphs: list[str] = []
    for page in pages:
        try:
            article = extract(page.read_bytes())
        except ReaderError:
            continue  # refused pages (home pages, listings) have no article to split
        paragraphs += list(article.blocks)
    seed = SHARED / "seeds/portal-article.txt"
    if seed.is_file():
        paragraphs += seed.read_text(encoding="utf-8").splitlines()
    examples = SHARED / "examples/normalize-examples.jsonl"
    if examples.is_file():
        for line in examples.read_text(encoding="utf-8").splitlines():
            if line.strip():
                paragraphs.append(json.loads(line)["input"])
    # One space between words: both splitters then see, and give back, the same characters.
    return [" ".join(p.split()) for p in paragraphs if p.strip()]


def _ends(paragraph: str, sentences: list[str]) -> set[int]:
    """Where each sentence but the last ends in ``paragraph`` (offsets of its last character)."""
    ends, position = set(), 0
    for sentence in sentences[:-1]:
        found = paragraph.find(sentence.strip(), position)
        if found < 0:
            continue  # a splitter that changed the text: that end is not comparable
        position = found + len(sentence.strip())
        ends.add(position)
    return ends


def _context(paragraph: str, end: int) -> str:
    return "…" + paragraph[max(0, end - 40) : end] + " ‖ " + paragraph[end : end + 30].strip() + "…"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=15, help="examples shown of each kind")
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus/vi-real")
    args = parser.parse_args()
    try:
        from underthesea import sent_tokenize
    except ImportError:
        raise SystemExit("underthesea is not installed: pip install -e '.[bench]'") from None
    paragraphs = _paragraphs(args.corpus)

    started = time.perf_counter()
    ours = [[s.text for s in split_sentences(p)] for p in paragraphs]
    ours_s = time.perf_counter() - started
    started = time.perf_counter()
    theirs = [list(sent_tokenize(p)) for p in paragraphs]
    theirs_s = time.perf_counter() - started

    only_ours: list[str] = []
    only_theirs: list[str] = []
    words_before: Counter[str] = Counter()
    disagreeing = 0
    for paragraph, mine, other in zip(paragraphs, ours, theirs, strict=True):
        a, b = _ends(paragraph, mine), _ends(paragraph, other)
        if a != b:
            disagreeing += 1
        for end in sorted(a - b):
            only_ours.append(_context(paragraph, end))
        for end in sorted(b - a):
            only_theirs.append(_context(paragraph, end))
            words_before[paragraph[:end].split()[-1] if paragraph[:end].split() else ""] += 1

    sentences = sum(len(s) for s in ours)
    print(
        f"{len(paragraphs)} paragraphs, {sentences} sentences (ours), "
        f"{sum(len(s) for s in theirs)} (underthesea)"
    )
    print(
        f"time: ours {1000 * ours_s:.0f} ms, underthesea {1000 * theirs_s:.0f} ms "
        f"({theirs_s / max(ours_s, 1e-9):.1f}x)"
    )
    print(
        f"paragraphs split differently: {disagreeing} ({100 * disagreeing / len(paragraphs):.1f} %)"
    )
    print(f"\nwe end a sentence, underthesea does not: {len(only_ours)}")
    for line in only_ours[: args.show]:
        print("  ", line)
    print(f"\nunderthesea ends a sentence, we do not: {len(only_theirs)}")
    for line in only_theirs[: args.show]:
        print("  ", line)
    print("  most frequent last words before those ends:", words_before.most_common(12))


if __name__ == "__main__":
    main()
