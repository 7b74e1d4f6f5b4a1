"""term_counts: counts checked by hand and against an independent NLTK count."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from nltk import sent_tokenize, word_tokenize
from nltk.corpus import stopwords as nltk_stopwords

from toolkit.schema import conform_articles, empty_articles
from toolkit.text.counts import term_counts

CLITICS = {"n't": "not", "'re": "are", "'ve": "have", "'ll": "will", "'m": "am"}


def articles(texts, **columns) -> pd.DataFrame:
    frame = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(texts))], "text": texts})
    return conform_articles(frame.assign(status="ok", **columns))


def nltk_terms(text: str, *, stop: set[str]) -> list[list[str]]:
    """An independent count: NLTK sentences and words, lower case, words only, per sentence."""
    out = []
    for paragraph in text.split("\n"):
        for sentence in sent_tokenize(paragraph):
            words = [CLITICS.get(w.lower(), w.lower()) for w in word_tokenize(sentence)]
            out.append([w for w in words if any(c.isalnum() for c in w) and w not in stop])
    return out


def as_dict(table: pd.DataFrame) -> dict[str, int]:
    return dict(zip(table["term"], table["count"], strict=True))


def test_hand_checked_counts():
    texts = [
        "The summit opens. The SUMMIT closes!",
        "Police and police officers guard the summit's venue.",
    ]
    table = term_counts(articles(texts))
    assert as_dict(table) == {
        "summit": 3,
        "police": 2,
        "closes": 1,
        "guard": 1,
        "officers": 1,
        "opens": 1,
        "venue": 1,
    }
    assert table["term"].tolist()[:2] == ["summit", "police"]
    assert table["proportion"].tolist()[0] == pytest.approx(3 / 10)


def test_hand_checked_bigrams_stay_in_sentences():
    table = term_counts(articles(["Security for the summit. Summit security is tight."]), ngram=2)
    assert as_dict(table) == {"security summit": 1, "summit security": 1, "security tight": 1}


def test_seed_counts_equal_an_independent_nltk_count(seed_articles):
    text = seed_articles["text"].iloc[0]
    english = set(nltk_stopwords.words("english")) | {"'s", "'d"}
    expected = Counter(w for sentence in nltk_terms(text, stop=english) for w in sentence)
    assert as_dict(term_counts(seed_articles)) == dict(expected)
    everything = Counter(w for sentence in nltk_terms(text, stop=set()) for w in sentence)
    counted = term_counts(seed_articles, stopwords=None)
    assert as_dict(counted) == dict(everything)
    assert counted["count"].sum() == 472 - sum(
        not any(c.isalnum() for c in w) for w in word_tokenize(text)
    )


def test_seed_bigrams_equal_an_independent_nltk_count(seed_articles):
    text = seed_articles["text"].iloc[0]
    english = set(nltk_stopwords.words("english")) | {"'s", "'d"}
    expected = Counter(
        f"{a} {b}"
        for sentence in nltk_terms(text, stop=english)
        for a, b in zip(sentence, sentence[1:], strict=False)
    )
    assert as_dict(term_counts(seed_articles, ngram=2, sentences="punkt")) == dict(expected)
    assert as_dict(term_counts(seed_articles, ngram=2)) == dict(expected)
    both = term_counts(seed_articles, ngram=(1, 2))
    assert both["count"].sum() == sum(expected.values()) + term_counts(seed_articles)["count"].sum()


def test_groups_proportions_and_consistency():
    texts = ["Police guard the summit.", "Summit police, summit leaders.", "Leaders meet.", "Rain."]
    frame = articles(texts, sitename=["x", "y", "x", None])
    table = term_counts(frame, by="sitename")
    assert list(table.columns) == ["sitename", "term", "count", "proportion"]
    sums = table.groupby("sitename", dropna=False)["proportion"].sum()
    assert np.allclose(sums, 1.0)
    for site, part in table.groupby("sitename", dropna=False):
        subset = (
            frame[frame["sitename"].isna()] if pd.isna(site) else frame[frame["sitename"] == site]
        )
        assert as_dict(part) == as_dict(term_counts(subset))
    assert table["sitename"].isna().sum() == 1  # the article without a site is its own group
    per_article = term_counts(frame, by="article_id")
    assert per_article.groupby("term")["count"].sum().to_dict() == as_dict(term_counts(frame))


def test_by_date_period_and_undated_articles():
    frame = articles(
        ["Summit opens.", "Summit closes.", "Police leave.", "Undated summit."],
        date=["2016-09-01", "2016-09-20", "2016-10-02", None],
    )
    table = term_counts(frame, by="date", freq="M")
    assert list(table.columns) == ["period", "term", "count", "proportion"]
    assert table["period"].dtype == "datetime64[ns]"
    september = table[table["period"] == pd.Timestamp("2016-09-01")]
    assert as_dict(september) == {"summit": 2, "closes": 1, "opens": 1}
    assert set(table.loc[table["period"].isna(), "term"]) == {"undated", "summit"}
    assert table.attrs["undated_articles"] == 1
    weekly = term_counts(frame, by=["sitename", "date"], freq="W")
    assert list(weekly.columns)[:2] == ["sitename", "period"]
    assert set(weekly["period"].dropna().dt.day_of_week) == {0}  # weeks start on Monday


def test_min_count_and_deterministic_ties():
    frame = articles(["beta alpha gamma beta", "alpha delta"])
    table = term_counts(frame)
    assert table["term"].tolist() == ["alpha", "beta", "delta", "gamma"]
    assert term_counts(frame, min_count=2)["term"].tolist() == ["alpha", "beta"]
    assert term_counts(frame, min_count=2)["proportion"].sum() == pytest.approx(1.0)
    shuffled = frame.iloc[::-1]
    pd.testing.assert_frame_equal(term_counts(shuffled), table)


def test_only_usable_rows_are_counted_and_input_is_not_mutated():
    frame = articles(["summit", "summit", "summit", ""]).assign(
        status=["ok", "duplicate", "error", "ok"]
    )
    before = frame.copy()
    assert as_dict(term_counts(frame)) == {"summit": 1}
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize(
    "frame",
    [
        empty_articles(),
        articles(["the and of it"]),
        articles(["... !!! ,"]),
        articles(["summit"]).assign(status="duplicate"),
    ],
    ids=["no articles", "only stopwords", "only punctuation", "no usable rows"],
)
def test_empty_results_keep_columns_and_dtypes(frame):
    table = term_counts(frame)
    assert len(table) == 0
    assert list(table.columns) == ["term", "count", "proportion"]
    assert [str(t) for t in table.dtypes] == ["str", "int64", "float64"]
    grouped = term_counts(frame, by="sitename", ngram=2)
    assert list(grouped.columns) == ["sitename", "term", "count", "proportion"]
    dated = term_counts(frame, by="date", freq="M")
    assert dated["period"].dtype == "datetime64[ns]"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"by": "outlet"}, "outlet"),
        ({"by": "term"}, "output columns"),
        ({"by": "date", "freq": "fortnight"}, "'D', 'W', 'M', 'Q', 'Y'"),
        ({"freq": "M"}, "date column"),
        ({"by": "sitename", "freq": "M"}, "datetime column"),
        ({"ngram": 0}, "ngram"),
        ({"ngram": 4}, "ngram"),
        ({"min_count": 0}, "min_count"),
        ({"text_col": "body"}, "text_col"),
        ({"stopwords": 3}, "stopwords"),
        ({"by": "authors"}, "explode"),
    ],
)
def test_bad_arguments_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        term_counts(articles(["summit"], term="x"), **kwargs)


def test_not_a_frame_raises():
    with pytest.raises(ValueError, match="DataFrame"):
        term_counts(["summit"])


def test_batches_and_languages_give_the_same_counts(monkeypatch, seed_articles):
    from toolkit.text.tokens import stream as tokens_stream
    from toolkit.text.trends import dispersion

    extra = articles(
        ["Die Polizei und der Gipfel in Hangzhou.", "Police guard the summit. Summit police!"],
        language=["de", "en"],
    )
    frame = pd.concat([seed_articles, extra], ignore_index=True)
    options = [
        {"by": "article_id"},
        {"ngram": (1, 3), "by": "article_id"},
        {"stopwords": "auto", "ngram": 2, "by": "article_id"},
    ]
    whole = [term_counts(frame, **kw) for kw in options]
    spread = dispersion(frame, ["police", "summit"], stopwords="auto")
    monkeypatch.setattr(tokens_stream, "BATCH_CHARS", 100)
    for kw, expected in zip(options, whole, strict=True):
        pd.testing.assert_frame_equal(term_counts(frame, **kw), expected)
    pd.testing.assert_frame_equal(dispersion(frame, ["police", "summit"], stopwords="auto"), spread)
    german = whole[2][whole[2]["article_id"] == "a0"]
    assert german["term"].tolist() == ["gipfel hangzhou", "polizei gipfel"]


def test_french_elisions_count_the_word():
    text = "L'Europe et l'État. L'Europe a dit que l'Europe, d'Europe."
    assert as_dict(term_counts(articles([text]), stopwords="french")) == {
        "europe": 4, "a": 1, "dit": 1, "état": 1,
    }  # fmt: skip
    auto = term_counts(articles([text], language=["fr"]), stopwords="auto", ngram=2)
    # "que" and the elided l' and d' are stopwords, so bigrams join the words around them
    assert as_dict(auto) == {
        "europe état": 1, "europe a": 1, "a dit": 1, "dit europe": 1, "europe europe": 1,
    }  # fmt: skip


def test_each_article_is_split_in_its_own_language_whatever_the_stopword_list():
    articles = pd.DataFrame(
        {
            "article_id": ["fr", "en"],
            "text": ["L'Europe et l'Asie parlent d'Europe.", "Europe's leaders don't agree."],
            "language": ["fr", "en"],
        }
    )
    counts = term_counts(articles, by="article_id", stopwords="english")
    french = dict(zip(*counts[counts.article_id == "fr"][["term", "count"]].T.values, strict=True))
    english = set(counts.loc[counts.article_id == "en", "term"])
    # elisions split (and dropped as stopwords) in the French text, with the English list
    assert french == {"europe": 2, "asie": 1, "et": 1, "parlent": 1}
    assert english == {"europe", "leaders", "agree"}  # 's, do, n't: English stopwords
