"""Entities with ids from other tools, article subsets, empty inputs and label spellings.

The frames a user brings (numeric or repeated ``article_id``, a filtered
articles frame, nothing at all) and labels written by hand ("person").
"""

from __future__ import annotations

import pandas as pd
import pytest

import toolkit as tk
from toolkit.entities.aliases.resolve import MENTION_COLUMNS
from toolkit.entities.labels import SPACY_LABELS, resolve_labels
from toolkit.entities.pairs import PAIR_COLUMNS
from toolkit.resources import find_spacy_model

needs_spacy = pytest.mark.skipif(find_spacy_model() is None, reason="no spaCy pipeline installed")

TEXTS = [
    "Angela Merkel visited Berlin. Merkel spoke.",
    "Emmanuel Macron arrived in Paris. Later, Macron left for Rome with Angela Merkel.",
]


def hand_mentions() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Articles (numeric ids, dated) and mentions written by hand: no NER needed."""
    articles = pd.DataFrame(
        {
            "article_id": [101, 102],
            "text": TEXTS,
            "date": pd.to_datetime(["2016-04-07", "2016-05-02"]),
        }
    )
    found = [
        (0, "Angela Merkel", "PERSON"),
        (0, "Berlin", "GPE"),
        (0, "Merkel", "PERSON"),
        (1, "Emmanuel Macron", "PERSON"),
        (1, "Paris", "GPE"),
        (1, "Macron", "PERSON"),
        (1, "Rome", "GPE"),
        (1, "Angela Merkel", "PERSON"),
    ]
    rows, position = [], {0: 0, 1: 0}
    for number, surface, label in found:
        text = TEXTS[number]
        start = text.index(surface, position[number])
        position[number] = start + len(surface)
        sentence = int(text.rfind(".", 0, start) > 0)
        rows.append(
            (
                str(articles["article_id"][number]),
                0,
                sentence,
                start,
                start + len(surface),
                surface,
                label,
                surface,
                "test",
            )
        )
    mentions = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    mentions = mentions.assign(
        entity=mentions["entity"].replace({"Merkel": "Angela Merkel", "Macron": "Emmanuel Macron"})
    )
    return articles, mentions


# --------------------------------------------------------------------------- ids
def test_numeric_ids_join_the_str_ids_of_the_mentions():
    articles, mentions = hand_mentions()
    rows = tk.evidence(mentions, articles, "Angela Merkel", "Berlin")
    assert rows["article_id"].tolist() == ["101"]
    assert rows["text"].tolist() == ["Angela Merkel visited Berlin."]
    # Mentions read back from a CSV carry numbers too.
    numeric = mentions.astype({"article_id": "int64"})
    again = tk.evidence(numeric, articles, "Angela Merkel", "Berlin", window=3)
    assert again["text"].tolist() == [TEXTS[0][:29], TEXTS[0]]  # Berlin is 1 token from Merkel
    by_tokens = tk.cooccurrence(numeric, window=3, articles=articles)
    assert {"Angela Merkel", "Berlin"} <= set(by_tokens["entity_a"]) | set(by_tokens["entity_b"])
    resolved = tk.resolve_aliases(numeric.drop(columns="entity"), articles=articles)
    assert resolved["article_id"].tolist() == mentions["article_id"].tolist()
    periods = tk.cooccurrence_by_period(numeric, articles, freq="M")
    assert periods.attrs["undated_articles"] == 0
    assert sorted(periods["period"].unique()) == list(pd.to_datetime(["2016-04-01", "2016-05-01"]))


def test_explorer_with_numeric_ids_shows_the_evidence():
    articles, mentions = hand_mentions()
    explorer = tk.entity_explorer(mentions, tk.cooccurrence(mentions), articles)
    explorer.entity.value = "Angela Merkel"
    explorer.neighbour.value = "Berlin"
    assert explorer.evidence_rows["text"].tolist() == ["Angela Merkel visited Berlin."]
    assert "<mark>Angela Merkel</mark> visited <mark>Berlin</mark>" in explorer.evidence_html.value


def test_repeated_ids_are_refused_everywhere():
    articles, mentions = hand_mentions()
    twice = articles.assign(article_id=[7, 7])
    calls = {
        "evidence": lambda: tk.evidence(mentions, twice, "Angela Merkel", "Berlin"),
        "resolve_aliases": lambda: tk.resolve_aliases(mentions, articles=twice),
        "cooccurrence_by_period": lambda: tk.cooccurrence_by_period(mentions, twice),
        "token windows": lambda: tk.cooccurrence(mentions, window=3, articles=twice),
        "entity_explorer": lambda: tk.entity_explorer(mentions, tk.cooccurrence(mentions), twice),
    }
    for name, call in calls.items():
        with pytest.raises(ValueError, match="unique"):
            call()
        assert twice["article_id"].tolist() == [7, 7], name  # input untouched


@needs_spacy
def test_extraction_keys_numeric_ids_as_str_and_refuses_repeated_ones():
    articles = pd.DataFrame({"article_id": [101, 102], "text": TEXTS})
    mentions = tk.extract_entities(articles, backend="spacy", progress=False)
    assert set(mentions["article_id"]) == {"101", "102"}
    assert tk.evidence(mentions, articles, "Angela Merkel", "Berlin")["article_id"].tolist() == [
        "101"
    ]
    with pytest.raises(ValueError, match="unique"):
        tk.extract_entities(articles.assign(article_id=["x1", "x1"]), progress=False)


# --------------------------------------------------------------------------- subsets
def test_evidence_from_a_subset_or_reindexed_articles():
    articles, mentions = hand_mentions()
    both = tk.evidence(mentions, articles, "Angela Merkel", "Rome")
    assert both["article_id"].tolist() == ["102"]
    assert tk.evidence(mentions, articles.iloc[[0]], "Angela Merkel", "Rome").empty
    only = tk.evidence(mentions, articles.iloc[[1]], "Angela Merkel", "Rome")
    assert only.equals(both)
    shuffled = articles.iloc[::-1].set_axis([10, 3])
    assert tk.evidence(mentions, shuffled, "Angela Merkel", "Rome").equals(both)
    explorer = tk.entity_explorer(mentions, tk.cooccurrence(mentions), articles.iloc[[1]])
    explorer.entity.value = "Angela Merkel"
    explorer.neighbour.value = "Rome"
    assert explorer.evidence_rows["article_id"].tolist() == ["102"]
    explorer.neighbour.value = "Berlin"  # named together only in the article left out
    assert explorer.evidence_rows.empty


# --------------------------------------------------------------------------- empty
def test_empty_inputs_give_empty_results():
    articles, mentions = hand_mentions()
    pairs = tk.cooccurrence(mentions)
    graph = tk.to_graph(pairs.iloc[:0], mentions=mentions.iloc[:0])
    assert graph.number_of_nodes() == graph.number_of_edges() == 0
    for given in (articles.iloc[:0], articles.assign(date=pd.NaT)):
        by_period = tk.cooccurrence_by_period(mentions, given)
        assert by_period.empty and by_period.columns.tolist() == ["period", *PAIR_COLUMNS]
        assert by_period.attrs["undated_articles"] == 2
    none = tk.cooccurrence_by_period(mentions.iloc[:0], articles.iloc[:0])
    assert none.empty and none.columns.tolist() == ["period", *PAIR_COLUMNS]


# --------------------------------------------------------------------------- labels
def test_labels_match_whatever_their_case_and_unknown_ones_are_named():
    articles, mentions = hand_mentions()
    persons = tk.cooccurrence(mentions, labels=["PERSON"])
    assert len(persons) == 1
    assert tk.cooccurrence(mentions, labels=["person"]).equals(persons)
    assert tk.cooccurrence(mentions, labels="Person").attrs["labels"] == ["PERSON"]
    places = tk.cooccurrence(mentions, labels=["gpe", "person"])
    assert set(places["label_a"]) | set(places["label_b"]) == {"GPE", "PERSON"}
    # A known label the mentions do not hold gives nothing, without an error.
    assert tk.cooccurrence(mentions, labels=["LAW"]).empty
    assert tk.cooccurrence(mentions, labels=["ORGANIZATION"]).attrs["labels"] == ["ORG"]
    with pytest.raises(ValueError, match=r"PERSONS.*'GPE'.*'PERSON'"):
        tk.cooccurrence(mentions, labels=["PERSONS"])
    with pytest.raises(ValueError, match="PERSONS"):
        tk.cooccurrence_by_period(mentions, articles, labels=["PERSONS"])
    by_period = tk.cooccurrence_by_period(mentions, articles, labels=["person"])
    assert by_period.attrs["labels"] == ["PERSON"] and len(by_period) == 1


def test_resolve_labels():
    assert resolve_labels(None) is None
    assert resolve_labels("work_of_art") == ("WORK_OF_ART",)
    assert resolve_labels(["place", "ne", "Facility"]) == ("PLACE", "NE", "FAC")
    # A pipeline's own label is valid; two labels differing only in case need the exact one.
    assert resolve_labels(["disease"], extra=["DISEASE"]) == ("DISEASE",)
    assert resolve_labels(["Drug"], extra=["Drug", "DRUG"]) == ("Drug",)
    with pytest.raises(ValueError, match="drug"):
        resolve_labels(["drug"], extra=["Drug", "DRUG"])
    assert resolve_labels(["PERSONS"], strict=False) == ("PERSONS",)
    with pytest.raises(ValueError, match="non-empty"):
        resolve_labels([""])
    assert len(SPACY_LABELS) == 18


@needs_spacy
def test_extraction_labels_any_case_and_typos(seed_articles):
    persons = tk.extract_entities(seed_articles, backend="spacy", labels=["PERSON"], progress=False)
    assert len(persons) > 0
    lower = tk.extract_entities(seed_articles, backend="spacy", labels=["person"], progress=False)
    assert lower.equals(persons)
    with pytest.raises(ValueError, match="PERSONS"):
        tk.extract_entities(seed_articles, backend="spacy", labels=["PERSONS"], progress=False)
    assert tk.extract_entities(
        seed_articles, backend="spacy", labels=["LANGUAGE"], progress=False
    ).empty


def test_articles_in_other_languages_are_named_in_a_warning(caplog):
    articles = pd.DataFrame(
        {
            "article_id": ["en1", "de1", "fr1"],
            "text": [
                "Angela Merkel visited Berlin on Monday.",
                "Die Bundeskanzlerin besuchte am Montag die Datenbank in Berlin.",
                "La chancelière a visité Paris lundi avec le président.",
            ],
            "language": ["en", "de", "fr"],
        }
    )
    with caplog.at_level("WARNING", logger="toolkit.entities.recognize"):
        tk.extract_entities(articles, backend="nltk", progress=False)
    assert "2 of 3 articles are not in English (de 1, fr 1)" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="toolkit.entities.recognize"):
        tk.extract_entities(articles.iloc[:1], backend="nltk", progress=False)
    assert "not in English" not in caplog.text
