"""term_trends and dispersion: counts per period and positions across the corpus."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from toolkit.schema import conform_articles, empty_articles
from toolkit.text.counts import term_counts
from toolkit.text.trends import dispersion, term_trends

TREND_COLUMNS = ["period", "term", "count", "n_articles", "total_tokens", "share"]


def articles(texts, dates) -> pd.DataFrame:
    frame = pd.DataFrame(
        {"article_id": [f"a{i}" for i in range(len(texts))], "text": texts, "date": dates}
    )
    return conform_articles(frame.assign(status="ok"))


@pytest.fixture
def frame() -> pd.DataFrame:
    return articles(
        [
            "Terrorism threat at the G20 summit in Hong Kong.",
            "Police fight terrorism. Terrorism again.",
            "Hong Kong hosts talks.",
            "Undated terrorism piece.",
        ],
        ["2016-09-01", "2016-09-03", "2016-11-20", None],
    )


def test_counts_per_month_with_empty_months_and_undated(frame, caplog):
    with caplog.at_level(logging.WARNING, logger="toolkit.text.trends"):
        table = term_trends(frame, ["Terrorism", "hong kong"], freq="M")
    assert "1 usable article(s) have no date" in caplog.text
    assert list(table.columns) == TREND_COLUMNS
    assert [str(t) for t in table.dtypes] == [
        "datetime64[ns]",
        "str",
        "int64",
        "int64",
        "int64",
        "float64",
    ]
    assert table.attrs["undated_articles"] == 1
    assert table.attrs["freq"] == "M"  # what plot_term_trends reads to label the periods
    months = pd.to_datetime(["2016-09-01", "2016-10-01", "2016-11-01"])
    terror = table[table["term"] == "Terrorism"]
    assert terror["period"].tolist() == list(months)
    assert terror["count"].tolist() == [3, 0, 0]
    assert terror["n_articles"].tolist() == [2, 0, 1]
    assert terror["total_tokens"].tolist() == [14, 0, 4]
    assert terror["share"].tolist() == [pytest.approx(3 / 14), 0.0, 0.0]
    assert table[table["term"] == "hong kong"]["count"].tolist() == [1, 0, 1]


def test_counts_agree_with_term_counts(frame):
    table = term_trends(frame, ["police", "terrorism"], freq="W")
    counted = term_counts(frame.dropna(subset=["date"]), by="date", freq="W", stopwords=None)
    totals = counted.groupby("period")["count"].sum()
    got = table[table["term"] == "terrorism"].set_index("period")
    assert got.loc[totals.index, "total_tokens"].tolist() == totals.tolist()
    expected = counted[counted["term"] == "terrorism"].set_index("period")["count"]
    assert got.loc[expected.index, "count"].tolist() == expected.tolist()
    assert set(got.index.day_of_week) == {0}


def test_normalize_false_matches_terms_as_given(frame):
    assert term_trends(frame, "Terrorism", normalize=False)["count"].sum() == 0
    assert term_trends(frame, "terrorism", normalize=False)["count"].sum() == 3


def test_stopwords_leave_the_totals():
    frame = articles(["The summit and the police."], ["2016-09-01"])
    every = term_trends(frame, "summit", freq="D")
    fewer = term_trends(frame, "summit", freq="D", stopwords="english")
    assert (every["total_tokens"].iloc[0], fewer["total_tokens"].iloc[0]) == (5, 2)


@pytest.mark.parametrize(
    "frame",
    [empty_articles(), articles(["No date here."], [None])],
    ids=["no articles", "no dated articles"],
)
def test_empty(frame):
    table = term_trends(frame, ["summit"], freq="Q")
    assert list(table.columns) == TREND_COLUMNS and len(table) == 0
    assert table.attrs["freq"] == "Q"
    assert table["period"].dtype == "datetime64[ns]"
    assert table.attrs["undated_articles"] == len(frame)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"terms": "x", "freq": "H"}, "'D', 'W', 'M', 'Q', 'Y'"),
        ({"terms": []}, "empty"),
        ({"terms": [""]}, "word or phrase"),
        ({"terms": "x", "date_col": "published"}, "published"),
        ({"terms": "x", "numbers": "x"}, "'keep', 'drop', 'replace'"),
    ],
)
def test_trends_bad_arguments(frame, kwargs, message):
    with pytest.raises(ValueError, match=message):
        term_trends(frame, **kwargs)


def test_dispersion_positions(frame):
    table = dispersion(frame, ["terrorism", "hong kong"])
    assert list(table.columns) == ["article_id", "term", "token_index", "offset"]
    assert [str(t) for t in table.dtypes] == ["str", "str", "int64", "int64"]
    starts = table.attrs["article_starts"]
    assert starts == {"a0": 0, "a1": 9, "a2": 14, "a3": 18}
    assert table.attrs["total_tokens"] == 21
    assert table["offset"].is_monotonic_increasing
    assert (table["offset"] == table["article_id"].map(starts) + table["token_index"]).all()
    rows = list(zip(table["article_id"], table["term"], table["token_index"], strict=True))
    assert rows == [
        ("a0", "terrorism", 0),
        ("a0", "hong kong", 7),
        ("a1", "terrorism", 2),
        ("a1", "terrorism", 3),
        ("a2", "hong kong", 0),
        ("a3", "terrorism", 1),
    ]


def test_dispersion_of_the_seed(seed_articles):
    table = dispersion(seed_articles, "terrorism")
    counted = term_counts(seed_articles, stopwords=None).set_index("term")["count"]
    assert len(table) == counted["terrorism"]
    assert table.attrs["total_tokens"] == counted.sum()
    assert np.all(np.diff(table["offset"]) > 0)


def test_dispersion_empty_and_bad_arguments():
    table = dispersion(empty_articles(), "summit")
    assert len(table) == 0 and table.attrs == {"total_tokens": 0, "article_starts": {}}
    with pytest.raises(ValueError, match="word or phrase"):
        dispersion(empty_articles(), 3)
