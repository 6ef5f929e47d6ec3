"""URLs of articles from sitemaps (urlset, sitemap index, plain text) and feeds (RSS, Atom).

Sitemap XML is parsed without entities or network access (no XXE); feeds with feedparser,
which neither fetches nor expands external entities. Dates come back as ``date`` so a
batch can keep only what was published or changed since a given day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import feedparser  # type: ignore[import-untyped]
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
    """A sitemap's pages and the sitemaps it lists: XML (urlset, sitemap index) or the plain
    text form (one URL per line)."""
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        lines = data.decode("utf-8", "replace").splitlines()
        urls = [line.strip() for line in lines if line.strip().startswith(("http://", "https://"))]
        if not urls:
            raise InvalidInputError("Sitemap dạng văn bản không có địa chỉ http(s) nào.")
        return Sitemap([Entry(u) for u in urls], [])
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


def _feed_date(entry: Any) -> date | None:
    """The entry's publication or update day: feedparser's reading of RFC 822 and ISO 8601,
    else our parser for what portals write by hand ("14/05/2021")."""
    # dict.get: feedparser's own get() maps updated to published with a deprecation warning.
    for key in ("published_parsed", "updated_parsed"):
        parsed = dict.get(entry, key)
        if parsed:
            return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
    for key in ("published", "updated"):
        if text := dict.get(entry, key):
            return parse_date(str(text))
    return None


def parse_feed(data: bytes, url: str | None = None) -> list[Entry]:
    """Items of an RSS or Atom feed, in feed order. ``url`` is where the feed came from:
    relative links are resolved against it (and any xml:base). A guid is a link only when it
    is a permalink."""
    parsed = feedparser.parse(
        data,
        response_headers={"content-location": url} if url else None,
        resolve_relative_uris=True,
        sanitize_html=False,
    )
    if not parsed.entries and parsed.get("bozo") and not parsed.get("feed"):
        raise InvalidInputError(
            f"Bản tin RSS/Atom không đọc được: {type(parsed.get('bozo_exception')).__name__}."
        )
    entries: list[Entry] = []
    for entry in parsed.entries:
        link = dict.get(entry, "link")
        if not link and dict.get(entry, "guidislink"):
            link = dict.get(entry, "id")
        if link and str(link).startswith(("http://", "https://")):
            entries.append(Entry(str(link), _feed_date(entry)))
    return entries
