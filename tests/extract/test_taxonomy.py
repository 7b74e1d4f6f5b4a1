"""toolkit.extract.taxonomy and the page's own URL: what the page states about itself."""

from __future__ import annotations

import json

from toolkit.extract.page import extract_page

STORY = "".join(
    f"<p>Paragraph {i}: police said the security checks would continue at stations and "
    "hotels until the summit ends, and thanked residents for their patience.</p>"
    for i in range(4)
)


def _page(head: str) -> bytes:
    return (f"<html><head><title>Checks continue</title>{head}</head><body><article>"
            f"<h1>Checks continue</h1>{STORY}</article></body></html>").encode()


def test_sections_and_tags_from_json_ld_and_repeated_meta():
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Checks",
          "articleSection": ["China", "World"], "keywords": "G20, Hangzhou, security"}
    page = _page(f"<script type='application/ld+json'>{json.dumps(ld)}</script>"
                 "<meta property='article:tag' content='Police'>"
                 "<meta property='article:tag' content='hangzhou'>"
                 "<meta name='keywords' content='ignored, when, tags, are, stated'>")
    result = extract_page(page)
    assert result["categories"] == ["China", "World"]
    assert result["tags"] == ["G20", "Hangzhou", "security", "Police"]


def test_keywords_meta_when_nothing_else_and_canonical_url():
    page = _page("<meta name='keywords' content='G20, summit'>"
                 "<meta name='description' content='  Checks   go on. '>"
                 "<link rel='canonical' href='/world/2016/04/07/checks.html'>")
    result = extract_page(page, url="https://news.example.com/amp/checks?x=1")
    assert result["tags"] == ["G20", "summit"] and result["categories"] == []
    assert result["url"] == "https://news.example.com/world/2016/04/07/checks.html"
    assert result["hostname"] == "news.example.com"
    assert result["description"] == "Checks go on."
    assert result["date"].date().isoformat() == "2016-04-07"  # from the canonical URL
    assert result["date_source"] == "url"
