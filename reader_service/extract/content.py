"""Finding the article body container: a pinned selector, then known portal profiles."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from reader_service.extract.document import Names, select, text_length
from reader_service.extract.profiles import PORTAL_CONTENT_SELECTORS

# A profile container with less text than this is a teaser box, not the article body.
MIN_CONTAINER_CHARS = 40


def pinned_selector(url: str | None, pinned: Mapping[str, str]) -> str | None:
    """The operator's selector for the page's host ("www." ignored; a host:port entry wins)."""
    if not url or not pinned:
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    keys = [parts.netloc.lower(), host, host.removeprefix("www.")]
    for key in keys:
        if key and key in pinned:
            return pinned[key]
    return None


def find_container(
    root: HtmlElement,
    selectors: Iterable[str],
    names: Names | None = None,
    min_chars: int = MIN_CONTAINER_CHARS,
) -> HtmlElement | None:
    """The first selector's longest match with at least ``min_chars`` of text; failing that,
    the longest short match (a one-line notice is still an article)."""
    short: tuple[int, HtmlElement] | None = None
    for css in selectors:
        matches = [(text_length(element), element) for element in select(root, css, names)]
        matches = [(length, element) for length, element in matches if length]
        if not matches:
            continue
        length, element = max(matches, key=lambda pair: pair[0])
        if length >= min_chars:
            return element
        if short is None or length > short[0]:
            short = (length, element)
    return short[1] if short else None


def profile_container(root: HtmlElement, names: Names) -> HtmlElement | None:
    return find_container(root, PORTAL_CONTENT_SELECTORS, names)
