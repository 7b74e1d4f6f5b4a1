import pandas as pd
import pytest

from toolkit.ingest.store import load_articles, save_articles


@pytest.fixture
def articles(seed_articles):
    failed = {
        "article_id": "deadbeef00000000",
        "source_uri": "file:///x.png",
        "status": "not_html",
        "error": "binary content (PNG image), not an HTML page",
        "authors": [],
    }
    from toolkit.schema import conform_articles

    return conform_articles(pd.concat([seed_articles, pd.DataFrame([failed])], ignore_index=True))


@pytest.mark.parametrize("name", ["a.parquet", "a.csv", "a.jsonl"])
def test_round_trip_keeps_the_schema(articles, tmp_path, name):
    path = save_articles(articles, tmp_path / "sub" / name)
    back = load_articles(path)
    assert list(back.columns) == list(articles.columns)
    assert back.dtypes.to_dict() == articles.dtypes.to_dict()
    assert back["authors"][0] == ["Zhang Yan", "Shi Xiaofeng"]
    assert back["authors"][1] == []
    assert back["date"][0] == pd.Timestamp("2016-04-07 02:54")
    assert pd.isna(back["date"][1])
    assert back["text"][0] == articles["text"][0]
    assert pd.isna(back["text"][1]) and pd.isna(back["title"][1])
    assert back["n_words"].tolist() == articles["n_words"].tolist()


def test_unknown_format_and_missing_file_raise(articles, tmp_path):
    with pytest.raises(ValueError, match="parquet"):
        save_articles(articles, tmp_path / "a.xlsx")
    with pytest.raises(ValueError, match="no such file"):
        load_articles(tmp_path / "missing.parquet")


def test_dates_keep_the_wall_clock_time_the_page_prints():
    from toolkit.schema import conform_articles

    frame = conform_articles(
        pd.DataFrame(
            {
                "article_id": ["a", "b", "c", "d"],
                "date": [
                    "2016-04-07T02:54:00+08:00",
                    "2016-04-08T01:00:00-05:00",
                    "not a date",
                    None,
                ],
            }
        )
    )
    assert frame["date"].tolist()[:2] == [
        pd.Timestamp("2016-04-07 02:54"),
        pd.Timestamp("2016-04-08 01:00"),
    ]
    assert frame["date"][2:].isna().all()


def test_lazy_load_returns_a_dask_frame_equal_to_the_eager_one(articles, tmp_path):
    path = save_articles(articles, tmp_path / "a.parquet")
    lazy = load_articles(path, lazy=True)
    assert hasattr(lazy, "npartitions")
    eager = load_articles(path)
    pd.testing.assert_frame_equal(lazy.compute().reset_index(drop=True), eager)
