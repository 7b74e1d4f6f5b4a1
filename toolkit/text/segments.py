"""Split article texts into paragraphs and sentences with character offsets."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pandas as pd

from toolkit.resources import sentence_tokenizer
from toolkit.schema import check_articles

SEGMENT_COLUMNS = ["article_id", "paragraph", "sentence", "start", "end", "text"]

_PARAGRAPH = re.compile(r"[^\n]+")


def iter_sentences(text: str) -> Iterator[tuple[int, int, int]]:
    """Yield ``(paragraph, start, end)`` for each sentence of ``text``.

    Paragraphs are the non-empty lines of ``text`` (the articles frame joins
    paragraphs with "\\n"); sentences never cross a paragraph. Offsets index
    into ``text`` itself, so ``text[start:end]`` is the sentence.

    Parameters
    ----------
    text : str
        One article's text.

    Yields
    ------
    tuple of int
        Paragraph number (0-based, counting non-blank lines), start, end.
    """
    tokenizer = sentence_tokenizer("english")
    for number, match in enumerate(m for m in _PARAGRAPH.finditer(text) if m.group().strip()):
        offset = match.start()
        for start, end in tokenizer.span_tokenize(match.group()):
            yield number, offset + start, offset + end


def segment(articles: pd.DataFrame, *, text_col: str = "text") -> pd.DataFrame:
    """Return one row per sentence of every article.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles frame (``article_id`` and ``text_col`` are used; rows with
        no text give no sentences).
    text_col : str
        Column holding the text.

    Returns
    -------
    pandas.DataFrame
        Columns ``article_id``, ``paragraph`` (0-based), ``sentence`` (0-based,
        counted through the whole article), ``start``, ``end`` (character offsets
        into the article's text) and ``text`` (the sentence).
    """
    check_articles(articles)
    if text_col not in articles.columns:
        raise ValueError(
            f"text_col={text_col!r} is not a column; columns are {list(articles.columns)}"
        )
    rows: dict[str, list] = {c: [] for c in SEGMENT_COLUMNS}
    for article_id, text in zip(articles["article_id"], articles[text_col], strict=True):
        if not isinstance(text, str) or not text:
            continue
        for number, (paragraph, start, end) in enumerate(iter_sentences(text)):
            rows["article_id"].append(article_id)
            rows["paragraph"].append(paragraph)
            rows["sentence"].append(number)
            rows["start"].append(start)
            rows["end"].append(end)
            rows["text"].append(text[start:end])
    return pd.DataFrame(
        {
            "article_id": pd.Series(rows["article_id"], dtype="str"),
            "paragraph": pd.Series(rows["paragraph"], dtype="int64"),
            "sentence": pd.Series(rows["sentence"], dtype="int64"),
            "start": pd.Series(rows["start"], dtype="int64"),
            "end": pd.Series(rows["end"], dtype="int64"),
            "text": pd.Series(rows["text"], dtype="str"),
        }
    )
