"""Tables: data tables are read row by row; layout tables (old portals) are only boxes."""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from reader_service.extract.document import is_element, text_length

# A cell holding any of these is a layout cell (old table layouts): it is read as blocks.
_LAYOUT_MARKERS = frozenset("p div table ul ol br h1 h2 h3 h4 h5 h6 blockquote lb".split())
# A row with a cell this long is prose laid out in a table, not a row of data.
LONG_CELL = 200
_TABLE_PARTS = ("tbody", "thead", "tfoot", "tr", "td", "th")


def is_data_row(row: etree._Element) -> bool:
    """Cells of short text only: read as one sentence, cells in order."""
    for cell in row:
        if not is_element(cell):
            continue
        if any(
            is_element(inner) and inner.tag in _LAYOUT_MARKERS for inner in cell.iterdescendants()
        ):
            return False
        if text_length(cell) > LONG_CELL:
            return False
    return True


def _is_layout_table(table: HtmlElement) -> bool:
    rows = [row for row in table.iter("tr") if _nearest_table(row) is table]
    return any(not is_data_row(row) for row in rows)


def _nearest_table(element: HtmlElement) -> HtmlElement | None:
    for ancestor in element.iterancestors():
        if ancestor.tag == "table":
            return ancestor
    return None


def unwrap_layout_tables(root: HtmlElement) -> None:
    """Turn layout tables into plain boxes (div) so a generic extractor weighs each cell on its
    own instead of taking the whole page grid as one "table" of content."""
    layout = [table for table in root.iter("table") if _is_layout_table(table)]
    # Parts are assigned to their own table before any renaming: a nested data table stays.
    parts = [
        part
        for table in layout
        for part in table.iter(*_TABLE_PARTS)
        if part is not table and _nearest_table(part) is table
    ]
    for element in (*layout, *parts):
        element.tag = "div"
