"""keyness: G², log ratio and p-values on worked examples, targets and references."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2

from toolkit.schema import conform_articles, empty_articles
from toolkit.text.counts import term_counts
from toolkit.text.keywords import keyness, log_likelihood, log_ratio

COLUMNS = [
    "term",
    "count_target",
    "count_reference",
    "total_target",
    "total_reference",
    "g2",
    "log_ratio",
    "p_value",
    "q",
]


def articles(texts, **columns) -> pd.DataFrame:
    frame = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(texts))], "text": texts})
    return conform_articles(frame.assign(status="ok", **columns))


def test_g2_worked_2x2_example():
    # A term seen 10 times in 1,000 target tokens and 5 times in 2,000 reference tokens:
    # expected 1000 * 15 / 3000 = 5 and 2000 * 15 / 3000 = 10, so
    # G2 = 2 * (10 ln(10 / 5) + 5 ln(5 / 10)) = 2 * 5 ln 2 = 6.931...
    by_hand = 2 * (10 * math.log(10 / 5) + 5 * math.log(5 / 10))
    assert by_hand == pytest.approx(10 * math.log(2))
    assert log_likelihood(10, 5, 1000, 2000) == pytest.approx(by_hand, abs=1e-12)
    assert log_ratio(10, 5, 1000, 2000) == pytest.approx(math.log2((10 / 1000) / (5 / 2000)))
    # A zero count adds nothing to G2 and counts as 0.5 in the log ratio.
    zero = 2 * (4 * math.log(4 / (100 * 4 / 300)))
    assert log_likelihood(4, 0, 100, 200) == pytest.approx(zero, abs=1e-12)
    assert log_ratio(0, 4, 100, 200) == pytest.approx(math.log2((0.5 / 100) / (4 / 200)))


def test_keyness_on_a_small_corpus_by_hand():
    frame = articles(
        ["summit summit summit police", "summit police", "rain rain police", "rain police"],
        sitename=["a", "a", "b", "b"],
    )
    table = keyness(frame, target="a", by="sitename")
    assert list(table.columns) == COLUMNS
    row = table.set_index("term").loc["summit"]
    assert (row["count_target"], row["count_reference"]) == (4, 0)
    assert (row["total_target"], row["total_reference"]) == (6, 5)
    expected = 2 * 4 * math.log(4 / (6 * 4 / 11))
    assert row["g2"] == pytest.approx(expected)
    assert row["p_value"] == pytest.approx(chi2.sf(expected, 1))
    assert row["log_ratio"] == pytest.approx(math.log2((4 / 6) / (0.5 / 5)))
    assert table.set_index("term").loc["rain", "log_ratio"] < 0
    assert table["g2"].is_monotonic_decreasing
    assert table["term"].tolist() == ["summit", "rain", "police"]


def test_counts_agree_with_term_counts(seed_articles):
    frame = pd.concat(
        [seed_articles, articles(["China hosts the G20 summit in Hangzhou. Police patrol."])],
        ignore_index=True,
    )
    target = pd.Series([True, False], index=frame.index)
    table = keyness(frame, target=target).set_index("term")
    seed_counts = term_counts(seed_articles).set_index("term")["count"]
    assert table["count_target"][table["count_target"] > 0].to_dict() == seed_counts.to_dict()
    assert table["total_target"].iloc[0] == seed_counts.sum()
    np.testing.assert_allclose(
        table["g2"],
        log_likelihood(
            table["count_target"],
            table["count_reference"],
            table["total_target"],
            table["total_reference"],
        ),
    )


def test_reference_options():
    frame = articles(
        ["summit talks", "summit police", "rain police", "rain"], sitename=list("abcd")
    )
    vs_group = keyness(frame, target="a", reference="c", by="sitename")
    assert vs_group["total_reference"].iloc[0] == 2
    mask = [True, False, False, False]
    other = [False, True, False, False]
    vs_mask = keyness(frame, target=mask, reference=other)
    assert vs_mask.set_index("term").loc["summit", "count_reference"] == 1
    external = pd.DataFrame({"term": ["summit", "weather"], "count": [1, 99]})
    vs_table = keyness(frame, target=mask, reference=external).set_index("term")
    assert vs_table["total_reference"].iloc[0] == 100
    assert vs_table.loc["weather", "count_target"] == 0
    assert vs_table.loc["talks", "count_reference"] == 0


def test_min_count_and_ties():
    frame = articles(["beta alpha", "gamma delta"])
    table = keyness(frame, target=[True, False])
    assert table["term"].tolist() == ["alpha", "beta", "delta", "gamma"]  # equal G2: by term
    assert keyness(frame, target=[True, False], min_count=2).empty


@pytest.mark.parametrize(
    ("frame", "target"),
    [
        (empty_articles(), []),
        (articles(["the of", "summit"]), [True, False]),
        (articles(["summit", "police"]), [True, True]),
    ],
    ids=["no articles", "target all stopwords", "empty reference"],
)
def test_empty_results(frame, target):
    table = keyness(frame, target=target)
    assert list(table.columns) == COLUMNS
    assert len(table) == 0
    expected = ["str", *["int64"] * 4, *["float64"] * 4]
    assert [str(t) for t in table.dtypes] == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"target": [True]}, "has 1 values"),
        ({"target": [1, 0]}, "boolean"),
        ({"target": "x"}, "by="),
        ({"target": "x", "by": "sitename"}, "not a value"),
        ({"target": "a", "by": "outlet"}, "outlet"),
        (
            {"target": [True, False], "reference": pd.DataFrame({"word": ["a"]})},
            "'term' and 'count'",
        ),
        ({"target": pd.Series([True, False], index=[5, 6])}, "aligned"),
        ({"target": [True, False], "ngram": 0}, "ngram"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        keyness(articles(["summit", "police"], sitename=["a", "b"]), **kwargs)


def test_masks_on_a_frame_with_repeated_index_labels():
    # pd.concat of two frames that both start at 0 repeats index labels.
    first = articles(["summit summit police", "rain police"], sitename=["a", "b"])
    second = articles(["summit talks", "rain rain"], sitename=["a", "b"])
    frame = pd.concat([first, second.assign(article_id=["c0", "c1"])])
    assert frame.index.tolist() == [0, 1, 0, 1]
    by_value = keyness(frame, target="a", by="sitename")
    by_series = keyness(frame, target=frame["sitename"].eq("a"))
    by_list = keyness(frame, target=[True, False, True, False])
    pd.testing.assert_frame_equal(by_series, by_value)
    pd.testing.assert_frame_equal(by_list, by_value)
    summit = by_value.set_index("term").loc["summit"]
    assert (summit["count_target"], summit["count_reference"]) == (3, 0)
    assert by_value["total_target"].iloc[0] == 5


def test_series_masks_align_by_index_labels():
    frame = articles(["summit", "police", "rain"]).set_axis([10, 20, 30])
    shuffled = pd.Series([False, True, False], index=[30, 10, 20])
    table = keyness(frame, target=shuffled).set_index("term")
    assert table.loc["summit", "count_target"] == 1
    assert table["total_target"].iloc[0] == 1
    with pytest.raises(ValueError, match="not aligned"):
        keyness(frame, target=pd.Series([True, False, False]))
    repeated = pd.concat([frame, frame.assign(article_id=["x", "y", "z"])])
    with pytest.raises(ValueError, match="not aligned"):
        keyness(repeated, target=repeated["text"].eq("summit").reset_index(drop=True))
    with pytest.raises(ValueError, match="has 2 values"):
        keyness(repeated, target=[True, False])
