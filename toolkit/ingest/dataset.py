"""Streaming ingest into a partitioned Parquet dataset that a rerun resumes.

``read_articles`` keeps the whole frame in memory; for corpora that do not
fit, ``ingest_to_dataset`` writes rows in batches as they are extracted.
Every batch file is written under a temporary name and renamed into place,
so a run killed at any moment leaves only whole files behind, and a rerun
skips the documents whose ``source_uri`` is already in the dataset: nothing
is lost, nothing is written twice. Memory stays at one batch (plus a few
bytes per document for its id and duplicate detection) whatever the corpus size.
Once a run completes, each partition's batch files are merged
(:mod:`toolkit.ingest.compact`), so a partition holds one file (or a few of
128 MiB each), not one per batch.

Layout: ``OUT/month=2016-04/host=chinadaily.com.cn/part-000003-<id>.parquet``
(hive partitioning; the partition columns are ``month`` and ``host`` so they
never clash with the articles columns). The folder may hold other files of
the user's: a run touches only its own (:mod:`toolkit.ingest.datafolder`),
holds the folder's lock (a second run into it is refused with a message), and
refuses a folder holding Parquet files it did not write.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from toolkit.ingest import compact as compaction
from toolkit.ingest.datafolder import (
    check_folder,
    data_file_name,
    data_files,
    locked,
    next_number,
    remove_temporaries,
    temporary_name,
)
from toolkit.ingest.dedupe import DuplicateIndex
from toolkit.ingest.read import (
    IngestOptions,
    Source,
    as_source_list,
    build_options,
    iter_rows,
    unique_ids,
)
from toolkit.ingest.workers import make_executor
from toolkit.schema import ARTICLE_COLUMNS, LIST_COLUMNS, conform_articles
from toolkit.sources.expand import Document, iter_documents

logger = logging.getLogger(__name__)

PartitionKey = Literal["month", "host"]
PARTITION_KEYS: tuple[str, ...] = ("month", "host")
UNDATED = "undated"
UNKNOWN_HOST = "unknown"


def _arrow_type(name: str, dtype: str) -> pa.DataType:
    if name in LIST_COLUMNS:
        return pa.list_(pa.string())
    return {
        "str": pa.string(),
        "datetime64[ns]": pa.timestamp("ns"),
        "Int64": pa.int64(),
    }[dtype]


#: The Arrow schema of every batch file, so files written at different times agree.
ARROW_SCHEMA = pa.schema([(n, _arrow_type(n, t)) for n, t in ARTICLE_COLUMNS.items()])


@dataclass
class StreamSummary:
    """What a streaming ingest did.

    Attributes
    ----------
    written : int
        Rows written by this run.
    skipped : int
        Documents already in the dataset (from an earlier, interrupted run).
    files : list of Path
        The files holding the rows this run wrote (once merged, the merged files).
    status_counts : dict
        Rows per status written by this run.
    """

    written: int = 0
    skipped: int = 0
    files: list[Path] = field(default_factory=list)
    status_counts: dict[str, int] = field(default_factory=dict)


def _partition_values(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """The partition value of each row, one column per key, in the order of ``keys``."""
    values = {}
    for key in keys:
        if key == "month":
            values["month"] = frame["date"].dt.strftime("%Y-%m").fillna(UNDATED)
        else:
            values["host"] = frame["hostname"].fillna(UNKNOWN_HOST).str.replace(
                r"[^A-Za-z0-9._-]", "_", regex=True
            )
    return pd.DataFrame(values, index=frame.index)


def _write_atomically(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(temporary_name(path.name))
    pq.write_table(table, temporary)
    os.replace(temporary, path)  # atomic on POSIX: readers see a whole file or none


def write_batch(
    frame: pd.DataFrame, out: Path, *, partition_by: Sequence[str], batch_number: int
) -> list[Path]:
    """Write one batch of articles rows into the dataset, one file per partition.

    Parameters
    ----------
    frame : pandas.DataFrame
        Conformed articles rows.
    out : Path
        The dataset folder.
    partition_by : sequence of {"month", "host"}
        Partition keys, outermost first; empty writes flat files.
    batch_number : int
        Used in the file names (``part-<number>-<random>.parquet``), which
        also carry a random part so two runs never overwrite each other.

    Returns
    -------
    list of Path
        The files written.
    """
    keys = list(partition_by)
    name = data_file_name(batch_number)
    groups = (
        frame.groupby(list(_partition_values(frame, keys).to_numpy().T), sort=True)
        if keys
        else [((), frame)]
    )
    written = []
    for values, group in groups:
        values = values if isinstance(values, tuple) else (values,)
        folder = out.joinpath(*(f"{k}={v}" for k, v in zip(keys, values, strict=True)))
        path = folder / name
        table = pa.Table.from_pandas(
            group[list(ARTICLE_COLUMNS)], schema=ARROW_SCHEMA, preserve_index=False
        )
        _write_atomically(table, path)
        written.append(path)
    return written


def read_done(out: Path, *, columns: Sequence[str] = ("source_uri",)) -> pd.DataFrame:
    """Return ``columns`` of every row already in the dataset at ``out`` (empty if none).

    Parameters
    ----------
    out : Path
        The dataset folder.
    columns : sequence of str
        Article columns to read (reading few columns keeps a resume cheap).

    Returns
    -------
    pandas.DataFrame
        One row per article already written (read from the toolkit's data
        files only: other files in the folder are not the dataset's).
    """
    files = data_files(out) if out.is_dir() else []
    if not files:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in columns})
    parts = [pq.read_table(p, columns=list(columns)).to_pandas() for p in files]
    return pd.concat(parts, ignore_index=True)


def _seed_index(done: pd.DataFrame, threshold: float) -> DuplicateIndex:
    index = DuplicateIndex(threshold=threshold)
    originals = done[done["status"].eq("ok") & done["fingerprint"].notna()]
    for article_id, fp, n_words in zip(
        originals["article_id"], originals["fingerprint"], originals["n_words"], strict=True
    ):
        index.check_and_add(article_id, fp, int(n_words))
    return index


def _mark_batch(frame: pd.DataFrame, index: DuplicateIndex) -> pd.DataFrame:
    duplicate_of = []
    for status, article_id, fp, n_words in zip(
        frame["status"], frame["article_id"], frame["fingerprint"], frame["n_words"], strict=True
    ):
        usable = status == "ok" and isinstance(fp, str)
        duplicate_of.append(index.check_and_add(article_id, fp, int(n_words)) if usable else None)
    marked = pd.Series(duplicate_of, index=frame.index, dtype="str")
    return frame.assign(
        duplicate_of=marked, status=frame["status"].where(marked.isna(), "duplicate")
    )


def _batches(rows: Iterator[tuple[int, dict]], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for _, row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _pending(documents: Iterable[Document], done: set[str], summary: StreamSummary):
    for doc in documents:
        if doc.source_uri in done:
            summary.skipped += 1
            continue
        done.add(doc.source_uri)  # the same page named twice in one run is read once
        yield doc


def ingest_to_dataset(
    sources: Source | Iterable[Source],
    out: str | Path,
    *,
    partition_by: Sequence[PartitionKey] = ("month",),
    batch_size: int = 500,
    workers: int = 1,
    timeout: float | None = 30.0,
    near_duplicates: float = 0.8,
    options: IngestOptions | None = None,
    progress: bool = True,
    compact: bool = True,
) -> StreamSummary:
    """Extract ``sources`` into a partitioned Parquet dataset, resuming an earlier run.

    Parameters
    ----------
    sources : path, URL, DataFrame, or a list of them
        As for ``read_articles``.
    out : str or Path
        The dataset folder (created). Load it with ``load_articles(out)``. It
        may hold other files of yours (left untouched), but no Parquet files
        the toolkit did not write.
    partition_by : sequence of {"month", "host"}
        Hive partition keys: the article's month (``undated`` without a date)
        and/or its hostname. Empty for flat files. A rerun must use the keys
        of the first run.
    batch_size : int
        Rows per batch file; memory holds one batch.
    workers, timeout, near_duplicates
        As for ``read_articles``. Duplicates point at the first copy *written*
        (in a stream, the earliest copy may not have been seen yet).
    options : IngestOptions, optional
        Size cap, extraction and fetch settings (``build_options`` makes them).
    progress : bool
        Show a progress bar.
    compact : bool
        Once the run completes, merge each partition's batch files (of this
        run and of earlier, interrupted ones) into one file (files of 128 MiB
        for big partitions). A killed run keeps its batch files; its rerun merges them.

    Returns
    -------
    StreamSummary
        Rows written, documents skipped as already done, files, statuses.

    Raises
    ------
    ValueError
        For a bad argument; when ``out`` is a file, holds Parquet files the
        toolkit did not write, or a dataset partitioned by other keys; and
        (``datafolder.DatasetBusy``) when another run is writing into ``out``.
    """
    bad = [k for k in partition_by if k not in PARTITION_KEYS]
    if bad or len(set(partition_by)) != len(partition_by):
        raise ValueError(
            f"partition_by takes distinct keys from {PARTITION_KEYS}, got {partition_by!r}"
        )
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    if not isinstance(compact, bool):
        raise ValueError(f"compact must be True or False, got {compact!r}")
    options = options or build_options()
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"out must be a folder for the dataset, but {str(out)!r} is a file")
    out.mkdir(parents=True, exist_ok=True)
    with locked(out):
        compaction.recover(out)
        check_folder(out, partition_by)
        remove_temporaries(out)  # batch files interrupted before their rename
        summary = _ingest(
            sources, out, partition_by, batch_size, workers, timeout, near_duplicates, options,
            progress,
        )
        if compact:
            moved = compaction.compact(out, data_files(out))
            summary.files = sorted({moved.get(path, path) for path in summary.files})
    logger.info(
        "wrote %d rows in %d files to %s (%d already there)",
        summary.written,
        len(summary.files),
        out,
        summary.skipped,
    )
    return summary


def _ingest(
    sources: Source | Iterable[Source],
    out: Path,
    partition_by: Sequence[str],
    batch_size: int,
    workers: int,
    timeout: float | None,
    near_duplicates: float,
    options: IngestOptions,
    progress: bool,
) -> StreamSummary:
    """The streaming part of :func:`ingest_to_dataset`, in a checked and locked folder."""
    done = read_done(out, columns=("source_uri", "article_id", "fingerprint", "n_words", "status"))
    index = _seed_index(done, near_duplicates)
    ids = set(done["article_id"])  # ids given in the input may repeat across batches and runs
    summary = StreamSummary()
    documents = iter_documents(
        as_source_list(sources),
        fetch_options=options.fetch,
        max_bytes=options.max_bytes,
        timeout=timeout,
    )
    pending = _pending(documents, set(done["source_uri"]), summary)
    with contextlib.closing(make_executor(workers=workers)) as executor:
        rows = iter_rows(
            pending, options=options, executor=executor, timeout=timeout, progress=progress
        )
        first_batch = next_number(data_files(out))  # numbers order the files
        for number, batch in enumerate(_batches(rows, batch_size), start=first_batch):
            frame = _mark_batch(unique_ids(conform_articles(pd.DataFrame(batch)), taken=ids), index)
            summary.files += write_batch(frame, out, partition_by=partition_by, batch_number=number)
            summary.written += len(frame)
            for status, count in frame["status"].value_counts().items():
                summary.status_counts[status] = summary.status_counts.get(status, 0) + int(count)
    return summary
