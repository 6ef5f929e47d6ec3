"""Choosing the headline: the visible heading that the page's <title>/og:title names."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from reader_service.extract.document import (
    Names,
    elements,
    is_element,
    select,
    text_length,
    text_of,
)
from reader_service.extract.metadata import PageMetadata
from reader_service.extract.noise import is_hidden, is_not_article_heading
from reader_service.extract.profiles import (
    PORTAL_NAME,
    SITE_NAME_HINTS,
    TITLE_CLASS,
    TITLE_SELECTORS,
)
from reader_service.extract.readable import is_toolbar

_SEPARATOR = re.compile(r"\s+[-–—]\s+|\s*[|»]\s*|\s+::\s+")
_HEADINGS = ("h1", "h2", "h3", "h4")
# An <h1> shorter than this is a section name ("Tin hoạt động"), not a headline.
_MIN_H1 = 20
# Text of more than this many characters before any heading means the body opens with prose.
_OPENING_TEXT = 40
# Longer "headings" are boxes that happen to carry a title class.
_MAX_HEADLINE = 300
# Logo and banner texts longer than this are not a site's name.
_MAX_SITE_NAME = 150
# Shorter headings are labels ("Tin tức"), not headlines.
_MIN_HEADLINE = 8
# Containers whose headings are the site's, not the article's ("header" alone is left out:
# article templates say "article-header"; a site's header is a <header> or id="header").
_SITE_PARTS = re.compile(
    r"(?:^|[\s_-])(?:logo|brand|site-?name|site-?title|site-?header|masthead|banner|menu|nav|"
    r"navbar|footer|top-?bar)(?:$|[\s_-])",
    re.IGNORECASE,
)
_LOGO = re.compile(r"logo|brand|site-?name|site-?title|ten-?don-?vi|banner", re.IGNORECASE)
_SITE_IDS = frozenset(("header", "banner", "top", "footer", "menu", "navigation"))


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
        if ancestor.tag in ("body", "html"):
            continue
        if _SITE_PARTS.search(names) or (ancestor.get("id") or "").lower() in _SITE_IDS:
            return True
        if is_hidden(ancestor):
            return True
    return False


def _headings(root: HtmlElement, names: Names) -> list[HtmlElement]:
    found = [el for el in root.iter(*_HEADINGS) if is_element(el) and text_length(el) <= 400]
    for css in TITLE_SELECTORS:
        found.extend(select(root, css, names))
    return found


def _titled(root: HtmlElement, names: Names) -> list[HtmlElement]:
    """Elements whose class or id names a title ("articleTitle" of DNN News Articles: a <span>,
    not a heading). Looked at only when no heading matches the page's title hints."""
    return _named(root, names, TITLE_CLASS, _MAX_HEADLINE)


def _named(
    root: HtmlElement, known: Names, pattern: re.Pattern[str], max_chars: int
) -> list[HtmlElement]:
    """Elements, in document order, with a class or id that ``pattern`` finds and at most
    ``max_chars`` of text: one walk of the page (a CSS lookup per class cost ~0.3 ms each)."""
    classes = {c for c in known.classes if pattern.search(c)}
    ids = {i for i in known.ids if pattern.search(i)}
    if not (classes or ids):
        return []
    found = []
    for element in root.iter():
        own_classes, identity = element.get("class"), element.get("id")
        if (own_classes and not classes.isdisjoint(own_classes.split())) or (
            identity and identity.strip() in ids
        ):
            if text_length(element) <= max_chars:
                found.append(element)
    return found


def choose_title(
    root: HtmlElement, metadata: PageMetadata, names: Names, content: HtmlElement | None = None
) -> str:
    """The article's headline as the page shows it, or "" when the page names none.

    1. a visible heading equal to, or the article part of, og:title / JSON-LD / <title>
       (ties: the closer match, then a heading that is not a link, then <h1>, then the first);
    2. a headline element of a known template;
    3. the page's only <h1> outside the site's chrome, when it is headline-sized;
    4. og:title or <title> without the site's name;
    5. the heading that opens the article body, or the nearest one before it.
    """
    site = _fold(metadata.site_name or "")
    site_names = _site_names(root, names) | {site}
    # A <title> that names the portal, or a print page's "In bài viết", is not the headline.
    usable = [h for h in metadata.title_hints if not PORTAL_NAME.match(h) and not is_toolbar(h)]
    hints = [_fold(h) for h in usable if _fold(h) not in site_names]
    if hinted := _best_hinted(_headings(root, names), hints, site):
        return hinted
    if hinted := _best_hinted(_titled(root, names), hints, site):
        return hinted
    # A <span> or <td> headline with no class that says so: only its exact text counts (the
    # hint itself, or the hint without the site's name), never a fragment of it.
    # Looked for only on pages without an <h1> (old layouts): a walk of every short element.
    if root.find(".//h1") is None:
        whole = {*hints, *(_fold(strip_site_name(h, metadata.site_name)) for h in usable)}
        whole |= {_fold(_longest_part(h)) for h in usable}
        whole -= site_names
        candidates = _short_elements(root)
        if whole and (hinted := _best_hinted(candidates, sorted(whole), site, exact=True)):
            return hinted
    for css in TITLE_SELECTORS:
        for element in select(root, css, names):
            if (
                len(text := text_of(element)) >= _MIN_HEADLINE
                and not is_hidden(element)
                and not is_not_article_heading(text)  # a title-classed "Xem nhiều nhất"
            ):
                return text
    h1s = [h for h in root.iter("h1") if not _in_site_chrome(h) and text_length(h) >= _MIN_H1]
    if len(h1s) == 1:
        return text_of(h1s[0])
    for hint in usable:
        stripped = strip_site_name(hint, metadata.site_name)
        if _fold(stripped) not in site_names and not PORTAL_NAME.match(stripped):
            # What is left of a <title> that only names the site ("… – Phiên bản Mobile") is
            # shown nowhere; an old layout shows its headline right above the date instead.
            if root.find(".//h1") is None and not _shown(root, stripped):
                return _headline_above_date(root) or stripped
            return stripped
    if content is not None:
        return heading_before(root, content)
    return _headline_before_prose(root)


_SHORT_TAGS = ("span", "div", "td", "font", "b", "strong", "p")


# Separators of a <title>, breadcrumb arrows included ("Bài viết > Tin hoạt động - Cổng").
_PARTS = re.compile(r"\s+[-–—>›]\s+|\s*[|»]\s*|\s+::\s+")


def _longest_part(hint: str) -> str:
    return max(_PARTS.split(hint), key=len)


def _short_elements(root: HtmlElement) -> list[HtmlElement]:
    return [
        element
        for element in root.iter(*_SHORT_TAGS)
        if _MIN_HEADLINE <= text_length(element) <= _MAX_HEADLINE
    ]


def _best_hinted(
    candidates: list[HtmlElement], hints: list[str], site: str, exact: bool = False
) -> str:
    """The candidate that best matches a title hint (ties: the closer match, then one that is
    not a link, then <h1>, then the first), or "". With ``exact``, a candidate must be one of
    the hints word for word (any element may be a candidate then)."""
    best: tuple[int, bool, bool, int] | None = None
    best_text = ""
    for order, heading in enumerate(candidates):
        text = text_of(heading)
        folded = _fold(text)
        if len(folded) < _MIN_HEADLINE or folded == site or _in_site_chrome(heading):
            continue
        score = max((_match(folded, hint) for hint in hints), default=0)
        if not score or (exact and folded not in hints):
            continue
        rank = (score, not _in_link(heading), heading.tag == "h1", -order)
        if best is None or rank > best:
            best, best_text = rank, text
    return best_text


# A paragraph this long is the article's prose, not a label.
_PROSE_CHARS = 80


def _headline_before_prose(root: HtmlElement) -> str:
    """The last headline-like element (a heading or a title class) outside the site's chrome
    before the page's first paragraph of prose: print pages and bare templates name their
    article only so."""
    last = bold = ""
    for element in root.iter():
        if not is_element(element):
            continue
        if _headline_like(element) and not _in_site_chrome(element):
            last = text_of(element)
        elif _bold_line(element) and not _in_site_chrome(element):
            bold = text_of(element)
        elif element.tag == "p" and text_length(element) >= _PROSE_CHARS and (last or bold):
            return last or bold
    return ""


def _shown(root: HtmlElement, text: str) -> bool:
    body = root.find("body")
    return body is not None and _fold(text) in _fold(body.text_content())


# The headline is the last heading or bold line at most this many elements above the date.
_DATE_REACH = 12


def _headline_above_date(root: HtmlElement) -> str:
    """The heading or bold line right above the article's date (``itemprop=datePublished``
    or ``<time datetime>`` in the body): headline, date, sapo is the order of old templates
    that name their article nowhere else."""
    dated = root.xpath(
        "//body//*[@itemprop='datePublished' or @itemprop='dateCreated' or "
        "(local-name()='time' and @datetime)]"
    )
    if not dated:
        return ""
    above = [element for element in dated[0].itersiblings(preceding=True)]
    above += [
        earlier
        for ancestor in dated[0].iterancestors()
        for earlier in ancestor.itersiblings(preceding=True)
    ]
    for element in above[:_DATE_REACH]:
        for candidate in [element, *element.iterdescendants()]:
            if not is_element(candidate) or _in_site_chrome(candidate):
                continue
            if _headline_like(candidate) or _bold_line(candidate):
                return text_of(candidate)
    return ""


# A headline set in bold type on a line of its own ("<font><b>Title</b></font><br>"): old
# table layouts have no heading element and no title class.
_BOLD = ("b", "strong")
_BOLD_HEADLINE = (20, 250)


def _bold_line(element: HtmlElement) -> bool:
    if element.tag not in _BOLD or any(a.tag in ("a", "p", "li") for a in element.iterancestors()):
        return False
    low, high = _BOLD_HEADLINE
    if not low <= text_length(element) <= high:
        return False
    text = text_of(element)
    if text.endswith((".", ":", ";", ",")):
        return False  # a lead sentence or a label, not a headline
    # Alone on its line: nothing but whitespace around it inside its (inline) parent.
    parent = element.getparent()
    while (
        parent is not None
        and parent.tag in ("font", "span")
        and (text_length(parent) == text_length(element))
    ):
        element, parent = parent, parent.getparent()
    following = element.getnext()
    return not (element.tail or "").strip() and (
        following is None or following.tag in ("br", "div", "p", "table", "font", "span")
    )


def _site_names(root: HtmlElement, known: Names) -> set[str]:
    """What the page calls itself: the texts of its logo (class or id "logo", "brand",
    "site-name"...) and the alt texts of images in them or linking to the home page."""
    names: set[str] = set()
    for image in elements(root, "//img[@alt]"):
        link = next(iter(image.iterancestors("a")), None)
        home = link is not None and (link.get("href") or "").strip() in ("/", "./", "")
        if home or _LOGO.search(f"{image.get('class', '')} {image.get('src', '')}"):
            names.add(_fold(image.get("alt") or ""))
    names.update(_fold(text_of(element)) for element in _named(root, known, _LOGO, _MAX_SITE_NAME))
    names.discard("")
    return names


def _match(heading: str, hint: str) -> int:
    """3: the same text; 2: the hint is the heading plus a site name; 1: it contains it."""
    if heading == hint:
        return 3
    if hint.startswith(heading) or hint.endswith(heading):
        return 2
    return 1 if len(heading) > 20 and heading in hint else 0


def _in_link(element: HtmlElement) -> bool:
    """Teasers of other articles are links; the article's own headline is not."""
    return element.find(".//a") is not None or any(a.tag == "a" for a in element.iterancestors())


def _headline_like(element: HtmlElement) -> bool:
    if not is_element(element):
        return False
    if element.tag not in _HEADINGS:
        names = f"{element.get('class', '')} {element.get('id', '')}"
        if not TITLE_CLASS.search(names):
            return False
    return _MIN_HEADLINE <= text_length(element) <= _MAX_HEADLINE


def heading_before(root: HtmlElement, content: HtmlElement) -> str:
    """The heading that opens the article body, else the last visible one before it.

    Headings are <h1>-<h4> or elements whose class names a title ("TieuDeChiTiet").
    """
    for element in content.iter():
        if _headline_like(element):
            return text_of(element)
        if element.tag not in _HEADINGS and len((element.text or "").strip()) > _OPENING_TEXT:
            break  # prose came first: the body does not open with its headline
    last = ""
    for element in root.iter():
        if element is content:
            break
        if _headline_like(element) and not _in_site_chrome(element):
            last = text_of(element)
    return last
