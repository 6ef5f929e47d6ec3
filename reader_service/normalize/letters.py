"""Letters, acronyms and symbols: the lexicon, codes mixing letters and digits, headlines in
capitals, acronyms spelled, an acronym after its own expansion heard once, symbols, and any
digit left."""

from __future__ import annotations

import re
import unicodedata

from reader_service.normalize.patterns import Rule
from reader_service.vi.letters import spell
from reader_service.vi.lexicon import Lexicon
from reader_service.vi.numbers import (
    read_cardinal,
    read_digits,
    read_number_token,
    roman_to_int,
)
from reader_service.vi.syllables import TONED, VIETNAMESE_SYLLABLE


def lexicon_rule(lexicon: Lexicon) -> Rule:
    def abbreviations(text: str) -> str:
        """UBND -> ủy ban nhân dân; TP. -> thành phố; UNICEF -> u ni xép (from the lexicon)."""
        return lexicon.replace(text)

    return abbreviations


# Upper-case runs this short inside a code are spelled even when the lexicon knows them.
_SPELLED_IN_CODES = 3


def alphanumeric_rule(lexicon: Lexicon) -> Rule:
    pattern = re.compile(
        r"(?<![\w.-])(?=[\w.-]*\d)(?=[\w.-]*[A-Za-zĐđ])[A-Za-zĐđ\d]+(?:\.\d+)?"
        r"(?:-[A-Za-zĐđ\d]+)*(?![\w-]|\.\w)"
    )

    def read(m: re.Match[str]) -> str:
        words = []
        for piece in m[0].split("-"):
            for run in re.findall(r"\d+\.\d+|\d+|[^\d.]+", piece):
                if "." in run:
                    head, tail = run.split(".")
                    words.append(f"{read_cardinal(int(head))} chấm {read_digits(tail)}")
                elif run.isdigit():
                    words.append(read_number_token(run) if len(run) <= 4 else read_digits(run))
                elif run.isupper() and len(run) <= _SPELLED_IN_CODES:
                    words.append(spell(run))  # "TS" in "QNg-90123-TS" is letters, not "tiến sĩ"
                else:
                    words.append(lexicon.read(run) or spell(run))
        return " ".join(words)

    def alphanumeric_codes(text: str) -> str:
        """4G -> bốn gờ; H5N1 -> hát năm nờ một; U23 -> u hai mươi ba."""
        return pattern.sub(read, text)

    return alphanumeric_codes


_CAPS = re.compile(r"(?<![\w&])[A-ZĐ]{2,}(?![\w&])")
# A headline: at least this many words, nearly all in capitals ("SỞ Y TẾ TỔ CHỨC HỘI NGHỊ").
_HEADLINE_WORDS = 3
_UPPER_SHARE = 0.75


def acronyms(text: str) -> str:
    """Upper-case tokens no rule or lexicon entry read are spelled: OECD -> ô e xê đê."""
    return _CAPS.sub(_read_caps, text)


# "VssID", "eKYC": a word of mixed case holding a run of capitals (an acronym inside a brand).
_MIXED_CASE = re.compile(r"(?<![\w.@-])(?=\w*[a-zđ])(?=\w*[A-ZĐ]{2})[A-Za-zĐđ]{3,}(?![\w@]|\.\w)")


def mixed_case_acronyms(text: str) -> str:
    """VssID -> vê ét ét i đê; eKYC -> e ca i xê: capitals are spelled, and so are lower-case
    runs that are not a Vietnamese syllable (the lexicon, applied before, knows the brands)."""

    def read(m: re.Match[str]) -> str:
        words = []
        for run in re.findall(r"[A-ZĐ]+|[a-zđ]+", m[0]):
            if run.islower() and VIETNAMESE_SYLLABLE.fullmatch(run):
                words.append(run)
            else:
                words.append(spell(run))
        return " ".join(words)

    return _MIXED_CASE.sub(read, text)


def _read_caps(m: re.Match[str]) -> str:
    token = m[0]
    if re.fullmatch(r"X{0,3}(IX|IV|V?I{0,3})", token):  # "Thế chiến II": a Roman numeral
        return read_cardinal(roman_to_int(token))
    return spell(token)


_SYMBOLS = {
    "&": " và ",
    "+": " cộng ",
    "=": " bằng ",
    "≈": " xấp xỉ ",
    "~": " khoảng ",
    "≥": " lớn hơn hoặc bằng ",
    "≤": " nhỏ hơn hoặc bằng ",
    ">": " lớn hơn ",
    "<": " nhỏ hơn ",
    "±": " cộng trừ ",
    "×": " nhân ",
    "%": " phần trăm ",
    "‰": " phần nghìn ",
    "°": " độ ",
    "@": " a còng ",
    "#": " thăng ",
    "/": " ",
    "\\": " ",
    "*": " ",
    "_": " ",
}
_SYMBOL = re.compile("|".join(map(re.escape, _SYMBOLS)))


def symbols(text: str) -> str:
    """& -> và, + -> cộng, = -> bằng; a slash between words is a short pause."""
    return _SYMBOL.sub(lambda m: _SYMBOLS[m[0]], text)


def leftover_digits(text: str) -> str:
    """Safety net: any digit no earlier rule read is read here, never left for the engine."""
    return re.sub(
        r"\d+", lambda m: read_number_token(m[0]) if len(m[0]) <= 15 else read_digits(m[0]), text
    )


_HEADLINE_WORD = re.compile(r"(?<![\w&.-])[^\W\d_]{2,}(?![\w&]|-\w|\.\w)")


_HEADLINE_WORD_OR_LETTER = re.compile(r"(?<![\w&.-])[^\W\d_]+(?![\w&]|-\w|\.\w)")  # "SỞ Y TẾ"


def headline_rule(lexicon: Lexicon) -> Rule:
    def headline_capitals(text: str) -> str:
        """A headline written in capitals is words, not acronyms: "UBND TỈNH BAN HÀNH KẾ HOẠCH"
        -> "UBND tỉnh ban hành kế hoạch". Lexicon terms (UBND) and words that cannot be a
        Vietnamese syllable (OECD, WHO) keep their capitals and are read as acronyms."""
        words = _HEADLINE_WORD.findall(text)
        upper = sum(word.isupper() for word in words)
        headline = upper >= _HEADLINE_WORDS and upper / len(words) > _UPPER_SHARE
        # A byline in capitals ("MINH ANH"): every word a Vietnamese syllable or a known term.
        byline = len(words) >= 2 and all(
            word.isupper()
            and (word in lexicon or TONED.search(word) or VIETNAMESE_SYLLABLE.fullmatch(word))
            for word in words
        )
        if not (headline or byline):
            return text

        def lower(m: re.Match[str]) -> str:
            word = m[0]
            if word in lexicon or not (TONED.search(word) or VIETNAMESE_SYLLABLE.fullmatch(word)):
                return word
            return word.lower()

        return _HEADLINE_WORD_OR_LETTER.sub(lower, text)

    return headline_capitals


# An acronym in brackets right after the words it stands for: "cải cách hành chính (CCHC)".
_BRACKETED_ACRONYM = re.compile(r"\s*\(([A-ZĐ]{2,8})\)")
_WORDS_BEFORE = re.compile(r"[\w]+", re.UNICODE)


def acronym_after_expansion(text: str) -> str:
    """cải cách hành chính (CCHC) -> cải cách hành chính: the acronym is heard once, as its
    words; an acronym in brackets after other words stays (it is read by the rules after)."""

    def initial(word: str) -> str:
        first = unicodedata.normalize("NFD", word[0])[0].upper()
        return "Đ" if word[0] in "Đđ" else first

    pieces: list[str] = []
    last = 0
    for match in _BRACKETED_ACRONYM.finditer(text):
        acronym = match[1]
        words = _WORDS_BEFORE.findall(text[max(0, match.start() - 120) : match.start()])
        if (
            len(words) >= len(acronym)
            and "".join(initial(word) for word in words[-len(acronym) :]) == acronym
        ):
            pieces.append(text[last : match.start()])
            last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)
