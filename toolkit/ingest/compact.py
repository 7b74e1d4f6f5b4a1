"""Merge a dataset's small batch files, so that a partition holds a few files, not hundreds.

A streaming ingest writes one file per batch per partition (that is what makes a
killed run resumable), which leaves many files of a few rows each; every reader
(pandas, Dask, DuckDB, Spark) slows down with the number of files. Once a run
completes, :func:`compact` rewrites each partition's files smaller than
``target_bytes`` into files of about that size, reading one file at a time.

A compaction is made safe against a kill at any moment by a journal
(``_toolkit_compaction.json``): the merged file is written under a temporary
name, the journal names it and the files it replaces, the merged file is renamed
into place, the old ones deleted, the journal removed. :func:`recover` (run
before anything else reads the folder) finishes or undoes an interrupted one,
so no row is ever lost or counted twice.
"""

from __future__ import annotations

import json
import logging
import os
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from toolkit.ingest.datafolder import data_file_name, next_number, temporary_name, write_json

logger = logging.getLogger(__name__)

JOURNAL = "_toolkit_compaction.json"
#: Size of the files compaction writes (and below which a file is merged again).
TARGET_BYTES = 128 * 2**20
#: Rows gathered before a row group is written (bounded memory, few row groups).
_ROW_GROUP_BYTES = 32 * 2**20


def recover(out: Path) -> None:
    """Finish (or undo) a compaction that a killed run left halfway."""
    journal = out / JOURNAL
    if not journal.exists():
        return
    try:
        step = json.loads(journal.read_text("utf-8"))
        folder = out / step["folder"]
        merged, temporary, old = step["merged"], step["temporary"], step["old"]
    except (OSError, ValueError, KeyError, TypeError):
        logger.warning("unreadable compaction journal %s; removed", journal)
        journal.unlink(missing_ok=True)
        return
    if (folder / merged).exists():  # renamed into place: the old files must go
        for name in old:
            (folder / name).unlink(missing_ok=True)
        logger.info("finished an interrupted compaction in %s", folder)
    else:  # not renamed yet: the old files still hold the rows
        (folder / temporary).unlink(missing_ok=True)
        logger.info("undid an interrupted compaction in %s", folder)
    journal.unlink(missing_ok=True)


def compact(
    out: Path, files: Sequence[Path], *, target_bytes: int = TARGET_BYTES
) -> dict[Path, Path]:
    """Merge the small data files of each partition folder.

    Parameters
    ----------
    out : Path
        The dataset folder.
    files : sequence of Path
        The dataset's data files (``datafolder.data_files``), in write order.
    target_bytes : int
        Files at least this big are kept; the others of a folder are merged
        into files of about this size.

    Returns
    -------
    dict
        Each merged-away file -> the file that now holds its rows.
    """
    by_folder: dict[Path, list[Path]] = defaultdict(list)
    for path in files:
        by_folder[path.parent].append(path)
    moved: dict[Path, Path] = {}
    for folder, paths in by_folder.items():
        small = [p for p in paths if p.stat().st_size < target_bytes]
        if len(small) < 2:
            continue
        for group in _groups(small, target_bytes):
            merged = _merge(out, folder, group)
            moved.update({old: merged for old in group})
    if moved:
        logger.info("compacted %d files into %d", len(moved), len(set(moved.values())))
    return moved


def _groups(paths: list[Path], target_bytes: int) -> list[list[Path]]:
    """Consecutive runs of files whose sizes add up to about ``target_bytes``."""
    groups: list[list[Path]] = [[]]
    size = 0
    for path in paths:
        if groups[-1] and size + path.stat().st_size > target_bytes:
            groups.append([])
            size = 0
        groups[-1].append(path)
        size += path.stat().st_size
    return [g for g in groups if len(g) > 1]


def _merge(out: Path, folder: Path, group: list[Path]) -> Path:
    """Write the rows of ``group`` (in order) into one new file, crash-safely; return it."""
    merged = folder / data_file_name(_first_number(group))
    temporary = folder / temporary_name(merged.name)
    schema = pq.read_schema(group[0])
    pending: list[pa.Table] = []
    pending_bytes = 0
    with pq.ParquetWriter(temporary, schema) as writer:
        for path in group:
            table = pq.read_table(path).cast(schema)
            pending.append(table)
            pending_bytes += table.nbytes
            if pending_bytes >= _ROW_GROUP_BYTES:
                writer.write_table(pa.concat_tables(pending))
                pending, pending_bytes = [], 0
        if pending:
            writer.write_table(pa.concat_tables(pending))
    journal = out / JOURNAL
    write_json(
        journal,
        {
            "folder": folder.relative_to(out).as_posix(),
            "merged": merged.name,
            "temporary": temporary.name,
            "old": [p.name for p in group],
        },
    )
    os.replace(temporary, merged)
    for path in group:
        path.unlink()
    journal.unlink()
    return merged


def _first_number(group: list[Path]) -> int:
    """The number of the group's first file: the merged file sorts where its rows were."""
    return next_number(group[:1]) - 1
