"""Parsing a page into an lxml tree, and the small tree helpers the other extract modules share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree, html
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

from reader_service.errors import ExtractionError
from reader_service.text import clean_text

# huge_tree: without it libxml2 silently drops everything nested deeper than 255 elements
# (an article inside such a page was lost without a word); with it the parser goes to 2048.
_PARSER = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True)
# Every element an HtmlElement, chosen in C: lxml.html's own lookup is a Python call for each
# element the code touches (750,000 calls, 9 % of extraction time on the public bench) only to
# give form controls classes of their own, which extraction never uses.
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=html.HtmlElement, comment=html.HtmlComment, pi=html.HtmlProcessingInstruction
    )
)
# Deeper than this a page is refused with a message rather than read in part: libxml2 stops
# at 2048 levels, and no real page comes near (the deepest of our corpora is under 60).
MAX_DEPTH = 1024


def parse(text: str) -> HtmlElement:
    """The document tree of decoded HTML (an XML declaration or a BOM is harmless)."""
    try:
        root = html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError("Trang trống: không có nội dung HTML để đọc.") from exc
    if too_deep(root):
        raise ExtractionError(
            f"Trang lồng các phần tử HTML quá sâu (hơn {MAX_DEPTH} tầng) nên không đọc được "
            "trọn vẹn; hãy kiểm tra mã HTML của trang (thẻ mở không đóng)."
        )
    return root


# An element MAX_DEPTH + 1 levels down (<html> is level 1): one XPath step per level, each over
# the elements of that level only, so the whole tree is visited once, in C (a Python walk of
# every element cost 1.2 ms a page, 6 % of extraction).
_DEEPER_THAN_MAX = etree.XPath("boolean(" + "/*" * (MAX_DEPTH + 1) + ")")


def too_deep(root: HtmlElement) -> bool:
    """Whether the tree nests elements more than MAX_DEPTH levels deep."""
    return bool(_DEEPER_THAN_MAX(root))


_SIMPLE_PARTS = re.compile(r"([.#])([\w-]+)")
_TEXT_LENGTH = etree.XPath("string-length(normalize-space())")


@dataclass(frozen=True, slots=True)
class _CompiledSelector:
    match: CSSSelector
    # Class names and ids an element must carry for the selector to match anything: a
    # selector whose names the page lacks is skipped without walking the tree.
    classes: frozenset[str]
    ids: frozenset[str]


@lru_cache(maxsize=512)
def _compiled(css: str) -> _CompiledSelector:
    try:
        match = CSSSelector(css, translator="html")
    except Exception as exc:  # cssselect raises several unrelated types for bad syntax
        raise ExtractionError(f"Bộ chọn nội dung '{css}' không hợp lệ: {exc}.") from exc
    # Only plain selectors (no commas, no :not) give names that are certainly required.
    plain = "," not in css and ":" not in css
    parts = _SIMPLE_PARTS.findall(css) if plain else []
    return _CompiledSelector(
        match,
        frozenset(name for kind, name in parts if kind == "."),
        frozenset(name for kind, name in parts if kind == "#"),
    )


def check_selector(css: str) -> None:
    """Raises ExtractionError for a selector that does not compile (operator settings)."""
    _compiled(css)


class Names:
    """The class names and ids a document uses, collected in one pass."""

    def __init__(self, root: HtmlElement) -> None:
        self.classes: set[str] = set()
        self.ids: set[str] = set()
        for value in strings(root, "//@class"):
            self.classes.update(value.split())
        self.ids.update(value.strip() for value in strings(root, "//@id"))

    def may_match(self, css: str) -> bool:
        compiled = _compiled(css)
        return compiled.classes <= self.classes and compiled.ids <= self.ids


def select(root: HtmlElement, css: str, names: Names | None = None) -> list[HtmlElement]:
    """Elements matching a CSS selector, in document order."""
    if names is not None and not names.may_match(css):
        return []
    result = _compiled(css).match(root)
    return [el for el in result if isinstance(el, HtmlElement)] if isinstance(result, list) else []


def elements(root: HtmlElement, xpath: str) -> list[HtmlElement]:
    """Elements an XPath expression selects (attribute or text results are left out)."""
    result = root.xpath(xpath)
    return (
        [item for item in result if isinstance(item, HtmlElement)]
        if isinstance(result, list)
        else []
    )


def strings(root: HtmlElement, xpath: str) -> list[str]:
    """Attribute values or text nodes an XPath expression selects."""
    result = root.xpath(xpath)
    return (
        [str(item) for item in result if isinstance(item, str)] if isinstance(result, list) else []
    )


def text_length(element: etree._Element) -> int:
    """Length of an element's text with whitespace collapsed; cheap (no Python string work)."""
    length = _TEXT_LENGTH(element)
    return int(length) if isinstance(length, float) else 0


def text_of(element: HtmlElement) -> str:
    """All text inside an element, cleaned (entities are already decoded by the parser)."""
    return clean_text(" ".join(element.itertext()))


def drop(element: HtmlElement) -> None:
    """Remove an element and its subtree but keep the text that follows it (its tail)."""
    if element.getparent() is not None:
        element.drop_tree()


def attached(element: HtmlElement, root: HtmlElement) -> bool:
    """Still in the document (not inside a subtree removed earlier)."""
    return element.getroottree().getroot() is root


def is_element(node: object) -> bool:
    """Real elements only: the parser may still yield entities or other node kinds."""
    return isinstance(node, etree._Element) and isinstance(node.tag, str)


# Tags that run inside a line of text rather than making a block of their own.
INLINE_TAGS = frozenset("a b strong i em u font span small big sub sup abbr".split())


def block_of(element: HtmlElement) -> HtmlElement:
    """The nearest block around a text: a link's or a bold word's text is judged by the
    paragraph it sits in."""
    while element.tag in INLINE_TAGS and (parent := element.getparent()) is not None:
        element = parent
    return element
