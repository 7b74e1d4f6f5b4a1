"""kwic: words, phrases and regexes with their context."""

from __future__ import annotations

import pandas as pd
import pytest

from toolkit.schema import conform_articles, empty_articles
from toolkit.text.concordance import kwic
from toolkit.text.segments import segment

COLUMNS = ["article_id", "sentence", "left", "keyword", "right", "start", "end"]
TEXT = (
    "Police guard the G20 summit. The summit's venue is closed, police said.\n"
    "Counterterrorism units and terrorism experts met."
)


def articles(texts) -> pd.DataFrame:
    frame = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(texts))], "text": texts})
    return conform_articles(frame.assign(status="ok"))


def test_word_matches_whole_tokens_case_insensitively():
    table = kwic(articles([TEXT]), "police", width=3)
    assert list(table.columns) == COLUMNS
    assert table["keyword"].tolist() == ["Police", "police"]
    assert table["left"].tolist() == ["", "venue is closed,"]
    assert table["right"].tolist() == ["guard the G20", "said. Counterterrorism units"]
    assert table["sentence"].tolist() == [0, 1]
    # "summit" finds "summit's" (the clitic is a token of its own) but not "summits".
    assert kwic(articles([TEXT]), "summit")["keyword"].tolist() == ["summit", "summit"]
    assert kwic(articles([TEXT]), "Police", case=True)["start"].tolist() == [0]


def test_offsets_and_sentences_match_the_text_and_segments(seed_articles):
    table = kwic(seed_articles, "G20")
    text = seed_articles["text"].iloc[0]
    assert len(table) == 4
    assert all(
        text[s:e] == k
        for s, e, k in zip(table["start"], table["end"], table["keyword"], strict=True)
    )
    sentences = segment(seed_articles)
    for start, number in zip(table["start"], table["sentence"], strict=True):
        row = sentences[sentences["sentence"] == number].iloc[0]
        assert row["start"] <= start < row["end"]


def test_phrase_and_width():
    table = kwic(articles([TEXT]), "G20 summit", width=2)
    assert table["keyword"].tolist() == ["G20 summit"]
    assert table["left"].iloc[0] == "guard the"
    assert table["right"].iloc[0] == ". The summit"
    zero = kwic(articles([TEXT]), "G20 summit", width=0)
    assert (zero["left"].iloc[0], zero["right"].iloc[0]) == ("", "")


def test_context_crosses_paragraphs_with_spaces():
    table = kwic(articles([TEXT]), "Counterterrorism", width=3)
    assert table["left"].iloc[0] == "closed, police said."
    assert table["sentence"].iloc[0] == 2


def test_regex_matches_inside_words():
    table = kwic(articles([TEXT]), r"terror\w*", regex=True, width=2)
    assert table["keyword"].tolist() == ["terrorism", "terrorism"]
    assert table["left"].tolist() == ["police said. Counter", "units and"]
    assert kwic(articles([TEXT]), r"\bterror\w*", regex=True)["start"].tolist() == [
        TEXT.index("terrorism experts")
    ]


def test_several_articles_in_frame_order():
    frame = articles(["No match here.", "Summit one.", "Summit two and summit three."])
    table = kwic(frame, "summit")
    assert table["article_id"].tolist() == ["a1", "a2", "a2"]
    assert table["start"].tolist() == [0, 0, 15]


@pytest.mark.parametrize(
    ("frame", "pattern"),
    [(empty_articles(), "summit"), (articles([TEXT]), "weather"), (articles([TEXT]), "zz+")],
    ids=["no articles", "no match", "no regex match as a word"],
)
def test_empty(frame, pattern):
    table = kwic(frame, pattern)
    assert list(table.columns) == COLUMNS and len(table) == 0
    assert [str(t) for t in table.dtypes] == ["str", "int64", "str", "str", "str", "int64", "int64"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"pattern": ""}, "non-empty"),
        ({"pattern": "(", "regex": True}, "regular expression"),
        ({"pattern": "x", "width": -1}, "width"),
        ({"pattern": "x", "regex": "yes"}, "regex"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        kwic(articles([TEXT]), **kwargs)


def test_french_elisions_are_split_by_the_article_language():
    text = "L'Europe et l'État. L'Europe a dit que l'Europe, d'Europe."
    frame = articles([text])  # no language: detected, since the text holds elisions
    table = kwic(frame, "Europe", width=2)
    assert table["keyword"].tolist() == ["Europe"] * 4
    assert table["left"].tolist() == ["L'", "État. L'", "que l'", "Europe, d'"]
    assert kwic(frame, "l'europe")["keyword"].tolist() == ["L'Europe", "L'Europe", "l'Europe"]
    assert len(kwic(frame.assign(language="fr"), "Europe")) == 4
    # English keeps l'Europe whole (and splits its own contractions).
    assert len(kwic(frame.assign(language="en"), "Europe")) == 0
    assert kwic(articles(["They don't know"]), "do")["keyword"].tolist() == ["do"]


def test_chinese_and_japanese_words_are_found_inside_the_text():
    chinese = "中国警方加强了杭州的安保工作。中国希望国际社会合作。"
    japanese = "東京で会議が開かれた。東京都の知事は、日本の安全を強調した。"
    table = kwic(articles([chinese, japanese]), "中国", width=1)
    assert table["start"].tolist() == [0, chinese.index("中国希望")]
    assert table["keyword"].tolist() == ["中国", "中国"]
    assert table["right"].tolist() == [
        "警方加强了杭州的安保工作。中国希望国际社会合作",
        "希望国际社会合作",
    ]
    assert table["left"].iloc[1] == "中国警方加强了杭州的安保工作。"
    found = kwic(articles([chinese, japanese]), "安全", width=1)
    assert found[["article_id", "left", "right"]].values.tolist() == [
        ["a1", "東京都の知事は、日本の", "を強調した"]
    ]
    assert kwic(articles([japanese]), "東京都")["start"].tolist() == [japanese.index("東京都")]
