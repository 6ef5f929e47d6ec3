"""Generic extraction for pages no portal profile knows: trafilatura, then a text-density scorer.

Measured (benchmarks/extraction.py, 181 public pages): trafilatura's main extractor is far ahead
of our own density scorer (F1 0.95 vs 0.87), so it is the generic layer; the scorer stays as a
last resort for short pages trafilatura declines (it wants at least ~250 characters).
"""

from __future__ import annotations

import logging
import re

import trafilatura
from lxml.html import HtmlElement

from reader_service.extract.blocks import paragraphs_of
from reader_service.extract.document import INLINE_TAGS, is_element, text_length, text_of
from reader_service.extract.items import is_headline
from reader_service.extract.noise import link_density
from reader_service.extract.profiles import BYLINE_BODIES
from reader_service.text import clean_text

# "Nguồn: ...", "Theo ...": the source line of an article.
SOURCE_LINE = re.compile(r"^\(?(?:nguồn|theo|tác giả|bài và ảnh|bài, ảnh)\b", re.IGNORECASE)
_MAX_BYLINE = 80
_MAX_BYLINE_WORDS = 8
_BODY_PREFIXES = tuple(f"{body} " for body in BYLINE_BODIES)
# Paragraphs are matched to the page's text nodes by their first characters.
_KEY_CHARS = 40
_MIN_KEY_CHARS = 12
# Below this many characters the scorer's pick is a fragment of navigation, not an article.
MIN_SCORED_CHARS = 80
_SCORED_TAGS = ("p", "td", "pre", "blockquote", "li", "div", "font", "span", "section", "article")
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


class TextIndex:
    """Where a paragraph of trafilatura's output sits in the page: matched by its first
    characters against the page's text nodes (trafilatura works on a copy of the tree)."""

    def __init__(self, root: HtmlElement) -> None:
        self.root = root
        # Several elements may start alike (teasers that open with the same words): all kept.
        self._starts: dict[str, list[HtmlElement]] = {}
        for node in root.xpath("//text()"):
            parent = node.getparent() if hasattr(node, "getparent") else None
            if parent is None or not is_element(parent):
                continue
            key = clean_text(str(node))[:_KEY_CHARS]
            if len(key) >= _MIN_KEY_CHARS:
                self._starts.setdefault(key, []).append(parent)

    def element(self, paragraph: str) -> HtmlElement | None:
        found = self._starts.get(paragraph[:_KEY_CHARS])
        return found[0] if found else None

    def container(self, paragraphs: list[str]) -> HtmlElement | None:
        """The page element holding (at least half of) the paragraphs."""
        places = [self._starts.get(paragraph[:_KEY_CHARS]) for paragraph in paragraphs]
        if not paragraphs or sum(bool(p) for p in places) < max(1, len(paragraphs) // 2):
            return None
        container = _common_ancestor([el for found in places if found for el in found])
        return None if container is None or container.tag == "html" else container


def restore_structure(index: TextIndex, paragraphs: list[str], bylines: bool) -> list[str]:
    """trafilatura's paragraphs with what it drops on unknown layouts put back in place.

    - subheadings (<h1>-<h6>) and list items (not links) between two kept paragraphs of the
      same container ("1. Điều kiện dự tuyển"); a heading after the last paragraph heads
      something else ("Tin khác");
    - with ``bylines`` (Vietnamese pages), the author or source line right after the last
      paragraph ("Minh Đức", "Nguồn: Sở Y tế"), which trafilatura removes as metadata.
    """
    container = index.container(paragraphs)
    if container is None:
        return paragraphs
    headings = {text_of(h) for h in container.iter("h1", "h2", "h3", "h4", "h5", "h6")}
    # List items of the body ("Các hộ dân cam kết: - không tháo dỡ…"), which trafilatura's
    # fast mode may drop; items that are links lead elsewhere and stay out.
    headings |= {
        text_of(item)
        for item in container.iter("li")
        if text_length(item) and link_density(item) < _ITEM_LINK_SHARE
    }
    kept = set(paragraphs)
    blocks = paragraphs_of(container)
    # Where each of trafilatura's paragraphs is among the container's blocks, in order; one
    # it wrote differently ("12/11/2024 | 845 lượt xem") stays where it is, unplaced.
    positions: list[int | None] = []
    cursor = 0
    for paragraph in paragraphs:
        found = next((i for i in range(cursor, len(blocks)) if blocks[i] == paragraph), None)
        positions.append(found)
        if found is not None:
            cursor = found + 1
    placed = [position for position in positions if position is not None]
    if not placed:
        return paragraphs
    merged: list[str] = []
    previous: int | None = None
    for paragraph, position in zip(paragraphs, positions, strict=True):
        if position is not None:
            if previous is not None:
                merged.extend(
                    block
                    for block in blocks[previous + 1 : position]
                    if block in headings and block not in kept
                )
            previous = position
        merged.append(paragraph)
    last = placed[-1]
    if bylines and (byline := byline_after(container, blocks, last)):
        merged.append(byline)
    return merged


# Trailing paragraphs are trimmed only while what stays holds at least this share of the text.
_KEPT_SHARE = 0.6


def without_other_columns(index: TextIndex, paragraphs: list[str], title: str) -> list[str]:
    """trafilatura's paragraphs less a trailing run that lies outside the column of the article:
    a sidebar's "Giới thiệu" box after the body. The article's column is the nearest element
    holding both the headline and the longest paragraph."""
    if not title or len(paragraphs) < 2:
        return paragraphs
    root = index.root
    headline = next((h for h in root.iter("h1", "h2", "h3", "h4") if text_of(h) == title), None)
    longest = index.element(max(paragraphs, key=len))
    if headline is None or longest is None:
        return paragraphs
    column = _common_ancestor([headline, longest])
    if column is None or column.tag in ("html", "body"):
        return paragraphs
    inside = {column, *column.iter()}
    kept = list(paragraphs)
    while kept and (element := index.element(kept[-1])) is not None and element not in inside:
        kept.pop()
    if sum(map(len, kept)) < _KEPT_SHARE * sum(map(len, paragraphs)):
        return paragraphs
    return kept


# A teaser item: a headline link and its teaser, little else (slack for a date or a label).
_TEASER_ITEM_SLACK = 40
_TEASER_ITEM_LEVELS = 3
_MIN_TRAILING_TEASERS = 2
_TEASER_MAX_CHARS = 300


def without_trailing_teasers(index: TextIndex, paragraphs: list[str]) -> list[str]:
    """trafilatura's paragraphs less a trailing run of teasers: after a short body, a box of
    other articles whose headlines (links) it dropped and whose summaries it kept. A teaser is
    a short paragraph whose item, of the same shape as the others', opens with a headline
    link; the items sit apart from the body (a round-up article's linked subheadings share
    its container, and their paragraphs are longer)."""
    items: list[HtmlElement] = []
    for text in reversed(paragraphs[1:]):
        if len(text) > _TEASER_MAX_CHARS:
            break
        item = _teaser_item(index.element(text), text)
        if item is None:
            break
        items.append(item)
    shapes = {(item.tag, item.get("class")) for item in items}
    if len(items) < _MIN_TRAILING_TEASERS or len(shapes) != 1 or len(set(items)) != len(items):
        return paragraphs
    first = index.element(paragraphs[0])
    around = _common_ancestor(items)
    if first is None or around is None or first in set(around.iter()):
        return paragraphs
    return paragraphs[: len(paragraphs) - len(items)]


def _teaser_item(element: HtmlElement | None, text: str) -> HtmlElement | None:
    """The small block around ``element`` that starts with a headline link of its own."""
    level = 0
    while element is not None and level < _TEASER_ITEM_LEVELS:
        parent = element.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return None
        element, level = parent, level + 1
        link = next(iter(element.iter("a")), None)
        if link is None:
            continue
        headline = text_of(link)
        if not is_headline(headline):
            return None
        if (
            headline in text
            or text_length(element) > len(headline) + len(text) + _TEASER_ITEM_SLACK
        ):
            return None
        return element
    return None


_ITEM_LINK_SHARE = 0.5
# The beginning of a body split around an ad slot: prose, not a box of links.
_SPLIT_LINK_SHARE = 0.2
_SPLIT_PARAGRAPH_CHARS = 100
_SPLIT_PARAGRAPHS = 2


def prose_before(container: HtmlElement, title: str) -> list[str]:
    """Paragraphs of the siblings just before ``container`` that begin the same article: a body
    split in two around an ad slot (``#divfirst``, an empty ``#admbackground``, ``#divend``)
    of which only the second part was found. Only siblings after the headline, each
    holding a paragraph of prose and few links; empty slots between them are passed over."""
    # From the container's outermost wrapper that it begins (``#divend > div``).
    node = container
    while (
        (up := node.getparent()) is not None
        and up.tag not in ("html", "body")
        and not any(is_element(s) and text_length(s) for s in node.itersiblings(preceding=True))
    ):
        node = up
    parent = node.getparent()
    if not title or parent is None or parent.tag in ("html", "body"):
        return []
    earlier: list[HtmlElement] = []
    for sibling in node.itersiblings(preceding=True):
        if not is_element(sibling) or not text_length(sibling):
            continue  # an ad slot, a spacer
        blocks = paragraphs_of(sibling)
        if (
            title in blocks
            or link_density(sibling) > _SPLIT_LINK_SHARE
            or max(map(len, blocks), default=0) < _SPLIT_PARAGRAPH_CHARS
        ):
            break
        earlier.append(sibling)
    found = [paragraph for element in reversed(earlier) for paragraph in paragraphs_of(element)]
    # A body's first half is paragraphs of prose; one long block is a standfirst, a quote box
    # or an author's box, which the article's own block already left out.
    if sum(len(paragraph) >= _SPLIT_PARAGRAPH_CHARS for paragraph in found) < _SPLIT_PARAGRAPHS:
        return []
    # The headline must come before them: the article starts at its headline.
    order = {element: number for number, element in enumerate(parent.getroottree().iter())}
    headline = next(
        (h for h in parent.getroottree().iter("h1", "h2", "h3") if text_of(h) == title), None
    )
    if headline is None or order[headline] > order[earlier[-1]]:
        return []
    return found


def byline_after(container: HtmlElement, blocks: list[str], last: int) -> str | None:
    """The block right after the last kept paragraph, or, when the container ends there, the
    box right after the container (site builders put the author in a box of its own)."""
    if last + 1 < len(blocks):
        following = blocks[last + 1]
    else:
        sibling = container.getnext()
        while sibling is not None and not text_length(sibling):
            sibling = sibling.getnext()
        following = text_of(sibling) if sibling is not None else ""
    return following if following and is_byline(following) else None


def is_byline(text: str) -> bool:
    """An author or source line: "Minh Đức", "Hoàng Yến - Huyện đoàn", "Nguồn: Sở Y tế"."""
    if len(text) > _MAX_BYLINE or ". " in text or text.endswith(("?", ":", ";", "!")):
        return False
    if SOURCE_LINE.match(text):
        return True
    if text.endswith("."):  # a sentence, not a signature
        return False
    words = [w for w in re.split(r"[\s,()–-]+", text) if w]
    if not 0 < len(words) <= _MAX_BYLINE_WORDS or not words[0][0].isupper():
        return False
    # Names ("Minh Đức", "Hoàng Yến - Huyện đoàn Bảo Lâm") or bodies ("Phòng Công tác xã hội").
    capitalised = sum(w[0].isupper() for w in words)
    return 2 * capitalised >= len(words) or text.startswith(_BODY_PREFIXES)


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
        if is_element(child) and child.tag in INLINE_TAGS:
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
    # The best-scoring element long enough to be an article: a footer's address line may
    # outscore a one-paragraph notice (commas count), but it is no article.
    ranked = sorted(scores, key=lambda element: scores[element], reverse=True)
    return next((e for e in ranked if text_length(e) >= MIN_SCORED_CHARS), None)


# A sibling of the best block with this much low-link text is more of the article.
_SIBLING_PROSE_CHARS = 80
_SIBLING_LINK_DENSITY = 0.25
# A short line without links right before such a sibling is its label ("Câu hỏi:").
_SIBLING_LABEL_CHARS = 40


def with_prose_siblings(best: HtmlElement) -> list[HtmlElement]:
    """``best`` and the siblings that continue it: the question next to the answer of a Q&A
    page, the second half of a body split around a picture (readability's sibling step)."""
    parent = best.getparent()
    if parent is None or parent.tag in ("html", "body"):
        return [best]
    siblings = [child for child in parent if is_element(child)]

    def prose(element: HtmlElement) -> bool:
        # Only a sibling of the same kind: the other <dd> of a definition list, another part
        # with the best block's own class. Other boxes beside the body are the page's.
        same_kind = parent.tag == "dl" or (
            element.tag == best.tag and element.get("class") == best.get("class")
        )
        if not same_kind:
            return False
        chars = text_length(element)
        if chars < _SIBLING_PROSE_CHARS:
            return False
        links = sum(text_length(a) for a in element.iter("a"))
        return links / chars < _SIBLING_LINK_DENSITY

    chosen: list[HtmlElement] = []
    for number, element in enumerate(siblings):
        following = siblings[number + 1] if number + 1 < len(siblings) else None
        if element is best or prose(element):
            chosen.append(element)
        elif (
            0 < text_length(element) <= _SIBLING_LABEL_CHARS
            and (parent.tag == "dl" or text_of(element).endswith((":", "：")))
            and element.find(".//a") is None
            and following is not None
            and (following is best or prose(following))
        ):
            chosen.append(element)
    return chosen
