"""Latin letters read with their Vietnamese names, for acronyms and codes."""

from __future__ import annotations

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


def spell(token: str) -> str:
    """Letter by letter: "BCVT" -> "bê xê vê tê"; characters without a name are skipped."""
    return " ".join(LETTER_NAMES[ch] for ch in token.upper() if ch in LETTER_NAMES)
