"""Choosing the headline: the visible heading that the page's <title>/og:title names."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from reader_service.extract.document import Names, is_element, select, text_length, text_of
from reader_service.extract.metadata import PageMetadata
from reader_service.extract.noise import is_hidden
from reader_service.extract.profiles import SITE_NAME_HINTS, TITLE_SELECTORS

_SEPARATOR = re.compile(r"\s+[-–—]\s+|\s*[|»]\s*|\s+::\s+")
_HEADINGS = ("h1", "h2", "h3", "h4")
# Shorter headings are labels ("Tin tức"), not headlines.
_MIN_HEADLINE = 8
# Containers whose headings are the site's, not the article's.
_SITE_PARTS = re.compile(r"logo|brand|site-?name|banner|header|menu|nav|footer", re.IGNORECASE)


def _fold(text: str) -> str:
    return " ".join(text.casefold().split()).strip(" .:-–|")


def _names_site(part: str, site_name: str | None) -> bool:
    folded = _fold(part)
    if not folded:
        return True
    return (
        folded == _fold(site_name or "")
        or bool(SITE_NAME_HINTS.search(part))
        or (part.isupper() and len(folded) >= 10)
    )


def strip_site_name(text: str, site_name: str | None) -> str:
    """ "Article - Cổng TTĐT tỉnh X" -> "Article": drop leading or trailing segments that name
    the site. Separators inside the title ("nhiệm kỳ 2020 - 2025") stay."""
    while separators := list(_SEPARATOR.finditer(text)):
        last, first = separators[-1], separators[0]
        if _names_site(text[last.end() :], site_name):
            text = text[: last.start()].strip()
        elif _names_site(text[: first.start()], site_name):
            text = text[first.end() :].strip()
        else:
            break
    return text


def _in_site_chrome(element: HtmlElement) -> bool:
    for ancestor in (element, *element.iterancestors()):
        if ancestor.tag in ("header", "nav", "footer", "aside") and not any(
            a.tag == "article" for a in ancestor.iterancestors()
        ):
            return True
        names = f"{ancestor.get('class', '')} {ancestor.get('id', '')}"
        if _SITE_PARTS.search(names) and ancestor.tag not in ("body", "html"):
            return True
        if is_hidden(ancestor):
            return True
    return False


def _headings(root: HtmlElement, names: Names) -> list[HtmlElement]:
    found = [el for el in root.iter(*_HEADINGS) if is_element(el) and text_length(el) <= 400]
    for css in TITLE_SELECTORS:
        found.extend(select(root, css, names))
    return found


def choose_title(
    root: HtmlElement, metadata: PageMetadata, names: Names, content: HtmlElement | None = None
) -> str:
    """The article's headline as the page shows it, or "" when the page names none.

    1. a visible heading equal to, or the article part of, og:title / JSON-LD / <title>;
    2. a headline element of a known template;
    3. og:title or <title> without the site's name;
    4. the nearest heading before the article body.
    """
    site = _fold(metadata.site_name or "")
    hints = [_fold(h) for h in metadata.title_hints]
    best: tuple[int, int, str] | None = None
    headings = _headings(root, names)
    for order, heading in enumerate(headings):
        text = text_of(heading)
        folded = _fold(text)
        if len(folded) < _MIN_HEADLINE or folded == site or _in_site_chrome(heading):
            continue
        for hint in hints:
            if folded == hint:
                score = 3
            elif hint.startswith(folded) or hint.endswith(folded):
                score = 2
            elif len(folded) > 20 and folded in hint:
                score = 1
            else:
                continue
            if best is None or (score, -order) > (best[0], best[1]):
                best = (score, -order, text)
    if best is not None:
        return best[2]
    for css in TITLE_SELECTORS:
        for element in select(root, css, names):
            if len(text := text_of(element)) >= _MIN_HEADLINE and not is_hidden(element):
                return text
    for hint in metadata.title_hints:
        stripped = strip_site_name(hint, metadata.site_name)
        if _fold(stripped) != site and not SITE_NAME_HINTS.match(stripped):
            return stripped
    if content is not None:
        return heading_before(root, content)
    return ""


def heading_before(root: HtmlElement, content: HtmlElement) -> str:
    """The last visible heading that comes before the article body (or opens it)."""
    last = ""
    for element in root.iter():
        if element is content:
            break
        if element.tag in _HEADINGS and not _in_site_chrome(element):
            if len(text := text_of(element)) >= _MIN_HEADLINE:
                last = text
    if last:
        return last
    for element in content.iter(*_HEADINGS):
        if len(text := text_of(element)) >= _MIN_HEADLINE:
            return text
    return ""
