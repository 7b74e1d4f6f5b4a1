"""toolkit.sources: every kind of input becomes documents; every failure is visible and readable."""

from __future__ import annotations

import gzip
import json
import logging
import pickle
import socket
from pathlib import Path

import pandas as pd
import pytest

from tests.pageserver import html_page, news_site
from tests.sources.test_warc import PAGE_A, write_warc
from toolkit.schema import article_id_for
from toolkit.sources.expand import (
    Document,
    classify_path,
    iter_documents,
    load_document,
    map_record,
    split_authors,
)
from toolkit.sources.fetch import FetchOptions

FAST = FetchOptions(
    connect_timeout=2.0, read_timeout=1.0, retries=1, backoff=0.01, max_retry_after=0.01
)
PAGE = html_page("G20 security", ["Hangzhou tightens security.", "Police patrol."]).encode()


def docs_of(sources, **kwargs) -> list[Document]:
    return list(iter_documents(sources, **kwargs))


def loaded(sources, **kwargs) -> list[Document]:
    options = kwargs.get("fetch_options")
    max_bytes = kwargs.get("max_bytes", 5_000_000)
    return [
        load_document(d, max_bytes=max_bytes, fetch_options=options)
        for d in iter_documents(sources, **kwargs)
    ]


@pytest.fixture
def pages(tmp_path) -> Path:
    """A folder of pages as a user collects them, with noise around them."""
    root = tmp_path / "pages"
    (root / "2016" / "09").mkdir(parents=True)
    (root / ".cache").mkdir()
    (root / "b.html").write_bytes(PAGE)
    (root / "a.htm").write_bytes(PAGE)
    (root / "2016" / "09" / "c.html.gz").write_bytes(gzip.compress(PAGE))
    (root / "2016" / "dump.txt").write_text("Title\nUpdated: 2016-09-04\nBody.\n", "utf-8")
    (root / "2016" / "page.xhtml").write_bytes(PAGE)
    (root / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "notes.json").write_text("{}", "utf-8")
    (root / "urls.csv").write_text("url\nhttp://x\n", "utf-8")
    (root / ".DS_Store").write_bytes(b"\0")
    (root / ".cache" / "hidden.html").write_bytes(PAGE)
    return root


@pytest.fixture
def site():
    with news_site(big_bytes=200_000, slow_seconds=2.5) as server:
        yield server


# -- files, folders, globs ------------------------------------------------------------------


def test_one_file_is_one_lazy_page_document(pages):
    [doc] = docs_of(pages / "b.html")
    path = (pages / "b.html").resolve()
    assert doc.kind == "page" and doc.content is None and doc.status is None
    assert doc.source_uri == path.as_uri() and doc.path == str(path)
    assert doc.content_type == "text/html" and doc.url is None and doc.retrieved is None
    full = load_document(doc)
    assert full.content == PAGE and full.status is None
    assert doc.content is None  # the input document is not changed


def test_folder_is_read_recursively_in_sorted_order_and_skips_other_files(pages, caplog):
    with caplog.at_level(logging.INFO, logger="toolkit.sources.expand"):
        docs = docs_of(pages)
    names = [Path(d.path).relative_to(pages.resolve()).as_posix() for d in docs]
    assert names == ["a.htm", "b.html", "2016/dump.txt", "2016/page.xhtml", "2016/09/c.html.gz"]
    assert [d.content_type for d in docs] == [
        "text/html",
        "text/html",
        "text/plain",
        "application/xhtml+xml",
        "text/html",
    ]
    assert "skipped 4 files of other types" in caplog.text
    assert "1 JSONL/CSV files" in caplog.text


def test_gzipped_page_is_decompressed_on_load(pages):
    [doc] = loaded(pages / "2016" / "09" / "c.html.gz")
    assert doc.content == PAGE and doc.content_type == "text/html"


def test_text_dump_is_a_plain_text_page(pages):
    [doc] = loaded(pages / "2016" / "dump.txt")
    assert doc.content_type == "text/plain"
    assert doc.content.startswith(b"Title\nUpdated:")


def test_recursive_glob(pages):
    docs = docs_of(str(pages / "**" / "*.html*"))
    assert [Path(d.path).name for d in docs] == ["c.html.gz", "b.html"]


def test_glob_reads_tables_it_names(pages):
    [doc] = docs_of(str(pages / "*.csv"))
    assert doc.kind == "record" and doc.record["url"] == "http://x"
    assert doc.record["error"].startswith("no text column among ['url']; one of text, body")


def test_explicit_file_of_unknown_type_is_a_page_for_the_extractor_to_sniff(pages):
    [doc] = loaded(pages / "logo.png")
    assert doc.kind == "page" and doc.content_type is None
    assert doc.content.startswith(b"\x89PNG")


def test_file_uri_and_path_objects(pages):
    uri = (pages / "b.html").resolve().as_uri()
    assert docs_of(uri)[0].source_uri == uri
    assert docs_of(pages / "b.html")[0].source_uri == uri


def test_missing_inputs_are_error_documents(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = str(tmp_path / "gone.html")
    pattern = str(tmp_path / "nothing" / "*.html")
    docs = docs_of([missing, str(empty), pattern, "ftp://news.example/x"])
    assert len(docs) == 4
    assert all(d.status == "error" and d.kind == "page" for d in docs)
    assert [d.source_uri for d in docs] == [missing, str(empty), pattern, "ftp://news.example/x"]
    assert docs[0].error == f"file not found: {missing}"
    assert docs[1].error == f"no readable pages in folder {empty}"
    assert docs[2].error == f"no files match {pattern}"
    assert docs[3].error.startswith("unsupported URL scheme 'ftp'")
    # load_document passes failed documents through unchanged.
    assert [load_document(d) for d in docs] == docs


def test_folder_with_only_other_files_says_what_it_skipped(tmp_path):
    (tmp_path / "x.png").write_bytes(b"png")
    (tmp_path / "y.pdf").write_bytes(b"%PDF")
    [doc] = docs_of(tmp_path)
    assert doc.status == "error"
    assert doc.error == (
        f"no readable pages in folder {tmp_path} (2 other files skipped: .pdf: 1, .png: 1)"
    )


def test_file_over_the_cap_is_too_large_without_being_read(tmp_path):
    big = tmp_path / "big.html"
    big.write_bytes(b"<p>" + b"x" * 300_000)
    [doc] = loaded(big, max_bytes=100_000)
    assert doc.status == "too_large" and doc.content is None
    assert doc.error == "page is 0.3 MB, above the 0.1 MB limit (max_bytes)"


def test_gzip_bomb_stops_at_the_cap(tmp_path):
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip.compress(b" " * 30_000_000, compresslevel=9))
    assert bomb.stat().st_size < 100_000
    [doc] = loaded(bomb, max_bytes=1_000_000)
    assert doc.status == "too_large" and doc.content is None
    assert doc.error == "page once decompressed is larger than the 1.0 MB limit (max_bytes)"


def test_broken_gzip_and_unreadable_paths_never_raise(tmp_path):
    broken = tmp_path / "broken.html.gz"
    broken.write_bytes(gzip.compress(PAGE)[:30])
    [doc] = loaded(broken)
    assert doc.status == "error" and doc.error.startswith("broken gzip file (")
    assert doc.error.endswith(f"): {broken.resolve()}")

    folder = Document(source_uri="x", kind="page", path=str(tmp_path))
    assert load_document(folder).error == f"is a folder, not a file: {tmp_path}"
    vanished = Document(source_uri="y", kind="page", path=str(tmp_path / "gone.html"))
    assert load_document(vanished).error == f"file not found: {tmp_path / 'gone.html'}"
    nothing = load_document(Document(source_uri="z", kind="page"))
    assert nothing.status == "error" and "no path, URL or content" in nothing.error


def test_unusable_path_string_is_an_error_document():
    raw = "x" * 5000
    [doc] = docs_of(raw)
    assert doc.status == "error" and doc.source_uri == raw
    assert doc.error.startswith("not a usable path (")


def test_same_file_named_twice_is_read_once(pages):
    docs = docs_of([pages, pages / "b.html", str(pages / "*.html")])
    assert len(docs) == 5
    assert len({d.source_uri for d in docs}) == 5


# -- WARC ------------------------------------------------------------------------------------


def test_warc_file_and_its_truncated_copy(tmp_path):
    archive = write_warc(tmp_path / "crawl.warc.gz", gz=True)
    data = archive.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) // 2])
    docs = docs_of([archive, cut, tmp_path / "b.html"])
    whole = [d for d in docs if d.source_uri.startswith(archive.resolve().as_uri())]
    broken = [d for d in docs if d.source_uri.startswith(cut.resolve().as_uri())]
    assert len(whole) == 5 and whole[0].content == PAGE_A
    assert whole[0].retrieved is not None and whole[0].url == "https://news.example/a"
    assert 1 <= len(broken) < 5
    assert broken[-1].status == "error" and "broken WARC record" in broken[-1].error
    assert docs[-1].error == f"file not found: {tmp_path / 'b.html'}"
    assert [load_document(d) for d in whole] == whole  # content is already there


# -- tables and frames ----------------------------------------------------------------------


def test_jsonl_with_a_bad_line(tmp_path):
    path = tmp_path / "articles.jsonl"
    rows = [
        json.dumps(
            {
                "link": "https://news.example/a",
                "headline": "A",
                "maintext": "Body A.",
                "author": "Li Wei and Wang Fang",
                "pub_date": "2016-09-04",
                "views": 3,
            }
        ),
        "{not json",
        "",
        json.dumps({"url": "https://news.example/b", "text": ["P1", "P2"], "authors": ["X"]}),
        json.dumps(["a", "list"]),
    ]
    path.write_text("\n".join(rows) + "\n", "utf-8")
    docs = docs_of(path)
    uri = path.resolve().as_uri()
    assert [d.source_uri for d in docs] == [f"{uri}#row={i}" for i in range(4)]
    a, bad, b, not_object = docs
    assert a.kind == "record" and a.url == "https://news.example/a"
    assert a.record == {
        "url": "https://news.example/a",
        "title": "A",
        "text": "Body A.",
        "date": "2016-09-04",
        "authors": ["Li Wei", "Wang Fang"],
        "date_source": "input",
    }
    assert bad.status == "error" and bad.error.startswith(f"line 2 of {path} is not valid JSON (")
    assert b.record["text"] == "P1\nP2" and b.record["authors"] == ["X"]
    assert not_object.error == f"line 5 of {path} is not a JSON object"


def test_jsonl_gzipped_with_a_bom_and_a_non_utf8_line(tmp_path):
    path = tmp_path / "articles.jsonl.gz"
    path.write_bytes(
        gzip.compress(b'\xef\xbb\xbf{"title": "A"}\n{"title": "\xff"}\n{"title": "C"}')
    )
    docs = docs_of(path)
    assert [d.record for d in docs] == [{"title": "A"}, None, {"title": "C"}]
    assert docs[1].error == f"line 2 of {path} is not UTF-8 text"


def test_csv_with_aliases(tmp_path):
    path = tmp_path / "export.csv"
    frame = pd.DataFrame(
        {
            "href": ["https://news.example/a", "https://news.example/b"],
            "Title": ["A", "B"],
            "body": ["Text A.\nSecond paragraph.", ""],
            "byline": ["Li Wei, Wang Fang and Zhang San", None],
            "outlet": ["China Daily", "Xinhua"],
            "lang": ["en", "zh"],
            "internal_id": [1, 2],
        }
    )
    frame.to_csv(path, index=False)
    docs = docs_of(path)
    assert len(docs) == 2 and all(d.kind == "record" for d in docs)
    assert docs[0].record == {
        "url": "https://news.example/a",
        "title": "A",
        "text": "Text A.\nSecond paragraph.",
        "authors": ["Li Wei", "Wang Fang", "Zhang San"],
        "sitename": "China Daily",
        "language": "en",
    }
    assert docs[1].record == {
        "url": "https://news.example/b",
        "title": "B",
        "sitename": "Xinhua",
        "language": "zh",
    }
    assert docs[1].source_uri == path.resolve().as_uri() + "#row=1"


def test_empty_table_is_one_empty_document(tmp_path):
    path = tmp_path / "none.jsonl"
    path.write_text("\n\n", "utf-8")
    [doc] = docs_of(path)
    assert doc.status == "empty" and doc.error == f"no records in {path}"


def test_dataframe_rows_become_records():
    frame = pd.DataFrame(
        {
            "url": ["https://news.example/a", None, "https://news.example/a"],
            "title": ["A", "No URL", "A again"],
            "text": ["Body.", "Body.", "Body."],
            "date": pd.to_datetime(["2016-09-04", None, "2016-09-05"]),
            "status": ["ok", "ok", "ok"],
        }
    )
    docs = docs_of(frame)
    assert [d.source_uri for d in docs] == [
        "https://news.example/a",
        "frame:row=1",
        "https://news.example/a#row=2",
    ]
    assert docs[0].record["date"] == pd.Timestamp("2016-09-04")
    assert "status" not in docs[0].record and "date" not in docs[1].record
    assert frame["title"].tolist() == ["A", "No URL", "A again"]  # input untouched


def test_dataframe_keeps_its_own_identity_columns():
    frame = pd.DataFrame({"source_uri": ["file:///x.html"], "article_id": ["abc"], "text": ["T"]})
    [doc] = docs_of(frame)
    assert doc.source_uri == "file:///x.html"
    assert doc.record == {"article_id": "abc", "text": "T"}
    [empty] = docs_of(frame.iloc[0:0])
    assert empty.status == "empty"


def test_record_mapping_helpers():
    assert split_authors("Li Wei; Wang Fang") == ["Li Wei", "Wang Fang"]
    assert split_authors('["A", "B"]') == ["A", "B"]
    assert split_authors([{"name": "A"}, "B & C"]) == ["A", "B", "C"]
    assert split_authors(None) == [] and split_authors(float("nan")) == []
    assert map_record({"URL": " https://x ", "Source": "Reuters", "x": 1}) == {
        "url": "https://x",
        "sitename": "Reuters",
    }
    assert classify_path("a.WARC.GZ") == "warc" and classify_path("a.ndjson") == "jsonl"
    assert classify_path("a.htm.gz") == "page" and classify_path("a.pdf") is None


# -- URLs, feeds, sitemaps -------------------------------------------------------------------


def test_url_page_is_fetched_here(site):
    url = site.url("/moved")
    [doc] = docs_of(url, fetch_options=FAST)
    assert doc.kind == "page" and doc.status is None
    assert doc.source_uri == url and doc.url == site.url("/a1.html")
    assert b"Article 1" in doc.content and doc.content_type.startswith("text/html")
    assert doc.retrieved is not None and doc.fetch_url is None


def test_rss_feed_expands_to_lazy_article_documents(site):
    docs = docs_of(site.url("/feed.rss"), fetch_options=FAST)
    urls = [site.url("/a1.html"), site.url("/a2.html")]  # the feed lists a1 twice
    assert [d.source_uri for d in docs] == urls
    assert [d.fetch_url for d in docs] == urls and all(d.content is None for d in docs)
    assert site.hits["/a1.html"] == 0
    full = [load_document(d, fetch_options=FAST) for d in docs]
    assert [b"Article 1" in full[0].content, b"Article 2" in full[1].content] == [True, True]
    assert full[0].retrieved is not None and full[0].content_type.startswith("text/html")


def test_atom_feed(site):
    docs = docs_of(site.url("/feed.atom"), fetch_options=FAST)
    assert [d.fetch_url for d in docs] == [site.url("/a3.html"), site.url("/a4.html")]


def test_sitemap_index_with_a_gzipped_sitemap(site):
    docs = docs_of(site.url("/sitemap.xml"), fetch_options=FAST)
    expected = [site.url(p) for p in ("/a1.html", "/a2.html", "/a3.html", "/missing")]
    assert [d.fetch_url for d in docs] == expected
    missing = load_document(docs[-1], fetch_options=FAST)
    assert missing.status == "error"
    assert missing.error == f"HTTP 404 Not Found: {site.url('/missing')}"


def test_feeds_and_sitemaps_together_list_each_article_once(site):
    sources = [site.url("/feed.rss"), site.url("/sitemap.xml"), site.url("/a4.html")]
    docs = docs_of(sources, fetch_options=FAST)
    assert [d.source_uri for d in docs] == [
        site.url(p) for p in ("/a1.html", "/a2.html", "/a3.html", "/missing", "/a4.html")
    ]


def test_empty_feed_is_visible(site):
    [doc] = docs_of(site.url("/empty-feed.rss"), fetch_options=FAST)
    assert doc.status == "empty"
    assert doc.error == f"feed lists no articles: {site.url('/empty-feed.rss')}"


def test_url_failures_are_error_documents(site):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    dead = f"http://127.0.0.1:{port}/x"
    sources = [site.url(p) for p in ("/missing", "/slow", "/image.png", "/flaky", "/cut")] + [dead]
    docs = docs_of(sources, fetch_options=FAST)
    assert [d.source_uri for d in docs] == sources
    missing, slow, image, flaky, cut, refused = docs
    assert missing.status == "error" and missing.error.startswith("HTTP 404 Not Found")
    assert slow.status == "error" and slow.error.startswith("timed out after 1.0 s")
    assert image.status == "not_html"
    assert image.error == f"not a web page (Content-Type image/png): {site.url('/image.png')}"
    assert flaky.status is None and b"Came back." in flaky.content  # retried
    assert cut.status == "error" and "connection closed" in cut.error
    assert refused.error == f"connection refused by 127.0.0.1:{port}: {dead}"


def test_url_size_cap(site):
    [doc] = docs_of(site.url("/big"), max_bytes=100_000)
    assert doc.status == "too_large"
    assert doc.error == f"page is 0.2 MB, above the 0.1 MB limit (max_bytes): {site.url('/big')}"
    lazy = Document(source_uri="u", kind="page", fetch_url=site.url("/big-stream"))
    capped = load_document(lazy, max_bytes=100_000)
    assert capped.status == "too_large" and "0.1 MB limit" in capped.error


def test_everything_at_once_gives_one_document_per_visible_input(site, pages, tmp_path):
    jsonl = tmp_path / "x.jsonl"
    jsonl.write_text('{"title": "T", "text": "B"}\n{bad\n', "utf-8")
    sources = [
        pages,  # 5 pages
        str(tmp_path / "missing.html"),  # 1 error
        jsonl,  # 2 (one error)
        site.url("/feed.atom"),  # 2 articles
        site.url("/missing"),  # 1 error
        pd.DataFrame({"text": ["a", "b"]}),  # 2 records
    ]
    docs = docs_of(sources, fetch_options=FAST)
    assert len(docs) == 13
    assert len({article_id_for(d.source_uri) for d in docs}) == 13
    assert sum(d.status is not None for d in docs) == 3


# -- arguments and process boundaries --------------------------------------------------------


def test_bad_arguments_fail_at_once():
    with pytest.raises(TypeError, match="sources must be"):
        iter_documents(42)
    with pytest.raises(TypeError, match="each source must be"):
        iter_documents(["ok.html", None])
    with pytest.raises(ValueError, match="max_bytes"):
        iter_documents("x.html", max_bytes=0)
    with pytest.raises(TypeError, match="fetch_options"):
        iter_documents("x.html", fetch_options={"retries": 1})
    assert docs_of([]) == []


def test_documents_survive_pickling(pages):
    doc = load_document(docs_of(pages / "b.html")[0])
    assert pickle.loads(pickle.dumps(doc)) == doc
    assert pickle.loads(pickle.dumps(FAST)) == FAST
