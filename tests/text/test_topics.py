"""topics, topic_trends, topic_stability: planted topics found, deterministic, NPMI by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from toolkit.schema import conform_articles
from toolkit.text.counts import term_counts
from toolkit.text.topic_models import Topics, npmi_coherence, topic_stability, topic_trends, topics

#: Three planted topics, each with its own words.
WORDS = {
    "football": "goal striker referee stadium league penalty midfielder coach fans match "
                "keeper pitch",
    "markets": "shares investors stocks bond inflation dividend trader earnings index rally "
               "yields equity",
    "weather": "rain storm forecast temperature wind snow flood drought humidity cloud frost "
               "thunder",
}


def planted(n_per_topic: int = 8, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for topic, words in WORDS.items():
        vocabulary = words.split()
        for i in range(n_per_topic):
            text = " ".join(rng.choice(vocabulary, size=30)) + " report today"
            month = 1 + (i % 4) if topic != "weather" else 5 + (i % 2)
            rows.append({"article_id": f"{topic}-{i}", "text": text, "topic_truth": topic,
                         "date": pd.Timestamp(2020, month, 10), "sitename": f"site{i % 2}"})
    frame = pd.DataFrame(rows).assign(status="ok", language="en")
    return conform_articles(frame).assign(topic_truth=[r["topic_truth"] for r in rows])


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return planted()


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_planted_topics_are_found(corpus, method):
    model = topics(corpus, k=3, method=method, progress=False)
    assert isinstance(model, Topics)
    assert list(model.terms.columns) == ["topic", "term", "weight", "rank"]
    assert list(model.articles.columns) == ["article_id", "topic", "weight"]
    assert list(model.labels.columns) == ["topic", "label", "coherence", "share"]
    # each topic's top five terms are the words of one planted topic
    found = [set(model.terms.loc[(model.terms["topic"] == t) & (model.terms["rank"] <= 5),
                                 "term"]) for t in range(3)]
    planted_sets = [set(words.split()) for words in WORDS.values()]
    assert sorted(sum(f <= p for p in planted_sets) for f in found) == [1, 1, 1]
    # each article's heaviest topic groups it with its planted topic
    best = model.articles.sort_values("weight").groupby("article_id").tail(1)
    truth = corpus.set_index("article_id")["topic_truth"]
    assert best.groupby(best["article_id"].map(truth))["topic"].nunique().eq(1).all()
    weights = model.articles.groupby("article_id")["weight"].sum()
    assert weights.to_numpy() == pytest.approx(np.ones(len(weights)))
    assert model.coherence > 0.8  # the ten top terms of a planted topic come together
    assert model.labels["share"].sum() == pytest.approx(1.0)


def test_the_vocabulary_is_the_term_counts_vocabulary(corpus):
    model = topics(corpus, k=3, max_df=1.0, min_df=1, n_terms=100, progress=False)
    counted = set(term_counts(corpus, progress=False)["term"])
    assert set(model.terms["term"]) <= counted
    assert "today" not in set(topics(corpus, k=3, progress=False).terms["term"])  # max_df


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_the_same_seed_gives_the_same_topics(corpus, method):
    a = topics(corpus, k=3, method=method, seed=7, progress=False)
    b = topics(corpus, k=3, method=method, seed=7, progress=False)
    pd.testing.assert_frame_equal(a.terms, b.terms)
    pd.testing.assert_frame_equal(a.articles, b.articles)


def test_npmi_coherence_by_hand():
    # 4 documents; term 0 in docs 0,1; term 1 in docs 0,1; term 2 in docs 2,3
    counts = sparse.csr_matrix(np.array([[1, 2, 0], [3, 1, 0], [0, 0, 1], [0, 0, 2]]))
    together, apart = npmi_coherence(counts, [np.array([0, 1]), np.array([0, 2])])
    assert together == pytest.approx(1.0)  # always together
    assert apart == pytest.approx(-1.0)  # never together
    # a partial overlap: P(a)=3/4, P(b)=2/4, P(a,b)=1/4
    counts = sparse.csr_matrix(np.array([[1, 1], [1, 0], [1, 0], [0, 1]]))
    (value,) = npmi_coherence(counts, [np.array([0, 1])])
    assert value == pytest.approx(math.log((1 / 4) / (3 / 4 * 2 / 4)) / -math.log(1 / 4))


def test_stability_across_seeds(corpus):
    stable = topic_stability(corpus, k=3, method="nmf", seeds=(0, 1))
    assert list(stable.columns) == ["seed", "topic", "match", "jaccard"]
    assert stable["jaccard"].eq(1.0).all()  # planted topics: every seed finds them
    lda = topic_stability(corpus, k=3, method="lda", seeds=(0, 1, 2))
    assert len(lda) == 6 and lda["jaccard"].between(0, 1).all()
    assert sorted(lda.loc[lda["seed"] == 1, "match"]) == [0, 1, 2]  # one to one


def test_topic_trends_share_per_period_and_group(corpus):
    model = topics(corpus, k=3, progress=False)
    trends = topic_trends(corpus, model=model, freq="M")
    assert list(trends.columns) == ["period", "topic", "label", "share", "n_articles"]
    sums = trends.groupby("period")["share"].sum()
    assert sums.to_numpy() == pytest.approx(np.ones(len(sums)))
    # the weather articles are the only ones of May and June: one topic takes those months
    may = trends.loc[trends["period"] == pd.Timestamp("2020-05-01")]
    assert may["share"].max() > 0.9 and may["n_articles"].iloc[0] == 4
    by_site = topic_trends(corpus, model=model, freq="Q", by="sitename")
    assert list(by_site.columns[:2]) == ["sitename", "period"]
    assert by_site.attrs["freq"] == "Q"


def test_bad_arguments_name_what_is_valid(corpus):
    with pytest.raises(ValueError, match="nmf"):
        topics(corpus, method="pca")
    with pytest.raises(ValueError, match="k="):
        topics(corpus.head(2), k=3, progress=False)
    with pytest.raises(ValueError, match="seed"):
        topics(corpus, seed="x")
    with pytest.raises(ValueError, match="max_df"):
        topics(corpus, max_df=2)
    with pytest.raises(ValueError, match="Topics"):
        topic_trends(corpus, model="not a model")
    with pytest.raises(ValueError, match="seeds"):
        topic_stability(corpus, seeds=(1,))


def test_the_front_gives_the_function_even_after_the_module_is_imported():
    import toolkit as tk
    import toolkit.text.topic_models  # noqa: F401  (a module named like the function shadowed it)

    assert callable(tk.topics) and tk.topics is topics
