"""Article extraction: title, body and metadata of a portal page. Never returns None.

Layers, first that yields text wins (see benchmarks/extraction.py for why this order):
1. a content selector the operator pinned for the page's host (settings);
2. known portal CMS profiles (extract/profiles.py);
3. the generic extractor (trafilatura, then a density scorer);
4. the JSON-LD ``articleBody`` of pages that render their body with JavaScript.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml.html import HtmlElement

from reader_service.errors import ExtractionError, PageTooLargeError
from reader_service.extract.blocks import paragraphs_of
from reader_service.extract.content import (
    find_container,
    lead_outside,
    pinned_selector,
    profile_container,
)
from reader_service.extract.document import Names, parse
from reader_service.extract.generic import best_scored, trafilatura_paragraphs
from reader_service.extract.metadata import read_metadata
from reader_service.extract.noise import remove_furniture, remove_invisible, remove_link_lists
from reader_service.extract.readable import readable
from reader_service.extract.text import decode_html
from reader_service.extract.title import choose_title
from reader_service.models import Article
from reader_service.text import clean_text

__all__ = ["extract", "MAX_HTML_BYTES"]

MAX_HTML_BYTES = 5_000_000


def extract(
    html: str | bytes,
    url: str | None = None,
    charset: str | None = None,
    max_bytes: int = MAX_HTML_BYTES,
    pinned: Mapping[str, str] | None = None,
) -> Article:
    """The article of a page; raises ExtractionError when the page holds none.

    ``pinned`` maps a host (or host:port) to the CSS selector of its article body.
    """
    size = len(html) if isinstance(html, bytes) else len(html.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise PageTooLargeError(
            f"Trang quá lớn ({size / 1_000_000:.1f} MB); giới hạn là "
            f"{max_bytes / 1_000_000:.1f} MB."
        )
    text = decode_html(html, charset) if isinstance(html, bytes) else html
    root = parse(text)
    metadata = read_metadata(root, url)
    remove_invisible(root)

    names = Names(root)
    content = _container(root, url, pinned or {}, names)
    # The headline often sits in page chrome (a <header>) that the furniture pass removes.
    title = choose_title(root, metadata, names, content)
    paragraphs = readable(_body(root, content, url, names), title)
    if not paragraphs and metadata.json_ld_body:
        paragraphs = readable(_lines(metadata.json_ld_body), title)
    if not paragraphs:
        where = f" {url}" if url else ""
        raise ExtractionError(
            f"Không tìm thấy nội dung bài viết trong trang{where}. "
            "Hãy kiểm tra đường dẫn là một trang bài viết (không phải trang chủ hay danh mục)."
        )
    if not title:
        title, paragraphs = paragraphs[0], paragraphs[1:]
    return Article(
        title=title,
        paragraphs=tuple(paragraphs),
        url=url,
        published=metadata.published,
        author=metadata.author,
        site_name=metadata.site_name,
        lang=metadata.lang,
        canonical_url=metadata.canonical_url,
    )


def _container(
    root: HtmlElement, url: str | None, pinned: Mapping[str, str], names: Names
) -> HtmlElement | None:
    selector = pinned_selector(url, pinned)
    if selector and (content := find_container(root, [selector], min_chars=1)) is not None:
        return content
    return profile_container(root, names)


def _body(
    root: HtmlElement, content: HtmlElement | None, url: str | None, names: Names
) -> list[str]:
    """Body paragraphs, before the final filter: from the container, or found generically."""
    if content is None:
        remove_furniture(root)
        if paragraphs := trafilatura_paragraphs(root, url):
            return paragraphs
        scored = best_scored(root)
        return paragraphs_of(scored) if scored is not None else []
    lead = lead_outside(root, content, names)
    remove_furniture(root, keep=[content, *([lead] if lead is not None else [])])
    remove_link_lists(content)
    paragraphs = paragraphs_of(content)
    if lead is not None:
        lead_paragraphs = paragraphs_of(lead)
        if lead_paragraphs and lead_paragraphs[0] not in paragraphs:
            paragraphs = lead_paragraphs + paragraphs
    return paragraphs


def _lines(text: str) -> list[str]:
    return [line for line in (clean_text(part) for part in text.splitlines()) if line]
