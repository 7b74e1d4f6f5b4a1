"""toolkit.sources.feeds: RSS/Atom/RDF feeds and sitemaps, parsed by a hardened XML parser."""

from __future__ import annotations

import gzip

from tests.pageserver import atom, html_page, rss, sitemap, sitemap_index
from toolkit.sources.feeds import parse_feed, parse_sitemap

LINKS = ["https://news.example/a", "https://news.example/b"]


def test_rss2_links_in_order_without_duplicates():
    content = rss([LINKS[0], LINKS[1], LINKS[0]]).encode()
    assert parse_feed(content) == LINKS


def test_rss2_falls_back_to_a_permalink_guid():
    content = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
      <item><guid>https://news.example/g1</guid></item>
      <item><guid isPermaLink="false">https://news.example/not-a-link</guid></item>
      <item><link> https://news.example/c </link></item>
    </channel></rss>"""
    assert parse_feed(content) == ["https://news.example/g1", "https://news.example/c"]


def test_rss1_rdf_feed():
    content = b"""<?xml version="1.0"?>
    <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
             xmlns="http://purl.org/rss/1.0/">
      <channel rdf:about="https://news.example/"><title>t</title>
        <link>https://news.example/</link></channel>
      <item rdf:about="https://news.example/a"><title>A</title>
        <link>https://news.example/a</link></item>
      <item rdf:about="https://news.example/b"><title>B</title>
        <link>https://news.example/b</link></item>
    </rdf:RDF>"""
    assert parse_feed(content) == LINKS


def test_atom_takes_the_alternate_link_of_each_entry():
    assert parse_feed(atom(LINKS).encode()) == LINKS


def test_relative_links_are_made_absolute():
    content = rss(["/2016/09/a.html", "b.html"]).encode()
    assert parse_feed(content, base_url="https://news.example/feeds/rss.xml") == [
        "https://news.example/2016/09/a.html",
        "https://news.example/feeds/b.html",
    ]


def test_atom_links_follow_xml_base_of_the_feed_and_of_the_entry():
    feed = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"'
        b' xml:base="http://news.example/pages/"><title>t</title>'
        b'<entry><link href="one.html"/></entry>'
        b'<entry xml:base="/archive/2016/"><link href="two.html"/></entry>'
        b'<entry xml:base="sub/"><link href="three.html"/></entry>'
        b'<entry><link href="https://other.example/four.html"/></entry></feed>'
    )
    assert parse_feed(feed, base_url="http://feeds.example/atom.xml") == [
        "http://news.example/pages/one.html",
        "http://news.example/archive/2016/two.html",
        "http://news.example/pages/sub/three.html",
        "https://other.example/four.html",
    ]
    relative_base = feed.replace(b"http://news.example/pages/", b"pages/")
    assert parse_feed(relative_base, base_url="http://feeds.example/atom.xml")[0] == (
        "http://feeds.example/pages/one.html"
    )


def test_empty_feed_is_a_feed_with_no_links():
    assert parse_feed(rss([]).encode()) == []


def test_things_that_are_not_feeds():
    assert parse_feed(html_page("Title", ["Body"]).encode()) is None
    assert parse_feed(sitemap(LINKS).encode()) is None
    assert parse_feed(b"\x89PNG\r\n\x1a\n\0\0") is None
    assert parse_feed(b"") is None
    assert parse_feed(b"plain words, no markup") is None


def test_entities_are_not_expanded():
    # External entity (XXE) and a "billion laughs" bomb: neither is resolved.
    xxe = b"""<?xml version="1.0"?>
    <!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
    <rss version="2.0"><channel><item><link>https://news.example/&secret;</link></item>
    </channel></rss>"""
    links = parse_feed(xxe)
    assert links is not None and len(links) <= 1
    assert all(link.startswith("https://news.example/") for link in links)
    assert all(len(link) < 40 for link in links)

    laughs = b"""<?xml version="1.0"?><!DOCTYPE rss [
      <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
      <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
      <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
      <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
      <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
    ]><rss version="2.0"><channel><item><link>https://news.example/&e;</link></item>
    </channel></rss>"""
    links = parse_feed(laughs)
    assert links is not None and all(len(link) < 100 for link in links)


def test_sitemap_urlset_and_index():
    assert parse_sitemap(sitemap(LINKS + LINKS[:1]).encode()) == ("urlset", LINKS)
    maps = ["https://news.example/s1.xml", "https://news.example/s2.xml.gz"]
    assert parse_sitemap(sitemap_index(maps).encode()) == ("sitemapindex", maps)


def test_gzipped_sitemap():
    assert parse_sitemap(gzip.compress(sitemap(LINKS).encode())) == ("urlset", LINKS)


def test_sitemap_without_namespace_and_with_whitespace():
    content = b"<urlset>\n <url>\n  <loc>\n https://news.example/a \n</loc>\n </url>\n</urlset>"
    assert parse_sitemap(content) == ("urlset", ["https://news.example/a"])


def test_plain_text_sitemap():
    content = "\ufeffhttps://news.example/a\n\nhttps://news.example/b\n".encode()
    assert parse_sitemap(content) == ("urlset", LINKS)


def test_things_that_are_not_sitemaps():
    assert parse_sitemap(rss(LINKS).encode()) is None
    assert parse_sitemap(html_page("T", ["x"]).encode()) is None
    assert parse_sitemap(b"Title line\nhttps://news.example/a\n") is None
    assert parse_sitemap(b"\x1f\x8b broken gzip") is None
    assert parse_sitemap(b"") is None
