import numpy as np
import pandas as pd
import pytest

from toolkit.ingest.dedupe import DuplicateIndex, fingerprint, mark_duplicates, minhash, similarity
from toolkit.schema import conform_articles


def _frame(texts, dates=None):
    rows = [
        {
            "article_id": f"a{i}",
            "text": t,
            "status": "ok",
            "date": None if dates is None else dates[i],
            "fingerprint": fingerprint(t),
            "n_words": len(t.split()),
        }
        for i, t in enumerate(texts)
    ]
    return conform_articles(pd.DataFrame(rows))


def _jaccard(a: str, b: str) -> float:
    def shingles(text):
        words = [w.strip(".,\"'()").lower() for w in text.split()]
        words = [w for w in words if w]
        return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}

    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb)


@pytest.fixture
def body(seed_expected):
    return "\n".join(seed_expected["body_paragraphs"])


def test_fingerprints_are_stable_and_estimate_jaccard(body):
    assert fingerprint(body) == fingerprint(body)
    assert len(fingerprint(body)) == 512 and minhash(body).dtype == np.uint32
    assert fingerprint(body) == fingerprint(body.upper().replace("\n", "  "))
    paragraphs = body.split("\n")
    for cut in (8, 9, 10):  # a copy that drops the last paragraphs
        copy = "\n".join(paragraphs[:cut])
        assert abs(similarity(fingerprint(body), fingerprint(copy)) - _jaccard(body, copy)) < 0.15
    other = "Markets rallied in Tokyo as the yen weakened against the dollar for a third day."
    assert similarity(fingerprint(body), fingerprint(other)) < 0.1


def test_syndicated_copies_point_at_the_earliest_copy(body):
    paragraphs = body.split("\n")
    syndicated = "\n".join(
        [
            "HANGZHOU (Agencies) - Police ask for help.",
            *paragraphs[:-1],
            "This story was first published by China Daily.",
            "Most read: Tourists return to Bali",
        ]
    ).replace("on Wednesday", "on Thursday")
    unrelated = "The central bank left interest rates unchanged on Tuesday, officials said. " * 10
    articles = _frame(
        [syndicated, body, unrelated, body.upper()],
        dates=["2016-04-08", "2016-04-07", "2016-04-07", None],
    )
    marked = mark_duplicates(articles)
    assert marked["duplicate_of"].tolist()[0] == "a1"  # the copy published a day later
    assert pd.isna(marked["duplicate_of"][1]) and pd.isna(marked["duplicate_of"][2])
    assert marked["duplicate_of"][3] == "a1"  # same text but for case
    assert marked["status"].tolist() == ["duplicate", "ok", "ok", "duplicate"]
    assert articles["status"].eq("ok").all()  # input untouched
    exact_only = mark_duplicates(articles, threshold=1.0)
    assert exact_only["status"].tolist() == ["ok", "ok", "ok", "duplicate"]


def test_different_stories_on_the_same_subject_are_not_duplicates(body):
    paragraphs = body.split("\n")
    first, second = "\n".join(paragraphs[:6]), "\n".join(paragraphs[5:])
    assert mark_duplicates(_frame([first, second]))["status"].tolist() == ["ok", "ok"]


def test_short_texts_match_only_exactly():
    short = "Police closed the road."
    articles = _frame([short, short, short + " Traffic was diverted."])
    assert mark_duplicates(articles)["status"].tolist() == ["ok", "duplicate", "ok"]


def test_failed_rows_take_no_part():
    articles = _frame(["same text here", "same text here"]).assign(status=["error", "ok"])
    assert mark_duplicates(articles)["status"].tolist() == ["error", "ok"]


def test_index_seeded_from_earlier_rows_marks_later_copies(body):
    index = DuplicateIndex()
    assert index.check_and_add("first", fingerprint(body), len(body.split())) is None
    copy = body + "\nShare this story on social media."
    assert index.check_and_add("second", fingerprint(copy), len(copy.split())) == "first"
    assert index.check_and_add("short", fingerprint("Hello there"), 2) is None
    assert index.check_and_add("short2", fingerprint("hello   THERE"), 2) == "short"


@pytest.mark.parametrize("bad", [0, -0.5, 1.5, "0.8", True])
def test_bad_threshold_raises(bad):
    with pytest.raises(ValueError, match="near_duplicates"):
        mark_duplicates(_frame(["x"]), threshold=bad)
