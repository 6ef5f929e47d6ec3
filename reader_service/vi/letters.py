"""Latin letters read with their Vietnamese names, for acronyms and codes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# Northern announcer's names. D is "đê" as in "GDP" (gờ đê pê); "dê" is also heard.
LETTER_NAMES: dict[str, str] = {
    "A": "a",
    "B": "bê",
    "C": "xê",
    "D": "đê",
    "Đ": "đê",
    "E": "e",
    "F": "ép",
    "G": "gờ",
    "H": "hát",
    "I": "i",
    "J": "gi",
    "K": "ca",
    "L": "lờ",
    "M": "mờ",
    "N": "nờ",
    "O": "ô",
    "P": "pê",
    "Q": "quy",
    "R": "rờ",
    "S": "ét",
    "T": "tê",
    "U": "u",
    "V": "vê",
    "W": "vê kép",
    "X": "ích",
    "Y": "i",
    "Z": "dét",
}


# The tokens spelled while a recorder is set: preview asks exactly what the letter-by-letter
# fallback read (and nothing a rule read properly).
_SPELLED: ContextVar[list[str] | None] = ContextVar("spelled", default=None)


@contextmanager
def recording_spelled() -> Iterator[list[str]]:
    """Within the block, every token given to ``spell`` is appended to the yielded list."""
    found: list[str] = []
    token = _SPELLED.set(found)
    try:
        yield found
    finally:
        _SPELLED.reset(token)


def spell(token: str) -> str:
    """Letter by letter: "BCVT" -> "bê xê vê tê"; characters without a name are skipped."""
    recorder = _SPELLED.get()
    if recorder is not None:
        recorder.append(token)
    return " ".join(LETTER_NAMES[ch] for ch in token.upper() if ch in LETTER_NAMES)
