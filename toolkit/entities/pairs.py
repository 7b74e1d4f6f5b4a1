"""Who is named with whom: entity pairs per window, with association measures.

Windows
-------
``"sentence"`` / ``"paragraph"`` / ``"article"``
    The sentences, paragraphs or articles that hold at least one mention.
``k`` (a positive int)
    Token windows: every mention opens a window holding itself and the mentions
    that start at most ``k`` word tokens after it (a word token is a ``\\w+``
    run of the article text; a mention sits at the token its first character
    is in). So two mentions co-occur when they start within ``k`` tokens of
    each other, and a pair counts once per window, i.e. once per mention that
    opens a window holding both. Needs ``articles=`` to count tokens.

For every window kind, the windows are the rows of a sparse binary incidence
matrix X (windows x entities); ``X.T @ X`` gives the number of windows holding
each pair (off the diagonal) and each entity (on it). Measures use N, the
number of windows:

- ``pmi`` = log2(c_ab N / (c_a c_b)); ``npmi`` = pmi / -log2(c_ab / N) (1 when c_ab = N);
- ``g2``: Dunning's log-likelihood ratio of the 2x2 table of windows
  (with/without a x with/without b), **signed by direction**: positive when the
  two are named together more often than their frequencies predict (c_ab N >
  c_a c_b), negative when less (China and Hangzhou named apart). G² itself is
  two-sided; the sign makes "largest first" mean "most associated", as the
  other measures do;
- ``jaccard`` = c_ab / (c_a + c_b - c_ab); ``dice`` = 2 c_ab / (c_a + c_b).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from toolkit import addons
from toolkit.entities.labels import resolve_labels
from toolkit.schema import string_ids, usable_articles, with_string_ids
from toolkit.vocab import (
    Freq,
    WindowKind,
    check_freq,
    check_positive_int,
    check_window,
)

logger = logging.getLogger(__name__)

PAIR_COLUMNS = [
    "entity_a",
    "entity_b",
    "label_a",
    "label_b",
    "count",
    "n_articles",
    "pmi",
    "npmi",
    "g2",
    "jaccard",
    "dice",
]
_NEEDED = ("article_id", "paragraph", "sentence", "start", "end", "label", "entity")
_TOKEN = re.compile(r"\w+")


def select_labels(mentions: pd.DataFrame, labels: Sequence[str] | str | None) -> pd.DataFrame:
    """Rows of ``mentions`` whose label is in ``labels`` ("PLACE" also matches GPE and LOC)."""
    if labels is None:
        return mentions
    wanted = {labels} if isinstance(labels, str) else set(labels)
    if "PLACE" in wanted:
        wanted |= {"GPE", "LOC"}
    return mentions[mentions["label"].isin(wanted)]


def check_mentions(mentions: pd.DataFrame) -> None:
    if not isinstance(mentions, pd.DataFrame):
        raise ValueError(f"expected a mentions DataFrame, got {type(mentions).__name__}")
    missing = [c for c in _NEEDED if c not in mentions.columns]
    if missing:
        raise ValueError(f"mentions frame lacks column(s) {missing} (see extract_entities)")


@dataclass
class Windows:
    """Which mentions each window holds.

    Attributes
    ----------
    window : np.ndarray
        Window number of each membership (0 .. n_windows-1).
    row : np.ndarray
        Position (0-based, in the mentions frame given) of the member mention.
    article : np.ndarray
        Article code (into ``article_ids``) of each window.
    anchor : np.ndarray
        Position of the mention that identifies each window (its first mention).
    article_ids : np.ndarray
        The article ids, by code.
    """

    window: np.ndarray
    row: np.ndarray
    article: np.ndarray
    anchor: np.ndarray
    article_ids: np.ndarray

    @property
    def n_windows(self) -> int:
        return len(self.article)


def _token_positions(
    mentions: pd.DataFrame, ids: np.ndarray, articles: pd.DataFrame, text_col: str
) -> np.ndarray:
    """Index (within its article) of the word token holding each mention's first character."""
    usable = usable_articles(articles, text_col=text_col)
    texts = dict(zip(usable["article_id"], usable[text_col], strict=True))
    positions = np.zeros(len(mentions), dtype=np.int64)
    starts = mentions["start"].to_numpy(dtype=np.int64)
    for article_id, rows in pd.Series(ids).groupby(ids, sort=False).indices.items():
        text = texts.get(article_id)
        if not isinstance(text, str):
            raise ValueError(f"article {article_id!r} of the mentions is not in articles")
        token_starts = np.fromiter((m.start() for m in _TOKEN.finditer(text)), dtype=np.int64)
        found = np.searchsorted(token_starts, starts[rows], side="right") - 1
        positions[rows] = np.clip(found, 0, None)
    return positions


def windows_of(
    mentions: pd.DataFrame,
    window: WindowKind | int,
    *,
    articles: pd.DataFrame | None = None,
    text_col: str = "text",
) -> Windows:
    """Assign the mentions to windows (the definition shared by co-occurrence and evidence).

    Parameters
    ----------
    mentions : pandas.DataFrame
        A mentions frame.
    window : {"sentence", "paragraph", "article"} or int
        See the module docstring.
    articles : pandas.DataFrame, optional
        Needed for token windows (int ``window``).
    text_col : str
        Text column of ``articles``.

    Returns
    -------
    Windows
    """
    window = check_window(window)
    # Mentions read back from a file may carry numeric ids; articles are keyed by str.
    # (factorized as a Series: Arrow-backed strings stay fast)
    ids = string_ids(mentions["article_id"])
    article_codes, article_ids = pd.factorize(ids, sort=False)
    article_codes = article_codes.astype(np.int64)
    if isinstance(window, int):
        if articles is None:
            raise ValueError("a token window (int) needs articles= to count the tokens")
        return _token_windows(
            article_codes,
            _token_positions(mentions, ids.to_numpy(), articles, text_col),
            window,
            np.asarray(article_ids),
        )
    if window == "article":
        keys = article_codes
    else:
        inner = mentions[window].to_numpy(dtype=np.int64)
        keys = article_codes * (int(inner.max(initial=0)) + 1) + inner
    codes = _group_codes(keys)
    anchor = np.full(int(codes.max(initial=-1)) + 1, -1, dtype=np.int64)
    anchor[codes[::-1]] = np.arange(len(codes))[::-1]
    return Windows(
        codes,
        np.arange(len(codes), dtype=np.int64),
        article_codes[anchor],
        anchor,
        np.asarray(article_ids),
    )


def _group_codes(keys: np.ndarray) -> np.ndarray:
    """Number the distinct keys in order of appearance (a running count when already sorted)."""
    if len(keys) and np.all(keys[1:] >= keys[:-1]):
        codes = np.zeros(len(keys), dtype=np.int64)
        np.cumsum(keys[1:] != keys[:-1], out=codes[1:])
        return codes
    return pd.factorize(keys, sort=False)[0].astype(np.int64)


def _token_windows(
    article: np.ndarray, position: np.ndarray, k: int, article_ids: np.ndarray
) -> Windows:
    order = np.lexsort((position, article))
    key = article[order] * (int(position.max(initial=0)) + k + 2) + position[order]
    last = np.searchsorted(key, key + k, side="right")
    sizes = last - np.arange(len(key))
    window = np.repeat(np.arange(len(key), dtype=np.int64), sizes)
    step = np.arange(len(window), dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    members = order[window + step]
    return Windows(window, members, article[order], order, article_ids)


def _incidence(windows: Windows, entity_codes: np.ndarray, n_entities: int) -> sparse.csr_matrix:
    data = np.ones(len(windows.window), dtype=np.int32)
    matrix = sparse.csr_matrix(
        (data, (windows.window, entity_codes[windows.row])),
        shape=(windows.n_windows, n_entities),
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1
    matrix.sort_indices()
    return matrix


def _pair_occurrences(matrix: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of every window: (window, a, b) with a < b, listed without Python loops.

    Each stored entry of a CSR row is paired with each later entry of the same
    row (column indices are sorted, so a < b).
    """
    row_of = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))
    after = matrix.indptr[1:][row_of] - np.arange(matrix.nnz) - 1
    left = np.repeat(np.arange(matrix.nnz, dtype=np.int64), after)
    right = left + 1 + np.arange(len(left), dtype=np.int64)
    right -= np.repeat(np.cumsum(after) - after, after)
    return row_of[left], matrix.indices[left], matrix.indices[right]


def _repeated_entries(matrix: sparse.csr_matrix, window_article: np.ndarray) -> sparse.csr_matrix:
    """The entries of X whose entity is in two or more windows of the same article."""
    if np.all(window_article[1:] >= window_article[:-1]):
        return _repeated_entries_ordered(matrix, window_article)
    row_of = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))
    key = window_article[row_of] * matrix.shape[1] + matrix.indices
    codes, uniques = pd.factorize(key)
    repeated = (np.bincount(codes, minlength=len(uniques)) >= 2)[codes]
    kept = sparse.csr_matrix(
        (matrix.data[repeated], (row_of[repeated], matrix.indices[repeated])), shape=matrix.shape
    )
    kept.sort_indices()
    return kept


def _repeated_entries_ordered(
    matrix: sparse.csr_matrix, window_article: np.ndarray
) -> sparse.csr_matrix:
    """:func:`_repeated_entries` when the windows are numbered article by article (4x faster).

    In X transposed each entity's windows are sorted, so the windows of one
    article are neighbours: an entry is repeated when a neighbour in its row
    has the same article.
    """
    by_entity = matrix.T.tocsr()
    by_entity.sort_indices()
    entity = np.repeat(np.arange(by_entity.shape[0], dtype=np.int64), np.diff(by_entity.indptr))
    article = window_article[by_entity.indices]
    same = (article[1:] == article[:-1]) & (entity[1:] == entity[:-1])
    repeated = np.zeros(by_entity.nnz, dtype=bool)
    repeated[1:] |= same
    repeated[:-1] |= same
    kept = sparse.csr_matrix(
        (by_entity.data[repeated], (by_entity.indices[repeated], entity[repeated])),
        shape=matrix.shape,
    )
    kept.sort_indices()
    return kept


def _articles_per_pair(
    matrix: sparse.csr_matrix,
    window_article: np.ndarray,
    upper: sparse.csr_matrix,
) -> np.ndarray:
    """Articles with a window holding each pair, for the stored pairs of ``upper`` (CSR order).

    n_articles = count - sum over articles of (windows of the article holding
    both - 1). A pair is in two windows of an article only if both entities
    are, so only the pairs of such repeated entries are listed (vectorised),
    keyed (pair, article) in one int64 and sorted to count them per article.
    """
    n_entities = matrix.shape[1]
    n_articles = int(window_article.max(initial=0)) + 1
    count = upper.data.astype(np.int64)
    window, a, b = _pair_occurrences(_repeated_entries(matrix, window_article))
    if not len(window):
        return count
    pair = a.astype(np.int64) * n_entities + b
    codes, pairs = pd.factorize(pair, sort=True)
    key = np.sort(codes.astype(np.int64) * n_articles + window_article[window])
    first = np.ones(len(key), dtype=bool)
    np.not_equal(key[1:], key[:-1], out=first[1:])
    # Each occurrence beyond the first of its (pair, article) is one window too many.
    extra = np.bincount(key[~first] // n_articles, minlength=len(pairs))
    rows = np.repeat(np.arange(upper.shape[0], dtype=np.int64), np.diff(upper.indptr))
    position = np.searchsorted(rows * n_entities + upper.indices, pairs)
    count[position] -= extra
    return count


def _xlogx(x: np.ndarray) -> np.ndarray:
    """x ln x for whole counts x >= 0 (0 ln 0 = 0)."""
    return x * np.log(np.maximum(x, 1.0))


def association(
    c_ab: np.ndarray, c_a: np.ndarray, c_b: np.ndarray, n: int
) -> dict[str, np.ndarray]:
    """Return pmi, npmi, g2, jaccard and dice for window counts (see the module docstring)."""
    c_ab, c_a, c_b = (np.asarray(x, dtype=np.float64) for x in (c_ab, c_a, c_b))
    n = float(n)
    pmi = np.log2(c_ab * n / (c_a * c_b))
    denominator = -np.log2(c_ab / n)
    safe = np.where(denominator > 0, denominator, 1.0)
    npmi = np.where(denominator > 0, pmi / safe, 1.0)
    # G2 = 2 (sum of k ln k over the 4 cells - over the 4 margins + N ln N).
    cells = _xlogx(c_ab) + _xlogx(c_a - c_ab) + _xlogx(c_b - c_ab) + _xlogx(n - c_a - c_b + c_ab)
    margins = _xlogx(c_a) + _xlogx(n - c_a) + _xlogx(c_b) + _xlogx(n - c_b)
    g2 = np.clip(2 * (cells - margins + n * np.log(n)), 0, None)
    fewer = c_ab * n < c_a * c_b  # named together less often than chance
    union = c_a + c_b
    return {
        "pmi": pmi,
        "npmi": npmi,
        "g2": np.where(fewer, -g2, g2),
        "jaccard": c_ab / (union - c_ab),
        "dice": 2 * c_ab / union,
    }


def _label_counts(
    entity_codes: np.ndarray, n_entities: int, labels: pd.Series
) -> tuple[np.ndarray, np.ndarray]:
    """Mentions of each entity code with each label (entities x labels) and the sorted labels."""
    label_codes, names = pd.factorize(labels, sort=True)
    counts = np.bincount(
        entity_codes * len(names) + label_codes, minlength=n_entities * len(names)
    ).reshape(n_entities, len(names))
    return counts.astype(np.int64), np.asarray(names, dtype=object)


def _top_labels(counts: np.ndarray, names: np.ndarray) -> pd.Series:
    """Most frequent label per row of ``counts`` (ties: alphabetical), as a str Series."""
    if not counts.size:  # no entities (argmax has nothing to choose from)
        return pd.Series([], dtype="str")
    return pd.Series(names[counts.argmax(axis=1)], dtype="str")


def _labels_by_code(entity_codes: np.ndarray, n_entities: int, labels: pd.Series) -> pd.Series:
    """Most frequent label per entity code (ties: alphabetical), as a str Series by code."""
    return _top_labels(*_label_counts(entity_codes, n_entities, labels))


def entity_labels(mentions: pd.DataFrame) -> pd.Series:
    """The label of each entity: the most frequent among its mentions (ties: alphabetical).

    Returns
    -------
    pandas.Series
        Entity name (sorted) -> label.
    """
    entity_codes, entities = pd.factorize(mentions["entity"], sort=True)
    labels = _labels_by_code(entity_codes, len(entities), mentions["label"])
    return pd.Series(
        labels.to_numpy(), index=pd.Index(entities, name="entity"), dtype="str", name="label"
    )


def _empty_pairs() -> pd.DataFrame:
    dtypes = {"count": "int64", "n_articles": "int64"}
    return pd.DataFrame(
        {
            c: pd.Series(
                [], dtype=dtypes.get(c, "str" if c.startswith(("entity", "label")) else "float64")
            )
            for c in PAIR_COLUMNS
        }
    )


@dataclass
class PairCounts:
    """Co-occurrence counts of some whole articles, before the measures.

    Counts of disjoint sets of articles add up (:func:`combine_pair_counts`),
    so a corpus can be counted in parts (e.g. the partitions of a Dask frame)
    and measured once on the totals (:func:`pairs_table`). Every entity and
    label code indexes the sorted names, so merging only renumbers.

    Attributes
    ----------
    entities : numpy.ndarray
        Entity names, sorted (object array of str).
    windows : numpy.ndarray
        Windows holding each entity (int64, by entity code).
    labels : numpy.ndarray
        Label names, sorted (object array of str).
    label_counts : numpy.ndarray
        Mentions of each entity with each label (int64, entities x labels).
    a, b : numpy.ndarray
        Entity codes of each pair, ``a < b``, sorted by ``(a, b)``.
    count : numpy.ndarray
        Windows holding both entities of each pair (int64).
    n_articles : numpy.ndarray
        Articles with such a window (int64).
    n_windows : int
        Number of windows.
    """

    entities: np.ndarray
    windows: np.ndarray
    labels: np.ndarray
    label_counts: np.ndarray
    a: np.ndarray
    b: np.ndarray
    count: np.ndarray
    n_articles: np.ndarray
    n_windows: int

    @classmethod
    def empty(cls) -> PairCounts:
        """Counts of no mentions."""
        none = np.zeros(0, dtype=np.int64)
        names = np.zeros(0, dtype=object)
        return cls(names, none, names, np.zeros((0, 0), np.int64), none, none, none, none, 0)


def pair_counts(
    mentions: pd.DataFrame,
    *,
    window: WindowKind | int = "sentence",
    labels: Sequence[str] | str | None = None,
    articles: pd.DataFrame | None = None,
    text_col: str = "text",
) -> PairCounts:
    """Count windows, entities and pairs of ``mentions`` (every mention of an article in it).

    Parameters
    ----------
    mentions : pandas.DataFrame
        A mentions frame holding all the mentions of each of its articles.
    window, labels, articles, text_col
        As in :func:`cooccurrence` (checked there).

    Returns
    -------
    PairCounts
    """
    selected = select_labels(mentions, labels)  # rows are used by position below
    if selected.empty:
        return PairCounts.empty()
    entity_codes, entities = pd.factorize(selected["entity"], sort=True)
    entity_codes = entity_codes.astype(np.int64)
    windows = windows_of(selected, window, articles=articles, text_col=text_col)
    matrix = _incidence(windows, entity_codes, len(entities))
    product = (matrix.T @ matrix).tocsr()
    upper = sparse.triu(product, k=1, format="csr")
    upper.sort_indices()
    count = upper.data.astype(np.int64)
    if window == "article":
        n_articles = count.copy()
    else:
        n_articles = _articles_per_pair(matrix, windows.article, upper)
    label_counts, label_names = _label_counts(entity_codes, len(entities), selected["label"])
    return PairCounts(
        entities=np.asarray(entities, dtype=object),
        windows=product.diagonal().astype(np.int64),
        labels=label_names,
        label_counts=label_counts,
        a=np.repeat(np.arange(upper.shape[0], dtype=np.int64), np.diff(upper.indptr)),
        b=upper.indices.astype(np.int64),
        count=count,
        n_articles=n_articles.astype(np.int64),
        n_windows=windows.n_windows,
    )


def _union(names: Sequence[np.ndarray]) -> tuple[list[np.ndarray], np.ndarray]:
    """Sorted union of sorted name arrays, and each array's codes into it."""
    codes, union = pd.factorize(np.concatenate(names), sort=True)
    cuts = np.cumsum([len(n) for n in names])[:-1]
    return np.split(codes.astype(np.int64), cuts), np.asarray(union, dtype=object)


def combine_pair_counts(parts: Sequence[PairCounts]) -> PairCounts:
    """Add up the counts of disjoint sets of articles.

    Parameters
    ----------
    parts : sequence of PairCounts
        Counts of mentions of different articles (an article's windows must
        all be in one part, or its pairs' ``n_articles`` would count it twice).

    Returns
    -------
    PairCounts
        The counts of all the parts' mentions together.
    """
    parts = [p for p in parts if len(p.entities)]
    if len(parts) <= 1:
        return parts[0] if parts else PairCounts.empty()
    entity_codes, entities = _union([p.entities for p in parts])
    label_codes, labels = _union([p.labels for p in parts])
    windows = np.zeros(len(entities), dtype=np.int64)
    label_counts = np.zeros((len(entities), len(labels)), dtype=np.int64)
    keys = []
    for part, codes, label_code in zip(parts, entity_codes, label_codes, strict=True):
        windows[codes] += part.windows  # codes are distinct within a part
        label_counts[np.ix_(codes, label_code)] += part.label_counts
        keys.append(codes[part.a] * len(entities) + codes[part.b])
    key = np.concatenate(keys)
    order = np.argsort(key, kind="stable")
    key = key[order]
    first = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1]))) if len(key) else key

    def total(values: list[np.ndarray]) -> np.ndarray:
        joined = np.concatenate(values)[order]
        return np.add.reduceat(joined, first) if len(joined) else joined

    return PairCounts(
        entities=entities,
        windows=windows,
        labels=labels,
        label_counts=label_counts,
        a=key[first] // len(entities),
        b=key[first] % len(entities),
        count=total([p.count for p in parts]),
        n_articles=total([p.n_articles for p in parts]),
        n_windows=sum(p.n_windows for p in parts),
    )


def pairs_table(
    counts: PairCounts,
    *,
    window: WindowKind | int = "sentence",
    labels: Sequence[str] | str | None = None,
    min_count: int = 1,
) -> pd.DataFrame:
    """Write counts as the pairs frame, with the association measures of the totals.

    Parameters
    ----------
    counts : PairCounts
        Counts of the whole corpus (:func:`pair_counts`, :func:`combine_pair_counts`).
    window, labels, min_count
        As in :func:`cooccurrence`; ``window`` and ``labels`` only go to ``attrs``.

    Returns
    -------
    pandas.DataFrame
        The pairs frame of :func:`cooccurrence`.
    """
    attrs = {
        "window": window,
        "n_windows": counts.n_windows,
        "labels": None if labels is None else list(np.atleast_1d(labels)),
        "min_count": min_count,
    }
    if not len(counts.entities):
        out = _empty_pairs()
        out.attrs = attrs
        return out
    keep = counts.count >= min_count
    a, b, count, n_articles = (
        x[keep] for x in (counts.a, counts.b, counts.count, counts.n_articles)
    )
    # Pairs are in (a, b) order and entity codes follow name order: a stable sort by count suffices.
    order = np.argsort(-count, kind="stable")
    a, b, count, n_articles = a[order], b[order], count[order], n_articles[order]
    names = pd.Series(counts.entities, dtype="str")
    labels_of = _top_labels(counts.label_counts, counts.labels)
    out = pd.DataFrame(
        {
            "entity_a": names.take(a).reset_index(drop=True),
            "entity_b": names.take(b).reset_index(drop=True),
            "label_a": labels_of.take(a).reset_index(drop=True),
            "label_b": labels_of.take(b).reset_index(drop=True),
            "count": count,
            "n_articles": n_articles,
            **association(count, counts.windows[a], counts.windows[b], counts.n_windows),
        }
    )
    out.attrs = attrs
    return out


def cooccurrence(
    mentions: pd.DataFrame,
    *,
    window: WindowKind | int = "sentence",
    labels: Sequence[str] | str | None = None,
    min_count: int = 1,
    articles: pd.DataFrame | None = None,
    text_col: str = "text",
) -> pd.DataFrame:
    """Count the windows in which each pair of entities is named together.

    Parameters
    ----------
    mentions : pandas.DataFrame, dask.dataframe.DataFrame, str or Path
        The mentions frame (``extract_entities``). A Dask frame (or the path
        of Parquet mentions) is counted partition by partition on Dask's
        current scheduler and gives the same frame as pandas on its computed
        rows (see :func:`toolkit.dask.scale.dask_cooccurrence`).
    window : {"sentence", "paragraph", "article"} or int
        The unit of co-occurrence; an int ``k`` means mentions starting within
        ``k`` word tokens (see the module docstring).
    labels : sequence of str, optional
        Only entities with these labels ("PLACE" also matches GPE and LOC; any
        case, see :func:`toolkit.entities.resolve_labels`). A label neither in
        the mentions nor known (spaCy's, "PLACE", "NE") is a ``ValueError``.
    min_count : int
        Keep pairs named together in at least this many windows.
    articles : pandas.DataFrame, optional
        The articles frame; needed for token windows.
    text_col : str
        Text column of ``articles``.

    Returns
    -------
    pandas.DataFrame
        Columns ``entity_a``, ``entity_b`` (``entity_a < entity_b``), ``label_a``,
        ``label_b``, ``count`` (windows holding both; a window counts a pair
        once; no self-pairs), ``n_articles`` (articles with such a window),
        ``pmi``, ``npmi``, ``g2`` (signed: negative when named together less
        often than chance), ``jaccard``, ``dice``; sorted by count
        descending, then entity_a, entity_b. ``attrs``: ``window``,
        ``n_windows``, ``labels``, ``min_count``.
    """
    if addons.is_partitioned(mentions):  # a Dask frame or a Parquet dataset: partial sums
        return addons.handler_for(mentions, "cooccurrence").cooccurrence(
            mentions,
            window=window,
            labels=resolve_labels(labels, strict=False),  # the labels present are not known
            min_count=min_count,
            articles=articles,
            text_col=text_col,
        )
    check_mentions(mentions)
    window = check_window(window)
    check_positive_int("min_count", min_count)
    labels = _labels_of(mentions, labels)
    counts = pair_counts(
        mentions, window=window, labels=labels, articles=articles, text_col=text_col
    )
    return pairs_table(counts, window=window, labels=labels, min_count=min_count)


def _labels_of(mentions: pd.DataFrame, labels: Sequence[str] | str | None) -> tuple | None:
    """``labels`` as the mentions spell them; a label neither present nor known is an error."""
    return resolve_labels(labels, extra=mentions["label"].dropna().unique())


def cooccurrence_by_period(
    mentions: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    freq: Freq = "M",
    window: WindowKind | int = "sentence",
    labels: Sequence[str] | str | None = None,
    min_count: int = 1,
    text_col: str = "text",
) -> pd.DataFrame:
    """Co-occurrence pairs per time period (by the article date), to compare networks over time.

    Parameters
    ----------
    mentions : pandas.DataFrame
        The mentions frame.
    articles : pandas.DataFrame
        The articles frame (``article_id``, ``date``; ``text_col`` for token windows).
    freq : {"D", "W", "M", "Q", "Y"}
        Period length: day, week (starting Monday), month, quarter, year.
    window, labels, min_count, text_col
        As in :func:`cooccurrence` (measures are computed within each period).

    Returns
    -------
    pandas.DataFrame
        Columns ``period`` (Timestamp, the period's start) then the pairs
        columns of :func:`cooccurrence`; sorted by period, then count
        descending. ``attrs``: ``window``, ``freq``, ``labels``, ``min_count``,
        ``undated_articles`` (articles with mentions but no date, left out).
    """
    check_mentions(mentions)
    check_freq(freq)
    window = check_window(window)
    check_positive_int("min_count", min_count)
    labels = _labels_of(mentions, labels)
    if "article_id" not in articles.columns or "date" not in articles.columns:
        raise ValueError("articles frame lacks the 'article_id' or 'date' column")
    dates = with_string_ids(articles[["article_id", "date"]]).set_index("article_id")["date"]
    # reindex, not map: it keeps the datetime dtype when no article is given
    ids = string_ids(mentions["article_id"])
    mention_dates = pd.Series(
        pd.to_datetime(dates, errors="coerce").reindex(ids).to_numpy(), index=mentions.index
    )
    undated = mentions.loc[mention_dates.isna(), "article_id"].nunique()
    periods = mention_dates.dt.to_period(freq).dt.start_time
    frames = []
    for period, group in mentions.groupby(periods, sort=True):
        counts = pair_counts(
            group, window=window, labels=labels, articles=articles, text_col=text_col
        )
        pairs = pairs_table(counts, window=window, labels=labels, min_count=min_count)
        frames.append(pairs.assign(period=period))
    columns = ["period", *PAIR_COLUMNS]
    if frames:
        out = pd.concat(frames, ignore_index=True)[columns]
    else:
        out = _empty_pairs().assign(period=pd.Series([], dtype="datetime64[ns]"))[columns]
    out.attrs = {
        "window": window,
        "freq": freq,
        "labels": None if labels is None else list(labels),
        "min_count": min_count,
        "undated_articles": int(undated),
    }
    return out
