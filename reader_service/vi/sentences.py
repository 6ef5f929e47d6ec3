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
        "Đ",
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

# Words that end sentences often ("gặp bà.", "chuyển đổi số.") and stand before a period as
# abbreviations only when a number or a name follows ("số. 12", "ông. Nguyễn Văn An").
ENDING_UNLESS_NUMBER_OR_NAME: frozenset[str] = frozenset({"ông", "bà", "số", "Ông", "Bà", "Số"})

# These end an enumeration; followed by a capital, the sentence ends with them.
ABBREVIATIONS_ENDING_LISTS: frozenset[str] = frozenset({"v.v", "vv", "etc"})

SENTENCE_END = ".!?…"
# Characters that may follow the final punctuation and still belong to the sentence.
CLOSERS = "\"'”’»)]}"
# Characters that may open the next sentence before its first letter.
OPENERS = "\"'“‘«([{-–—•"
