"""Term weights per article: ``tfidf``.

The defaults reproduce scikit-learn's ``TfidfVectorizer`` (``norm="l2"``,
``use_idf=True``, ``smooth_idf=True``, ``sublinear_tf=False``) on the same
terms, so weights can be compared with work done there.
"""

from __future__ import annotations

import logging
from typing import Literal, Unpack, get_args

import numpy as np
import pandas as pd
from scipy import sparse

from toolkit.text.termtable import corpus, count_matrix, matrix_entries, str_series, term_rank
from toolkit.text.tokens.tokenizer import StopwordSpec, TokenKwargs, document_options, token_options
from toolkit.vocab import check_choice

logger = logging.getLogger(__name__)

Norm = Literal["l2", "l1", "none"]
NORMS: tuple[str, ...] = get_args(Norm)
TFIDF_COLUMNS: tuple[str, ...] = ("article_id", "term", "count", "tf", "idf", "tfidf")


def idf_weights(
    df: np.ndarray, n_docs: int, *, smooth_idf: bool = True, use_idf: bool = True
) -> np.ndarray:
    """Return the inverse document frequency of terms found in ``df`` documents.

    ``ln((1 + n) / (1 + df)) + 1`` with ``smooth_idf`` (as if one extra
    document held every term once), ``ln(n / df) + 1`` without, and 1 when
    ``use_idf`` is False.
    """
    if not use_idf:
        return np.ones(len(df), dtype=np.float64)
    if smooth_idf:
        return np.log((1.0 + n_docs) / (1.0 + df)) + 1.0
    return np.log(n_docs / df) + 1.0


def _check_df(min_df, max_df) -> None:
    if isinstance(min_df, bool) or not isinstance(min_df, (int, np.integer)) or min_df < 1:
        raise ValueError(f"min_df must be an integer >= 1 (documents), got {min_df!r}")
    if isinstance(max_df, bool) or not isinstance(max_df, (int, float)) or not 0 < max_df <= 1:
        raise ValueError(f"max_df must be a proportion in (0, 1], got {max_df!r}")


def _weights(
    counts: sparse.csr_matrix, *, norm: str, use_idf: bool, smooth_idf: bool, sublinear_tf: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows, cols, values = matrix_entries(counts)
    tf = values.astype(np.float64)
    if sublinear_tf:
        tf = 1.0 + np.log(tf)
    df = np.bincount(cols, minlength=counts.shape[1])
    idf = idf_weights(df, counts.shape[0], smooth_idf=smooth_idf, use_idf=use_idf)[cols]
    weight = tf * idf
    if norm != "none":
        size = np.abs(weight) if norm == "l1" else weight * weight
        total = np.bincount(rows, weights=size, minlength=counts.shape[0])
        if norm == "l2":
            total = np.sqrt(total)
        weight = weight / np.where(total > 0, total, 1.0)[rows]
    return tf, idf, weight


@document_options
def tfidf(
    articles: pd.DataFrame,
    *,
    text_col: str = "text",
    ngram: int | tuple[int, int] = 1,
    stopwords: StopwordSpec = "english",
    norm: Norm = "l2",
    use_idf: bool = True,
    smooth_idf: bool = True,
    sublinear_tf: bool = False,
    min_df: int = 1,
    max_df: float = 1.0,
    progress: bool = True,
    **token_kwargs: Unpack[TokenKwargs],
) -> pd.DataFrame:
    """Weigh each article's terms by tf-idf.

    For term t in article d of n articles: ``tf`` is the count of t in d
    (``1 + ln(count)`` with ``sublinear_tf``); ``idf = ln((1 + n) / (1 + df)) + 1``
    where ``df`` is the number of articles holding t (``ln(n / df) + 1``
    without ``smooth_idf``; 1 without ``use_idf``); ``tfidf = tf * idf``, then
    divided by the article's l2 norm (or l1, or not at all). These are
    scikit-learn's ``TfidfVectorizer`` formulas and defaults.

    Parameters
    ----------
    articles : pandas.DataFrame
        Articles frame; the usable rows are weighed (status ``ok`` when there
        is a status, some text).
    text_col : str
        Column holding the text.
    {ngram_stopwords}
    {token_kwargs}
    norm : {"l2", "l1", "none"}, default "l2"
        Normalisation of each article's vector.
    use_idf, smooth_idf, sublinear_tf : bool
        As in scikit-learn (see above).
    min_df : int, default 1
        Leave out terms found in fewer articles (before normalising).
    max_df : float, default 1.0
        Leave out terms found in more than this share of the articles.
    progress : bool, default True
        Show a progress bar on long inputs.

    Returns
    -------
    pandas.DataFrame
        Columns ``article_id`` (str), ``term`` (str), ``count`` (int64), ``tf``,
        ``idf``, ``tfidf`` (float64); one row per term of each article, articles
        in frame order, then by ``-tfidf``, ``-count``, ``term``.

    Raises
    ------
    ValueError
        For a bad ``norm``, ``min_df``, ``max_df``, ``ngram`` or tokenizer option.
    """
    check_choice("norm", norm, NORMS)
    _check_df(min_df, max_df)
    options = token_options(ngram=ngram, stopwords=stopwords, **token_kwargs)
    texts = corpus(articles, text_col=text_col)
    n_docs = len(texts)
    counts, terms = count_matrix(
        texts.texts,
        options,
        groups=np.arange(n_docs, dtype=np.int64),
        n_groups=n_docs,
        languages=texts.languages,
        progress=progress,
    )
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    keep = (df >= min_df) & (df <= max_df * n_docs)
    if not keep.all():
        counts = counts[:, np.flatnonzero(keep)].tocsr()
        terms = terms[keep]
    tf, idf, weight = _weights(
        counts, norm=norm, use_idf=use_idf, smooth_idf=smooth_idf, sublinear_tf=sublinear_tf
    )
    rows, cols, values = matrix_entries(counts)
    order = np.lexsort((term_rank(terms)[cols], -values, -weight, rows))
    ids = texts.frame["article_id"].to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "article_id": str_series(ids[rows[order]]),
            "term": str_series(terms[cols[order]]),
            "count": pd.Series(values[order], dtype="int64"),
            "tf": pd.Series(tf[order], dtype="float64"),
            "idf": pd.Series(idf[order], dtype="float64"),
            "tfidf": pd.Series(weight[order], dtype="float64"),
        }
    )
