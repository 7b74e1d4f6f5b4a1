"""The explorer as a user sees it: JupyterLab in headless Chromium (``make screenshots``).

Skipped where Chromium or the playwright package is missing (a clean CI machine);
``tools/screenshots.py`` does the work and leaves the PNGs it took in the test's
temporary folder.
"""

from __future__ import annotations

import re

import pytest

from tools import screenshots

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def looked_at(tmp_path_factory) -> tuple[dict, object]:
    """What JupyterLab showed of the explorer live and after a reopen, and where the PNGs are."""
    reason = screenshots.missing()
    if reason:
        pytest.skip(reason)
    out = tmp_path_factory.mktemp("screenshots")
    return screenshots.shoot_explorer(out), out


def test_the_explorer_renders_live_and_its_note_stays_hidden(looked_at):
    measured, out = looked_at
    live = measured["live"]
    assert live["explorer"] and live["errors"] == []
    assert live["note_text"] and not live["note_shown"]
    assert (out / "explorer.png").stat().st_size > 30_000


def test_the_neighbours_table_has_padding_separate_headers_and_numbers_on_the_right(looked_at):
    live = looked_at[0]["live"]
    assert live["headers"][:4] == ["neighbour", "label", "count", "n_articles"]
    assert min(live["header_padding"]) >= 12  # px, left + right
    assert min(live["header_gaps"]) >= 12  # px between the texts of neighbouring headers
    assert live["num_alignment"] == ["right"]


def test_dropdowns_show_the_whole_name(looked_at):
    live = looked_at[0]["live"]
    entity = live["dropdowns"][0]
    assert entity["text"].replace("\xa0", " ").startswith(screenshots.LONG_ENTITY)
    for dropdown in live["dropdowns"]:
        assert dropdown["needed"] <= dropdown["room"], dropdown


def test_counts_of_one_are_singular(looked_at):
    texts = [t.replace("\xa0", " ") for t in looked_at[0]["live"]["option_texts"]]
    assert any(t.endswith(", 1 mention)") for t in texts)
    assert not any(re.search(r"\b1 mentions", t) for t in texts)


def test_a_reopened_notebook_says_to_run_the_cell(looked_at):
    measured, out = looked_at
    reopened = measured["reopened"]
    assert not reopened["explorer"]
    assert reopened["errors"] == ["Error displaying widget: model not found"]
    assert reopened["note_shown"] and "run this cell" in reopened["note_text"]
    assert (out / "explorer-reopened.png").stat().st_size > 10_000
