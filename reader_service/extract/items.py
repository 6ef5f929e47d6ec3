"""Pages made of items that lead elsewhere: category pages (with or without a featured lead
story), search results, schedule and document indexes, lists of questions, forum indexes.

Told by structure, on the page as it came: several blocks of one shape, each holding a link
whose text is a headline (its teaser, date, asker or counts beside it), and nothing the
extraction read that stands apart from them. An article has its own prose; a short notice
followed by a "Tin khác" list has a paragraph that is no item's. Each signal is a small
function; ``listing_kind`` combines them.
"""

from __future__ import annotations

import re
from collections import defaultdict

from lxml import etree
from lxml.html import HtmlElement

from reader_service.extract.blocks import paragraphs_of, stitched
from reader_service.extract.document import block_of, is_element, text_length, text_of
from reader_service.extract.noise import link_density

# A headline link: a few words that name an article, not a menu entry ("Trang chủ").
_HEADLINE_CHARS = 20
_HEADLINE_WORDS = 4
# An item is a headline with what goes with it; a longer block is prose that links somewhere.
_ITEM_MAX_CHARS = 700
# Several items of one shape make a list: an article's "Tin khác" has as many, so the list
# alone decides nothing (see ``listing_kind``).
_MIN_ITEMS = 5
# A featured story: its headline link opens the block, a summary of this length follows.
_SUMMARY_CHARS = 40
_FEATURED_PARAGRAPHS = 3
# Looked for from a read text up to this many levels, among these blocks.
_FEATURED_LEVELS = 4
_FEATURED_TAGS = frozenset({"div", "li", "article", "section", "td"})
# Navigation, header and footer hold menus of long links ("Hướng dẫn thủ tục hành chính").
_CHROME_TAGS = frozenset({"nav", "header", "footer"})
_CHROME_NAMES = re.compile(r"menu|nav|footer|header|breadcrumb", re.IGNORECASE)
# Read text that is no item's and at least this long is the page's own: an article.
# Measured: the list pages of the tests and the real forum listing keep at most 40 characters
# of their own (a table's caption, "Threads in Forum : Điểm báo, Forum Tools"); the shortest
# notices beside such lists have 63 (one sentence) to 94.
_OWN_TEXT_CHARS = 50
# Labels and menu entries ("Last Post", "» Mua Bán") are shorter than a phrase of the page's own.
_PHRASE_WORDS = 4
_LIST_TAGS = frozenset({"table", "tbody", "thead", "ul", "ol", "dl"})
_LINK_BLOCK_SHARE = 0.5
# What a site's footer says, wherever its markup puts it.
_FOOTER_TEXT = re.compile(
    r"bản quyền|copyright|©|cơ quan chủ quản|chịu trách nhiệm (?:chính|nội dung|xuất bản)|"
    r"giấy phép (?:số|thiết lập|hoạt động)|ghi rõ nguồn|all rights reserved|all times are gmt|"
    r"powered by|thiết kế bởi|phát triển bởi",
    re.IGNORECASE,
)
_PIECE_MIN_CHARS = 12
_SPACES = re.compile(r"[\s\u200b\u200e\u200f]+")
_RESULT_COUNT = re.compile(
    r"(?:tìm thấy|có|tổng số|hiển thị)\s*:?\s*[\d.,]+\s+(?:kết quả|bài viết|văn bản|tin)"
    r"|kết quả tìm kiếm|\b[\d,]+\s+results?\b|search results",
    re.IGNORECASE,
)
_QUESTION_SHARE = 0.6
# A form of this many fields to fill in, beside less text than this, is the page's content.
_FORM_FIELDS = 2
FORM_BODY_CHARS = 600
_FILLED_IN = frozenset({"text", "email", "tel", "textarea", "number", "date", "file"})
_FORM_TITLES = re.compile(
    r"^(?:liên hệ|góp ý|hỏi đáp|gửi câu hỏi|đặt câu hỏi|phản ánh|kiến nghị|đăng nhập|"
    r"đăng ký tài khoản|contact|feedback)"
)
_COMMENTS = re.compile(r"bình luận|ý kiến bạn đọc|ý kiến của bạn|gửi ý kiến|comment|reply")


def is_headline(text: str) -> bool:
    """Long enough, in characters and words, to name an article."""
    return len(text) >= _HEADLINE_CHARS and len(text.split()) >= _HEADLINE_WORDS


def headline_link(element: HtmlElement, title: str) -> HtmlElement | None:
    """The first link in ``element`` whose text names an article (other than this page's)."""
    for link in element.iter("a"):
        text = text_of(link)
        if is_headline(text) and text != title:
            return link
    return None


def in_chrome(element: HtmlElement) -> bool:
    """Inside the site's navigation, header or footer."""
    for ancestor in (element, *element.iterancestors()):
        if ancestor.tag in _CHROME_TAGS:
            return True
        if ancestor.tag not in ("body", "html") and _CHROME_NAMES.search(
            f"{ancestor.get('class', '')} {ancestor.get('id', '')}"
        ):
            return True
    return False


def repeated_items(root: HtmlElement, title: str) -> list[HtmlElement]:
    """Sibling blocks of one shape (tag and class), at least ``_MIN_ITEMS`` of them, each short
    and holding a headline link: the entries of a list of articles, results or documents."""
    found: list[HtmlElement] = []
    for parent in root.iter():
        if not is_element(parent) or len(parent) < _MIN_ITEMS:
            continue
        groups: dict[tuple[str, str], list[HtmlElement]] = defaultdict(list)
        for child in parent:
            if is_element(child):
                groups[(child.tag, child.get("class", ""))].append(child)
        for members in groups.values():
            if len(members) < _MIN_ITEMS:
                continue
            items = [
                member
                for member in members
                if text_length(member) <= _ITEM_MAX_CHARS
                and headline_link(member, title) is not None
            ]
            if len(items) >= _MIN_ITEMS and not in_chrome(parent):
                found.extend(items)
    return found


def featured_story(block: HtmlElement, title: str) -> bool:
    """A block that opens with a headline link followed by its summary: a category page's
    lead story, set apart from the list under it."""
    if text_length(block) > _ITEM_MAX_CHARS or in_chrome(block):
        return False
    link = headline_link(block, title)
    if link is None or not text_of(block).startswith(text_of(link)):
        return False
    # A headline, its summary, perhaps a date: an article's body opening with a link has
    # more paragraphs than that.
    rest = text_length(block) - text_length(link)
    return rest >= _SUMMARY_CHARS and len(paragraphs_of(block)) <= _FEATURED_PARAGRAPHS


def _in_featured(element: HtmlElement, title: str) -> bool:
    """Whether a text sits in a featured story (its block or a few levels up)."""
    for level, ancestor in enumerate((element, *element.iterancestors())):
        if level > _FEATURED_LEVELS or ancestor.tag in ("body", "html"):
            return False
        if ancestor.tag in _FEATURED_TAGS and featured_story(ancestor, title):
            return True
    return False


def own_text(
    root: HtmlElement, paragraphs: list[str], items: list[HtmlElement], title: str, enough: int
) -> int:
    """Characters of the read paragraphs that are the page's own, counted up to ``enough``:
    phrases of a few words outside the items and the table or list holding them (its column
    headings), outside the site's chrome and featured stories, not in a block of links, not a
    footer's lines (copyright, publisher, licence). A paragraph stitched from pieces of the
    page is judged piece by piece."""
    holders = {parent for item in items if (parent := item.getparent()) is not None}
    lists = [holder for holder in holders if holder.tag in _LIST_TAGS]
    # Rows in a <tbody>: the table's other sections hold its headings.
    lists += [
        table
        for part in lists
        if part.tag in ("tbody", "thead") and (table := part.getparent()) is not None
    ]
    # A table that also holds the headline lays out the page (an old portal's menu rows and
    # its article in one table): only its items are the list's.
    headline = _squashed(title)
    lists = [held for held in lists if not headline or headline not in _squashed(text_of(held))]
    # Compared without spaces: an item's text joined from its cells and a paragraph read from
    # them differ in spacing ("toán ‎( 1 2 3" against "toán ‎ ( 1 2 3").
    texts = [_squashed(text_of(holder)) for holder in [*items, *lists]]
    # A first look by text alone, which settles most pages without a walk of the tree.
    candidates = [p for p in paragraphs if _phrase(p) and not _contained(p, texts)]
    if sum(map(len, candidates)) < enough:
        return sum(map(len, candidates))
    inside = {element for holder in [*items, *lists] for element in holder.iter()}
    blocks: list[str] | None = None  # the page's paragraphs, for stitched readings only
    own = 0
    for paragraph in candidates:
        element = _locate(root, paragraph)
        if element is not None and _squashed(paragraph) not in _squashed(
            text_of(block_of(element))
        ):
            # More than its block: pieces of the page run together, judged one by one.
            if blocks is None:
                body = root.find("body")
                blocks = paragraphs_of(body) if body is not None else []
            if stitched(paragraph, blocks):
                pieces = _pieces([paragraph], blocks)
                own += own_text(root, pieces, items, title, enough - own)
                if own >= enough:
                    break
                continue
        if element is None:
            # Its first words are in no text node of their own ("Sticky: " in a <b>): found by
            # its text, spaces aside, else counted (never a reason to refuse).
            own += 0 if _contained(paragraph, texts) else len(paragraph)
        elif not (
            element in inside
            or in_chrome(element)
            or link_density(block_of(element)) > _LINK_BLOCK_SHARE
            or _in_featured(element, title)
        ):
            own += len(paragraph)
        if own >= enough:
            break
    return own


# The element whose own text holds a given start of a paragraph (an XPath walk in C).
_LOCATE = etree.XPath("(//body//text()[contains(normalize-space(.), $key)])[1]/..")
_KEY_CHARS = (30, 12)


def _locate(root: HtmlElement, text: str) -> HtmlElement | None:
    for size in _KEY_CHARS:
        found = _LOCATE(root, key=text[:size].strip())
        if isinstance(found, list) and found and isinstance(found[0], HtmlElement):
            return found[0]
    return None


def _phrase(text: str) -> bool:
    """A few words, not a footer's line nor a count of results."""
    words = sum(any(c.isalpha() for c in word) for word in text.split())
    return (
        words >= _PHRASE_WORDS and not _FOOTER_TEXT.search(text) and not _RESULT_COUNT.search(text)
    )


def _contained(text: str, texts: list[str]) -> bool:
    squashed = _squashed(text)
    return any(squashed in other for other in texts)


def _pieces(paragraphs: list[str], blocks: list[str]) -> list[str]:
    """The paragraphs, each stitched one replaced by the page's blocks it is made of."""
    pieces: list[str] = []
    for paragraph in paragraphs:
        if stitched(paragraph, blocks):
            pieces.extend(b for b in blocks if len(b) >= _PIECE_MIN_CHARS and b in paragraph)
        else:
            pieces.append(paragraph)
    return pieces


def _squashed(text: str) -> str:
    return _SPACES.sub("", text)


def result_count(root: HtmlElement) -> bool:
    """A line that counts results: "Tìm thấy 25 kết quả", "Có 25 kết quả phù hợp"."""
    body = root.find("body")
    return body is not None and bool(_RESULT_COUNT.search(" ".join(body.itertext())))


def questions(items: list[HtmlElement], title: str) -> bool:
    """Items whose headlines are questions: a list of a Q&A section's questions."""
    asked = [
        text_of(link).rstrip(" .").endswith("?")
        for item in items
        if (link := headline_link(item, title)) is not None
    ]
    return bool(asked) and sum(asked) >= _QUESTION_SHARE * len(asked)


def listing_kind(root: HtmlElement, paragraphs: list[str], title: str) -> str | None:
    """Items that lead elsewhere, and nothing read that is the page's own: "search" (results
    counted), "questions" (a Q&A list), "listing"; else None."""
    items = repeated_items(root, title)
    if len(items) < _MIN_ITEMS:
        return None
    if own_text(root, paragraphs, items, title, _OWN_TEXT_CHARS) >= _OWN_TEXT_CHARS:
        return None
    if result_count(root):
        return "search"
    return "questions" if questions(items, title) else "listing"


def form_page(root: HtmlElement, paragraphs: list[str], title: str, dated: bool) -> bool:
    """A form to fill in as the page's content (contact, feedback, a question to send): a page
    named for it, a form of two or more fields and a short undated text. A comment form under
    an article is headed as such; a notice with a sign-up form is named for its subject."""
    if (
        dated
        or sum(map(len, paragraphs)) >= FORM_BODY_CHARS
        or not _FORM_TITLES.search(title.casefold())
    ):
        return False
    for form in root.iter("form"):
        fields = [
            field
            for field in form.iter("input", "textarea", "select")
            if (field.get("type") or "text").lower() in _FILLED_IN
        ]
        if len(fields) < _FORM_FIELDS or in_chrome(form):
            continue
        around = " ".join(
            text_of(element) for element in (form, form.getprevious()) if element is not None
        )
        if not _COMMENTS.search(around.casefold()):
            return True
    return False
