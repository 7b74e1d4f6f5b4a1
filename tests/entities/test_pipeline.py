"""extract_entities = recognize_entities, then resolve_aliases: the halves give the same frame."""

from __future__ import annotations

import pandas as pd
import pytest

from toolkit.entities import (
    AliasOptions,
    NEROptions,
    alias_log,
    extract_entities,
    recognize_entities,
    resolve_aliases,
)
from toolkit.resources import find_spacy_model

needs_spacy = pytest.mark.skipif(find_spacy_model() is None, reason="no spaCy English model")


@needs_spacy
def test_the_two_halves_equal_the_one_call(seed_articles):
    whole = extract_entities(seed_articles, progress=False)
    raw = recognize_entities(seed_articles, progress=False)
    # before aliases: only what the model found (it misses the bare surname "Hou")
    assert "Hou Le" in set(raw["entity"]) and "Hou" not in set(raw["text"])
    halves = resolve_aliases(raw, articles=seed_articles)
    pd.testing.assert_frame_equal(whole, halves[whole.columns].reset_index(drop=True))
    assert set(whole.loc[whole["text"].eq("Hou"), "entity"]) == {"Hou Le"}  # found by the scan
    assert alias_log(whole).equals(alias_log(halves))


@needs_spacy
def test_each_alias_rule_can_be_turned_off(seed_articles):
    plain = extract_entities(seed_articles, alias_options=AliasOptions(link=False), progress=False)
    assert "Hou" not in set(plain["text"]) and plain.attrs["alias_log"] == []
    no_scan = extract_entities(seed_articles, alias_options=AliasOptions(scan=False),
                               progress=False)
    full = extract_entities(seed_articles, progress=False)
    assert "Hou" in set(full["text"]) and "Hou" not in set(no_scan["text"])


def test_options_that_contradict_their_object_or_are_malformed_are_errors(seed_articles):
    with pytest.raises(ValueError, match="backend='nltk' conflicts with ner.backend='spacy'"):
        extract_entities(seed_articles, ner=NEROptions(backend="spacy"), backend="nltk")
    with pytest.raises(ValueError, match="max_chars must be >= 100"):
        NEROptions(max_chars=50)
    with pytest.raises(ValueError, match="backend='stanza' is not valid"):
        NEROptions(backend="stanza")
    with pytest.raises(ValueError, match="AliasOptions.scan must be True or False"):
        AliasOptions(scan="no")
    with pytest.raises(ValueError, match="alias_options must be an AliasOptions"):
        extract_entities(seed_articles, alias_options={"scan": False})
