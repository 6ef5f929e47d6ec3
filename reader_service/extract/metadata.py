"""What a page says about its article: title candidates, date, author, site, language, URL."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urljoin

from lxml.html import HtmlElement

from reader_service.extract.document import elements, select, strings, text_of
from reader_service.text import clean_text

_Items = tuple[dict[str, Any], ...]
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})")
_DATE_DMY = re.compile(r"\b(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b")
_DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_DATE_CLASS = re.compile(r"date|time|ngay|publish|posted|created|thoigian", re.IGNORECASE)
_ARTICLE_TYPES = re.compile(r"Article|BlogPosting|Report|NewsArticle|WebPage", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """Metadata read from <head>, JSON-LD and microdata before any element is removed."""

    title_hints: tuple[str, ...] = ()
    published: date | None = None
    author: str | None = None
    site_name: str | None = None
    lang: str = "vi"
    canonical_url: str | None = None
    json_ld_body: str | None = None
    json_ld: tuple[dict[str, Any], ...] = field(default=(), repr=False)


def read_metadata(root: HtmlElement, url: str | None) -> PageMetadata:
    articles = tuple(_json_ld_articles(root))
    metas = _metas(root)
    site_name = _meta(metas, "og:site_name", "application-name") or _first(
        _name(item.get("publisher")) for item in articles
    )
    hints = [
        _meta(metas, "og:title", "twitter:title", "title", "dc.title"),
        *(clean_text(str(item.get("headline") or item.get("name") or "")) for item in articles),
        _document_title(root),
    ]
    return PageMetadata(
        title_hints=tuple(dict.fromkeys(h for h in hints if h and h != site_name)),
        published=_published(root, metas, articles),
        author=_author(root, metas, articles),
        site_name=site_name,
        lang=_lang(root, metas),
        canonical_url=_canonical(root, metas, url),
        json_ld_body=_first(
            str(item["articleBody"])
            for item in articles
            if isinstance(item.get("articleBody"), str)
        ),
        json_ld=articles,
    )


def _first(values: Iterator[str | None] | Any) -> str | None:
    for value in values:
        if value:
            return str(value)
    return None


def _meta(metas: dict[str, str], *names: str) -> str | None:
    """The first non-empty <meta> content among ``names`` (property, name or itemprop)."""
    for name in names:
        if content := metas.get(name):
            return content
    return None


def _metas(root: HtmlElement) -> dict[str, str]:
    metas: dict[str, str] = {}
    for element in root.iter("meta"):
        content = clean_text(element.get("content") or "")
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = (element.get(attribute) or "").strip().lower()
            if key and content:
                metas.setdefault(key, content)
    return metas


def _document_title(root: HtmlElement) -> str | None:
    title = root.find(".//title")
    return text_of(title) if title is not None else None


def _json_ld_articles(root: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in elements(root, "//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except (json.JSONDecodeError, ValueError):
            continue
        yield from _article_items(data)


def _article_items(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _article_items(item)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _article_items(data["@graph"])
        kind = data.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(isinstance(k, str) and _ARTICLE_TYPES.search(k) for k in kinds):
            yield data


def _name(value: Any) -> str | None:
    if isinstance(value, str):
        return clean_text(value) or None
    if isinstance(value, list):
        names = [name for name in map(_name, value) if name]
        return ", ".join(names) or None
    if isinstance(value, dict):
        return _name(value.get("name"))
    return None


def parse_date(text: str) -> date | None:
    """The first date written in ``text`` (ISO, dd/mm/yyyy or "ngày 14 tháng 5 năm 2021")."""
    for pattern, order in (
        (_DATE_ISO, (1, 2, 3)),
        (_DATE_DMY, (3, 2, 1)),
        (_DATE_WORDS, (3, 2, 1)),
    ):
        if match := pattern.search(text):
            year, month, day = (int(match[i]) for i in order)
            try:
                return date(year, month, day)
            except ValueError:
                continue
    return None


def _published(root: HtmlElement, metas: dict[str, str], articles: _Items) -> date | None:
    def candidates() -> Iterator[str | None]:
        yield _meta(
            metas,
            "article:published_time",
            "datepublished",
            "pubdate",
            "publishdate",
            "dc.date.issued",
            "date",
        )
        for item in articles:
            yield str(item.get("datePublished") or "")
        for element in elements(root, "//*[@itemprop='datePublished']"):
            yield element.get("content") or element.get("datetime") or text_of(element)
        for element in elements(root, "//time"):
            yield element.get("datetime") or text_of(element)
        for element in elements(root, "//*[@class or @id]"):
            names = f"{element.get('class', '')} {element.get('id', '')}"
            if _DATE_CLASS.search(names) and len(text := text_of(element)) < 120:
                yield text

    for value in candidates():
        if value and (parsed := parse_date(value)):
            return parsed
    return None


def _author(root: HtmlElement, metas: dict[str, str], articles: _Items) -> str | None:
    named = _meta(metas, "author", "article:author", "dc.creator")
    if named and not named.startswith(("http://", "https://")):
        return named
    for item in articles:
        if name := _name(item.get("author")):
            return name
    for element in select(root, "[itemprop=author], [rel=author], .author, .tac-gia, .tacgia"):
        text = text_of(element)
        if 0 < len(text) <= 80:
            return text
    return None


def _lang(root: HtmlElement, metas: dict[str, str]) -> str:
    lang = root.get("lang") or _meta(metas, "content-language", "og:locale") or ""
    declared = lang.strip().replace("_", "-").split("-")[0].lower()
    return declared or _guessed_lang(root)


# Letters only Vietnamese writes (tone marks, ă â đ ê ô ơ ư): common in any Vietnamese text.
_VIETNAMESE_LETTERS = re.compile(
    "[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", re.IGNORECASE
)
_LETTERS = re.compile(r"[^\W\d_]")
_VIETNAMESE_SHARE = 0.05
_SAMPLE_CHARS = 20_000


def _guessed_lang(root: HtmlElement) -> str:
    """No language declared: Vietnamese when its own letters are frequent enough in the text
    (Vietnamese prose has one in about every four letters), else "und" (undetermined)."""
    sample = str(root.xpath("string(//body)"))[:_SAMPLE_CHARS]
    letters = len(_LETTERS.findall(sample))
    if not letters:
        return "vi"
    share = len(_VIETNAMESE_LETTERS.findall(sample)) / letters
    return "vi" if share >= _VIETNAMESE_SHARE else "und"


def _canonical(root: HtmlElement, metas: dict[str, str], url: str | None) -> str | None:
    for link in elements(root, "//link[@href]"):
        if "canonical" in (link.get("rel") or "").lower().split():
            return urljoin(url or "", str(link.get("href") or "").strip())
    og_url = _meta(metas, "og:url")
    return urljoin(url or "", og_url) if og_url else url


# A date line under a headline is short: "(Ngày 18/10/2021)", "Thứ Hai, 15/04/2024 - 09:12".
_MAX_DATE_LINE = 80


def date_after_title(root: HtmlElement, title: str) -> date | None:
    """The first date written in a short line after the headline (pages with no date markup)."""
    seen_title = False
    for node in strings(root, "//body//text()"):
        text = clean_text(node)
        if not seen_title:
            seen_title = bool(title) and text == title
            continue
        if text and len(text) <= _MAX_DATE_LINE and (found := parse_date(text)):
            return found
    return None
