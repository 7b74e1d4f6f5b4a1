"""The entity explorer widget, driven through its widget objects as a notebook user would."""

from __future__ import annotations

import re

import ipywidgets as widgets
import pandas as pd
import pytest

import toolkit as tk
from toolkit.widgets.explorer import EntityExplorer, neighbours


@pytest.fixture(scope="module")
def frames(seed_articles):
    """The seed's articles, mentions and sentence pairs."""
    mentions = tk.extract_entities(seed_articles, progress=False)
    pairs = tk.cooccurrence(mentions, window="sentence")
    return mentions, pairs, seed_articles


@pytest.fixture
def explorer(frames) -> EntityExplorer:
    return tk.entity_explorer(*frames)


def test_it_is_a_widget_with_the_controls(explorer, frames):
    _, pairs, _ = frames
    assert isinstance(explorer, widgets.VBox)
    assert isinstance(explorer.entity, widgets.Dropdown)
    assert isinstance(explorer.min_count, widgets.IntSlider)
    assert explorer.min_count.max == pairs["count"].max()
    names = set(pairs["entity_a"]) | set(pairs["entity_b"])
    assert set(explorer.entity.options and [v for _, v in explorer.entity.options]) == names
    # Most mentioned first: the first entity has no fewer mentions than any other.
    counts = explorer.mentions["entity"].value_counts()
    first = explorer.entity.value
    assert counts[first] == max(counts.get(n, 0) for n in names)


def test_picking_an_entity_lists_its_neighbours_with_measures(explorer, frames):
    _, pairs, _ = frames
    explorer.entity.value = "Hou Le"
    table = explorer.table
    expected = pairs[pairs["entity_a"].eq("Hou Le") | pairs["entity_b"].eq("Hou Le")]
    assert len(table) == len(expected) > 0
    assert "Counterterrorism Bureau" in set(table["neighbour"])
    assert "Hou Le" not in set(table["neighbour"])
    assert list(table.columns[:4]) == ["neighbour", "label", "count", "n_articles"]
    assert table["count"].is_monotonic_decreasing
    html = explorer.neighbours_html.value
    assert "Counterterrorism Bureau" in html and "npmi" in html
    assert list(explorer.neighbour.options) == list(table["neighbour"])


def test_picking_a_neighbour_shows_the_evidence_sentences(explorer, frames):
    mentions, _, articles = frames
    explorer.entity.value = "Hou Le"
    explorer.neighbour.value = "Counterterrorism Bureau"
    expected = tk.evidence(mentions, articles, "Hou Le", "Counterterrorism Bureau")
    assert len(explorer.evidence_rows) == len(expected) == 2
    html = explorer.evidence_html.value
    assert "<mark>Hou Le</mark>" in html and "<mark>Counterterrorism Bureau</mark>" in html
    assert "said on Wednesday" in html
    assert "&quot;We&#x27;re facing a grim task" in html  # page text is escaped
    assert "Cooperation sought to ensure safe G20" in html  # the article title


def test_the_slider_filters_neighbours_and_keeps_the_chosen_one(explorer):
    explorer.entity.value = "Hou Le"
    explorer.neighbour.value = "Counterterrorism Bureau"
    everyone = len(explorer.table)
    explorer.min_count.value = 2
    assert 0 < len(explorer.table) < everyone
    assert explorer.table["count"].ge(2).all()
    assert explorer.neighbour.value == "Counterterrorism Bureau"
    assert "at least 2" in explorer.neighbours_html.value
    explorer.entity.value = "Afghanistan"  # named with others once only
    assert explorer.table.empty
    assert explorer.neighbour.value is None and explorer.evidence_html.value == ""
    assert "No entity is named with <b>Afghanistan</b>" in explorer.neighbours_html.value
    explorer.min_count.value = 1
    assert not explorer.table.empty and explorer.neighbour.value is not None


def test_sorting_by_another_measure(explorer):
    explorer.entity.value = "China"
    explorer.sort.value = "npmi"
    assert explorer.table["npmi"].is_monotonic_decreasing
    assert "sorted by npmi" in explorer.neighbours_html.value


def test_no_pairs_gives_an_empty_explorer_not_an_error(frames):
    mentions, pairs, articles = frames
    empty = tk.entity_explorer(mentions, pairs.iloc[0:0], articles)
    assert empty.entity.value is None
    assert "No two entities" in empty.neighbours_html.value


def test_bad_inputs_raise(frames):
    mentions, pairs, articles = frames
    with pytest.raises(ValueError, match="period"):
        tk.entity_explorer(mentions, pairs.assign(period=pd.Timestamp("2016-04-01")), articles)
    with pytest.raises(ValueError, match="entity_b"):
        tk.entity_explorer(mentions, pairs.drop(columns="entity_b"), articles)
    with pytest.raises(ValueError, match="sort"):
        neighbours(pairs, "China", sort="size")


# --------------------------------------------------------------------------- in JupyterLab


def test_labels_count_in_the_singular_for_one(explorer):
    """The dropdown said "1 mentions"; the texts "neighbour(s)" and "window(s)"."""
    labels = [label for label, _ in explorer.entity.options]
    assert any(label.endswith(", 1 mention)") for label in labels)
    assert not any(re.search(r"\b1 mentions", label) for label in labels)
    assert any(label.endswith(" mentions)") for label in labels)
    explorer.entity.value = "Hou Le"
    explorer.min_count.value = 1
    html = explorer.neighbours_html.value
    assert "at least 1 sentence window," in html and "(s)" not in html
    assert f"<b>{len(explorer.table)} neighbours</b> of <b>Hou Le</b>" in html
    explorer.neighbour.value = "Counterterrorism Bureau"
    assert "<b>2 sentence windows</b> naming both" in explorer.evidence_html.value


def test_the_neighbours_table_carries_its_style_scoped_to_the_explorer(explorer):
    """JupyterLab's table style does not reach an HTML widget: headers ran together,
    numbers were left-aligned and cells had no padding."""
    assert "toolkit-explorer" in explorer._dom_classes
    explorer.entity.value = "Hou Le"
    html = explorer.neighbours_html.value
    style = html[html.index("<style>") + 7 : html.index("</style>")]
    rules = [rule for rule in style.split("}") if rule.strip()]
    assert rules and all(rule.strip().startswith(".toolkit-explorer table.data") for rule in rules)
    assert "padding:" in style and "text-align: right" in style
    assert '<th class="num" scope="col">count</th>' in html
    assert '<td class="num">' in html and '<td class="short">Counterterrorism Bureau</td>' in html


def test_dropdowns_are_as_wide_as_their_longest_entry(explorer):
    """ipywidgets' fixed width cut "East Turkestan Islamic Movement" in the dropdown."""
    for dropdown in (explorer.entity, explorer.neighbour):
        assert dropdown.layout.width == "max-content"
        assert dropdown.layout.max_width == "100%"


def test_a_widget_that_does_not_come_back_says_to_run_the_cell(explorer, monkeypatch):
    """Reopened, a notebook showed "Error displaying widget: model not found" and no more."""
    bundle = explorer._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.model_id
    for mime in ("text/plain", "text/html"):
        assert "run this cell" in bundle[mime] and "not saved with the notebook" in bundle[mime]
    assert bundle["text/plain"].startswith(
        f"Entity explorer ({len(explorer.entity.options)} entities, {len(explorer.pairs)} pairs)."
    )
    shown = []
    monkeypatch.setattr(
        "toolkit.widgets.explorer.display", lambda data, raw: shown.append((data, raw))
    )
    explorer._ipython_display_()
    (widget, raw_widget), (note, raw_note) = shown
    assert raw_widget and raw_note and widget == bundle
    assert list(note) == ["text/html"]
    assert 'class="toolkit-explorer-stale"' in note["text/html"]
    assert "run this cell" in note["text/html"]
    # hidden while an explorer renders in the output just before it
    assert (".jp-OutputArea-child:has(.toolkit-explorer) + .jp-OutputArea-child "
            ".toolkit-explorer-stale { display: none; }") in note["text/html"]
