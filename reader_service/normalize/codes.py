"""Addresses, document numbers, licence plates, place and road prefixes, name initials: shapes
read before any rule would take their digits or letters."""

from __future__ import annotations

import re

from reader_service.normalize.patterns import sub
from reader_service.vi.addresses import read_address
from reader_service.vi.letters import LETTER_NAMES, spell
from reader_service.vi.numbers import (
    read_cardinal,
    read_digits,
)

_TLD = r"(?:vn|com|net|org|gov|edu|info|int|io|asia)"


@sub(
    r"(?<![\w@./-])(?:"
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail
    r"|(?:https?://)?(?:[\w-]+\.)+" + _TLD + r"\b(?:/[\w./?=&%#-]*[\w/])?"  # web address
    r")",
    re.IGNORECASE,
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


@sub(
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


@sub(
    r"(?<![\w.-])(?P<area>\d{2})(?P<series>[A-Z]{1,2}\d?)[-–\s](?P<a>\d{3})\.?(?P<b>\d{2})(?![\w.]|,\d)"
)
def licence_plates(m: re.Match[str]) -> str:
    """30E-456.78 -> ba mươi e bốn năm sáu bảy tám."""
    series = " ".join(read_digits(c) if c.isdigit() else LETTER_NAMES[c] for c in m["series"])
    return f"{read_cardinal(int(m['area']))} {series} {read_digits(m['a'] + m['b'])}"


_PLACES = {"P": "phường", "Q": "quận", "TP": "thành phố", "Tp": "thành phố", "TX": "thị xã"}
_PLACES_TIGHT = {"H": "huyện", "X": "xã", "TT": "thị trấn"}


@sub(
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


@sub(rf"(?<![\w.])(?P<road>{'|'.join(_ROADS)})\.?\s?(?P<n>\d+)(?P<suffix>[A-Z]?)(?![\w])")
def road_numbers(m: re.Match[str]) -> str:
    """QL1A -> quốc lộ một a; ĐT.741 -> đường tỉnh bảy trăm bốn mươi mốt."""
    suffix = f" {LETTER_NAMES[m['suffix']]}" if m["suffix"] else ""
    return f"{_ROADS[m['road']]} {read_cardinal(int(m['n']))}{suffix}"


# "Y" is a word ("Bộ Y tế"), not an initial.
@sub(r"(?P<name>\b[A-ZĐ][a-zà-ỹđ]+\s)(?P<initial>[A-XZĐ])(?=\.?(?:\s|$|[,;)]))")
def name_initials(m: re.Match[str]) -> str:
    """Nguyễn Văn H. -> Nguyễn Văn hát (an initial after a name is read as its letter)."""
    return m["name"] + LETTER_NAMES[m["initial"]]
