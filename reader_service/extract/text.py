"""Decoding HTML bytes to text: BOM, declared charsets, then a guess.

Old portal templates often keep ``<meta charset=windows-1258>`` (or iso-8859-1) while the
server sends UTF-8 bytes: read by the declaration, every Vietnamese letter becomes mojibake.
Bytes that are valid UTF-8 and hold non-ASCII text are practically never a real single-byte
page (a Vietnamese letter in windows-1258 or ISO-8859-1 is a byte 0x80-0xFF that UTF-8 only
accepts in rare exact sequences), so such bytes are read as UTF-8 whatever a single-byte
declaration says. A declared multi-byte charset (UTF-16, CJK) is still obeyed.
"""

from __future__ import annotations

import codecs
import logging
import re

from bs4 import UnicodeDammit

_log = logging.getLogger(__name__)
# bs4 logs in English when it has to replace characters; decode_html says it in Vietnamese.
logging.getLogger("bs4.dammit").setLevel(logging.ERROR)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE)


def _known(encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


def _single_byte(encoding: str) -> bool:
    """Whether ``encoding`` gives one character per byte (windows-1258, ISO-8859-1, ASCII)."""
    return len(b"\xc3\xa1".decode(encoding, errors="replace")) == 2


def _utf8_text(body: bytes) -> str | None:
    """The body as UTF-8 if it is valid UTF-8 with some non-ASCII text, else None."""
    if body.isascii():
        return None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def decode_html(body: bytes, declared_charset: str | None = None) -> str:
    """Bytes to text: BOM first, then the HTTP header, then <meta charset>, then a guess."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace")
    meta = _META_CHARSET.search(body[:4096])
    candidates = [_known(declared_charset), _known(meta[1].decode("ascii")) if meta else None]
    declared = [encoding for encoding in candidates if encoding]
    if declared and all(map(_single_byte, declared)) and (text := _utf8_text(body)):
        return text
    for encoding in declared:
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            continue
    dammit = UnicodeDammit(body, ["utf-8", "windows-1258"])
    text = dammit.unicode_markup or body.decode("utf-8", errors="replace")
    if dammit.contains_replacement_characters:
        _log.warning(
            "Một số ký tự của trang không giải mã được (bảng mã không rõ) và được thay bằng dấu �."
        )
    return text
