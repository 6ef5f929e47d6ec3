"""Decoding HTML bytes to text: BOM, declared charsets, then a guess."""

from __future__ import annotations

import codecs
import re

from bs4 import UnicodeDammit

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
