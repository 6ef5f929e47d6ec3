"""Article extraction: title, body and metadata of a portal page. Never returns None.

Layers, first that yields text wins (see benchmarks/extraction.py for why this order):
1. a content selector the operator pinned for the page's host (settings);
2. known portal CMS profiles (extract/profiles.py);
3. the generic extractor (trafilatura, then a density scorer);
4. the JSON-LD ``articleBody`` of pages that render their body with JavaScript.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from functools import cached_property
from typing import NoReturn

from lxml.html import HtmlElement

from reader_service.errors import ExtractionError, PageTooLargeError
from reader_service.extract.blocks import paragraphs_of, stitched
from reader_service.extract.content import find_container, pinned_selector, profile_container
from reader_service.extract.document import Names, parse, text_length, text_of
from reader_service.extract.generic import (
    TextIndex,
    best_scored,
    byline_after,
    prose_before,
    restore_structure,
    trafilatura_paragraphs,
    with_prose_siblings,
    without_other_columns,
    without_trailing_teasers,
)
from reader_service.extract.items import FORM_BODY_CHARS, form_page, listing_kind
from reader_service.extract.lead import find_lead
from reader_service.extract.listing import (
    FRONT_BODY_CHARS,
    SECTION_NAME_CHARS,
    headline_shown,
    link_grid,
    not_article_kind,
    site_front,
)
from reader_service.extract.metadata import date_after_title, read_metadata
from reader_service.extract.noise import remove_furniture, remove_invisible, remove_link_lists
from reader_service.extract.opinions import is_prose, second_opinion
from reader_service.extract.photos import photo_story_captions
from reader_service.extract.qa import may_have_labels, with_labels
from reader_service.extract.readable import readable
from reader_service.extract.shell import is_javascript_shell
from reader_service.extract.tables import unwrap_layout_tables
from reader_service.extract.text import decode_html
from reader_service.extract.title import choose_title, heading_before
from reader_service.limits import MAX_HTML_BYTES, MAX_HTML_TAGS
from reader_service.models import Article
from reader_service.text import clean_text

__all__ = ["extract", "MAX_HTML_BYTES", "MAX_HTML_TAGS"]

# Below this share of the JSON-LD articleBody's length, the HTML reading is a shell or a teaser.
JSON_LD_SHARE = 0.5
# A generic reading holding this share of all the page's text is the page, not its article.
WHOLE_PAGE_SHARE = 0.85


def extract(
    html: str | bytes,
    url: str | None = None,
    charset: str | None = None,
    max_bytes: int = MAX_HTML_BYTES,
    pinned: Mapping[str, str] | None = None,
    max_tags: int = MAX_HTML_TAGS,
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
    tags = html.count(b"<") if isinstance(html, bytes) else html.count("<")
    if tags > max_tags:
        raise PageTooLargeError(
            f"Trang có quá nhiều thẻ HTML ({tags:,} thẻ; giới hạn {max_tags:,}): đây không "
            "giống một trang bài viết."
        )
    text = decode_html(html, charset) if isinstance(html, bytes) else html
    root = parse(text)
    metadata = read_metadata(root, url)
    # Old layouts have no <h1>: their headline is a bold line the body starts with.
    has_h1 = root.find(".//h1") is not None
    remove_invisible(root)

    names = Names(root)
    content, by_operator = _container(root, url, pinned or {}, names)
    untrimmed: list[str] | None = None
    # The headline often sits in page chrome (a <header>) that the furniture pass removes.
    title = choose_title(root, metadata, names, content)
    published = metadata.published or date_after_title(root, title)
    if content is not None:
        # An operator's selector says exactly what to read; a template's may leave the sapo
        # out, and on Vietnamese pages the prose right under the headline is the sapo.
        unnamed_lead = metadata.lang == "vi" and not by_operator
        paragraphs = _container_body(root, content, title, unnamed_lead)
    else:
        remove_furniture(root)
        remove_link_lists(root)
        paragraphs, content, untrimmed = _generic_body(root, url, title, metadata.lang == "vi")
        if not title and content is not None:
            title = heading_before(root, content)
    paragraphs = readable(paragraphs, title)
    if metadata.json_ld_body:
        # Pages that render their body with JavaScript carry it whole only in JSON-LD.
        structured = readable(_lines(metadata.json_ld_body), title)
        if sum(map(len, paragraphs)) < JSON_LD_SHARE * sum(map(len, structured)):
            paragraphs = structured
    # The checks below look again at the page as it came, before extraction removed parts of
    # it: a fresh parse, made once and only for the pages that need it (cheaper than keeping a
    # copy of every page).
    pristine = _Pristine(text)
    if sum(map(len, paragraphs)) < _PHOTO_STORY_BODY_CHARS:
        paragraphs = _with_captions(paragraphs, pristine, title)
    if may_have_labels(text):
        paragraphs = with_labels(pristine.tree, paragraphs)
    if (
        not metadata.json_ld_body
        and sum(map(len, paragraphs)) < _SHELL_BODY_CHARS
        and is_javascript_shell(pristine.tree)
    ):
        _refuse(
            url,
            "được dựng bằng JavaScript trong trình duyệt: máy chủ chỉ gửi phần khung (như «Đang "
            "tải...»), không có nội dung bài. Hãy khai báo nội dung bài trong JSON-LD "
            "(articleBody của NewsArticle) trên trang, hoặc gửi bài trực tiếp: POST "
            "/v1/articles với {title, text}.",
        )
    if not paragraphs:
        # Nothing to read; the page's structure, and what trafilatura took for the page, may
        # still say what it is.
        evidence = readable(untrimmed, title) if untrimmed else []
        kind = _what_else(pristine, root, [], evidence, title, False, published is not None)
        if kind:
            _refuse(url, _NOT_ARTICLE[kind])
        where = f" {url}" if url else ""
        raise ExtractionError(
            f"Không tìm thấy nội dung bài viết trong trang{where}. "
            "Hãy kiểm tra đường dẫn là một trang bài viết (không phải trang chủ hay danh mục); "
            "trang tải nội dung bằng JavaScript cần khai báo articleBody (JSON-LD)."
        )
    if title and paragraphs and not has_h1 and _opens_with_headline(paragraphs[0]):
        # A <title> that only names the site, shown nowhere, while the body opens with a
        # headline-shaped line the page shows: that line is the headline.
        if not headline_shown(pristine.tree, title) and _set_apart(pristine.tree, paragraphs[0]):
            title, paragraphs = paragraphs[0], paragraphs[1:]
    dated = metadata.published is not None and len(title) >= SECTION_NAME_CHARS
    # A list of articles is told by its teasers, also those left out after a short body.
    evidence = readable(untrimmed, title) if untrimmed else paragraphs
    if kind := _what_else(
        pristine, root, paragraphs, evidence, title, dated, published is not None
    ):
        _refuse(url, _NOT_ARTICLE[kind])
    if not title:
        title, paragraphs = paragraphs[0], paragraphs[1:]
    return Article(
        title=title,
        paragraphs=tuple(paragraphs),
        url=url,
        published=published,
        author=metadata.author,
        site_name=metadata.site_name,
        lang=metadata.lang,
        canonical_url=metadata.canonical_url,
    )


# A body shorter than this may be a photo story's lead (or nothing): the page is looked at
# again for a run of captioned pictures. Longer bodies are prose articles, whose captions
# only name the photos.
_PHOTO_STORY_BODY_CHARS = 800


def _with_captions(paragraphs: list[str], pristine: _Pristine, title: str) -> list[str]:
    """A photo story's captions after its lead, when they carry more of the story than the
    prose found; else the prose as it was. Looked for in a copy of the page as it came (the
    extraction has removed captions from its own tree; the other checks need the hidden parts
    this one drops)."""
    tree = copy.deepcopy(pristine.tree)
    remove_invisible(tree)
    known = set(paragraphs)
    captions = [c for c in readable(photo_story_captions(tree), title) if c not in known]
    if sum(map(len, captions)) <= sum(map(len, paragraphs)):
        return paragraphs
    return [*paragraphs, *captions]


class _Pristine:
    """The page's tree as parsed from its text, parsed on first use."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def tree(self) -> HtmlElement:
        return parse(self.text)


_HEADLINE_LINE_CHARS = 200


def _opens_with_headline(paragraph: str) -> bool:
    """A line shaped like a headline: short, and not a sentence (no full stop at its end)."""
    return len(paragraph) <= _HEADLINE_LINE_CHARS and not paragraph.rstrip().endswith(
        (".", "!", "?", ":", ";", "…")
    )


_HEADLINE_TAGS = ("b", "strong", "font", "h2", "h3", "h4", "h5", "h6")


def _set_apart(root: HtmlElement, line: str) -> bool:
    """Whether ``line`` is the whole text of a bold or heading element of its own."""
    return any(text_of(element) == line for element in root.iter(*_HEADLINE_TAGS))


def _what_else(
    pristine: _Pristine,
    root: HtmlElement,
    paragraphs: list[str],
    evidence: list[str],
    title: str,
    dated: bool,
    has_date: bool,
) -> str | None:
    """What the page is when it is no article (a key of _NOT_ARTICLE), else None.

    ``pristine``: the page as it came (parsed only if a check needs it); ``root``: what
    extraction left of it; ``evidence``: what was read, with any teasers left out put back;
    ``dated``: a date and a headline of an article's length; ``has_date``: any date."""
    if sum(map(len, paragraphs)) < FRONT_BODY_CHARS:
        # A short "body" may be a stray line of a page whose content is something else.
        if link_grid(pristine.tree, paragraphs):
            return "links"
        if title and site_front(pristine.tree, paragraphs, title):
            return "listing"
    if (kind := not_article_kind(root, evidence, dated)) is not None:
        return kind
    # Looked for on the page as it came (extraction removed lists of links from its tree);
    # a body with paragraphs of prose is an article's (and spares most pages a second parse).
    if not _prose_paragraphs(evidence) and (kind := listing_kind(pristine.tree, evidence, title)):
        if not dated:  # a dated headline over linked subheadings is a round-up article
            return kind
    if sum(map(len, paragraphs)) < FORM_BODY_CHARS and form_page(
        pristine.tree, paragraphs, title, has_date
    ):
        return "form"
    return None


def _refuse(url: str | None, what: str) -> NoReturn:
    """The page is no article: ``what`` it is instead, in the editor's words."""
    where = f" {url}" if url else ""
    raise ExtractionError(f"Trang{where} {what}")


# What a page that is not an article is, in the editor's words (listing.not_article_kind).
_NOT_ARTICLE = {
    "listing": (
        "là danh sách nhiều bài viết (trang chủ hoặc trang chuyên mục: các tiêu đề nối tiếp "
        "nhau, mỗi tiêu đề một đoạn giới thiệu), không phải một bài viết. Hãy mở một bài viết "
        "và dùng đường dẫn của bài đó."
    ),
    "links": (
        "chủ yếu là các liên kết (danh mục, chỉ mục diễn đàn, sổ văn bản), không phải một bài "
        "viết. Hãy mở một bài viết và dùng đường dẫn của bài đó."
    ),
    "search": (
        "là trang kết quả tìm kiếm, không phải một bài viết. Hãy mở một bài viết trong kết quả "
        "và dùng đường dẫn của bài đó."
    ),
    "questions": (
        "là danh sách câu hỏi (hỏi đáp), không phải một bài viết. Hãy mở một câu hỏi để nghe "
        "câu hỏi và câu trả lời."
    ),
    "form": (
        "là trang biểu mẫu để điền (liên hệ, góp ý, gửi câu hỏi), không phải một bài viết. Hãy "
        "dùng đường dẫn của một bài viết."
    ),
    "data": (
        "là bảng số liệu, không phải một bài viết: dịch vụ chỉ đọc bài viết. Hãy dùng đường "
        "dẫn của một bài viết."
    ),
}

# Paragraphs of prose this long an article has and a list of items, read as a body, has not:
# a body with this many is not checked for items.
_PROSE_PARAGRAPH_CHARS = 200
_PROSE_PARAGRAPHS = 3


def _prose_paragraphs(paragraphs: list[str]) -> bool:
    long_ones = (p for p in paragraphs if len(p) >= _PROSE_PARAGRAPH_CHARS)
    return sum(map(is_prose, long_ones)) >= _PROSE_PARAGRAPHS


# A client-rendered shell whose "body" is shorter than this is refused (a JSON-LD body, when
# there is one, has replaced the shell's text above).
_SHELL_BODY_CHARS = 200


def _container(
    root: HtmlElement, url: str | None, pinned: Mapping[str, str], names: Names
) -> tuple[HtmlElement | None, bool]:
    """The body container and whether the operator's pinned selector found it."""
    selector = pinned_selector(url, pinned)
    if selector and (content := find_container(root, [selector], min_chars=1)) is not None:
        return content, True
    return profile_container(root, names), False


def _container_body(
    root: HtmlElement, content: HtmlElement, title: str, unnamed_lead: bool
) -> list[str]:
    """Paragraphs of a known container, with the sapo first when it sits outside."""
    lead = find_lead(root, title, content, unnamed=unnamed_lead)
    remove_furniture(root, keep=[content, *([lead] if lead is not None else [])])
    remove_link_lists(content)
    return _with_lead(lead, paragraphs_of(content))


def _generic_body(
    root: HtmlElement, url: str | None, title: str, vietnamese: bool
) -> tuple[list[str], HtmlElement | None, list[str] | None]:
    """trafilatura's paragraphs (with what it drops put back), else the density scorer's; and
    when teasers of other articles found after the body were left out, the body with them
    (for the page-kind checks).

    trafilatura falls back to the whole page's text when it finds no paragraph structure (old
    layouts with <br> and <font>); that reading is refused for the scorer's block.
    """
    unwrap_layout_tables(root)
    page_chars = text_length(root)
    found = trafilatura_paragraphs(root, url)
    if (
        found
        and sum(map(len, found)) < WHOLE_PAGE_SHARE * page_chars
        and not _stitched_reading(root, found)
    ):
        index = TextIndex(root)
        found = without_other_columns(index, found, title)
        found = second_opinion(index, found, best_scored(root), title)
        read = without_trailing_teasers(index, found)
        lead = find_lead(root, title, index.element(read[0]), unnamed=vietnamese)
        body = _with_lead(lead, _restored(index, read, title, vietnamese))
        if len(read) == len(found):
            return body, index.container(read), None
        untrimmed = _with_lead(lead, _restored(index, found, title, vietnamese))
        return body, index.container(read), untrimmed
    scored = best_scored(root)
    if scored is None:
        # No block of prose anywhere: a page this small is all article, or a list page whose
        # entries were removed as link lists (the page checks tell them apart).
        return found, None, None
    parts = with_prose_siblings(scored)
    blocks = [paragraphs_of(part) for part in parts]
    paragraphs = [paragraph for part_blocks in blocks for paragraph in part_blocks]
    paragraphs = _after(prose_before(parts[0], title), paragraphs)
    if vietnamese and (byline := byline_after(parts[-1], blocks[-1], len(blocks[-1]) - 1)):
        paragraphs.append(byline)
    paragraphs = _with_lead(find_lead(root, title, parts[0], unnamed=vietnamese), paragraphs)
    return paragraphs, scored, None


# trafilatura reads a page too short for its extractor as one line of all its text.
_STITCHED_PARAGRAPHS = 2


def _stitched_reading(root: HtmlElement, found: list[str]) -> bool:
    """trafilatura's reading of a short page as pieces of it run together (menu, headline,
    body, footer in one line): its whole page in all but the share test."""
    if len(found) > _STITCHED_PARAGRAPHS:
        return False
    body = root.find("body")
    blocks = paragraphs_of(body if body is not None else root)
    return all(stitched(paragraph, blocks) for paragraph in found)


def _restored(index: TextIndex, found: list[str], title: str, vietnamese: bool) -> list[str]:
    """trafilatura's paragraphs with the subheadings, byline and first half of a split body
    it dropped put back."""
    paragraphs = restore_structure(index, found, bylines=vietnamese)
    container = index.container(found)
    if container is not None:
        paragraphs = _after(prose_before(container, title), paragraphs)
    return paragraphs


def _after(earlier: list[str], paragraphs: list[str]) -> list[str]:
    """``earlier`` paragraphs not already among ``paragraphs``, then ``paragraphs``."""
    known = set(paragraphs)
    return [p for p in earlier if p not in known] + paragraphs


def _with_lead(lead: HtmlElement | None, paragraphs: list[str]) -> list[str]:
    """The sapo's paragraphs first, unless the body already starts with them."""
    if lead is None:
        return paragraphs
    lead_paragraphs = paragraphs_of(lead)
    if not lead_paragraphs or any(lead_paragraphs[0] in p for p in paragraphs[:3]):
        return paragraphs
    return lead_paragraphs + paragraphs


def _lines(text: str) -> list[str]:
    return [line for line in (clean_text(part) for part in text.splitlines()) if line]
