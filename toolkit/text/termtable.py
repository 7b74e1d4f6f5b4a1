"""Shared machinery of the term functions: selecting texts, groups and periods,
counting terms into sparse matrices and writing term tables.

Private: the public functions live in counts, tfidf, keyness, collocations,
kwic and trends; they all count through :func:`count_matrix`, so the same
text gives the same counts everywhere.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from toolkit.schema import usable_articles
from toolkit.text.tokens.tokenizer import (
    TokenOptions,
    TokenStream,
    arrow_strings,
    ngram_ids,
    ngram_starts,
    token_stream,
    unigram_counts,
)
from toolkit.vocab import check_freq

logger = logging.getLogger(__name__)

TERM_COLUMNS: tuple[str, ...] = ("term", "count", "proportion")
_RESERVED = frozenset(TERM_COLUMNS)


@dataclass
class Corpus:
    """The usable rows of an articles frame and their texts."""

    frame: pd.DataFrame
    texts: list[str]
    languages: list | None

    def __len__(self) -> int:
        return len(self.texts)


def corpus(articles: pd.DataFrame, *, text_col: str = "text") -> Corpus:
    """Select the rows to analyse (see :func:`toolkit.schema.usable_articles`).

    Raises
    ------
    ValueError
        When ``articles`` is not an articles frame or lacks ``text_col``.
    """
    frame = usable_articles(articles, text_col=text_col)
    texts = frame[text_col].astype("str").tolist()
    languages = frame["language"].tolist() if "language" in frame.columns else None
    return Corpus(frame, texts, languages)


def period_start(dates: pd.Series, freq: str) -> pd.Series:
    """Return the start of the ``freq`` period holding each date (NaT stays NaT).

    Weeks start on Monday; ``M``, ``Q`` and ``Y`` are calendar months, quarters
    and years.
    """
    check_freq(freq)
    values = pd.to_datetime(dates)
    return values.dt.to_period(freq).dt.start_time.astype("datetime64[ns]")


@dataclass
class Groups:
    """Group number of each analysed article and the key columns of each group."""

    codes: np.ndarray
    keys: pd.DataFrame | None
    undated: int | None = None

    @property
    def size(self) -> int:
        return 1 if self.keys is None else len(self.keys)


def _by_list(by) -> list[str]:
    if isinstance(by, str):
        return [by]
    if isinstance(by, Sequence) and by and all(isinstance(c, str) for c in by):
        return list(by)
    raise ValueError(f"by must be None, a column name or a list of column names; got {by!r}")


def resolve_groups(frame: pd.DataFrame, by, freq: str | None) -> Groups:
    """Number the groups that ``by`` (and ``freq`` for a date column) makes of ``frame``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The analysed articles.
    by : None, str or list of str
        Grouping columns.
    freq : {"D", "W", "M", "Q", "Y"} or None
        Period applied to the one datetime column of ``by``; that column becomes
        ``period`` (the period start). Missing values form their own group.

    Returns
    -------
    Groups
    """
    if by is None:
        if freq is not None:
            raise ValueError("freq needs a date column in by (e.g. by='date', freq='M')")
        return Groups(np.zeros(len(frame), dtype=np.int64), None)
    columns = _by_list(by)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"by column(s) {missing} not in the articles; columns are {list(frame.columns)}"
        )
    reserved = sorted(_RESERVED.intersection(columns))
    if reserved:
        raise ValueError(f"by cannot use {reserved}: those names are output columns")
    keys = frame[columns].reset_index(drop=True)
    listed = [
        c for c in columns if keys[c].dtype == object and any(isinstance(v, list) for v in keys[c])
    ]
    if listed:
        raise ValueError(f"by column(s) {listed} hold lists: explode them first (frame.explode)")
    undated = None
    if freq is not None:
        check_freq(freq)
        dated = [c for c in columns if pd.api.types.is_datetime64_any_dtype(keys[c])]
        if len(dated) != 1:
            raise ValueError(f"freq={freq!r} needs exactly one datetime column in by, got {dated}")
        periods = period_start(keys[dated[0]], freq)
        undated = int(periods.isna().sum())
        if undated:
            logger.info("%d article(s) have no %s; they form the NaT period", undated, dated[0])
        keys = keys.assign(**{dated[0]: periods}).rename(columns={dated[0]: "period"})
    codes = keys.groupby(list(keys.columns), sort=True, dropna=False).ngroup().to_numpy()
    first = pd.Series(np.arange(len(codes))).groupby(codes).min().to_numpy()
    return Groups(codes.astype(np.int64), keys.iloc[first].reset_index(drop=True), undated)


# ---------------------------------------------------------------------------
# Counting


def stream_ngrams(
    stream: TokenStream, options: TokenOptions
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (document, term id, terms) for every n-gram of ``options.ngram`` in ``stream``.

    ``stream`` must be without stopwords. Ids of different sizes share one
    numbering; ``terms[id]`` is the term.
    """
    docs, ids, names = [], [], []
    offset = 0
    for n in range(options.ngram[0], options.ngram[1] + 1):
        starts = ngram_starts(stream, n, padding=options.padding)
        if n == 1:
            found, vocab = stream.term[starts], stream.terms
        else:
            found, vocab = ngram_ids(stream, starts, n)
        docs.append(stream.doc[starts])
        ids.append(found + offset)
        names.append(vocab)
        offset += len(vocab)
    terms = np.concatenate(names) if names else np.empty(0, dtype=object)
    return np.concatenate(docs), np.concatenate(ids), terms


def count_matrix(
    texts: Sequence[str],
    options: TokenOptions,
    *,
    groups: np.ndarray,
    n_groups: int,
    languages: Sequence | None = None,
    progress: bool = True,
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Count the terms of ``texts`` per group.

    Parameters
    ----------
    texts : sequence of str
        One text per document.
    options : TokenOptions
        Tokenizer options.
    groups : numpy.ndarray
        Group number of each document.
    n_groups : int
        Number of groups.
    languages : sequence of str, optional
        Language code of each document (``stopwords="auto"``).
    progress : bool
        Progress bar for long inputs.

    Returns
    -------
    (matrix, terms)
        ``matrix[g, t]`` is how often term ``t`` occurs in group ``g`` (int64
        CSR, canonical: sorted indices, no duplicates or explicit zeros);
        ``terms[t]`` is the term.
    """
    if options.ngram == (1, 1):
        group, term, count, vocab = unigram_counts(
            texts, options, groups=groups, n_groups=n_groups, languages=languages, progress=progress
        )
        terms = np.empty(len(vocab), dtype=object)
        terms[:] = list(vocab)
    else:
        stream = token_stream(texts, options, languages=languages, progress=progress)
        doc, term, terms = stream_ngrams(stream.without_stopwords(), options)
        group, count = groups[doc], np.ones(len(doc), dtype=np.int64)
    matrix = sparse.csr_matrix(
        (count.astype(np.int64), (group, term)), shape=(n_groups, len(terms)), dtype=np.int64
    )
    matrix.sum_duplicates()
    matrix.eliminate_zeros()
    return matrix, terms


def term_rank(terms: np.ndarray) -> np.ndarray:
    """Return each term's position in sorted (code point) order."""
    import pyarrow.compute as pc

    # Arrow sorts UTF-8 bytes, which is code point order, like Python's str.
    order = pc.sort_indices(arrow_strings(terms)).to_numpy()
    rank = np.empty(len(terms), dtype=np.int64)
    rank[order] = np.arange(len(terms))
    return rank


def matrix_entries(matrix: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (row, column, value) of the stored entries of a CSR matrix."""
    rows = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))
    return rows, matrix.indices.astype(np.int64), matrix.data


def str_series(values) -> pd.Series:
    """A string column (pandas ``str`` dtype) from any sequence."""
    return pd.Series(values, dtype="str")


def term_table(
    matrix: sparse.csr_matrix,
    terms: np.ndarray,
    keys: pd.DataFrame | None,
    *,
    min_count: int = 1,
) -> pd.DataFrame:
    """Write a count matrix as a term table.

    Parameters
    ----------
    matrix : scipy.sparse.csr_matrix
        Group x term counts.
    terms : numpy.ndarray
        Term of each column.
    keys : pandas.DataFrame or None
        Group columns, one row per matrix row (None: one group, no columns).
    min_count : int
        Leave out terms counted fewer times in their group.

    Returns
    -------
    pandas.DataFrame
        ``[group columns...]``, ``term``, ``count`` (int64), ``proportion``
        (count / the group's total over the rows kept, so each group sums to 1);
        sorted by group, then ``-count``, then ``term``.
    """
    rows, cols, counts = matrix_entries(matrix)
    keep = counts >= min_count
    rows, cols, counts = rows[keep], cols[keep], counts[keep]
    totals = np.bincount(rows, weights=counts, minlength=matrix.shape[0])
    order = np.lexsort((term_rank(terms)[cols], -counts, rows))
    rows, cols, counts = rows[order], cols[order], counts[order]
    out = {} if keys is None else {c: keys[c].iloc[rows].reset_index(drop=True) for c in keys}
    out["term"] = str_series(terms[cols])
    out["count"] = pd.Series(counts, dtype="int64")
    out["proportion"] = pd.Series(counts / totals[rows] if len(rows) else [], dtype="float64")
    return pd.DataFrame(out)


