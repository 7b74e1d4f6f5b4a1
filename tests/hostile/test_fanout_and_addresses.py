"""Sitemap fan-out, where a fetch may go (private addresses, redirects), and size messages."""

from __future__ import annotations

import socket

import pytest

from tests.hostile.conftest import bounded
from tests.hostile.servers import RawServer
from tests.pageserver import PageServer, Reply, html_page, rss, sitemap, sitemap_index
from toolkit.sources import expand
from toolkit.sources.expand import iter_documents, load_document
from toolkit.sources.fetch import FetchOptions, fetch

FAST = FetchOptions(connect_timeout=2.0, read_timeout=2.0, retries=0, backoff=0.01)
XML = "application/xml"


def _children_site(n: int) -> PageServer:
    site = PageServer()
    for i in range(n):
        site.routes[f"/s{i}.xml"] = Reply(sitemap([f"http://news.example/{i}.html"]),
                                          content_type=XML)
    return site


@pytest.mark.slow
def test_an_index_of_10000_sitemaps_is_read_up_to_the_cap(memory_bound):
    with _children_site(10_000) as site:
        site.add("/index.xml", Reply(sitemap_index([site.url(f"/s{i}.xml") for i in range(10_000)]),
                                     content_type=XML))
        with bounded(120):
            docs = list(iter_documents(site.url("/index.xml"), fetch_options=FAST))
        fetched = sum(n for path, n in site.hits.items() if path.startswith("/s"))
    memory_bound(300)
    assert fetched == FetchOptions().max_sitemap_children == 500
    skipped = [d for d in docs if d.status == "too_large"]
    assert len(skipped) == 1
    assert "lists 10000 sitemaps; the first 500 were read" in skipped[0].error
    assert "max_sitemap_children" in skipped[0].error
    assert len([d for d in docs if d.fetch_url]) == 500


def test_nested_indexes_stop_at_the_total_sitemap_cap():
    options = FetchOptions(connect_timeout=2.0, read_timeout=2.0, retries=0,
                           max_sitemaps=50, max_sitemap_children=20)
    with _children_site(400) as site:
        for j in range(20):  # 20 indexes of 20 sitemaps: 400 fetches without a total cap
            site.add(f"/i{j}.xml", Reply(
                sitemap_index([site.url(f"/s{20 * j + i}.xml") for i in range(20)]),
                content_type=XML))
        site.add("/top.xml", Reply(sitemap_index([site.url(f"/i{j}.xml") for j in range(20)]),
                                   content_type=XML))
        with bounded(60):
            docs = list(iter_documents(site.url("/top.xml"), fetch_options=options))
        fetched = sum(n for path, n in site.hits.items() if path.startswith(("/s", "/i")))
    assert fetched == 49  # the top index counts as one of the 50
    over = [d for d in docs if d.status == "too_large"]
    assert over and all("max_sitemaps" in d.error for d in over)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_failed_redirect_names_the_host_it_went_to():
    port = _closed_port()
    with PageServer() as site:
        site.add("/go", Reply(b"", status=302,
                              headers={"Location": f"http://127.0.0.1:{port}/x"}))
        asked = site.url("/go")
        result = fetch(asked, FAST)
    assert result.error == f"connection refused by 127.0.0.1:{port} (after a redirect): {asked}"


def test_a_url_source_over_the_cap_reports_the_cap_given():
    def huge(conn, stop):  # announces 60 MB, above even the sitemap cap
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                     b"Content-Length: 60000000\r\n\r\n")

    with RawServer(huge) as server:
        options = FetchOptions(max_bytes=2_000_000, retries=0, respect_robots=False)
        docs = list(iter_documents(server.url("/big"), fetch_options=options))
    assert [d.status for d in docs] == ["too_large"]
    assert "2.0 MB limit" in docs[0].error and "50.0 MB" not in docs[0].error


def test_private_targets_are_refused_when_asked():
    with PageServer({"/a.html": Reply(html_page("A", ["Inside."]))}) as site:
        refuse = FetchOptions(connect_timeout=2.0, retries=0, private_addresses="refuse")
        refused = fetch(site.url("/a.html"), refuse)
        typed = fetch(site.url("/a.html"), FAST)  # a URL you name is fetched by default
    assert refused.failure == "blocked"
    assert "127.0.0.1, a loopback address" in refused.error
    assert "private_addresses='allow'" in refused.error
    assert typed.ok


def test_links_of_a_public_feed_may_not_point_at_private_addresses(monkeypatch):
    # a feed served from a public address is faked: every server here is on loopback
    monkeypatch.setattr(expand, "_is_public", lambda result: True)
    with PageServer({"/a.html": Reply(html_page("A", ["Inside."]))}) as site:
        site.add("/feed.rss", Reply(rss([site.url("/a.html")]), content_type="application/rss+xml"))
        docs = list(iter_documents(site.url("/feed.rss"), fetch_options=FAST))
        assert [d.public_only for d in docs] == [True]
        loaded = load_document(docs[0], fetch_options=FAST)
        allowed = load_document(
            docs[0], fetch_options=FetchOptions(retries=0, private_addresses="allow")
        )
    assert loaded.status == "blocked" and "loopback" in loaded.error
    assert site.hits["/a.html"] == 1  # only the fetch that was allowed
    assert allowed.status is None and allowed.content


def test_links_of_a_feed_on_loopback_are_fetched():
    with PageServer({"/a.html": Reply(html_page("A", ["Inside."]))}) as site:
        site.add("/feed.rss", Reply(rss([site.url("/a.html")]), content_type="application/rss+xml"))
        docs = list(iter_documents(site.url("/feed.rss"), fetch_options=FAST))
        loaded = load_document(docs[0], fetch_options=FAST)
    assert [d.public_only for d in docs] == [False]
    assert loaded.status is None and loaded.content


def test_a_bad_private_addresses_value_names_the_valid_ones():
    import pytest

    with pytest.raises(ValueError, match="'listed', 'allow', 'refuse'"):
        FetchOptions(private_addresses="no")
