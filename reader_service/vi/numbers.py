"""Reading numbers aloud in Vietnamese (Northern standard, as an announcer reads them)."""

from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# Scale word of each group of three digits, from the right: 10^3, 10^6, 10^9; beyond a
# billion Vietnamese repeats the words ("nghìn tỷ", "triệu tỷ").
_SCALES = ("", "nghìn", "triệu", "tỷ")


def _tens_and_units(n: int) -> list[str]:
    """Words for 1..99 following the tens: mười/mươi, and unit forms mốt, tư, lăm."""
    tens, unit = divmod(n, 10)
    if tens == 0:
        return [DIGITS[unit]]
    words = ["mười"] if tens == 1 else [DIGITS[tens], "mươi"]
    if unit == 0:
        return words
    if unit == 5:
        words.append("lăm")
    elif unit == 1 and tens > 1:
        words.append("mốt")
    elif unit == 4 and tens > 1:
        words.append("tư")
    else:
        words.append(DIGITS[unit])
    return words


def _group(n: int, leading: bool) -> list[str]:
    """Words for one group of three digits (0 < n < 1000).

    A group after the leading one keeps its hundreds ("không trăm") and reads a lone unit
    after "linh": 2021 -> "hai nghìn không trăm hai mươi mốt".
    """
    hundreds, rest = divmod(n, 100)
    words: list[str] = []
    if hundreds or not leading:
        words += [DIGITS[hundreds], "trăm"]
    if rest == 0:
        return words
    if rest < 10 and words:
        return [*words, "linh", DIGITS[rest]]
    return words + _tens_and_units(rest)


def read_cardinal(n: int) -> str:
    """Spoken form of an integer: 2006100 -> "hai triệu không trăm linh sáu nghìn một trăm"."""
    if n < 0:
        return "âm " + read_cardinal(-n)
    if n == 0:
        return DIGITS[0]
    if n >= 10**9:
        billions, rest = divmod(n, 10**9)
        head = read_cardinal(billions) + " tỷ"
        return head if rest == 0 else head + " " + _read_below_billion(rest, leading=False)
    return _read_below_billion(n, leading=True)


def _read_below_billion(n: int, leading: bool) -> str:
    groups = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    words: list[str] = []
    for position in range(len(groups) - 1, -1, -1):
        group = groups[position]
        if group == 0:
            continue
        is_first = leading and not words
        words += _group(group, leading=is_first)
        if _SCALES[position]:
            words.append(_SCALES[position])
    return " ".join(words)


def read_digits(digits: str) -> str:
    """Digit by digit, for phone numbers, codes and decimals with leading zeros."""
    return " ".join(DIGITS[int(d)] for d in digits if "0" <= d <= "9")


def read_decimal(integer_part: str, fraction_part: str) -> str:
    """("8", "75") -> "tám phẩy bảy mươi lăm"; a leading zero makes it digit by digit."""
    head = read_cardinal(int(integer_part))
    if fraction_part.startswith("0") or len(fraction_part) > 3:
        tail = read_digits(fraction_part)
    else:
        tail = read_cardinal(int(fraction_part))
    return f"{head} phẩy {tail}"


def read_number_token(token: str) -> str:
    """A number as written in Vietnamese text: dots group thousands, a comma marks decimals."""
    if "," in token:
        integer_part, fraction_part = token.split(",", 1)
        return read_decimal(integer_part.replace(".", ""), fraction_part)
    return read_cardinal(int(token.replace(".", "")))


_ORDINALS = {1: "nhất", 4: "tư"}


def read_ordinal(n: int) -> str:
    """The word after "thứ": 1 -> "nhất", 4 -> "tư", others as cardinals."""
    return _ORDINALS.get(n, read_cardinal(n))


def read_month(n: int) -> str:
    """The word after "tháng": 4 -> "tư" (tháng tư), others as cardinals."""
    return "tư" if n == 4 else read_cardinal(n)


def read_fraction(numerator: int, denominator: int) -> str:
    """1/5 -> "một phần năm"; 3/4 -> "ba phần tư"."""
    return f"{read_cardinal(numerator)} phần {read_month(denominator)}"


_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_to_int(numeral: str) -> int:
    """XVII -> 17 (subtractive notation understood)."""
    total = 0
    for char, following in zip(numeral, [*numeral[1:], ""], strict=True):
        value = _ROMAN_VALUES[char]
        total += -value if following and _ROMAN_VALUES[following] > value else value
    return total
