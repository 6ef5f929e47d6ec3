"""Data for sentence boundaries in Vietnamese administrative text."""

from __future__ import annotations

# A period after these does not end a sentence ("TP. Lạng Sơn", "GS.TS. Nguyễn", "P.12").
ABBREVIATIONS_BEFORE_PERIOD: frozenset[str] = frozenset(
    {
        "TP",
        "Tp",
        "TX",
        "TT",
        "Q",
        "P",
        "H",
        "X",
        "Th",
        "TS",
        "ThS",
        "GS",
        "PGS",
        "BS",
        "KS",
        "CN",
        "Ths",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "St",
        "ông",
        "bà",
        "Đ",
        "Số",
        "số",
        "tr",
        "Tr",
        "GS.TS",
        "PGS.TS",
        "TS.BS",
        "v.v",
        "vv",
        "Ltd",
        "Co",
        "No",
        "TK",
        "Ts",
    }
)

# These end an enumeration; followed by a capital, the sentence ends with them.
ABBREVIATIONS_ENDING_LISTS: frozenset[str] = frozenset({"v.v", "vv", "etc"})

SENTENCE_END = ".!?…"
# Characters that may follow the final punctuation and still belong to the sentence.
CLOSERS = "\"'”’»)]}"
# Characters that may open the next sentence before its first letter.
OPENERS = "\"'“‘«([{-–—•"
