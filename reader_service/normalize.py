"""Text normalisation for speech: an ordered list of small ``str -> str`` rules.

Order matters: specific shapes (addresses, document numbers, plates, dates, times) are read
before the general number rule would take their digits; abbreviations before acronyms are
spelled. Each rule is a plain function, tested alone (tests/test_normalize.py). Vietnamese data
(numbers, letters, units, the lexicon) lives in ``vi/``.

A ``Normalizer`` holds the rules for one lexicon (the packaged one plus the operator's file);
``normalize(text)`` uses the packaged lexicon.
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from pathlib import Path

from reader_service.text import clean_text
from reader_service.vi.addresses import read_address
from reader_service.vi.letters import LETTER_NAMES, recording_spelled, spell
from reader_service.vi.lexicon import Lexicon, load_lexicon, packaged_lexicon
from reader_service.vi.numbers import (
    read_cardinal,
    read_digits,
    read_fraction,
    read_month,
    read_number_token,
    read_ordinal,
    roman_to_int,
)
from reader_service.vi.units import CURRENCIES, CURRENCY_SIGNS, MAGNITUDES, PER_ONE, UNITS

Rule = Callable[[str], str]

# A number as written in Vietnamese: 1.500.000 or 1.234,5 or 12,5 or 42.
_log = logging.getLogger(__name__)

NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
# Not glued to a word, a code or another number on either side.
_BEFORE = r"(?<![\w.,/:@-])"
_AFTER = r"(?![\w/@]|[.,:]\d)"
_I = re.IGNORECASE


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


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


# --- addresses, codes, plates --------------------------------------------------------------

_TLD = r"(?:vn|com|net|org|gov|edu|info|int|io|asia)"


@_sub(
    r"(?<![\w@./-])(?:"
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail
    r"|(?:https?://)?(?:[\w-]+\.)+" + _TLD + r"\b(?:/[\w./?=&%#-]*[\w/])?"  # web address
    r")",
    _I,
)
def addresses(m: re.Match[str]) -> str:
    """lienhe@danang.gov.vn -> liên hệ a còng đà nẵng chấm gốp chấm vê nờ."""
    return read_address(m[0])


def _read_code_piece(piece: str) -> str:
    """A piece of a code: letters spelled, digit runs as numbers ("QH14" -> quy hát mười bốn)."""
    words = []
    for run in re.findall(r"\d+|[^\d]+", piece):
        if run.isdigit():
            words.append(read_cardinal(int(run)) if not run.startswith("0") else read_digits(run))
        else:
            words.append(spell(run))
    return " ".join(w for w in words if w)


_CODE_LETTERS = r"[A-ZĐ][A-ZĐa-z0-9&]*"


@_sub(
    rf"(?<![\w/.-])\d+(?:/\d+)*/{_CODE_LETTERS}(?:[-–]{_CODE_LETTERS})*(?![\w/])"
    rf"|(?<![\w/.-])\d+[-–]{_CODE_LETTERS}(?:/{_CODE_LETTERS})+(?![\w/])"
)
def document_numbers(m: re.Match[str]) -> str:
    """45/2024/NĐ-CP -> bốn mươi lăm trên hai nghìn không trăm hai mươi tư trên nờ đê xê pê;
    57-NQ/TW -> năm mươi bảy nờ quy trên tê vê kép."""
    parts = []
    for part in m[0].split("/"):
        pieces = re.split(r"[-–]", part)
        parts.append(" ".join(_read_code_piece(p) for p in pieces if p))
    return " trên ".join(parts)


@_sub(
    r"(?<![\w.-])(?P<area>\d{2})(?P<series>[A-Z]{1,2}\d?)[-–\s](?P<a>\d{3})\.?(?P<b>\d{2})(?![\w.]|,\d)"
)
def licence_plates(m: re.Match[str]) -> str:
    """30E-456.78 -> ba mươi e bốn năm sáu bảy tám."""
    series = " ".join(read_digits(c) if c.isdigit() else LETTER_NAMES[c] for c in m["series"])
    return f"{read_cardinal(int(m['area']))} {series} {read_digits(m['a'] + m['b'])}"


_PLACES = {"P": "phường", "Q": "quận", "TP": "thành phố", "Tp": "thành phố", "TX": "thị xã"}
_PLACES_TIGHT = {"H": "huyện", "X": "xã", "TT": "thị trấn"}


@_sub(
    r"(?<![\w.])(?P<abbr>TP|Tp|TX|P|Q)\.\s?(?=\d|[A-ZĐ])|(?<![\w.])(?P<tight>H|X|TT)\.(?=[A-ZĐ])"
    r"|(?<![\w.])(?P<bare>TP|TX)\s(?=(?P<name>\w\w))"
)
def place_prefixes(m: re.Match[str]) -> str:
    """P.12, Q.Tân Bình -> phường 12, quận Tân Bình (the number is read later); TP Tuy Hòa
    (no dot, before a name) -> thành phố Tuy Hòa."""
    if m["abbr"]:
        return _PLACES[m["abbr"]] + " "
    if m["bare"]:
        name = m["name"]
        if not (name[0].isupper() and name[1].islower()):
            return m[0]  # "TP HCM" is the lexicon's
        return _PLACES[m["bare"]] + " "
    return _PLACES_TIGHT[m["tight"]] + " "


_ROADS = {"QL": "quốc lộ", "TL": "tỉnh lộ", "ĐT": "đường tỉnh", "ĐH": "đường huyện"}


@_sub(rf"(?<![\w.])(?P<road>{'|'.join(_ROADS)})\.?\s?(?P<n>\d+)(?P<suffix>[A-Z]?)(?![\w])")
def road_numbers(m: re.Match[str]) -> str:
    """QL1A -> quốc lộ một a; ĐT.741 -> đường tỉnh bảy trăm bốn mươi mốt."""
    suffix = f" {LETTER_NAMES[m['suffix']]}" if m["suffix"] else ""
    return f"{_ROADS[m['road']]} {read_cardinal(int(m['n']))}{suffix}"


# "Y" is a word ("Bộ Y tế"), not an initial.
@_sub(r"(?P<name>\b[A-ZĐ][a-zà-ỹđ]+\s)(?P<initial>[A-XZĐ])(?=\.?(?:\s|$|[,;)]))")
def name_initials(m: re.Match[str]) -> str:
    """Nguyễn Văn H. -> Nguyễn Văn hát (an initial after a name is read as its letter)."""
    return m["name"] + LETTER_NAMES[m["initial"]]


# --- dates and times -------------------------------------------------------------------------


def _valid_date(day: int, month: int) -> bool:
    return 1 <= day <= 31 and 1 <= month <= 12


def _day_month(day: int, month: int, with_ngay: bool) -> str:
    return ("ngày " if with_ngay else "") + f"{read_cardinal(day)} tháng {read_month(month)}"


def _year(year: str | None) -> str:
    return f" năm {read_cardinal(int(year))}" if year else ""


_NGAY_BEFORE = re.compile(r"(?:ngày|mùng|mồng|hôm)\s*$", _I)
# "ngày 20 và 21/11", "ngày 15/7 đến 20/7": the second day is already a day of "ngày".
_NGAY_EARLIER = re.compile(r"(?:ngày|mùng|mồng)\s+[^.;:!?]{1,25}(?:và|đến|tới|,|-|–)\s*$", _I)


def _says_ngay(text: str, start: int) -> bool:
    """Whether the words just before ``start`` already say "ngày" (or "mùng")."""
    before = text[max(0, start - 40) : start]
    return bool(_NGAY_BEFORE.search(before[-8:]) or _NGAY_EARLIER.search(before))


def _day_start(m: re.Match[str]) -> int:
    """Where the day number starts (after any context word the pattern also matched)."""
    return m.start("d") if "d" in m.re.groupindex else m.start()


def _date_rule(pattern: str) -> Callable[[Callable[[re.Match[str], bool], str]], Rule]:
    """Like _sub, but the replacement also learns whether "ngày" is already said before."""
    compiled = re.compile(pattern)

    def wrap(replace: Callable[[re.Match[str], bool], str]) -> Rule:
        def rule(text: str) -> str:
            return compiled.sub(lambda m: replace(m, _says_ngay(text, _day_start(m))), text)

        rule.__name__ = replace.__name__
        rule.__doc__ = replace.__doc__
        return rule

    return wrap


_D = r"(?P<d>\d{1,2})"
_M = r"(?P<m>\d{1,2})"
_Y = r"(?P<y>\d{4})"


@_date_rule(
    r"(?<![\w/.,-])(?P<d1>\d{1,2})(?:/(?P<m1>\d{1,2})(?:/(?P<y1>\d{4}))?)?\s*[-–]\s*"
    r"(?P<d2>\d{1,2})/(?P<m2>\d{1,2})(?:/(?P<y>\d{4}))?(?![\w/]|[.,]\d)"
)
def day_ranges(m: re.Match[str], said_ngay: bool) -> str:
    """ngày 23 - 25/1 -> ngày hai mươi ba đến hai mươi lăm tháng một; 28/4 - 1/5 and
    30/4/1975 - 30/4/2025 likewise, with "đến"."""
    d1, d2, m2 = int(m["d1"]), int(m["d2"]), int(m["m2"])
    m1 = int(m["m1"]) if m["m1"] else m2
    if not (_valid_date(d1, m1) and _valid_date(d2, m2)):
        return m[0]
    if m["y1"]:  # two whole dates
        first = _day_month(d1, m1, not said_ngay) + _year(m["y1"])
        return f"{first} đến {_day_month(d2, m2, True)}{_year(m['y'])}"
    if m["m1"] and m1 != m2:
        first = _day_month(d1, m1, not said_ngay)
    else:
        first = ("" if said_ngay else "ngày ") + read_cardinal(d1)
    return f"{first} đến {_day_month(d2, m2, False)}{_year(m['y'])}"


@_date_rule(rf"(?<![\w/.,-]){_D}(?P<s>[/.-]){_M}(?P=s){_Y}(?![\w/]|[.,]\d)")
def full_dates(m: re.Match[str], said_ngay: bool) -> str:
    """14/5/2021 -> ngày mười bốn tháng năm năm hai nghìn không trăm hai mươi mốt."""
    day, month = int(m["d"]), int(m["m"])
    if not _valid_date(day, month):
        return m[0]
    return _day_month(day, month, not said_ngay) + _year(m["y"])


_QUARTER_BEFORE = re.compile(r"quý\s*$", _I)
_THANG_EARLIER = re.compile(r"tháng\s+\d{1,2}\s*(?:và|đến|tới|,|-|–)\s*$", _I)
_MONTH_YEAR = re.compile(rf"(?<![\w/.,-])(?P<thang>[Tt]háng\s+)?{_M}[/-]{_Y}(?![\w/]|[.,]\d)")


def month_years(text: str) -> str:
    """tháng 4/2025 -> tháng tư năm hai nghìn không trăm hai mươi lăm; "tháng 10 và 11/2024"
    says "tháng" once."""

    def replace(m: re.Match[str]) -> str:
        month = int(m["m"])
        if not 1 <= month <= 12:
            return m[0]
        before = text[max(0, m.start() - 20) : m.start()]
        if not m["thang"] and _QUARTER_BEFORE.search(before):  # "quý 1/2024": a quarter
            return f"{read_cardinal(month)}{_year(m['y'])}" if month <= 4 else m[0]
        said = m["thang"] or _THANG_EARLIER.search(before)
        return f"{m['thang'] or ('' if said else 'tháng ')}{read_month(month)}{_year(m['y'])}"

    return _MONTH_YEAR.sub(replace, text)


# Context that only suggests a date: a noun after the number makes it a count ("9/9 chỉ tiêu").
_WEAK_DATE_CONTEXT = frozenset(("", ",", "(", "và", "đến", "từ"))
# Words after which d/m is a day and month, not a fraction.
_DATE_CONTEXT = (
    r"ngày|sáng|chiều|tối|trưa|đêm|hôm|mùng|mồng|từ|đến|và|hạn|trước|sau|dịp|lúc|"
    r"thứ hai|thứ ba|thứ tư|thứ năm|thứ sáu|thứ bảy|chủ nhật"
)


@_sub(rf"(?<![\w/.,])(?P<ctx>(?:(?i:{_DATE_CONTEXT})\s+)?)24/7(?![\w/]|[.,]\d)")
def round_the_clock(m: re.Match[str]) -> str:
    """phục vụ 24/7 -> hai mươi tư trên bảy; but "Sáng 24/7" is the 24th of July."""
    if m["ctx"]:
        return m[0]
    return "hai mươi tư trên bảy"


@_date_rule(rf"(?P<ctx>(?:(?<!\w)(?i:{_DATE_CONTEXT})|[(,])\s*){_D}/{_M}(?![\w/]|[.,]\d)")
def day_months(m: re.Match[str], said_ngay: bool) -> str:
    """Ngày 17/5 -> Ngày mười bảy tháng năm; Sáng 8/3 -> Sáng ngày tám tháng ba."""
    day, month = int(m["d"]), int(m["m"])
    after = m.string[m.end() : m.end() + 20]
    ctx = m["ctx"]
    weak = ctx.strip().lower() in _WEAK_DATE_CONTEXT
    counted = weak and _COUNTED_AFTER.match(after) and not _DATE_AFTER.match(after)
    if not _valid_date(day, month) or _FRACTION_AFTER.match(after) or counted:
        return m[0]  # "đến 1/4 dân số", "Kết quả, 9/9 chỉ tiêu": left to fractions_and_dates
    says = said_ngay or ctx.strip().lower() in {"ngày", "mùng", "mồng", "hôm"}
    return ctx + _day_month(day, month, not says)


# Words around a bare a/b that make it a fraction ("chiếm 1/3 diện tích", "1/5 số hộ").
_FRACTION_BEFORE = re.compile(
    r"(?:chiếm|khoảng|gần|hơn|còn|bằng|tới|đến|trên|dưới|mất|giảm|tăng|thêm|cỡ)\s*$", _I
)
_FRACTION_AFTER = re.compile(
    r"^\s*(?:số|tổng|diện tích|dân số|sản lượng|lượng|các|những|trong|thời gian|phần|quỹ|"
    r"kinh phí|ngân sách|giá trị|khối lượng|chiều|đoạn|quãng|còn lại)\b",
    _I,
)


# A day and month after these names a place ("Quảng trường 1/4", "đường 30/4"): no "ngày".
_NAMED_AFTER_A_DATE = re.compile(
    r"(?:đường|phố|quảng trường|cầu|công viên|sân vận động|nhà văn hóa|nhà văn hoá|cung văn hóa|"
    r"bệnh viện|khu phố|khu dân cư|hồ|bến|chợ)\s*$",
    _I,
)


def fractions_and_dates(text: str) -> str:
    """1/5 số hộ -> một phần năm số hộ; 98/100 -> chín mươi tám trên một trăm; a bare 30/4
    (a day and month) -> ngày ba mươi tháng tư."""

    def replace(m: re.Match[str]) -> str:
        if "," in m["a"] or "," in m["b"]:  # "2,5/10": a decimal over a number
            return f"{read_number_token(m['a'])} trên {read_number_token(m['b'])}"
        a, b = int(m["a"].replace(".", "")), int(m["b"].replace(".", ""))
        before, after = text[max(0, m.start() - 12) : m.start()], text[m.end() : m.end() + 20]
        fraction_words = _FRACTION_BEFORE.search(before) or _FRACTION_AFTER.match(after)
        counts = _COUNTED_AFTER.match(after) and not _DATE_AFTER.match(after)
        if "." not in m[0] and _valid_date(a, b) and not fraction_words and not counts:
            named = _NAMED_AFTER_A_DATE.search(text, max(0, m.start() - 25), m.start())
            return _day_month(a, b, not (named or _says_ngay(text, m.start())))
        if counts and not fraction_words:
            return f"{read_number_token(m['a'])} trên {read_number_token(m['b'])}"
        if 0 < b <= _SMALL_DENOMINATOR and a < b or (fraction_words and 0 < a < b < 1000):
            return read_fraction(a, b)
        return f"{read_number_token(m['a'])} trên {read_number_token(m['b'])}"

    return _FRACTION.sub(replace, text)


# A bare a/b followed by a noun counts things ("3/5 thành viên"); these words after it still
# belong to a date ("30/4 năm nay", "15/8 âm lịch", "2/9, ...").
_COUNTED_AFTER = re.compile(r"^\s+[a-zđà-ỹ]")
_DATE_AFTER = re.compile(
    r"^\s+(?:năm|âm|dương|hằng|hàng|tới|vừa|này|đến|và|lúc|là|được|sẽ|đã|có|vào|tại|ở|"
    r"của|trong|với|cho|mới|cũng|thì|sau|trước|khi)\b",
    _I,
)
# Denominators read as "phần" without a cue word: halves to tenths.
_SMALL_DENOMINATOR = 10
_FRACTION = re.compile(rf"(?<![\w/.,-])(?P<a>{NUMBER})/(?P<b>{NUMBER})(?![\w/]|[.,]\d)")


_CLOCK = r"\d{1,2}\s?(?:h|g|:)(?:\s?\d{2})?"


@_sub(rf"(?<![\w/:.,])(?P<a>{_CLOCK})\s?[-–]\s?(?P<b>{_CLOCK})(?![\w:]|[.,]\d)")
def clock_ranges(m: re.Match[str]) -> str:
    """7h-11h30 -> 7h đến 11h30 (each time is read by the next rules)."""
    return f"{m['a']} đến {m['b']}"


@_sub(
    r"(?<![\w/:.,])(?P<h>\d{1,2})\s?(?:h|g|giờ|:)\s?(?P<min>\d{2})\s?(?:'|’|p\b|ph\b|phút\b)?"
    r"(?![\w:]|[.,]\d)"
)
def clock_times(m: re.Match[str]) -> str:
    """14h30, 14:30 -> mười bốn giờ ba mươi phút; 8h00 -> tám giờ."""
    hour, minute = int(m["h"]), int(m["min"])
    if hour > 24 or minute > 59:
        return m[0]
    if minute == 0:
        return f"{read_cardinal(hour)} giờ"
    return f"{read_cardinal(hour)} giờ {read_cardinal(minute)} phút"


@_sub(r"(?<![\w/.,])(?P<h>\d{1,2})\s?h(?!\w)")
def whole_hours(m: re.Match[str]) -> str:
    """9h -> chín giờ."""
    hour = int(m["h"])
    return f"{read_cardinal(hour)} giờ" if hour <= 24 else m[0]


@_sub(r"(?<!\w)(?P<word>[Tt]háng)\s+(?P<n>\d{1,2})(?![\w/]|[.,]\d)")
def month_names(m: re.Match[str]) -> str:
    """tháng 4 -> tháng tư (a month is named: "tháng tư", not "tháng bốn")."""
    n = int(m["n"])
    return f"{m['word']} {read_month(n)}" if 1 <= n <= 12 else m[0]


# --- numbers in context ------------------------------------------------------------------------

_ROMAN = r"(?P<r>[IVXLC]+)"
_ROMAN_CONTEXT = (
    r"lần thứ|thứ|khóa|khoá|chương|phần|mục|thế kỷ|thế kỉ|quý|đại hội|kỳ họp|kì họp|hội nghị|"
    r"hội nghị trung ương|tập|hạng|loại|cấp|khu vực|vùng|quân khu|quân đoàn|giai đoạn|đợt|"
    r"phụ lục|nhóm|giải|bậc|mức|phân khu|tiểu khu|khối|lớp|ca|kỳ|kì|lần|trung ương"
)
_RANKS = {1: "nhất", 2: "nhì"}


@_sub(rf"(?P<ctx>(?<!\w)(?i:{_ROMAN_CONTEXT})\s+){_ROMAN}(?![\w])(?:/(?P<y>\d{{4}})(?!\d))?")
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
    return m["ctx"] + words + _year(m["y"])


@_sub(r"(?<!\w)(?P<word>[Tt]hứ|[Hh]ạng)\s+(?P<n>\d{1,2})(?![\w/]|[.,]\d)")
def ordinals(m: re.Match[str]) -> str:
    """lần thứ 4 -> lần thứ tư; thứ 2 (weekday) -> thứ hai; hạng 1 -> hạng nhất."""
    n = int(m["n"])
    if m["word"].lower() == "hạng":
        return f"{m['word']} {_RANKS.get(n, read_cardinal(n))}"
    return f"{m['word']} {read_ordinal(n)}"


@_sub(
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


@_sub(
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


@_sub(
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


@_sub(rf"(?P<ctx>(?<!\w)(?i:{_PHONE_CONTEXT})\s?:?\s?)(?P<n>\d{{3,5}})(?!\w|[.,]\d)")
def service_numbers(m: re.Match[str]) -> str:
    """gọi 115 -> gọi một một năm; tổng đài 1022 -> tổng đài một không hai hai."""
    return m["ctx"] + read_digits(m["n"])


_UNIT_NAMES = _alternation(UNITS)
_CURRENCY_NAMES = _alternation(CURRENCIES)
_MAGNITUDE = rf"(?:\s(?P<mag>{_alternation(MAGNITUDES)}))?"


@_sub(rf"{_BEFORE}(?P<n>{NUMBER})\s?%")
def percents(m: re.Match[str]) -> str:
    """12,5% -> mười hai phẩy năm phần trăm."""
    return f"{read_number_token(m['n'])} phần trăm"


@_sub(rf"{_BEFORE}(?P<n>{NUMBER}){_MAGNITUDE}\s?(?P<u>{_UNIT_NAMES})(?!\w|/(?![^\W\d_]))")
def measures(m: re.Match[str]) -> str:
    """25 km2 -> hai mươi lăm ki lô mét vuông; 5 triệu m3 -> năm triệu mét khối."""
    mag = f" {m['mag']}" if m["mag"] else ""
    return f"{read_number_token(m['n'])}{mag} {UNITS[m['u']]}"


@_sub(rf"{_BEFORE}(?P<n>{NUMBER}){_MAGNITUDE}\s?(?P<c>{_CURRENCY_NAMES})(?!\w)")
def currencies(m: re.Match[str]) -> str:
    """20.000 VNĐ -> hai mươi nghìn việt nam đồng; 500.000đ -> năm trăm nghìn đồng."""
    mag = f" {m['mag']}" if m["mag"] else ""
    return f"{read_number_token(m['n'])}{mag} {CURRENCIES[m['c']]}"


@_sub(rf"(?<!\w)(?P<sign>[$€£¥])\s?(?P<n>{NUMBER}){_MAGNITUDE}(?!\w)")
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


@_sub(rf"{_BEFORE}(?P<a>{NUMBER}\s?(?:{_UNIT_NAMES}))\s+[-–]\s+(?=\d)")
def unit_ranges(m: re.Match[str]) -> str:
    """5 km - 10 km -> 5 km đến 10 km (each measure is read by its own rule)."""
    return f"{m['a']} đến "


@_sub(rf"{_BEFORE}(?P<a>{NUMBER})(?P<ua>\s?%)?\s*[-–]\s*(?P<b>{NUMBER}){_AFTER}")
def number_ranges(m: re.Match[str]) -> str:
    """2020 - 2025 -> hai nghìn không trăm hai mươi đến hai nghìn không trăm hai mươi lăm;
    3-5 ngày -> ba đến năm ngày (the unit after the second number is read by its own rule)."""
    if _SCORE_BEFORE.search(m.string, max(0, m.start() - 40), m.start()) and re.fullmatch(
        r"\d{1,2}-\d{1,2}", m[0].strip().replace(" ", "").replace("–", "-")
    ):
        return f"{read_cardinal(int(m['a']))} {m['b']}"  # a score: "thắng 3-0" -> "ba không"
    first = read_number_token(m["a"]) + (" phần trăm" if m["ua"] else "")
    return f"{first} đến {m['b']}"


# A match result, not a range: "thắng 3-0", "hòa 1-1", "với tỷ số 2-1".
_SCORE_BEFORE = re.compile(
    r"(?i:thắng|thua|hòa|hoà|cầm hòa|đánh bại|tỷ số|tỉ số|cách biệt|chung cuộc)\b[^.;:!?\d]{0,30}$"
)


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


@_sub(rf"{_BEFORE}(?P<n>{NUMBER}|\d{{1,3}}(?:,\d{{3}}){{2,}}){_AFTER}")
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


# Amounts are written with thousands dots ("1.500.000"); a run of this many bare digits is a
# code, an account or an ID number ("19031234567890"), read digit by digit.
_CODE_DIGITS = 9


_LETTER_CONTEXT = (
    r"hạng|loại|nhóm|khối|khu|lô|dãy|tòa|toà|phân khu|mẫu|phụ lục|điểm|tiểu khu|ấp|tổ|đội|"
    r"kíp|phòng|tầng|vitamin|viêm gan|cấp độ|phương án|bảng|hình|câu|ý"
)


@_sub(rf"(?P<ctx>(?<!\w)(?i:{_LETTER_CONTEXT})\s+)(?P<letter>[A-Za-zĐđ])(?![\w.]|\.\w)")
def single_letters(m: re.Match[str]) -> str:
    """hạng B -> hạng bê; điểm c khoản 2 -> điểm xê khoản 2."""
    return m["ctx"] + LETTER_NAMES[m["letter"].upper()]


_MAGNITUDE_AFTER = re.compile(rf"^\s?(?:{_alternation(MAGNITUDES)}|%|{_alternation(UNITS)})(?!\w)")


def dotted_numbers(text: str) -> str:
    """2.3 (not thousands) -> hai chấm ba; 3.5 triệu (an English decimal) -> ba phẩy năm triệu."""

    def replace(m: re.Match[str]) -> str:
        mark = "phẩy" if _MAGNITUDE_AFTER.match(text[m.end() : m.end() + 12]) else "chấm"
        head, tail = m["a"], m["b"]
        tail_words = read_digits(tail) if tail.startswith("0") else read_cardinal(int(tail))
        return f"{read_cardinal(int(head))} {mark} {tail_words}"

    return _DOTTED.sub(replace, text)


_DOTTED = re.compile(r"(?<![\w.,])(?P<a>\d+)\.(?P<b>\d{1,2}|\d{4,})(?![\w]|[.,]\d)")


@_sub(r"(?<=\d)\s?[x×]\s?(?=\d)")
def multiplications(m: re.Match[str]) -> str:
    """2 x 2 m -> hai nhân hai mét."""
    return " nhân "


@_sub(r"(?<![\w.])(?P<neg>[-−])(?=\d)")
def minus_signs(m: re.Match[str]) -> str:
    """-5°C -> âm năm độ xê (a minus sign glued to a number after a space)."""
    return "âm "


# --- letters, codes and symbols ------------------------------------------------------------------


def _lexicon_rule(lexicon: Lexicon) -> Rule:
    def abbreviations(text: str) -> str:
        """UBND -> ủy ban nhân dân; TP. -> thành phố; UNICEF -> u ni xép (from the lexicon)."""
        return lexicon.replace(text)

    return abbreviations


def _alphanumeric_rule(lexicon: Lexicon) -> Rule:
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


# Upper-case runs this short inside a code are spelled even when the lexicon knows them.
_SPELLED_IN_CODES = 3
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
            if run.islower() and _VIETNAMESE_SYLLABLE.fullmatch(run):
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


def _headline_rule(lexicon: Lexicon) -> Rule:
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
            and (word in lexicon or _TONED.search(word) or _VIETNAMESE_SYLLABLE.fullmatch(word))
            for word in words
        )
        if not (headline or byline):
            return text

        def lower(m: re.Match[str]) -> str:
            word = m[0]
            if word in lexicon or not (_TONED.search(word) or _VIETNAMESE_SYLLABLE.fullmatch(word)):
                return word
            return word.lower()

        return _HEADLINE_WORD_OR_LETTER.sub(lower, text)

    return headline_capitals


_HEADLINE_WORD = re.compile(r"(?<![\w&.-])[^\W\d_]{2,}(?![\w&]|-\w|\.\w)")
_HEADLINE_WORD_OR_LETTER = re.compile(r"(?<![\w&.-])[^\W\d_]+(?![\w&]|-\w|\.\w)")  # "SỞ Y TẾ"


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


class Normalizer:
    """The ordered rules for one lexicon."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or packaged_lexicon()
        self.rules: tuple[Rule, ...] = (
            clean_text,
            acronym_after_expansion,
            _headline_rule(self.lexicon),
            addresses,
            document_numbers,
            licence_plates,
            place_prefixes,
            road_numbers,
            _lexicon_rule(self.lexicon),
            day_ranges,
            full_dates,
            round_the_clock,
            month_years,
            day_months,
            clock_ranges,
            clock_times,
            whole_hours,
            roman_numerals,
            ordinals,
            single_letters,
            name_initials,
            phone_numbers,
            service_numbers,
            long_codes,
            section_numbers,
            fractions_and_dates,
            unit_ranges,
            number_ranges,
            multiplications,
            minus_signs,
            percents,
            measures,
            currencies,
            currency_signs,
            per_units,
            month_names,
            dotted_numbers,
            _alphanumeric_rule(self.lexicon),
            numbers,
            units_after_read_numbers,
            mixed_case_acronyms,
            acronyms,
            symbols,
            leftover_digits,
            clean_text,
        )

    def __call__(self, text: str) -> str:
        strict = os.environ.get("READER_NORMALIZE_STRICT") == "1"
        for rule in self.rules:
            try:
                text = rule(text)
            except Exception:  # a rule's bug must not silence a whole article
                if strict:  # the tests: a rule that raises is a failure, not a log line
                    raise
                # The text goes on as it was; later rules (the last reads any digit left)
                # still apply. Logged so the rule gets fixed.
                _log.exception("normalisation rule %s failed on %r", _rule_name(rule), text)
        return text


def _rule_name(rule: Rule) -> str:
    return getattr(rule, "__name__", repr(rule))


@cache
def default_normalizer() -> Normalizer:
    return Normalizer()


@lru_cache(maxsize=8)
def normalizer_for(lexicon_files: tuple[Path, ...]) -> Normalizer:
    """One normaliser per set of operator lexicon files (read once per process)."""
    return Normalizer(load_lexicon(lexicon_files)) if lexicon_files else default_normalizer()


def normalize(text: str, normalizer: Normalizer | None = None) -> str:
    """The spoken form of ``text``: what a Vietnamese announcer would say."""
    return (normalizer or default_normalizer())(text)


# --- what the normaliser did not know --------------------------------------------------------

# A toneless word that is still one Vietnamese syllable ("Long", "Minh", "an"): not foreign.
_VIETNAMESE_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
    r"(?:uye|uya|uyu|oai|oay|uây|uôi|ươi|ươu|iêu|yêu|oa|oe|uy|ươ|uô|iê|yê|ưa|ua|ia|ai|ao|au|ay|"
    r"âu|ây|eo|êu|iu|oi|ôi|ơi|ui|ưi|ưu|[aăâeêioôơuưy])"
    r"(?:ng|nh|ch|[cmnpt])?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
_TONED = re.compile(r"[^\x00-\x7f]")


def unknown_tokens(text: str, normalizer: Normalizer | None = None) -> list[tuple[str, str]]:
    """Tokens of ``text`` read by a fallback, for an editor to check before audio is made:
    ``(token, why)`` with why "spelled" (letters read one by one because no rule or lexicon
    entry knew the token: "OECD", the "NQ" of a code) or "foreign" (a word that is not
    Vietnamese, left for the engine to read as if it were). Found by normalising ``text`` and
    watching the spelling fallback, so what a rule read properly ("7h30", "thế kỷ XVIII",
    "UBND") is never flagged."""
    normalizer = normalizer or default_normalizer()
    with recording_spelled() as spelled:
        spoken = normalizer(text)
    found: dict[str, str] = {}
    for token in spelled:
        if any(ch.isalpha() for ch in token):
            found.setdefault(token, "spelled")
    for word in _WORD.findall(spoken):
        if _TONED.search(word) or word in found:
            continue
        if not all(_VIETNAMESE_SYLLABLE.fullmatch(part) for part in re.split(r"[-']", word)):
            found.setdefault(word, "foreign")
    return list(found.items())
