"""toolkit.schema: which rows and ids the analysis functions accept."""

from __future__ import annotations

import pandas as pd
import pytest

import toolkit as tk
from toolkit.schema import usable_articles, with_string_ids


def test_numeric_ids_from_another_tool_become_strings_everywhere():
    articles = pd.DataFrame(
        {"article_id": [101, 102], "text": ["Angela Merkel visited Berlin.", "Macron in Paris."]}
    )
    assert usable_articles(articles)["article_id"].tolist() == ["101", "102"]
    assert articles["article_id"].tolist() == [101, 102]  # the input is not changed
    counts = tk.term_counts(articles, by="article_id")
    scores = tk.tfidf(articles)
    assert set(counts["article_id"]) == set(scores["article_id"]) == {"101", "102"}


def test_repeated_or_missing_ids_are_refused_with_a_clear_message():
    repeated = pd.DataFrame({"article_id": ["x1", "x1", "x2"], "text": ["a b", "c d", "e f"]})
    with pytest.raises(ValueError, match=r"article_id must be unique.*'x1'.*read_articles"):
        tk.term_counts(repeated)
    with pytest.raises(ValueError, match="article_id must be unique"):
        tk.extract_entities(repeated, backend="nltk", progress=False)
    missing = pd.DataFrame({"article_id": ["a", None], "text": ["a b", "c d"]})
    with pytest.raises(ValueError, match="article_id is missing in 1 row"):
        with_string_ids(missing)
