"""The one tokenizer and normaliser behind every term function.

Every term function (``term_counts``, ``tfidf``, ``keyness``, ``collocations``,
``kwic``, ``term_trends``, ``dispersion``) turns text into terms here, so a
count means the same thing everywhere.

How text becomes terms
----------------------
One regular expression finds the tokens; each distinct token is split
(abbreviations, English contractions) and normalised once; sentences end at
``.``, ``!``, ``?`` and line breaks (or where Punkt says); n-grams are made of
the terms that remain within one sentence. The rules live in these modules,
whose docstrings describe them:

- :mod:`toolkit.text.tokens.stopwords`: the ``stopwords=`` argument and its languages;
- :mod:`toolkit.text.tokens.options`: the other options, their checks and their docs;
- :mod:`toolkit.text.tokens.rules`: tokens, splits, normalisation and sentences, and
  the deliberate differences from ``nltk.word_tokenize``;
- :mod:`toolkit.text.tokens.expand`: the same rules on arrays of distinct tokens;
- :mod:`toolkit.text.tokens.stream`: whole corpora: unigram counts, token streams
  and n-grams.

This module holds :func:`tokenize` (a text's terms, or one row per token of
every article) and :func:`token_spans`, and re-exports the names the term
functions import from it.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from toolkit.text.tokens.expand import Expansion, expand_index, expand_types, number_strings
from toolkit.text.tokens.options import (
    BASE_FORMS,
    NGRAM_SIZES,
    NGRAM_STOPWORDS_DOC,
    NUMBERS,
    SENTENCE_SPLITTERS,
    TOKEN_KWARGS_DOC,
    BaseForm,
    Numbers,
    SentenceSplitter,
    TokenKwargs,
    TokenOptions,
    document_options,
    token_options,
)
from toolkit.text.tokens.rules import (
    ABBREVIATIONS,
    NUM_TERM,
    TOKEN_RE,
    WORD_RE,
    arrow_strings,
    base_form,
    boundary_kinds,
    normalise,
    punkt_sentences,
    sentence_ends,
    stopword_set,
    token_parts,
)
from toolkit.text.tokens.stopwords import (
    ENGLISH_CLITIC_STOPWORDS,
    NLTK_LANGUAGES,
    Stopwords,
    StopwordSpec,
    as_stopwords,
)
from toolkit.text.tokens.stream import (
    TokenStream,
    batches,
    language_partitions,
    ngram_ids,
    ngram_starts,
    token_stream,
    unigram_counts,
)
from toolkit.vocab import check_choice

__all__ = [
    "ABBREVIATIONS",
    "BASE_FORMS",
    "ENGLISH_CLITIC_STOPWORDS",
    "NGRAM_SIZES",
    "NGRAM_STOPWORDS_DOC",
    "NLTK_LANGUAGES",
    "NUMBERS",
    "NUM_TERM",
    "SENTENCE_SPLITTERS",
    "TOKEN_KWARGS_DOC",
    "TOKEN_RE",
    "WORD_RE",
    "BaseForm",
    "Expansion",
    "Numbers",
    "SentenceSplitter",
    "StopwordSpec",
    "Stopwords",
    "TokenKwargs",
    "TokenOptions",
    "TokenStream",
    "arrow_strings",
    "as_stopwords",
    "batches",
    "check_choice",
    "clear_caches",
    "document_options",
    "expand_index",
    "expand_types",
    "language_partitions",
    "ngram_ids",
    "ngram_starts",
    "normalise",
    "number_strings",
    "sentence_ends",
    "token_options",
    "token_parts",
    "token_spans",
    "token_stream",
    "tokenize",
    "unigram_counts",
]


def tokenize(
    data,
    *,
    text_col: str = "text",
    ngram: int | tuple[int, int] = 1,
    stopwords: StopwordSpec = "english",
    **token_kwargs,
):
    """Return the terms of a text, or the tokens of every article.

    Parameters
    ----------
    data : str or pandas.DataFrame
        One text, or an articles frame (the usable rows are tokenized, see
        :func:`toolkit.schema.usable_articles`).
    text_col : str
        Column holding the text (frames only).
    {ngram_stopwords}
    {token_kwargs}

    Returns
    -------
    list of str or pandas.DataFrame
        For a text: its terms in order, unigrams first, then bigrams and
        trigrams as asked (the form scikit-learn's ``analyzer=`` expects).
        For a frame: one row per token with columns ``article_id``,
        ``sentence`` (0-based within the article), ``token_index`` (0-based
        within the article), ``start``, ``end`` (character offsets into the
        text), ``token`` (as written) and ``term`` (the normalised term; NA when
        the token is removed: punctuation, stopword, ...). Frames give unigrams
        only.
    """
    options = token_options(ngram=ngram, stopwords=stopwords, **token_kwargs)
    if isinstance(data, str):
        return _text_terms(data, options)
    if isinstance(data, pd.DataFrame):
        if options.ngram != (1, 1):
            raise ValueError("tokenize(frame) gives unigram tokens; use ngram=1")
        return _token_frame(data, options, text_col)
    raise ValueError(f"tokenize expects a str or an articles DataFrame, got {type(data).__name__}")


tokenize = document_options(tokenize)


def _text_terms(text: str, options: TokenOptions) -> list[str]:
    stream = token_stream([text], options, progress=False).without_stopwords()
    out: list[str] = []
    for n in range(options.ngram[0], options.ngram[1] + 1):
        starts = ngram_starts(stream, n, padding=options.padding)
        if n == 1:
            out.extend(stream.terms[stream.term[starts]])
        else:
            ids, names = ngram_ids(stream, starts, n)
            out.extend(names[ids])
    return out


def token_spans(text: str, *, english: bool = True) -> list[tuple[str, str, int, int]]:
    """Return ``(surface, written, start, end)`` for every token of ``text``.

    Line breaks are left out; offsets index into ``text``.
    """
    spans = []
    for match in TOKEN_RE.finditer(text):
        start = match.start()
        for surface, written in token_parts(match.group(), english):
            if surface != "\n":
                spans.append((surface, written, start, start + len(surface)))
            start += len(surface)
    return spans


def _fast_sentences(text: str, spans: list, starts: np.ndarray) -> np.ndarray:
    """Sentence number of each span by the tokenizer's own rule (see :mod:`.tokens_rules`)."""
    if not spans:
        return np.zeros(0, dtype=np.int64)
    ends = sentence_ends(*boundary_kinds(arrow_strings([s[1] for s in spans])))
    after_end = np.r_[0, np.cumsum(ends[:-1])]
    breaks = np.fromiter((m.start() for m in re.finditer("\n", text)), dtype=np.int64)
    return _renumber(after_end, np.searchsorted(breaks, starts))


def _article_tokens(article_id, text: str, options: TokenOptions, language: str) -> pd.DataFrame:

    spans = token_spans(text, english=language == "english")
    starts = np.fromiter((s[2] for s in spans), dtype=np.int64, count=len(spans))
    if options.sentences == "punkt":
        sentences = punkt_sentences(text, starts)
    else:
        sentences = _fast_sentences(text, spans, starts)
    terms, stop = normalise(arrow_strings([s[1] for s in spans]), options, language)
    terms = np.asarray(terms.to_pylist(), dtype=object)
    terms[stop] = None
    return pd.DataFrame(
        {
            "article_id": pd.Series([article_id] * len(spans), dtype="str"),
            "sentence": pd.Series(sentences, dtype="int64"),
            "token_index": pd.Series(np.arange(len(spans)), dtype="int64"),
            "start": pd.Series(starts, dtype="int64"),
            "end": pd.Series([s[3] for s in spans], dtype="int64"),
            "token": pd.Series([s[0] for s in spans], dtype="str"),
            "term": pd.Series(terms, dtype="str"),
        }
    )


def _token_frame(articles: pd.DataFrame, options: TokenOptions, text_col: str) -> pd.DataFrame:
    from toolkit.schema import usable_articles

    frame = usable_articles(articles, text_col=text_col)
    languages = frame["language"].tolist() if "language" in frame.columns else [None] * len(frame)
    parts = [
        _article_tokens(article_id, text, options, options.language_of(language))
        for article_id, text, language in zip(
            frame["article_id"], frame[text_col], languages, strict=True
        )
    ]
    if not parts:
        return _article_tokens("", "", options, "english")
    return pd.concat(parts, ignore_index=True)


def _renumber(*keys: np.ndarray) -> np.ndarray:
    if len(keys[0]) == 0:
        return keys[0]
    change = np.zeros(len(keys[0]), dtype=bool)
    for key in keys:
        change[1:] |= key[1:] != key[:-1]
    return np.cumsum(change)


def clear_caches() -> None:
    """Forget every cached split, normalisation, stem and lemma (for benchmarks)."""
    token_parts.cache_clear()
    stopword_set.cache_clear()
    base_form.cache_clear()
