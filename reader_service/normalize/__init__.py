"""Text normalisation for speech: an ordered list of small ``str -> str`` rules.

Order matters: specific shapes (addresses, document numbers, plates, dates, times) are read
before the general number rule would take their digits; abbreviations before acronyms are
spelled. The rules live by family (``codes``, ``dates``, ``numbers``, ``letters``), each a
plain function tested alone (tests/test_normalize.py); their one order is the list in
``normalizer.Normalizer``. Vietnamese data (numbers, letters, units, syllables, the lexicon)
lives in ``vi/``.

A ``Normalizer`` holds the rules for one lexicon (the packaged one plus the operator's file);
``normalize(text)`` uses the packaged lexicon; ``unknown_tokens`` says what a fallback read.
"""

from __future__ import annotations

from reader_service.normalize.normalizer import (
    Normalizer,
    default_normalizer,
    normalize,
    normalizer_for,
)
from reader_service.normalize.patterns import Rule
from reader_service.normalize.unknown import unknown_tokens

__all__ = [
    "Normalizer",
    "Rule",
    "default_normalizer",
    "normalize",
    "normalizer_for",
    "unknown_tokens",
]
