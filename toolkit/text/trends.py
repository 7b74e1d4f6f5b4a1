"""Where and when terms occur: ``term_trends`` and ``dispersion``.

Both take the terms to follow (words or phrases) and find them in the same
token stream as every other term function, so a trend's counts add up to
``term_counts`` of the same articles. A phrase such as ``"hong kong"`` is an
n-gram and, like n-grams everywhere, stays within one sentence.
"""

from __future__ import annotations

import logging
from typing import Unpack

import numpy as np
import pandas as pd

from toolkit.text.termtable import corpus, period_start, str_series
from toolkit.text.tokens.tokenizer import (
    StopwordSpec,
    TokenKwargs,
    TokenOptions,
    TokenStream,
    document_options,
    ngram_starts,
    token_options,
    token_stream,
    tokenize,
)
from toolkit.vocab import Freq, check_freq

logger = logging.getLogger(__name__)

TREND_COLUMNS: tuple[str, ...] = ("period", "term", "count", "n_articles", "total_tokens", "share")
DISPERSION_COLUMNS: tuple[str, ...] = ("article_id", "term", "token_index", "offset")


def _terms_list(terms) -> list[str]:
    if isinstance(terms, str):
        terms = [terms]
    if not isinstance(terms, (list, tuple, pd.Index, pd.Series, np.ndarray)) or not all(
        isinstance(t, str) and t.strip() for t in terms
    ):
        raise ValueError(f"terms must be a word or phrase, or a list of them; got {terms!r}")
    if len(terms) == 0:
        raise ValueError("terms is empty: give at least one word or phrase")
    return list(dict.fromkeys(terms))


def _query_words(term: str, options: TokenOptions, normalize: bool) -> list[str]:
    """The sequence of stream terms that ``term`` stands for."""
    if not normalize:
        return term.split()
    words = tokenize(
        term,
        stopwords=None,
        lowercase=options.lowercase,
        keep_punct=options.keep_punct,
        numbers=options.numbers,
        base_form=options.base_form,
        min_length=options.min_length,
    )
    if not words:
        logger.warning("term %r has no countable token under these options; it counts 0", term)
    return words


def _occurrences(stream: TokenStream, words: list[str], padding: bool) -> np.ndarray:
    """Stream indices where the word sequence ``words`` starts."""
    if not words:
        return np.zeros(0, dtype=np.int64)
    lookup = {term: i for i, term in enumerate(stream.terms)}
    ids = [lookup.get(w, -1) for w in words]
    if min(ids) < 0:
        return np.zeros(0, dtype=np.int64)
    starts = ngram_starts(stream, len(ids), padding=padding)
    hit = np.ones(len(starts), dtype=bool)
    for k, term_id in enumerate(ids):
        hit &= stream.term[starts + k] == term_id
    return starts[hit]


def _locate(stream: TokenStream, query: list[str], options: TokenOptions, normalize: bool):
    """Stream indices of every occurrence of each term of ``query``."""
    return [
        _occurrences(stream, _query_words(t, options, normalize), options.padding) for t in query
    ]


def _stream(articles, text_col, options, progress) -> tuple[pd.DataFrame, TokenStream]:
    texts = corpus(articles, text_col=text_col)
    stream = token_stream(texts.texts, options, languages=texts.languages, progress=progress)
    return texts.frame, stream.without_stopwords()


def _empty_trends() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": pd.Series([], dtype="datetime64[ns]"),
            "term": str_series([]),
            "count": pd.Series([], dtype="int64"),
            "n_articles": pd.Series([], dtype="int64"),
            "total_tokens": pd.Series([], dtype="int64"),
            "share": pd.Series([], dtype="float64"),
        }
    )


@document_options
def term_trends(
    articles: pd.DataFrame,
    terms: str | list[str],
    *,
    freq: Freq = "W",
    normalize: bool = True,
    date_col: str = "date",
    text_col: str = "text",
    stopwords: StopwordSpec = None,
    progress: bool = True,
    **token_kwargs: Unpack[TokenKwargs],
) -> pd.DataFrame:
    """Count terms per period of the articles' dates.

    Parameters
    ----------
    articles : pandas.DataFrame
        Articles frame; its usable rows are counted.
    terms : str or list of str
        Words or phrases to follow (``["terrorism", "hong kong"]``).
    freq : {"D", "W", "M", "Q", "Y"}, default "W"
        Period length; weeks start on Monday.
    normalize : bool, default True
        Pass each term through the tokenizer (lower-casing, base forms) so
        ``"Terrorism"`` follows ``terrorism``. False: match the
        whitespace-separated words of each term exactly as terms.
    date_col : str
        Column of publication dates.
    text_col : str
        Column holding the text.
    stopwords : default None
        Every word counts towards ``total_tokens`` by default; with a list,
        stopwords are left out of the totals (and cannot be followed).
    {token_kwargs}
    progress : bool, default True
        Show a progress bar on long inputs.

    Returns
    -------
    pandas.DataFrame
        Columns ``period`` (datetime64: period start), ``term`` (str, as
        given), ``count`` (int64), ``n_articles`` (int64: dated articles in
        the period), ``total_tokens`` (int64: tokens counted in the period) and
        ``share`` (float64: count / total_tokens, 0 when the total is 0). Every
        period from the first dated article to the last, for every term;
        sorted by term (in the order given), then period.
        ``attrs["undated_articles"]`` counts the usable articles without a
        date, which are left out (and logged); ``attrs["freq"]`` is ``freq``.

    Raises
    ------
    ValueError
        For a bad ``freq``, missing date column, empty terms or tokenizer option.
    """
    check_freq(freq)
    query = _terms_list(terms)
    if date_col not in articles.columns:
        raise ValueError(
            f"date_col={date_col!r} is not a column; columns are {list(articles.columns)}"
        )
    options = token_options(stopwords=stopwords, **token_kwargs)
    frame = corpus(articles, text_col=text_col).frame
    periods = period_start(frame[date_col], freq)
    dated = periods.notna().to_numpy()
    undated = int((~dated).sum())
    if undated:
        logger.warning(
            "term_trends: %d usable article(s) have no %s and are left out", undated, date_col
        )
    frame = frame[dated]
    if len(frame) == 0:
        out = _empty_trends()
        out.attrs.update(undated_articles=undated, freq=freq)
        return out
    periods = periods[dated]
    span = pd.period_range(periods.min(), periods.max(), freq=freq).start_time.astype(
        "datetime64[ns]"
    )
    period_of_doc = np.searchsorted(span.to_numpy(), periods.to_numpy())
    _, stream = _stream(frame, text_col, options, progress)
    total = np.bincount(period_of_doc[stream.doc], minlength=len(span))
    n_articles = np.bincount(period_of_doc, minlength=len(span))
    count = np.concatenate(
        [
            np.bincount(period_of_doc[stream.doc[found]], minlength=len(span))
            for found in _locate(stream, query, options, normalize)
        ]
    ).astype(np.int64)
    totals = np.tile(total, len(query))
    out = pd.DataFrame(
        {
            "period": pd.Series(np.tile(span.to_numpy(), len(query)), dtype="datetime64[ns]"),
            "term": str_series(np.repeat(query, len(span))),
            "count": pd.Series(count, dtype="int64"),
            "n_articles": pd.Series(np.tile(n_articles, len(query)), dtype="int64"),
            "total_tokens": pd.Series(totals, dtype="int64"),
            "share": pd.Series(
                np.divide(count, totals, out=np.zeros(len(count)), where=totals > 0),
                dtype="float64",
            ),
        }
    )
    out.attrs.update(undated_articles=undated, freq=freq)
    return out


@document_options
def dispersion(
    articles: pd.DataFrame,
    terms: str | list[str],
    *,
    normalize: bool = True,
    text_col: str = "text",
    stopwords: StopwordSpec = None,
    progress: bool = True,
    **token_kwargs: Unpack[TokenKwargs],
) -> pd.DataFrame:
    """Find where terms occur across the corpus, for a lexical dispersion plot.

    Parameters
    ----------
    articles : pandas.DataFrame
        Articles frame; its usable rows are read, in frame order.
    terms : str or list of str
        Words or phrases to place.
    normalize : bool, default True
        Pass each term through the tokenizer (see :func:`term_trends`).
    text_col : str
        Column holding the text.
    stopwords : default None
        Every word counts as a position by default.
    {token_kwargs}
    progress : bool, default True
        Show a progress bar on long inputs.

    Returns
    -------
    pandas.DataFrame
        Columns ``article_id`` (str), ``term`` (str, as given), ``token_index``
        (int64: position of the occurrence's first word among the article's
        counted tokens) and ``offset`` (int64: the same position counted
        through the whole corpus, articles in frame order); sorted by
        ``offset`` then term order. ``attrs["total_tokens"]`` is the corpus
        length in tokens and ``attrs["article_starts"]`` maps each
        article_id to its first offset.

    Raises
    ------
    ValueError
        For empty terms or a bad tokenizer option.
    """
    query = _terms_list(terms)
    options = token_options(stopwords=stopwords, **token_kwargs)
    frame, stream = _stream(articles, text_col, options, progress)
    lengths = np.bincount(stream.doc, minlength=len(frame))
    starts = np.cumsum(lengths) - lengths
    ids = frame["article_id"].to_numpy(dtype=object)
    found = _locate(stream, query, options, normalize)
    where = np.concatenate(found) if found else np.zeros(0, np.int64)
    which = np.repeat(np.arange(len(query)), [len(f) for f in found])
    order = np.lexsort((which, where))
    where, which = where[order], which[order]
    doc = stream.doc[where]
    out = pd.DataFrame(
        {
            "article_id": str_series(ids[doc]),
            "term": str_series(np.asarray(query, dtype=object)[which]),
            "token_index": pd.Series(where - starts[doc], dtype="int64"),
            "offset": pd.Series(where, dtype="int64"),
        }
    )
    out.attrs["total_tokens"] = int(len(stream.term))
    out.attrs["article_starts"] = {str(a): int(s) for a, s in zip(ids, starts, strict=True)}
    return out
