"""Generic extraction for pages no portal profile knows: trafilatura, then a text-density scorer.

Measured (benchmarks/extraction.py, 181 public pages): trafilatura's main extractor is far ahead
of our own density scorer (F1 0.95 vs 0.87), so it is the generic layer; the scorer stays as a
last resort for short pages trafilatura declines (it wants at least ~250 characters).
"""

from __future__ import annotations

import logging

import trafilatura
from lxml.html import HtmlElement

from reader_service.extract.blocks import paragraphs_of
from reader_service.extract.document import is_element, text_of

# Below this many characters the scorer's pick is a fragment of navigation, not an article.
MIN_SCORED_CHARS = 80
_SCORED_TAGS = ("p", "td", "pre", "blockquote", "li")

# trafilatura logs every page it declines at WARNING: not a fault of ours or the portal's.
logging.getLogger("trafilatura").setLevel(logging.ERROR)


def trafilatura_paragraphs(root: HtmlElement, url: str | None) -> list[str]:
    """Paragraphs trafilatura finds in the tree (it works on a copy)."""
    document = trafilatura.bare_extraction(
        root,
        url=url,
        fast=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        with_metadata=False,
        deduplicate=False,
    )
    body = getattr(document, "body", None)
    if body is None:
        return []
    return paragraphs_of(body)


def best_scored(root: HtmlElement) -> HtmlElement | None:
    """The element whose paragraphs hold the most non-link text (readability's idea, small)."""
    scores: dict[HtmlElement, float] = {}
    for paragraph in root.iter(*_SCORED_TAGS):
        text = text_of(paragraph)
        if len(text) < 25:
            continue
        link_chars = sum(len(text_of(a)) for a in paragraph.iter("a"))
        score = (1 + text.count(",") + min(len(text) // 100, 3)) * (1 - link_chars / len(text))
        parent = paragraph.getparent()
        grandparent = parent.getparent() if parent is not None else None
        for share, holder in ((1.0, parent), (0.5, grandparent)):
            if holder is not None and is_element(holder):
                scores[holder] = scores.get(holder, 0.0) + score * share
    if not scores:
        return None
    best = max(scores, key=lambda element: scores[element])
    return best if len(text_of(best)) >= MIN_SCORED_CHARS else None
