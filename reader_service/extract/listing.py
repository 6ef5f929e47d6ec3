"""Pages that are not articles: told by the structure of what extraction found, not its length.

A home or category page read as if it were an article gives headlines, each followed by at most a
one-paragraph teaser; a forum index or a document registry gives text made of links; a data page
gives figures. An article gives prose: several long paragraphs that are no link's text. Each
signal is a small function; ``not_article_kind`` combines them and says what the page is.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from reader_service.extract.document import text_of
from reader_service.extract.items import is_headline

# A sentence ends and an upper-case one begins: "… amid layoffs. The company …".
_SENTENCE_BREAK = re.compile(r"[.!?…]\s+(?=[A-ZÀ-ỸĐ])")
# Teasers: headlines all through the body, each with at most its own teaser paragraph.
_MIN_TEASERS = 4
_TEASER_SHARE = 0.2
# Prose (sentences) that is neither a headline nor a headline's teaser, against the listed
# text: an article with related headlines between its paragraphs (0.77 on the public bench's
# NBC page) or a round-up article, several paragraphs under each linked subheading, has more;
# a listing has labels, menus, a stray teaser (0.00-0.39 on the real home pages).
_OTHER_TEXT_SHARE = 0.6
_SENTENCE_ENDS = (".", "!", "?", "…", ":")
_INTRO_CHARS = 300
# "Xem tiếp" under each story: an article has none, or one at its end.
_READ_MORE = re.compile(
    r"xem tiếp|đọc tiếp|xem thêm|đọc thêm|chi tiết|xem chi tiết|read more|continue reading"
)
_MIN_READ_MORE = 3
# Text made of links (a forum index, a registry of documents).
_LINK_TEXT_SHARE = 0.45
_LINK_CHARS = 8
_LONG_PARAGRAPHS_CHECKED = 5
# A home page read as a few teasers (checked on a fresh tree, only for bodies this short).
FRONT_BODY_CHARS = 600
_FRONT_HEADLINES = 10
# A table of figures.
_DIGIT_SHARE = 0.35
_MIN_DATA_PARAGRAPHS = 5


# A list of articles (a category or home page), told from a round-up article: no publication
# date or a short heading, many of the paragraphs are headlines that link elsewhere from
# the start (not a related list after a body), and none is a paragraph of prose.
_LISTING_TEASERS = 4
# A listing is headed by a section name ("Tin tức - Sự kiện"), shorter than most headlines.
SECTION_NAME_CHARS = 50
_LISTING_TEASER_SHARE = 0.4
_LISTING_STARTS_BY = 0.3
_LISTING_LONGEST = 400
_TEASER_CHARS = 20


def headlines_from_the_start(root: HtmlElement, paragraphs: list[str]) -> bool:
    """Short paragraphs, many of them link texts, the first of them early: a list of articles
    (applied to undated pages or pages with a section-name heading)."""
    if not paragraphs or max(map(len, paragraphs)) >= _LISTING_LONGEST:
        return False
    links = {text for a in root.iter("a") if len(text := text_of(a)) >= _TEASER_CHARS}
    teasers = [number for number, text in enumerate(paragraphs) if text in links]
    return (
        len(teasers) >= _LISTING_TEASERS
        and len(teasers) >= _LISTING_TEASER_SHARE * len(paragraphs)
        and teasers[0] <= _LISTING_STARTS_BY * len(paragraphs)
    )


def headline_links(root: HtmlElement) -> set[str]:
    """Texts of links shaped like headlines: a few words, one sentence (a linked summary of
    several sentences is prose)."""
    return {
        text
        for a in root.iter("a")
        if is_headline(text := text_of(a)) and not _SENTENCE_BREAK.search(text)
    }


def teaser_positions(paragraphs: list[str], headlines: set[str]) -> list[int]:
    """Paragraphs that are a headline link's text, or start with it (headline and teaser run
    together in one block, the teaser starting after a space). A link that is the paragraph's
    first sentence (a full stop follows it, or ends it) is prose that links it, not a
    headline."""
    glued = [h for h in headlines if not h.endswith((".", "!", "?", "…"))]
    return [
        number
        for number, text in enumerate(paragraphs)
        if text in headlines
        or any(text.startswith(h) and text[len(h)].isspace() for h in glued if len(h) < len(text))
    ]


def reads_like_teasers(paragraphs: list[str], teasers: list[int]) -> bool:
    """Headlines all through the body, and hardly any prose that is not a headline's own
    teaser (the paragraph right after it)."""
    if len(teasers) < _MIN_TEASERS or len(teasers) < _TEASER_SHARE * len(paragraphs):
        return False
    headlines = set(teasers)
    their_teasers = {number + 1 for number in teasers}
    listed = other = 0
    for number, text in enumerate(paragraphs):
        if number in headlines or number in their_teasers:
            listed += len(text)
        elif text.rstrip('"”’)»').endswith(_SENTENCE_ENDS):
            other += len(text)  # prose; menus and section labels are no sentences
    return other < _OTHER_TEXT_SHARE * listed


def introduced(paragraphs: list[str], teasers: list[int]) -> bool:
    """Whether prose comes before the first headline: a round-up article's introduction."""
    return bool(teasers) and any(len(text) >= _INTRO_CHARS for text in paragraphs[: teasers[0]])


def read_more_links(paragraphs: list[str]) -> int:
    """Paragraphs that are only a "read more" link: one per story on a front page."""
    return sum(
        _READ_MORE.fullmatch(text.strip(" .»>›…").casefold()) is not None for text in paragraphs
    )


def link_text_share(paragraphs: list[str], root: HtmlElement) -> float:
    """How much of the body is the text of links (checked on its longest paragraphs, where a
    table or list of links read as one block would be)."""
    total = sum(map(len, paragraphs))
    if not total:
        return 0.0
    longest = sorted(paragraphs, key=len, reverse=True)[:_LONG_PARAGRAPHS_CHECKED]
    if sum(map(len, longest)) < 0.5 * total:
        return 0.0
    links = {text for a in root.iter("a") if len(text := text_of(a)) >= _LINK_CHARS}
    covered = sum(
        min(len(text), sum(len(link) * text.count(link) for link in links if link in text))
        for text in longest
    )
    return covered / total


def digit_share(paragraphs: list[str]) -> float:
    """The share of digits among the letters and digits of the body."""
    text = "".join(paragraphs)
    alphanumeric = sum(map(str.isalnum, text))
    return sum(map(str.isdigit, text)) / alphanumeric if alphanumeric else 0.0


def headline_shown(root: HtmlElement, title: str) -> bool:
    """Whether the title is on the page for a reader (in its body, not only in <title>): an
    article shows its headline; a home page's "title" is the site's tagline."""
    body = root.find("body")
    if body is None:
        return False
    shown = " ".join(body.text_content().split())
    return " ".join(title.split()) in shown


def site_front(root: HtmlElement, paragraphs: list[str], title: str) -> bool:
    """A home or section front read as a few stray teasers: a short "body", a title that is
    nowhere on the page (the site's own name) and many headlines linking elsewhere."""
    return (
        sum(map(len, paragraphs)) < FRONT_BODY_CHARS
        and len(headline_links(root)) >= _FRONT_HEADLINES
        and not headline_shown(root, title)
    )


# A grid of links (a forum index, a registry of documents, a results table): rows of at least
# three cells, each row with a link, carrying far more text than what was found to read.
_GRID_ROWS = 8
_GRID_CELLS = 3
_GRID_TEXT_RATIO = 3
# Paragraphs are looked for in a table by their first characters (inline markup may space the
# rest differently).
_KEY_CHARS = 40


def link_grid(root: HtmlElement, paragraphs: list[str]) -> bool:
    """Whether the page's main content is a table of links that extraction did not read: a
    forum's list of sub-forums (name, description, last post, counts) or a registry of
    documents (number, date, summary). An article's table is read with its body; a related
    list is one column, not a grid."""
    body_chars = sum(map(len, paragraphs))
    for table in root.iter("table"):
        rows = [
            row
            for row in table.xpath("./tr|./tbody/tr|./thead/tr")
            if len(row.xpath("./td|./th")) >= _GRID_CELLS and row.find(".//a") is not None
        ]
        if len(rows) < _GRID_ROWS:
            continue
        texts = [text_of(row) for row in rows]
        if sum(map(len, texts)) < _GRID_TEXT_RATIO * body_chars:
            continue
        # The table that holds the body (an old page's layout table) is the article's.
        whole = text_of(table)
        if not any(paragraph[:_KEY_CHARS] in whole for paragraph in paragraphs):
            return True
    return False


def not_article_kind(root: HtmlElement, paragraphs: list[str], dated: bool) -> str | None:
    """What the page is when it is not an article ("listing", "links", "data"), else None.
    ``dated``: the page declares a publication date and a headline of an article's length;
    then headlines after an introduction are a round-up article's linked subheadings."""
    if not dated and headlines_from_the_start(root, paragraphs):
        return "listing"
    headlines = headline_links(root)
    teasers = teaser_positions(paragraphs, headlines)
    if reads_like_teasers(paragraphs, teasers) and not (dated and introduced(paragraphs, teasers)):
        return "listing"
    if read_more_links(paragraphs) >= _MIN_READ_MORE:
        return "listing"
    if link_text_share(paragraphs, root) >= _LINK_TEXT_SHARE:
        return "links"
    if len(paragraphs) >= _MIN_DATA_PARAGRAPHS and digit_share(paragraphs) >= _DIGIT_SHARE:
        return "data"
    return None
