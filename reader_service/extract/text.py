"""Text hygiene for extracted HTML: decoding, Unicode form, invisible characters, spaces."""

from __future__ import annotations

import codecs
import re
import unicodedata

from bs4 import UnicodeDammit

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u3000]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE)


def _known(encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return codecs.lookup(encoding).name
    except LookupError:
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
    for encoding in filter(None, candidates):
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            continue
    dammit = UnicodeDammit(body, ["utf-8", "windows-1258"])
    return dammit.unicode_markup or body.decode("utf-8", errors="replace")


def clean(text: str) -> str:
    """NFC (windows-1258 tones arrive as combining marks), no invisibles, spaces collapsed."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return _SPACES.sub(" ", text).strip()
