"""Turning a content element into readable paragraphs, in document order."""

from __future__ import annotations

from bs4.element import Comment, NavigableString, Tag

from reader_service.text import clean_text as clean

_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol blockquote section article main pre dl dt dd figure "
    "table tbody thead tfoot caption center address hr".split()
)


class _Collector:
    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self._buffer: list[str] = []

    def flush(self) -> None:
        text = clean("".join(self._buffer))
        self._buffer.clear()
        if text:
            self.paragraphs.append(text)

    def walk(self, element: Tag) -> None:
        for child in element.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                self._buffer.append(str(child))
            elif isinstance(child, Tag):
                self._visit(child)

    def _visit(self, tag: Tag) -> None:
        if tag.name == "br":
            self.flush()
        elif tag.name == "tr":
            # A simple table row is read as one sentence: its cells in order.
            self.flush()
            cells = [
                clean(cell.get_text(" ")) for cell in tag.find_all(["td", "th"], recursive=False)
            ]
            row = ", ".join(cell for cell in cells if cell)
            if row:
                self.paragraphs.append(row)
        elif tag.name in _BLOCK_TAGS:
            self.flush()
            self.walk(tag)
            self.flush()
        else:
            self.walk(tag)


def paragraphs_of(element: Tag) -> list[str]:
    """Text of every block inside ``element``; a <br> or a block boundary starts a new one."""
    collector = _Collector()
    collector.walk(element)
    collector.flush()
    return collector.paragraphs
