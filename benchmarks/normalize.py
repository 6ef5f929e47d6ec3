"""Vietnamese normalisation side by side: reader-service and vinorm, one run.

    pip install -e '.[bench]'          # adds vinorm (an offline Vietnamese TTS normaliser)
    python benchmarks/normalize.py

Corpora: the shared examples (tests/fixtures/normalize-examples.jsonl, by category) and the
administrative and news sentences written apart from the rules
(tests/fixtures/normalize-sentences.jsonl). Measures, per normaliser: sentence accuracy (the
README comparison: reader_service/vi/compare.py), word error rate against the closest
reference, and sentences per second on one core.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from reader_service.normalize import normalize
from reader_service.vi.compare import canonical, same_reading

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests/fixtures"


def _vinorm() -> Callable[[str], str] | None:
    try:  # vinorm imports the "imp" module, gone in Python 3.12: it runs on 3.11 only
        from vinorm import TTSnorm  # type: ignore[import-untyped]
    except ImportError:
        return None

    def run(text: str) -> str:
        # vinorm's bundled binary prints debugging lines ("Roman ...") on the process's stdout.
        with _quiet_stdout():
            return str(TTSnorm(text, punc=False, unknown=True, lower=True, rule=False))

    return run


@contextmanager
def _quiet_stdout() -> Iterator[None]:
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    with open(os.devnull, "wb") as null:
        os.dup2(null.fileno(), 1)
        os.dup2(null.fileno(), 2)
        try:
            yield
        finally:
            for fd, copy in zip((1, 2), saved, strict=True):
                os.dup2(copy, fd)
                os.close(copy)


def _cases(name: str) -> list[dict]:
    lines = (FIXTURES / name).read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _edits(a: list[str], b: list[str]) -> int:
    previous = list(range(len(b) + 1))
    for i, word in enumerate(a, start=1):
        current = [i]
        for j, other in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other))
            )
        previous = current
    return previous[-1]


def _word_errors(spoken: str, references: list[str]) -> tuple[int, int]:
    heard = canonical(spoken).split()
    best = min((canonical(r).split() for r in references), key=lambda r: _edits(heard, r))
    return _edits(heard, best), len(best)


def evaluate(name: str, run: Callable[[str], str], cases: list[dict]) -> dict[str, object]:
    started = time.perf_counter()
    outputs = [run(case["input"]) for case in cases]
    seconds = time.perf_counter() - started
    right: dict[str, list[bool]] = defaultdict(list)
    errors = words = 0
    for case, spoken in zip(cases, outputs, strict=True):
        references = [case["expected"], *case.get("alternatives", [])]
        right[case.get("category", "all")].append(same_reading(spoken, *references))
        e, n = _word_errors(spoken, references)
        errors, words = errors + e, words + n
    total = [ok for oks in right.values() for ok in oks]
    return {
        "name": name,
        "accuracy": sum(total) / len(total),
        "by_category": {k: sum(v) / len(v) for k, v in sorted(right.items())},
        "wer": errors / words,
        "per_second": len(cases) / seconds,
    }


def main() -> None:
    normalisers: dict[str, Callable[[str], str]] = {"reader-service": normalize}
    vinorm = _vinorm()
    if vinorm is None:
        print("(vinorm not installed: pip install -e '.[bench]' to compare)")
    else:
        normalisers["vinorm"] = vinorm
    for corpus in ("normalize-examples.jsonl", "normalize-sentences.jsonl"):
        cases = _cases(corpus)
        normalize(cases[0]["input"])  # warm-up: compiled patterns, lexicon
        print(f"\n{corpus}: {len(cases)} sentences")
        print(f"{'normaliser':<16} {'exact':>7} {'WER':>7} {'sent/s':>9}")
        results = [evaluate(name, run, cases) for name, run in normalisers.items()]
        for r in results:
            print(f"{r['name']:<16} {r['accuracy']:7.1%} {r['wer']:7.1%} {r['per_second']:9.0f}")
        if corpus.startswith("normalize-examples"):
            categories = list(results[0]["by_category"])  # type: ignore[call-overload]
            print(f"\n{'category':<22}" + "".join(f"{r['name']:>16}" for r in results))
            for category in categories:
                row = "".join(f"{r['by_category'][category]:16.0%}" for r in results)  # type: ignore[index]
                print(f"{category:<22}{row}")


if __name__ == "__main__":
    main()
