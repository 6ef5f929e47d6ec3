"""Article extraction: title, body and metadata of a portal page. Never returns None."""

from __future__ import annotations

import json
import re
from datetime import date

from bs4 import BeautifulSoup, Tag

from reader_service.errors import ExtractionError, PageTooLargeError
from reader_service.extract.blocks import paragraphs_of
from reader_service.extract.profiles import (
    CONTENT_SELECTORS,
    LEAD_SELECTORS,
    NOISE_CLASS,
    NOISE_TAGS,
    SPECIFIC_CONTENT_SELECTORS,
    TOOLBAR_PREFIXES,
    TOOLBAR_TEXTS,
)
from reader_service.extract.text import decode_html
from reader_service.models import Article
from reader_service.text import clean_text as clean

__all__ = ["extract", "MAX_HTML_BYTES"]

MAX_HTML_BYTES = 5_000_000
# Below this many characters of body text the generic scorer's pick is not an article.
MIN_GENERIC_CHARS = 80

_DATE_DMY = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def extract(
    html: str | bytes,
    url: str | None = None,
    charset: str | None = None,
    max_bytes: int = MAX_HTML_BYTES,
) -> Article:
    """The article of a page; raises ExtractionError when the page holds none."""
    size = len(html) if isinstance(html, bytes) else len(html.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise PageTooLargeError(
            f"Trang quá lớn ({size // 1_000_000} MB); giới hạn là {max_bytes // 1_000_000} MB."
        )
    text = decode_html(html, charset) if isinstance(html, bytes) else html
    soup = BeautifulSoup(text, "lxml")
    where = f" {url}" if url else ""

    title = _title(soup)
    published = _published(soup)
    author = _meta(soup, "author", "article:author")
    site_name = _meta(soup, "og:site_name")
    canonical = _canonical(soup) or url
    lang = _lang(soup)
    json_ld_body = _json_ld_body(soup)

    _remove_noise(soup)
    content = _content_element(soup)
    paragraphs = _readable(paragraphs_of(content), title) if content is not None else []
    if content is not None:
        paragraphs = _lead(soup, content, title) + paragraphs
    if not paragraphs and json_ld_body:
        paragraphs = [p for p in (clean(line) for line in json_ld_body.splitlines()) if p]
    if not paragraphs:
        raise ExtractionError(
            f"Không tìm thấy nội dung bài viết trong trang{where}. "
            "Hãy kiểm tra đường dẫn là một trang bài viết."
        )
    if not title:
        title, paragraphs = paragraphs[0], paragraphs[1:]
    return Article(
        title=title,
        paragraphs=tuple(paragraphs),
        url=url,
        published=published,
        author=author,
        site_name=site_name,
        lang=lang,
        canonical_url=canonical,
    )


def _meta(soup: BeautifulSoup, *names: str) -> str | None:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if isinstance(tag, Tag) and (content := clean(str(tag.get("content") or ""))):
            return content
    return None


def _title(soup: BeautifulSoup) -> str:
    og_title = _meta(soup, "og:title", "twitter:title")
    if og_title:
        return og_title
    for h1 in soup.find_all("h1"):
        if text := clean(h1.get_text(" ")):
            return text
    if soup.title and (text := clean(soup.title.get_text())):
        # "<title>Article - Site name</title>": the site name is not part of the article.
        return re.split(r"\s+[-|–]\s+", text)[0]
    return ""


def _parse_date(text: str) -> date | None:
    try:
        if m := _DATE_ISO.search(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DATE_DMY.search(text):
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None
    return None


def _published(soup: BeautifulSoup) -> date | None:
    for value in (
        _meta(soup, "article:published_time", "datePublished", "pubdate", "date"),
        *(str(t.get("datetime")) for t in soup.find_all("time", attrs={"datetime": True})),
        *(t.get_text(" ") for t in soup.find_all(class_=re.compile(r"date|time|ngay", re.I))),
    ):
        if value and (parsed := _parse_date(value)):
            return parsed
    return None


def _canonical(soup: BeautifulSoup) -> str | None:
    link = soup.find("link", rel="canonical")
    return (
        str(link["href"]) if isinstance(link, Tag) and link.get("href") else _meta(soup, "og:url")
    )


def _lang(soup: BeautifulSoup) -> str:
    html = soup.find("html")
    lang = str(html.get("lang") or "") if isinstance(html, Tag) else ""
    return lang.split("-")[0].lower() or "vi"


def _json_ld_body(soup: BeautifulSoup) -> str | None:
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except json.JSONDecodeError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and isinstance(item.get("articleBody"), str):
                return str(item["articleBody"])
    return None


def _is_noise(tag: Tag) -> bool:
    if tag.attrs is None or tag.name in ("html", "body", "main"):
        return False
    if tag.has_attr("hidden") or str(tag.get("aria-hidden", "")).lower() == "true":
        return True
    if _HIDDEN_STYLE.search(str(tag.get("style", ""))):
        return True
    if str(tag.get("role", "")) in ("navigation", "toolbar", "banner", "contentinfo", "search"):
        return True
    classes: str | list[str] = tag.get("class") or []
    names = " ".join(
        [*([classes] if isinstance(classes, str) else classes), str(tag.get("id", ""))]
    )
    return bool(names.strip()) and bool(NOISE_CLASS.search(names)) and not _holds_content(tag)


def _holds_content(tag: Tag) -> bool:
    """A noise-looking wrapper around the article body itself must stay."""
    return any(tag.select_one(selector) is not None for selector in SPECIFIC_CONTENT_SELECTORS)


def _remove_noise(soup: BeautifulSoup) -> None:
    for tag in soup.find_all(NOISE_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if not tag.decomposed and _is_noise(tag):
            tag.decompose()


def _content_element(soup: BeautifulSoup) -> Tag | None:
    for selector in CONTENT_SELECTORS:
        for element in soup.select(selector):
            if clean(element.get_text(" ")):
                return element
    return _best_scored(soup)


def _best_scored(soup: BeautifulSoup) -> Tag | None:
    """Generic fallback: the element whose paragraphs hold the most non-link text."""
    scores: dict[int, float] = {}
    elements: dict[int, Tag] = {}
    for paragraph in soup.find_all(["p", "td", "pre"]):
        text = clean(paragraph.get_text(" "))
        if len(text) < 25:
            continue
        link_chars = sum(len(clean(a.get_text(" "))) for a in paragraph.find_all("a"))
        score = (1 + text.count(",") + min(len(text) // 100, 3)) * (1 - link_chars / len(text))
        parent = paragraph.parent
        for share, holder in ((1.0, parent), (0.5, parent.parent if parent else None)):
            if isinstance(holder, Tag):
                scores[id(holder)] = scores.get(id(holder), 0.0) + score * share
                elements[id(holder)] = holder
    if not scores:
        return None
    best = elements[max(scores, key=lambda key: scores[key])]
    return best if len(clean(best.get_text(" "))) >= MIN_GENERIC_CHARS else None


def _lead(soup: BeautifulSoup, content: Tag, title: str) -> list[str]:
    for selector in LEAD_SELECTORS:
        lead = soup.select_one(selector)
        # A lead inside the body, or wrapping it, is read with the body already.
        if lead is not None and lead not in content.parents and content not in lead.parents:
            return _readable(paragraphs_of(lead), title)
    return []


def _readable(paragraphs: list[str], title: str) -> list[str]:
    """Drop toolbar labels, the repeated title and text with nothing to say."""
    kept = []
    for text in paragraphs:
        folded = text.casefold()
        if folded in TOOLBAR_TEXTS or folded.startswith(TOOLBAR_PREFIXES):
            continue
        if title and folded == title.casefold():
            continue
        if not any(ch.isalnum() for ch in text):
            continue
        kept.append(text)
    return kept
