"""The one tokenizer and normaliser behind every term function.

Every term function (``term_counts``, ``tfidf``, ``keyness``, ``collocations``,
``kwic``, ``term_trends``, ``dispersion``) turns text into terms here, so a
count means the same thing everywhere.

How text becomes terms
----------------------
1. **Tokens.** One compiled regular expression finds NLTK-grade tokens at regex
   speed: words with inner hyphens, apostrophes and periods kept together
   (``large-scale``, ``O'Brien``, ``U.S.``, ``www.example.com``), numbers with
   thousands separators, decimals and clock times (``1,000.50``, ``10:30``),
   URLs and e-mail addresses as one token, ``...`` and ``--`` as one token,
   every other punctuation character on its own, and a line break as a
   paragraph marker.
2. **Splits, once per distinct token (type), not per token.** A word that
   ends in a period keeps it only when it is an abbreviation (``U.S.``,
   ``e.g.``, ``Mr.``, ``Jan.``, single capital initials); otherwise the period
   becomes its own token, as in NLTK. English contractions are split as
   NLTK's ``word_tokenize`` splits them (``don't`` -> ``do`` + ``n't``,
   ``can't`` -> ``ca`` + ``n't``, ``John's`` -> ``John`` + ``'s``,
   ``cannot`` -> ``can`` + ``not``, ``gonna`` -> ``gon`` + ``na``); the curly
   apostrophe (’) is treated like the straight one.
3. **Normalisation, once per type.** Clitics are written as the word they
   stand for where that is unambiguous (``n't`` -> ``not``, ``ca`` -> ``can``
   and ``wo`` -> ``will`` before ``n't``, ``'re`` -> ``are``, ``'m`` -> ``am``,
   ``'ve`` -> ``have``, ``'ll`` -> ``will``; ``'s`` and ``'d`` stay as they
   are). Then: punctuation dropped (or kept), numbers kept, dropped or
   replaced by ``<num>``, lower-casing, the stopword test (on the lower-cased
   form), the minimum length, and an optional base form (Snowball stem or
   WordNet lemma).
4. **Sentences.** N-grams never cross a sentence. The default ``"fast"``
   splitter ends a sentence after ``.``, ``!`` or ``?`` tokens (abbreviations
   keep their period, so ``Mr. Smith`` does not end one) and at every line
   break (paragraph); ``"punkt"`` uses the Punkt spans of
   :func:`toolkit.segment.iter_sentences` instead (slower, the same sentences
   as :func:`toolkit.segment.segment`).
5. **N-grams**, like scikit-learn and quanteda: they are made of the tokens
   that remain after stopword and punctuation removal, within one sentence, so
   ``"security for the summit"`` gives the bigram ``"security summit"``.
   ``padding=True`` (quanteda's ``padding``) makes n-grams stop at every
   removed token instead. N-gram terms are their words joined by a space.

Deliberate differences from ``nltk.word_tokenize`` (measured in
``tests/test_tokens.py``): URLs and e-mail addresses are one token (NLTK
splits them at ``:`` and ``@``); an abbreviation that ends a sentence keeps
its period (NLTK gives ``U.S`` + ``.``); double quotes stay ``"`` (NLTK writes
`````` and ``''``); the curly apostrophe splits contractions like ``'``;
periods after words follow a fixed abbreviation list rather than Punkt's
learned one.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, TypedDict, get_args

import numpy as np
import pandas as pd

from . import resources

logger = logging.getLogger(__name__)

Numbers = Literal["keep", "drop", "replace"]
BaseForm = Literal["none", "stem", "lemma"]
SentenceSplitter = Literal["fast", "punkt"]

NUMBERS: tuple[str, ...] = get_args(Numbers)
BASE_FORMS: tuple[str, ...] = get_args(BaseForm)
SENTENCE_SPLITTERS: tuple[str, ...] = get_args(SentenceSplitter)
NGRAM_SIZES: tuple[int, ...] = (1, 2, 3)

#: The term that replaces a number with ``numbers="replace"``.
NUM_TERM = "<num>"

# A word: runs of word characters joined by inner hyphens, apostrophes or
# periods, or by a comma or colon before a digit (1,000 and 10:30 stay whole, as
# in NLTK). It may go on as an e-mail address, a URL, or take one trailing
# period (kept for abbreviations, split off otherwise). Possessive quantifiers
# stop the engine from backtracking into a word it has read.
_WORD = (
    r"\w++(?:(?:[-./'’]|[,:](?=\d))\w++)*+"
    r"(?:@\w++(?:[-.]\w++)++"
    r"|://[^\s<>\"'()\[\]{}]*[^\s<>\"'()\[\]{}.,;:!?]"
    r"|\.(?!\.))?+"
)
#: Words only: enough for unigram counts without punctuation.
WORD_RE = re.compile(_WORD)
#: Every token: words, a line break (paragraph marker), ``...``, ``--`` and
#: single punctuation characters.
TOKEN_RE = re.compile(rf"{_WORD}|\n|\.\.\.|--|[^\w\s]")

_BOUNDARIES = frozenset({".", "!", "?", "\n"})
# An ellipsis ends a sentence only before a capitalised word (as Punkt decides).
_ELLIPSES = frozenset({"...", "…"})


def _boundary_kinds(written) -> tuple[np.ndarray, np.ndarray]:
    """(kind, upper) of Arrow tokens: kind 1 ends a sentence, 2 ends one before a capital."""
    import pyarrow.compute as pc

    kind = _bools(pc.is_in(written, value_set=arrow_strings(sorted(_BOUNDARIES)))).astype(np.int8)
    kind[_bools(pc.is_in(written, value_set=arrow_strings(sorted(_ELLIPSES))))] = 2
    return kind, _bools(pc.match_substring_regex(written, r"^\p{Lu}"))


def sentence_ends(kind: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Whether a sentence ends after each token of a sequence (see :func:`_boundary_kinds`)."""
    return (kind == 1) | ((kind == 2) & np.r_[upper[1:], False])


_HAS_ALNUM = re.compile(r"[^\W_]")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")

#: Words written with a period that is part of them (lower case, no period).
ABBREVIATIONS: frozenset[str] = frozenset(
    """
    mr mrs ms messrs dr prof sen sens rep reps gov gen col lt maj capt sgt adm cmdr
    jr sr st mt ft inc corp ltd co cos bros plc dept univ assn est approx vs etc al
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs
    fri sat sun ala ariz ark calif colo conn del fla kan ky md mich minn miss nev
    okla penn tenn tex va vt wis wyo ph.d
    """.split()
)

# English clitics: surface (lower case, straight apostrophe) -> the word written.
_CLITICS: dict[str, str] = {
    "n't": "not",
    "'re": "are",
    "'ve": "have",
    "'ll": "will",
    "'m": "am",
    "'s": "'s",
    "'d": "'d",
}
_NT_BASES: dict[str, str] = {"ca": "can", "wo": "will", "sha": "shall"}
# NLTK's CONTRACTIONS2: one word written as two.
_JOINED: dict[str, tuple[int, str, str]] = {
    "cannot": (3, "can", "not"),
    "gonna": (3, "gon", "na"),
    "gotta": (3, "got", "ta"),
    "wanna": (3, "wan", "na"),
    "gimme": (3, "gim", "me"),
    "lemme": (3, "lem", "me"),
}
#: Stopwords added to the English list: the clitics NLTK's list holds only
#: without their apostrophe (``s``, ``d``).
ENGLISH_CLITIC_STOPWORDS: frozenset[str] = frozenset({"'s", "'d"})

#: ISO 639-1 code -> NLTK language name (stopword lists and Snowball stemmers).
NLTK_LANGUAGES: dict[str, str] = {
    "ar": "arabic",
    "az": "azerbaijani",
    "eu": "basque",
    "bn": "bengali",
    "ca": "catalan",
    "zh": "chinese",
    "da": "danish",
    "nl": "dutch",
    "en": "english",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "el": "greek",
    "he": "hebrew",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "kk": "kazakh",
    "ne": "nepali",
    "no": "norwegian",
    "nb": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sl": "slovene",
    "es": "spanish",
    "sv": "swedish",
    "tg": "tajik",
    "tr": "turkish",
}
_SNOWBALL = frozenset(
    "arabic danish dutch english finnish french german hungarian italian norwegian "
    "portuguese romanian russian spanish swedish".split()
)


# ---------------------------------------------------------------------------
# Options


@dataclass(frozen=True)
class Stopwords:
    """Which words count as stopwords.

    Parameters
    ----------
    language : str or None
        An NLTK stopword list (``"english"``, ``"german"``, ...), ``"auto"``
        for each article's list (from its ``language`` column, English when
        unknown), or None for no list.
    words : frozenset of str
        Extra base words (used with or instead of a list).
    add : frozenset of str
        Words added to the list.
    remove : frozenset of str
        Words taken out of the list.

    Examples
    --------
    ``Stopwords("english", add={"said"}, remove={"us"})`` is the English list
    with ``said`` and without ``us``; the tuple ``("english", {"said"}, {"us"})``
    means the same wherever a ``stopwords=`` argument is taken.
    """

    language: str | None = "english"
    words: frozenset[str] = frozenset()
    add: frozenset[str] = frozenset()
    remove: frozenset[str] = frozenset()

    def for_language(self, language: str) -> frozenset[str]:
        """Return the lower-case stopwords for an article in ``language``."""
        base: frozenset[str] = frozenset()
        if self.language is not None:
            name = language if self.language == "auto" else self.language
            base = resources.stopword_list(name)
            if name == "english":
                base = base | ENGLISH_CLITIC_STOPWORDS
        words = {w.lower() for w in (base | self.words | self.add)}
        return frozenset(words - {w.lower() for w in self.remove})

    @property
    def empty(self) -> bool:
        """Whether no word can be a stopword."""
        return self.language is None and not self.words and not self.add


#: What a ``stopwords=`` argument accepts (see :func:`as_stopwords`).
StopwordSpec = Stopwords | str | Collection[str] | tuple | None


def _word_set(value, name: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValueError(f"{name} must be a collection of words, got {value!r}")
    return frozenset(str(w).lower() for w in value)


@functools.lru_cache(maxsize=1)
def _stopword_languages() -> tuple[str, ...]:
    if resources.nltk_has("stopwords"):
        from nltk.corpus import stopwords

        return tuple(sorted(stopwords.fileids()))
    return ("english",)


def _check_language(language: str) -> str:
    valid = _stopword_languages()
    if language != "auto" and language not in valid:
        raise ValueError(
            f"unknown stopword language {language!r}; valid: 'auto', None, or one of {valid}"
        )
    return language


def as_stopwords(spec: StopwordSpec) -> Stopwords:
    """Turn a ``stopwords=`` argument into a :class:`Stopwords`.

    Parameters
    ----------
    spec : Stopwords, str, collection of str, tuple or None
        ``None`` keeps every word; a language name (``"english"``) or
        ``"auto"`` (each article's language) uses NLTK's list; a set or list of
        words is used as it is; a tuple ``(base, add)`` or
        ``(base, add, remove)`` changes a base (a language, None or a set), e.g.
        ``("english", {"said"}, {"us"})``.

    Returns
    -------
    Stopwords
    """
    if spec is None:
        return Stopwords(None)
    if isinstance(spec, Stopwords):
        if spec.language is not None:
            _check_language(spec.language)
        return spec
    if isinstance(spec, str):
        return Stopwords(_check_language(spec))
    if (
        isinstance(spec, tuple)
        and len(spec) in (2, 3)
        and (spec[0] is None or isinstance(spec[0], (str, Collection)))
        and all(not isinstance(part, str) for part in spec[1:])
    ):
        base = as_stopwords(spec[0])
        add = _word_set(spec[1], "stopwords additions")
        remove = _word_set(spec[2] if len(spec) == 3 else None, "stopwords removals")
        return Stopwords(base.language, base.words, base.add | add, base.remove | remove)
    if isinstance(spec, Collection):
        return Stopwords(None, _word_set(spec, "stopwords"))
    raise ValueError(
        "stopwords must be None, a language name (e.g. 'english'), 'auto', a set of words, "
        f"a (base, add[, remove]) tuple or a Stopwords; got {spec!r}"
    )


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
        """Return the NLTK language used for an article whose code is ``article_language``."""
        chosen = self.stopwords.language
        if chosen is not None and chosen != "auto":
            return chosen
        if chosen == "auto" and isinstance(article_language, str) and article_language:
            code = article_language.strip().lower().replace("_", "-").split("-")[0]
            return NLTK_LANGUAGES.get(code, code)
        return "english"


#: Documentation of ``ngram`` and ``stopwords`` (``{ngram_stopwords}`` in a docstring).
NGRAM_STOPWORDS_DOC = """\
ngram : int or (int, int), default 1
        Words per term: 1, 2 or 3, or an inclusive range such as ``(1, 2)``.
        N-grams never cross a sentence.
    stopwords : str, set, tuple, Stopwords or None, default "english"
        ``"english"`` (NLTK's list), another NLTK language, ``"auto"`` (each
        article's ``language``), None (keep every word), a set of words, or
        ``(base, add[, remove])`` such as ``("english", {"said"}, {"us"})``."""

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
        Punkt as in :func:`toolkit.segment.segment`."""


def document_options(func: Callable) -> Callable:
    """Fill ``{ngram_stopwords}`` and ``{token_kwargs}`` in ``func``'s docstring."""
    if func.__doc__:
        func.__doc__ = func.__doc__.replace("{ngram_stopwords}", NGRAM_STOPWORDS_DOC).replace(
            "{token_kwargs}", TOKEN_KWARGS_DOC
        )
    return func


def check_choice(name: str, value, valid: Sequence) -> None:
    """Raise ``ValueError`` naming the valid values when ``value`` is not one of them."""
    if isinstance(value, bool) or value not in valid:
        raise ValueError(f"{name}={value!r} is not valid; choose one of {tuple(valid)}")


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


# ---------------------------------------------------------------------------
# Per-type splitting and normalisation


def _is_abbreviation(stem: str) -> bool:
    if len(stem) == 1:
        return stem.isalpha() and stem.isupper()
    return stem.lower() in ABBREVIATIONS or _DOTTED.fullmatch(stem) is not None


def _split_clitic(word: str) -> tuple[tuple[str, str], ...]:
    low = word.lower().replace("’", "'")
    joined = _JOINED.get(low)
    if joined is not None:
        cut, first, second = joined
        return ((word[:cut], first), (word[cut:], second))
    for clitic, written in _CLITICS.items():
        if len(low) > len(clitic) and low.endswith(clitic):
            cut = len(word) - len(clitic)
            base = word[:cut]
            canonical = base
            if clitic == "n't" and base.lower() in _NT_BASES:
                canonical = _NT_BASES[base.lower()]
            return ((base, canonical.replace("’", "'")), (word[cut:], written))
    return ((word, word.replace("’", "'")),)


@functools.lru_cache(maxsize=1 << 20)
def token_parts(raw: str, english: bool = True) -> tuple[tuple[str, str], ...]:
    """Split one regex token into the tokens NLTK would give, with their written form.

    Parameters
    ----------
    raw : str
        A token found by :data:`TOKEN_RE`.
    english : bool
        Split English contractions.

    Returns
    -------
    tuple of (str, str)
        ``(surface, written)`` pairs whose surfaces concatenate to ``raw``; the
        written form normalises apostrophes and clitics (``n't`` -> ``not``).
    """
    tail: tuple[tuple[str, str], ...] = ()
    word = raw
    if raw[-1] == "." and len(raw) > 1 and _HAS_ALNUM.search(raw):
        if _is_abbreviation(raw[:-1]):
            return ((raw, raw.replace("’", "'")),)
        word, tail = raw[:-1], ((".", "."),)
    if english and (
        "'" in word or "’" in word or (len(word) in (5, 6) and word.lower() in _JOINED)
    ):
        return _split_clitic(word) + tail
    if "’" in word:
        return ((word, word.replace("’", "'")),) + tail
    return ((word, word),) + tail


@functools.lru_cache(maxsize=16)
def _stemmer(language: str):
    if language not in _SNOWBALL:
        resources.warn_once(
            f"stem:{language}", f"no Snowball stemmer for {language!r}; words are not stemmed"
        )
        return None
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer(language)


@functools.lru_cache(maxsize=1)
def _lemmatizer():
    if not resources.nltk_has("wordnet"):
        resources.warn_once(
            "nltk:wordnet",
            f"{resources.nltk_missing_hint('wordnet')}; words are not lemmatised",
        )
        return None
    from nltk.stem import WordNetLemmatizer

    return WordNetLemmatizer()


@functools.lru_cache(maxsize=1 << 18)
def _base_form(word: str, kind: str, language: str) -> str:
    if kind == "stem":
        stemmer = _stemmer(language)
        return stemmer.stem(word) if stemmer is not None else word
    if language != "english":
        resources.warn_once(
            f"lemma:{language}", f"WordNet lemmas are English only; {language!r} words are kept"
        )
        return word
    lemmatizer = _lemmatizer()
    return lemmatizer.lemmatize(word) if lemmatizer is not None else word


@functools.lru_cache(maxsize=64)
def _stopword_set(stopwords: Stopwords, language: str):
    import pyarrow as pa

    return pa.array(sorted(stopwords.for_language(language)), type=pa.string())


def _bools(array) -> np.ndarray:
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype=bool)


def normalise(written, options: TokenOptions, language: str):
    """Turn written tokens into terms, all at once (Arrow compute, not a Python loop).

    Parameters
    ----------
    written : pyarrow.StringArray
        Written forms of distinct tokens (see :func:`token_parts`).
    options : TokenOptions
        Tokenizer options.
    language : str
        NLTK language of the text (stopwords, stems).

    Returns
    -------
    (terms, stop)
        ``terms``: pyarrow string array, null where the token is removed
        (punctuation unless kept, dropped numbers, words shorter than
        ``min_length``, line breaks); ``stop``: numpy bool array, True for
        stopwords (tested on the lower-cased written form).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    low = pc.utf8_lower(written)
    punct = ~_bools(pc.match_substring_regex(written, r"[\p{L}\p{N}]"))
    number = ~punct & _bools(pc.match_substring_regex(written, r"^\p{Nd}+(?:[.,:]\p{Nd}+)*$"))
    if options.numbers == "keep":
        number[:] = False
    short = _bools(pc.less(pc.utf8_length(written), options.min_length)) & ~punct & ~number
    if options.base_form != "none":
        terms = pa.array(
            [_base_form(w, options.base_form, language) for w in low.to_pylist()], type=pa.string()
        )
    else:
        terms = low if options.lowercase else written
    if options.keep_punct:
        terms = pc.if_else(pa.array(punct), written, terms)
    if options.numbers == "replace":
        terms = pc.if_else(pa.array(number), pa.scalar(NUM_TERM), terms)
    drop = short | (number & (options.numbers == "drop")) | (punct & (not options.keep_punct))
    drop |= _bools(pc.equal(written, "\n"))
    terms = pc.if_else(pa.array(drop), pa.scalar(None, pa.string()), terms)
    stop = ~(punct | number | drop) & _bools(
        pc.is_in(low, value_set=_stopword_set(options.stopwords, language))
    )
    return terms, stop


@dataclass
class Expansion:
    """What each distinct raw token becomes: its parts are ``start[i] : start[i] + length[i]``."""

    start: np.ndarray
    length: np.ndarray
    term: np.ndarray  # term id of each part, -1 when removed
    stop: np.ndarray  # whether the part is a stopword
    boundary: np.ndarray  # whether a sentence ends after the part (1), after it when
    # the next token is capitalised (2), or not (0)
    upper: np.ndarray  # whether the part starts with an upper-case letter


def _written_parts(raw, english: bool) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`token_parts`: (number of parts, written parts) of each raw token.

    The written parts of token ``i`` are ``written[start[i] : start[i] + length[i]]``
    with ``start = cumsum(length) - length``. Only tokens with an apostrophe or
    a joined contraction (a few percent) are split in Python.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(raw)
    stem = pc.utf8_slice_codeunits(raw, 0, -1)
    dotted = _bools(pc.ends_with(raw, ".")) & _bools(pc.greater(pc.utf8_length(raw), 1))
    dotted &= _bools(pc.match_substring_regex(raw, r"[\p{L}\p{N}]"))
    keep_period = _bools(pc.is_in(pc.utf8_lower(stem), value_set=_ABBREVIATION_SET()))
    keep_period |= _bools(pc.match_substring_regex(stem, r"^(?:(?:\pL\.)+\pL|\p{Lu})$"))
    split = dotted & ~keep_period
    word = pc.if_else(pa.array(split), stem, raw)
    contracted = np.zeros(n, dtype=bool)
    if english:
        contracted = _bools(pc.match_substring_regex(word, "['’]"))
        contracted |= _bools(pc.is_in(pc.utf8_lower(word), value_set=pa.array(list(_JOINED))))
    words = pc.replace_substring(word, "’", "'").to_numpy(zero_copy_only=False)
    odd = np.flatnonzero(contracted)
    pieces = [_split_clitic(w) for w in word.take(odd).to_pylist()]
    n_word = np.ones(n, dtype=np.int64)
    n_word[odd] = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    length = n_word + split
    start = np.cumsum(length) - length
    written = np.empty(int(length.sum()), dtype=object)
    written[start] = words
    for first, parts in zip(start[odd], pieces, strict=True):
        written[first : first + len(parts)] = [w for _, w in parts]
    written[(start + n_word)[split]] = "."
    return length, written


@functools.lru_cache(maxsize=1)
def _ABBREVIATION_SET():  # noqa: N802 - a cached constant
    import pyarrow as pa

    return pa.array(sorted(ABBREVIATIONS), type=pa.string())


def expand_types(
    raw_types, options: TokenOptions, language: str, vocab: dict[str, int]
) -> Expansion:
    """Split and normalise each distinct raw token, adding new terms to ``vocab``.

    The same rules as :func:`token_parts` and :func:`normalise`, applied to
    whole Arrow arrays of distinct tokens.

    Parameters
    ----------
    raw_types : list of str
        Distinct tokens found by the regex.
    options : TokenOptions
        Tokenizer options.
    language : str
        NLTK language of the text.
    vocab : dict
        Term -> id, shared by every language of one call (updated in place).

    Returns
    -------
    Expansion
    """

    length, written = _written_parts(arrow_strings(raw_types), language == "english")
    written = arrow_strings(written)
    terms, stop = normalise(written, options, language)
    return Expansion(
        np.cumsum(length) - length,
        length,
        _term_ids(terms, vocab),
        stop,
        *_boundary_kinds(written),
    )


def _term_ids(terms, vocab: dict[str, int]) -> np.ndarray:
    """Ids of ``terms`` (Arrow strings, null -> -1); terms not yet in ``vocab`` are added."""
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = terms.dictionary_encode()
    distinct = encoded.dictionary
    found = np.full(len(distinct), -1, dtype=np.int64)
    if vocab and len(distinct):
        known = pc.index_in(distinct, value_set=arrow_strings(list(vocab)))
        found = np.asarray(pc.fill_null(known, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
    new = np.flatnonzero(found < 0)
    found[new] = np.arange(len(vocab), len(vocab) + len(new))
    vocab.update(zip(distinct.take(pa.array(new)).to_pylist(), found[new].tolist(), strict=True))
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return np.where(codes >= 0, found[np.maximum(codes, 0)], -1) if len(found) else codes


def arrow_strings(values):
    """A pyarrow string array of Python strings; lone surrogates become U+FFFD."""
    import pyarrow as pa

    try:
        return pa.array(values, type=pa.string())
    except (pa.ArrowException, UnicodeEncodeError):
        clean = [
            v if v is None else v.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
            for v in values
        ]
        return pa.array(clean, type=pa.string())


def expand_index(raw_ids: np.ndarray, expansion: Expansion) -> tuple[np.ndarray, np.ndarray]:
    """Return (part index, owner) for every part of every raw token in ``raw_ids``.

    ``owner[k]`` is the position in ``raw_ids`` that part ``k`` comes from, so
    any per-token array can follow the expansion with ``array[owner]``.
    """
    lengths = expansion.length[raw_ids]
    total = int(lengths.sum())
    before = np.cumsum(lengths) - lengths
    index = np.repeat(expansion.start[raw_ids] - before, lengths) + np.arange(total, dtype=np.int64)
    owner = np.repeat(np.arange(len(raw_ids), dtype=np.int64), lengths)
    return index, owner


def language_partitions(
    n_docs: int, options: TokenOptions, languages: Sequence | None
) -> list[tuple[str, np.ndarray]]:
    """Group document positions by the NLTK language their terms are made in.

    Parameters
    ----------
    n_docs : int
        Number of documents.
    options : TokenOptions
        The options (only ``stopwords="auto"`` looks at ``languages``).
    languages : sequence of str or None
        Each document's language code (the articles' ``language`` column).

    Returns
    -------
    list of (str, numpy.ndarray)
        Language name and the document positions in it, in order.
    """
    if options.stopwords.language != "auto" or languages is None:
        return [(options.language_of(None), np.arange(n_docs, dtype=np.int64))]
    names = [options.language_of(code) for code in languages]
    codes, uniques = pd.factorize(pd.Series(names, dtype="object"))
    return [(name, np.flatnonzero(codes == i)) for i, name in enumerate(uniques)]


#: Documents are tokenized in batches of about this many characters, so memory
#: stays bounded however large the corpus is.
BATCH_CHARS = 20_000_000


def batches(
    texts: Sequence[str], options: TokenOptions, languages: Sequence | None
) -> Iterable[tuple[str, np.ndarray]]:
    """Yield ``(language, document positions)`` batches, each of one language."""
    for language, docs in language_partitions(len(texts), options, languages):
        sizes = np.fromiter((len(texts[d]) for d in docs), dtype=np.int64, count=len(docs))
        cut = np.cumsum(sizes) // BATCH_CHARS
        for number in np.unique(cut):
            yield language, docs[cut == number]


def number_strings(strings: list[str]) -> tuple[np.ndarray, list[str]]:
    """Number distinct strings in order of first appearance.

    Returns
    -------
    (codes, uniques)
        ``uniques[codes[i]] == strings[i]``.
    """
    import pyarrow as pa

    try:
        # Arrow hashes in C++, about twice as fast as pandas.factorize on Python strings.
        encoded = pa.array(strings, type=pa.string()).dictionary_encode()
    except (pa.ArrowException, UnicodeEncodeError):
        codes, uniques = pd.factorize(pd.Series(strings, dtype="object"))
        return codes.astype(np.int64), list(uniques)
    return (
        encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64),
        encoded.dictionary.to_pylist(),
    )


def _progress(iterable: Iterable, *, total: int, enabled: bool, desc: str) -> Iterable:
    if not enabled or total < 500:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, leave=False, mininterval=0.5)


# ---------------------------------------------------------------------------
# Unigram counts: a Counter per group over regex tokens (C speed), then the
# per-type expansion.


def unigram_counts(
    texts: Sequence[str],
    options: TokenOptions,
    *,
    groups: np.ndarray,
    n_groups: int,
    languages: Sequence | None = None,
    vocab: dict[str, int] | None = None,
    progress: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, int]]:
    """Count the unigram terms of ``texts`` per group.

    Parameters
    ----------
    texts : sequence of str
        One text per document.
    options : TokenOptions
        Tokenizer options (``ngram`` is ignored: unigrams).
    groups : numpy.ndarray
        Group number (0 .. n_groups-1) of each document.
    n_groups : int
        Number of groups.
    languages : sequence of str, optional
        Each document's language code (for ``stopwords="auto"``).
    vocab : dict, optional
        Term -> id to extend (a new one by default).
    progress : bool
        Show a progress bar for long inputs.

    Returns
    -------
    (group, term, count, vocab)
        Arrays with one entry per (group, term) pair that occurs (duplicates
        possible, sum them), and the term vocabulary. Stopwords are left out.
    """
    vocab = {} if vocab is None else vocab
    pattern = TOKEN_RE if options.keep_punct else WORD_RE
    out_group, out_term, out_count = [], [], []
    for language, docs in batches(texts, options, languages):
        counters: dict[int, Counter] = {}
        for doc in _progress(docs, total=len(docs), enabled=progress, desc="counting"):
            group = int(groups[doc])
            counter = counters.get(group)
            if counter is None:
                counter = counters[group] = Counter()
            counter.update(pattern.findall(texts[doc]))
        sizes = np.fromiter(map(len, counters.values()), dtype=np.int64, count=len(counters))
        counts = np.fromiter(
            itertools.chain.from_iterable(c.values() for c in counters.values()),
            dtype=np.int64,
            count=int(sizes.sum()),
        )
        if len(counters) == 1:  # one group: its keys are already distinct
            raw_types = list(next(iter(counters.values())))
            raw_ids = np.arange(len(raw_types), dtype=np.int64)
        else:
            raw_ids, raw_types = number_strings(
                list(itertools.chain.from_iterable(counters.values()))
            )
        expansion = expand_types(raw_types, options, language, vocab)
        index, owner = expand_index(raw_ids, expansion)
        keep = (expansion.term[index] >= 0) & ~expansion.stop[index]
        group_of = np.repeat(np.fromiter(counters, dtype=np.int64, count=len(counters)), sizes)
        out_group.append(group_of[owner[keep]])
        out_term.append(expansion.term[index[keep]])
        out_count.append(counts[owner[keep]])
    return (
        np.concatenate(out_group) if out_group else np.zeros(0, np.int64),
        np.concatenate(out_term) if out_term else np.zeros(0, np.int64),
        np.concatenate(out_count) if out_count else np.zeros(0, np.int64),
        vocab,
    )


# ---------------------------------------------------------------------------
# Token streams: every token in order, for n-grams, positions and KWIC.


@dataclass
class TokenStream:
    """The terms of a list of documents, one entry per token, in text order.

    Tokens removed outright (punctuation, dropped numbers, too short) are not
    in the stream; stopwords are, flagged in ``stop``, so callers choose to
    drop them (counts) or to filter n-grams that hold one (collocations).
    """

    doc: np.ndarray  # document position of each token
    term: np.ndarray  # term id
    stop: np.ndarray  # stopword flag
    sentence: np.ndarray  # sentence number, unique through the whole stream
    position: np.ndarray  # index among all the document's tokens (removed ones too)
    terms: np.ndarray  # term id -> term (object array)
    n_docs: int

    def without_stopwords(self) -> TokenStream:
        """Return the stream without its stopword tokens."""
        keep = ~self.stop
        return TokenStream(
            self.doc[keep],
            self.term[keep],
            self.stop[keep],
            self.sentence[keep],
            self.position[keep],
            self.terms,
            self.n_docs,
        )


def _punkt_sentences(text: str, starts: np.ndarray) -> np.ndarray:
    from .segment import iter_sentences

    first = np.fromiter((s for _, s, _ in iter_sentences(text)), dtype=np.int64)
    if len(first) == 0:
        return np.zeros(len(starts), dtype=np.int64)
    return np.maximum(np.searchsorted(first, starts, side="right") - 1, 0)


def _raw_tokens(texts, docs, options, progress) -> tuple[list[str], np.ndarray, list]:
    tokens: list[str] = []
    lengths = np.zeros(len(docs), dtype=np.int64)
    punkt: list[np.ndarray] = []
    for i, doc in enumerate(_progress(docs, total=len(docs), enabled=progress, desc="tokens")):
        text = texts[doc]
        if options.sentences == "punkt" and options.needs_sentences:
            matches = list(TOKEN_RE.finditer(text))
            found = [m.group() for m in matches]
            starts = np.fromiter((m.start() for m in matches), dtype=np.int64, count=len(found))
            punkt.append(_punkt_sentences(text, starts))
        else:
            found = TOKEN_RE.findall(text)
        tokens.extend(found)
        lengths[i] = len(found)
    return tokens, lengths, punkt


def _stream_part(texts, docs, options, language, vocab, progress) -> dict[str, np.ndarray]:
    tokens, lengths, punkt = _raw_tokens(texts, docs, options, progress)
    raw_ids, raw_types = number_strings(tokens)
    del tokens
    expansion = expand_types(raw_types, options, language, vocab)
    index, owner = expand_index(raw_ids, expansion)
    token_doc = np.repeat(docs.astype(np.int64), lengths)
    doc = token_doc[owner]
    n_parts = np.bincount(np.repeat(np.arange(len(docs)), lengths)[owner], minlength=len(docs))
    position = np.arange(len(index), dtype=np.int64) - np.repeat(
        np.cumsum(n_parts) - n_parts, n_parts
    )
    if punkt:
        within = np.concatenate(punkt)[owner] if len(owner) else np.zeros(0, np.int64)
        first = np.r_[True, doc[1:] != doc[:-1]] | np.r_[True, within[1:] != within[:-1]]
        sentence = np.cumsum(first) - 1
    else:
        ends = sentence_ends(expansion.boundary[index], expansion.upper[index])
        starts_new = np.r_[True, ends[:-1] | (doc[1:] != doc[:-1])] if len(doc) else ends
        sentence = np.cumsum(starts_new) - 1
    term = expansion.term[index]
    keep = term >= 0
    return {
        "doc": doc[keep],
        "term": term[keep],
        "stop": expansion.stop[index][keep],
        "sentence": sentence[keep],
        "position": position[keep],
    }


def token_stream(
    texts: Sequence[str],
    options: TokenOptions,
    *,
    languages: Sequence | None = None,
    progress: bool = True,
) -> TokenStream:
    """Tokenize ``texts`` into a :class:`TokenStream`.

    Parameters
    ----------
    texts : sequence of str
        One text per document.
    options : TokenOptions
        Tokenizer options.
    languages : sequence of str, optional
        Each document's language code (for ``stopwords="auto"``).
    progress : bool
        Show a progress bar for long inputs.

    Returns
    -------
    TokenStream
        Tokens ordered by document, then by position.
    """
    vocab: dict[str, int] = {}
    parts = [
        _stream_part(texts, docs, options, language, vocab, progress)
        for language, docs in batches(texts, options, languages)
    ]
    # Sentence numbers restart in every batch: shift them to be unique.
    offsets = np.cumsum([0] + [int(p["sentence"].max(initial=-1)) + 1 for p in parts])
    for part, offset in zip(parts, offsets[:-1], strict=True):
        part["sentence"] = part["sentence"] + offset
    columns = {
        key: np.concatenate([p[key] for p in parts]) if parts else np.zeros(0, np.int64)
        for key in ("doc", "term", "stop", "sentence", "position")
    }
    if np.any(np.diff(columns["doc"]) < 0):  # several languages: back to document order
        order = np.lexsort((columns["position"], columns["doc"]))
        columns = {key: value[order] for key, value in columns.items()}
    terms = np.empty(len(vocab), dtype=object)
    terms[:] = list(vocab)
    return TokenStream(
        columns["doc"].astype(np.int64),
        columns["term"].astype(np.int64),
        columns["stop"].astype(bool),
        columns["sentence"].astype(np.int64),
        columns["position"].astype(np.int64),
        terms,
        len(texts),
    )


def ngram_starts(stream: TokenStream, n: int, *, padding: bool = False) -> np.ndarray:
    """Return the stream indices where an ``n``-token n-gram starts.

    An n-gram is ``n`` consecutive stream tokens of one sentence; with
    ``padding`` they must also be consecutive in the text (no token removed
    between them).

    Parameters
    ----------
    stream : TokenStream
        Usually without its stopwords.
    n : int
        Tokens per n-gram.
    padding : bool
        Stop n-grams at removed tokens.

    Returns
    -------
    numpy.ndarray
        Start indices, increasing.
    """
    m = len(stream.term) - n + 1
    if m <= 0:
        return np.zeros(0, dtype=np.int64)
    ok = stream.sentence[:m] == stream.sentence[n - 1 :]
    if padding:
        ok &= (stream.position[n - 1 :] - stream.position[:m]) == n - 1
    return np.flatnonzero(ok)


def ngram_ids(stream: TokenStream, starts: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Number the distinct n-grams that start at ``starts``.

    Returns
    -------
    (ids, names)
        ``ids[k]`` numbers the n-gram at ``starts[k]``; ``names[id]`` is its
        words joined by a space (object array).
    """
    if len(starts) == 0:
        return np.zeros(0, dtype=np.int64), np.empty(0, dtype=object)
    ids = stream.term[starts]
    size = max(len(stream.terms), 1)
    for k in range(1, n):
        # Pair the ids so far with the next word; ids < len(starts), so no overflow.
        _, ids = np.unique(ids * size + stream.term[starts + k], return_inverse=True)
        ids = ids.reshape(-1)
    _, first = np.unique(ids, return_index=True)
    names = pd.Series(stream.terms[stream.term[starts[first]]], dtype="object")
    for k in range(1, n):
        names = (
            names + " " + pd.Series(stream.terms[stream.term[starts[first] + k]], dtype="object")
        )
    return ids, names.to_numpy(dtype=object)


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
    """Sentence number of each span by the tokenizer's own rule (see the module notes)."""
    if not spans:
        return np.zeros(0, dtype=np.int64)
    ends = sentence_ends(*_boundary_kinds(arrow_strings([s[1] for s in spans])))
    after_end = np.r_[0, np.cumsum(ends[:-1])]
    breaks = np.fromiter((m.start() for m in re.finditer("\n", text)), dtype=np.int64)
    return _renumber(after_end, np.searchsorted(breaks, starts))


def _article_tokens(article_id, text: str, options: TokenOptions, language: str) -> pd.DataFrame:

    spans = token_spans(text, english=language == "english")
    starts = np.fromiter((s[2] for s in spans), dtype=np.int64, count=len(spans))
    if options.sentences == "punkt":
        sentences = _punkt_sentences(text, starts)
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
    from .schema import usable_articles

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
    _stopword_set.cache_clear()
    _base_form.cache_clear()
