"""keyness against general language (wordfreq) and the Benjamini–Hochberg q column."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import wordfreq

from toolkit.schema import conform_articles
from toolkit.text.general import REFERENCE_TOKENS, general_shares, language_code
from toolkit.text.keywords import benjamini_hochberg, keyness, log_likelihood


def articles(texts, **columns) -> pd.DataFrame:
    frame = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(texts))], "text": texts})
    return conform_articles(frame.assign(status="ok", **columns))


def test_benjamini_hochberg_by_hand():
    # m = 4 sorted p-values 0.01, 0.02, 0.03, 0.5: q_i = min over j >= i of p_j m / j
    p = np.array([0.03, 0.5, 0.01, 0.02])
    expected = np.array([0.04, 0.5, 0.04, 0.04])
    assert benjamini_hochberg(p) == pytest.approx(expected)
    assert benjamini_hochberg([]).shape == (0,)


def test_q_column_adjusts_every_keyness_p_value():
    frame = articles(["summit summit summit police rain", "summit police", "rain rain police",
                      "rain police sun"], sitename=["a", "a", "b", "b"])
    table = keyness(frame, target="a", by="sitename")
    assert table["q"].to_numpy() == pytest.approx(benjamini_hochberg(table["p_value"]))
    assert (table["q"] >= table["p_value"]).all()


def test_general_reference_uses_wordfreq_in_the_article_language():
    text = "The zeppelin crossed the city. The zeppelin and the people watched the city."
    table = keyness(articles([text], language=["en"]), reference="general", progress=False)
    rows = table.set_index("term")
    # the rare word is the most distinctive, the common ones are not
    assert table["term"].iloc[0] == "zeppelin"
    assert rows.loc["zeppelin", "g2"] > rows.loc["people", "g2"]
    # the reference count is the word's general share in 10^9 words, by hand
    stop = wordfreq.word_frequency  # noqa: F841 (the share is checked through general_shares)
    share = general_shares(["city"], "en", frozenset(_english_stopwords()))[0]
    assert rows.loc["city", "count_reference"] == round(share * REFERENCE_TOKENS)
    assert rows.loc["city", "total_reference"] == REFERENCE_TOKENS
    a, c = rows.loc["city", "count_target"], rows.loc["city", "total_target"]
    b = rows.loc["city", "count_reference"]
    assert rows.loc["city", "g2"] == pytest.approx(log_likelihood(a, b, c, REFERENCE_TOKENS))
    assert rows.loc["city", "log_ratio"] == pytest.approx(
        math.log2((a / c) / (b / REFERENCE_TOKENS)))
    assert "wordfreq" in table.attrs["reference"]


def _english_stopwords():
    from toolkit.text.tokens.stopwords import as_stopwords

    return as_stopwords("english").for_language("english")


def test_general_reference_mixes_languages_and_leaves_out_unknown_ones():
    frame = articles(
        ["Der Bundestag debattiert heute über den Haushalt.", "The parliament debates the budget.",
         "Lorem ipsum"],
        language=["de", "en", "xx"],
    )
    table = keyness(frame, reference="general", stopwords="auto", progress=False)
    assert {"bundestag", "parliament"} <= set(table["term"])
    assert "lorem" not in set(table["term"])
    assert table.attrs["left_out"] == {"xx": 1}
    assert language_code("en-GB") == "en" and language_code("xx") is None


def test_general_reference_with_a_target_counts_only_the_target():
    frame = articles(["zeppelin zeppelin city", "budget budget parliament"],
                     sitename=["a", "b"], language=["en", "en"])
    table = keyness(frame, target="a", by="sitename", reference="general", progress=False)
    assert set(table["term"]) == {"zeppelin", "city"}


def test_bad_reference_arguments_name_what_is_valid():
    frame = articles(["a text here"])
    with pytest.raises(ValueError, match="general"):
        keyness(frame, reference="generic")
    with pytest.raises(ValueError, match="ngram=1"):
        keyness(frame, reference="general", ngram=2)
    with pytest.raises(ValueError, match="target is needed"):
        keyness(frame)


def test_abbreviations_and_hyphenated_words_get_a_general_rate():
    from toolkit.text.general import frequency_table

    table = frequency_table("en")
    # without stopwords the share is the frequency itself
    shares = general_shares(["u.s.", "large-scale", "zzzqxj"], "en", frozenset())
    assert shares[0] == pytest.approx(table["u.s"])  # wordfreq drops the last full stop
    assert shares[1] == pytest.approx(1 / (1 / table["large"] + 1 / table["scale"]))
    assert shares[2] == 0.0
