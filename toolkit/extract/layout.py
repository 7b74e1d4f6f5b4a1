"""Tables used for page layout, turned back into plain blocks before extraction.

Older sites (and some blogs' themes) set the whole page in a ``<table>``: a
cell holds the navigation, another the article with its headings and
paragraphs. An extractor that keeps tables renders such a cell as one table
row, ``| Headline The story's first paragraph ... |``, thousands of words on
one line, or drops it with the table. ``unwrap_layout_tables`` recognises a
layout table by what its own cells hold (paragraphs, headings, lists: prose,
which a data table's cells do not) and renames its table elements to
``<div>``, so the article inside reads as paragraphs again. Data tables (a
header cell ``<th>`` or a ``<caption>`` of their own) are left alone, also when
they sit inside a layout table.
"""

from __future__ import annotations

#: A table's own parts (a nested ``<table>`` is another table).
_TABLE_PARTS = frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"})
#: Elements that give a cell the structure of a page rather than of a datum.
_PROSE_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote",
                           "pre", "table"})
#: A cell with this many prose blocks makes its table a layout table.
MIN_PROSE_BLOCKS = 3


def _own_parts(table) -> list:
    """The table's rows, row groups and cells, not those of tables nested in it."""
    parts = []
    stack = list(table)
    while stack:
        element = stack.pop()
        if element.tag in _TABLE_PARTS:
            parts.append(element)
            stack.extend(element)
    return parts


def _holds_prose(cell) -> bool:
    count = 0
    for element in cell.iterdescendants():
        if element.tag in _PROSE_BLOCKS:
            count += 1
            if count >= MIN_PROSE_BLOCKS:
                return True
    return False


def unwrap_layout_tables(tree) -> int:
    """Rename the elements of layout tables to ``<div>``, in place.

    Parameters
    ----------
    tree : lxml.html.HtmlElement
        The parsed page; its layout tables are changed in place.

    Returns
    -------
    int
        How many tables were unwrapped. A table is a layout table when one of
        its own cells holds at least ``MIN_PROSE_BLOCKS`` paragraphs,
        headings, lists or nested tables, and it has no ``<th>`` or
        ``<caption>`` of its own.
    """
    unwrapped = 0
    for table in list(tree.iter("table")):
        if table.find("caption") is not None:
            continue
        parts = _own_parts(table)
        if any(part.tag == "th" for part in parts):
            continue
        if not any(part.tag == "td" and _holds_prose(part) for part in parts):
            continue
        for element in (table, *parts):
            element.tag = "div"
        unwrapped += 1
    return unwrapped
