"""General-language word frequencies: the reference of ``keyness(reference="general")``.

The frequencies come from ``wordfreq`` (maintained, 40+ languages, built from
Wikipedia, subtitles, news, books, web text and social media; frequencies per word of
running text). We use it rather than a list of our own because a fair reference needs
billions of words from many genres, which no corpus shipped with the toolkit has.

The target's terms have their stopwords removed (and numbers, by the tokenizer's
options, kept or not), so the reference is made comparable: a term's general share is
its wordfreq frequency divided by the share of running text that is not a stopword
of that language. A reference of several languages is the mixture of each language's
shares weighted by the target's words in it. The reference counts are those shares in
a notional corpus of :data:`REFERENCE_TOKENS` words (wordfreq's large lists are built
from corpora of that order), so G² and the log ratio read as against a very large
reference corpus.
"""

from __future__ import annotations

import functools
import logging
import re

import numpy as np

logger = logging.getLogger(__name__)

#: Size of the notional general-language corpus (words after stopword removal).
REFERENCE_TOKENS = 1_000_000_000
_DIGITS = re.compile(r"\d")
#: The wordfreq list: "best" is the large list where there is one, else the small one.
WORDLIST = "best"


@functools.lru_cache(maxsize=1)
def general_languages() -> frozenset[str]:
    """The ISO 639-1 codes wordfreq has frequencies for."""
    import wordfreq

    return frozenset(wordfreq.available_languages(wordlist=WORDLIST))


def language_code(language) -> str | None:
    """The wordfreq code of an article language (``en``, ``en-GB``, ``zh_Hans``...), or None."""
    if not isinstance(language, str) or not language.strip():
        return None
    code = language.strip().lower().replace("_", "-")
    if code in general_languages():
        return code
    base = code.split("-")[0]
    return base if base in general_languages() else None


@functools.lru_cache(maxsize=8)
def frequency_table(code: str) -> dict[str, float]:
    """wordfreq's word -> frequency table of ``code`` (loaded once per language).

    The table is read directly rather than through ``wordfreq.word_frequency``, which
    would tokenize every term again (Japanese and Korean need MeCab for that) and is
    slower; the toolkit's terms are already single lower-case words.
    """
    import wordfreq

    return wordfreq.get_frequency_dict(code, wordlist=WORDLIST)


def _lookup(table: dict[str, float], term: str) -> float:
    found = table.get(term)
    if found is None and term.endswith("."):  # wordfreq drops an abbreviation's last stop
        found = table.get(term[:-1])
    if found is None and any(c.isdigit() for c in term):
        found = table.get(_DIGITS.sub("0", term))  # wordfreq stores numbers as 0000
    if found is None and "-" in term.strip("-"):
        # "large-scale": wordfreq's rule for a word it splits, 1 / f = sum of 1 / f_part
        parts = [table.get(part) for part in term.split("-") if part]
        if parts and all(parts):
            found = 1.0 / sum(1.0 / f for f in parts)
    return found or 0.0


@functools.lru_cache(maxsize=64)
def _stopword_share(code: str, stopwords: frozenset[str]) -> float:
    table = frequency_table(code)
    share = sum(_lookup(table, w) for w in stopwords)
    return max(1.0 - share, 0.05)


def general_shares(terms, code: str, stopwords: frozenset[str]) -> np.ndarray:
    """Each term's share of the non-stopword words of general ``code`` text.

    Parameters
    ----------
    terms : sequence of str
        Terms as the toolkit's tokenizer gives them (lower case unigrams).
    code : str
        A wordfreq language code (see :func:`language_code`).
    stopwords : frozenset of str
        The stopwords removed from the target in that language.

    Returns
    -------
    numpy.ndarray
        float64 shares, 0 for a word wordfreq has never seen.
    """
    table = frequency_table(code)
    frequencies = np.fromiter((_lookup(table, str(t)) for t in terms), dtype=np.float64,
                              count=len(terms))
    return frequencies / _stopword_share(code, stopwords)
