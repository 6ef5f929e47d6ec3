"""The last filter on paragraphs: toolbar labels, page furniture and the repeated title go."""

from __future__ import annotations

import re

from reader_service.extract.noise import is_not_article_heading
from reader_service.extract.profiles import FURNITURE, PORTAL_NAME, TOOLBAR_LABELS
from reader_service.extract.qa import LABELS as QA_LABELS

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
        # "Trả lời:" on its own heads a Q&A page's answer; "Trả lời" is a forum's reply button.
        if text not in QA_LABELS and (is_toolbar(text) or FURNITURE.match(text)):
            continue
        if is_not_article_heading(text):
            continue
        if _names_a_portal(text):
            continue
        kept.append(text)
    return _without_repeats(kept)


# A line that only names the site ("Cổng thông tin điện tử xã Tân Phú, huyện Đồng Phú").
_SITE_LINE_CHARS = 100


def _names_a_portal(text: str) -> bool:
    return (
        len(text) <= _SITE_LINE_CHARS
        and bool(PORTAL_NAME.match(text))
        and not text.endswith((".", "!", "?", ":"))
    )


# A pull quote repeats a sentence of the body: heard once is enough.
_REPEAT_MIN_CHARS = 30
_REPEAT_MAX_CHARS = 300


def _without_repeats(paragraphs: list[str]) -> list[str]:
    """Drop a short paragraph whose whole text also stands inside a longer one right beside it
    (a pull quote sits next to the paragraph it quotes; a list item repeated far away stays)."""
    result = []
    for number, text in enumerate(paragraphs):
        core = text.strip(" \"“”‘’'")
        neighbours = paragraphs[max(0, number - _REPEAT_REACH) : number + _REPEAT_REACH + 1]
        sentence = core.endswith((".", "!", "?", "…"))  # a quote, not a subheading
        if (
            sentence
            and _REPEAT_MIN_CHARS <= len(core) <= _REPEAT_MAX_CHARS
            and any(core in other and len(other) > len(text) for other in neighbours)
        ):
            continue
        result.append(text)
    return result


_REPEAT_REACH = 2
