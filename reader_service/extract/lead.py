"""The sapo (lead paragraph): between the headline and the body, read first."""

from __future__ import annotations

from lxml.html import HtmlElement

from reader_service.extract.document import is_element, text_length, text_of
from reader_service.extract.noise import is_hidden, link_density
from reader_service.extract.profiles import FURNITURE, LEAD_CLASS, LEAD_TAGS

# A sapo is a sentence or a short paragraph, never a page section.
_MIN_LEAD = 30
_MAX_LEAD = 1200
_MAX_LEAD_LINKS = 0.3
_HEADLINE_TAGS = ("h1", "h2", "h3", "h4")


def find_lead(
    root: HtmlElement, title: str, body_start: HtmlElement | None, unnamed: bool = False
) -> HtmlElement | None:
    """The sapo element, when one sits after the headline and before ``body_start``.

    The position rule keeps out the site's tagline (before the headline) and teasers of other
    articles (after the body). With ``unnamed`` (the generic layer: no template tells where the
    sapo is), the first paragraph of prose there counts too when no element is named a sapo.
    """
    if body_start is None:
        return None
    order = {element: number for number, element in enumerate(root.iter())}
    start = order.get(body_start)
    if start is None:
        return None
    headline = _headline_position(root, title, order)
    inside = {id(element) for element in body_start.iter()}
    fallback: HtmlElement | None = None
    for element in root.iter(*LEAD_TAGS):
        position = order.get(element, -1)
        if position >= start:
            break
        if position <= headline or id(element) in inside:
            continue
        names = f"{element.get('class', '')} {element.get('id', '')}"
        if not LEAD_CLASS.search(names) and element.get("itemprop") != "description":
            if fallback is None and unnamed and headline >= 0 and _unnamed_lead(element, title):
                fallback = element
            continue
        if not _MIN_LEAD <= text_length(element) <= _MAX_LEAD or is_hidden(element):
            continue
        if link_density(element) > _MAX_LEAD_LINKS:
            continue
        if text_of(element) != title:
            return element
    return fallback


# Without a class that names it, a sapo is the first paragraph of prose after the headline: a
# whole sentence or two, no links, no picture, not a box of other blocks.
_MIN_UNNAMED_LEAD = 60
_MAX_UNNAMED_LEAD = 600
_SENTENCE_END = tuple('.!?…"”')
_BLOCKS = ".//p|.//div|.//li|.//table|.//img|.//h1|.//h2|.//h3"


def _unnamed_lead(element: HtmlElement, title: str) -> bool:
    if not _MIN_UNNAMED_LEAD <= text_length(element) <= _MAX_UNNAMED_LEAD:
        return False
    if element.xpath(_BLOCKS) or element.find(".//a") is not None or is_hidden(element):
        return False
    text = text_of(element)
    return text != title and text.endswith(_SENTENCE_END) and not FURNITURE.match(text)


def _headline_position(root: HtmlElement, title: str, order: dict[HtmlElement, int]) -> int:
    for element in root.iter():
        if not is_element(element):
            continue
        if element.tag in _HEADLINE_TAGS or "title" in (element.get("class") or "").lower():
            if text_length(element) <= _MAX_LEAD and text_of(element) == title:
                return order.get(element, -1)
    return -1
