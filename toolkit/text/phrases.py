"""Words that go together more than chance: ``collocations``.

Scores come from NLTK's ``BigramCollocationFinder`` / ``TrigramCollocationFinder``
and association measures. The finders' frequency tables are counted here
with numpy from the toolkit's tokens, which gives exactly what
``Finder.from_documents(sentences)`` followed by
``apply_word_filter(is_stopword)`` and ``apply_freq_filter(min_count)`` would
give (``tests/test_collocations.py`` checks it), at array speed:

- the "documents" are sentences, so no n-gram crosses a sentence;
- stopwords stay in the word counts (and count as positions in a window),
  but an n-gram holding one is not scored;
- removed tokens (punctuation, dropped numbers, short words) are taken out
  of the sentences first, as a user of NLTK would filter them; with
  ``padding=True`` they split sentences instead, so no n-gram spans one.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Literal, Unpack, get_args

import numpy as np
import pandas as pd

from toolkit.text.termtable import corpus, str_series, term_rank
from toolkit.text.tokens.tokenizer import (
    StopwordSpec,
    TokenKwargs,
    TokenStream,
    document_options,
    ngram_starts,
    token_options,
    token_stream,
)
from toolkit.vocab import check_choice, check_positive_int

logger = logging.getLogger(__name__)

Measure = Literal["pmi", "g2", "chi_sq", "t", "dice", "raw_freq"]
MEASURES: tuple[str, ...] = get_args(Measure)
#: Measures NLTK defines for trigrams (no Dice).
TRIGRAM_MEASURES: tuple[str, ...] = ("pmi", "g2", "chi_sq", "t", "raw_freq")
COLLOCATION_COLUMNS: tuple[str, ...] = ("term", "count", "score")
_NLTK_NAMES = {"g2": "likelihood_ratio", "t": "student_t"}


def _measure_function(measure: str, n: int):
    from nltk.metrics import BigramAssocMeasures, TrigramAssocMeasures

    measures = BigramAssocMeasures if n == 2 else TrigramAssocMeasures
    return getattr(measures, _NLTK_NAMES.get(measure, measure))


def _check(ngram, measure, window) -> int:
    if isinstance(ngram, bool) or ngram not in (2, 3):
        raise ValueError(f"ngram={ngram!r} is not valid for collocations; choose 2 or 3")
    check_choice("measure", measure, MEASURES if ngram == 2 else TRIGRAM_MEASURES)
    if window is None:
        return ngram
    if ngram != 2:
        raise ValueError("window applies to bigrams only (ngram=2)")
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 2:
        raise ValueError(f"window must be an integer >= 2 (tokens), got {window!r}")
    return int(window)


def _split_at_removed(stream: TokenStream) -> TokenStream:
    """The stream with a new sentence wherever a token was removed (``padding=True``)."""
    jump = np.r_[False, np.diff(stream.position) != 1]
    new = np.r_[True, np.diff(stream.sentence) != 0] | jump
    return replace(stream, sentence=np.cumsum(new) - 1)


def _gap_rows(stream: TokenStream, gap: int) -> np.ndarray:
    """Term ids of the token pairs ``gap`` apart within a sentence, one row each."""
    m = max(len(stream.term) - gap, 0)
    i = np.flatnonzero(stream.sentence[:m] == stream.sentence[gap:])
    return np.column_stack([stream.term[i], stream.term[i + gap]])


def _freq(keys: np.ndarray, counts: np.ndarray, terms: np.ndarray):
    """A ``FreqDist`` of term ids (1-d) or tuples of term ids (rows of a 2-d array)."""
    from nltk.probability import FreqDist

    if keys.ndim == 1:
        return FreqDist(dict(zip(terms[keys].tolist(), counts.tolist(), strict=True)))
    words = [terms[keys[:, k]].tolist() for k in range(keys.shape[1])]
    return FreqDist(dict(zip(zip(*words, strict=True), counts.tolist(), strict=True)))


def _count_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of term ids and how often each occurs."""
    if len(rows) == 0:
        return rows, np.zeros(0, np.int64)
    base = int(rows.max()) + 1
    if base ** rows.shape[1] >= 2**62:  # too many terms to pack a row into one integer
        return np.unique(rows, axis=0, return_counts=True)
    key = np.zeros(len(rows), dtype=np.int64)
    for k in range(rows.shape[1]):
        key = key * base + rows[:, k]
    found, counts = np.unique(key, return_counts=True)
    columns = []
    for _ in range(rows.shape[1]):
        found, digit = np.divmod(found, base)
        columns.append(digit)
    return np.column_stack(columns[::-1]), counts


def _word_fd(stream: TokenStream):
    return _freq(*np.unique(stream.term, return_counts=True), stream.terms)


def _bigram_finder(stream: TokenStream, window: int, keep_ngram):
    from nltk.collocations import BigramCollocationFinder

    pairs, counts = _count_rows(np.vstack([_gap_rows(stream, gap) for gap in range(1, window)]))
    keep = keep_ngram(pairs, counts)
    return BigramCollocationFinder(
        _word_fd(stream), _freq(pairs[keep], counts[keep], stream.terms), window_size=window
    )


def _trigram_finder(stream: TokenStream, keep_ngram):
    from nltk.collocations import TrigramCollocationFinder

    starts = ngram_starts(stream, 3)
    triples, counts = _count_rows(np.column_stack([stream.term[starts + k] for k in range(3)]))
    keep = keep_ngram(triples, counts)
    triples, counts = triples[keep], counts[keep]
    # The finder reads only the marginals of the trigrams it scores: keep those.
    near, near_n = _count_rows(_gap_rows(stream, 1))
    wide, wide_n = _count_rows(_gap_rows(stream, 2))
    near_kept = _rows_in(near, np.vstack([triples[:, [0, 1]], triples[:, [1, 2]]]))
    wide_kept = _rows_in(wide, triples[:, [0, 2]])
    return TrigramCollocationFinder(
        _word_fd(stream),
        _freq(near[near_kept], near_n[near_kept], stream.terms),
        _freq(wide[wide_kept], wide_n[wide_kept], stream.terms),
        _freq(triples, counts, stream.terms),
    )


def _rows_in(rows: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Boolean mask of the rows of ``rows`` (2 columns) found in ``wanted``."""
    if len(rows) == 0 or len(wanted) == 0:
        return np.zeros(len(rows), dtype=bool)
    size = int(max(rows.max(), wanted.max())) + 1
    return np.isin(rows[:, 0] * size + rows[:, 1], wanted[:, 0] * size + wanted[:, 1])


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "term": str_series([]),
            "count": pd.Series([], dtype="int64"),
            "score": pd.Series([], dtype="float64"),
        }
    )


@document_options
def collocations(
    articles: pd.DataFrame,
    *,
    ngram: Literal[2, 3] = 2,
    measure: Measure = "pmi",
    min_count: int = 2,
    window: int | None = None,
    text_col: str = "text",
    stopwords: StopwordSpec = "english",
    progress: bool = True,
    **token_kwargs: Unpack[TokenKwargs],
) -> pd.DataFrame:
    """Rank the word pairs or triples that occur together more than chance.

    Parameters
    ----------
    articles : pandas.DataFrame
        Articles frame; only its usable rows are read.
    ngram : {2, 3}, default 2
        Bigrams or trigrams.
    measure : {"pmi", "g2", "chi_sq", "t", "dice", "raw_freq"}, default "pmi"
        NLTK association measure: pointwise mutual information, log-likelihood
        (``likelihood_ratio``), Pearson's chi-squared, Student's t, Dice
        (bigrams only) or relative frequency.
    min_count : int, default 2
        Leave out n-grams seen fewer times (PMI favours rare pairs).
    window : int, optional
        Bigrams only: count pairs up to ``window - 1`` tokens apart within a
        sentence (NLTK's ``window_size``; scores divide counts by
        ``window - 1``). Default: adjacent words.
    text_col : str
        Column holding the text.
    stopwords : str, set, tuple, Stopwords or None
        N-grams holding a stopword are not scored (NLTK's
        ``apply_word_filter``); stopwords still count as words and positions.
    {token_kwargs}
    progress : bool, default True
        Show a progress bar on long inputs.

    Returns
    -------
    pandas.DataFrame
        Columns ``term`` (the words joined by a space, str), ``count``
        (int64: occurrences, or co-occurrences within the window) and
        ``score`` (float64); sorted by ``score`` descending, then ``-count``,
        then ``term``. ``attrs`` records ``measure``, ``ngram`` and ``window``.

    Raises
    ------
    ValueError
        For an unknown measure (naming the valid ones for that ``ngram``), an
        ``ngram`` other than 2 or 3, a bad window or tokenizer option.
    """
    window = _check(ngram, measure, window)
    check_positive_int("min_count", min_count)
    if "ngram" in token_kwargs:
        raise ValueError("collocations takes ngram=2 or 3 directly")
    options = token_options(ngram=ngram, stopwords=stopwords, **token_kwargs)
    texts = corpus(articles, text_col=text_col)
    stream = token_stream(texts.texts, options, languages=texts.languages, progress=progress)
    if len(stream.term) == 0:
        return _empty()
    if options.padding:
        stream = _split_at_removed(stream)
    stop_terms = np.zeros(len(stream.terms), dtype=bool)
    stop_terms[stream.term[stream.stop]] = True

    def keep_ngram(rows: np.ndarray, counts: np.ndarray) -> np.ndarray:
        return (counts >= min_count) & ~stop_terms[rows].any(axis=1)

    if ngram == 2:
        finder = _bigram_finder(stream, window, keep_ngram)
    else:
        finder = _trigram_finder(stream, keep_ngram)
    scored = finder.score_ngrams(_measure_function(measure, ngram))
    if not scored:
        return _empty()
    names = np.array([" ".join(words) for words, _ in scored], dtype=object)
    scores = np.array([score for _, score in scored], dtype=np.float64)
    counts = np.array([finder.ngram_fd[words] for words, _ in scored], dtype=np.int64)
    order = np.lexsort((term_rank(names), -counts, -scores))
    out = pd.DataFrame(
        {
            "term": str_series(names[order]),
            "count": pd.Series(counts[order], dtype="int64"),
            "score": pd.Series(scores[order], dtype="float64"),
        }
    )
    out.attrs.update(measure=measure, ngram=ngram, window=window)
    return out
