"""Frames as HTML tables that read well wherever they land: index.html or a notebook widget.

Each column gets a class for its kind, and :func:`table_css` styles the kinds: numbers
right-aligned in tabular figures (``num``), short values such as dates, statuses,
labels and outlet names on one line (``short``; a browser would break ``2016-04-07``
after a hyphen), and long text (``text``) wrapping between words, a word longer than
the column (a URL) anywhere. So ``2016-04-07`` and ``duplicate`` never break, while a
long title or URL cannot widen the table past the page; a table with many columns
scrolls sideways in its box.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pandas as pd

#: A column whose longest shown value has at most this many characters never wraps.
SHORT_CELL = 24
#: Column kinds, in the class attribute of every header and cell.
KINDS: tuple[str, ...] = ("num", "short", "text")


def _cell(value: Any) -> str:
    """One value as the text of its cell: lists joined, days for dates, floats short."""
    if isinstance(value, list | tuple | np.ndarray):
        return ", ".join(map(str, value))
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float | np.floating):
        return f"{value:.3g}"
    return str(value)


def column_kind(values: pd.Series, shown: list[str]) -> str:
    """Return ``num`` for numbers, ``short`` when every shown value is short, else ``text``."""
    dtype = values.dtype
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        return "num"
    if max((len(text) for text in shown), default=0) <= SHORT_CELL:
        return "short"
    return "text"


def html_table(frame: pd.DataFrame, *, classes: str = "data") -> str:
    """Return ``frame`` as an escaped HTML table (lists joined, dates as days, floats short).

    Every header and cell has the class of its column's kind (``num``, ``short`` or
    ``text``, see :func:`column_kind`), which :func:`table_css` styles. The index is
    left out.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows to show.
    classes : str
        The class attribute of the ``<table>`` element.

    Returns
    -------
    str
        A ``<table>`` element (a ``<p class="empty">`` for no rows); every cell and
        header is HTML-escaped.
    """
    if frame.empty:
        return '<p class="empty">(no rows)</p>'
    columns = []
    for name in frame.columns:
        shown = [_cell(value) for value in frame[name].tolist()]
        columns.append((str(name), column_kind(frame[name], shown), shown))
    head = "".join(
        f'<th class="{kind}" scope="col">{html.escape(name)}</th>' for name, kind, _ in columns
    )
    rows = "".join(
        "<tr>"
        + "".join(f'<td class="{kind}">{html.escape(shown[i])}</td>' for _, kind, shown in columns)
        + "</tr>"
        for i in range(len(frame))
    )
    return (
        f'<table class="{html.escape(classes)}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def table_css(table: str = "table.data") -> str:
    """Return the CSS of :func:`html_table`'s tables, for the tables that ``table`` selects.

    Padding in every cell, a rule under each row, a sticky grey header, numbers
    right-aligned, numbers and short values on one line, long text wrapping (a word
    wider than its column, such as a URL, anywhere).
    """
    return f"""
{table} {{ border-collapse: collapse; font-size: .85rem; line-height: 1.35; }}
{table} th, {table} td {{ padding: .25rem .6rem; border-bottom: 1px solid #e5e5e5;
       text-align: left; vertical-align: top; }}
{table} th {{ position: sticky; top: 0; background: #f4f4f4; font-weight: 600;
       white-space: nowrap; }}
{table} .num {{ text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }}
{table} .short {{ white-space: nowrap; }}
{table} td.text {{ min-width: 10rem; max-width: 36rem; overflow-wrap: anywhere; }}
""".strip()
