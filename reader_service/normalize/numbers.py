"""Numbers in context: Roman numerals, ordinals, phone and service numbers, codes, sections,
percentages, units, currencies, ranges, and finally any number left."""

from __future__ import annotations

import re

from reader_service.normalize.dates import read_year
from reader_service.normalize.patterns import AFTER, BEFORE, NUMBER, alternation, sub
from reader_service.vi.letters import LETTER_NAMES, spell
from reader_service.vi.numbers import (
    read_cardinal,
    read_digits,
    read_number_token,
    read_ordinal,
    roman_to_int,
)
from reader_service.vi.units import CURRENCIES, CURRENCY_SIGNS, MAGNITUDES, PER_ONE, UNITS

_ROMAN = r"(?P<r>[IVXLC]+)"
_ROMAN_CONTEXT = (
    r"lần thứ|thứ|khóa|khoá|chương|phần|mục|thế kỷ|thế kỉ|quý|đại hội|kỳ họp|kì họp|hội nghị|"
    r"hội nghị trung ương|tập|hạng|loại|cấp|khu vực|vùng|quân khu|quân đoàn|giai đoạn|đợt|"
    r"phụ lục|nhóm|giải|bậc|mức|phân khu|tiểu khu|khối|lớp|ca|kỳ|kì|lần|trung ương"
)
_RANKS = {1: "nhất", 2: "nhì"}


@sub(rf"(?P<ctx>(?<!\w)(?i:{_ROMAN_CONTEXT})\s+){_ROMAN}(?![\w])(?:/(?P<y>\d{{4}})(?!\d))?")
def roman_numerals(m: re.Match[str]) -> str:
    """lần thứ XVII -> lần thứ mười bảy; Quý III/2024 -> Quý ba năm hai nghìn ...;
    hạng I -> hạng nhất."""
    if not re.fullmatch(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})", m["r"]):
        return m[0]
    value = roman_to_int(m["r"])
    ctx = m["ctx"].strip().lower()
    if ctx.endswith("thứ"):
        words = read_ordinal(value)
    elif ctx in {"hạng", "giải"}:
        words = _RANKS.get(value, read_cardinal(value))
    else:
        words = read_cardinal(value)
    return m["ctx"] + words + read_year(m["y"])


@sub(r"(?<!\w)(?P<word>[Tt]hứ|[Hh]ạng)\s+(?P<n>\d{1,2})(?![\w/]|[.,]\d)")
def ordinals(m: re.Match[str]) -> str:
    """lần thứ 4 -> lần thứ tư; thứ 2 (weekday) -> thứ hai; hạng 1 -> hạng nhất."""
    n = int(m["n"])
    if m["word"].lower() == "hạng":
        return f"{m['word']} {_RANKS.get(n, read_cardinal(n))}"
    return f"{m['word']} {read_ordinal(n)}"


@sub(
    r"(?<![\w.-])(?=[\w.-]*\d)(?=[\w.-]*(?:[A-Z]|(?<![\d])0\d(?:\d\d)?(?!\d)))"
    r"[A-Z0-9]+(?:[.-][A-Z0-9]+){2,}(?![\w-]|\.\w)"
)
def long_codes(m: re.Match[str]) -> str:
    """000.00.15.H23-240512-0001 (a case file number) -> read piece by piece: zero-led and long
    digit groups digit by digit, letters by name, dots as "chấm"."""
    words: list[str] = []
    for piece in re.findall(r"[A-Z]+|\d+|[.-]", m[0]):
        if piece == ".":
            words.append("chấm")
        elif piece == "-":
            continue
        elif piece.isdigit():
            plain = not piece.startswith("0") and len(piece) <= 4
            words.append(read_cardinal(int(piece)) if plain else read_digits(piece))
        else:
            words.append(spell(piece))
    return " ".join(words)


_SECTION_CONTEXT = (
    r"mục|điểm|khoản|tiểu mục|phần|chương|điều|bước|phiên bản|version|mẫu|biểu|phụ lục"
)


@sub(
    rf"(?P<ctx>(?<!\w)(?i:{_SECTION_CONTEXT})\s+)(?P<n>\d+(?:\.\d+)+)(?![\w/]|,\d)"
    r"|(?<![\w.,/])(?P<legal>\d+\.\d{1,2}\.\d{1,3}(?:\.\d+)*)(?![\w/]|[.,]\d)"
)
def section_numbers(m: re.Match[str]) -> str:
    """mục 2.3 -> mục hai chấm ba; 1.01.02 -> một chấm không một chấm không hai."""
    number = m["n"] or m["legal"]
    words = " chấm ".join(
        read_digits(part) if part.startswith("0") and len(part) > 1 else read_cardinal(int(part))
        for part in number.split(".")
    )
    return (m["ctx"] or "") + words


_PHONE_CONTEXT = (
    r"gọi|gọi tới|gọi đến|tổng đài|đường dây nóng|hotline|điện thoại|số máy|đt|sđt|liên hệ|"
    r"số điện thoại|fax|nhắn tin|soạn tin|gửi tới|gửi đến"
)


@sub(
    r"(?<![\w.,])(?:\+84|\(\+84\))[\s.-]?\d{2,3}(?:[\s.-]?\d{3,4}){2}(?!\w|[.,]\d)"
    r"|(?<![\w.,])\(0\d{2,3}\)\s?\d(?:[\s.-]?\d){6,7}(?!\w|[.,]\d)"
    r"|(?<![\w.,])0[1-9]\d{1,2}(?:[\s.-]\d{2,4}){2,3}(?!\w|[.,]\d)"
    r"|(?<![\w.,])0[1-9]\d{7,9}(?!\w|[.,]\d)"
    r"|(?<![\w.,])1[89]00[\s.-]?\d{4}(?:[\s.-]?\d{2})?(?!\w|[.,]\d)"
)
def phone_numbers(m: re.Match[str]) -> str:
    """0236 3821 456 -> không hai ba sáu ba tám hai một bốn năm sáu; gọi 115 -> một một năm."""
    number = m[0]
    prefix = ""
    if "+84" in number:
        prefix, number = "cộng tám mươi tư ", number.replace("+84", "", 1)
    return prefix + read_digits(number)


@sub(rf"(?P<ctx>(?<!\w)(?i:{_PHONE_CONTEXT})\s?:?\s?)(?P<n>\d{{3,5}})(?!\w|[.,]\d)")
def service_numbers(m: re.Match[str]) -> str:
    """gọi 115 -> gọi một một năm; tổng đài 1022 -> tổng đài một không hai hai."""
    return m["ctx"] + read_digits(m["n"])


_UNIT_NAMES = alternation(UNITS)
_CURRENCY_NAMES = alternation(CURRENCIES)
_MAGNITUDE = rf"(?:\s(?P<mag>{alternation(MAGNITUDES)}))?"


@sub(rf"{BEFORE}(?P<n>{NUMBER})\s?%")
def percents(m: re.Match[str]) -> str:
    """12,5% -> mười hai phẩy năm phần trăm."""
    return f"{read_number_token(m['n'])} phần trăm"


@sub(rf"{BEFORE}(?P<n>{NUMBER}){_MAGNITUDE}\s?(?P<u>{_UNIT_NAMES})(?!\w|/(?![^\W\d_]))")
def measures(m: re.Match[str]) -> str:
    """25 km2 -> hai mươi lăm ki lô mét vuông; 5 triệu m3 -> năm triệu mét khối."""
    mag = f" {m['mag']}" if m["mag"] else ""
    return f"{read_number_token(m['n'])}{mag} {UNITS[m['u']]}"


@sub(rf"{BEFORE}(?P<n>{NUMBER}){_MAGNITUDE}\s?(?P<c>{_CURRENCY_NAMES})(?!\w)")
def currencies(m: re.Match[str]) -> str:
    """20.000 VNĐ -> hai mươi nghìn việt nam đồng; 500.000đ -> năm trăm nghìn đồng."""
    mag = f" {m['mag']}" if m["mag"] else ""
    return f"{read_number_token(m['n'])}{mag} {CURRENCIES[m['c']]}"


@sub(rf"(?<!\w)(?P<sign>[$€£¥])\s?(?P<n>{NUMBER}){_MAGNITUDE}(?!\w)")
def currency_signs(m: re.Match[str]) -> str:
    """$5 -> năm đô la."""
    mag = f" {m['mag']}" if m["mag"] else ""
    return f"{read_number_token(m['n'])}{mag} {CURRENCY_SIGNS[m['sign']]}"


# Words that end an amount of money: after them a slash is "per one" ("đồng/lít").
_MONEY_WORDS = frozenset("đồng đô mỹ rô tệ yên bảng nghìn ngàn triệu tỷ tỉ".split())
_NOT_PER = frozenset("và hoặc hay với của là".split())
# First words of currency names: "USD/VND" is a pair of currencies, not "per".
_CURRENCY_HEADS = frozenset("việt đô ơ nhân yên bảng".split())
_PER = re.compile(rf"\s?/\s?(?P<per>{_UNIT_NAMES}|[^\W\d_]+)(?!\w)")
_WORD_BEFORE = re.compile(r"(\w+)\s*$")


def per_units(text: str) -> str:
    """đồng/tháng -> đồng một tháng; đồng/lít -> đồng một lít; người/km2 -> người trên ki lô
    mét vuông; đồng/người/tháng -> đồng một người một tháng; và/hoặc stays two words."""

    def replace(m: re.Match[str]) -> str:
        found = _WORD_BEFORE.search(text, max(0, m.start() - 30), m.start())
        before, per = (found[1] if found else ""), m["per"]
        if not before:
            return m[0]
        if per in UNITS:  # a price is per one unit: "đồng/kg" -> "đồng một ki lô gam"
            return f" {'một' if before.lower() in _MONEY_WORDS else 'trên'} {UNITS[per]}"
        if {per.lower(), before.lower()} & _NOT_PER or per.lower() in _CURRENCY_HEADS:
            return m[0]
        if per.lower() in PER_ONE or before.lower() in _MONEY_WORDS:
            return f" một {per}"
        return m[0]

    return _PER.sub(replace, text)


@sub(rf"{BEFORE}(?P<a>{NUMBER}\s?(?:{_UNIT_NAMES}))\s+[-–]\s+(?=\d)")
def unit_ranges(m: re.Match[str]) -> str:
    """5 km - 10 km -> 5 km đến 10 km (each measure is read by its own rule)."""
    return f"{m['a']} đến "


# A match result, not a range: "thắng 3-0", "hòa 1-1", "với tỷ số 2-1".
_SCORE_BEFORE = re.compile(
    r"(?i:thắng|thua|hòa|hoà|cầm hòa|đánh bại|tỷ số|tỉ số|cách biệt|chung cuộc)\b[^.;:!?\d]{0,30}$"
)


@sub(rf"{BEFORE}(?P<a>{NUMBER})(?P<ua>\s?%)?\s*[-–]\s*(?P<b>{NUMBER}){AFTER}")
def number_ranges(m: re.Match[str]) -> str:
    """2020 - 2025 -> hai nghìn không trăm hai mươi đến hai nghìn không trăm hai mươi lăm;
    3-5 ngày -> ba đến năm ngày (the unit after the second number is read by its own rule)."""
    if _SCORE_BEFORE.search(m.string, max(0, m.start() - 40), m.start()) and re.fullmatch(
        r"\d{1,2}-\d{1,2}", m[0].strip().replace(" ", "").replace("–", "-")
    ):
        return f"{read_cardinal(int(m['a']))} {m['b']}"  # a score: "thắng 3-0" -> "ba không"
    first = read_number_token(m["a"]) + (" phần trăm" if m["ua"] else "")
    return f"{first} đến {m['b']}"


# A unit left after a number that an earlier rule read as words ("85/60 km/h" ->
# "tám mươi lăm trên sáu mươi km/h"): only units of two or more characters, which are not words.
_NUMBER_WORD = (
    r"một|hai|ba|bốn|tư|năm|lăm|sáu|bảy|tám|chín|mười|mươi|mốt|trăm|nghìn|ngàn|triệu|tỷ|tỉ|"
    r"linh|lẻ|không"
)
_UNIT_AFTER_WORDS = re.compile(
    rf"(?<!\w)(?P<before>(?i:{_NUMBER_WORD}))\s(?P<u>"
    + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True) if len(u) >= 2)
    + r")(?!\w|/(?![^\W\d_]))"
)


def units_after_read_numbers(text: str) -> str:
    """sáu mươi km/h -> sáu mươi ki lô mét trên giờ (the number was read by an earlier rule)."""
    return _UNIT_AFTER_WORDS.sub(lambda m: f"{m['before']} {UNITS[m['u']]}", text)


_PADDED_COUNT = re.compile(r"0[1-9]")
# Before a lower-case word a zero-padded number counts it; after "số", "mã"... it is a code.
_COUNTED_WORD = re.compile(r"\s[a-zđà-ỹ]")
_CODE_BEFORE = re.compile(r"(?:số|mã|hiệu|tuyến|phòng|ký hiệu|kí hiệu|#)\s*$", re.IGNORECASE)


def _is_padded_count(m: re.Match[str]) -> bool:
    text = m.string
    return bool(
        _COUNTED_WORD.match(text, m.end("n"))
        and not _CODE_BEFORE.search(text, max(0, m.start("n") - 12), m.start("n"))
    )


# Amounts are written with thousands dots ("1.500.000"); a run of this many bare digits is a
# code, an account or an ID number ("19031234567890"), read digit by digit.
_CODE_DIGITS = 9


@sub(rf"{BEFORE}(?P<n>{NUMBER}|\d{{1,3}}(?:,\d{{3}}){{2,}}){AFTER}")
def numbers(m: re.Match[str]) -> str:
    """1.500.000 -> một triệu năm trăm nghìn; 8,75 -> tám phẩy bảy mươi lăm; 007 -> không
    không bảy."""
    token = m["n"]
    if re.fullmatch(r"\d{1,3}(?:,\d{3}){2,}", token):  # 1,500,000 written the English way
        return read_cardinal(int(token.replace(",", "")))
    if _PADDED_COUNT.fullmatch(token) and _is_padded_count(m):
        return read_cardinal(int(token))  # "07 ngày", "02 bản": a count written on two digits
    if re.fullmatch(r"0\d+", token) or (token.isdigit() and len(token) >= _CODE_DIGITS):
        return read_digits(token)  # a code, an account or an ID number, not an amount
    return read_number_token(token)


_LETTER_CONTEXT = (
    r"hạng|loại|nhóm|khối|khu|lô|dãy|tòa|toà|phân khu|mẫu|phụ lục|điểm|tiểu khu|ấp|tổ|đội|"
    r"kíp|phòng|tầng|vitamin|viêm gan|cấp độ|phương án|bảng|hình|câu|ý"
)


@sub(rf"(?P<ctx>(?<!\w)(?i:{_LETTER_CONTEXT})\s+)(?P<letter>[A-Za-zĐđ])(?![\w.]|\.\w)")
def single_letters(m: re.Match[str]) -> str:
    """hạng B -> hạng bê; điểm c khoản 2 -> điểm xê khoản 2."""
    return m["ctx"] + LETTER_NAMES[m["letter"].upper()]


_MAGNITUDE_AFTER = re.compile(rf"^\s?(?:{alternation(MAGNITUDES)}|%|{alternation(UNITS)})(?!\w)")


_DOTTED = re.compile(r"(?<![\w.,])(?P<a>\d+)\.(?P<b>\d{1,2}|\d{4,})(?![\w]|[.,]\d)")


def dotted_numbers(text: str) -> str:
    """2.3 (not thousands) -> hai chấm ba; 3.5 triệu (an English decimal) -> ba phẩy năm triệu."""

    def replace(m: re.Match[str]) -> str:
        mark = "phẩy" if _MAGNITUDE_AFTER.match(text[m.end() : m.end() + 12]) else "chấm"
        head, tail = m["a"], m["b"]
        tail_words = read_digits(tail) if tail.startswith("0") else read_cardinal(int(tail))
        return f"{read_cardinal(int(head))} {mark} {tail_words}"

    return _DOTTED.sub(replace, text)


@sub(r"(?<=\d)\s?[x×]\s?(?=\d)")
def multiplications(m: re.Match[str]) -> str:
    """2 x 2 m -> hai nhân hai mét."""
    return " nhân "


@sub(r"(?<![\w.])(?P<neg>[-−])(?=\d)")
def minus_signs(m: re.Match[str]) -> str:
    """-5°C -> âm năm độ xê (a minus sign glued to a number after a space)."""
    return "âm "
