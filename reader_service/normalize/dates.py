"""Dates, months, quarters and times of day ("14/5/2021", "quý I/2024", "7h30", "24/7")."""

from __future__ import annotations

import re
from collections.abc import Callable

from reader_service.normalize.patterns import NUMBER, Rule, sub
from reader_service.vi.numbers import (
    read_cardinal,
    read_fraction,
    read_month,
    read_number_token,
)


def _valid_date(day: int, month: int) -> bool:
    return 1 <= day <= 31 and 1 <= month <= 12


def _day_month(day: int, month: int, with_ngay: bool) -> str:
    return ("ngày " if with_ngay else "") + f"{read_cardinal(day)} tháng {read_month(month)}"


def read_year(year: str | None) -> str:
    return f" năm {read_cardinal(int(year))}" if year else ""


_NGAY_BEFORE = re.compile(r"(?:ngày|mùng|mồng|hôm)\s*$", re.IGNORECASE)
# "ngày 20 và 21/11", "ngày 15/7 đến 20/7": the second day is already a day of "ngày".
_NGAY_EARLIER = re.compile(
    r"(?:ngày|mùng|mồng)\s+[^.;:!?]{1,25}(?:và|đến|tới|,|-|–)\s*$", re.IGNORECASE
)


def _says_ngay(text: str, start: int) -> bool:
    """Whether the words just before ``start`` already say "ngày" (or "mùng")."""
    before = text[max(0, start - 40) : start]
    return bool(_NGAY_BEFORE.search(before[-8:]) or _NGAY_EARLIER.search(before))


def _day_start(m: re.Match[str]) -> int:
    """Where the day number starts (after any context word the pattern also matched)."""
    return m.start("d") if "d" in m.re.groupindex else m.start()


def _date_rule(pattern: str) -> Callable[[Callable[[re.Match[str], bool], str]], Rule]:
    """Like sub, but the replacement also learns whether "ngày" is already said before."""
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
        first = _day_month(d1, m1, not said_ngay) + read_year(m["y1"])
        return f"{first} đến {_day_month(d2, m2, True)}{read_year(m['y'])}"
    if m["m1"] and m1 != m2:
        first = _day_month(d1, m1, not said_ngay)
    else:
        first = ("" if said_ngay else "ngày ") + read_cardinal(d1)
    return f"{first} đến {_day_month(d2, m2, False)}{read_year(m['y'])}"


@_date_rule(rf"(?<![\w/.,-]){_D}(?P<s>[/.-]){_M}(?P=s){_Y}(?![\w/]|[.,]\d)")
def full_dates(m: re.Match[str], said_ngay: bool) -> str:
    """14/5/2021 -> ngày mười bốn tháng năm năm hai nghìn không trăm hai mươi mốt."""
    day, month = int(m["d"]), int(m["m"])
    if not _valid_date(day, month):
        return m[0]
    return _day_month(day, month, not said_ngay) + read_year(m["y"])


_QUARTER_BEFORE = re.compile(r"quý\s*$", re.IGNORECASE)
_THANG_EARLIER = re.compile(r"tháng\s+\d{1,2}\s*(?:và|đến|tới|,|-|–)\s*$", re.IGNORECASE)
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
            return f"{read_cardinal(month)}{read_year(m['y'])}" if month <= 4 else m[0]
        said = m["thang"] or _THANG_EARLIER.search(before)
        return f"{m['thang'] or ('' if said else 'tháng ')}{read_month(month)}{read_year(m['y'])}"

    return _MONTH_YEAR.sub(replace, text)


# Context that only suggests a date: a noun after the number makes it a count ("9/9 chỉ tiêu").
_WEAK_DATE_CONTEXT = frozenset(("", ",", "(", "và", "đến", "từ"))
# Words after which d/m is a day and month, not a fraction.
_DATE_CONTEXT = (
    r"ngày|sáng|chiều|tối|trưa|đêm|hôm|mùng|mồng|từ|đến|và|hạn|trước|sau|dịp|lúc|"
    r"thứ hai|thứ ba|thứ tư|thứ năm|thứ sáu|thứ bảy|chủ nhật"
)


@sub(rf"(?<![\w/.,])(?P<ctx>(?:(?i:{_DATE_CONTEXT})\s+)?)24/7(?![\w/]|[.,]\d)")
def round_the_clock(m: re.Match[str]) -> str:
    """phục vụ 24/7 -> hai mươi tư trên bảy; but "Sáng 24/7" is the 24th of July."""
    if m["ctx"]:
        return m[0]
    return "hai mươi tư trên bảy"


# Words after a bare a/b that make it a fraction ("1/5 số hộ", "2/3 diện tích").
_FRACTION_AFTER = re.compile(
    r"^\s*(?:số|tổng|diện tích|dân số|sản lượng|lượng|các|những|trong|thời gian|phần|quỹ|"
    r"kinh phí|ngân sách|giá trị|khối lượng|chiều|đoạn|quãng|còn lại)\b",
    re.IGNORECASE,
)
# A bare a/b followed by a noun counts things ("3/5 thành viên"); these words after it still
# belong to a date ("30/4 năm nay", "15/8 âm lịch", "2/9, ...").
_COUNTED_AFTER = re.compile(r"^\s+[a-zđà-ỹ]")
_DATE_AFTER = re.compile(
    r"^\s+(?:năm|âm|dương|hằng|hàng|tới|vừa|này|đến|và|lúc|là|được|sẽ|đã|có|vào|tại|ở|"
    r"của|trong|với|cho|mới|cũng|thì|sau|trước|khi)\b",
    re.IGNORECASE,
)


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


# Words before a bare a/b that make it a fraction ("chiếm 1/3 diện tích").
_FRACTION_BEFORE = re.compile(
    r"(?:chiếm|khoảng|gần|hơn|còn|bằng|tới|đến|trên|dưới|mất|giảm|tăng|thêm|cỡ)\s*$", re.IGNORECASE
)


# A day and month after these names a place ("Quảng trường 1/4", "đường 30/4"): no "ngày".
_NAMED_AFTER_A_DATE = re.compile(
    r"(?:đường|phố|quảng trường|cầu|công viên|sân vận động|nhà văn hóa|nhà văn hoá|cung văn hóa|"
    r"bệnh viện|khu phố|khu dân cư|hồ|bến|chợ)\s*$",
    re.IGNORECASE,
)


_FRACTION = re.compile(rf"(?<![\w/.,-])(?P<a>{NUMBER})/(?P<b>{NUMBER})(?![\w/]|[.,]\d)")


# Denominators read as "phần" without a cue word: halves to tenths.
_SMALL_DENOMINATOR = 10


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


_CLOCK = r"\d{1,2}\s?(?:h|g|:)(?:\s?\d{2})?"


@sub(rf"(?<![\w/:.,])(?P<a>{_CLOCK})\s?[-–]\s?(?P<b>{_CLOCK})(?![\w:]|[.,]\d)")
def clock_ranges(m: re.Match[str]) -> str:
    """7h-11h30 -> 7h đến 11h30 (each time is read by the next rules)."""
    return f"{m['a']} đến {m['b']}"


@sub(
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


@sub(r"(?<![\w/.,])(?P<h>\d{1,2})\s?h(?!\w)")
def whole_hours(m: re.Match[str]) -> str:
    """9h -> chín giờ."""
    hour = int(m["h"])
    return f"{read_cardinal(hour)} giờ" if hour <= 24 else m[0]


@sub(r"(?<!\w)(?P<word>[Tt]háng)\s+(?P<n>\d{1,2})(?![\w/]|[.,]\d)")
def month_names(m: re.Match[str]) -> str:
    """tháng 4 -> tháng tư (a month is named: "tháng tư", not "tháng bốn")."""
    n = int(m["n"])
    return f"{m['word']} {read_month(n)}" if 1 <= n <= 12 else m[0]
