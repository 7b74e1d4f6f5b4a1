"""The articles frame: its columns, dtypes, statuses and stable ids.

Every module that builds or reads an articles frame goes through here, so the
schema is written down exactly once (``docs/architecture.md`` lists the frames).
"""

from __future__ import annotations

import hashlib
from typing import Any, Literal

import numpy as np
import pandas as pd

Status = Literal[
    "ok", "empty", "thin", "duplicate", "too_large", "not_html", "error", "timeout", "blocked"
]

#: Every status a row can carry. ``timeout`` is an ``error`` whose cause is the
#: per-page time limit; it has its own value so users can filter and retry it.
#: ``blocked`` is a URL the site's robots.txt asks crawlers not to fetch.
#: ``thin`` is a page whose extraction (even retried with the recall-oriented
#: extractors) is implausibly short for the article text the page holds, such as
#: a photo caption: its text is kept for inspection, but like a duplicate it is
#: left out of the analyses (``usable_articles``).
STATUSES: tuple[str, ...] = (
    "ok",
    "empty",
    "thin",
    "duplicate",
    "too_large",
    "not_html",
    "error",
    "timeout",
    "blocked",
)

#: Where a date came from, in the order extraction trusts them.
DATE_SOURCES: tuple[str, ...] = ("json-ld", "meta", "header", "url", "text", "input")

LIST_COLUMNS: tuple[str, ...] = ("authors", "agencies", "categories", "tags")
DATETIME_COLUMNS: tuple[str, ...] = ("date", "date_modified", "retrieved")

#: Column name -> dtype, in frame order. Lists are Python lists of str in an
#: object column. ``authors`` are people only; ``agencies`` the wire agencies and
#: organisations credited beside or instead of them. ``date`` is the first
#: publication, naive, in the publisher's local time as the page prints it (the
#: day its readers saw; an offset is dropped, not converted); ``date_modified``
#: the last update the page states (same convention, NaT when none or not later);
#: ``retrieved`` (capture or fetch time) is naive UTC.
ARTICLE_COLUMNS: dict[str, str] = {
    "article_id": "str",
    "source_uri": "str",
    "url": "str",
    "hostname": "str",
    "sitename": "str",
    "title": "str",
    "authors": "object",
    "agencies": "object",
    "date": "datetime64[ns]",
    "date_source": "str",
    "date_modified": "datetime64[ns]",
    "retrieved": "datetime64[ns]",
    "language": "str",
    "description": "str",
    "categories": "object",
    "tags": "object",
    "text": "str",
    "n_words": "Int64",
    "fingerprint": "str",
    "duplicate_of": "str",
    "status": "str",
    "error": "str",
}


def article_id_for(source_uri: str) -> str:
    """Return the stable id of the document read from ``source_uri``.

    Parameters
    ----------
    source_uri : str
        Where the document came from: a ``file://`` URI, an http(s) URL, or a
        WARC record reference (``file:///x.warc.gz#<record id>``).

    Returns
    -------
    str
        16 hex characters of the SHA-1 of the URI; the same input always gives
        the same id, across runs and machines.
    """
    return hashlib.sha1(source_uri.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def empty_articles() -> pd.DataFrame:
    """Return an articles frame with no rows and every column typed."""
    return conform_articles(pd.DataFrame(columns=list(ARTICLE_COLUMNS)))


def _as_list(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, (list, tuple, np.ndarray, pd.Series)):
        return [str(v) for v in value if v is not None and str(v) != ""]
    return [str(value)]


def _as_str(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    return str(value)


def _wall_clock(value: Any) -> pd.Timestamp | None:
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        return None
    if stamp is pd.NaT:
        return None
    return stamp.tz_localize(None) if stamp.tzinfo is not None else stamp


def _as_datetime(values: pd.Series) -> pd.Series:
    """Parse to naive datetimes, keeping the wall-clock time of values with an offset."""
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values
    else:
        try:
            parsed = pd.to_datetime(values, errors="coerce", format="mixed")
        except (ValueError, TypeError):  # offsets that differ between rows
            parsed = pd.Series([_wall_clock(v) for v in values], dtype="datetime64[ns]")
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        parsed = parsed.dt.tz_localize(None)
    if parsed.dtype == object:
        parsed = pd.Series([_wall_clock(v) for v in parsed], dtype="datetime64[ns]")
    parsed = parsed.astype("datetime64[ns]").reset_index(drop=True)
    values = values.reset_index(drop=True)
    missed = parsed.isna() & values.notna()
    if missed.any():  # e.g. naive and offset-aware datetimes mixed in one column
        retry = pd.Series([_wall_clock(v) for v in values[missed]], dtype="datetime64[ns]")
        parsed[missed] = retry.to_numpy()
    return parsed


def conform_articles(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with exactly the articles columns, in order and typed.

    Missing columns are added empty, extra columns are kept after the schema
    columns, list columns hold lists of str, datetimes become naive UTC.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows of articles, possibly partial (e.g. built from records).

    Returns
    -------
    pandas.DataFrame
        A new frame; ``frame`` is not modified.
    """
    n = len(frame)
    columns: dict[str, pd.Series] = {}
    for name, dtype in ARTICLE_COLUMNS.items():
        if name in frame.columns:
            col = frame[name].reset_index(drop=True)
        else:
            col = pd.Series([None] * n, dtype="object")
        if name in LIST_COLUMNS:
            col = pd.Series([_as_list(v) for v in col], dtype="object")
        elif name in DATETIME_COLUMNS:
            col = _as_datetime(col)
        elif dtype == "Int64":
            col = pd.to_numeric(col, errors="coerce").astype("Int64")
        else:
            col = pd.Series([_as_str(v) for v in col], dtype="str")
        columns[name] = col
    out = pd.DataFrame(columns)
    extra = [c for c in frame.columns if c not in ARTICLE_COLUMNS]
    for name in extra:
        out[name] = frame[name].reset_index(drop=True)
    out.attrs = dict(frame.attrs)
    return out


def check_articles(frame: pd.DataFrame) -> None:
    """Raise ``ValueError`` if ``frame`` lacks a column of the articles frame.

    Parameters
    ----------
    frame : pandas.DataFrame
        The frame an analysis function was given.
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"expected an articles DataFrame, got {type(frame).__name__}")
    missing = [c for c in ("article_id", "text") if c not in frame.columns]
    if missing:
        raise ValueError(
            f"articles frame lacks column(s) {missing}; it needs at least "
            "'article_id' and 'text' (build it with toolkit.read_articles)"
        )


def usable_articles(articles: pd.DataFrame, *, text_col: str = "text") -> pd.DataFrame:
    """Return the rows an analysis should use: status ``ok`` (or unknown) and some text.

    Duplicates (status ``duplicate``), thin extractions (``thin``: a caption
    where the page holds an article) and failed pages are left out, so counts
    are not inflated by syndicated copies nor skewed by fragments.

    Parameters
    ----------
    articles : pandas.DataFrame
        An articles frame.
    text_col : str
        The column holding the text.

    Returns
    -------
    pandas.DataFrame
        The selected rows, index preserved (a view-safe copy under copy-on-write).
    """
    check_articles(articles)
    if text_col not in articles.columns:
        raise ValueError(
            f"text_col={text_col!r} is not a column; columns are {list(articles.columns)}"
        )
    keep = articles[text_col].notna() & (articles[text_col].astype("str").str.len() > 0)
    if "status" in articles.columns:
        # a frame built by hand may have no statuses: unknown counts as usable
        keep &= articles["status"].eq("ok") | articles["status"].isna()
    return with_string_ids(articles[keep])


def string_ids(ids: pd.Series) -> pd.Series:
    """``ids`` as str (numeric ids from a file become "101"); unchanged, not copied, when they are.

    Parameters
    ----------
    ids : pandas.Series
        An ``article_id`` column (of articles or mentions).

    Returns
    -------
    pandas.Series
    """
    if pd.api.types.infer_dtype(ids, skipna=False) == "string":
        return ids
    return ids.astype("str")


def with_string_ids(articles: pd.DataFrame) -> pd.DataFrame:
    """Return ``articles`` with ``article_id`` as str, after checking the ids are unique.

    Frames from other tools often carry numeric ids; every frame the toolkit
    returns keys articles by str, so mentions, term tables and evidence join.

    Parameters
    ----------
    articles : pandas.DataFrame
        A frame with an ``article_id`` column.

    Returns
    -------
    pandas.DataFrame
        The same rows (a copy when the ids had to be converted).

    Raises
    ------
    ValueError
        When an id is missing or repeated: offsets and entities of two texts
        under one id would be mixed up.
    """
    ids = articles["article_id"]
    if ids.isna().any():
        raise ValueError(
            f"article_id is missing in {int(ids.isna().sum())} row(s); every article needs "
            "an id (toolkit.read_articles assigns them)"
        )
    converted = string_ids(ids)
    if converted is not ids:
        articles, ids = articles.assign(article_id=converted), converted
    repeated = ids[ids.duplicated()]
    if len(repeated):
        examples = ", ".join(repr(v) for v in repeated.unique()[:3])
        raise ValueError(
            f"article_id must be unique, but {repeated.nunique()} id(s) repeat ({examples}); "
            "read the frame with toolkit.read_articles, which gives each row its own id, "
            "or make the ids unique"
        )
    return articles
