"""The charts of issue 13: quotations per speaker, topic terms and shares, distinctive terms.

The frames are written here by hand with the columns of their contracts
(quote_counts, Topics.terms / labels, topic_trends, keyness), so the charts are
tested independently of the functions that make those frames.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from toolkit.plots import (  # noqa: E402
    plot_distinctive_terms,
    plot_keyness,
    plot_quotes,
    plot_topic_terms,
    plot_topic_trends,
    save_figure,
)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def quote_counts(by_outlet: bool = True) -> pd.DataFrame:
    rows = [
        ("China Daily", "Hou Le", "PERSON", 3, 2, 1, 0),
        ("Valley Times", "Hou Le", "PERSON", 2, 1, 1, 0),
        ("China Daily", "Ministry of Public Security", "ORG", 4, 0, 4, 0),
        ("Valley Times", "Thorsten Boelts", "PERSON", 1, 1, 0, 0),
    ]
    frame = pd.DataFrame(rows, columns=["outlet", "entity", "label", "quotes", "direct",
                                        "indirect", "mixed"]).assign(n_articles=1)
    if by_outlet:
        return frame
    return frame.groupby(["entity", "label"], as_index=False)[
        ["quotes", "direct", "indirect", "mixed", "n_articles"]].sum()


def test_quotes_per_speaker_stacked_by_outlet():
    ax = plot_quotes(quote_counts())
    labels = [t.get_text() for t in ax.get_yticklabels()]  # the top bar first
    assert labels == ["Hou Le (PERSON)", "Ministry of Public Security (ORG)",
                      "Thorsten Boelts (PERSON)"]
    # one patch per speaker and outlet with quotations: Hou Le 2, ministry 1, Boelts 1
    assert len(ax.patches) == 4
    widths = sorted(round(p.get_width()) for p in ax.patches)
    assert widths == [1, 2, 3, 4]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["China Daily",
                                                                    "Valley Times"]


def test_quotes_per_speaker_by_kind_without_outlets():
    ax = plot_quotes(quote_counts(by_outlet=False), n=2)
    assert len(ax.get_yticklabels()) == 2  # the two most quoted
    assert ax.get_legend().get_title().get_text() == "kind"


def test_quotes_chart_of_nothing_says_so():
    empty = quote_counts().iloc[0:0]
    ax = plot_quotes(empty)
    assert "No quotation" in ax.texts[0].get_text()
    with pytest.raises(ValueError, match="entity"):
        plot_quotes(pd.DataFrame({"quotes": [1]}))


def topic_frames():
    terms = pd.DataFrame({
        "topic": [0, 0, 0, 1, 1, 1], "term": ["goal", "match", "fans", "rain", "storm", "wind"],
        "weight": [0.5, 0.3, 0.2, 0.6, 0.3, 0.1], "rank": [1, 2, 3, 1, 2, 3],
    })
    labels = pd.DataFrame({"topic": [0, 1], "label": ["0: goal, match, fans",
                                                       "1: rain, storm, wind"],
                           "coherence": [0.91, 0.42], "share": [0.6, 0.4]})
    periods = pd.to_datetime(["2020-01-01", "2020-02-01", "2020-03-01"])
    trends = pd.DataFrame({
        "period": list(periods) * 2, "topic": [0, 0, 0, 1, 1, 1],
        "label": ["0: goal, match, fans"] * 3 + ["1: rain, storm, wind"] * 3,
        "share": [0.9, 0.5, 0.2, 0.1, 0.5, 0.8], "n_articles": [3, 2, 5, 3, 2, 5],
    }).sort_values(["period", "topic"])
    trends.attrs["freq"] = "M"
    return terms, labels, trends


def test_topic_terms_small_multiples():
    terms, labels, _ = topic_frames()
    ax = plot_topic_terms(terms, labels=labels, n=3)
    panels = [a for a in ax.figure.axes if a.get_visible()]
    assert len(panels) == 2
    assert panels[0].get_title() == "topic 0 · 60% of articles · NPMI 0.91"
    assert [t.get_text() for t in panels[1].get_yticklabels()] == ["rain", "storm", "wind"]
    assert [round(p.get_width()) for p in panels[0].patches] == [50, 30, 20]


def test_topic_shares_over_time_stack_to_one_hundred():
    _, _, trends = topic_frames()
    ax = plot_topic_trends(trends)
    assert len(ax.patches) == 6  # one bar per period and topic
    tops = sorted({round(p.get_y() + p.get_height(), 6) for p in ax.patches})
    assert tops[-1] == pytest.approx(100)
    assert [t.get_text() for t in ax.texts] == ["3", "2", "5"]
    # a real time axis: the March bar is as far from February as February from January
    starts = sorted({p.get_x() for p in ax.patches})
    assert starts[1] - starts[0] == pytest.approx(31) and starts[2] - starts[1] == 29
    with pytest.raises(ValueError, match="one group"):
        plot_topic_trends(trends.assign(sitename="x")[["sitename", *trends.columns]])


def keyness_table() -> pd.DataFrame:
    return pd.DataFrame({
        "term": ["hangzhou", "g20", "said", "people", "new"],
        "count_target": [15, 9, 18, 20, 25], "g2": [260.0, 190.0, 60.0, 1.0, 0.5],
        "log_ratio": [13.9, 16.6, 3.7, 0.2, -0.1], "p_value": [1e-50, 1e-40, 1e-14, 0.3, 0.5],
        "q": [1e-48, 1e-39, 1e-13, 0.4, 0.5],
    })


def test_distinctive_terms_beside_the_most_frequent(tmp_path):
    ax = plot_distinctive_terms(keyness_table(), n=4)
    left, right = ax.figure.axes
    assert [t.get_text() for t in left.get_yticklabels()] == ["hangzhou", "g20", "said"]
    assert [t.get_text() for t in left.texts] == [" 15", " 9", " 18"]
    frequent = [t.get_text() for t in right.get_yticklabels()]
    assert frequent == ["new", "people", "said", "hangzhou"]
    grey = [p.get_facecolor() for p in right.patches]
    assert grey[0] != grey[2]  # "new" is not distinctive, "said" is (drawn in colour)
    save_figure(ax, "distinctive", data=keyness_table(), folder=tmp_path)
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".csv", ".pdf", ".png", ".svg"]


def test_keyness_chart_uses_the_q_column():
    table = keyness_table().assign(log_ratio=[2.0, 1.5, -1.0, 0.5, -0.2])
    table.loc[1, "q"] = 0.2  # p < 0.05 but not significant after the correction
    ax = plot_keyness(table)
    assert "g20" not in [t.get_text() for t in ax.get_yticklabels()]
    assert ax.get_title().endswith("(q < 0.05)")
