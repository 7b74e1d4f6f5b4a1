"""Ingestion options as objects: every extraction option reachable, no silent override."""

from __future__ import annotations

import pytest

import toolkit as tk
from tests.conftest import ROOT
from toolkit.ingest.read import build_options

SAMPLE = ROOT / "data" / "sample" / "china-daily-g20-security.html"


def test_every_extraction_option_reaches_the_workers():
    """target_language (unreachable through the old keywords) decides the row's status."""
    english = tk.read_articles([SAMPLE], extract=tk.ExtractOptions(target_language="en"),
                               progress=False)
    french = tk.read_articles([SAMPLE], extract=tk.ExtractOptions(target_language="fr"),
                              progress=False)
    assert english["status"].tolist() == ["ok"]
    assert french["status"].tolist() == ["empty"]
    assert "not the target language 'fr'" in french["error"].iloc[0]


def test_the_size_cap_comes_from_fetch_options_for_local_files_too():
    capped = tk.read_articles([SAMPLE], fetch=tk.FetchOptions(max_bytes=1000), progress=False)
    assert capped["status"].tolist() == ["too_large"]


@pytest.mark.parametrize(
    ("keywords", "message"),
    [
        ({"max_bytes": 1000, "fetch": tk.FetchOptions(max_bytes=2000)},
         "max_bytes=1000 conflicts with fetch.max_bytes=2000"),
        ({"favor": "recall", "extract": tk.ExtractOptions(favor_precision=True)},
         "favor='recall' conflicts with extract.favor='precision'"),
        ({"include_tables": False, "extract": tk.ExtractOptions()},
         "include_tables=False conflicts with extract.include_tables=True"),
        ({"fetch": tk.FetchOptions(), "fetch_options": tk.FetchOptions(min_delay=1.0)},
         "pass only fetch"),
        ({"extract": {"fast": True}}, "extract must be a toolkit.ExtractOptions"),
    ],
)
def test_a_keyword_that_contradicts_its_options_object_is_an_error(keywords, message):
    with pytest.raises(ValueError, match=message):
        build_options(**keywords)
    with pytest.raises(ValueError, match=message):
        tk.read_articles([SAMPLE], progress=False, **keywords)


def test_agreeing_keywords_and_objects_are_accepted():
    options = build_options(
        max_bytes=2000, fetch=tk.FetchOptions(max_bytes=2000), favor="precision",
        extract=tk.ExtractOptions(favor_precision=True),
    )
    assert options.max_bytes == 2000 and options.extract.favor_precision
    shorthand = build_options(max_bytes=3000, favor="recall", include_comments=True)
    assert shorthand.fetch.max_bytes == 3000
    assert shorthand.extract == tk.ExtractOptions(favor_recall=True, include_comments=True)
