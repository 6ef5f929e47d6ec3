"""How close an extraction is to a known-good one, with the public benchmark's own measure.

4-word shingles over ``\\w+`` tokens (scrapinghub/article-extraction-benchmark): precision and
recall per page, averaged over pages so long pages do not outweigh short ones; text is compared
in Unicode NFC. Used by the
extraction quality gate in the tests and by benchmarks/extraction.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from statistics import mean

_WORD = re.compile(r"\w+")


def _shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    # NFC first: a page (and its ground truth) may spell "ề" as e + two combining marks, the
    # extractor composes it; the same words must count as the same tokens.
    tokens = _WORD.findall(unicodedata.normalize("NFC", text))
    count = max(1, len(tokens) - size + 1)
    return Counter(tuple(tokens[i : i + size]) for i in range(count) if tokens[i : i + size])


@dataclass(frozen=True, slots=True)
class PageScore:
    precision: float
    recall: float
    # Whether anything was predicted / expected: the benchmark averages precision only over
    # pages with a prediction and recall only over pages with a truth.
    predicted: bool
    expected: bool

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def score_page(expected: str, predicted: str) -> PageScore:
    truth, guess = _shingles(expected), _shingles(predicted)
    hits = sum((truth & guess).values())
    extra = sum((guess - truth).values())
    missed = sum((truth - guess).values())
    if extra == missed == 0:
        return PageScore(1.0, 1.0, bool(guess), bool(truth))
    precision = hits / (hits + extra) if hits + extra else 0.0
    recall = hits / (hits + missed) if hits + missed else 0.0
    return PageScore(precision, recall, hits + extra > 0, hits + missed > 0)


@dataclass(frozen=True, slots=True)
class CorpusScore:
    f1: float
    precision: float
    recall: float


def score_corpus(pages: list[PageScore]) -> CorpusScore:
    precisions = [page.precision for page in pages if page.predicted]
    recalls = [page.recall for page in pages if page.expected]
    precision = mean(precisions) if precisions else 0.0
    recall = mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return CorpusScore(f1, precision, recall)


_NAMES = re.compile(rb"""\b(class|id)\s*=\s*(?:"[^"]*"|'[^']*')""", re.IGNORECASE)


def scramble_names(html: bytes) -> bytes:
    """The page with every class and id replaced by a meaningless name: what is left to find
    the article is structure and text, as on a template no profile or class pattern knows."""
    counter = iter(range(1, 1_000_000))
    return _NAMES.sub(lambda m: m[1] + b'="n%d"' % next(counter), html)
