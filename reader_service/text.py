"""Text hygiene shared by every stage: one Unicode form, no invisible characters, single spaces."""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u3000]+")


def clean_text(text: str) -> str:
    """NFC (legacy windows-1258 tones arrive as combining marks), no zero-width characters or
    soft hyphens, whitespace collapsed to one space."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return _SPACES.sub(" ", text).strip()
