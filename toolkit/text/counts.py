"""Term frequencies per group: ``term_counts``."""

from __future__ import annotations

import logging
from typing import Unpack

import pandas as pd

from toolkit import addons
from toolkit.text.termtable import corpus, count_matrix, resolve_groups, term_table
from toolkit.text.tokens.tokenizer import StopwordSpec, TokenKwargs, document_options, token_options
from toolkit.vocab import Freq, check_positive_int

logger = logging.getLogger(__name__)


@document_options
def term_counts(
    articles: pd.DataFrame,
    *,
    by: str | list[str] | None = None,
    freq: Freq | None = None,
    text_col: str = "text",
    ngram: int | tuple[int, int] = 1,
    stopwords: StopwordSpec = "english",
    min_count: int = 1,
    progress: bool = True,
    **token_kwargs: Unpack[TokenKwargs],
) -> pd.DataFrame:
    """Count terms, overall or per group.

    Parameters
    ----------
    articles : pandas.DataFrame, dask.dataframe.DataFrame or path
        Articles frame; the usable rows are counted (status ``ok`` when there
        is a status, some text). A Dask DataFrame or the path of a Parquet
        dataset (``load_articles(path, lazy=True)``) is counted partition by
        partition and the partial sums merged: the result equals the pandas one.
    by : str or list of str, optional
        Column(s) to group by: any article column (``sitename``,
        ``article_id``, ``language``...). Missing values form their own group.
    freq : {"D", "W", "M", "Q", "Y"}, optional
        Turn the one datetime column of ``by`` (e.g. ``by="date"``) into
        periods: that column is replaced by ``period``, the period start (weeks
        start on Monday). Undated articles form the NaT period and are counted
        in ``attrs["undated_articles"]``.
    text_col : str
        Column holding the text.
    {ngram_stopwords}
    {token_kwargs}
    min_count : int, default 1
        Leave out terms counted fewer times in their group.
    progress : bool, default True
        Show a progress bar on long inputs.

    Returns
    -------
    pandas.DataFrame
        Columns: the group columns (none without ``by``; ``period`` replaces
        the date column with ``freq``), ``term`` (str), ``count`` (int64),
        ``proportion`` (float64: count over the group's total of the rows
        returned, so each group sums to 1; with ``min_count=1`` it is the
        term's share of the group's counted tokens). Sorted by group, then
        ``-count``, then ``term``.

    Raises
    ------
    ValueError
        For a missing column, a bad ``freq``, ``ngram`` or tokenizer option.

    Examples
    --------
    >>> tk.term_counts(articles, by="sitename", stopwords=("english", {"said"}))
    >>> tk.term_counts(articles, by="date", freq="M", ngram=2)
    """
    if addons.is_partitioned(articles):  # a Dask frame or a Parquet dataset: partial sums
        return addons.handler_for(articles, "term_counts").term_counts(
            articles, by=by, freq=freq, text_col=text_col, ngram=ngram, stopwords=stopwords,
            min_count=min_count, **token_kwargs,
        )
    options = token_options(ngram=ngram, stopwords=stopwords, **token_kwargs)
    check_positive_int("min_count", min_count)
    texts = corpus(articles, text_col=text_col)
    groups = resolve_groups(texts.frame, by, freq)
    matrix, terms = count_matrix(
        texts.texts,
        options,
        groups=groups.codes,
        n_groups=groups.size if len(texts) else 0,
        languages=texts.languages,
        progress=progress,
    )
    table = term_table(matrix, terms, groups.keys, min_count=min_count)
    if groups.undated is not None:
        table.attrs["undated_articles"] = groups.undated
    logger.debug("term_counts: %d articles, %d rows", len(texts), len(table))
    return table
