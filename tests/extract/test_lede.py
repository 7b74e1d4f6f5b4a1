"""toolkit.extract.lede: the standfirst an extractor left above the article block."""

from __future__ import annotations

from toolkit.extract.lede import find_lede, with_lede
from toolkit.extract.page import _load_tree, extract_page

from .test_body import STORY

PEREX = ("Hangzhou is ready for the summit. Police have checked every hotel and railway station "
         "in the city, and residents were asked to carry identity papers for a week.")
DEK = "Police check hotels and stations as leaders arrive for the two-day meeting in the city."
BIO = ("Jane Doe covers security and policing for Example Wire. She joined the paper in 2009 "
       "after ten years as a reporter in Shanghai and Beijing.")


def _page(above_story: str, *, head: str = "", h1: str = "Hangzhou ready for summit") -> bytes:
    # the layout of a news site that sets its perex apart from the article block
    # (trafilatura takes the block and leaves the perex out)
    story = "".join(f"<p>{p}</p>" for p in STORY * 2)
    return (
        "<html lang='en'><head><title>Hangzhou ready for summit | Example Wire</title>"
        f"{head}</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<h1 class='article-title'>{h1}</h1>"
        "<div class='wrapper'><div class='left-column'><div class='article'>"
        "<div class='author'><a href='/a/jane'>Jane Doe</a><div class='author__date'>2 hours ago"
        f"</div></div>{above_story}"
        "<div class='article__photo'><img src='a.jpg'><div class='article__photo__desc'>"
        "Police in Hangzhou. | Photo: Reuters</div></div>"
        f"<div class='article__content' id='article-content'>{story}</div>"
        "</div></div></div></body></html>"
    ).encode()


def _text(page: bytes) -> str:
    return extract_page(page, url="https://wire.example/hangzhou")["text"]


def test_a_perex_set_apart_above_the_article_opens_the_body():
    text = _text(_page(f"<div class='article__perex'>{PEREX}</div>"))
    assert text.split("\n")[:2] == [PEREX, STORY[0]]
    assert text.count(PEREX) == 1


def test_a_lede_restating_the_description_opens_the_body_without_a_class_naming_it():
    head = ("<meta property='og:description' content='Hangzhou is ready for the summit: police "
            "have checked every hotel and railway station in the city.'>")
    text = _text(_page(f"<div class='box-1'><p>{PEREX}</p></div>", head=head))
    assert text.split("\n")[0] == PEREX
    # without the description to recognise it, an unmarked block above the story stays out
    assert PEREX not in _text(_page(f"<div class='box-1'><p>{PEREX}</p></div>"))


def test_a_date_set_inside_the_lede_is_left_out():
    lede = f"<p class='intro'><span class='date'>19.10.2019, 15:30 Uhr</span>{PEREX}</p>"
    assert _text(_page(lede)).split("\n")[0] == PEREX


def test_a_one_sentence_dek_an_authors_bio_and_a_blogs_tagline_are_no_lede():
    assert DEK not in _text(_page(f"<h2 class='article-dek'>{DEK}</h2>"))
    assert BIO not in _text(_page(f"<div class='author-box'><p class='summary'>{BIO}</p></div>"))
    # a blog's name in the <h1>: its tagline heads no story
    page = _page(f"<p class='description'>{PEREX}</p>", h1="The Hangzhou Notebook")
    assert PEREX not in _text(page)


def test_find_lede_needs_the_bodys_start_below_it():
    tree = _load_tree(_page(f"<div class='lead'>{PEREX}</div>"))
    assert find_lede(tree, first_line=STORY[0], title="Hangzhou ready for summit") == PEREX
    # the body's first line not found after the <h1>: nothing is added
    assert find_lede(tree, first_line="A line the page does not hold at all",
                     title="Hangzhou ready for summit") is None
    assert find_lede(tree, first_line=STORY[0], title=None) is None


def test_a_lede_the_body_already_opens_with_is_not_added_twice():
    body = "\n".join(STORY)
    assert with_lede(body, PEREX) == f"{PEREX}\n{body}"
    assert with_lede(body, None) == body
    assert with_lede(body, STORY[1]) == body  # word for word in the body
    # a teaser box repeating the first paragraph, cut short
    teaser = " ".join(STORY[0].split()[:18]) + " ..."
    assert with_lede(body, teaser) == body
