"""URLs of articles from sitemaps (urlset and sitemap index) and feeds (RSS 2.0, Atom).

XML is parsed without entities or network access (no XXE). Dates come back as ``date`` so a
batch can keep only what was published or changed since a given day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime

from lxml import etree

from reader_service.errors import InvalidInputError
from reader_service.extract.metadata import parse_date

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)


@dataclass(frozen=True, slots=True)
class Entry:
    url: str
    changed: date | None = None


@dataclass(frozen=True, slots=True)
class Sitemap:
    """Article pages, and other sitemaps to read (a sitemap index lists those)."""

    pages: list[Entry]
    sitemaps: list[str]


def _root(data: bytes, what: str) -> etree._Element:
    try:
        root = etree.fromstring(data.strip(), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise InvalidInputError(f"{what} không phải XML hợp lệ: {exc}") from exc
    if root is None:
        raise InvalidInputError(f"{what} trống.")
    return root


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(element: etree._Element, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name and child.text and child.text.strip():
            return child.text.strip()
    return None


def parse_sitemap(data: bytes) -> Sitemap:
    root = _root(data, "Sitemap")
    pages: list[Entry] = []
    sitemaps: list[str] = []
    for item in root:
        kind = _local(item.tag)
        location = _child_text(item, "loc")
        if not location:
            continue
        if kind == "sitemap":
            sitemaps.append(location)
        elif kind == "url":
            changed = _child_text(item, "lastmod")
            pages.append(Entry(location, parse_date(changed) if changed else None))
    return Sitemap(pages, sitemaps)


def _feed_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return parsedate_to_datetime(text).date()  # RSS: RFC 822 dates
    except (TypeError, ValueError):
        return parse_date(text)  # Atom: ISO 8601


def parse_feed(data: bytes) -> list[Entry]:
    """Items of an RSS 2.0 or Atom feed, in feed order."""
    root = _root(data, "Bản tin RSS/Atom")
    entries: list[Entry] = []
    for element in root.iter():
        kind = _local(element.tag)
        if kind == "item":  # RSS
            link = _child_text(element, "link") or _child_text(element, "guid")
            changed = _child_text(element, "pubdate") or _child_text(element, "date")
            if link:
                entries.append(Entry(link, _feed_date(changed)))
        elif kind == "entry":  # Atom
            href = None
            for child in element:
                if _local(child.tag) == "link" and child.get("rel", "alternate") == "alternate":
                    href = child.get("href")
                    break
            changed = _child_text(element, "updated") or _child_text(element, "published")
            if href:
                entries.append(Entry(href, _feed_date(changed)))
    return entries
