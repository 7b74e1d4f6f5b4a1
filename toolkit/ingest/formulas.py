"""CSV cells that a spreadsheet would run as formulas, made inert (and read back as written).

A title such as ``=HYPERLINK("http://evil.example", "click")`` or ``@SUM(...)``
written as is to a CSV file runs as a formula when the file is opened in a
spreadsheet (CSV injection). The usual defence, which spreadsheets expect, is to
start such a cell with an apostrophe: shown as text, never run. It applies to CSV
only; Parquet and JSONL hold values, not formulas.

Escaping is reversible: a cell that already starts with apostrophes before a
formula character gets one more, and :func:`restore_formulas` removes exactly
one, so ``load_articles`` gives back the very strings that were saved.
"""

from __future__ import annotations

import pandas as pd

#: First characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def _needs_quote(cell: object) -> bool:
    return isinstance(cell, str) and cell.lstrip("'").startswith(FORMULA_STARTS)


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with every text cell that starts like a formula prefixed by ``'``.

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame about to be written as CSV (not modified).

    Returns
    -------
    pandas.DataFrame
        The same columns; text cells starting with ``= + - @``, a tab or a
        carriage return (after any apostrophes) get one more leading ``'``.
    """
    changes = {}
    for name in frame.columns:
        column = frame[name]
        if column.dtype != object and not pd.api.types.is_string_dtype(column):
            continue
        quoted = column.map(_needs_quote).astype(bool)
        if quoted.any():
            changes[name] = column.where(~quoted, "'" + column.astype("object").where(quoted, ""))
    return frame.assign(**changes) if changes else frame


def neutral_label(label: object) -> object:
    """``label`` with a leading ``'`` when it is text that starts like a formula, else as is."""
    return "'" + label if _needs_quote(label) else label


def csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` safe to open in a spreadsheet: text cells, column names and index labels.

    For tables that are written and not read back by the toolkit (report
    tables, chart data, network tables), whose column names and index labels
    are data too (a pivot's entities, a chart's terms).

    Parameters
    ----------
    frame : pandas.DataFrame
        Not modified.

    Returns
    -------
    pandas.DataFrame
        ``neutralise_formulas(frame)`` with ``neutral_label`` applied to every
        column name and index label (every level of a MultiIndex).
    """
    return neutralise_formulas(frame).rename(index=neutral_label, columns=neutral_label)


def restore_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo :func:`neutralise_formulas`: drop the one ``'`` it added before a formula character.

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame read from CSV as text (not modified).

    Returns
    -------
    pandas.DataFrame
    """
    changes = {}
    for name in frame.columns:
        column = frame[name]
        if column.dtype != object and not pd.api.types.is_string_dtype(column):
            continue
        quoted = column.map(lambda c: isinstance(c, str) and c.startswith("'") and _needs_quote(c))
        quoted = quoted.astype(bool)
        if quoted.any():
            changes[name] = column.where(~quoted, column.astype("object").str[1:])
    return frame.assign(**changes) if changes else frame
