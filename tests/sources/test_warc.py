"""toolkit.sources.warc on archives written here with warcio's WARCWriter."""

from __future__ import annotations

import gzip
import io
import logging
from datetime import datetime
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.pageserver import PNG_1X1, html_page
from toolkit.sources.warc import iter_warc_documents

DATE = "2016-09-04T10:00:00Z"
PAGE_A = html_page("Hangzhou prepares", ["Security is tight for the G20 summit."]).encode()
PAGE_B = html_page("Second page", ["Served as octet-stream."]).encode()
PAGE_C = html_page("Third page", ["Chunked and gzipped in transit."]).encode()
PAGE_R = html_page("Resource", ["Stored as a resource record."]).encode()


def _chunked(data: bytes, size: int = 100) -> bytes:
    parts = [
        b"%x\r\n%s\r\n" % (len(data[i : i + size]), data[i : i + size])
        for i in range(0, len(data), size)
    ]
    return b"".join(parts) + b"0\r\n\r\n"


def _response(writer, url, body, *, status="200 OK", ctype="text/html; charset=utf-8", extra=()):
    headers = StatusAndHeaders(status, [("Content-Type", ctype), *extra], protocol="HTTP/1.1")
    return writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        http_headers=headers,
        warc_headers_dict={"WARC-Date": DATE},
    )


def write_warc(path: Path, *, gz: bool) -> Path:
    """An archive like a crawler writes: info, a request, pages, an image, a 404, a redirect."""
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "toolkit tests"}))
        request = StatusAndHeaders(
            "GET /a HTTP/1.1", [("Host", "news.example")], is_http_request=True
        )
        w.write_record(
            w.create_warc_record(
                "https://news.example/a", "request", payload=io.BytesIO(b""), http_headers=request
            )
        )
        w.write_record(_response(w, "https://news.example/a", PAGE_A))
        w.write_record(_response(w, "https://news.example/logo.png", PNG_1X1, ctype="image/png"))
        w.write_record(
            _response(w, "https://news.example/gone", b"<h1>Gone</h1>", status="404 Not Found")
        )
        w.write_record(
            _response(
                w,
                "https://news.example/old",
                b"",
                status="301 Moved",
                extra=[("Location", "https://news.example/a")],
            )
        )
        w.write_record(
            _response(w, "https://news.example/b", PAGE_B, ctype="application/octet-stream")
        )
        w.write_record(
            _response(
                w,
                "https://news.example/c",
                _chunked(gzip.compress(PAGE_C)),
                extra=[("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
            )
        )
        w.write_record(
            w.create_warc_record(
                "https://news.example/r",
                "resource",
                payload=io.BytesIO(PAGE_R),
                warc_content_type="text/html",
                warc_headers_dict={"WARC-Date": DATE},
            )
        )
        w.write_record(
            w.create_warc_record(
                "metadata:crawl",
                "metadata",
                payload=io.BytesIO(b"outlinks: 3"),
                warc_content_type="text/plain",
            )
        )
    return path


@pytest.fixture(params=[False, True], ids=["warc", "warc.gz"])
def archive(request, tmp_path) -> Path:
    suffix = ".warc.gz" if request.param else ".warc"
    return write_warc(tmp_path / f"crawl{suffix}", gz=request.param)


def test_each_html_response_becomes_a_document(archive, caplog):
    with caplog.at_level(logging.INFO, logger="toolkit.sources.warc"):
        docs = list(iter_warc_documents(archive))
    # a, the 404, b (sniffed), c (chunked+gzip), the resource; not the request,
    # warcinfo, image, redirect or metadata.
    assert [d.url for d in docs] == [
        "https://news.example/a",
        "https://news.example/gone",
        "https://news.example/b",
        "https://news.example/c",
        "https://news.example/r",
    ]
    a, gone, b, c, r = docs
    assert a.kind == "page" and a.status is None and a.content == PAGE_A
    assert a.content_type == "text/html; charset=utf-8"
    assert a.retrieved == datetime(2016, 9, 4, 10, 0, 0)
    uri = archive.resolve().as_uri()
    assert a.source_uri.startswith(uri + "#urn:uuid:") and ">" not in a.source_uri
    assert len({d.source_uri for d in docs}) == 5
    assert gone.status == "error" and gone.content is None
    assert gone.error == "archived response was HTTP 404 (Not Found): https://news.example/gone"
    assert b.content == PAGE_B and b.content_type == "application/octet-stream"
    assert c.content == PAGE_C  # transfer and content encodings removed
    assert r.content == PAGE_R and r.content_type == "text/html"
    assert "skipped 5 records" in caplog.text


def test_truncated_archive_keeps_what_came_before_and_names_the_offset(archive, tmp_path):
    data = archive.read_bytes()
    whole = list(iter_warc_documents(archive))
    cut = tmp_path / ("cut" + "".join(archive.suffixes))
    cut.write_bytes(data[: len(data) - 400])
    docs = list(iter_warc_documents(cut))
    assert 1 <= len(docs) <= len(whole)
    *good, last = docs
    assert [d.source_uri.split("#")[1] for d in good] == [
        d.source_uri.split("#")[1] for d in whole[: len(good)]
    ]
    assert last.status == "error"
    assert last.error.startswith(f"broken WARC record in {cut} at byte ")
    assert last.error.endswith("; the rest of the file was not read")
    offset = int(last.source_uri.rsplit("#offset=", 1)[1])
    assert 0 < offset < len(data) - 400


def test_corrupt_gzip_member_stops_the_file(tmp_path):
    archive = write_warc(tmp_path / "crawl.warc.gz", gz=True)
    data = bytearray(archive.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 40] = b"\xff" * 40
    archive.write_bytes(bytes(data))
    docs = list(iter_warc_documents(archive))
    assert docs[-1].status == "error" and "broken WARC record" in docs[-1].error
    assert all(d.status is None or "HTTP 404" in d.error for d in docs[:-1])


def test_payload_over_the_cap_is_too_large(archive):
    docs = list(iter_warc_documents(archive, max_bytes=150))
    assert docs[0].status == "too_large" and docs[0].content is None
    assert docs[0].error == "page is larger than the 150 B limit (max_bytes)"
    assert docs[0].url == "https://news.example/a"


def test_file_that_is_not_an_archive(tmp_path):
    fake = tmp_path / "page.warc"
    fake.write_bytes(PAGE_A)
    docs = list(iter_warc_documents(fake))
    assert len(docs) == 1 and docs[0].status == "error"
    assert docs[0].error.startswith(f"broken WARC record in {fake} at byte 0")


def test_empty_and_page_less_archives_still_give_one_document(tmp_path):
    empty = tmp_path / "empty.warc.gz"
    empty.write_bytes(b"")
    [doc] = iter_warc_documents(empty)
    assert doc.status == "empty" and doc.error == f"no records in WARC file {empty}"

    images = tmp_path / "images.warc"
    with open(images, "wb") as fh:
        w = WARCWriter(fh, gzip=False)
        w.write_record(_response(w, "https://news.example/x.png", PNG_1X1, ctype="image/png"))
    [doc] = iter_warc_documents(images)
    assert doc.status == "not_html"
    assert doc.error == f"no HTML pages in WARC file {images} (1 non-HTML)"
    assert doc.source_uri == images.resolve().as_uri()


def test_missing_archive_is_an_error_document(tmp_path):
    missing = tmp_path / "nope.warc.gz"
    [doc] = iter_warc_documents(missing)
    assert doc.status == "error" and doc.error == f"file not found: {missing}"
