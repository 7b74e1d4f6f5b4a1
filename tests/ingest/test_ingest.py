"""read_articles end to end: every source kind, every bad input, one row per input."""

from __future__ import annotations

import gzip
import socket

import pandas as pd
import pytest

from tests.pageserver import PNG_1X1, PageServer, Reply, html_page, rss, sitemap
from tests.sources.test_warc import write_warc
from toolkit.ingest.read import read_articles
from toolkit.schema import ARTICLE_COLUMNS

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

ARTICLE = [
    "Police in Hangzhou stepped up patrols on Monday ahead of the G20 summit, officials said.",
    "The Ministry of Public Security said foreign liaison officers would share intelligence "
    "on possible threats with Chinese police during the meeting.",
    "Security checks at railway stations and airports were tightened, and drones were banned "
    "from flying over the city centre until the leaders leave.",
]


BODY = [
    "Hangzhou will be the host city for this year's G20 summit, the city government said.",
    "Leaders and delegations from more than 20 countries will take part in the meeting.",
    "Hotels near the exhibition centre were asked to register every guest with the police.",
    "Volunteers trained for weeks to guide visitors through the security checkpoints.",
    "The West Lake scenic area will close to tourists for three days during the summit.",
    "Factories around the city were told to cut production to improve the air quality.",
    "Residents were offered free travel vouchers to leave the city during the meeting.",
    "Metro stations near the venue will close for two days, the transport bureau said.",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _read(sources, **kwargs):
    kwargs.setdefault("progress", False)
    kwargs.setdefault("timeout", 60)
    return read_articles(sources, **kwargs)


def test_seed_text_dump_gives_the_expected_article(seed_path, seed_expected):
    articles = _read([seed_path])
    assert list(articles.columns) == list(ARTICLE_COLUMNS)
    row = articles.iloc[0]
    assert row["status"] == "ok"
    assert row["title"] == seed_expected["title"]
    assert row["date"] == pd.Timestamp(seed_expected["datetime"])
    assert row["date_source"] == "header"
    assert row["authors"] == seed_expected["authors"]
    assert row["sitename"] == seed_expected["sitename"]
    paragraphs = [p for p in row["text"].split("\n") if p not in seed_expected["optional_lines"]]
    assert paragraphs == seed_expected["body_paragraphs"]
    for junk in seed_expected["body_must_not_contain"]:
        assert junk not in row["text"]
    assert row["article_id"] == articles["article_id"][0] and len(row["article_id"]) == 16


def test_sample_html_rendition_extracts_to_the_seed_body(seed_path, seed_expected):
    from tests.conftest import ROOT

    html = ROOT / "data" / "sample" / "china-daily-g20-security.html"
    row = _read([html]).iloc[0]
    assert row["status"] == "ok", row["error"]
    paragraphs = [p for p in row["text"].split("\n") if p not in seed_expected["optional_lines"]]
    assert paragraphs == seed_expected["body_paragraphs"]
    assert row["title"] == seed_expected["title"]
    assert row["authors"] == seed_expected["authors"]
    assert row["date"].date() == pd.Timestamp(seed_expected["date"]).date()


@pytest.fixture
def bad_inputs(tmp_path, seed_expected):
    """Files a crawl really produces, each of which must become one row."""
    good = html_page("Patrols stepped up in Hangzhou", ARTICLE).encode()
    chinese = (
        "<html><head><meta charset='gb2312'><title>杭州峰会安保</title></head><body><article>"
        "<h1>杭州峰会安保工作全面展开</h1>"
        + "<p>公安部表示，各国警方将加强情报交流，确保二十国集团峰会安全顺利举行。</p>" * 6
        + "</article></body></html>"
    ).encode("gb2312")
    cut = chinese.index("安全".encode("gb2312"))
    files = {
        "good.html": good,
        "empty.html": b"",
        "logo.png": PNG_1X1,
        "report.pdf": PDF,
        "truncated.html": good[: len(good) * 2 // 3],
        "gb2312-one-bad-byte.html": chinese[:cut] + b"\xff" + chinese[cut:],
        "nul-bytes.html": good.replace(b"Police", b"Pol\x00ice"),
        "surrogates.html": good.replace(b"Monday", "Mon\ud800day".encode("utf-8", "surrogatepass")),
        "huge.html": b"<html><body>" + b"<p>filler text</p>" * 1_200_000 + b"</body></html>",
        "not-html.html": b"id,name\n1,alpha\n2,beta\n" * 50,
        "nav-only.html": b"<html><body><nav><a href='/'>Home</a> | <a href='/w'>World</a></nav>"
        b"</body></html>",
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    return tmp_path, files


def test_every_bad_input_is_one_row_with_a_status(bad_inputs):
    folder, files = bad_inputs
    sources = [folder / name for name in files] + [folder / "missing.html"]
    articles = _read(sources, max_bytes=5_000_000)
    assert len(articles) == len(sources)
    by_name = {row["source_uri"].rsplit("/", 1)[-1]: row for row in articles.to_dict("records")}
    assert by_name["missing.html"]["status"] == "error"
    assert "not found" in by_name["missing.html"]["error"]
    assert by_name["good.html"]["status"] == "ok"
    assert by_name["empty.html"]["status"] == "empty"
    assert by_name["logo.png"]["status"] == "not_html"
    assert by_name["report.pdf"]["status"] == "not_html"
    assert "PDF" in by_name["report.pdf"]["error"]
    assert by_name["huge.html"]["status"] == "too_large"
    assert "MB" in by_name["huge.html"]["error"]
    assert by_name["nav-only.html"]["status"] == "empty"
    assert by_name["not-html.html"]["status"] in ("not_html", "empty")
    truncated = by_name["truncated.html"]
    assert truncated["status"] == "ok" and ARTICLE[0] in truncated["text"]
    chinese = by_name["gb2312-one-bad-byte.html"]
    assert chinese["status"] == "ok"
    assert (
        "公安部表示，各国警方将加强情报交流" in chinese["text"]
    )  # one bad byte garbles nothing else
    assert "\x00" not in by_name["nul-bytes.html"]["text"]
    assert "Police" in by_name["nul-bytes.html"]["text"]
    by_name["surrogates.html"]["text"].encode("utf-8")  # no lone surrogate survives
    for row in by_name.values():
        assert row["status"] == "ok" or row["error"], row


def test_a_page_that_keeps_the_extractor_busy_times_out_and_the_run_goes_on(tmp_path):
    slow = b"<html><body><table>" + b"<tr><td>cell text here and more</td><td>x</td></tr>" * 60_000
    (tmp_path / "slow.html").write_bytes(slow + b"</table></body></html>")
    (tmp_path / "good.html").write_text(html_page("Patrols", ARTICLE), encoding="utf-8")
    articles = _read([tmp_path / "slow.html", tmp_path / "good.html"], timeout=1.0, workers=1)
    assert articles["status"].tolist() == ["timeout", "ok"]
    assert "time limit" in articles["error"][0]


def test_urls_feeds_sitemaps_and_http_errors_are_rows():
    pages = {
        f"/a{i}.html": Reply(html_page(f"Story {i}", [ARTICLE[i % 3], BODY[i], BODY[i + 4]]))
        for i in range(4)
    }
    with PageServer(pages) as site:
        site.add(
            "/feed.rss",
            Reply(
                rss([site.url("/a0.html"), site.url("/a1.html")]),
                content_type="application/rss+xml",
            ),
        )
        site.add(
            "/sitemap.xml",
            Reply(
                sitemap([site.url("/a2.html"), site.url("/gone")]), content_type="application/xml"
            ),
        )
        site.add("/gone", Reply("<h1>Not here</h1>", status=404))
        dead = f"http://127.0.0.1:{_free_port()}/story.html"
        sources = [site.url("/feed.rss"), site.url("/sitemap.xml"), site.url("/a3.html"), dead]
        articles = _read(sources, workers=2)
    assert len(articles) == 6  # 2 from the feed, 2 from the sitemap, 1 page, 1 dead host
    ok = articles[articles["status"].eq("ok")]
    assert sorted(ok["title"]) == ["Story 0", "Story 1", "Story 2", "Story 3"]
    assert ok["hostname"].eq("127.0.0.1").all()
    errors = articles[articles["status"].eq("error")]["error"].tolist()
    assert any("HTTP 404" in e for e in errors)
    assert any("refused" in e for e in errors)


def test_warc_records_become_rows_with_capture_dates(tmp_path):
    path = write_warc(tmp_path / "crawl.warc.gz", gz=True)
    articles = _read([path])
    ok = articles[articles["status"].eq("ok")]
    assert not ok.empty
    assert ok["url"].str.startswith("https://news.example/").all()
    assert ok["retrieved"].notna().all()
    assert articles["source_uri"].str.contains("#urn:uuid:").all()
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    again = _read([broken])
    assert again["status"].iloc[-1] == "error" and "broken WARC record" in again["error"].iloc[-1]


def test_gzipped_pages_jsonl_and_frames(tmp_path):
    (tmp_path / "story.html.gz").write_bytes(gzip.compress(html_page("Zipped", ARTICLE).encode()))
    (tmp_path / "rows.jsonl").write_text(
        '{"url": "https://x.example/1", "headline": "From JSONL", "body": "Text one.",'
        ' "published": "2016-09-01"}\n{not json}\n',
        encoding="utf-8",
    )
    frame = pd.DataFrame(
        {"title": ["From a frame"], "text": ["Some text."], "date": ["2016-09-02"]}
    )
    articles = _read([tmp_path / "story.html.gz", tmp_path / "rows.jsonl", frame])
    assert articles["status"].tolist() == ["ok", "ok", "error", "ok"]
    assert articles["title"].tolist()[:2] == ["Zipped", "From JSONL"]
    assert articles["date_source"][1] == "input"
    assert articles["date"][3] == pd.Timestamp("2016-09-02")


def test_parallel_and_single_process_give_the_same_frame(tmp_path, seed_expected):
    body = seed_expected["body_paragraphs"]
    for i in range(6):
        (tmp_path / f"p{i}.html").write_text(html_page(f"Story {i}", body[i : i + 3]))
    one = _read([tmp_path], workers=1).drop(columns=["retrieved"])
    two = _read([tmp_path], workers=2).drop(columns=["retrieved"])
    pd.testing.assert_frame_equal(one, two)
    assert one["status"].value_counts().to_dict() == {"ok": 6}


def test_syndicated_copies_are_marked_not_dropped(tmp_path, seed_expected):
    body = seed_expected["body_paragraphs"]
    original = html_page("Cooperation sought", body)
    copy = html_page("Cooperation sought (Xinhua)", ["BEIJING, April 7 (Xinhua) --"] + body)
    (tmp_path / "a.html").write_text(original)
    (tmp_path / "b.html").write_text(copy)
    articles = _read([tmp_path / "a.html", tmp_path / "b.html"])
    assert articles["status"].tolist() == ["ok", "duplicate"]
    assert articles["duplicate_of"][1] == articles["article_id"][0]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"favor": "speed"}, "favor"),
        ({"max_bytes": 0}, "max_bytes"),
        ({"near_duplicates": 3}, "near_duplicates"),
        ({"workers": 0}, "workers"),
    ],
)
def test_bad_arguments_raise_value_error(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        read_articles([tmp_path], progress=False, **kwargs)


def test_bad_sources_argument_raises():
    with pytest.raises(ValueError, match="sources"):
        read_articles([42], progress=False)


def test_cache_serves_unchanged_pages_and_notices_changes(tmp_path, monkeypatch, seed_expected):
    from toolkit.ingest.cache import Cache, cache_info

    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "cache"))
    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(3):
        (pages / f"p{i}.html").write_text(
            html_page(f"Story {i}", seed_expected["body_paragraphs"][i::3])
        )
    first = _read([pages], cache=True)
    assert cache_info(directory=tmp_path / "cache")["namespaces"]["extraction"]["entries"] == 3
    # poison one stored entry: a cached read must return it, proving the cache served the page
    store = Cache("extraction", directory=tmp_path / "cache")
    with __import__("sqlite3").connect(tmp_path / "cache" / "cache.sqlite3") as db:
        keys = [k for (k,) in db.execute("SELECT key FROM entries WHERE namespace='extraction'")]
    for key in keys:
        store.put(key, {**store.get(key), "title": "served from cache"})
    second = _read([pages], cache=True)
    assert second["title"].eq("served from cache").all()
    (pages / "p0.html").write_text(
        html_page("Story 0, updated", seed_expected["body_paragraphs"][:2])
    )
    third = _read([pages], cache=True)
    assert third["title"].tolist()[0] == "Story 0, updated"
    assert first["title"].tolist()[1:] != third["title"].tolist()[1:]
