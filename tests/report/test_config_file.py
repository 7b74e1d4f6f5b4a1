"""run.toml: every RunConfig written and read back as it was."""

from __future__ import annotations

import pandas as pd
import pytest

from toolkit.extract.page import ExtractOptions
from toolkit.report.config import RunConfig
from toolkit.report.config_file import config_to_toml, read_config_file
from toolkit.sources.fetch import FetchOptions


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"timeout": None, "ner_languages": None, "stopwords": None, "terms": ("a b", "c")},
        {"stopwords": ("english", {"said"}, {"us"}), "keyness_outlets": ("X", "Y")},
        {"stopwords": frozenset({"a", "b"}), "labels": ("PERSON",), "model": "en_core_web_sm"},
        {"stopwords": (None, {"only"}), "formats": ("png",), "cache": True, "workers": 3},
        {"extract": ExtractOptions(favor_recall=True, target_language="de"),
         "fetch": FetchOptions(max_bytes=10, user_agent='a "quoted" agent ü')},
    ],
)
def test_a_config_round_trips(options, tmp_path):
    config = RunConfig.build(**options)
    path = tmp_path / "run.toml"
    path.write_text(config_to_toml(config, ["/data/pages", "https://x.org/feed"]), "utf-8")
    values, sources = read_config_file(path)
    assert RunConfig.build(**values) == config
    assert sources == ["/data/pages", "https://x.org/feed"]


def test_dataframe_sources_are_left_out_with_a_note(tmp_path):
    text = config_to_toml(RunConfig(), ["/a", pd.DataFrame({"text": ["x"]})])
    assert "# (sources given as DataFrames are not written here)" in text
    assert 'sources = ["/a"]' in text


def test_a_missing_file_is_a_value_error(tmp_path):
    with pytest.raises(ValueError, match="cannot read the configuration file"):
        read_config_file(tmp_path / "none.toml")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"keyness_outlets": ("a", "b", "c")}, "keyness_outlets takes one outlet"),
        ({"keyness_outlets": "China Daily"}, "keyness_outlets must be a list"),
        ({"labels": "PERSON"}, "labels must be a list"),
        ({"model": ""}, "model must be a spaCy pipeline name"),
        ({"collocation_min_count": 0}, "collocation_min_count must be a positive integer"),
        ({"pair_min_count": -1}, "pair_min_count must be a positive integer"),
    ],
)
def test_a_bad_new_option_is_a_value_error_naming_what_is_valid(options, message):
    with pytest.raises(ValueError, match=message):
        RunConfig.build(**options)
