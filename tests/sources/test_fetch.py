"""toolkit.sources.fetch against a real HTTP server on 127.0.0.1 (tests/pageserver.py)."""

from __future__ import annotations

import gzip
import socket
from datetime import timedelta

import numpy as np
import pytest

from tests.pageserver import Reply, news_site
from toolkit.sources.fetch import (
    FetchOptions,
    _parse_retry_after,
    fetch,
    gunzip_capped,
    is_binary_type,
    too_large_message,
    utc_now,
)

FAST = FetchOptions(
    connect_timeout=2.0, read_timeout=1.0, retries=2, backoff=0.01, max_retry_after=0.01
)


@pytest.fixture
def site():
    with news_site(big_bytes=200_000, slow_seconds=2.5) as server:
        yield server


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_page_is_fetched_with_type_time_and_user_agent(site):
    before = utc_now() - timedelta(seconds=1)
    result = fetch(site.url("/a1.html"), FAST)
    assert result.ok and result.error is None and result.failure is None
    assert result.http_status == 200
    assert result.content.startswith(b"<!DOCTYPE html>") and b"Article 1" in result.content
    assert result.content_type == "text/html; charset=utf-8"
    assert result.url == site.url("/a1.html")
    assert result.retrieved.tzinfo is None and result.retrieved >= before
    assert site.requests[0]["user-agent"].startswith("toolkit/")
    assert site.requests[0]["user-agent"].endswith("(+news analysis)")


def test_redirect_gives_the_final_url(site):
    result = fetch(site.url("/moved"), FAST)
    assert result.ok
    assert result.url == site.url("/a1.html")
    assert b"Article 1" in result.content


def test_content_encoding_is_removed(site):
    result = fetch(site.url("/gzipped"), FAST)
    assert result.ok and b"Compressed in transit." in result.content


def test_http_404_is_a_readable_error_and_not_retried(site):
    url = site.url("/missing")
    result = fetch(url, FAST)
    assert not result.ok and result.content is None
    assert result.failure == "error"
    assert result.error == f"HTTP 404 Not Found: {url}"
    assert result.http_status == 404
    assert site.hits["/missing"] == 1


def test_500_then_200_succeeds_on_retry(site):
    result = fetch(site.url("/flaky"), FAST)
    assert result.ok and b"Came back." in result.content
    assert site.hits["/flaky"] == 2


def test_persistent_503_gives_up_after_the_retries(site):
    result = fetch(site.url("/down"), FAST)
    assert result.error == f"HTTP 503 Service Unavailable: {site.url('/down')}"
    assert site.hits["/down"] == FAST.retries + 1


def test_no_retries_means_one_attempt(site):
    result = fetch(site.url("/flaky"), FetchOptions(retries=0, read_timeout=1.0))
    assert result.error.startswith("HTTP 500 Internal Server Error")
    assert site.hits["/flaky"] == 1


def test_retry_after_is_honoured_up_to_the_cap(site):
    # The server asks for 120 s; the cap (0.01 s) keeps the test fast.
    result = fetch(site.url("/busy"), FAST)
    assert result.ok and b"Served after waiting." in result.content
    assert site.hits["/busy"] == 2


def test_slow_server_times_out_without_retrying(site):
    url = site.url("/slow")
    result = fetch(url, FAST)
    assert result.failure == "error"
    assert result.error == f"timed out after 1.0 s waiting for the server: {url}"
    assert site.hits["/slow"] == 1


def test_body_over_the_cap_with_content_length(site):
    result = fetch(site.url("/big"), FetchOptions(max_bytes=100_000, read_timeout=1.0))
    assert result.failure == "too_large" and result.content is None
    assert result.error == (
        f"page is 0.2 MB, above the 0.1 MB limit (max_bytes): {site.url('/big')}"
    )


def test_body_over_the_cap_without_content_length(site):
    result = fetch(site.url("/big-stream"), FetchOptions(max_bytes=100_000, read_timeout=1.0))
    assert result.failure == "too_large"
    assert result.error.startswith("page is larger than the 0.1 MB limit (max_bytes)")


def test_connection_closed_mid_body_is_an_error_after_retries(site):
    result = fetch(site.url("/cut"), FAST)
    assert result.failure == "error"
    assert result.error.startswith("connection closed before the whole page arrived")
    assert site.hits["/cut"] == FAST.retries + 1


def test_connection_after_a_failed_one_is_clean(site):
    # An unread error body must not leak into the next answer on a kept-alive connection.
    assert fetch(site.url("/missing"), FAST).http_status == 404
    result = fetch(site.url("/a2.html"), FAST)
    assert result.ok and b"Article 2" in result.content


def test_connection_refused_is_readable_and_retried():
    port = closed_port()
    url = f"http://127.0.0.1:{port}/page"
    result = fetch(url, FAST)
    assert result.failure == "error" and result.http_status is None
    assert result.error == f"connection refused by 127.0.0.1:{port}: {url}"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/x", "unsupported URL scheme 'ftp' (only http and https)"),
        ("http://", "URL has no host name"),
        ("http://127.0.0.1:99999/", "URL has an invalid port"),
        ("not a url", "not an http(s) URL"),
    ],
)
def test_unusable_urls_give_errors_not_exceptions(url, message):
    result = fetch(url, FAST)
    assert result.failure == "error"
    assert result.error == f"{message}: {url}"


def test_a_binary_type_is_fetched_and_flagged_by_the_helper(site):
    result = fetch(site.url("/image.png"), FAST)
    assert result.ok and result.content.startswith(b"\x89PNG")
    assert is_binary_type(result.content_type)
    assert not is_binary_type("text/html; charset=utf-8")
    assert not is_binary_type(None)


def test_custom_routes_and_one_pool_per_process():
    with news_site() as server:
        url = server.add("/custom", Reply("<p>custom</p>", content_type="text/plain"))
        first = fetch(url, FAST)
        second = fetch(url, FAST)
    assert first.content == second.content == b"<p>custom</p>"
    assert first.content_type == "text/plain"


def test_retry_after_header_forms():
    assert _parse_retry_after("5") == 5.0
    assert _parse_retry_after(None) is None
    assert _parse_retry_after("soon") is None
    assert _parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_options_are_checked():
    with pytest.raises(ValueError, match="read_timeout"):
        FetchOptions(read_timeout=0)
    with pytest.raises(ValueError, match="retries"):
        FetchOptions(retries=-1)
    with pytest.raises(ValueError, match="min_delay must be a number, got '1'"):
        FetchOptions(min_delay="1")
    with pytest.raises(ValueError, match="retries must be an integer, got 1.5"):
        FetchOptions(retries=1.5)
    with pytest.raises(ValueError, match="respect_robots must be True or False"):
        FetchOptions(respect_robots="no")
    with pytest.raises(ValueError, match="max_bytes must be an integer, got True"):
        FetchOptions(max_bytes=True)
    with pytest.raises(ValueError, match="min_delay must be >= 0, got nan"):
        FetchOptions(min_delay=float("nan"))
    assert FetchOptions(min_delay=1, retries=np.int64(3)).retries == 3


def test_gunzip_capped_stops_a_gzip_bomb():
    bomb = gzip.compress(b"\0" * 20_000_000)
    assert len(bomb) < 100_000
    assert gunzip_capped(bomb, 1_000_000) is None
    assert gunzip_capped(gzip.compress(b"small"), 1_000_000) == b"small"


def test_too_large_messages():
    assert too_large_message(5_000_000, 20_000_000) == (
        "page is 20.0 MB, above the 5.0 MB limit (max_bytes)"
    )
    assert too_large_message(5_000_000) == "page is larger than the 5.0 MB limit (max_bytes)"
