"""Tests for toolkit.entities.passages on the seed article."""

from __future__ import annotations

import pandas as pd
import pytest

from toolkit.entities.passages import EVIDENCE_COLUMNS, evidence
from toolkit.resources import find_spacy_model

pytestmark = pytest.mark.skipif(find_spacy_model() is None, reason="no spaCy pipeline installed")


@pytest.fixture(scope="module")
def seed(seed_articles):
    from toolkit.entities import extract_entities

    articles = seed_articles.assign(url="http://www.chinadaily.com.cn/china/2016-04/07/content.htm")
    return extract_entities(articles, backend="spacy", progress=False), articles


def test_sentences_where_both_are_named(seed):
    mentions, articles = seed
    rows = evidence(mentions, articles, "Hou Le", "Counterterrorism Bureau")
    assert rows.columns.tolist() == EVIDENCE_COLUMNS
    assert rows["sentence"].tolist() == [2, 10]
    assert rows["text"].iloc[1].startswith("Hou from the Counterterrorism Bureau said")
    text = articles["text"].iloc[0]
    for row in rows.itertuples():
        assert text[row.start : row.end] == row.text
    assert set(rows["title"]) == {"Cooperation sought to ensure safe G20"}
    assert set(rows["date"]) == {pd.Timestamp("2016-04-07 02:54")}
    assert rows["url"].str.startswith("http://www.chinadaily").all()


def test_names_accept_aliases(seed):
    mentions, articles = seed
    by_alias = evidence(mentions, articles, "Hou", "the counterterrorism bureau")
    assert by_alias["sentence"].tolist() == [2, 10]
    acronym = evidence(mentions, articles, "IS", "China")
    assert acronym["sentence"].tolist() == [13]
    with pytest.raises(ValueError, match="close names"):
        evidence(mentions, articles, "Hou Lee", "China")


def test_other_windows(seed):
    mentions, articles = seed
    paragraphs = evidence(mentions, articles, "Thorsten Boelts", "Beijing", window="paragraph")
    assert paragraphs["paragraph"].tolist() == [6]
    assert paragraphs["text"].iloc[0].startswith('"Grasping international intelligence')
    whole = evidence(mentions, articles, "Syria", "Hou Le", window="article")
    assert len(whole) == 1 and whole["text"].iloc[0] == articles["text"].iloc[0]
    near = evidence(mentions, articles, "Syria", "Afghanistan", window=3)
    assert near["sentence"].tolist() == [11]
    assert "Syria and Afghanistan" in near["text"].iloc[0]
    assert evidence(mentions, articles, "Syria", "Thorsten Boelts").empty
    with pytest.raises(ValueError, match="window"):
        evidence(mentions, articles, "Syria", "China", window="page")
