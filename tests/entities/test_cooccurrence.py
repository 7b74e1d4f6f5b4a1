"""toolkit.entities.pairs: sparse counts equal a brute-force recount, measures, periods."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from itertools import combinations

import numpy as np
import pandas as pd
import pytest

from toolkit.entities.pairs import PAIR_COLUMNS, cooccurrence, cooccurrence_by_period
from toolkit.resources import find_spacy_model
from toolkit.schema import conform_articles

NAMES = [
    ("Hou Le", "PERSON"),
    ("Xi Jinping", "PERSON"),
    ("Thorsten Boelts", "PERSON"),
    ("United Nations", "ORG"),
    ("Counterterrorism Bureau", "ORG"),
    ("Interpol", "ORG"),
    ("China", "GPE"),
    ("Germany", "GPE"),
    ("Hangzhou", "GPE"),
    ("Southeast Asia", "LOC"),
    ("Chinese", "NORP"),
    ("G20", "EVENT"),
]
FILLER = "the police said that officers will meet in a week and talk about security".split()


def random_corpus(seed: int, n_articles: int = 40) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Articles of filler words with entity names, and their mentions (a few per sentence)."""
    rng = np.random.default_rng(seed)
    weights = np.linspace(3, 1, len(NAMES))
    weights /= weights.sum()
    articles, rows = [], []
    for number in range(n_articles):
        article_id = f"art{number:03d}"
        text, sentence = "", 0
        for paragraph in range(rng.integers(1, 5)):
            if paragraph:
                text += "\n"
            for s in range(rng.integers(1, 4)):
                words = list(rng.choice(FILLER, size=rng.integers(4, 15)))
                for _ in range(rng.integers(0, 4)):
                    name, label = NAMES[rng.choice(len(NAMES), p=weights)]
                    words.insert(int(rng.integers(0, len(words) + 1)), (name, label))
                if s:
                    text += " "
                for word in words:
                    if text and not text.endswith((" ", "\n")):
                        text += " "
                    if isinstance(word, tuple):
                        rows.append(
                            {
                                "article_id": article_id,
                                "paragraph": paragraph,
                                "sentence": sentence,
                                "start": len(text),
                                "end": len(text) + len(word[0]),
                                "text": word[0],
                                "label": word[1],
                                "entity": word[0],
                                "backend": "test",
                            }
                        )
                        text += word[0]
                    else:
                        text += str(word)
                text += "."
                sentence += 1
        articles.append(
            {
                "article_id": article_id,
                "text": text,
                "status": "ok",
                "date": f"2016-0{1 + number % 3}-{1 + number % 27:02d}",
            }
        )
    return pd.DataFrame(rows), conform_articles(pd.DataFrame(articles))


def brute_force(mentions: pd.DataFrame, articles: pd.DataFrame, window) -> dict:
    """Windows as sets of entities, counted with Python loops (the definition in the docs)."""
    windows: list[tuple[str, set[str]]] = []
    if isinstance(window, int):
        texts = dict(zip(articles["article_id"], articles["text"], strict=True))
        for article_id, group in mentions.groupby("article_id", sort=False):
            starts = [m.start() for m in re.finditer(r"\w+", texts[article_id])]
            token = [max(i for i, s in enumerate(starts) if s <= start) for start in group["start"]]
            items = list(zip(token, group["entity"], strict=True))
            for anchor, _ in items:
                windows.append(
                    (article_id, {e for t, e in items if anchor <= t <= anchor + window})
                )
    else:
        keys = ["article_id"] if window == "article" else ["article_id", window]
        for key, group in mentions.groupby(keys, sort=False):
            article_id = key[0] if isinstance(key, tuple) else key
            windows.append((article_id, set(group["entity"])))
    count, per_entity, per_articles = defaultdict(int), defaultdict(int), defaultdict(set)
    for article_id, entities in windows:
        for entity in entities:
            per_entity[entity] += 1
        for a, b in combinations(sorted(entities), 2):
            count[(a, b)] += 1
            per_articles[(a, b)].add(article_id)
    return {
        "n": len(windows),
        "count": dict(count),
        "entity": dict(per_entity),
        "articles": {k: len(v) for k, v in per_articles.items()},
    }


@pytest.mark.parametrize("window", ["sentence", "paragraph", "article", 1, 5, 12])
@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("shuffled", [False, True])
def test_counts_equal_a_brute_force_recount(window, seed, shuffled):
    mentions, articles = random_corpus(seed)
    if shuffled:  # articles' mentions interleaved: windows are not numbered article by article
        mentions = mentions.sample(frac=1, random_state=seed)
    pairs = cooccurrence(mentions, window=window, articles=articles)
    expected = brute_force(mentions, articles, window)
    assert pairs.columns.tolist() == PAIR_COLUMNS
    assert pairs.attrs["window"] == window and pairs.attrs["n_windows"] == expected["n"]
    got = {
        (a, b): c
        for a, b, c in zip(pairs["entity_a"], pairs["entity_b"], pairs["count"], strict=True)
    }
    assert got == expected["count"]
    assert len(got) > 10
    for row in pairs.itertuples():
        key = (row.entity_a, row.entity_b)
        c_a, c_b, n = (
            expected["entity"][row.entity_a],
            expected["entity"][row.entity_b],
            expected["n"],
        )
        assert row.n_articles == expected["articles"][key]
        assert row.jaccard == pytest.approx(row.count / (c_a + c_b - row.count))
        assert row.dice == pytest.approx(2 * row.count / (c_a + c_b))
        assert row.pmi == pytest.approx(math.log2(row.count * n / (c_a * c_b)))


def g2_by_hand(k11: int, k12: int, k21: int, k22: int) -> float:
    n = k11 + k12 + k21 + k22
    rows, cols = (k11 + k12, k21 + k22), (k11 + k21, k12 + k22)
    total = 0.0
    for (i, j), k in zip([(0, 0), (0, 1), (1, 0), (1, 1)], [k11, k12, k21, k22], strict=True):
        if k:
            total += k * math.log(k / (rows[i] * cols[j] / n))
    return 2 * total


def test_measures_on_a_hand_made_example():
    # Five sentences: {A,B}, {A,B}, {A,C}, {B}, {C}.
    layout = [("A", 0), ("B", 0), ("A", 1), ("B", 1), ("A", 2), ("C", 2), ("B", 3), ("C", 4)]
    mentions = pd.DataFrame(
        {
            "article_id": "x",
            "paragraph": 0,
            "sentence": [s for _, s in layout],
            "start": range(len(layout)),
            "end": range(1, len(layout) + 1),
            "text": [e for e, _ in layout],
            "label": "ORG",
            "entity": [e for e, _ in layout],
            "backend": "test",
        }
    )
    pairs = cooccurrence(mentions).set_index(["entity_a", "entity_b"])
    assert set(pairs.index) == {("A", "B"), ("A", "C")}
    ab = pairs.loc[("A", "B")]
    assert ab["count"] == 2 and ab["n_articles"] == 1
    assert ab["pmi"] == pytest.approx(math.log2(2 * 5 / (3 * 3)))
    assert ab["npmi"] == pytest.approx(math.log2(10 / 9) / -math.log2(2 / 5))
    assert ab["g2"] == pytest.approx(g2_by_hand(2, 1, 1, 1))
    assert ab["jaccard"] == pytest.approx(2 / 4) and ab["dice"] == pytest.approx(4 / 6)
    assert cooccurrence(mentions, min_count=2)[["entity_a", "entity_b"]].values.tolist() == [
        ["A", "B"]
    ]


def test_labels_filter_and_order():
    mentions, articles = random_corpus(3)
    people = cooccurrence(mentions, labels=["PERSON"])
    assert set(people["label_a"]) | set(people["label_b"]) == {"PERSON"}
    places = cooccurrence(mentions, labels="PLACE")
    assert set(places["label_a"]) | set(places["label_b"]) <= {"GPE", "LOC"}
    pairs = cooccurrence(mentions)
    assert (pairs["entity_a"] < pairs["entity_b"]).all()
    assert pairs["count"].is_monotonic_decreasing
    assert cooccurrence(mentions, labels=["WORK_OF_ART"]).columns.tolist() == PAIR_COLUMNS


def test_bad_arguments():
    mentions, _ = random_corpus(4, n_articles=3)
    with pytest.raises(ValueError, match="'sentence', 'paragraph', 'article'"):
        cooccurrence(mentions, window="page")
    with pytest.raises(ValueError, match="positive"):
        cooccurrence(mentions, window=0)
    with pytest.raises(ValueError, match="articles="):
        cooccurrence(mentions, window=5)
    with pytest.raises(ValueError, match="min_count"):
        cooccurrence(mentions, min_count=0)
    with pytest.raises(ValueError, match="lacks"):
        cooccurrence(mentions.drop(columns="entity"))


def test_by_period():
    mentions, articles = random_corpus(5)
    articles = articles.assign(date=articles["date"].where(articles["article_id"] != "art000"))
    before = mentions.copy()
    pairs = cooccurrence_by_period(mentions, articles, freq="M")
    pd.testing.assert_frame_equal(mentions, before)
    assert pairs.columns.tolist() == ["period", *PAIR_COLUMNS]
    assert sorted(pairs["period"].unique()) == list(
        pd.to_datetime(["2016-01-01", "2016-02-01", "2016-03-01"])
    )
    assert pairs.attrs["undated_articles"] == 1 and pairs.attrs["freq"] == "M"
    january = articles.loc[articles["date"].dt.month.eq(1), "article_id"]
    direct = cooccurrence(mentions[mentions["article_id"].isin(january)])
    got = pairs[pairs["period"] == pd.Timestamp("2016-01-01")].drop(columns="period")
    pd.testing.assert_frame_equal(got.reset_index(drop=True), direct, check_like=False)
    tokens = cooccurrence_by_period(mentions, articles, freq="W", window=5)
    assert (tokens["period"].dt.day_of_week == 0).all()
    with pytest.raises(ValueError, match="'D', 'W', 'M'"):
        cooccurrence_by_period(mentions, articles, freq="fortnight")


@pytest.mark.skipif(find_spacy_model() is None, reason="no spaCy pipeline installed")
def test_seed_sentence_pairs(seed_articles, seed_expected):
    from toolkit.entities import extract_entities

    mentions = extract_entities(seed_articles, backend="spacy", progress=False)
    pairs = cooccurrence(mentions, window="sentence")
    found = {frozenset(p) for p in zip(pairs["entity_a"], pairs["entity_b"], strict=True)}
    for a, b in seed_expected["sentence_cooccurrence_expected"]:
        assert frozenset((a, b)) in found, (a, b)
    hou = pairs[(pairs["entity_a"] == "Counterterrorism Bureau") & (pairs["entity_b"] == "Hou Le")]
    assert hou["count"].tolist() == [2]
