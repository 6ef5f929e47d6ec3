"""The last filter on paragraphs: toolbar labels, page furniture and the repeated title go."""

from __future__ import annotations

import re

from reader_service.extract.noise import is_not_article_heading
from reader_service.extract.profiles import FURNITURE, TOOLBAR_LABELS

_LABELS = re.compile(
    r"(?<!\w)(?:"
    + "|".join(
        re.escape(label.casefold()) for label in sorted(TOOLBAR_LABELS, key=len, reverse=True)
    )
    + r")(?!\w)"
)
# The font-size buttons of accessibility toolbars: "A- A A+", "-A A +A", "Aa".
_FONT_BUTTONS = re.compile(r"(?<!\w)(?:[-+]\s?a|a\s?[-+]|aa)(?!\w)")
_LEFTOVER = re.compile(r"(?<!\w)a(?!\w)|[\d\W_]+")


def is_toolbar(text: str) -> bool:
    """A block made only of toolbar labels and buttons, in any order and with any separators."""
    folded = text.casefold()
    without_labels = _FONT_BUTTONS.sub(" ", _LABELS.sub(" ", folded))
    if without_labels == folded:
        return False
    return not _LEFTOVER.sub("", without_labels).strip()


def readable(paragraphs: list[str], title: str) -> list[str]:
    """Paragraphs a listener should hear, in order."""
    folded_title = title.casefold().strip(" .")
    kept: list[str] = []
    for text in paragraphs:
        folded = text.casefold().strip(" .")
        if not any(ch.isalnum() for ch in text):
            continue
        if folded_title and folded == folded_title:
            continue
        if is_toolbar(text) or FURNITURE.match(text):
            continue
        if is_not_article_heading(text):
            continue
        kept.append(text)
    return kept
