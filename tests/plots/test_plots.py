"""Tests of toolkit.plots: every chart on frames built from the seed article.

The frames have the exact columns of the contracts (term tables, term_trends,
keyness, dispersion, pairs, to_graph), computed here from the seed's paragraphs
with plain Python so the charts are tested on realistic input, independently of
the modules that produce those frames.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from scipy.stats import chi2  # noqa: E402

from toolkit.plots import (  # noqa: E402
    plot_cooccurrence_heatmap,
    plot_dispersion,
    plot_keyness,
    plot_network,
    plot_style,
    plot_term_trends,
    plot_top_terms,
    safe_name,
    save_figure,
)
from toolkit.plots.trends import dodge_slots  # noqa: E402
from toolkit.resources import stopword_list  # noqa: E402

WORD = re.compile(r"\w+(?:['’-]\w+)*")
SENTENCE_END = re.compile(r"(?<=[.!?\"”])\s+(?=[A-Z\"“])")
LABELS = {"PERSON": "PERSON", "ORG": "ORG", "PLACE": "GPE"}


# --------------------------------------------------------------------------- builders


def words(text: str) -> list[str]:
    """Lower-case word tokens of ``text``."""
    return WORD.findall(text.lower())


def content_words(text: str) -> list[str]:
    stop = stopword_list("english")
    return [w for w in words(text) if w not in stop and not w.isdigit()]


def term_table(paragraphs: list[str], groups: list[str] | None = None) -> pd.DataFrame:
    """Return a term table (``[sitename], term, count, proportion``) of the paragraphs."""
    groups = groups or ["all"] * len(paragraphs)
    counters: dict[str, Counter] = {}
    for group, paragraph in zip(groups, paragraphs, strict=True):
        counters.setdefault(group, Counter()).update(content_words(paragraph))
    rows = [
        {"sitename": group, "term": term, "count": count, "proportion": count / sum(c.values())}
        for group, c in counters.items()
        for term, count in c.items()
    ]
    frame = pd.DataFrame(rows).assign(neg=lambda f: -f["count"])
    frame = frame.sort_values(["sitename", "neg", "term"]).drop(columns="neg")
    frame = frame.reset_index(drop=True)
    return frame if len(counters) > 1 else frame.drop(columns="sitename")


def trends_frame(paragraphs: list[str], terms: list[str], *, undated: int = 1) -> pd.DataFrame:
    """Treat each paragraph as an article published 3 days after the previous one."""
    dated = paragraphs[: len(paragraphs) - undated]
    days = pd.Timestamp("2016-04-07") + pd.to_timedelta(np.arange(len(dated)) * 3, unit="D")
    periods = days.to_period("W").start_time
    rows = []
    for period in sorted(set(periods)):
        texts = [p for p, when in zip(dated, periods, strict=True) if when == period]
        tokens = Counter(w for text in texts for w in words(text))
        total = sum(tokens.values())
        for term in terms:
            rows.append(
                {
                    "period": period,
                    "term": term,
                    "count": tokens[term],
                    "n_articles": len(texts),
                    "total_tokens": total,
                    "share": tokens[term] / total if total else 0.0,
                }
            )
    frame = pd.DataFrame(rows)
    frame.attrs.update(undated_articles=undated, freq="W")
    return frame


def g2_score(a: float, b: float, total_a: float, total_b: float) -> float:
    """Log-likelihood G² of a term seen ``a`` times in one corpus and ``b`` in the other."""
    expected_a = total_a * (a + b) / (total_a + total_b)
    expected_b = total_b * (a + b) / (total_a + total_b)
    return 2 * sum(o * math.log(o / e) for o, e in ((a, expected_a), (b, expected_b)) if o)


def keyness_frame(target: list[str], reference: list[str]) -> pd.DataFrame:
    """Return a keyness table (contract columns) of target against reference paragraphs."""
    count_t = Counter(w for p in target for w in content_words(p))
    count_r = Counter(w for p in reference for w in content_words(p))
    total_t, total_r = sum(count_t.values()), sum(count_r.values())
    rows = []
    for term in sorted(set(count_t) | set(count_r)):
        a, b = count_t[term], count_r[term]
        g2 = g2_score(a, b, total_t, total_r)
        rows.append(
            {
                "term": term,
                "count_target": a,
                "count_reference": b,
                "total_target": total_t,
                "total_reference": total_r,
                "g2": g2,
                "log_ratio": math.log2(((a + 0.5) / total_t) / ((b + 0.5) / total_r)),
                "p_value": float(chi2.sf(g2, 1)),
            }
        )
    frame = pd.DataFrame(rows).assign(neg=lambda f: -f["g2"])
    return frame.sort_values(["neg", "term"]).drop(columns="neg").reset_index(drop=True)


def dispersion_frame(paragraphs: list[str], terms: list[str]) -> pd.DataFrame:
    """Treat each paragraph as an article and find where ``terms`` occur."""
    rows, starts, offset = [], {}, 0
    for number, paragraph in enumerate(paragraphs):
        article_id = f"p{number:02d}"
        starts[article_id] = offset
        tokens = words(paragraph)
        rows += [
            {"article_id": article_id, "term": t, "token_index": i, "offset": offset + i}
            for i, t in enumerate(tokens)
            if t in terms
        ]
        offset += len(tokens)
    frame = pd.DataFrame(rows, columns=["article_id", "term", "token_index", "offset"])
    frame.attrs.update(total_tokens=offset, article_starts=starts)
    return frame


def seed_entities(seed_expected: dict) -> dict[str, str]:
    """Entity name -> label from the seed's expectations (PLACE as GPE)."""
    entities = {}
    for level in ("required", "stretch"):
        for label, names in seed_expected["entities_expected"][level].items():
            entities.update({name: LABELS[label] for name in names})
    return entities


def entity_sentences(paragraphs: list[str], entities: dict[str, str]) -> list[tuple[int, set]]:
    """Return (paragraph, entities named) per sentence; a lone "Hou" counts as Hou Le."""
    patterns = {name: re.compile(rf"\b{re.escape(name)}\b") for name in entities}
    patterns["Hou Le"] = re.compile(r"\bHou\b")
    found = []
    for number, paragraph in enumerate(paragraphs):
        for sentence in SENTENCE_END.split(paragraph):
            found.append((number, {n for n, p in patterns.items() if p.search(sentence)}))
    return found


def pairs_frame(paragraphs: list[str], entities: dict[str, str]) -> pd.DataFrame:
    """Return sentence-window pairs with every contract measure."""
    sentences = entity_sentences(paragraphs, entities)
    total = len(sentences)
    single = Counter(e for _, names in sentences for e in names)
    joint = Counter(
        pair for _, names in sentences for pair in itertools.combinations(sorted(names), 2)
    )
    articles = {pair: {n for n, names in sentences if set(pair) <= names} for pair in joint}
    rows = []
    for (a, b), count in sorted(joint.items()):
        fa, fb = single[a], single[b]
        pmi = math.log2(count * total / (fa * fb))
        npmi = pmi / -math.log2(count / total) if count < total else 1.0
        table = [count, fa - count, fb - count, total - fa - fb + count]
        expected = [
            fa * fb / total,
            fa * (total - fb) / total,
            (total - fa) * fb / total,
            (total - fa) * (total - fb) / total,
        ]
        g2 = 2 * sum(o * math.log(o / e) for o, e in zip(table, expected, strict=True) if o)
        rows.append(
            {
                "entity_a": a,
                "entity_b": b,
                "label_a": entities[a],
                "label_b": entities[b],
                "count": count,
                "n_articles": len(articles[(a, b)]),
                "pmi": pmi,
                "npmi": npmi,
                "g2": g2,
                "jaccard": count / (fa + fb - count),
                "dice": 2 * count / (fa + fb),
            }
        )
    frame = pd.DataFrame(rows)
    frame.attrs["window"] = "sentence"
    return frame


def entity_graph(paragraphs: list[str], entities: dict[str, str]) -> nx.Graph:
    """Return a to_graph-like graph: node label/mentions/articles, edge measures."""
    pairs = pairs_frame(paragraphs, entities)
    sentences = entity_sentences(paragraphs, entities)
    graph = nx.Graph()
    for name in sorted({*pairs["entity_a"], *pairs["entity_b"]}):
        mentions = sum(name in names for _, names in sentences)
        graph.add_node(name, label=entities[name], mentions=mentions, articles=1)
    measures = ["count", "n_articles", "pmi", "npmi", "g2", "jaccard", "dice"]
    for row in pairs.to_dict("records"):
        graph.add_edge(row["entity_a"], row["entity_b"], **{m: row[m] for m in measures})
    return graph


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def paragraphs(seed_expected) -> list[str]:
    return list(seed_expected["body_paragraphs"])


@pytest.fixture(scope="module")
def counts(paragraphs) -> pd.DataFrame:
    return term_table(paragraphs)


@pytest.fixture(scope="module")
def grouped_counts(paragraphs) -> pd.DataFrame:
    sites = ["China Daily", "Xinhua", "Global Times"]
    return term_table(paragraphs, [sites[i % 3] for i in range(len(paragraphs))])


@pytest.fixture(scope="module")
def trends(paragraphs) -> pd.DataFrame:
    return trends_frame(paragraphs, ["terrorism", "china", "g20", "police"])


@pytest.fixture(scope="module")
def reference_texts(corpus_dir) -> list[str]:
    """Bodies of five English pages of the shared corpus (Readability's expected text)."""
    lines = (corpus_dir / "expected.jsonl").read_text("utf-8").splitlines()
    pages = [json.loads(line) for line in lines]
    return [page["body"] for page in pages if page.get("body") and page["language"] == "en"][:5]


@pytest.fixture(scope="module")
def keyness(paragraphs, reference_texts) -> pd.DataFrame:
    """The seed (target) against other news pages (reference)."""
    return keyness_frame(paragraphs, reference_texts)


@pytest.fixture(scope="module")
def dispersion(paragraphs) -> pd.DataFrame:
    return dispersion_frame(paragraphs, ["china", "terrorism", "g20", "hangzhou", "police"])


@pytest.fixture(scope="module")
def pairs(paragraphs, seed_expected) -> pd.DataFrame:
    return pairs_frame(paragraphs, seed_entities(seed_expected))


@pytest.fixture(scope="module")
def graph(paragraphs, seed_expected) -> nx.Graph:
    return entity_graph(paragraphs, seed_entities(seed_expected))


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def assert_labelled(ax, *, ylabel: bool = True) -> None:
    assert ax.get_title() or ax.figure.get_suptitle()
    assert ax.get_xlabel()
    if ylabel:
        assert ax.get_ylabel()


def top_label(ax) -> str:
    """The y tick label drawn highest."""
    ticks, labels = ax.get_yticks(), ax.get_yticklabels()
    return labels[int(np.argmax(ticks))].get_text()


def texts_of(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


# --------------------------------------------------------------------------- the frames


def test_the_built_frames_are_what_the_seed_says(counts, pairs, graph, trends, keyness):
    assert counts.iloc[0]["term"] in {"china", "terrorism", "g20"}
    assert counts["count"].is_monotonic_decreasing
    assert {"Counterterrorism Bureau", "Hou Le"} <= set(pairs[["entity_a", "entity_b"]].stack())
    assert graph.nodes["Hou Le"]["mentions"] >= 2
    assert trends.attrs["undated_articles"] == 1 and trends["period"].nunique() >= 3
    assert (keyness["p_value"] < 0.05).any()


# --------------------------------------------------------------------------- top terms


def test_top_terms_draws_n_bars_largest_at_top(counts):
    ax = plot_top_terms(counts, n=12)
    assert_labelled(ax)
    assert len(ax.patches) == 12
    widths = [bar.get_width() for bar in sorted(ax.patches, key=lambda b: -b.get_y())]
    assert widths == sorted(widths, reverse=True)
    top = max(ax.patches, key=lambda b: b.get_y())
    assert top.get_width() == counts["count"].max()
    assert top_label(ax) == counts.iloc[0]["term"]
    assert ax.get_xlabel() == "count (occurrences)"


def test_top_terms_proportion_is_a_percentage(counts):
    ax = plot_top_terms(counts, n=5, value="proportion")
    assert ax.get_xlabel() == "share of tokens (%)"
    assert max(b.get_width() for b in ax.patches) == pytest.approx(100 * counts["proportion"].max())


def test_top_terms_small_multiples_one_panel_per_group(grouped_counts):
    ax = plot_top_terms(grouped_counts, n=8)
    panels = [a for a in ax.figure.axes if a.get_visible()]
    assert len(panels) == 3
    assert {a.get_title() for a in panels} == {"China Daily", "Xinhua", "Global Times"}
    assert all(len(a.patches) == 8 for a in panels)
    assert "sitename" in ax.figure.get_suptitle()


def test_top_terms_small_multiples_keep_a_given_title(grouped_counts):
    """The suffix " by <column>" belongs to the default title only, not to the caller's."""
    ax = plot_top_terms(grouped_counts, n=3, title="Most frequent terms by outlet")
    assert ax.figure.get_suptitle() == "Most frequent terms by outlet"
    assert plot_top_terms(grouped_counts, n=3).figure.get_suptitle() == "Top terms by sitename"


def test_top_terms_name_what_the_bars_are(grouped_counts):
    entities = grouped_counts.assign(term=grouped_counts["term"].str.title())
    ax = plot_top_terms(entities, n=3, ylabel="entity")
    assert {panel.get_ylabel() for panel in ax.figure.axes if panel.get_visible()} == {"entity"}
    assert plot_top_terms(entities.head(0), ylabel="entity").get_ylabel() == "entity"


def test_count_ticks_step_by_one_two_or_five():
    counts = pd.DataFrame({"term": ["chozo", "sp", "planet"], "count": [116, 86, 78]})
    axes = [plot_top_terms(counts.assign(count=counts["count"] // k)) for k in (1, 2, 3, 7)]
    steps = {float(np.diff(ax.get_xticks())[0]) for ax in axes}
    assert all(step / 10 ** math.floor(math.log10(step)) in (1, 2, 5) for step in steps), steps


def _bar_heights(panel) -> list[float]:
    panel.figure.canvas.draw()
    return [bar.get_window_extent().height for bar in panel.patches]


def test_small_multiples_draw_a_one_entry_panel_as_thin_as_the_others(grouped_counts):
    """An entity type with one entity was one bar over the whole panel's height."""
    lone = pd.DataFrame({"sitename": ["Lone Post"], "term": ["hangzhou"], "count": [1],
                         "proportion": [1.0]})
    ax = plot_top_terms(pd.concat([grouped_counts, lone], ignore_index=True), n=8)
    panels = {a.get_title(): a for a in ax.figure.axes if a.get_visible()}
    full, single = panels["China Daily"], panels["Lone Post"]
    assert len(full.patches) == 8 and len(single.patches) == 1
    assert _bar_heights(single)[0] == pytest.approx(_bar_heights(full)[0], abs=1.0)
    # The lone bar sits where the first bar of the full panel is: at the top.
    assert single.patches[0].get_y() == full.patches[0].get_y()
    assert single.get_ylim() == full.get_ylim()


@pytest.mark.parametrize("rows", [1, 2])
def test_a_chart_of_one_or_two_bars_does_not_stretch_them(counts, rows):
    ax = plot_top_terms(counts.head(rows))
    ax.figure.canvas.draw()
    height = ax.get_window_extent().height
    assert all(h < 0.25 * height for h in _bar_heights(ax))
    assert top_label(ax) == counts.iloc[0]["term"]


def test_top_terms_missing_group_value_is_named(grouped_counts):
    frame = grouped_counts.assign(
        sitename=grouped_counts["sitename"].where(grouped_counts["sitename"] != "Xinhua")
    )
    ax = plot_top_terms(frame, n=3)
    assert "(missing)" in {panel.get_title() for panel in ax.figure.axes}


def test_top_terms_one_group_into_a_given_axes(grouped_counts):
    fig, ax = plt.subplots()
    assert plot_top_terms(grouped_counts, n=5, group="Xinhua", ax=ax) is ax
    assert "Xinhua" in ax.get_title() and len(ax.patches) == 5
    with pytest.raises(ValueError, match="group="):
        plot_top_terms(grouped_counts, ax=ax)


def test_top_terms_group_not_in_the_table_is_an_error(grouped_counts):
    with pytest.raises(ValueError, match="did you mean 'China Daily'") as raised:
        plot_top_terms(grouped_counts, group="China daily")
    assert "'Global Times', 'Xinhua'" in str(raised.value)
    many = grouped_counts.assign(
        sitename=[f"site {i % 12:02d}" for i in range(len(grouped_counts))]
    )
    with pytest.raises(ValueError, match=r"'site 07', \.\.\. \(12 in all\)"):
        plot_top_terms(many, group="outlet")
    by_two = grouped_counts.assign(language="en")[["sitename", "language", "term", "count"]]
    with pytest.raises(ValueError, match=r"\('China Daily', 'en'\)"):
        plot_top_terms(by_two, group=("China Daily", "fr"))
    assert len(plot_top_terms(by_two, n=4, group=("China Daily", "en")).patches) == 4


def test_top_terms_fewer_terms_than_n(counts):
    ax = plot_top_terms(counts.head(3), n=20)
    assert len(ax.patches) == 3


def test_top_terms_options_are_checked(counts):
    with pytest.raises(ValueError, match="count"):
        plot_top_terms(counts, value="share")
    with pytest.raises(ValueError, match="positive"):
        plot_top_terms(counts, n=0)


# --------------------------------------------------------------------------- trends


def test_term_trends_lines_per_term_and_articles_behind(trends):
    ax = plot_term_trends(trends)
    assert_labelled(ax)
    assert len(ax.get_lines()) == 4
    twin = [a for a in ax.figure.axes if a is not ax][0]
    assert len(twin.patches) == trends["period"].nunique()
    assert "articles" in twin.get_ylabel()
    assert "1 undated article" in ax.get_xlabel()
    assert "%" in ax.get_ylabel()
    line = {line.get_label(): line for line in ax.get_lines()}["terrorism"]
    expected = trends.loc[trends["term"] == "terrorism"].sort_values("period")["share"] * 100
    assert np.allclose(line.get_ydata(), expected)


def test_term_trends_counts_chosen_terms_without_article_bars(trends):
    ax = plot_term_trends(trends, value="count", terms=["china", "absent"], show_articles=False)
    assert [line.get_label() for line in ax.get_lines()] == ["china", "absent"]
    assert len(ax.figure.axes) == 1
    assert ax.get_lines()[1].get_ydata().sum() == 0


def test_term_trends_period_without_articles_is_a_gap(trends):
    periods = sorted(trends["period"].unique())
    holed = trends.loc[trends["period"] != periods[2]]
    holed.attrs = dict(trends.attrs)
    ax = plot_term_trends(holed)
    ys = ax.get_lines()[0].get_ydata()
    assert len(ys) == len(periods) and np.isnan(ys[2]) and not np.isnan(ys[[0, 1, 3]]).any()
    bars = [a for a in ax.figure.axes if a is not ax][0].patches
    assert [bar.get_height() for bar in bars][2] == 0
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "4 Apr\n2016" and labels[1] == "11 Apr"


def test_term_trends_without_undated_articles_has_no_note(trends):
    frame = trends.copy()
    frame.attrs = {"undated_articles": 0}
    assert "undated" not in plot_term_trends(frame).get_xlabel()


def test_term_trends_say_which_terms_are_left_out(caplog):
    totals = {
        "facebook": 68, "google": 65, "climate": 62, "police": 33, "amazon": 32,
        "apple": 24, "trump": 20, "election": 12, "china": 12, "covid": 7,
    }  # fmt: skip
    rows = [
        {"period": pd.Timestamp(start), "term": term, "count": part, "n_articles": 2,
         "total_tokens": 1000, "share": part / 1000}
        for term, total in totals.items()
        for start, part in (("2016-04-04", total // 2), ("2016-04-11", total - total // 2))
    ]  # fmt: skip
    frame = pd.DataFrame(rows)
    frame.attrs.update(undated_articles=0, freq="W")
    with caplog.at_level("WARNING", logger="toolkit.plots.trends"):
        ax = plot_term_trends(frame)
    shown = ["facebook", "google", "climate", "police", "amazon", "apple", "trump", "china"]
    assert [line.get_label() for line in ax.get_lines()] == shown  # china beats election on a tie
    assert ax.get_title() == "Terms over time: 8 of 10 terms shown (max_terms=8)"
    assert "left out: election, covid" in caplog.text
    shuffled = frame.sample(frac=1, random_state=1)
    shuffled.attrs = dict(frame.attrs)
    again = plot_term_trends(shuffled, max_terms=8, title="Mine")
    assert [line.get_label() for line in again.get_lines()] == shown
    assert again.get_title() == "Mine: 8 of 10 terms shown (max_terms=8)"
    caplog.clear()
    assert plot_term_trends(frame, max_terms=10).get_title() == "Terms over time"
    assert plot_term_trends(frame, terms=list(totals)).get_title() == "Terms over time"
    assert not caplog.records


def periodic_trends(starts: list[str], freq: str | None) -> pd.DataFrame:
    """A term_trends frame with two terms over ``starts`` (two articles in each period)."""
    rows = [
        {
            "period": pd.Timestamp(start),
            "term": term,
            "count": count + number,
            "n_articles": 2,
            "total_tokens": 100,
            "share": (count + number) / 100,
        }
        for number, start in enumerate(starts)
        for term, count in (("china", 3), ("police", 1))
    ]
    frame = pd.DataFrame(rows)
    frame.attrs["undated_articles"] = 0
    if freq is not None:
        frame.attrs["freq"] = freq
    return frame


def tick_labels(ax) -> list[str]:
    ax.figure.canvas.draw()
    return [t.get_text() for t in ax.get_xticklabels()]


def article_bars(ax) -> list:
    return [a for a in ax.figure.axes if a is not ax][0].patches


QUARTERS = ["2016-01-01", "2016-04-01", "2016-07-01", "2016-10-01", "2017-01-01"]
YEARS = ["2014-01-01", "2015-01-01", "2016-01-01"]


def test_term_trends_quarters_are_labelled_and_sized_as_quarters():
    ax = plot_term_trends(periodic_trends(QUARTERS, "Q"))
    assert ax.get_xlabel() == "quarter starting"
    assert tick_labels(ax) == ["Q1\n2016", "Q2", "Q3", "Q4", "Q1\n2017"]
    widths = [bar.get_width() for bar in article_bars(ax)]  # days on a date axis
    assert widths == pytest.approx([0.8 * days for days in (91, 91, 92, 92, 90)])
    twin = [a for a in ax.figure.axes if a is not ax][0]
    assert twin.get_ylabel() == "articles per quarter (n)"


def test_term_trends_years_are_not_taken_for_months():
    """Without attrs["freq"], January starts a year apart are years (they were months)."""
    ax = plot_term_trends(periodic_trends(YEARS, None))
    assert ax.get_xlabel() == "year"
    assert tick_labels(ax) == ["2014", "2015", "2016"]
    widths = [bar.get_width() for bar in article_bars(ax)]
    assert widths == pytest.approx([0.8 * 365, 0.8 * 365, 0.8 * 366])


def test_term_trends_prefer_the_recorded_freq():
    """The same starts recorded as quarters: every quarter between them is a period."""
    ax = plot_term_trends(periodic_trends(YEARS, "Q"))
    assert ax.get_xlabel() == "quarter starting"
    ys = ax.get_lines()[0].get_ydata()
    assert len(ys) == 9 and np.isnan(ys).sum() == 6
    months = plot_term_trends(periodic_trends(["2016-01-01", "2016-02-01", "2016-03-01"], "MS"))
    assert months.get_xlabel() == "month"
    assert tick_labels(months) == ["Jan\n2016", "Feb", "Mar"]
    assert [bar.get_width() for bar in article_bars(months)] == pytest.approx([24.8, 23.2, 24.8])


def test_term_trends_many_quarters_are_ticked_by_year():
    starts = [str(day.date()) for day in pd.date_range("2010-01-01", periods=20, freq="QS")]
    ax = plot_term_trends(periodic_trends(starts, "Q"))
    labels = [label for label in tick_labels(ax) if label]
    assert labels and set(labels) <= {str(year) for year in range(2009, 2016)}


def test_term_trends_markers_differ_and_gaps_are_bridged(trends):
    periods = sorted(trends["period"].unique())
    holed = trends.loc[trends["period"] != periods[2]]
    holed.attrs = dict(trends.attrs)
    ax = plot_term_trends(holed)
    lines = ax.get_lines()
    assert len({line.get_marker() for line in lines}) == len(lines) == 4
    # Later terms have smaller markers, so one drawn on another at the same value shows.
    assert [line.get_markersize() for line in lines] == sorted(
        (line.get_markersize() for line in lines), reverse=True
    )
    bridges = [c for c in ax.collections if len(c.get_segments())]
    assert len(bridges) == 4
    start, end = bridges[0].get_segments()[0][:, 0]
    assert matplotlib.dates.num2date(start).date() == pd.Timestamp(periods[1]).date()
    assert matplotlib.dates.num2date(end).date() == pd.Timestamp(periods[3]).date()
    assert "no articles" in ax.get_legend().get_texts()[-2].get_text()


def _marker_x(line) -> np.ndarray:
    """Where the markers of ``line`` are drawn, in pixels from the left."""
    return line.get_transform().transform(line.get_xydata())[:, 0]


def test_term_trends_terms_that_meet_are_drawn_side_by_side():
    """Two terms with the same shares: one line and its markers hid the other's."""
    periods = pd.date_range("2016-04-04", periods=4, freq="7D")
    shares = {"alpha": [1.0, 2.0, 3.0, 2.0], "beta": [1.0, 2.0, 3.0, 2.0],
              "gamma": [5.0, 1.0, 6.0, 4.0]}
    trends = pd.DataFrame(
        [{"period": when, "term": term, "count": int(10 * share), "n_articles": 1,
          "share": share / 100} for term, values in shares.items()
         for when, share in zip(periods, values, strict=True)]
    )
    trends.attrs["freq"] = "W"
    ax = plot_term_trends(trends, terms=list(shares))
    ax.figure.canvas.draw()
    lines = {line.get_label(): line for line in ax.get_lines()}
    true_x = ax.transData.transform(lines["alpha"].get_xydata())[:, 0]
    # the first term and a term that meets no other stay where their periods are
    assert _marker_x(lines["alpha"]) == pytest.approx(true_x)
    assert _marker_x(lines["gamma"]) == pytest.approx(true_x)
    # the second is moved sideways by most of a marker, the same at every period
    shift = _marker_x(lines["beta"]) - true_x
    marker_px = lines["beta"].get_markersize() * ax.figure.dpi / 72
    assert np.all(shift >= 0.6 * marker_px) and np.ptp(shift) == pytest.approx(0, abs=0.01)


def test_dodge_slots_separate_only_terms_that_meet():
    table = pd.DataFrame({"a": [1.0, 2.0, np.nan], "b": [1.01, 5.0, 3.0],
                          "c": [1.0, 9.0, 3.0], "d": [7.0, 7.0, np.nan]})
    # b meets a (period 0); c meets a and b (periods 0 and 2); d meets nobody
    assert dodge_slots(table, tolerance=0.05) == [0, 1, 2, 0]
    assert dodge_slots(table, tolerance=0.0) == [0, 0, 1, 0]


# --------------------------------------------------------------------------- keyness


def test_keyness_diverging_significant_terms_only(keyness):
    ax = plot_keyness(keyness, n=4, target_label="China Daily", reference_label="other news")
    assert_labelled(ax)
    significant = keyness.loc[keyness["p_value"] < 0.05]
    expected = min(4, (significant["log_ratio"] > 0).sum()) + min(
        4, (significant["log_ratio"] < 0).sum()
    )
    assert len(ax.patches) == expected > 0
    widths = [b.get_width() for b in sorted(ax.patches, key=lambda b: -b.get_y())]
    assert widths == sorted(widths, reverse=True)
    shown = {t.get_text() for t in ax.get_yticklabels()}
    assert shown <= set(significant["term"])
    assert "China Daily" in ax.get_xlabel() and "China Daily" in ax.get_title()
    assert top_label(ax) == "china"


def test_keyness_signed_g2_and_threshold(keyness):
    ax = plot_keyness(keyness, measure="g2", p_threshold=0.01)
    significant = keyness.loc[keyness["p_value"] < 0.01]
    assert len(ax.patches) == min(15, (significant["log_ratio"] > 0).sum()) + min(
        15, (significant["log_ratio"] < 0).sum()
    )
    assert max(abs(b.get_width()) for b in ax.patches) == pytest.approx(significant["g2"].max())


def test_keyness_infinite_log_ratio_is_drawn_at_the_edge(keyness):
    frame = keyness.assign(log_ratio=keyness["log_ratio"].where(keyness.index != 0, np.inf))
    ax = plot_keyness(frame)
    assert all(np.isfinite(b.get_width()) for b in ax.patches)


# --------------------------------------------------------------------------- heatmap


def test_heatmap_is_symmetric_and_annotated(pairs):
    ax = plot_cooccurrence_heatmap(pairs, n=8)
    assert_labelled(ax)
    matrix = ax.images[0].get_array()
    assert matrix.shape == (8, 8)
    assert np.ma.allequal(matrix, matrix.T)
    assert len(ax.texts) == matrix.count()
    names = [t.get_text() for t in ax.get_xticklabels()]
    assert "Hou Le" in names and names == [t.get_text() for t in ax.get_yticklabels()]
    assert ax.get_xticklabels()[0].get_rotation() == 45
    colorbar = ax.figure.axes[-1]
    assert "sentences" in colorbar.get_ylabel()


def test_heatmap_every_entity_has_a_filled_cell(pairs):
    ax = plot_cooccurrence_heatmap(pairs, n=12)
    matrix = ax.images[0].get_array()
    assert matrix.shape == (12, 12)
    assert all(matrix[i].count() > 0 for i in range(12))


def test_heatmap_signed_measure_is_centred(pairs):
    ax = plot_cooccurrence_heatmap(
        pairs.assign(pmi=pairs["pmi"] - 2), n=20, measure="pmi", annotate=False
    )
    norm = ax.images[0].norm
    assert norm.vmin == -norm.vmax and not ax.texts


def test_heatmap_periods_need_a_choice(pairs):
    sliced = pd.concat(
        [
            pairs.assign(period=pd.Timestamp("2016-04-04")),
            pairs.head(5).assign(period=pd.Timestamp("2016-04-11")),
        ]
    )
    sliced = sliced[["period", *pairs.columns]]
    with pytest.raises(ValueError, match="period"):
        plot_cooccurrence_heatmap(sliced)
    ax = plot_cooccurrence_heatmap(sliced, period="2016-04-11")
    assert ax.images[0].get_array().shape[0] <= 10


def test_pair_charts_name_the_periods_when_one_is_not_there(pairs):
    sliced = pd.concat(
        [
            pairs.assign(period=pd.Timestamp("2016-04-04")),
            pairs.head(5).assign(period=pd.Timestamp("2016-04-11")),
        ]
    )[["period", *pairs.columns]]
    for plot in (plot_cooccurrence_heatmap, plot_network):
        with pytest.raises(ValueError, match="valid: '2016-04-04', '2016-04-11'"):
            plot(sliced, period="2016-04-18")
    assert len(plot_network(sliced, period="2016-04-11").collections[0].get_paths()) == 5


# --------------------------------------------------------------------------- network


def test_network_top_edges_sizes_and_legend(graph):
    ax = plot_network(graph, top=10)
    assert_labelled(ax, ylabel=False)
    edges = ax.collections[0]
    assert len(edges.get_segments()) == 10
    nodes = sum(len(c.get_offsets()) for c in ax.collections[1:])
    kept = {
        n
        for a, b, _ in sorted(graph.edges(data=True), key=lambda e: -e[2]["count"])[:10]
        for n in (a, b)
    }
    assert nodes <= len(kept) + 0 and nodes >= 2
    assert ax.get_legend() is not None
    assert "Hou Le" in texts_of(ax)
    widths = edges.get_linewidths()
    assert max(widths) > min(widths)


def test_network_is_deterministic_and_accepts_pairs(graph, pairs):
    first = plot_network(graph, seed=3).collections[1].get_offsets().copy()
    second = plot_network(graph, seed=3).collections[1].get_offsets().copy()
    assert np.allclose(first, second)
    ax = plot_network(pairs, measure="npmi", layout="kamada_kawai", top=5)
    assert len(ax.collections[0].get_segments()) == 5
    assert "co-occurrences" in ax.get_xlabel()


NETWORK_SCRIPT = """
import json, sys
sys.path.insert(0, {tests!r})
from test_plots import entity_graph, seed_entities
from toolkit.plots import plot_network
seed = json.load(open({seed!r}, encoding="utf-8"))
ax = plot_network(entity_graph(seed["body_paragraphs"], seed_entities(seed)))
print([[round(float(v), 9) for v in xy] for c in ax.collections[1:] for xy in c.get_offsets()])
print(sorted(t.get_text() for t in ax.texts))
"""


@pytest.mark.slow
def test_network_layout_is_the_same_in_every_process(shared_dir):
    """Node order must not depend on string hashing, which changes between processes."""
    import os
    import subprocess
    import sys

    script = NETWORK_SCRIPT.format(
        tests=str(Path(__file__).parent), seed=str(shared_dir / "seed" / "expected.json")
    )
    outputs = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "MPLBACKEND": "Agg"}
        run = subprocess.run(
            [sys.executable, "-c", script],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1] and "Hou Le" in outputs[0]


def name_boxes(ax) -> list:
    """The box of each name as drawn, without its leader line."""
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    return [matplotlib.text.Text.get_window_extent(t, renderer) for t in ax.texts]


def node_discs(ax) -> tuple[np.ndarray, np.ndarray]:
    """Centres (pixels) and radii (pixels) of every node drawn."""
    centres = np.vstack([ax.transData.transform(c.get_offsets()) for c in ax.collections[1:]])
    radii = np.concatenate(
        [np.sqrt(c.get_sizes()) / 2 * ax.figure.dpi / 72 for c in ax.collections[1:]]
    )
    return centres, radii


def rim_gaps(box, centres: np.ndarray, radii: np.ndarray) -> np.ndarray:
    """Distance (pixels) from a box to the rim of each node."""
    dx = np.maximum(np.maximum(box.x0 - centres[:, 0], centres[:, 0] - box.x1), 0)
    dy = np.maximum(np.maximum(box.y0 - centres[:, 1], centres[:, 1] - box.y1), 0)
    return np.hypot(dx, dy) - radii


def pairs_graph(count: int = 16) -> nx.Graph:
    """Lone pairs of entities, one name long and one short: the names line up in rows."""
    graph = nx.Graph()
    for number in range(count):
        a, b = f"Pamela Colman Smith {number}", f"Waite {number}"
        graph.add_node(a, label="PERSON", mentions=10 + number)
        graph.add_node(b, label="ORG", mentions=5 + number)
        graph.add_edge(a, b, count=3 + number)
    return graph


def test_network_names_and_nodes_do_not_overlap(graph):
    ax = plot_network(graph, top=40)
    boxes = name_boxes(ax)
    assert len(boxes) >= 15
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))
    centres, radii = node_discs(ax)
    for i, j in itertools.combinations(range(len(centres)), 2):
        assert np.hypot(*(centres[i] - centres[j])) >= 0.95 * (radii[i] + radii[j])
    for box in boxes:
        assert rim_gaps(box, centres, radii).min() > 0


@pytest.mark.parametrize("figsize", [(9, 7), (6, 4.5)])
def test_network_each_name_is_nearest_its_own_node(graph, figsize):
    """A name is never nearer another node than its own (it would read as that one's);
    one set apart from its node is joined to it by a leader line."""
    _, ax = plt.subplots(figsize=figsize)
    plot_network(graph, ax=ax)
    centres, radii = node_discs(ax)
    points = ax.figure.dpi / 72
    for text, box in zip(ax.texts, name_boxes(ax), strict=True):
        own = int(np.argmin(np.hypot(*(centres - ax.transData.transform(text.xy)).T)))
        gaps = rim_gaps(box, centres, radii)
        others = np.delete(gaps, own)
        if text.arrow_patch is None:
            assert gaps[own] <= 6 * points, text.get_text()
            assert others.min() > gaps[own], text.get_text()
            if figsize == (9, 7):  # with room, by a clear margin
                assert others.min() >= gaps[own] + 2 * points, text.get_text()
        else:
            assert others.min() > 0, text.get_text()


def test_network_names_keep_a_gap_so_two_never_read_as_one():
    ax = plot_network(pairs_graph())
    boxes = name_boxes(ax)
    assert len(boxes) == 32
    points = ax.figure.dpi / 72
    for a, b in itertools.combinations(boxes, 2):
        apart_x = max(b.x0 - a.x1, a.x0 - b.x1)
        apart_y = max(b.y0 - a.y1, a.y0 - b.y1)
        assert apart_x >= 7 * points or apart_y >= 3.5 * points, (a, b)


def test_network_biggest_names_are_always_written(graph):
    """Even in a small figure the ten most mentioned entities keep their names."""
    _, ax = plt.subplots(figsize=(4, 3))
    plot_network(graph, ax=ax)
    mentions = pd.Series(dict(graph.nodes(data="mentions")))
    biggest = sorted(mentions.index, key=lambda name: (-mentions[name], name))[:10]
    written = set(texts_of(ax))
    assert [name for name in biggest if name[:20] not in {t[:20] for t in written}] == []


@pytest.mark.parametrize("make", [lambda g: g, lambda g: pairs_graph()], ids=["seed", "pairs"])
def test_network_limits_fit_the_drawing(graph, make):
    """The nodes and names fill the axes in one direction (the other keeps the aspect)."""
    ax = plot_network(make(graph))
    centres, radii = node_discs(ax)
    boxes = name_boxes(ax)
    low = np.minimum(
        (centres - radii[:, None]).min(axis=0), [min(b.x0 for b in boxes), min(b.y0 for b in boxes)]
    )
    high = np.maximum(
        (centres + radii[:, None]).max(axis=0), [max(b.x1 for b in boxes), max(b.y1 for b in boxes)]
    )
    frame = ax.get_window_extent()
    fill = (high - low) / np.array([frame.width, frame.height])
    assert fill.max() >= 0.97 and fill.min() >= 0.5, fill
    assert np.all(low >= [frame.x0 - 1, frame.y0 - 1]) and np.all(
        high <= [frame.x1 + 1, frame.y1 + 1]
    )


def test_network_measure_must_be_on_the_edges(graph):
    bare = nx.Graph([("a", "b")])
    with pytest.raises(ValueError, match="count"):
        plot_network(bare)
    with pytest.raises(ValueError, match="layout"):
        plot_network(graph, layout="hairball")


# --------------------------------------------------------------------------- dispersion


def test_dispersion_rows_per_term_and_article_starts(dispersion, paragraphs):
    terms = ["china", "terrorism", "g20", "hangzhou", "police"]
    ax = plot_dispersion(dispersion, terms=terms)
    assert_labelled(ax)
    assert len(ax.get_lines()) == len(terms)
    hits = dispersion["term"].value_counts()
    assert [t.get_text() for t in ax.get_yticklabels()] == [f"{t} ({hits[t]})" for t in terms]
    assert top_label(ax).startswith("china (")
    marks = {m.get_ydata()[0]: len(m.get_xdata()) for m in ax.get_lines() if len(m.get_xdata())}
    assert marks[4] == (dispersion["term"] == "china").sum()
    assert len(ax.collections[0].get_segments()) == len(paragraphs) - 1
    assert ax.get_xlim() == (0, dispersion.attrs["total_tokens"])


# --------------------------------------------------------------------------- shared rules

EMPTY_CASES = [
    (plot_top_terms, ["term", "count", "proportion"], "No terms"),
    (plot_term_trends, ["period", "term", "count", "n_articles", "total_tokens", "share"], "No "),
    (plot_keyness, ["term", "g2", "count_target", "log_ratio", "p_value"], "significant"),
    (plot_cooccurrence_heatmap, ["entity_a", "entity_b", "label_a", "label_b", "count"], "No "),
    (plot_network, ["entity_a", "entity_b", "label_a", "label_b", "count"], "No "),
    (plot_dispersion, ["article_id", "term", "token_index", "offset"], "No "),
]


@pytest.mark.parametrize(("plot", "columns", "message"), EMPTY_CASES)
def test_empty_input_draws_a_message(plot, columns, message):
    for frame in (pd.DataFrame(columns=columns), pd.DataFrame()):
        ax = plot(frame)
        assert any(message in text for text in texts_of(ax)), texts_of(ax)
        assert_labelled(ax, ylabel=False)


def test_empty_graph_and_no_significant_term(keyness):
    assert texts_of(plot_network(nx.Graph()))
    ax = plot_keyness(keyness.assign(p_value=1.0))
    assert "p < 0.05" in texts_of(ax)[0]


@pytest.mark.parametrize(("plot", "columns", "message"), EMPTY_CASES)
def test_missing_columns_raise_naming_them(plot, columns, message):
    frame = pd.DataFrame({"something": [1, 2]})
    with pytest.raises(ValueError, match=re.escape(repr(columns[1]))):
        plot(frame)


def test_a_given_axes_is_used_and_returned(counts, dispersion):
    fig, axes = plt.subplots(1, 2)
    assert plot_top_terms(counts, ax=axes[0]) is axes[0]
    assert plot_dispersion(dispersion, ax=axes[1]) is axes[1]
    assert len(fig.axes) == 2
    # The caller's Axes was made outside the style; it gets the style's look anyway.
    assert not axes[0].spines["top"].get_visible()
    first_colour = matplotlib.colors.to_hex(axes[1].get_lines()[0].get_color())
    assert first_colour == "#0072b2"


def test_style_is_applied_only_while_drawing(counts):
    before = dict(matplotlib.rcParams)
    ax = plot_top_terms(counts)
    assert ax.title.get_fontweight() == "bold"
    assert not ax.spines["top"].get_visible()
    assert dict(matplotlib.rcParams) == before
    with plot_style():
        assert matplotlib.rcParams["axes.spines.top"] is False


def test_style_keeps_the_interactive_mode_set_while_drawing():
    """In a kernel, pyplot turns interactive mode on with the first figure (inside the
    first chart); restoring it to off would stop every later chart from showing."""
    was = matplotlib.is_interactive()
    try:
        matplotlib.interactive(False)
        with plot_style():
            matplotlib.interactive(True)
        assert matplotlib.is_interactive()
        with plot_style():
            assert matplotlib.is_interactive()
        assert matplotlib.is_interactive()
    finally:
        matplotlib.interactive(was)


KERNEL_CELLS = [
    "import pandas as pd\nimport toolkit as tk\n"
    "counts = pd.DataFrame({'term': ['china', 'police'], 'count': [3, 2]})",
    "ax = tk.plot_top_terms(counts)",
    "ax = tk.plot_top_terms(counts, n=1)",
    "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()",
]


@pytest.mark.slow
def test_every_chart_shows_in_a_kernel_without_the_inline_magic(tmp_path, monkeypatch):
    """A notebook without ``%matplotlib inline``: each chart cell shows its figure."""
    import sys

    import nbformat
    from nbclient import NotebookClient

    # This Python as the kernel, with the backend a Jupyter kernel picks by itself.
    spec = tmp_path / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source in KERNEL_CELLS]
    )
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=120,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    shown = [
        sum("image/png" in output.get("data", {}) for output in cell.outputs)
        for cell in notebook.cells
    ]
    assert shown == [0, 1, 1, 1]


@pytest.mark.slow
def test_chinese_labels_do_not_fail_and_missing_glyphs_are_reported_once(counts, tmp_path, caplog):
    """Without a CJK font the labels draw as boxes: one log warning, no warning flood."""
    import warnings

    import toolkit.resources
    from toolkit.plots.base import font_families

    chinese = pd.DataFrame({"term": ["北京", "杭州"], "count": [50, 40], "proportion": [0.1, 0.08]})
    toolkit.resources._warned.discard("plots:glyphs")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax = plot_top_terms(pd.concat([chinese, counts]), n=5)
        save_figure(ax, "中文", formats=("png", "svg", "pdf"), folder=tmp_path)
    assert top_label(ax) == "北京"
    assert not [w for w in caught if "Glyph" in str(w.message)]
    assert (tmp_path / "中文.pdf").stat().st_size > 0
    if len(font_families()) == 1:  # no CJK font installed here
        assert "no glyph" in caplog.text and "北" in caplog.text


def test_only_installed_fallback_fonts_are_used(monkeypatch):
    from toolkit.plots import base as _base

    monkeypatch.setattr(_base, "FALLBACK_FONTS", ("No Such Font", "STIXGeneral"))
    _base.font_families.cache_clear()
    try:
        with plot_style():
            assert matplotlib.rcParams["font.family"] == ["DejaVu Sans", "STIXGeneral"]
    finally:
        _base.font_families.cache_clear()


# --------------------------------------------------------------------------- save_figure


def test_save_figure_writes_each_format_and_the_csv(counts, tmp_path):
    ax = plot_top_terms(counts, n=10)
    paths = save_figure(
        ax.figure, "Top terms: seed", data=counts.head(10), folder=tmp_path / "figures"
    )
    assert [p.name for p in paths] == [
        "top-terms-seed.png",
        "top-terms-seed.svg",
        "top-terms-seed.pdf",
        "top-terms-seed.csv",
    ]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in paths[1].read_bytes()[:500]
    assert paths[2].read_bytes()[:5] == b"%PDF-"
    table = pd.read_csv(paths[3])
    assert list(table.columns) == ["term", "count", "proportion"] and len(table) == 10


def test_pdf_and_svg_text_stays_editable_text(counts, tmp_path):
    """TrueType (pdf.fonttype 42), not Type 3: editable, and accepted by publishers'
    PDF checks; SVG text is <text>, not paths."""
    pdf, svg = save_figure(
        plot_top_terms(counts, n=5), "t", formats=("pdf", "svg"), folder=tmp_path
    )
    content = pdf.read_bytes()
    assert b"/CIDFontType2" in content and b"/Type3" not in content
    assert b"<text" in svg.read_bytes()


def test_save_figure_accepts_an_axes_and_one_format(counts, tmp_path):
    ax = plot_top_terms(counts)
    assert save_figure(ax, "chart.png", formats="PNG", folder=tmp_path) == [tmp_path / "chart.png"]


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("..\\..\\win", "win"),
        ("..", "figure"),
        ("", "figure"),
        ("北京 G20", "北京-g20"),
        ("Top terms: China Daily.png", "top-terms-china-daily"),
        ("nul", "figure-nul"),
    ],
)
def test_a_bare_name_is_made_safe_inside_the_folder(name, stem, tmp_path):
    folder = tmp_path / "out" / "figures"
    fig, _ = plt.subplots()
    paths = save_figure(
        fig, name, formats=("png",), data=pd.Series([1, 2], name="n"), folder=folder
    )
    assert [p.name for p in paths] == [f"{stem}.png", f"{stem}.csv"]
    assert all(p.resolve().parent == folder.resolve() for p in paths)
    assert sorted(Path(tmp_path).rglob("*.*")) == sorted(paths)
    assert safe_name(name) == stem


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """An empty working directory inside tmp_path (so ``..`` stays in tmp_path)."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def _written(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("name", "folder", "expected"),
    [
        ("top terms", None, "work/reports/figures/top-terms"),
        ("{tmp}/some/dir/name", None, "some/dir/name"),
        ("charts/Top terms", None, "work/charts/top-terms"),
        ("./top_terms", None, "work/top_terms"),
        ("../elsewhere/top_terms.png", None, "elsewhere/top_terms"),
        ("sub/top_terms", "{tmp}/base", "base/sub/top_terms"),
        ("top_terms", "{tmp}/base", "base/top_terms"),
    ],
)
def test_a_name_with_folders_goes_where_it_says(name, folder, expected, workdir):
    """``save_figure(fig, "/some/dir/name")`` writes /some/dir/name.png, not
    reports/figures/some-dir-name.png."""
    tmp = workdir.parent
    fig, _ = plt.subplots()
    paths = save_figure(
        fig,
        name.format(tmp=tmp),
        formats=("png", "svg"),
        data=pd.Series([1, 2], name="n"),
        folder=None if folder is None else folder.format(tmp=tmp),
    )
    wanted = [f"{expected}.{suffix}" for suffix in ("png", "svg", "csv")]
    assert [p.resolve().relative_to(tmp.resolve()).as_posix() for p in paths] == wanted
    assert _written(tmp) == sorted(wanted)


def test_a_path_object_and_a_home_folder_are_paths_too(workdir, monkeypatch):
    monkeypatch.setenv("HOME", str(workdir.parent / "home"))
    fig, _ = plt.subplots()
    assert save_figure(fig, workdir / "a" / "x", formats="png") == [workdir / "a" / "x.png"]
    home = save_figure(fig, "~/charts/x", formats="png")
    assert home == [workdir.parent / "home" / "charts" / "x.png"] and home[0].is_file()


@pytest.mark.parametrize(
    ("name", "folder", "message"),
    [
        ("out/", None, r"names a folder, not a file.*'out/top_terms'"),
        ("out/..", None, "names a folder, not a file"),
        ("{tmp}/abs/x", "{tmp}/base", "absolute path and folder="),
    ],
)
def test_a_name_that_is_a_folder_or_two_places_is_a_value_error(name, folder, message, workdir):
    tmp = workdir.parent
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match=message):
        save_figure(
            fig,
            name.format(tmp=tmp),
            formats="png",
            folder=None if folder is None else folder.format(tmp=tmp),
        )
    assert _written(tmp) == []


def test_save_figure_bad_format_names_the_valid_ones(tmp_path):
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match=r"\['png', 'svg', 'pdf'\]"):
        save_figure(fig, "x", formats=("png", "jpeg"), folder=tmp_path)
    with pytest.raises(ValueError, match="dpi"):
        save_figure(fig, "x", dpi=0, folder=tmp_path)
    with pytest.raises(TypeError):
        save_figure("not a figure", "x", folder=tmp_path)
    assert not list(tmp_path.iterdir())


def test_save_figure_keeps_a_meaningful_index(pairs, tmp_path):
    fig, _ = plt.subplots()
    matrix = pairs.pivot_table(index="entity_a", columns="entity_b", values="count")
    csv = save_figure(fig, "matrix", formats=["svg"], data=matrix, folder=tmp_path)[-1]
    assert pd.read_csv(csv).columns[0] == "entity_a"
