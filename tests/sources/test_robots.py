"""robots.txt: the RFC 9309 rules (sources.robots) and fetching that obeys them (sources.fetch)."""

from __future__ import annotations

import time

import pytest

import toolkit as tk
from tests.pageserver import Reply, html_page, news_site, sitemap
from toolkit.sources.fetch import FetchOptions, fetch
from toolkit.sources.robots import RobotsRules, product_token, rules_for_status

AGENT = "toolkit/0.1.0 (+news analysis)"

FAST = FetchOptions(connect_timeout=2.0, read_timeout=2.0, retries=0, backoff=0.01)

# -- parsing and matching ----------------------------------------------------------------


def test_product_token_is_the_name_before_the_version():
    assert product_token(AGENT) == "toolkit"
    assert product_token("Mozilla/5.0 (X11)") == "mozilla"
    assert product_token("MyBot") == "mybot"


def test_longest_match_wins_and_allow_wins_a_tie():
    rules = RobotsRules.parse(
        "User-agent: *\nDisallow: /news/\nAllow: /news/public/\n"
        "Disallow: /tie\nAllow: /tie\n",
        AGENT,
    )
    assert not rules.allows("https://example.org/news/2016/g20.html")
    assert rules.allows("https://example.org/news/public/g20.html")
    assert rules.allows("https://example.org/tie")
    assert rules.allows("https://example.org/about")
    # the order in the file does not matter (Python's urllib.robotparser takes the first match)
    reordered = RobotsRules.parse("User-agent: *\nAllow: /news/public/\nDisallow: /news/\n", AGENT)
    assert reordered.allows("/news/public/x") and not reordered.allows("/news/x")


def test_wildcards_and_end_anchor():
    rules = RobotsRules.parse(
        "User-agent: *\nDisallow: /*.pdf$\nDisallow: /*?print=\nDisallow: /search\n", AGENT
    )
    assert not rules.allows("/files/report.pdf")
    assert rules.allows("/files/report.pdf.html")  # "$" anchors the end
    assert not rules.allows("/story/1?print=1")
    assert rules.allows("/story/1?page=2")
    assert not rules.allows("/search?q=g20")
    assert not rules.allows("/searching")  # a plain path is a prefix


def test_our_group_beats_the_star_group_and_same_agent_groups_combine():
    text = (
        "User-agent: *\nDisallow: /\n\n"
        "User-agent: Toolkit\nDisallow: /private/\n\n"
        "User-agent: otherbot\nUser-agent: toolkit\nDisallow: /drafts/\nCrawl-delay: 2.5\n"
    )
    rules = RobotsRules.parse(text, AGENT)
    assert rules.allows("/news/a.html")  # the "*" group's "Disallow: /" is not ours
    assert not rules.allows("/private/a.html") and not rules.allows("/drafts/b.html")
    assert rules.crawl_delay == 2.5
    star = RobotsRules.parse(text, "SomeOtherAgent/1.0")
    assert not star.allows("/news/a.html") and star.crawl_delay is None


def test_empty_disallow_comments_and_junk_lines():
    rules = RobotsRules.parse(
        "# the whole site is open\nUser-agent: *   # everyone\nDisallow:\n"
        "this line is junk\nCrawl-delay: soon\nSitemap: https://example.org/sitemap.xml\n",
        AGENT,
    )
    assert rules.allows("/anything") and rules.crawl_delay is None
    assert RobotsRules.parse("", AGENT).allows("/x")
    assert RobotsRules.parse("Disallow: /\n", AGENT).allows("/x")  # no user-agent line: no group


def test_percent_encoding_is_compared_decoded():
    rules = RobotsRules.parse("User-agent: *\nDisallow: /café/\n", AGENT)
    assert not rules.allows("https://example.org/caf%C3%A9/menu")
    assert not rules.allows("https://example.org/café/menu")
    assert rules.allows("https://example.org/cafe/menu")


def test_robots_txt_itself_is_always_allowed():
    assert RobotsRules.parse("User-agent: *\nDisallow: /\n", AGENT).allows("/robots.txt")
    assert rules_for_status(503, None, AGENT).allows("/robots.txt")


def test_what_the_status_of_robots_txt_means():
    assert rules_for_status(404, None, AGENT).allows("/x")  # unavailable: crawl freely
    assert rules_for_status(403, None, AGENT).allows("/x")
    down = rules_for_status(503, None, AGENT, problem="HTTP 503 Service Unavailable")
    assert not down.allows("/x") and "503" in down.reason  # unreachable: assume disallowed
    assert rules_for_status(None, None, AGENT).allows("/x")  # no answer: the page fetch reports it
    assert not rules_for_status(200, "User-agent: *\nDisallow: /x", AGENT).allows("/x/1")


# -- fetching with manners, against a real server on 127.0.0.1 ---------------------------


def _site_with_robots(robots: Reply):
    site = news_site()
    site.add("/robots.txt", robots)
    site.add("/private/secret.html", Reply(html_page("Secret", ["Not for crawlers."] * 3)))
    return site


def test_fetch_obeys_robots_txt_and_reads_it_once():
    robots = Reply("User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    with _site_with_robots(robots) as site:
        blocked = fetch(site.url("/private/secret.html"), FAST)
        assert blocked.failure == "blocked" and blocked.content is None
        assert "robots.txt of 127.0.0.1" in blocked.error
        assert "respect_robots=False" in blocked.error
        assert site.hits["/private/secret.html"] == 0
        assert fetch(site.url("/a1.html"), FAST).ok
        assert fetch(site.url("/a2.html"), FAST).ok
        assert site.hits["/robots.txt"] == 1  # cached for the process
        rude = fetch(site.url("/private/secret.html"), FetchOptions(respect_robots=False))
        assert rude.ok and site.hits["/private/secret.html"] == 1


def test_robots_server_error_blocks_the_site_and_missing_robots_allows_it():
    with _site_with_robots(Reply("busy", status=503, content_type="text/plain")) as site:
        result = fetch(site.url("/a1.html"), FAST)
        assert result.failure == "blocked" and "could not be read (HTTP 503" in result.error
        assert site.hits["/a1.html"] == 0
    with news_site() as site:  # no /robots.txt route: 404
        assert fetch(site.url("/a1.html"), FAST).ok
        assert site.hits["/robots.txt"] == 1


def test_crawl_delay_spaces_requests_to_a_host(monkeypatch):
    robots = Reply("User-agent: *\nCrawl-delay: 0.4\n", content_type="text/plain")
    with _site_with_robots(robots) as site:
        started = time.monotonic()
        for path in ("/a1.html", "/a2.html", "/a3.html"):
            assert fetch(site.url(path), FAST).ok
        # robots.txt, then three pages, each at least 0.4 s after the one before
        assert time.monotonic() - started >= 3 * 0.4
        # max_crawl_delay=0 turns it off: no request waits (counted, not timed)
        waits = []
        monkeypatch.setattr("toolkit.sources.fetch.time.sleep", waits.append)
        capped = FetchOptions(connect_timeout=2.0, read_timeout=2.0, retries=0, max_crawl_delay=0)
        for path in ("/a1.html", "/a2.html", "/a3.html"):
            assert fetch(site.url(path), capped).ok
        assert waits == []


def test_min_delay_is_checked():
    with pytest.raises(ValueError, match="min_delay"):
        FetchOptions(min_delay=-1)


def test_read_articles_gives_blocked_rows_for_disallowed_sitemap_urls():
    robots = Reply("User-agent: toolkit\nDisallow: /private/\n", content_type="text/plain")
    with _site_with_robots(robots) as site:
        open_pages = {
            "/open/g20.html": ["Hangzhou police added patrols before the G20 summit."] * 3,
            "/open/port.html": ["The port of Ningbo handled record container traffic."] * 3,
        }
        for path, paragraphs in open_pages.items():
            site.add(path, Reply(html_page(path, paragraphs)))
        urls = [site.url(p) for p in open_pages] + [site.url("/private/secret.html")]
        site.add("/pages.xml", Reply(sitemap(urls), content_type="application/xml"))
        articles = tk.read_articles([site.url("/pages.xml")], workers=1, progress=False)
    assert len(articles) == 3
    by_url = articles.set_index("url")
    assert by_url.loc[urls[2], "status"] == "blocked"
    assert "robots.txt" in by_url.loc[urls[2], "error"]
    assert (by_url.loc[urls[:2], "status"] == "ok").all()


def test_command_line_blocks_by_default_and_ignore_robots_fetches(tmp_path, capsys):
    from toolkit.cli import main
    from toolkit.ingest.store import load_articles

    robots = Reply("User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    with _site_with_robots(robots) as site:
        url = site.url("/private/secret.html")
        polite, rude = tmp_path / "polite.parquet", tmp_path / "rude.parquet"
        # written, but no input gave an article: exit status 1
        assert main(["ingest", url, "-o", str(polite), "--workers", "1", "--no-progress"]) == 1
        assert site.hits["/private/secret.html"] == 0
        args = ["ingest", url, "-o", str(rude), "--workers", "1", "--no-progress"]
        assert main([*args, "--ignore-robots", "--delay", "0.1"]) == 0
        assert site.hits["/private/secret.html"] == 1
    assert load_articles(polite)["status"].tolist() == ["blocked"]
    assert load_articles(rude)["status"].tolist() == ["ok"]
    assert main(["ingest", url, "-o", str(rude), "--delay", "-1"]) == 2
    assert "min_delay must be >= 0" in capsys.readouterr().err


def test_bad_fetch_options_argument_is_a_value_error():
    with pytest.raises(ValueError, match="fetch_options must be a toolkit.FetchOptions"):
        tk.read_articles(["data/sample"], fetch_options={"min_delay": 1})
