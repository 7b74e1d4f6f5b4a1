import pandas as pd
import pytest

from toolkit.dedupe import fingerprint, mark_duplicates, simhash
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


def test_simhash_is_stable_and_close_for_small_edits(seed_expected):
    body = "\n".join(seed_expected["body_paragraphs"])
    edited = body.replace("on Wednesday", "on Thursday") + "\nContact the writers."
    other = "Markets rallied in Tokyo as the yen weakened against the dollar for a third day."
    assert simhash(body) == simhash(body)
    assert (simhash(body) ^ simhash(edited)).bit_count() <= 3
    assert (simhash(body) ^ simhash(other)).bit_count() > 10
    assert simhash("") == 0
    assert len(fingerprint(body)) == 16


def test_exact_and_near_duplicates_point_at_the_earliest_copy(seed_expected):
    body = "\n".join(seed_expected["body_paragraphs"])
    syndicated = "HANGZHOU (Agencies) -\n" + body.replace("on Wednesday", "on Thursday")
    unrelated = "The central bank left interest rates unchanged on Tuesday. " * 10
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


def test_exact_only_and_short_texts():
    short = "Police closed the road."
    articles = _frame([short, short, short + " Traffic was diverted."])
    assert mark_duplicates(articles, max_distance=0)["duplicate_of"].tolist()[1] == "a0"
    assert mark_duplicates(articles)["status"].tolist() == ["ok", "duplicate", "ok"]


def test_failed_rows_take_no_part():
    articles = _frame(["same text here", "same text here"]).assign(status=["error", "ok"])
    assert mark_duplicates(articles)["status"].tolist() == ["error", "ok"]


def test_index_seeded_from_earlier_rows_marks_later_copies(seed_expected):
    from toolkit.dedupe import DuplicateIndex

    body = "\n".join(seed_expected["body_paragraphs"])
    index = DuplicateIndex()
    assert index.check_and_add("first", fingerprint(body), len(body.split())) is None
    copy = body + "\nShare this story on social media."
    assert index.check_and_add("second", fingerprint(copy), len(copy.split())) == "first"
    assert index.check_and_add("short", fingerprint("Hello there"), 2) is None
    assert index.check_and_add("short2", fingerprint("hello   THERE"), 2) == "short"


def test_bad_distance_raises():
    with pytest.raises(ValueError, match="0, 1, 2 or 3"):
        mark_duplicates(_frame(["x"]), max_distance=5)
