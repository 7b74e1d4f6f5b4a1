"""One run configuration, checked once: the CLI builds it, run_report takes it."""

from __future__ import annotations

import pytest

import toolkit as tk
from toolkit.report.config import RunConfig


def test_defaults_and_normalisation():
    config = RunConfig(formats=("svg",), terms=["g20"], ner_languages=["en", "zh"])
    assert config.formats == ("png", "svg")  # index.html shows the PNG
    assert config.terms == ("g20",) and config.ner_languages == ("en", "zh")
    assert config.ingest_kwargs() == {"workers": 2, "timeout": 30.0, "cache": False,
                                      "extract": tk.ExtractOptions(), "fetch": tk.FetchOptions()}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"top_n": 0}, "top_n must be a positive integer"),
        ({"window": "page"}, "window='page' is not valid"),
        ({"trend_freq": "H"}, "trend_freq='H' is not valid"),
        ({"formats": ("png", "gif")}, "formats='gif' is not valid"),
        ({"terms": "g20"}, "terms must be a list"),
        ({"ner_languages": "en"}, "ner_languages must be a list"),
        ({"stopwords": "klingon"}, "klingon"),
        ({"timeout": -1}, "timeout must be a positive number"),
        ({"colour": "red"}, "unknown run option"),
    ],
)
def test_a_bad_option_is_a_value_error_naming_what_is_valid(options, message):
    with pytest.raises(ValueError, match=message):
        RunConfig.build(**options)


def test_shorthands_fold_into_the_option_objects_and_conflicts_are_errors():
    config = RunConfig.build(max_bytes=1000, favor="recall")
    assert config.fetch.max_bytes == 1000 and config.extract.favor_recall
    base = RunConfig(top_n=5)
    assert RunConfig.build(base, top_n=5, window="paragraph").window == "paragraph"
    with pytest.raises(ValueError, match="top_n=7 conflicts with config.top_n=5"):
        RunConfig.build(base, top_n=7)
    with pytest.raises(ValueError, match="top_n=7 conflicts"):
        tk.run_report(["data/sample"], out="unused", config=base, top_n=7)


def test_the_record_is_json_and_stable():
    import json

    record = RunConfig().as_record()
    assert json.loads(json.dumps(record)) == record
    assert record["stopwords"] == ["auto", sorted(record["stopwords"][1])]
    assert record["fetch"]["max_bytes"] == 5_000_000
