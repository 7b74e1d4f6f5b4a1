"""Keyword in context: ``kwic``."""

from __future__ import annotations

import bisect
import logging
import re

import numpy as np
import pandas as pd

from toolkit.text.segments import iter_sentences
from toolkit.text.termtable import corpus, str_series
from toolkit.text.tokens.rules import ELISION_ARROW
from toolkit.text.tokens.tokenizer import Stopwords, TokenOptions, token_spans

logger = logging.getLogger(__name__)

KWIC_COLUMNS: tuple[str, ...] = (
    "article_id",
    "sentence",
    "left",
    "keyword",
    "right",
    "start",
    "end",
)
_SPACES = re.compile(r"\s+")
_WORDS = re.compile(r"\w+")
# Han ideographs and kana: Chinese and Japanese put no spaces between words.
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
# An elision anywhere in a text (the tokenizer's rule is for the start of a token).
_ELISION = re.compile(ELISION_ARROW.replace("^", r"\b").replace(r"\pL", r"[^\W\d_]"))
# The tokenizer's language of an article from its language code (English when unknown).
_BY_LANGUAGE = TokenOptions(stopwords=Stopwords("auto"))


def _english(language, text: str) -> bool:
    """Whether to tokenize ``text`` the English way (contractions split, elisions kept).

    The language is the article's; when missing, it is detected, but only for a
    text that holds an elision (the one thing the two ways split differently).
    """
    if not isinstance(language, str) or not language.strip():
        if _ELISION.search(text) is None:
            return True
        from toolkit.extract.language import detect_language

        language = detect_language(text)
    return _BY_LANGUAGE.language_of(language) == "english"


def _written(token: str, case: bool) -> str:
    token = token.replace("’", "'")
    return token if case else token.lower()


def _token_matches(spans, phrase: list[str], case: bool) -> list[tuple[int, int]]:
    """(first, last) token indices where ``phrase`` (written forms) occurs."""
    written = [_written(s[0], case) for s in spans]
    n = len(phrase)
    return [
        (i, i + n - 1)
        for i in range(len(written) - n + 1)
        if written[i] == phrase[0] and written[i : i + n] == phrase
    ]


def _regex_matches(text: str, pattern: re.Pattern) -> list[tuple[int, int]]:
    """(start, end) of each non-empty match."""
    return [m.span() for m in pattern.finditer(text) if m.end() > m.start()]


def _context(text: str, start: int, end: int) -> str:
    return _SPACES.sub(" ", text[start:end]).strip()


def _article_rows(article_id, text, spans, hits, width) -> list[tuple]:
    """One output row per (start, end) hit: ``width`` words each side, Punkt sentence."""
    words = [s for s in spans if _WORDS.search(s[0])]
    word_starts = [s[2] for s in words]
    word_ends = [s[3] for s in words]
    sentence_starts = [start for _, start, _ in iter_sentences(text)]
    rows = []
    for start, end in hits:
        before = bisect.bisect_right(word_ends, start)  # words ending at or before the hit
        after = bisect.bisect_left(word_starts, end)  # first word starting at or after its end
        # A hit inside a word (a regex, or Chinese text) shows the rest of that word
        # too, also when no whole word comes before or after it.
        left_from = min(word_starts[max(before - width, 0)], start) if width and words else start
        right_to = (
            max(word_ends[min(after + width, len(words)) - 1], end) if width and words else end
        )
        sentence = max(bisect.bisect_right(sentence_starts, start) - 1, 0)
        rows.append(
            (
                article_id,
                sentence,
                _context(text, left_from, start),
                _context(text, start, end),
                _context(text, end, right_to),
                start,
                end,
            )
        )
    return rows


def _validate(pattern, width, regex, case) -> None:
    if not isinstance(pattern, str) or not pattern.strip():
        raise ValueError(f"pattern must be a non-empty string, got {pattern!r}")
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width < 0:
        raise ValueError(f"width must be an integer >= 0 (tokens), got {width!r}")
    for name, flag in (("regex", regex), ("case", case)):
        if not isinstance(flag, bool):
            raise ValueError(f"{name} must be True or False, got {flag!r}")


def kwic(
    articles: pd.DataFrame,
    pattern: str,
    *,
    width: int = 8,
    regex: bool = False,
    case: bool = False,
    text_col: str = "text",
) -> pd.DataFrame:
    """Find every occurrence of a word, phrase or regex with the words around it.

    Parameters
    ----------
    articles : pandas.DataFrame
        Articles frame; only its usable rows are searched.
    pattern : str
        A word (``"terrorism"``) or phrase (``"security measures"``), matched
        as a sequence of whole tokens of the toolkit's tokenizer in each
        article's language (``"summit"`` finds ``summit's`` but not
        ``summits``; in French, ``"Europe"`` finds ``l'Europe``); or, with
        ``regex=True``, a regular expression searched in the text
        (``r"terror\\w*"``). A word or phrase in Chinese or Japanese
        characters, whose text has no spaces between words, is found
        wherever it occurs in the text.
    width : int, default 8
        Words (tokens holding a letter or digit) of context on each side,
        within the article.
    regex : bool, default False
        Treat ``pattern`` as a regular expression.
    case : bool, default False
        Match case exactly.
    text_col : str
        Column holding the text.

    Notes
    -----
    An article's language is its ``language`` value (English when it names
    none); an article without one that holds an elision (``l'``, ``d'``,
    ...) has its language detected from the text.

    Returns
    -------
    pandas.DataFrame
        Columns ``article_id`` (str), ``sentence`` (int64, 0-based number of
        the sentence holding the match, as in :func:`toolkit.text.segments.segment`),
        ``left``, ``keyword`` (the text as written), ``right`` (str, white
        space collapsed), ``start``, ``end`` (int64 character offsets of the
        keyword in the text). Articles in frame order, then by ``start``.

    Raises
    ------
    ValueError
        For an empty pattern, a regex that does not compile or a bad width.
    """
    _validate(pattern, width, regex, case)
    texts = corpus(articles, text_col=text_col)
    literal = not regex and _CJK.search(pattern) is not None
    if regex or literal:
        try:
            compiled = re.compile(
                re.escape(pattern.strip()) if literal else pattern, 0 if case else re.IGNORECASE
            )
        except re.error as error:
            raise ValueError(f"pattern is not a valid regular expression: {error}") from error
        probe = None
    else:
        # the pattern's tokens in the English way and in the other (elisions split)
        phrases = {
            english: [_written(s[0], case) for s in token_spans(pattern, english=english)]
            for english in (True, False)
        }
        probe = max(_WORDS.findall(pattern) or [pattern.strip()], key=len)
    languages = texts.languages or [None] * len(texts)
    rows: list[tuple] = []
    for article_id, text, language in zip(
        texts.frame["article_id"], texts.texts, languages, strict=True
    ):
        if probe is not None and (probe if case else probe.lower()) not in (
            text if case else text.lower()
        ):
            continue
        english = _english(language, text)
        spans = token_spans(text, english=english)
        if probe is None:
            hits = _regex_matches(text, compiled)
        else:
            matches = _token_matches(spans, phrases[english], case)
            hits = [(spans[i][2], spans[j][3]) for i, j in matches]
        if hits:
            rows.extend(_article_rows(article_id, text, spans, hits, int(width)))
    columns = list(zip(*rows, strict=True)) if rows else [[]] * len(KWIC_COLUMNS)
    return pd.DataFrame(
        {
            "article_id": str_series(columns[0]),
            "sentence": pd.Series(columns[1], dtype="int64"),
            "left": str_series(columns[2]),
            "keyword": str_series(columns[3]),
            "right": str_series(columns[4]),
            "start": pd.Series(columns[5], dtype="int64"),
            "end": pd.Series(columns[6], dtype="int64"),
        }
    )
