"""The tokenizer options every term function takes: their checks, and the text that documents them.

:func:`token_options` checks the keyword arguments once and returns a
:class:`TokenOptions`; :func:`document_options` fills the shared option
descriptions into a term function's docstring.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypedDict, get_args

import numpy as np

from toolkit.text.tokens.stopwords import NLTK_LANGUAGES, Stopwords, StopwordSpec, as_stopwords
from toolkit.vocab import check_choice

Numbers = Literal["keep", "drop", "replace"]
BaseForm = Literal["none", "stem", "lemma"]
SentenceSplitter = Literal["fast", "punkt"]

NUMBERS: tuple[str, ...] = get_args(Numbers)
BASE_FORMS: tuple[str, ...] = get_args(BaseForm)
SENTENCE_SPLITTERS: tuple[str, ...] = get_args(SentenceSplitter)
NGRAM_SIZES: tuple[int, ...] = (1, 2, 3)


class TokenKwargs(TypedDict, total=False):
    """Tokenizer options every term function accepts as keyword arguments."""

    lowercase: bool
    keep_punct: bool
    numbers: Numbers
    base_form: BaseForm
    min_length: int
    padding: bool
    sentences: SentenceSplitter


@dataclass(frozen=True)
class TokenOptions:
    """Every choice that turns text into terms (build it with :func:`token_options`)."""

    ngram: tuple[int, int] = (1, 1)
    stopwords: Stopwords = Stopwords("english")
    lowercase: bool = True
    keep_punct: bool = False
    numbers: str = "keep"
    base_form: str = "none"
    min_length: int = 1
    padding: bool = False
    sentences: str = "fast"

    @property
    def needs_sentences(self) -> bool:
        """Whether sentence boundaries matter (n-grams longer than one word)."""
        return self.ngram[1] > 1

    def language_of(self, article_language: str | None) -> str:
        """Return the NLTK language of an article whose code is ``article_language``.

        The article's own language when known (its text is split and stemmed
        that way, whatever stopword list applies); else the stopword list's
        language; else English.
        """
        if isinstance(article_language, str) and article_language.strip():
            code = article_language.strip().lower().replace("_", "-").split("-")[0]
            return NLTK_LANGUAGES.get(code, code)
        chosen = self.stopwords.language
        if chosen is not None and chosen != "auto":
            return chosen
        return "english"


#: Documentation of ``ngram`` and ``stopwords`` (``{ngram_stopwords}`` in a docstring).
NGRAM_STOPWORDS_DOC = """\
ngram : int or (int, int), default 1
        Words per term: 1, 2 or 3, or an inclusive range such as ``(1, 2)``.
        N-grams never cross a sentence.
    stopwords : str, set, tuple, Stopwords or None, default "english"
        ``"english"`` (NLTK's list), another NLTK language, ``"auto"`` (each
        article's ``language``), None (keep every word), a set of words, or
        ``(base, add[, remove])`` such as ``("english", {"said"}, {"us"})``.
        Each article is split in its own ``language`` (the list's when the
        article has none): outside English an elided word is a token of its
        own (``l'Europe`` -> ``l'`` + ``europe``) and a stopword.
        Chinese and Japanese text needs a word segmenter first (jieba, fugashi,
        ...; words joined by spaces): a run of characters without spaces is one
        term."""

#: Documentation of the other tokenizer keywords (``{token_kwargs}`` in a docstring).
TOKEN_KWARGS_DOC = """\
lowercase : bool, default True
        Lower-case the terms (stopwords are always matched in lower case).
    keep_punct : bool, default False
        Keep punctuation tokens as terms.
    numbers : {"keep", "drop", "replace"}, default "keep"
        What to do with numbers (``2016``, ``1,000.5``); ``"replace"`` writes
        ``<num>``.
    base_form : {"none", "stem", "lemma"}, default "none"
        Reduce words to their Snowball stem or WordNet lemma (as nouns); base
        forms are lower case.
    min_length : int, default 1
        Drop words shorter than this (in characters).
    padding : bool, default False
        Let n-grams stop at removed tokens (quanteda's ``padding``) instead of
        joining the words that remain (scikit-learn).
    sentences : {"fast", "punkt"}, default "fast"
        How sentences are found for n-grams: the tokenizer's own rule, or
        Punkt as in :func:`toolkit.text.segments.segment`."""


def document_options(func: Callable) -> Callable:
    """Fill ``{ngram_stopwords}`` and ``{token_kwargs}`` in ``func``'s docstring."""
    if func.__doc__:
        func.__doc__ = func.__doc__.replace("{ngram_stopwords}", NGRAM_STOPWORDS_DOC).replace(
            "{token_kwargs}", TOKEN_KWARGS_DOC
        )
    return func


def _check_ngram(ngram) -> tuple[int, int]:
    if isinstance(ngram, (int, np.integer)) and not isinstance(ngram, bool):
        lo = hi = int(ngram)
    elif (
        isinstance(ngram, tuple)
        and len(ngram) == 2
        and all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in ngram)
    ):
        lo, hi = int(ngram[0]), int(ngram[1])
    else:
        raise ValueError(f"ngram={ngram!r} is not valid; use 1, 2, 3 or a range like (1, 2)")
    if lo not in NGRAM_SIZES or hi not in NGRAM_SIZES or lo > hi:
        raise ValueError(f"ngram={ngram!r} is not valid; sizes must be in {NGRAM_SIZES}")
    return lo, hi


def token_options(
    *, ngram: int | tuple[int, int] = 1, stopwords: StopwordSpec = "english", **kwargs
) -> TokenOptions:
    """Check the tokenizer options and return them as a :class:`TokenOptions`.

    Parameters
    ----------
    {ngram_stopwords}
    {token_kwargs}

    Returns
    -------
    TokenOptions

    Raises
    ------
    ValueError
        For an unknown option or a value outside its valid set.
    """
    unknown = set(kwargs) - set(TokenKwargs.__annotations__)
    if unknown:
        raise ValueError(
            f"unknown tokenizer option(s) {sorted(unknown)}; valid: "
            f"{sorted(TokenKwargs.__annotations__)}"
        )
    options = TokenOptions(ngram=_check_ngram(ngram), stopwords=as_stopwords(stopwords), **kwargs)
    check_choice("numbers", options.numbers, NUMBERS)
    check_choice("base_form", options.base_form, BASE_FORMS)
    check_choice("sentences", options.sentences, SENTENCE_SPLITTERS)
    for flag in ("lowercase", "keep_punct", "padding"):
        if not isinstance(getattr(options, flag), bool):
            raise ValueError(f"{flag} must be True or False, got {getattr(options, flag)!r}")
    if not isinstance(options.min_length, int) or options.min_length < 1:
        raise ValueError(f"min_length must be an integer >= 1, got {options.min_length!r}")
    return options


token_options = document_options(token_options)
