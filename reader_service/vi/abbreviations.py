"""Abbreviations of administrative Vietnamese and how they are read aloud.

Data, not logic: extend these tables (or, later, the operator's lexicon) to teach new words.
"""

from __future__ import annotations

# Read as their full words. Keys are case-sensitive: "TP." is an abbreviation, "tp." rarely is.
ADMINISTRATIVE: dict[str, str] = {
    "UBND": "ủy ban nhân dân",
    "HĐND": "hội đồng nhân dân",
    "MTTQ": "mặt trận tổ quốc",
    "TT&TT": "thông tin và truyền thông",
    "TN&MT": "tài nguyên và môi trường",
    "GTVT": "giao thông vận tải",
    "CNTT": "công nghệ thông tin",
    "BHXH": "bảo hiểm xã hội",
    "BHYT": "bảo hiểm y tế",
    "CCCD": "căn cước công dân",
    "THPT": "trung học phổ thông",
    "THCS": "trung học cơ sở",
    "KT-XH": "kinh tế xã hội",
    "PGS.TS.": "phó giáo sư tiến sĩ",
    "PGS.TS": "phó giáo sư tiến sĩ",
    "GS.TS.": "giáo sư tiến sĩ",
    "GS.TS": "giáo sư tiến sĩ",
    "ThS.": "thạc sĩ",
    "TS.": "tiến sĩ",
    "PGS.": "phó giáo sư",
    "GS.": "giáo sư",
    "TP.": "thành phố",
    "TX.": "thị xã",
    "TT.": "thị trấn",
    "Tp.": "thành phố",
    "v.v.": "vân vân",
}

# Established acronyms read as words, or spelled with Vietnamese letter names.
ACRONYMS: dict[str, str] = {
    "ICT": "i xê tê",
    "ITU": "i tê u",
    "WHO": "vê kép hát ô",
    "GDP": "gờ đê pê",
    "ASEAN": "a xê an",
    "UNICEF": "u ni xép",
    "Covid": "cô vít",
    "COVID": "cô vít",
}

# Vietnamese names of Latin letters, for spelling an unknown upper-case acronym.
LETTER_NAMES: dict[str, str] = {
    "A": "a",
    "B": "bê",
    "C": "xê",
    "D": "dê",
    "Đ": "đê",
    "E": "e",
    "F": "ép",
    "G": "gờ",
    "H": "hát",
    "I": "i",
    "J": "giây",
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
