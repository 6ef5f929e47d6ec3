"""Turning a content element into readable paragraphs, in document order."""

from __future__ import annotations

from lxml.html import HtmlElement

from reader_service.extract.document import is_element, text_of
from reader_service.extract.tables import is_data_row
from reader_service.text import clean_text

_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol blockquote section article main pre dl dt dd figure "
    "table tbody thead tfoot caption center address hr tr td th form fieldset details summary "
    # trafilatura's output vocabulary
    "head list item quote code row cell".split()
)


# A line broken with <br> in the middle of a sentence (text pasted from a word processor):
# the line before ends without a sentence mark and the next starts in lower case.
_SENTENCE_END = tuple('.!?:;…"”’)»')


class _Collector:
    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self._buffer: list[str] = []
        self._after_break = False

    def flush(self, at_break: bool = False) -> None:
        text = clean_text("".join(self._buffer))
        self._buffer.clear()
        if text:
            if (
                self._after_break
                and self.paragraphs
                and not self.paragraphs[-1].endswith(_SENTENCE_END)
                and text[0].islower()
            ):
                self.paragraphs[-1] = f"{self.paragraphs[-1]} {text}"
            else:
                self.paragraphs.append(text)
            self._after_break = at_break
        else:
            self._after_break = False  # a blank line (<br><br>) is a paragraph break

    def walk(self, element: HtmlElement) -> None:
        if element.text:
            self._buffer.append(element.text)
        for child in element:
            if is_element(child):
                self._visit(child)
            if child.tail:
                self._buffer.append(child.tail)

    def _visit(self, element: HtmlElement) -> None:
        tag = element.tag
        if tag in ("br", "lb"):
            self.flush(at_break=True)
        elif tag in ("tr", "row") and is_data_row(element):
            # A simple table row is read as one sentence: its cells in order.
            self.flush()
            cells = (text_of(cell) for cell in element if is_element(cell))
            if row := ", ".join(cell for cell in cells if cell):
                self.paragraphs.append(row)
        elif tag in _BLOCK_TAGS:
            self.flush()
            self.walk(element)
            self.flush()
        else:
            self.walk(element)


def paragraphs_of(element: HtmlElement) -> list[str]:
    """Text of every block inside ``element``; a <br> or a block boundary starts a new one."""
    collector = _Collector()
    collector.walk(element)
    collector.flush()
    return collector.paragraphs


# Pieces of a paragraph looked for in the page's blocks.
_PIECE_CHARS = 20


def stitched(paragraph: str, blocks: list[str]) -> bool:
    """Whether ``paragraph`` is no block of the page but pieces of several run together: what
    an extractor that found no article returns (menu, heading, pager, footer in one line)."""
    if any(paragraph in block for block in blocks):
        return False
    head, tail = paragraph[:_PIECE_CHARS], paragraph[-_PIECE_CHARS:]
    starts = {number for number, block in enumerate(blocks) if head in block}
    ends = {number for number, block in enumerate(blocks) if tail in block}
    return not starts & ends
