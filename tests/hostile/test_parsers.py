"""Parsers that must neither stall nor lose data: robots.txt, feeds, sitemaps, tables, WARC."""

from __future__ import annotations

import io
import json
import random
import re

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.hostile.conftest import bounded
from tests.pageserver import PageServer, Reply, html_page
from toolkit.ingest.read import read_articles
from toolkit.sources.expand import iter_documents
from toolkit.sources.feeds import parse_feed, parse_sitemap
from toolkit.sources.fetch import FetchOptions, fetch
from toolkit.sources.robots import MAX_ROBOTS_BYTES, RobotsRules

AGENT = "toolkit/0.1.0 (+news analysis)"
FAST = FetchOptions(connect_timeout=2.0, read_timeout=2.0, retries=0, total_timeout=10.0)

# -- robots.txt ---------------------------------------------------------------------------


def test_wildcard_patterns_do_not_backtrack():
    stars = "/" + "*a" * 12 + "*b"  # a regular expression takes minutes on the path below
    rules = RobotsRules.parse(f"User-agent: *\nDisallow: {stars}\n", AGENT)
    with bounded(2):
        for _ in range(100):
            assert rules.allows("/" + "a" * 40)
    assert not rules.allows("/" + "a" * 40 + "b")


def _regex_match(pattern: str, path: str) -> bool:
    """The reference reading of a robots.txt pattern, as a regular expression."""
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    regex = ".*".join(re.escape(piece) for piece in body.split("*")) + ("$" if anchored else "")
    return re.match(regex, path) is not None


def test_linear_matching_agrees_with_the_regular_expression_reading():
    from toolkit.sources.robots import glob_match

    rng = random.Random(15)
    for _ in range(3000):
        pattern = "/" + "".join(rng.choice("ab*") for _ in range(rng.randint(0, 6)))
        if rng.random() < 0.3:
            pattern += "$"
        path = "/" + "".join(rng.choice("ab") for _ in range(rng.randint(0, 8)))
        anchored = pattern.endswith("$")
        pieces = tuple((pattern[:-1] if anchored else pattern).split("*"))
        assert glob_match(pieces, path, anchored=anchored) == _regex_match(pattern, path), (
            pattern, path
        )


def test_an_oversized_robots_txt_is_obeyed_up_to_500_kib():
    head = "User-agent: *\nDisallow: /private/\n"
    filler = "".join(f"# comment line {i} of a very long robots.txt\n" for i in range(20_000))
    late = "Disallow: /late/\n"  # past the first 500 KiB: not read
    robots = head + filler + late
    assert len(robots) > MAX_ROBOTS_BYTES
    with PageServer({"/robots.txt": Reply(robots, content_type="text/plain")}) as site:
        site.add("/private/a.html", Reply(html_page("Private", ["Not for crawlers."])))
        site.add("/late/a.html", Reply(html_page("Late", ["Rule too far down."])))
        private = fetch(site.url("/private/a.html"), FAST)
        late_page = fetch(site.url("/late/a.html"), FAST)
    assert private.failure == "blocked"
    assert late_page.ok


# -- feeds and sitemaps ----------------------------------------------------------------------


def test_bare_ampersands_in_a_feed_keep_every_url_whole():
    feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><link>http://news.example/a?id=1&page=2</link></item>"
        b"<item><link>http://news.example/b?id=2&amp;p=3</link></item>"
        b"<item><link><![CDATA[http://news.example/c?x=1&y=2]]></link></item>"
        b"<item><link>http://news.example/d?r=&#38;&#x26;s</link></item>"
        b"</channel></rss>"
    )
    assert parse_feed(feed) == [
        "http://news.example/a?id=1&page=2",
        "http://news.example/b?id=2&p=3",
        "http://news.example/c?x=1&y=2",
        "http://news.example/d?r=&&s",
    ]


def test_bare_ampersands_in_a_sitemap_keep_every_url_whole():
    body = (
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>http://news.example/a?id=1&page=2</loc></url>"
        b"<url><loc>http://news.example/b?id=2&amp;p=3</loc></url></urlset>"
    )
    assert parse_sitemap(body) == (
        "urlset",
        ["http://news.example/a?id=1&page=2", "http://news.example/b?id=2&p=3"],
    )


# -- tables of extracted articles --------------------------------------------------------------

DEEP = "[" * 1000 + "]" * 1000


def test_a_cell_nested_1000_deep_is_that_rows_error_in_a_csv(tmp_path):
    table = tmp_path / "articles.csv"
    table.write_text(
        f'title,text,authors\nBad,Some text here.,"{DEEP}"\nGood,More text here.,Ann Lee\n',
        encoding="utf-8",
    )
    with bounded(120):
        articles = read_articles(table, progress=False, workers=1)
    assert articles["status"].tolist() == ["error", "ok"]
    assert "'authors' field could not be read" in articles["error"][0]
    assert articles["authors"][1] == ["Ann Lee"]


def test_a_line_nested_1000_deep_is_that_rows_error_in_a_jsonl(tmp_path):
    table = tmp_path / "articles.jsonl"
    bad = json.dumps({"title": "Bad", "text": "x", "authors": "@"}).replace('"@"', DEEP)
    shallow = json.dumps({"title": "Odd", "text": "Some text.", "authors": "@"}).replace(
        '"@"', "[" * 400 + '"Ann"' + "]" * 400  # parses as JSON, too deep for names
    )
    good = json.dumps({"title": "Good", "text": "More text here.", "authors": ["Bo Li"]})
    table.write_text("\n".join([bad, shallow, good]) + "\n", encoding="utf-8")
    with bounded(120):
        articles = read_articles(table, progress=False, workers=1)
    assert articles["status"].tolist() == ["error", "error", "ok"]
    assert "nests too deep" in articles["error"][0]
    assert "'authors' field could not be read" in articles["error"][1]
    assert articles["authors"][2] == ["Bo Li"]


# -- WARC ------------------------------------------------------------------------------------


def _warc_with_repeated_ids(path) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    ids = ["<urn:uuid:1>", "<urn:uuid:2>", "<urn:uuid:1>", "<urn:uuid:3>", "<urn:uuid:1>"]
    for i, record_id in enumerate(ids):
        payload = html_page(f"Page {i}", [f"Different content number {i}."]).encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"http://news.example/{i}.html",
            "response",
            payload=io.BytesIO(payload),
            http_headers=headers,
            warc_headers_dict={"WARC-Record-ID": record_id},
        )
        writer.write_record(record)
    path.write_bytes(buffer.getvalue())


def test_every_warc_record_is_a_row_even_with_repeated_record_ids(tmp_path):
    archive = tmp_path / "crawl.warc"
    _warc_with_repeated_ids(archive)
    docs = list(iter_documents(archive))
    assert len(docs) == 5
    assert len({d.source_uri for d in docs}) == 5
    assert [d.url for d in docs] == [f"http://news.example/{i}.html" for i in range(5)]
    assert docs[2].source_uri.endswith("#urn:uuid:1~2") and docs[4].source_uri.endswith("~3")
