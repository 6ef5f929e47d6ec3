"""Removing what is never read: scripts, hidden elements, navigation, toolbars, related lists."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from lxml import etree
from lxml.html import HtmlElement

from reader_service.extract.document import (
    attached,
    drop,
    elements,
    is_element,
    text_length,
    text_of,
)
from reader_service.extract.profiles import (
    FURNITURE_CLASS,
    HIDDEN_STYLE,
    INVISIBLE_TAGS,
    NOISE_ROLES,
    NOISE_TAGS,
    NOT_ARTICLE_CLASS,
    NOT_ARTICLE_HEADING_PATTERN,
    NOT_ARTICLE_HEADINGS,
)

# Elements that may carry a section label such as "Tin liên quan".
_HEADING_LIKE = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "strong", "b")
# Elements that a heading such as "Tin liên quan" may introduce as a separate sibling.
_LIST_LIKE = frozenset("ul ol div section table dl".split())
# A box of choices with at most this much text is a poll, not part of the article.
_POLL_CHARS = 300
# A picture box with at most this much text holds only a caption.
_CAPTION_CHARS = 300
# Tags that are the page or the article itself, whatever their class says.
_NEVER_REMOVED = frozenset(("html", "body", "main", "article"))
# An element holding this share of the page's text is a layout wrapper, not furniture.
_WRAPPER_SHARE = 0.5
# Furniture-looking elements with less text than this are removed whatever their links.
_SMALL_BLOCK = 400
# Share of an element's text inside links above which a list is a list of links to elsewhere.
_LINK_LIST_DENSITY = 0.8


def is_hidden(element: HtmlElement) -> bool:
    attrib = element.attrib
    return (
        "hidden" in attrib
        or attrib.get("aria-hidden", "").strip().lower() == "true"
        or bool(HIDDEN_STYLE.search(attrib.get("style", "")))
    )


def _looks_like_noise(element: HtmlElement) -> bool:
    if element.attrib.get("role", "").strip().lower() in NOISE_ROLES:
        return True
    names = f"{element.attrib.get('class', '')} {element.attrib.get('id', '')}"
    if not names.strip():
        return False
    if NOT_ARTICLE_CLASS.search(names):
        return True
    if FURNITURE_CLASS.search(names):
        # A layout wrapper named after its sidebar holds the article: keep big prose blocks.
        return text_length(element) < _SMALL_BLOCK or link_density(element) >= 0.3
    return False


def remove_invisible(root: HtmlElement) -> None:
    """Scripts, styles and hidden elements: never part of what a visitor sees."""
    for element in list(root.iter(*INVISIBLE_TAGS)):
        drop(element)
    for element in elements(root, "//*[@hidden or @aria-hidden or @style]"):
        if is_hidden(element):
            drop(element)


def remove_furniture(root: HtmlElement, keep: Iterable[HtmlElement] = ()) -> None:
    """Navigation, toolbars, share widgets, related lists, comments, captions.

    Elements in ``keep`` (the article container and its ancestors) stay even when their class
    looks like noise: some templates wrap the article in ``<div class="...-tools">``. So do
    wrappers that hold most of the page's text (ASP.NET wraps every page in one <form>;
    WordPress marks the article with ``tag-…`` classes).
    """
    kept = set(keep)
    protected = {ancestor for element in kept for ancestor in element.iterancestors()} | kept
    body = root.body if root.find("body") is not None else root
    wrapper_chars = _WRAPPER_SHARE * text_length(body)

    def removable(element: HtmlElement) -> bool:
        return (
            element not in protected
            and element.tag not in _NEVER_REMOVED
            and attached(element, root)
            and text_length(element) < wrapper_chars
        )

    # A poll or a form of choices: the box around radio buttons or check boxes goes with its
    # question (the inputs alone are removed below).
    for choice in elements(root, "//input[@type='radio' or @type='checkbox']"):
        box = None  # the widest box around it that is still small: the whole poll
        for ancestor in choice.iterancestors():
            if ancestor.tag in ("body", "html") or text_length(ancestor) > _POLL_CHARS:
                break
            if ancestor.tag in ("div", "form", "fieldset", "section", "ul", "table"):
                box = ancestor
        if box is not None and attached(box, root) and removable(box):
            drop(box)
    for element in list(root.iter(*NOISE_TAGS)):
        if element.tag == "header" and any(a.tag == "article" for a in element.iterancestors()):
            continue
        if removable(element):
            drop(element)
    for element in elements(root, "//*[@class or @id or @role]"):
        if _looks_like_noise(element) and removable(element):
            drop(element)
    # Pictures with their captions and credits: a <figure>, or a table holding an image and a
    # line of text (the caption table of many news CMSs).
    for figure in list(root.iter("figure", "table")):
        if figure.find(".//img") is not None and text_length(figure) <= _CAPTION_CHARS:
            if removable(figure):
                drop(figure)
    remove_image_captions(root)
    remove_not_article_sections(root)


# A caption in italics is a line, not a paragraph of the article.
_ITALIC_CAPTION_CHARS = 250
_ITALIC = ("i", "em")


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def _only_italic(block: HtmlElement) -> bool:
    """``block`` says nothing but one italic run ("<p><span><em>Ảnh: ...</em></span></p>")."""
    italic = next((el for el in block.iter(*_ITALIC)), None)
    length = text_length(block)
    return (
        italic is not None
        and 0 < length <= _ITALIC_CAPTION_CHARS
        and text_length(italic) == length
        and block.find(".//img") is None
    )


def remove_image_captions(root: HtmlElement) -> None:
    """The italic line right under a picture outside any <figure>: "<img><br><i>caption</i>"
    or "<p><img></p><p><em>caption</em></p>" (editors' way of captioning in old CMSs)."""
    for image in list(root.iter("img")):
        if not attached(image, root):
            continue
        caption = _italic_after(image)
        if caption is None:
            block = image.getparent()
            while (
                block is not None
                and block.tag in ("a", "span", "strong", "b", "center")
                and text_length(block) == 0
            ):
                block = block.getparent()
            if block is not None and block.tag in ("p", "div") and text_length(block) == 0:
                following = block.getnext()
                if following is not None and following.tag in ("p", "div"):
                    if _only_italic(following):
                        caption = following
        if caption is not None:
            drop(caption)


def _italic_after(image: HtmlElement) -> HtmlElement | None:
    """The italic element that follows ``image`` in the same block, past line breaks only."""
    if not _blank(image.tail):
        return None
    node = image.getnext()
    while node is not None and node.tag == "br" and _blank(node.tail):
        node = node.getnext()
    if node is not None and node.tag in _ITALIC and 0 < text_length(node) <= _ITALIC_CAPTION_CHARS:
        return node
    return None


# "Bình luận (12)", "Ý kiến bạn đọc [3]": a count after a section name.
_COUNT = re.compile(r"\s*[(\[]\s*\d+\s*[)\]]\s*$")
# Sections that end the article: everything after such a heading in its box is readers' words.
_COMMENT_HEADINGS = frozenset(
    ("bình luận", "ý kiến", "ý kiến bạn đọc", "gửi bình luận", "viết bình luận", "gửi ý kiến",
     "comments", "leave a comment", "leave a reply")
)  # fmt: skip


def is_not_article_heading(text: str) -> bool:
    """ "Tin liên quan", "Bài viết cùng chuyên mục:", "Tập tin đính kèm"..."""
    folded = _COUNT.sub("", text).rstrip(" :：»>").casefold()
    return folded in NOT_ARTICLE_HEADINGS or bool(NOT_ARTICLE_HEADING_PATTERN.match(folded))


def link_density(element: HtmlElement) -> float:
    text = text_length(element)
    if not text:
        return 0.0
    return sum(text_length(link) for link in element.iter("a")) / text


def remove_not_article_sections(root: HtmlElement) -> None:
    """A block headed "Tin liên quan", "Tập tin đính kèm", "Bình luận"… and its list."""
    candidates = list(
        root.iter("h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "strong", "b")
    )
    for heading in candidates:
        if text_length(heading) > 60 or not attached(heading, root):
            continue
        if not is_not_article_heading(text_of(heading)):
            continue
        # The heading's box: climb while the parent holds little besides the heading and a list.
        box = heading
        parent = box.getparent()
        while (
            parent is not None
            and parent.tag not in ("body", "html")
            and _is_heading_box(parent, box)
        ):
            box = parent
            parent = box.getparent()
        if box is heading and heading.tag in _INLINE:
            _drop_inline_links_after(heading)  # "<b>Tin liên quan:</b><br>- <a>…</a><br>…"
        sibling = box.getnext()
        if _COUNT.sub("", text_of(heading)).rstrip(" :：»>").casefold() in _COMMENT_HEADINGS:
            while sibling is not None:  # the comments that follow, whatever their markup
                following = sibling.getnext()
                drop(sibling)
                sibling = following
        drop(box)
        if (
            sibling is not None
            and sibling.tag in _LIST_LIKE
            and (link_density(sibling) >= 0.5 or _teaser_cards(sibling))
        ):
            drop(sibling)


# A teaser card: a headline that links elsewhere and a short excerpt ("<h3><a>…</a></h3><p>…").
_CARD_LINK_CHARS = 15
_CARD_CHARS = 400
_CARD_LINK_SHARE = 0.15


def _teaser_cards(box: HtmlElement) -> bool:
    """``box`` holds two or more teaser cards, perhaps wrapped (a grid inside a widget)."""
    while True:
        children = [child for child in box if is_element(child) and text_length(child)]
        if len(children) != 1:
            break
        box = children[0]
    return len(children) >= 2 and all(_teaser_card(child) for child in children)


def _teaser_card(card: HtmlElement) -> bool:
    if not 0 < text_length(card) <= _CARD_CHARS:
        return False
    first_link = next((a for a in card.iter("a") if text_length(a)), None)
    if first_link is None or text_length(first_link) < _CARD_LINK_CHARS:
        return False
    # The card opens with its linked headline; a paragraph with a link inside does not.
    headline = text_of(first_link)
    return text_of(card).startswith(headline) and len(headline) >= _CARD_LINK_SHARE * len(
        text_of(card)
    )


_INLINE = frozenset(("b", "strong", "span", "font", "em", "i", "u"))


def _drop_inline_links_after(heading: HtmlElement) -> None:
    """The links written inline after a heading of other news, line by line, with their
    bullets and dates, up to the first text that is not one of them."""
    if not _DATE_ONLY.fullmatch(heading.tail or ""):
        return
    run: list[HtmlElement] = []
    sibling = heading.getnext()
    while sibling is not None and _DATE_ONLY.fullmatch(sibling.tail or ""):
        if sibling.tag == "br" or (sibling.tag == "a" and text_length(sibling)):
            run.append(sibling)
        elif sibling.tag in _INLINE and _only_a_link(sibling):
            run.append(sibling)
        else:
            break
        sibling = sibling.getnext()
    if any(member.tag != "br" for member in run):
        for member in run:
            member.tail = None
            drop(member)


def _is_heading_box(parent: HtmlElement, child: HtmlElement) -> bool:
    """``parent`` is only a wrapper of ``child`` plus links (a related-news box)."""
    others = [el for el in parent if is_element(el) and el is not child]
    if not others:
        return text_length(parent) <= text_length(child) + 3
    rest = sum(text_length(el) for el in others)
    return rest == 0 or all(
        link_density(el) >= _LINK_LIST_DENSITY for el in others if text_length(el)
    )


def remove_link_lists(container: HtmlElement) -> None:
    """Inside the article: lists whose every item is only a link lead elsewhere, not content."""
    for listing in list(container.iter("ul", "ol")):
        items = [li for li in listing if is_element(li) and li.tag == "li"]
        if len(items) >= 3 and all(_only_a_link(li) for li in items):
            drop(listing)
        elif len(items) >= 2 and all(_dated_link(li) for li in items):
            drop(listing)  # "<a>Other article</a> - 10/05/2025": teasers, however few
        elif len(items) >= 2 and all(_jumps_within_page(li) for li in items):
            # A table of contents: its entries are the subheadings read later. Its box goes
            # with it when the box says nothing more than a label ("Trong bài này").
            box, parent = listing, listing.getparent()
            if (
                parent is not None
                and parent is not container
                and text_length(parent) - text_length(listing) <= _TOC_LABEL_CHARS
            ):
                box = parent
            drop(box)
    _remove_runs(container)


# Consecutive blocks of one kind that are not the article: paragraphs that are each a link to
# another article ("- <a>Other news</a>"), picture boxes of a gallery with their captions.
_RUN = 2
_GALLERY_CAPTION_CHARS = 200


def _picture_with_caption(block: HtmlElement) -> bool:
    return (
        len(block) > 0
        and block.find(".//img") is not None
        and 0 < text_length(block) <= _GALLERY_CAPTION_CHARS
    )


def _remove_runs(container: HtmlElement) -> None:
    """Runs of two or more sibling blocks that are each a teaser link, or each a picture with
    its caption, in one walk of the container."""
    kinds: tuple[tuple[Callable[[HtmlElement], bool], frozenset[str]], ...] = (
        (_only_a_link, frozenset(("p", "div"))),
        (_picture_with_caption, frozenset(("div", "li", "p"))),
    )
    root = container.getroottree().getroot()
    for parent in list(container.iter()):
        if len(parent) < _RUN or not attached(parent, root):
            continue
        children = [child for child in parent if is_element(child)]
        for belongs, tags in kinds:
            run: list[HtmlElement] = []
            for child in [*children, None]:
                if child is not None and child.getparent() is not parent:
                    continue  # dropped as the other kind
                if child is not None and child.tag in tags:
                    if belongs(child):
                        run.append(child)
                        continue
                    if not text_length(child):
                        continue  # an empty spacer does not break a run
                if len(run) >= _RUN:
                    for member in run:
                        drop(member)
                run = []


_TOC_LABEL_CHARS = 40
# What may stand beside a teaser link in a list of other articles: a bullet, its date and time.
_DATE_ONLY = re.compile(r"[\s()\[\]\-–—|,.:/0-9hH•·»›*+>]*")


def _dated_link(item: HtmlElement) -> bool:
    return _only_a_link(item) and bool(_A_DATE.search(_beside_links(item)))


_A_DATE = re.compile(r"\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?")


def _beside_links(item: HtmlElement) -> str:
    """The text of ``item`` outside its links."""
    found = _OUTSIDE_LINKS(item)
    return " ".join(str(text) for text in found) if isinstance(found, list) else ""


_OUTSIDE_LINKS = etree.XPath(".//text()[not(ancestor::a)]")


def _only_a_link(item: HtmlElement) -> bool:
    """A list item that is a link to another page, perhaps with its date: "<a>…</a> (05/06)"."""
    if not len(item) or item.find(".//a") is None or not text_length(item):
        return False  # cheap checks first: this runs on every block of a page
    if link_density(item) >= 0.95:
        return True
    return bool(_DATE_ONLY.fullmatch(_beside_links(item)))


def _jumps_within_page(item: HtmlElement) -> bool:
    links = list(item.iter("a"))
    return (
        bool(links)
        and all((link.get("href") or "").startswith("#") for link in links)
        and link_density(item) >= 0.95
    )
