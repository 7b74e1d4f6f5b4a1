"""Tables and frames of extracted articles: unique ids, languages, pandas' CSVs, delimiters."""

from __future__ import annotations

import logging

import pandas as pd
import pytest

from toolkit.ingest.dataset import ingest_to_dataset
from toolkit.ingest.read import read_articles, unique_ids
from toolkit.ingest.store import load_articles, save_articles
from toolkit.sources.records import parse_list, sniff_delimiter, split_authors

MERKEL = "Angela Merkel visited Berlin on Monday and met the mayor. Merkel spoke about the city."
MACRON = "Emmanuel Macron arrived in Paris. Later, Macron left for Rome with Merkel."
FRENCH = (
    "Le président de la République a annoncé que la réforme des retraites sera présentée "
    "au Parlement la semaine prochaine, selon le gouvernement."
)
GERMAN = (
    "Die Bundesregierung hat am Mittwoch beschlossen, die Förderung für Elektroautos bis "
    "zum Ende des Jahres zu verlängern, wie ein Sprecher mitteilte."
)


def _read(sources):
    return read_articles(sources, progress=False, workers=1, timeout=60)


# -- ids -------------------------------------------------------------------------------------


def test_repeated_ids_in_a_frame_get_their_own_and_a_warning(caplog):
    frame = pd.DataFrame({"article_id": ["x1", "x1", "x1~2", "x1"], "text": [MERKEL, MACRON,
                                                                          "Third.", "Fourth."]})
    with caplog.at_level(logging.WARNING, logger="toolkit.ingest.read"):
        articles = _read(frame)
    assert articles["article_id"].tolist() == ["x1", "x1~3", "x1~2", "x1~4"]
    assert articles["text"].tolist() == frame["text"].tolist()  # nothing dropped or moved
    assert "2 row(s) repeat an article_id" in caplog.text
    assert frame["article_id"].tolist() == ["x1", "x1", "x1~2", "x1"]  # input untouched


def test_numeric_ids_become_strings_and_repeats_in_a_csv_are_renamed(tmp_path):
    frame = pd.DataFrame({"article_id": [101.0, None, 101.0], "text": [MERKEL, MACRON, "Third."]})
    ids = _read(frame)["article_id"].tolist()
    assert ids[0] == "101" and ids[2] == "101~2" and len(set(ids)) == 3
    path = tmp_path / "dupids.csv"
    path.write_text("article_id,title,text\nx1,one,First.\nx1,two,Second.\n", "utf-8")
    assert _read(path)["article_id"].tolist() == ["x1", "x1~2"]


def test_ids_stay_unique_across_dataset_batches_and_runs(tmp_path):
    first = pd.DataFrame({"article_id": ["a", "a", "b"], "text": ["One.", "Two.", "Three."]})
    ingest_to_dataset(first, tmp_path / "out", batch_size=1, progress=False, partition_by=())
    second = pd.DataFrame({"article_id": ["b"], "text": ["Four."], "url": ["https://x.example/4"]})
    ingest_to_dataset(second, tmp_path / "out", progress=False, partition_by=())
    ids = load_articles(tmp_path / "out").sort_values("text")["article_id"].tolist()
    assert ids == ["b~2", "a", "b", "a~2"]  # Four, One, Three, Two


def test_unique_ids_leaves_unique_frames_alone():
    frame = pd.DataFrame({"article_id": ["a", "b"]})
    assert unique_ids(frame) is frame


# -- languages -------------------------------------------------------------------------------


def test_records_without_a_language_get_one_from_their_text(tmp_path):
    path = tmp_path / "mixed.csv"
    pd.DataFrame(
        {"title": ["fr", "de", "given", "short"], "text": [FRENCH, GERMAN, FRENCH, "G20."],
         "lang": [None, None, "it", None]}
    ).to_csv(path, index=False)
    articles = _read(path)
    # a given language is kept; too little text to tell gives no language, not a guess
    assert articles["language"].tolist()[:3] == ["fr", "de", "it"]
    assert pd.isna(articles["language"][3])
    frame = pd.DataFrame({"text": [FRENCH]})
    assert _read(frame)["language"].tolist() == ["fr"]


# -- lists written by pandas -----------------------------------------------------------------


def test_list_cells_written_by_pandas_read_back_as_lists(tmp_path, seed_path):
    articles = _read(seed_path).assign(tags=[["G20", "Hangzhou's security"]])
    path = tmp_path / "pandas.csv"
    articles.to_csv(path, index=False)  # lists become "['Zhang Yan', 'Shi Xiaofeng']"
    assert "['Zhang Yan', 'Shi Xiaofeng']" in path.read_text("utf-8")
    again = _read(path)
    assert again["authors"][0] == ["Zhang Yan", "Shi Xiaofeng"]
    assert again["tags"][0] == ["G20", "Hangzhou's security"]
    loaded = load_articles(path)
    assert loaded["authors"][0] == ["Zhang Yan", "Shi Xiaofeng"]
    assert loaded["tags"][0] == ["G20", "Hangzhou's security"]
    assert loaded["categories"][0] == articles["categories"][0]


def test_a_list_cell_load_articles_cannot_read_names_the_file_and_column(tmp_path):
    path = tmp_path / "other.csv"
    save_articles(pd.DataFrame({"article_id": ["a"], "text": ["T."]}), path)
    frame = pd.read_csv(path).assign(authors=["Li Wei, Wang Fang"])
    frame.to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"other\.csv', column 'authors', row 1: 'Li Wei, Wang"):
        load_articles(path)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('["A", "B"]', ["A", "B"]),
        ("['Zhang Yan', 'Shi Xiaofeng']", ["Zhang Yan", "Shi Xiaofeng"]),
        ("[]", []),
        ("['O\\'Brien']", ["O'Brien"]),
        ("[1, 2]", [1, 2]),  # JSON
        ("['a', 1]", None),  # a Python list, but not of strings
        ("[__import__('os').system('true')]", None),  # never evaluated
        ("['unclosed", None),
        ("Li Wei, Wang Fang", None),
    ],
)
def test_parse_list(cell, expected):
    assert parse_list(cell) == expected


def test_split_authors_reads_python_lists():
    assert split_authors("['Zhang Yan', 'Shi Xiaofeng']") == ["Zhang Yan", "Shi Xiaofeng"]
    assert split_authors("[Reuters]") == ["[Reuters]"]


# -- delimiters ------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [";", "\t", "|", ","])
def test_the_delimiter_of_a_csv_is_detected(tmp_path, delimiter):
    path = tmp_path / "table.csv"
    pd.DataFrame(
        {"title": ["A", "B"], "text": [MACRON, "Police, army; and | others."],
         "date": ["2016-04-07", "2016-04-08"]}
    ).to_csv(path, sep=delimiter, index=False)
    assert sniff_delimiter(path) == delimiter
    articles = _read(path)
    assert articles["status"].tolist() == ["ok", "ok"]
    assert articles["text"].tolist() == [MACRON, "Police, army; and | others."]
    assert articles["date"].tolist() == [pd.Timestamp("2016-04-07"), pd.Timestamp("2016-04-08")]


def test_a_table_without_a_text_column_says_which_columns_it_has(tmp_path):
    path = tmp_path / "notext.csv"
    path.write_text("headline;published\nHello;2016-04-07\n", "utf-8")
    [error] = _read(path)["error"].tolist()
    assert error == (
        "no text column among ['headline', 'published']; one of text, body, content, "
        "maintext, main_text, article_text is needed (the file was read with the delimiter ';')"
    )
    frame = pd.DataFrame({"headline": ["Hello"]})
    row = _read(frame).iloc[0]
    assert row["status"] == "empty" and row["error"].startswith("no text column among ['headline']")
