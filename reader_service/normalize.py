"""Text normalisation for speech: an ordered list of small ``str -> str`` rules.

Order matters: specific shapes (dates, times, document numbers) are read before the general
number rule would take their digits one by one. Each rule is a plain function, tested alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from reader_service.text import clean_text
from reader_service.vi.abbreviations import ACRONYMS, ADMINISTRATIVE, LETTER_NAMES
from reader_service.vi.numbers import (
    read_cardinal,
    read_digits,
    read_month,
    read_number_token,
    read_ordinal,
)

Rule = Callable[[str], str]

# A number as written in Vietnamese: 1.500.000 or 12,5 or 42 (not part of a word or a code).
_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_BEFORE = r"(?<![\w.,/])"
_AFTER = r"(?![\w/]|[.,]\d)"


def _sub(pattern: str, flags: int = 0) -> Callable[[Callable[[re.Match[str]], str]], Rule]:
    """Decorator: turn a match -> replacement function into a rule over the whole text."""
    compiled = re.compile(pattern, flags)

    def wrap(replace: Callable[[re.Match[str]], str]) -> Rule:
        def rule(text: str) -> str:
            return compiled.sub(replace, text)

        rule.__name__ = replace.__name__
        rule.__doc__ = replace.__doc__
        return rule

    return wrap


def _valid_date(day: int, month: int) -> bool:
    return 1 <= day <= 31 and 1 <= month <= 12


def _date_words(day: int, month: int, year: str | None, after_ngay: bool) -> str:
    words = ("" if after_ngay else "ngày ") + f"{read_cardinal(day)} tháng {read_month(month)}"
    if year is not None:
        words += f" năm {read_cardinal(int(year))}"
    return words


@_sub(r"(?<![\w/])(?P<ngay>[Nn]gày\s+)?(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})(?![\w/])")
def full_dates(m: re.Match[str]) -> str:
    """14/5/2021 -> ngày mười bốn tháng năm năm hai nghìn không trăm hai mươi mốt."""
    day, month = int(m["d"]), int(m["m"])
    if not _valid_date(day, month):
        return m[0]
    prefix = m["ngay"] or ""
    return prefix + _date_words(day, month, m["y"], after_ngay=bool(prefix))


@_sub(r"(?<![\w/])(?P<thang>[Tt]háng\s+)?(?P<m>\d{1,2})/(?P<y>\d{4})(?![\w/])")
def month_years(m: re.Match[str]) -> str:
    """tháng 4/2025 -> tháng tư năm hai nghìn không trăm hai mươi lăm."""
    month = int(m["m"])
    if not 1 <= month <= 12:
        return m[0]
    return f"{m['thang'] or 'tháng '}{read_month(month)} năm {read_cardinal(int(m['y']))}"


# Words after which d/m is a day and month, not a fraction.
_DATE_CONTEXT = r"(?:[Nn]gày|[Ss]áng|[Cc]hiều|[Tt]ối|[Tt]rưa|[Đđ]êm|[Hh]ôm|[Mm]ùng|[Mm]ồng|từ|đến)"


@_sub(rf"(?P<ctx>{_DATE_CONTEXT}\s+)(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})(?![\w/]|[.,]\d)")
def day_months(m: re.Match[str]) -> str:
    """Ngày 17/5 -> Ngày mười bảy tháng năm; Sáng 8/3 -> Sáng ngày tám tháng ba."""
    day, month = int(m["d"]), int(m["m"])
    if not _valid_date(day, month):
        return m[0]
    after_ngay = m["ctx"].strip().lower() in {"ngày", "mùng", "mồng"}
    return m["ctx"] + _date_words(day, month, None, after_ngay)


@_sub(r"(?<![\w/])(?P<a>\d{1,3})/(?P<b>\d{1,3})(?![\w/]|[.,]\d)")
def fractions_and_dates(m: re.Match[str]) -> str:
    """1/5 -> một phần năm; a bare 30/4 (not a proper fraction) is a day and month."""
    numerator, denominator = int(m["a"]), int(m["b"])
    if 0 < numerator < denominator:
        return f"{read_cardinal(numerator)} phần {read_month(denominator)}"
    if _valid_date(numerator, denominator):
        return _date_words(numerator, denominator, None, after_ngay=False)
    return f"{read_cardinal(numerator)} trên {read_cardinal(denominator)}"


@_sub(r"(?<![\w/:])(?P<h>\d{1,2})(?:h|giờ|:)(?P<min>\d{2})(?:'|p\b|phút\b)?(?![\w:])")
def clock_times(m: re.Match[str]) -> str:
    """14h30, 14:30 -> mười bốn giờ ba mươi phút."""
    hour, minute = int(m["h"]), int(m["min"])
    if hour > 24 or minute > 59:
        return m[0]
    if minute == 0:
        return f"{read_cardinal(hour)} giờ"
    return f"{read_cardinal(hour)} giờ {read_cardinal(minute)} phút"


@_sub(r"(?<![\w/])(?P<h>\d{1,2})h(?!\w)")
def whole_hours(m: re.Match[str]) -> str:
    """9h -> chín giờ."""
    hour = int(m["h"])
    return f"{read_cardinal(hour)} giờ" if hour <= 24 else m[0]


def spell_acronym(word: str) -> str:
    """An acronym read with Vietnamese letter names: BCVT -> bê xê vê tê."""
    return " ".join(LETTER_NAMES.get(ch, ch) for ch in word.upper() if ch.isalnum())


def _read_code_part(part: str) -> str:
    if part.isdigit():
        return read_cardinal(int(part))
    return " ".join(spell_acronym(piece) for piece in part.split("-") if piece)


@_sub(r"(?<![\w/])\d+(?:/\d+)*/[A-ZĐ][A-ZĐ0-9&]*(?:-[A-ZĐ0-9&]+)*(?![\w/])")
def document_numbers(m: re.Match[str]) -> str:
    """45/2024/NĐ-CP -> bốn mươi lăm trên hai nghìn không trăm hai mươi tư trên nờ đê xê pê."""
    return " trên ".join(_read_code_part(part) for part in m[0].split("/"))


@_sub(rf"{_BEFORE}(?P<a>\d{{1,4}})\s*[-–]\s*(?P<b>\d{{1,4}}){_AFTER}")
def number_ranges(m: re.Match[str]) -> str:
    """2020 - 2025 -> hai nghìn không trăm hai mươi đến hai nghìn không trăm hai mươi lăm."""
    return f"{read_cardinal(int(m['a']))} đến {read_cardinal(int(m['b']))}"


@_sub(rf"{_BEFORE}(?P<n>{_NUMBER})\s?%")
def percents(m: re.Match[str]) -> str:
    """12,5% -> mười hai phẩy năm phần trăm."""
    return f"{read_number_token(m['n'])} phần trăm"


@_sub(rf"\b(?P<word>thứ|Thứ)\s+(?P<n>\d{{1,2}}){_AFTER}")
def ordinals(m: re.Match[str]) -> str:
    """lần thứ 4 -> lần thứ tư."""
    return f"{m['word']} {read_ordinal(int(m['n']))}"


_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "M": 1000}
_ROMAN_CONTEXT = (
    r"(?:thứ|khóa|khoá|Khóa|Khoá|[Cc]hương|[Pp]hần|[Mm]ục|[Tt]hế kỷ|[Qq]uý|[Đđ]ại hội|[Kk]ỳ họp)"
)


def roman_to_int(numeral: str) -> int:
    """XVII -> 17 (subtractive notation understood)."""
    total = 0
    for char, following in zip(numeral, [*numeral[1:], ""], strict=True):
        value = _ROMAN_VALUES[char]
        total += -value if following and _ROMAN_VALUES[following] > value else value
    return total


@_sub(rf"(?P<ctx>{_ROMAN_CONTEXT}\s+)(?P<r>[IVXLC]+)\b(?:/(?P<y>\d{{4}})\b)?")
def roman_numerals(m: re.Match[str]) -> str:
    """lần thứ XVII -> lần thứ mười bảy; Quý III/2024 -> Quý ba năm hai nghìn ..."""
    value = roman_to_int(m["r"])
    words = read_ordinal(value) if m["ctx"].strip() == "thứ" else read_cardinal(value)
    if m["y"]:
        words += f" năm {read_cardinal(int(m['y']))}"
    return m["ctx"] + words


_UNITS = {
    "km2": "ki lô mét vuông",
    "m2": "mét vuông",
    "m3": "mét khối",
    "km": "ki lô mét",
    "ha": "héc ta",
    "kg": "ki lô gam",
    "cm": "xen ti mét",
    "mm": "mi li mét",
    "m": "mét",
    "°C": "độ xê",
    "MW": "mê ga oát",
    "kW": "ki lô oát",
    "kWh": "ki lô oát giờ",
    "VNĐ": "việt nam đồng",
    "VND": "việt nam đồng",
    "USD": "đô la mỹ",
}
_UNIT_PATTERN = "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True))


@_sub(rf"{_BEFORE}(?P<n>{_NUMBER})\s?(?P<u>{_UNIT_PATTERN})(?!\w)")
def measures(m: re.Match[str]) -> str:
    """25 km2 -> hai mươi lăm ki lô mét vuông."""
    return f"{read_number_token(m['n'])} {_UNITS[m['u']]}"


@_sub(r"(?<![\w.])0\d{2,3}(?:[ .]\d{3,4}){1,3}(?!\w|[.,]\d)|(?<![\w.])0\d{8,10}(?!\w|[.,]\d)")
def phone_numbers(m: re.Match[str]) -> str:
    """0236 3821 456 -> không hai ba sáu ba tám hai một bốn năm sáu."""
    return read_digits(m[0])


@_sub(rf"{_BEFORE}(?P<n>{_NUMBER}){_AFTER}")
def numbers(m: re.Match[str]) -> str:
    """1.500.000 -> một triệu năm trăm nghìn; 8,75 -> tám phẩy bảy mươi lăm."""
    return read_number_token(m["n"])


def _word_table_rule(table: dict[str, str], name: str) -> Rule:
    keys = sorted(table, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.&])(" + "|".join(map(re.escape, keys)) + r")(?![\w&])")

    def rule(text: str) -> str:
        return pattern.sub(lambda m: table[m[1]], text)

    rule.__name__ = name
    return rule


administrative_abbreviations = _word_table_rule(ADMINISTRATIVE, "administrative_abbreviations")
known_acronyms = _word_table_rule(ACRONYMS, "known_acronyms")


@_sub(r"(?<![\w&])[BCDĐFGHJKLMNPQRSTVWXZ]{2,6}(?![\w&])")
def consonant_acronyms(m: re.Match[str]) -> str:
    """Upper-case tokens with no vowel cannot be words: BCVT -> bê xê vê tê."""
    return spell_acronym(m[0])


@_sub(r"(?<=\w)\s*&\s*(?=\w)")
def ampersands(m: re.Match[str]) -> str:
    """R&D, A & B -> 'và'."""
    return " và "


RULES: tuple[Rule, ...] = (
    clean_text,
    administrative_abbreviations,
    document_numbers,
    full_dates,
    month_years,
    day_months,
    fractions_and_dates,
    clock_times,
    whole_hours,
    roman_numerals,
    ordinals,
    percents,
    measures,
    phone_numbers,
    number_ranges,
    numbers,
    known_acronyms,
    consonant_acronyms,
    ampersands,
    clean_text,
)


def normalize(text: str, rules: tuple[Rule, ...] = RULES) -> str:
    """The spoken form of ``text``: what a Vietnamese announcer would say."""
    for rule in rules:
        text = rule(text)
    return text
