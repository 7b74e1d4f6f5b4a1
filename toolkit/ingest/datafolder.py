"""The folder of a dataset: which files are the toolkit's, the lock of a run, its layout.

A dataset folder may hold the user's own files (notes, an editor's swap files):
the toolkit touches only the files it wrote, recognised by their names:

- data files ``part-<6 digits>-<8 hex>.parquet``, in the partition folders
  (``month=2016-04/...``; directly in the folder when it is not partitioned);
- temporary files ``.toolkit-<...>.tmp`` beside them (a file being written);
- ``_toolkit_dataset.json`` (the partition keys), ``_toolkit.lock`` (the lock
  of the run writing the folder) and ``_toolkit_compaction.json`` (a compaction
  in progress) at the top. Readers (pandas, pyarrow, Dask, DuckDB, Spark)
  skip names that start with ``_`` or ``.``.

Other Parquet files in the folder would be read with the articles by every
reader, so a run refuses such a folder and says which files are in the way.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

from filelock import FileLock, Timeout

logger = logging.getLogger(__name__)

MARKER = "_toolkit_dataset.json"
LOCK = "_toolkit.lock"
DATA_FILE = re.compile(r"part-(\d{6})-[0-9a-f]{8}\.parquet")
TEMPORARY = re.compile(r"\.toolkit-[\w.-]+\.tmp|\.part-\d{6}-[0-9a-f]{8}\.parquet\.tmp")
_PARTITION = re.compile(r"[A-Za-z_]\w*=[^/]+")


class DatasetBusy(ValueError):
    """Another run holds the lock of the dataset folder."""


def temporary_name(name: str) -> str:
    """The name a file is written under before it is renamed to ``name``."""
    return f".toolkit-{uuid.uuid4().hex[:8]}-{name}.tmp"


def data_file_name(number: int) -> str:
    """A new data file's name: ``number`` orders the files, a random part keeps runs apart."""
    return f"part-{number:06d}-{uuid.uuid4().hex[:8]}.parquet"


def _partition_folders(out: Path) -> Iterator[Path]:
    """``out`` and the folders under it whose names are ``key=value`` all the way down."""
    yield out
    for folder, dirs, _ in os.walk(out):
        dirs[:] = sorted(d for d in dirs if _PARTITION.fullmatch(d))
        for name in dirs:
            yield Path(folder, name)


def data_files(out: Path) -> list[Path]:
    """The toolkit's data files of the dataset at ``out``, in write order within each folder."""
    found = []
    for folder in _partition_folders(out):
        with contextlib.suppress(OSError):
            found += [
                folder / name
                for name in sorted(os.listdir(folder))
                if DATA_FILE.fullmatch(name) and (folder / name).is_file()
            ]
    return found


def next_number(files: Sequence[Path]) -> int:
    """The number of the next data file (one more than the largest so far)."""
    numbers = [int(m.group(1)) for f in files if (m := DATA_FILE.fullmatch(f.name))]
    return max(numbers, default=-1) + 1


def foreign_parquet(out: Path) -> list[Path]:
    """Parquet files under ``out`` that readers would see but the toolkit did not write."""
    ours = set(data_files(out))
    foreign = []
    for folder, dirs, files in os.walk(out):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        foreign += [
            Path(folder, name)
            for name in sorted(files)
            if name.lower().endswith((".parquet", ".pq"))
            and not name.startswith((".", "_"))
            and Path(folder, name) not in ours
        ]
    return foreign


def check_folder(out: Path, partition_by: Sequence[str]) -> None:
    """Refuse a folder the dataset cannot safely go into; record its partition keys.

    Raises
    ------
    ValueError
        When the folder holds Parquet files the toolkit did not write, or a
        dataset partitioned by other keys.
    """
    foreign = foreign_parquet(out)
    if foreign:
        shown = ", ".join(str(p.relative_to(out)) for p in foreign[:5])
        more = f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
        raise ValueError(
            f"{str(out)!r} holds Parquet files the toolkit did not write ({shown}{more}); "
            "every reader of the folder would mix them with the articles. Move them out, or "
            "write the dataset to a new or empty folder"
        )
    marker = out / MARKER
    keys = list(partition_by)
    if marker.exists():
        try:
            recorded = json.loads(marker.read_text("utf-8"))["partition_by"]
        except (OSError, ValueError, KeyError, TypeError):
            recorded = None
        if recorded is not None and recorded != keys:
            shown = ",".join(recorded) or "nothing (flat files)"
            raise ValueError(
                f"{str(out)!r} holds a dataset partitioned by {shown}; "
                f"partition_by={tuple(keys)!r} would mix two layouts: "
                f"pass partition_by={tuple(recorded)!r} "
                f"(--partition-by {','.join(recorded)}) or write to another folder"
            )
    if not marker.exists() or recorded is None:
        write_json(marker, {"format": 1, "partition_by": keys})


def write_json(path: Path, value: object) -> None:
    """Write ``value`` as JSON to ``path`` atomically (a temporary file renamed into place)."""
    temporary = path.with_name(temporary_name(path.name))
    temporary.write_text(json.dumps(value, indent=1), encoding="utf-8")
    os.replace(temporary, path)


def remove_temporaries(out: Path) -> int:
    """Delete the toolkit's temporary files left by an interrupted run; return how many."""
    removed = 0
    for folder in _partition_folders(out):
        with contextlib.suppress(OSError):
            for name in os.listdir(folder):
                if TEMPORARY.fullmatch(name):
                    (folder / name).unlink(missing_ok=True)
                    removed += 1
    return removed


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the dataset folder's lock for a run; another run holding it is a ``DatasetBusy``.

    The lock is ``filelock``'s: an OS lock on ``_toolkit.lock``, released by the
    system when the process ends, however it ends (a killed run never leaves a
    stale lock behind).
    """
    lock = FileLock(out / LOCK, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise DatasetBusy(
            f"another run is writing the dataset {str(out)!r} (it holds {LOCK}); two runs "
            "into one folder would write each page twice. Wait for it to finish (a rerun "
            "then resumes), or write to another folder"
        ) from None
    try:
        yield
    finally:
        lock.release()
