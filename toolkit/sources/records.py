"""Already-extracted articles as documents: JSONL and CSV files, and DataFrames.

Each row becomes a ``kind="record"`` document whose fields are mapped onto the
articles columns (:func:`map_record`, common field names accepted); a row
that cannot be read becomes an error document, and the rest of the file goes on.
"""

from __future__ import annotations

import ast
import csv
import gzip
import io
import json
import logging
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.sources.document import Document, failed, file_uri, os_error_message
from toolkit.sources.fetch import is_gzip

logger = logging.getLogger(__name__)

#: Articles column -> the input names accepted for it, in order of preference.
RECORD_ALIASES: dict[str, tuple[str, ...]] = {
    "url": ("url", "link", "href", "source_url", "canonical_url"),
    "title": ("title", "headline"),
    "text": ("text", "body", "content", "maintext", "main_text", "article_text"),
    "date": (
        "date",
        "published",
        "pub_date",
        "date_publish",
        "datetime",
        "published_at",
        "publish_date",
        "pubdate",
    ),
    "authors": ("authors", "author", "byline"),
    "sitename": ("sitename", "site", "site_name", "outlet", "publisher", "source"),
    "language": ("language", "lang"),
    "hostname": ("hostname", "host", "domain"),
    "description": ("description", "summary", "excerpt"),
    "categories": ("categories", "category", "section"),
    "tags": ("tags", "keywords"),
    "date_source": ("date_source",),
    "retrieved": ("retrieved", "date_download", "fetched", "crawled"),
    "article_id": ("article_id",),
}
_LIST_FIELDS = ("authors", "categories", "tags")
_RAW_FIELDS = ("date", "retrieved")  # left for schema.conform_articles to parse

_AUTHOR_SPLIT = re.compile(r"\s*(?:;|\||,|&|\band\b)\s*")
# a Python list of strings as pandas' to_csv writes it: "['Zhang Yan', 'Shi Xiaofeng']"
_PYTHON_LIST = re.compile(r"\[\s*(?:\]|['\"])")
_MAX_LIST_CHARS = 100_000
#: Deepest nesting of lists read from a cell; deeper is a bad cell, not a crash.
MAX_NESTING = 20
#: Delimiters a CSV file may use (European spreadsheets write ";").
CSV_DELIMITERS = ",;\t|"
_SNIFF_CHARS = 65_536


def parse_list(text: str) -> list | None:
    """Return the list written in ``text`` as JSON or as a Python list of strings, else None.

    Parameters
    ----------
    text : str
        A cell such as ``'["A", "B"]'`` (JSON, as ``save_articles`` writes
        it) or ``"['A', 'B']"`` (a Python repr, as pandas' ``to_csv`` writes a
        list column).

    Returns
    -------
    list or None
        The list, or None when ``text`` is neither. Python reprs are read with
        ``ast.literal_eval`` (no code runs) and only kept when every item is
        a string.

    Raises
    ------
    ValueError
        When the list nests too deep to read (hundreds of levels).
    """
    text = text.strip()
    if not text.startswith("[") or not text.endswith("]"):
        return None
    try:
        value = json.loads(text)
    except RecursionError:
        raise ValueError("a list nested too deep to read") from None
    except ValueError:
        if not _PYTHON_LIST.match(text) or len(text) > _MAX_LIST_CHARS:
            return None
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return None
        if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            return None
    return value if isinstance(value, list) else None


def split_authors(value: Any) -> list[str]:
    """Return a list of author names from a list or a string like ``"A, B and C"``.

    Parameters
    ----------
    value : str, list, or None
        A list of names, a JSON list or a Python list of strings as text, or
        names separated by commas, semicolons, pipes, "&" or "and".

    Returns
    -------
    list of str
        Non-empty, stripped names, in order.

    Raises
    ------
    ValueError
        When lists nest deeper than :data:`MAX_NESTING` levels.
    """
    names: list[str] = []
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_NESTING:
            raise ValueError(f"names nested deeper than {MAX_NESTING} levels")
        if _is_missing(item):
            continue
        if isinstance(item, str):
            listed = parse_list(item)
            if listed is None:
                names += [part for part in _AUTHOR_SPLIT.split(item.strip()) if part]
            else:
                stack.append((listed, depth + 1))
        elif isinstance(item, dict):
            stack.append((item.get("name"), depth + 1))
        elif isinstance(item, Iterable):
            stack += [(child, depth + 1) for child in reversed(list(item))]
        else:
            names.append(str(item))
    return names


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


def map_record(row: dict[str, Any]) -> dict[str, Any]:
    """Map one input row onto articles columns (aliases accepted, unknown keys dropped).

    Parameters
    ----------
    row : dict
        Field name -> value, e.g. a JSONL object or a CSV row.

    Returns
    -------
    dict
        Some of: url, title, text, date, authors (list), sitename, language,
        hostname, description, categories, tags, date_source, retrieved,
        article_id. ``date_source`` is "input" when a date was given. A field
        that cannot be read (lists nested hundreds deep, ...) is left out, and
        the record gets ``status`` "error" and an ``error`` naming the field.
    """
    lowered = {str(k).strip().lower(): v for k, v in row.items()}
    record: dict[str, Any] = {}
    problems = []
    for column, aliases in RECORD_ALIASES.items():
        name, value = next(
            ((a, lowered[a]) for a in aliases if not _is_missing(lowered.get(a))), (None, None)
        )
        if value is None:
            continue
        try:
            if column in _LIST_FIELDS:
                value = split_authors(value)
            elif column not in _RAW_FIELDS:
                value = _as_text(value)
        except (ValueError, TypeError, RecursionError) as exc:
            problems.append(f"the {name!r} field could not be read ({exc})")
            continue
        if value:
            record[column] = value
    if problems:
        record.update(status="error", error="; ".join(problems))
    if "date" in record:
        record.setdefault("date_source", "input")
    return record


def _as_text(value: Any) -> str | None:
    """A field as text: strings stripped, lists of paragraphs joined by newlines.

    Raises ``ValueError`` when lists nest deeper than :data:`MAX_NESTING` levels.
    """
    if isinstance(value, (list, tuple)):
        parts = [_leaf_text(v) for v in _leaves(value)]
        return "\n".join(p for p in parts if p) or None
    return _leaf_text(value)


def _leaf_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an integer id in a column pandas made float by a gap
    return str(value)


def _leaves(value: list | tuple) -> Iterator[Any]:
    """The items of nested lists, in order, without recursion."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if not isinstance(item, (list, tuple)):
            yield item
            continue
        if depth >= MAX_NESTING:
            raise ValueError(f"lists nested deeper than {MAX_NESTING} levels")
        stack += [(child, depth + 1) for child in reversed(item)]


def missing_text_message(columns: Iterable[Any]) -> str | None:
    """Say which columns a table has and which it needs, when none of them holds the text.

    Parameters
    ----------
    columns : iterable
        The column (or field) names of a table.

    Returns
    -------
    str or None
        None when one of the columns is a text column (``RECORD_ALIASES["text"]``).
    """
    names = [str(c) for c in columns]
    if any(n.strip().lower() in RECORD_ALIASES["text"] for n in names):
        return None
    return f"no text column among {names}; one of {', '.join(RECORD_ALIASES['text'])} is needed"


def _record_document(source_uri: str, row: dict[str, Any], problem: str | None = None) -> Document:
    try:
        record = map_record(row)
    except Exception as exc:  # one bad row must not end the file; the log keeps the trace
        logger.exception("could not read the record %s", source_uri)
        return failed(source_uri, f"could not read the record ({type(exc).__name__}: {exc})")
    if problem is not None and "error" not in record:
        record["error"] = problem  # why the record has no text
    return Document(source_uri=source_uri, kind="record", url=record.get("url"), record=record)


def _open_binary(path: Path) -> io.BufferedIOBase:
    """Open a table for reading bytes, gunzipping when it is gzip (by its magic number)."""
    fh = open(path, "rb")
    if is_gzip(fh.peek(2)[:2]):
        return gzip.GzipFile(fileobj=fh, mode="rb")  # closing it leaves fh to the GC
    return fh


def jsonl_documents(path: Path) -> Iterator[Document]:
    """One record per line of a JSONL file (gzipped or not); a bad line becomes an error."""
    uri = file_uri(path)
    produced = 0
    try:
        with _open_binary(path) as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                yield _jsonl_line_document(f"{uri}#row={produced}", line, lineno, path)
                produced += 1
    except (OSError, EOFError, zlib.error) as exc:
        yield failed(f"{uri}#row={produced}", _table_error(exc, path, produced))
        return
    if not produced:
        yield failed(uri, f"no records in {path}", status="empty")


def _jsonl_line_document(source_uri: str, line: bytes, lineno: int, path: Path) -> Document:
    try:
        row = json.loads(line.decode("utf-8-sig" if lineno == 1 else "utf-8"))
    except UnicodeDecodeError:
        return failed(source_uri, f"line {lineno} of {path} is not UTF-8 text")
    except RecursionError:
        return failed(source_uri, f"line {lineno} of {path} nests too deep to read")
    except ValueError as exc:
        return failed(source_uri, f"line {lineno} of {path} is not valid JSON ({exc})")
    if not isinstance(row, dict):
        return failed(source_uri, f"line {lineno} of {path} is not a JSON object")
    return _record_document(source_uri, row)


def sniff_delimiter(path: Path) -> str:
    """Return the delimiter of a CSV file (one of ``CSV_DELIMITERS``), from its first 64 KB.

    Parameters
    ----------
    path : Path
        A CSV file, gzipped or not.

    Returns
    -------
    str
        What ``csv.Sniffer`` finds in the head of the file; "," when it cannot tell.
    """
    with _open_binary(path) as fh:
        head = fh.read(_SNIFF_CHARS).decode("utf-8-sig", errors="ignore")
    try:
        return csv.Sniffer().sniff(head, delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:  # one column, or rows too long for the head to show a pattern
        return ","


def csv_documents(path: Path, max_bytes: int) -> Iterator[Document]:
    """One record per row of a UTF-8 CSV file; fields up to ``max_bytes`` long.

    The delimiter (``,``, ``;``, tab or ``|``) is detected from the head of
    the file. When no column holds the text, every row is an ``empty`` record
    whose error names the columns found and the ones accepted.
    """
    uri = file_uri(path)
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes))  # article texts are long
    produced = 0
    try:
        delimiter = sniff_delimiter(path)
        with io.TextIOWrapper(_open_binary(path), encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh, delimiter=delimiter)
            problem = missing_text_message(reader.fieldnames or [])
            if problem is not None and reader.fieldnames:
                problem += f" (the file was read with the delimiter {delimiter!r})"
                logger.warning("%s: %s", path, problem)
            for row in reader:
                yield _record_document(f"{uri}#row={produced}", row, problem)
                produced += 1
    except (OSError, UnicodeDecodeError, EOFError, zlib.error, csv.Error) as exc:
        yield failed(f"{uri}#row={produced}", _table_error(exc, path, produced))
        return
    if not produced:
        yield failed(uri, f"no records in {path}", status="empty")


def _table_error(exc: Exception, path: Path, row: int) -> str:
    if isinstance(exc, OSError) and not isinstance(exc, gzip.BadGzipFile):
        return os_error_message(exc, path)
    if isinstance(exc, UnicodeDecodeError):
        reason = "it is not UTF-8 text"
    else:
        reason = str(exc)
    return f"could not read {path} past record {row} ({reason}); the rest of the file was skipped"


def frame_documents(frame: pd.DataFrame) -> Iterator[Document]:
    """One record per row; identity from ``source_uri``, else ``url``, else the row number."""
    columns = [str(c) for c in frame.columns]
    used: set[str] = set()
    if frame.empty:
        yield failed("frame:empty", "the DataFrame has no rows", status="empty")
        return
    problem = missing_text_message(columns)
    if problem is not None:
        logger.warning("DataFrame: %s", problem)
    for i, values in enumerate(frame.itertuples(index=False, name=None)):
        row = dict(zip(columns, values, strict=True))
        doc = _record_document("", row, problem)
        uri = _frame_uri(row, doc.record, i)
        if uri in used:  # two rows must not share an id
            uri = f"{uri}#row={i}"
        used.add(uri)
        doc.source_uri = uri
        yield doc


def _frame_uri(row: dict[str, Any], record: dict[str, Any], i: int) -> str:
    given = row.get("source_uri")
    if not _is_missing(given):
        return str(given)
    return record.get("url") or f"frame:row={i}"
