"""How text becomes terms, token by token: the token regex, splits, normalisation and sentences.

How text becomes terms
----------------------
1. **Tokens.** One compiled regular expression finds NLTK-grade tokens at regex
   speed: words with inner hyphens, apostrophes and periods kept together
   (``large-scale``, ``O'Brien``, ``U.S.``, ``www.example.com``), numbers with
   thousands separators, decimals and clock times (``1,000.50``, ``10:30``),
   URLs and e-mail addresses as one token, ``...`` and ``--`` as one token,
   every other punctuation character on its own, and a line break as a
   paragraph marker. Text written without spaces between words (Chinese,
   Japanese) is not cut into words: a run of Han or kana characters between
   punctuation is one token, so its term counts need a word segmenter first
   (for instance jieba for Chinese, fugashi or MeCab for Japanese: join the
   words it finds with spaces). :func:`toolkit.text.concordance.kwic` finds a Chinese or
   Japanese word or phrase anywhere in the text.
2. **Splits, once per distinct token (type), not per token.** A word that
   ends in a period keeps it only when it is an abbreviation (``U.S.``,
   ``e.g.``, ``Mr.``, ``Jan.``, single capital initials); otherwise the period
   becomes its own token, as in NLTK. English contractions are split as
   NLTK's ``word_tokenize`` splits them (``don't`` -> ``do`` + ``n't``,
   ``can't`` -> ``ca`` + ``n't``, ``John's`` -> ``John`` + ``'s``,
   ``cannot`` -> ``can`` + ``not``, ``gonna`` -> ``gon`` + ``na``). In any
   other language an elided article, pronoun or conjunction
   (:data:`~toolkit.text.tokens.stopwords.ELISIONS`: French, Italian and Catalan
   ``l'``, ``d'``, ``j'``, ``qu'``, ``n'``, ``s'``, ``c'``, ``m'``, ``t'``,
   ``dell'``, ...) is split off the word it precedes (``l'Europe`` -> ``l'`` +
   ``Europe``, ``d'Europe`` -> ``d'`` + ``Europe``), and English contractions
   are left whole; the text's language is the article's ``language`` (that of
   the ``stopwords=`` list, else English, when the article has none). The curly apostrophe (’) is
   treated like the straight one.
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
   :func:`toolkit.text.segments.iter_sentences` instead (slower, the same sentences
   as :func:`toolkit.text.segments.segment`).

N-grams are then made of the terms within one sentence (see
:mod:`toolkit.text.tokens.stream`); :mod:`toolkit.text.tokens.expand` applies steps 2
and 3 to whole arrays of distinct tokens at once.

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
import re

import numpy as np

from toolkit import resources
from toolkit.text.tokens.options import TokenOptions
from toolkit.text.tokens.stopwords import ELISIONS, Stopwords

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


def boundary_kinds(written) -> tuple[np.ndarray, np.ndarray]:
    """(kind, upper) of Arrow tokens: kind 1 ends a sentence, 2 ends one before a capital."""
    import pyarrow.compute as pc

    kind = bools(pc.is_in(written, value_set=arrow_strings(sorted(_BOUNDARIES)))).astype(np.int8)
    kind[bools(pc.is_in(written, value_set=arrow_strings(sorted(_ELLIPSES))))] = 2
    return kind, bools(pc.match_substring_regex(written, r"^\p{Lu}"))


def sentence_ends(kind: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Whether a sentence ends after each token of a sequence (see :func:`boundary_kinds`)."""
    return (kind == 1) | ((kind == 2) & np.r_[upper[1:], False])


def punkt_sentences(text: str, starts: np.ndarray) -> np.ndarray:
    from toolkit.text.segments import iter_sentences

    first = np.fromiter((s for _, s, _ in iter_sentences(text)), dtype=np.int64)
    if len(first) == 0:
        return np.zeros(len(starts), dtype=np.int64)
    return np.maximum(np.searchsorted(first, starts, side="right") - 1, 0)


_HAS_ALNUM = re.compile(r"[^\W_]")
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
JOINED: dict[str, tuple[int, str, str]] = {
    "cannot": (3, "can", "not"),
    "gonna": (3, "gon", "na"),
    "gotta": (3, "got", "ta"),
    "wanna": (3, "wan", "na"),
    "gimme": (3, "gim", "me"),
    "lemme": (3, "lem", "me"),
}

# An elided word at the start of a token, before a letter (one split: the rest
# stays whole, as in d'aujourd'hui). The Arrow form (RE2) has no lookahead.
_ELIDED = "|".join(sorted((e[:-1] for e in ELISIONS), key=lambda e: (-len(e), e)))
_ELISION_RE = re.compile(rf"(?:{_ELIDED})['’](?=[^\W\d_])", re.IGNORECASE)
ELISION_ARROW = rf"(?i)^(?:{_ELIDED})['’]\pL"

_SNOWBALL = frozenset(
    "arabic danish dutch english finnish french german hungarian italian norwegian "
    "portuguese romanian russian spanish swedish".split()
)


# ---------------------------------------------------------------------------
# Per-type splitting and normalisation


def _is_abbreviation(stem: str) -> bool:
    if len(stem) == 1:
        return stem.isalpha() and stem.isupper()
    return stem.lower() in ABBREVIATIONS or _DOTTED.fullmatch(stem) is not None


def _split_clitic(word: str) -> tuple[tuple[str, str], ...]:
    low = word.lower().replace("’", "'")
    joined = JOINED.get(low)
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


def _split_elision(word: str) -> tuple[tuple[str, str], ...]:
    found = _ELISION_RE.match(word)
    if found is None:
        return ((word, word.replace("’", "'")),)
    cut = found.end()
    return (
        (word[:cut], word[:cut].replace("’", "'")),
        (word[cut:], word[cut:].replace("’", "'")),
    )


def split_apostrophes(word: str, english: bool) -> tuple[tuple[str, str], ...]:
    """Split a word with an apostrophe: English contractions, or elisions in other languages."""
    return _split_clitic(word) if english else _split_elision(word)


@functools.lru_cache(maxsize=1 << 20)
def token_parts(raw: str, english: bool = True) -> tuple[tuple[str, str], ...]:
    """Split one regex token into the tokens NLTK would give, with their written form.

    Parameters
    ----------
    raw : str
        A token found by :data:`TOKEN_RE`.
    english : bool
        Split English contractions (True) or elisions (False).

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
    if "'" in word or "’" in word or (english and len(word) in (5, 6) and word.lower() in JOINED):
        return split_apostrophes(word, english) + tail
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
def base_form(word: str, kind: str, language: str) -> str:
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
def stopword_set(stopwords: Stopwords, language: str):
    import pyarrow as pa

    return pa.array(sorted(stopwords.for_language(language)), type=pa.string())


def bools(array) -> np.ndarray:
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
    punct = ~bools(pc.match_substring_regex(written, r"[\p{L}\p{N}]"))
    number = ~punct & bools(pc.match_substring_regex(written, r"^\p{Nd}+(?:[.,:]\p{Nd}+)*$"))
    if options.numbers == "keep":
        number[:] = False
    short = bools(pc.less(pc.utf8_length(written), options.min_length)) & ~punct & ~number
    if options.base_form != "none":
        terms = pa.array(
            [base_form(w, options.base_form, language) for w in low.to_pylist()], type=pa.string()
        )
    else:
        terms = low if options.lowercase else written
    if options.keep_punct:
        terms = pc.if_else(pa.array(punct), written, terms)
    if options.numbers == "replace":
        terms = pc.if_else(pa.array(number), pa.scalar(NUM_TERM), terms)
    drop = short | (number & (options.numbers == "drop")) | (punct & (not options.keep_punct))
    drop |= bools(pc.equal(written, "\n"))
    terms = pc.if_else(pa.array(drop), pa.scalar(None, pa.string()), terms)
    stop = ~(punct | number | drop) & bools(
        pc.is_in(low, value_set=stopword_set(options.stopwords, language))
    )
    return terms, stop


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
