"""A slow server cannot hold a fetch past its deadline: drips of bodies and headers, endless bodies.

Each server here is bounded in bytes (tens of seconds of dripping), so a fetch
without a working deadline shows up as a failed time bound, not a hung test.
"""

from __future__ import annotations

import time

from tests.hostile.conftest import bounded
from tests.hostile.servers import RawServer, drip_body, drip_headers, endless
from tests.pageserver import PageServer, Reply, sitemap_index
from toolkit.sources.expand import iter_documents
from toolkit.sources.fetch import FetchOptions, fetch

BODY = b"<html><body><p>" + b"slow " * 20 + b"</p></body></html>"  # 118 bytes


def _options(**kw) -> FetchOptions:
    kw = {"total_timeout": 2.0, "read_timeout": 1.0, "retries": 0, "respect_robots": False, **kw}
    return FetchOptions(**kw)


def test_a_body_sent_a_byte_at_a_time_stops_at_the_deadline():
    # each byte comes well within read_timeout, so only a wall-clock deadline stops it
    with RawServer(drip_body(BODY, every=0.25)) as server, bounded(6):
        result = fetch(server.url("/page"), _options())
    assert result.failure == "timeout"
    assert result.error.startswith("timed out after 2 s (total_timeout)")
    assert result.content is None


def test_dripped_headers_stop_at_the_deadline():
    with RawServer(drip_headers(every=0.1)) as server, bounded(6):
        result = fetch(server.url("/page"), _options())
    assert result.failure == "timeout" and "total_timeout" in result.error


def test_an_endless_body_without_length_is_not_taken_for_a_whole_page():
    # the guard ends the connection, which looks like the end of a close-delimited body
    with RawServer(endless(every=0.01)) as server, bounded(6):
        result = fetch(server.url("/page"), _options())
    assert result.failure == "timeout" and result.content is None


def test_the_deadline_covers_robots_txt_and_retries_too():
    # robots.txt drips as well: one deadline for the whole call, not one per request
    with RawServer(drip_body(BODY, every=0.25)) as server, bounded(6):
        result = fetch(server.url("/page"), _options(respect_robots=True, retries=3))
    assert result.failure in ("timeout", "error")
    assert "total_timeout" in result.error


def test_a_dripping_url_given_as_a_source_is_bounded_by_the_run_timeout():
    # the top-level URL is fetched while the sources are listed; --timeout bounds it
    with RawServer(drip_body(BODY, every=0.4)) as server, bounded(10):
        docs = list(iter_documents(server.url("/page"), timeout=2.0))
    assert [d.status for d in docs] == ["timeout"]
    assert docs[0].error.startswith("timed out after 2 s")


def test_cli_ingest_of_a_dripping_url_respects_timeout(tmp_path, capsys):
    from toolkit.cli import main

    out = tmp_path / "out.jsonl"
    # 118 s of dripping: without a deadline the run waits for all of it (the worker
    # pool's start-up is in the bound too, and it is slow on a busy machine)
    with RawServer(drip_body(BODY, every=1.0)) as server, bounded(60):
        code = main(
            [
                "ingest", server.url("/drip"), "--timeout", "3", "--workers", "1",
                "--no-progress", "--ignore-robots", "-o", str(out),
            ]
        )
    assert code == 1  # nothing readable
    printed = capsys.readouterr().out
    assert "timed out after 3 s" in printed and "30.0 s" not in printed


def test_child_sitemaps_are_fetched_under_the_deadline():
    with RawServer(drip_body(BODY, every=0.4)) as slow, PageServer() as site:
        site.add("/index.xml", Reply(sitemap_index([slow.url("/child.xml")]),
                                     content_type="application/xml"))
        child = slow.url("/child.xml")
        with bounded(10):
            docs = list(iter_documents(site.url("/index.xml"), fetch_options=_options()))
    assert [(d.source_uri, d.status) for d in docs] == [(child, "timeout")]


def test_a_fast_enough_page_still_arrives_whole():
    # the deadline is not a rate limit: a slow page that finishes in time is kept
    with RawServer(drip_body(BODY[:20], every=0.05)) as server:
        started = time.monotonic()
        result = fetch(server.url("/page"), _options(total_timeout=10.0))
    assert result.ok and result.content == BODY[:20]
    assert time.monotonic() - started < 9

