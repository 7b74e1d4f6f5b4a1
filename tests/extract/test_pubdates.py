"""toolkit.extract.pubdates: publication (not modification) dates, as the page shows them."""

from __future__ import annotations

import json
from datetime import datetime

from toolkit.extract.page import extract_page

BODY = "".join(
    f"<p>Paragraph {i} of the report: police said the security checks would continue at "
    "stations and hotels until the summit ends, and thanked residents.</p>" for i in range(5)
)


def _page(head: str = "", header: str = "", tail: str = "") -> bytes:
    return (
        f"<html><head><title>Checks continue</title>{head}</head><body>"
        f"<article><h1>Checks continue</h1>{header}{BODY}</article>{tail}</body></html>"
    ).encode()


def _ld(**dates: str) -> str:
    obj = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Checks",
           **dates}
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def test_updated_date_after_the_published_one():
    page = _page(
        head="<meta property='article:modified_time' content='2019-03-05T09:00:00+01:00'>",
        header="<p class='dates'><time class='published' datetime='2019-03-01T10:30:00+01:00'>"
               "1 March 2019</time> <span class='updated'>Updated <time "
               "datetime='2019-03-05T09:00:00+01:00'>5 March 2019</time></span></p>",
    )
    result = extract_page(page)
    assert result["date"] == datetime(2019, 3, 1, 10, 30)
    assert result["date_modified"] == datetime(2019, 3, 5, 9, 0)
    assert "Updated" not in result["text"]


def test_json_ld_published_before_modified_and_earliest_statement_wins():
    page = _page(head=_ld(datePublished="2020-01-20T10:00:08+08:00",
                          dateModified="2020-01-21T08:00:00+08:00")
                 + "<meta property='article:published_time' content='2020-01-22T09:00:00+08:00'>")
    result = extract_page(page)
    assert (result["date"], result["date_source"]) == (datetime(2020, 1, 20, 10, 0, 8), "json-ld")
    assert result["date_modified"] == datetime(2020, 1, 21, 8, 0)


def test_the_day_the_page_shows_not_a_utc_conversion():
    # 23:30 in UTC is already the next day in the publisher's time zone (+02:00)
    page = _page(head=_ld(datePublished="2018-06-12T23:30:00Z")
                 + "<meta property='article:published_time' content='2018-06-13T01:30:00+02:00'>")
    assert extract_page(page)["date"] == datetime(2018, 6, 13, 1, 30)
    # only UTC stated, but the page prints the local day beside its headline
    page = _page(head=_ld(datePublished="2022-05-04T00:25:56Z"),
                 header="<p><time>3 de mayo de 2022</time></p>")
    assert extract_page(page)["date"].date() == datetime(2022, 5, 3).date()


def test_times_of_related_stories_do_not_date_the_article():
    related = "".join(f"<li><a href='/s{i}'>Story {i}</a> <time datetime='2017-0{i}-01'>"
                      f"{i} days ago</time></li>" for i in range(1, 6))
    page = _page(header="<p><time datetime='2020-09-21'>September 21, 2020</time></p>",
                 tail=f"<aside>{'<p>x</p>' * 120}<ul>{related}</ul></aside>")
    result = extract_page(page)
    assert result["date"] == datetime(2020, 9, 21)


def test_a_page_dated_only_after_its_capture_has_no_date():
    page = _page(head=_ld(datePublished="2030-01-01T00:00:00Z"))
    result = extract_page(page, retrieved=datetime(2024, 1, 1))
    assert result["date"] is None and result["date_source"] is None


def test_json_ld_inside_a_cdata_section_is_read():
    obj = {"@context": "https://schema.org", "@type": "NewsArticle",
           "datePublished": "2015-10-15T02:19:15Z"}
    head = ("<meta property='article:published_time' content='2015-12-11T14:28:34Z'>"
            f"<script type='application/ld+json'><![CDATA[\n{json.dumps(obj)}\n]]></script>")
    result = extract_page(_page(head=head))
    assert result["date"] == datetime(2015, 10, 15, 2, 19, 15)
    assert result["date_source"] == "json-ld"


def test_the_day_shown_under_the_headline_beats_meta_tags_a_cms_rewrote():
    head = ("<meta property='article:published_time' content='2022-11-17T10:33:13Z'>"
            "<meta property='article:modified_time' content='2022-11-17T10:32:18Z'>")
    header = "<p><time datetime='2022-03-09'>09.03.2022</time></p>"
    result = extract_page(_page(head=head, header=header))
    assert result["date"] == datetime(2022, 3, 9)


def test_a_post_dated_in_its_footer_is_not_dated_by_its_comments():
    # a blog prints the post's date after the text; the comments under it are dated later
    footer = ("<footer><time class='entry-date published' datetime='2019-08-02T15:57:41+00:00'>"
              "August 2, 2019</time></footer>")
    comments = "".join(f"<li><p>Comment {i}</p><time datetime='2019-08-0{3 + i}T04:11:57+00:00'>"
                       f"August {3 + i}, 2019 at 4:11 am</time></li>" for i in range(3))
    page = (f"<html><head><title>Parsing JSON</title></head><body><article><h1>Parsing JSON</h1>"
            f"{BODY}{footer}</article><ol>{comments}</ol></body></html>").encode()
    result = extract_page(page)
    assert result["date"].date() == datetime(2019, 8, 2).date()


def test_a_line_holding_only_a_date_under_the_headline_dates_a_page_without_markup():
    assert extract_page(_page(header="<p>January 22, 2014</p>"))["date"] == datetime(2014, 1, 22)
    # "02/10/2020" reads two ways: no guess
    assert extract_page(_page(header="<p>02/10/2020</p>"))["date"] is None
    # an update line is no publication date
    assert extract_page(_page(header="<p>Last updated: 13 July 2020</p>"))["date"] is None


def test_in_a_line_giving_both_the_date_before_updated_is_the_publication():
    line = ("<div class='article-date'>Published 4:00 PM EST, Mon March 4, 2019 | Updated "
            "5:00 PM EST, Tue March 5, 2019</div>")
    assert extract_page(_page(header=line))["date"] == datetime(2019, 3, 4)


def test_a_paragraph_opening_with_a_date_is_no_dateline():
    # more than a line: the date it starts with is not the page's date line
    paragraph = ("<p>March 4, 2019 | Updated rules for visitors: police in Hangzhou asked every "
                 "resident to carry identity papers during the summit week, and hotels were told "
                 "to register their guests with the bureau.</p>")
    assert extract_page(_page(header=paragraph))["date"] is None
