"""collocations: the same scores as NLTK's finders built over sentences."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from nltk import sent_tokenize
from nltk.collocations import BigramCollocationFinder, TrigramCollocationFinder
from nltk.corpus import stopwords as nltk_stopwords
from nltk.metrics import BigramAssocMeasures, TrigramAssocMeasures

from toolkit.schema import conform_articles, empty_articles
from toolkit.text.counts import term_counts
from toolkit.text.phrases import collocations
from toolkit.text.tokens.tokenizer import tokenize

NLTK_NAMES = {"g2": "likelihood_ratio", "t": "student_t"}
EXTRA = [
    "Security was tight for the G20 summit. The G20 summit opened in Hangzhou.",
    "Police said security for the summit was tight. Hangzhou police said so.",
    # Punkt and the fast splitter disagree here: sentences="punkt" must follow Punkt.
    "The vote was 5-4. etc. officials agreed.",
]


@pytest.fixture(scope="module")
def frame(seed_articles) -> pd.DataFrame:
    ids = [f"x{i}" for i in range(len(EXTRA))]
    extra = pd.DataFrame({"article_id": ids, "text": EXTRA, "status": "ok"})
    return pd.concat([seed_articles, conform_articles(extra)], ignore_index=True)


def sentences(frame: pd.DataFrame) -> list[list[str]]:
    """Each sentence's words (punctuation out, stopwords in), as NLTK users would feed them."""
    out = []
    for text in frame["text"]:
        for paragraph in text.split("\n"):
            words = [tokenize(s, stopwords=None) for s in sent_tokenize(paragraph)]
            out.extend(w for w in words if w)
    return out


def nltk_scores(frame, n, measure, min_count, window=None) -> dict[str, float]:
    stop = set(nltk_stopwords.words("english")) | {"'s", "'d"}
    docs = sentences(frame)
    if n == 2 and window:
        padded = itertools.chain.from_iterable(d + [None] * (window - 1) for d in docs)
        finder = BigramCollocationFinder.from_words(padded, window_size=window)
    elif n == 2:
        finder = BigramCollocationFinder.from_documents(docs)
    else:
        finder = TrigramCollocationFinder.from_documents(docs)
    finder.apply_word_filter(lambda w: w in stop)
    finder.apply_freq_filter(min_count)
    measures = BigramAssocMeasures if n == 2 else TrigramAssocMeasures
    scored = finder.score_ngrams(getattr(measures, NLTK_NAMES.get(measure, measure)))
    return {" ".join(words): score for words, score in scored}


@pytest.mark.parametrize("measure", ["pmi", "g2", "chi_sq", "t", "dice", "raw_freq"])
def test_bigrams_equal_nltk(frame, measure):
    ours = collocations(frame, measure=measure, min_count=1, sentences="punkt")
    expected = nltk_scores(frame, 2, measure, 1)
    assert len(ours) == len(expected) > 100
    assert dict(zip(ours["term"], ours["score"], strict=True)) == pytest.approx(expected)
    assert ours["score"].is_monotonic_decreasing


@pytest.mark.parametrize("measure", ["pmi", "g2", "chi_sq", "t", "raw_freq"])
def test_trigrams_equal_nltk(frame, measure):
    ours = collocations(frame, ngram=3, measure=measure, min_count=1, sentences="punkt")
    expected = nltk_scores(frame, 3, measure, 1)
    assert len(ours) == len(expected) > 40
    assert dict(zip(ours["term"], ours["score"], strict=True)) == pytest.approx(expected)


def test_sentences_option_is_used(frame):
    fast = collocations(frame, measure="raw_freq", min_count=1)
    punkt = collocations(frame, measure="raw_freq", min_count=1, sentences="punkt")
    assert "5-4 etc." in set(punkt["term"]) - set(fast["term"])
    assert "etc. officials" in set(fast["term"]) - set(punkt["term"])


def test_padding_stops_ngrams_at_removed_tokens():
    text = "Hangzhou, China hosts. Hangzhou, China waits. Hangzhou China"
    frame = conform_articles(pd.DataFrame({"article_id": ["a"], "text": [text], "status": "ok"}))
    joined = collocations(frame, measure="raw_freq", min_count=1).set_index("term")["count"]
    padded = collocations(frame, measure="raw_freq", min_count=1, padding=True)
    assert joined["hangzhou china"] == 3
    assert padded.set_index("term")["count"]["hangzhou china"] == 1


def test_window_equals_nltk_from_words(frame):
    ours = collocations(frame, measure="pmi", window=4, min_count=2, sentences="punkt")
    expected = nltk_scores(frame, 2, "pmi", 2, window=4)
    assert len(ours) == len(expected) > 10
    assert dict(zip(ours["term"], ours["score"], strict=True)) == pytest.approx(expected)
    assert ours.attrs["window"] == 4


def test_counts_agree_with_term_counts(frame):
    ours = collocations(frame, measure="raw_freq", min_count=2).set_index("term")["count"]
    counted = term_counts(frame, ngram=2, stopwords=None).set_index("term")["count"]
    assert len(ours) > 5
    assert ours.to_dict() == counted.loc[ours.index].to_dict()
    assert "g20 summit" in ours.index and ours["g20 summit"] == counted["g20 summit"]


def test_output_columns_and_order(frame):
    table = collocations(frame, measure="g2")
    assert list(table.columns) == ["term", "count", "score"]
    assert [str(t) for t in table.dtypes] == ["str", "int64", "float64"]
    assert (table["count"] >= 2).all()
    assert table.attrs == {"measure": "g2", "ngram": 2, "window": 2}
    pd.testing.assert_frame_equal(table, collocations(frame.iloc[::-1], measure="g2"))


@pytest.mark.parametrize(
    "articles",
    [
        empty_articles(),
        conform_articles(
            pd.DataFrame({"article_id": ["a"], "text": ["the of and"], "status": "ok"})
        ),
        conform_articles(pd.DataFrame({"article_id": ["a"], "text": ["Summit."], "status": "ok"})),
    ],
    ids=["no articles", "only stopwords", "one word"],
)
def test_empty(articles):
    for n in (2, 3):
        table = collocations(articles, ngram=n, min_count=1)
        assert list(table.columns) == ["term", "count", "score"] and len(table) == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"measure": "mi"}, "'pmi', 'g2', 'chi_sq', 't', 'dice', 'raw_freq'"),
        ({"ngram": 3, "measure": "dice"}, "'pmi', 'g2', 'chi_sq', 't', 'raw_freq'"),
        ({"ngram": 4}, "choose 2 or 3"),
        ({"ngram": 1}, "choose 2 or 3"),
        ({"ngram": 3, "window": 5}, "bigrams only"),
        ({"window": 1}, "window"),
        ({"min_count": 0}, "min_count"),
        ({"numbers": "x"}, "'keep', 'drop', 'replace'"),
    ],
)
def test_bad_arguments(seed_articles, kwargs, message):
    with pytest.raises(ValueError, match=message):
        collocations(seed_articles, **kwargs)
