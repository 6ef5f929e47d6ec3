"""E-mail and web addresses read aloud: "lienhe@danang.gov.vn" -> "liên hệ a còng đà nẵng chấm
gốp chấm vê nờ". Toneless Vietnamese words are found in a word list (vi/data/domain_words.tsv);
what the list does not know is read syllable by syllable, or spelled when it has no vowel."""

from __future__ import annotations

import re
from functools import lru_cache

from reader_service.vi.letters import spell
from reader_service.vi.lexicon import domain_words
from reader_service.vi.numbers import read_cardinal, read_digits
from reader_service.vi.syllables import VIETNAMESE_SYLLABLE

_MARKS = {
    "@": "a còng",
    ".": "chấm",
    "/": "gạch chéo",
    "-": "gạch ngang",
    "_": "gạch dưới",
    "?": "hỏi chấm",
    "=": "bằng",
    "&": "và",
    "#": "thăng",
    "%": "phần trăm",
    ":": "",
}
_PIECES = re.compile(r"[A-Za-z]+|\d+|[^A-Za-z\d]")


@lru_cache(maxsize=2048)
def read_label(label: str) -> str:
    """One run of letters of an address: a known word, known words joined, else syllables."""
    lower = label.lower()
    words = domain_words()
    if lower in words:
        return words[lower]
    split = _split_known(lower, words)
    if split:
        return " ".join(split)
    if not re.search(r"[aeiouy]", lower):
        return spell(label)
    syllables = VIETNAMESE_SYLLABLE.findall(lower)
    return " ".join(syllables) if "".join(syllables) == lower else spell(label)


def _split_known(text: str, words: dict[str, str]) -> list[str] | None:
    """The fewest known words that make up ``text`` exactly, or None."""
    best: list[list[str] | None] = [None] * (len(text) + 1)
    best[0] = []
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - 20), end):
            head = best[start]
            piece = text[start:end]
            if head is not None and piece in words:
                candidate = [*head, words[piece]]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[len(text)]


def read_address(address: str) -> str:
    """The spoken form of an e-mail or web address (the http(s):// prefix is not read)."""
    address = re.sub(r"^https?://", "", address, flags=re.IGNORECASE)
    words = []
    for piece in _PIECES.findall(address):
        if piece.isdigit():
            words.append(read_cardinal(int(piece)) if len(piece) <= 4 else read_digits(piece))
        elif piece.isalpha():
            words.append(read_label(piece))
        elif piece in _MARKS:
            words.append(_MARKS[piece])
    return " ".join(word for word in words if word)
