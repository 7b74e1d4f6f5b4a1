"""toolkit.extract.dates: parse dates, attribute them to a source, reject impossible ones."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import pytest

from toolkit.extract.dates import (
    DateFound,
    check_date,
    is_date_line,
    parse_date,
    resolve_date,
    url_date,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Updated: 2016-04-07 02:54", datetime(2016, 4, 7, 2, 54)),
        ("2016-04-07T02:54:00+08:00", datetime(2016, 4, 7, 2, 54)),
        ("2016-04-07T02:54:00Z", datetime(2016, 4, 7, 2, 54)),
        ("2016/04/07", datetime(2016, 4, 7)),
        ("April 7, 2016 2:54 PM", datetime(2016, 4, 7, 14, 54)),
        ("Thu 7 Apr 2016 02.54 BST", datetime(2016, 4, 7, 2, 54)),
        ("Published 7 April 2016, 10:30 BST", datetime(2016, 4, 7, 10, 30)),
        ("7. März 2016", datetime(2016, 3, 7)),
        ("7 de abril de 2016", datetime(2016, 4, 7)),
        ("07.04.2016", datetime(2016, 4, 7)),
        ("04/07/2016", datetime(2016, 4, 7)),
        ("13/04/2016", datetime(2016, 4, 13)),
        ("2016年4月7日 02:54", datetime(2016, 4, 7, 2, 54)),
        ("Posted on March 3, 2019 at 5:30 am", datetime(2019, 3, 3, 5, 30)),
        ("no date here", None),
        ("", None),
        (None, None),
        ("2016-02-30", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("line", "is_dateline"),
    [
        ("Updated: 2016-04-07 02:54", True),
        ("Published 7 April 2016, 10:30 BST", True),
        ("Thursday, April 7, 2016", True),
        ("2016年4月7日 02:54", True),
        ("He said on April 7, 2016 that the meeting would be held in Hangzhou.", False),
        ("Cooperation sought to ensure safe G20", False),
    ],
)
def test_is_date_line(line, is_dateline):
    assert is_date_line(line) is is_dateline


def test_url_date():
    assert url_date("http://x.example/world/2016/04/07/g20.html") == date(2016, 4, 7)
    assert url_date("http://x.example/news/2016-04-07-g20") == date(2016, 4, 7)
    assert url_date("http://x.example/a/20160407/g20") == date(2016, 4, 7)
    assert url_date("http://x.example/content_24338276.htm") is None
    assert url_date(None) is None


def test_resolve_date_names_the_source_and_adds_the_time():
    at = datetime(2016, 4, 7, 2, 54)
    assert resolve_date("2016-04-07", json_ld=[at]) == DateFound(at, "json-ld")
    assert resolve_date("2016-04-07", meta=[at]) == DateFound(at, "meta")
    url = "https://x.example/2016/04/07/story"
    assert resolve_date("2016-04-07", url=url) == DateFound(datetime(2016, 4, 7), "url")
    assert resolve_date("2016-04-07") == DateFound(datetime(2016, 4, 7), "text")
    # a candidate from another day is not the source
    assert resolve_date("2016-04-07", json_ld=[datetime(2016, 5, 1)]).source == "text"
    assert resolve_date(None) == DateFound(None, None)


def test_impossible_dates_are_dropped_and_logged(caplog):
    with caplog.at_level(logging.INFO, logger="toolkit.extract.dates"):
        assert check_date(datetime(1985, 6, 1)) is None
        assert "before 1990" in caplog.text
        assert check_date(datetime(2016, 4, 7), retrieved=datetime(2016, 4, 1)) is None
        assert "after its capture time" in caplog.text
    future = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=30)
    assert check_date(future) is None
    assert check_date(datetime(2016, 4, 7, 2, 54), retrieved=datetime(2016, 4, 7)) is not None
    aware = datetime(2016, 4, 10, tzinfo=UTC)
    assert check_date(datetime(2016, 4, 7), retrieved=aware) == datetime(2016, 4, 7)
    assert resolve_date("2016-04-07", retrieved=datetime(2016, 1, 1)) == DateFound(None, None)
