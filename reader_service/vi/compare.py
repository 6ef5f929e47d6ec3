"""Whether two spoken forms sound the same: the comparison of shared/examples/README.md.

1. NFC, lower case; 2. every character that is not a letter, a mark or a digit becomes a
space; 3. whitespace collapsed; 4. spellings a listener cannot tell apart count as equal.
"""

from __future__ import annotations

import re
import unicodedata

# Old-style tone placement -> new style ("hoà" -> "hòa", "uỷ" -> "ủy").
_OLD_TONES = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}  # fmt: skip
_OLD_TONE = re.compile("|".join(_OLD_TONES))
# y after a consonant is i ("kỷ" = "kỉ", "lý" = "lí", "tỷ" = "tỉ").
_Y_AFTER_CONSONANT = re.compile(r"\b([bcdđghklmnpqrstvx]+)([yýỳỷỹỵ])\b")
_Y_TO_I = str.maketrans("yýỳỷỹỵ", "iíìỉĩị")
_EQUIVALENT = (
    (re.compile(r"\bngàn\b"), "nghìn"),
    (re.compile(r"\btrăm lẻ\b"), "trăm linh"),
    (re.compile(r"\b(mươi|linh|lẻ) bốn\b"), r"\1 tư"),
    (re.compile(r"\b(?:kí|ký|ki) ?lô\b"), "ki lô"),
    (re.compile(r"\bxăng ti\b"), "xen ti"),
    (re.compile(r"\bkilômét\b"), "ki lô mét"),
)


def canonical(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    text = re.sub(r"[^\w]|_", " ", text)
    text = " ".join(text.split())
    text = _OLD_TONE.sub(lambda m: _OLD_TONES[m[0]], text)
    text = _Y_AFTER_CONSONANT.sub(lambda m: m[1] + m[2].translate(_Y_TO_I), text)
    for pattern, replacement in _EQUIVALENT:
        text = pattern.sub(replacement, text)
    return text


def same_reading(spoken: str, *references: str) -> bool:
    """True when ``spoken`` sounds like one of the references (and keeps no digits)."""
    heard = canonical(spoken)
    if re.search(r"\d", heard):
        return False
    return any(heard == canonical(reference) for reference in references)
