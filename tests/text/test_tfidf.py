"""tfidf: equal to scikit-learn's TfidfVectorizer on the same terms."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from toolkit.schema import conform_articles, empty_articles
from toolkit.text.tokens.tokenizer import tokenize
from toolkit.text.weights import tfidf


@pytest.fixture(scope="module")
def news(corpus_dir, seed_articles) -> pd.DataFrame:
    """The seed and 25 English corpus pages (extracted with trafilatura)."""
    import trafilatura

    texts = [seed_articles["text"].iloc[0]]
    for line in (corpus_dir / "expected.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        if record["language"] == "en" and len(texts) < 26:
            text = trafilatura.extract((corpus_dir / record["file"]).read_bytes())
            if text:
                texts.append(text)
    frame = pd.DataFrame({"article_id": [f"p{i}" for i in range(len(texts))], "text": texts})
    return conform_articles(frame.assign(status="ok"))


def sklearn_table(texts, ids, **options) -> pd.DataFrame:
    token_options = {k: options.pop(k) for k in ("ngram", "stopwords") if k in options}
    vectorizer = TfidfVectorizer(analyzer=lambda t: tokenize(t, **token_options), **options)
    matrix = vectorizer.fit_transform(texts).tocoo()
    terms = vectorizer.get_feature_names_out()
    return pd.DataFrame(
        {"article_id": np.asarray(ids)[matrix.row], "term": terms[matrix.col], "sk": matrix.data}
    )


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"sublinear_tf": True},
        {"smooth_idf": False},
        {"norm": "l1"},
        {"norm": None},
        {"use_idf": False},
        {"ngram": (1, 2), "stopwords": None},
        {"min_df": 2, "max_df": 0.5},
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "defaults",
)
def test_equals_scikit_learn(news, options):
    ours_options = dict(options)
    if ours_options.get("norm", "l2") is None:
        ours_options["norm"] = "none"
    ours = tfidf(news, **ours_options)
    theirs = sklearn_table(news["text"].tolist(), news["article_id"], **options)
    merged = ours.merge(theirs, on=["article_id", "term"], how="outer", indicator=True)
    assert (merged["_merge"] == "both").all()
    assert len(ours) > 3000
    np.testing.assert_allclose(merged["tfidf"], merged["sk"], rtol=0, atol=1e-9)


def test_columns_weights_and_order(news):
    table = tfidf(news)
    assert list(table.columns) == ["article_id", "term", "count", "tf", "idf", "tfidf"]
    assert [str(t) for t in table.dtypes] == [
        "str",
        "str",
        "int64",
        "float64",
        "float64",
        "float64",
    ]
    assert table["article_id"].drop_duplicates().tolist() == news["article_id"].tolist()
    n = len(news)
    df = table.groupby("term")["article_id"].nunique()
    idf = table.drop_duplicates("term").set_index("term")["idf"]
    np.testing.assert_allclose(idf, np.log((1 + n) / (1 + df.loc[idf.index])) + 1)
    norms = table.groupby("article_id")["tfidf"].apply(lambda w: np.sqrt((w**2).sum()))
    np.testing.assert_allclose(norms, 1.0)
    for _, part in table.groupby("article_id", sort=False):
        assert part["tfidf"].is_monotonic_decreasing
    assert (table["tf"] == table["count"]).all()


def test_seed_top_terms(seed_articles):
    table = tfidf(seed_articles)
    # One article: every idf is 1, so weights follow counts.
    assert table["term"].iloc[0] == "china"
    assert (table["idf"] == 1.0).all()


@pytest.mark.parametrize(
    "frame",
    [
        empty_articles(),
        conform_articles(pd.DataFrame({"article_id": ["a"], "text": ["the of"], "status": "ok"})),
    ],
    ids=["no articles", "only stopwords"],
)
def test_empty(frame):
    table = tfidf(frame)
    assert len(table) == 0
    assert list(table.columns) == ["article_id", "term", "count", "tf", "idf", "tfidf"]
    assert [str(t) for t in table.dtypes] == [
        "str",
        "str",
        "int64",
        "float64",
        "float64",
        "float64",
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"norm": "l3"}, "'l2', 'l1', 'none'"),
        ({"min_df": 0}, "min_df"),
        ({"max_df": 1.5}, "max_df"),
        ({"ngram": 4}, "ngram"),
    ],
)
def test_bad_arguments(seed_articles, kwargs, message):
    with pytest.raises(ValueError, match=message):
        tfidf(seed_articles, **kwargs)
