"""Counting at scale: each partition counted by the pandas code, partial sums merged.

``term_counts`` and ``cooccurrence`` take a ``dask.dataframe.DataFrame``, or
the path of a partitioned Parquet dataset, as well as a pandas frame, and
then call :func:`dask_term_counts` or :func:`dask_cooccurrence`. Each
partition is counted with the very functions the pandas path uses; the
partial counts (whole numbers) are added up in a tree on the workers;
proportions, ``min_count`` and the association measures are computed once,
on the totals. So the result is the pandas frame, equal (values, dtypes,
order) to what pandas gives on the computed rows.

The work runs on the cluster of ``scheduler=`` (a ``distributed.Client`` or
a scheduler address), by default on Dask's current scheduler: the
``Client`` made last (``Client(LocalCluster())``,
``Client("tcp://scheduler:8786")``), else Dask's local threads, which count a
dataset larger than memory a few partitions at a time.
:func:`read_dataset` opens a Parquet dataset of articles (such as
``toolkit.ingest.dataset.ingest_to_dataset`` writes) lazily.

Dask is an optional dependency (``pip install 'toolkit[dask]'``); nothing
here imports it until a Dask frame or a dataset is used.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Unpack

import numpy as np
import pandas as pd
from scipy import sparse

from toolkit.entities.pairs import (
    PairCounts,
    check_mentions,
    combine_pair_counts,
    pair_counts,
    pairs_table,
)
from toolkit.schema import conform_articles, empty_articles
from toolkit.text.counts import term_counts
from toolkit.text.termtable import TERM_COLUMNS, resolve_groups, term_table
from toolkit.text.tokens.tokenizer import StopwordSpec, TokenKwargs
from toolkit.vocab import Freq, WindowKind, check_positive_int, check_window

logger = logging.getLogger(__name__)

#: How many partial results one merge task adds up.
FAN_IN = 8

#: Hive partition columns of a dataset written by ``toolkit.ingest.dataset`` (not article columns).
PARTITION_COLUMNS: tuple[str, ...] = ("month", "host")


def is_dask_frame(frame: Any) -> bool:
    """Whether ``frame`` is a ``dask.dataframe.DataFrame`` (Dask is not imported to tell)."""
    module = sys.modules.get("dask.dataframe")
    return module is not None and isinstance(frame, module.DataFrame)


def is_partitioned(data: Any) -> bool:
    """Whether ``data`` is counted by partitions: a Dask DataFrame or a Parquet path.

    ``term_counts`` and ``cooccurrence`` hand such input to this module.
    """
    return is_dask_frame(data) or isinstance(data, (str, os.PathLike))


def _dask():
    try:
        import dask
        import dask.dataframe  # noqa: F401
    except ImportError as error:  # pragma: no cover - dask is in the dev environment
        raise ImportError(
            "counting at scale needs Dask: pip install 'toolkit[dask]'"
        ) from error
    return dask


def _as_dask(data: Any, read: Callable[[Path], Any]) -> Any:
    """``data`` as a Dask DataFrame: itself, or the Parquet dataset at that path, read lazily."""
    if isinstance(data, (str, os.PathLike)):
        path = Path(data)
        if not path.exists():
            raise ValueError(f"no such file or folder: {str(path)!r}")
        return read(path)
    if not is_dask_frame(data):
        raise ValueError(
            f"expected a dask.dataframe.DataFrame or a Parquet path, got {type(data).__name__}"
        )
    return data


def _read_mentions(path: Path) -> Any:
    _dask()
    import dask.dataframe as dd

    return dd.read_parquet(str(path))


@contextlib.contextmanager
def _client(scheduler: Any) -> Iterator[Any]:
    """The distributed client to use: ``scheduler``'s, else the default one, else None."""
    if scheduler is not None:
        from toolkit.dask.cluster import client_for

        with client_for(scheduler) as client:
            yield client
        return
    try:
        from distributed import default_client
    except ImportError:  # pragma: no cover - distributed comes with toolkit[dask]
        yield None
        return
    try:
        client = default_client()
    except ValueError:  # no client: Dask's local scheduler
        client = None
    yield client


def _tree_sum(parts: list, add: Callable[[list], Any], client: Any):
    """Compute ``add`` over delayed ``parts``, FAN_IN at a time, on ``client``'s cluster.

    Without a client (None), on Dask's local scheduler.
    """
    dask = _dask()
    add_task = dask.delayed(add, pure=True)
    while len(parts) > 1:
        parts = [add_task(parts[i : i + FAN_IN]) for i in range(0, len(parts), FAN_IN)]
    if client is None:
        (total,) = dask.compute(parts[0])
    else:
        (total,) = dask.compute(parts[0], scheduler=client)
    return total


def _to_workers(data: Any, client: Any):
    """``data`` as an argument of many tasks, sent once to each worker (not in every task)."""
    if client is None:
        return _dask().delayed(data, pure=True)
    return client.scatter(data, broadcast=True)


# ---------------------------------------------------------------------------
# Articles datasets


def read_dataset(path: str | Path, *, partition_bytes: int = 16 * 2**20) -> Any:
    """Open a Parquet dataset of articles lazily, as a Dask DataFrame.

    The lazy counterpart of :func:`toolkit.ingest.store.load_articles` for a folder:
    nothing is read until the frame is computed or counted, then one
    partition at a time, on the workers. Small files (a streaming ingest
    writes one per batch, month and host) are read together, so a partition
    holds about ``partition_bytes`` of Parquet however the dataset was cut.

    Parameters
    ----------
    path : str or Path
        A folder written by :func:`toolkit.ingest.dataset.ingest_to_dataset` (hive
        folders ``month=.../host=...``), any folder of Parquet files, or one
        Parquet file written by :func:`toolkit.ingest.store.save_articles`. Hidden
        files (a batch being written, ``.name.tmp``) are left out.
    partition_bytes : int, default 16 MiB
        Parquet bytes per partition (16 MiB is some 40 MB of text, a few
        seconds of counting): consecutive files (in path order) are grouped
        up to this size; a larger file is a partition of its own; 1 gives a
        partition per file.

    Returns
    -------
    dask.dataframe.DataFrame
        The articles frame: every articles column with its schema dtype (list
        columns hold lists, text columns ``str``), extra columns after them;
        not the partition keys ``month`` and ``host``, which are not article
        columns. Computed, it holds the rows of ``load_articles(path)``.

    Raises
    ------
    ValueError
        When ``path`` does not exist or ``partition_bytes`` is not positive.
    """
    _dask()
    import dask
    import dask.dataframe as dd
    import pyarrow.parquet as pq

    path = Path(path)
    if not path.exists():
        raise ValueError(f"no such file or folder: {str(path)!r}")
    if isinstance(partition_bytes, bool) or not isinstance(partition_bytes, int) or (
        partition_bytes < 1
    ):
        raise ValueError(f"partition_bytes must be a positive integer, got {partition_bytes!r}")
    files = [path] if path.is_file() else sorted(_data_files(path))
    if not files:
        logger.info("no Parquet files in %s: an empty articles frame", path)
        return dd.from_pandas(empty_articles(), npartitions=1)
    groups = _file_groups(files, partition_bytes)
    meta = _as_articles(pq.read_schema(files[0]).empty_table())
    logger.debug("%s: %d files in %d partitions", path, len(files), len(groups))
    # Keep the schema's own string dtype ("str"), not Dask's pyarrow strings with pd.NA,
    # so the computed frame equals load_articles(path).
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_map(_read_files, groups, meta=meta, label="read-articles")


def _data_files(folder: Path):
    """Parquet files of a dataset folder, leaving out hidden/temporary ones (``.x.tmp``)."""
    for file in folder.rglob("*.parquet"):
        if not any(part.startswith((".", "_")) for part in file.relative_to(folder).parts):
            yield file


def _file_groups(files: list[Path], partition_bytes: int) -> list[list[str]]:
    """Consecutive files grouped up to ``partition_bytes`` each."""
    groups: list[list[str]] = []
    size = partition_bytes
    for file in files:
        length = file.stat().st_size
        if size + length > partition_bytes:
            groups.append([])
            size = 0
        groups[-1].append(str(file))
        size += length
    return groups


def _as_articles(table) -> pd.DataFrame:
    """An Arrow table of articles as a conformed articles frame (no partition keys)."""
    frame = table.to_pandas()
    return conform_articles(frame.drop(columns=[c for c in PARTITION_COLUMNS if c in frame]))


def _read_files(files: list[str]) -> pd.DataFrame:
    """One partition: the articles of some Parquet files."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = [pq.read_table(f, partitioning=None) for f in files]
    return _as_articles(pa.concat_tables(tables, promote_options="default"))


# ---------------------------------------------------------------------------
# Term counts


def _partition_terms(part: pd.DataFrame, options: dict) -> tuple[pd.DataFrame, int]:
    """Term counts of one partition (every term kept) and its undated articles."""
    table = term_counts(part, min_count=1, progress=False, **options)
    return table.drop(columns="proportion"), table.attrs.get("undated_articles", 0)


def _add_terms(parts: list[tuple[pd.DataFrame, int]]) -> tuple[pd.DataFrame, int]:
    """Sum the counts of the same (group..., term) over partial term tables."""
    frame = pd.concat([table for table, _ in parts], ignore_index=True)
    keys = [c for c in frame.columns if c != "count"]
    summed = frame.groupby(keys, sort=False, dropna=False, observed=True)["count"].sum()
    return summed.reset_index(), sum(undated for _, undated in parts)


def dask_term_counts(
    articles: Any,
    *,
    by: str | list[str] | None = None,
    freq: Freq | None = None,
    text_col: str = "text",
    ngram: int | tuple[int, int] = 1,
    stopwords: StopwordSpec = "english",
    min_count: int = 1,
    progress: bool = True,
    scheduler: Any = None,
    **token_kwargs: Unpack[TokenKwargs],
) -> pd.DataFrame:
    """``term_counts`` of a Dask DataFrame of articles, partition by partition.

    Each partition is counted by :func:`toolkit.text.counts.term_counts` with
    ``min_count=1``; the counts of each (group..., term) are summed over the
    partitions; ``min_count``, the proportions and the order are applied to
    the totals. Any partitioning gives the same table: the usable rows
    (status ``ok``, some text) are chosen row by row, and with ``freq`` each
    article's period depends on its date only.

    Parameters
    ----------
    articles : dask.dataframe.DataFrame, str or Path
        An articles frame, any partitioning, or the path of a Parquet
        dataset of articles (opened with :func:`read_dataset`).
    by, freq, text_col, ngram, stopwords, min_count, **token_kwargs
        As in :func:`toolkit.text.counts.term_counts`; checked before any work.
    progress : bool, default True
        Accepted for the same signature; partitions count without bars (watch
        the Dask dashboard instead).
    scheduler : distributed.Client or str, optional
        The cluster to count on (a client or a scheduler address); by
        default Dask's current scheduler (the last ``Client`` made).

    Returns
    -------
    pandas.DataFrame
        The term table of :func:`toolkit.text.counts.term_counts` on
        ``articles.compute()``: the group columns, ``term``, ``count``
        (int64), ``proportion`` (float64); sorted by group, ``-count``,
        ``term``; ``attrs["undated_articles"]`` with ``freq``.

    Raises
    ------
    ValueError
        For input that is neither a Dask DataFrame nor an existing path, or
        a bad option (as ``term_counts``).
    """
    articles = _as_dask(articles, read_dataset)
    check_positive_int("min_count", min_count)
    options = dict(
        by=by, freq=freq, text_col=text_col, ngram=ngram, stopwords=stopwords, **token_kwargs
    )
    # Counting the empty meta frame checks every option at once and names the group columns.
    empty = term_counts(articles._meta, min_count=min_count, progress=False, **options)
    group_columns = [c for c in empty.columns if c not in TERM_COLUMNS]
    _dask()
    import dask

    count_part = dask.delayed(_partition_terms, pure=True)
    parts = [count_part(part, options) for part in articles.to_delayed()]
    with _client(scheduler) as client:
        totals, undated = _tree_sum(parts, _add_terms, client)
    groups = resolve_groups(totals, group_columns or None, None)
    term_codes, terms = pd.factorize(totals["term"])
    matrix = sparse.csr_matrix(
        (totals["count"].to_numpy(dtype=np.int64), (groups.codes, term_codes)),
        shape=(groups.size if len(totals) else 0, len(terms)),
        dtype=np.int64,
    )
    table = term_table(matrix, np.asarray(terms, dtype=object), groups.keys, min_count=min_count)
    if freq is not None:
        table.attrs["undated_articles"] = int(undated)
    logger.debug(
        "term_counts on %d partitions: %d rows", articles.npartitions, len(table)
    )
    return table


# ---------------------------------------------------------------------------
# Co-occurrence


def _article_keys(ids: pd.Series) -> np.ndarray:
    """Distinct 64-bit hashes of article ids (to check that no article spans partitions)."""
    return np.unique(pd.util.hash_array(ids.to_numpy(dtype=object)))


def _partition_pairs(
    part: pd.DataFrame,
    window: WindowKind | int,
    labels: Sequence[str] | str | None,
    articles: pd.DataFrame | None,
    text_col: str,
    track: bool,
) -> tuple[PairCounts, np.ndarray | None]:
    counts = pair_counts(part, window=window, labels=labels, articles=articles, text_col=text_col)
    return counts, _article_keys(part["article_id"]) if track else None


def _add_pairs(
    parts: list[tuple[PairCounts, np.ndarray | None]],
) -> tuple[PairCounts, np.ndarray | None]:
    keys = [k for _, k in parts if k is not None]
    merged = None
    if keys:
        joined = np.concatenate(keys)
        merged = np.unique(joined)
        if len(merged) < len(joined):
            raise ValueError(
                "the mentions of an article are in more than one partition: count with "
                "shuffle=True, or put each article in one partition first "
                "(mentions.shuffle('article_id'))"
            )
    return combine_pair_counts([counts for counts, _ in parts]), merged


def dask_cooccurrence(
    mentions: Any,
    *,
    window: WindowKind | int = "sentence",
    labels: Sequence[str] | str | None = None,
    min_count: int = 1,
    articles: pd.DataFrame | None = None,
    text_col: str = "text",
    shuffle: bool = True,
    scheduler: Any = None,
) -> pd.DataFrame:
    """``cooccurrence`` of a Dask DataFrame of mentions, partition by partition.

    Windows never cross articles, so once every article's mentions are in one
    partition, each partition's counts (windows, windows per entity, pairs
    and their articles, mentions per entity and label) are exact partial
    sums (:func:`toolkit.entities.pairs.pair_counts`). They are added up on the
    workers (:func:`toolkit.entities.pairs.combine_pair_counts`) and the
    measures computed once on the totals.

    Parameters
    ----------
    mentions : dask.dataframe.DataFrame, str or Path
        A mentions frame, any partitioning (see ``shuffle``), or the path of
        a Parquet file or folder of mentions (``dask.dataframe.read_parquet``).
    window, labels, min_count, text_col
        As in :func:`toolkit.entities.pairs.cooccurrence`.
    articles : pandas.DataFrame, optional
        For token windows (int ``window``): the articles whose texts place
        the mentions. It must be a pandas frame; its ``article_id`` and
        ``text_col`` columns are sent once to each worker.
    shuffle : bool, default True
        Move the mentions so that each article is in one partition (a hash
        shuffle on ``article_id``). ``False`` skips that full shuffle for
        mentions already made per article partition (e.g. extracted
        partition by partition); it is then checked, from a 64-bit hash per
        article, that no article is in two partitions.
    scheduler : distributed.Client or str, optional
        As in :func:`dask_term_counts`.

    Returns
    -------
    pandas.DataFrame
        The pairs frame of :func:`toolkit.entities.pairs.cooccurrence` on
        ``mentions.compute()``, with the same ``attrs``.

    Raises
    ------
    ValueError
        For input that is neither a Dask DataFrame nor an existing path, a
        bad option (as ``cooccurrence``), token windows without a
        pandas ``articles`` frame, or (``shuffle=False``) an article whose
        mentions are in two partitions.
    """
    mentions = _as_dask(mentions, _read_mentions)
    check_mentions(mentions._meta)
    window = check_window(window)
    check_positive_int("min_count", min_count)
    texts = None
    if isinstance(window, int):
        if not isinstance(articles, pd.DataFrame):
            raise ValueError(
                "a token window (int) on a Dask mentions frame needs articles= as a pandas "
                "frame (its article_id and text); use window='sentence', 'paragraph' or "
                "'article' to count without the texts"
            )
        if text_col not in articles.columns or "article_id" not in articles.columns:
            raise ValueError(f"articles lacks 'article_id' or text_col={text_col!r}")
        texts = articles[["article_id", text_col]]
    dask = _dask()
    if shuffle:
        mentions = mentions.shuffle(on="article_id")
    with _client(scheduler) as client:
        shared = None if texts is None else _to_workers(texts, client)
        count_part = dask.delayed(_partition_pairs, pure=True)
        parts = [
            count_part(part, window, labels, shared, text_col, not shuffle)
            for part in mentions.to_delayed()
        ]
        totals, _ = _tree_sum(parts, _add_pairs, client)
    logger.debug(
        "cooccurrence on %d partitions: %d windows", mentions.npartitions, totals.n_windows
    )
    return pairs_table(totals, window=window, labels=labels, min_count=min_count)
