"""What the normaliser did not know: the tokens a fallback reads, for an editor to check."""

from __future__ import annotations

import re

from reader_service.normalize.normalizer import Normalizer, default_normalizer
from reader_service.vi.letters import recording_spelled
from reader_service.vi.syllables import TONED, VIETNAMESE_SYLLABLE

_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")


def unknown_tokens(text: str, normalizer: Normalizer | None = None) -> list[tuple[str, str]]:
    """Tokens of ``text`` read by a fallback, for an editor to check before audio is made:
    ``(token, why)`` with why "spelled" (letters read one by one because no rule or lexicon
    entry knew the token: "OECD", the "NQ" of a code) or "foreign" (a word that is not
    Vietnamese, left for the engine to read as if it were). Found by normalising ``text`` and
    watching the spelling fallback, so what a rule read properly ("7h30", "thế kỷ XVIII",
    "UBND") is never flagged."""
    normalizer = normalizer or default_normalizer()
    with recording_spelled() as spelled:
        spoken = normalizer(text)
    found: dict[str, str] = {}
    for token in spelled:
        if any(ch.isalpha() for ch in token):
            found.setdefault(token, "spelled")
    for word in _WORD.findall(spoken):
        if TONED.search(word) or word in found:
            continue
        if not all(VIETNAMESE_SYLLABLE.fullmatch(part) for part in re.split(r"[-']", word)):
            found.setdefault(word, "foreign")
    return list(found.items())
