"""Generic extraction for pages no portal profile knows: trafilatura, then a text-density scorer.

Measured (benchmarks/extraction.py, 181 public pages): trafilatura's main extractor is far ahead
of our own density scorer (F1 0.95 vs 0.87), so it is the generic layer; the scorer stays as a
last resort for short pages trafilatura declines (it wants at least ~250 characters).
"""

from __future__ import annotations

import logging
from collections import deque

import trafilatura
from lxml.html import HtmlElement

from reader_service.extract.blocks import paragraphs_of
from reader_service.extract.document import is_element, text_length, text_of
from reader_service.text import clean_text

# Paragraphs are matched to the page's text nodes by their first characters.
_KEY_CHARS = 40
_MIN_KEY_CHARS = 12
# Below this many characters the scorer's pick is a fragment of navigation, not an article.
MIN_SCORED_CHARS = 80
_SCORED_TAGS = ("p", "td", "pre", "blockquote", "li", "div", "font", "span", "section", "article")
_INLINE = frozenset("a b strong i em u font span small big sub sup abbr".split())
_MIN_BLOCK_CHARS = 25

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


def with_subheadings(root: HtmlElement, paragraphs: list[str]) -> list[str]:
    """trafilatura's paragraphs with the subheadings it dropped put back in place.

    On layouts it does not recognise trafilatura keeps paragraphs but drops <h2>-<h6> between
    them ("1. Điều kiện dự tuyển"); a listener needs them. Only headings that sit between two
    kept paragraphs of the same container come back: a heading after the last paragraph heads
    something else ("You may also like", "Tin khác").
    """
    container = _source_container(root, paragraphs)
    if container is None:
        return paragraphs
    headings = {text_of(h) for h in container.iter("h1", "h2", "h3", "h4", "h5", "h6")}
    if not headings:
        return paragraphs
    kept = set(paragraphs)
    blocks = paragraphs_of(container)
    positions = [i for i, block in enumerate(blocks) if block in kept]
    if len(positions) < 2:
        return paragraphs
    first, last = positions[0], positions[-1]
    merged: list[str] = []
    queue = deque(paragraphs)
    for index, block in enumerate(blocks):
        if queue and block == queue[0]:
            merged.append(queue.popleft())
        elif first < index < last and block in headings and block not in kept:
            merged.append(block)
    # When the two readings do not line up, trafilatura's stands as it is.
    return paragraphs if queue else merged


def _source_container(root: HtmlElement, paragraphs: list[str]) -> HtmlElement | None:
    """The page element holding (at least half of) trafilatura's paragraphs."""
    if not paragraphs:
        return None
    starts: dict[str, HtmlElement] = {}
    for node in root.xpath("//text()"):
        parent = node.getparent() if hasattr(node, "getparent") else None
        if parent is None or not is_element(parent):
            continue
        key = clean_text(str(node))[:_KEY_CHARS]
        if len(key) >= _MIN_KEY_CHARS:
            starts.setdefault(key, parent)
    found = [starts.get(paragraph[:_KEY_CHARS]) for paragraph in paragraphs]
    matched = [element for element in found if element is not None]
    if len(matched) < max(1, len(paragraphs) // 2):
        return None
    container = _common_ancestor(matched)
    return None if container is None or container.tag == "html" else container


def _common_ancestor(elements: list[HtmlElement]) -> HtmlElement | None:
    first, *rest = elements
    chain = [first, *first.iterancestors()]
    for element in rest:
        ancestors = {id(a) for a in (element, *element.iterancestors())}
        chain = [a for a in chain if id(a) in ancestors]
    return chain[0] if chain else None


def _own_text(element: HtmlElement) -> str:
    """Text written directly in an element, between its children (old pages use <br>, not <p>)."""
    parts = [element.text or ""]
    for child in element:
        if is_element(child) and child.tag in _INLINE:
            parts.append(text_of(child))
        parts.append(child.tail or "")
    return clean_text(" ".join(parts))


def best_scored(root: HtmlElement) -> HtmlElement | None:
    """The element whose text blocks hold the most non-link prose (readability's idea, small).

    Each element with prose written directly in it scores for its parent and, half, for its
    grandparent: commas and length count, link text counts against.
    """
    scores: dict[HtmlElement, float] = {}
    for block in root.iter(*_SCORED_TAGS):
        text = _own_text(block)
        if len(text) < _MIN_BLOCK_CHARS:
            continue
        link_chars = sum(len(text_of(a)) for a in block.iter("a"))
        density = min(1.0, link_chars / len(text))
        score = (1 + text.count(",") + min(len(text) // 100, 3)) * (1 - density)
        holder = block if block.tag not in ("p", "pre", "li", "blockquote") else block.getparent()
        parent = holder.getparent() if holder is not None else None
        for share, element in ((1.0, holder), (0.5, parent)):
            if element is not None and is_element(element) and element.tag not in ("html", "body"):
                scores[element] = scores.get(element, 0.0) + score * share
    if not scores:
        return None
    best = max(scores, key=lambda element: scores[element])
    return best if text_length(best) >= MIN_SCORED_CHARS else None
