"""Save and load articles frames: Parquet (the schema intact), CSV and JSONL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from toolkit.ingest.formulas import neutralise_formulas, restore_formulas
from toolkit.schema import DATETIME_COLUMNS, LIST_COLUMNS, conform_articles
from toolkit.sources.records import parse_list

Format = Literal["parquet", "csv", "jsonl"]
FORMATS: dict[str, Format] = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


def _format_of(path: Path, fmt: str | None) -> Format:
    if fmt is not None:
        if fmt not in ("parquet", "csv", "jsonl"):
            raise ValueError(f"format must be one of 'parquet', 'csv', 'jsonl', got {fmt!r}")
        return fmt  # type: ignore[return-value]
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise ValueError(
            f"cannot tell the format of {str(path)!r}: use a name ending in "
            f"{', '.join(FORMATS)} or pass format='parquet'|'csv'|'jsonl'"
        ) from None


def save_articles(
    articles: pd.DataFrame,
    path: str | Path,
    *,
    format: Format | None = None,
    escape_formulas: bool = True,
) -> Path:
    """Write an articles frame to ``path``; the format follows the file name.

    Parquet keeps every dtype (lists, datetimes with NaT, nullable integers).
    CSV writes list columns as JSON arrays and datetimes as ISO 8601, so the
    file opens in a spreadsheet and still loads back exactly; a text cell that
    a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) is
    written after an apostrophe (``'=...``), which :func:`load_articles`
    removes again. JSONL writes one article per line.

    Parameters
    ----------
    articles : pandas.DataFrame
        The frame to write (it is conformed to the articles schema first).
    path : str or Path
        Destination; parent folders are created.
    format : {"parquet", "csv", "jsonl"}, optional
        Overrides the format implied by the suffix.
    escape_formulas : bool
        CSV only: neutralise cells that start like a spreadsheet formula
        (see :mod:`toolkit.ingest.formulas`). False writes them as they are.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    if not isinstance(escape_formulas, bool):
        raise ValueError(f"escape_formulas must be True or False, got {escape_formulas!r}")
    path = Path(path)
    fmt = _format_of(path, format)
    frame = conform_articles(articles)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        frame.attrs = {}  # attrs may hold objects Parquet metadata cannot carry
        frame.to_parquet(path, index=False)
    elif fmt == "csv":
        text = _to_text_columns(frame)
        (neutralise_formulas(text) if escape_formulas else text).to_csv(path, index=False)
    else:
        _to_text_columns(frame, lists_as_json=False).to_json(
            path, orient="records", lines=True, force_ascii=False
        )
    return path


def _to_text_columns(frame: pd.DataFrame, *, lists_as_json: bool = True) -> pd.DataFrame:
    changes = {}
    for name in DATETIME_COLUMNS:
        changes[name] = frame[name].dt.strftime("%Y-%m-%dT%H:%M:%S").astype("object")
        changes[name] = changes[name].where(frame[name].notna(), None)
    if lists_as_json:
        for name in LIST_COLUMNS:
            changes[name] = frame[name].map(lambda v: json.dumps(list(v), ensure_ascii=False))
    return frame.assign(**changes)


def _list_cells(cells: pd.Series, path: Path) -> pd.Series:
    """Read a list column of a CSV: JSON arrays (``save_articles``) or Python reprs (pandas)."""
    values = []
    for row, cell in enumerate(cells):
        listed = parse_list(cell) if isinstance(cell, str) else []
        if listed is None:
            raise ValueError(
                f"{str(path)!r}, column {cells.name!r}, row {row + 1}: {cell[:80]!r} is not a "
                "list (a JSON array or a Python list of strings); read a CSV from another tool "
                "with toolkit.read_articles, which splits names"
            )
        values.append(listed)
    return pd.Series(values, index=cells.index, dtype="object")


def load_articles(
    path: str | Path, *, format: Format | None = None, lazy: bool = False
) -> pd.DataFrame:
    """Read an articles frame written by ``save_articles`` (Parquet, CSV or JSONL).

    Parameters
    ----------
    path : str or Path
        A file written by ``save_articles`` (or a CSV written by pandas'
        ``to_csv`` from an articles frame), or a folder of Parquet files (a
        partitioned dataset).
    format : {"parquet", "csv", "jsonl"}, optional
        Overrides the format implied by the suffix. A CSV cell that starts
        with an apostrophe before a formula character (``'=...``, as
        ``save_articles`` writes it) loses that one apostrophe.
    lazy : bool
        Return a Dask DataFrame read partition by partition (Parquet only;
        see ``toolkit.dask.scale.read_dataset``), for datasets larger than memory.
        ``term_counts`` and ``cooccurrence`` accept it.

    Returns
    -------
    pandas.DataFrame
        The articles frame with its schema dtypes (a Dask DataFrame with ``lazy``).

    Raises
    ------
    ValueError
        When ``path`` does not exist, or a list cell of a CSV (authors,
        categories, tags) is not a list; the message names the file, column and row.
    """
    path = Path(path)
    if not path.exists():
        raise ValueError(f"no such file or folder: {str(path)!r}")
    if lazy:
        return read_dataset(path)
    fmt = "parquet" if path.is_dir() else _format_of(path, format)
    if fmt == "parquet" and path.is_dir():
        frame = _read_parquet_folder(path)
    elif fmt == "parquet":
        frame = pd.read_parquet(path)
    elif fmt == "csv":
        frame = pd.read_csv(path, dtype="str", keep_default_na=False, na_values=[""])
        frame = restore_formulas(frame)
        frame = frame.assign(
            **{name: _list_cells(frame[name], path) for name in LIST_COLUMNS if name in frame}
        )
    else:
        frame = pd.read_json(path, orient="records", lines=True, dtype=False)
    return conform_articles(frame)


def _read_parquet_folder(folder: Path) -> pd.DataFrame:
    """Every Parquet file under ``folder`` (hidden and ``_`` names skipped, other files too).

    A dataset folder may hold a README or notes beside its files; reading the
    folder as a whole would take them for Parquet and fail. The partition
    folders' keys (``month=``, ``host=``) are not read: they repeat columns.
    """
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.suffix.lower() in (".parquet", ".pq")
        and p.is_file()
        and not any(part.startswith((".", "_")) for part in p.relative_to(folder).parts)
    )
    if not files:
        raise ValueError(f"no Parquet files in the folder {str(folder)!r}")
    import pyarrow.dataset as ds

    # one dataset of the files: read on several threads, not file after file
    return ds.dataset([str(f) for f in files], format="parquet").to_table().to_pandas()


def read_dataset(path: str | Path, *, partition_bytes: int = 16 * 2**20) -> Any:
    """Open a Parquet dataset of articles lazily, as a Dask DataFrame (the Dask add-on).

    Nothing is read until the frame is computed or counted, then one partition
    at a time; small files are read together so a partition holds about
    ``partition_bytes`` of Parquet. See ``toolkit.dask.scale.read_dataset``.

    Parameters
    ----------
    path : str or Path
        A folder written by ``ingest_to_dataset``, any folder of Parquet files,
        or one Parquet file written by :func:`save_articles`.
    partition_bytes : int, default 16 MiB
        Parquet bytes per partition.

    Returns
    -------
    dask.dataframe.DataFrame
        The articles frame with the schema's dtypes; computed, it holds the rows
        of ``load_articles(path)``.

    Raises
    ------
    ValueError
        When ``path`` does not exist, ``partition_bytes`` is not positive, or
        Dask is not installed (``pip install 'toolkit[dask]'``).
    """
    from toolkit import addons

    reader = addons.lazy_reader("read_dataset")
    return reader.read_dataset(path, partition_bytes=partition_bytes)
