import pandas as pd
import pytest

from toolkit.schema import conform_articles
from toolkit.text.segments import segment


def test_seed_sentences_have_exact_offsets(seed_articles, seed_expected):
    segments = segment(seed_articles)
    text = seed_articles["text"][0]
    assert list(segments.columns) == ["article_id", "paragraph", "sentence", "start", "end", "text"]
    assert segments["paragraph"].nunique() == len(seed_expected["body_paragraphs"]) == 11
    for row in segments.itertuples():
        assert text[row.start : row.end] == row.text
    assert segments["sentence"].tolist() == list(range(len(segments)))
    # paragraph 3 (0-based 2) holds the quote and "Hou made the remark ..." as two sentences
    third = segments[segments["paragraph"] == 2]["text"].tolist()
    assert len(third) == 2 and third[1].startswith("Hou made the remark")


def test_abbreviations_do_not_split_sentences():
    text = "Mr. Obama met U.S. officials in Hangzhou on Sept. 3. They talked.\nSecond paragraph."
    frame = conform_articles(pd.DataFrame([{"article_id": "x", "text": text}]))
    got = segment(frame)["text"].tolist()
    assert got == [
        "Mr. Obama met U.S. officials in Hangzhou on Sept. 3.",
        "They talked.",
        "Second paragraph.",
    ]


def test_empty_and_bad_column(seed_articles):
    empty = segment(seed_articles.iloc[0:0])
    assert empty.empty and list(empty.columns)[-1] == "text"
    assert segment(seed_articles.assign(text=[None])).empty
    with pytest.raises(ValueError, match="text_col"):
        segment(seed_articles, text_col="body")
