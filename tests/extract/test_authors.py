"""toolkit.extract.authors: people from the page's statements, organisations apart."""

from __future__ import annotations

import json

import pytest

from toolkit.extract.page import extract_page

BODY = (
    "<p>Police in Hangzhou tightened security checks at railway stations and hotels on Monday, "
    "asking residents to carry identity papers during the summit week, officials said.</p>"
    "<p>Liaison officers from several countries met their Chinese counterparts to share "
    "assessments of possible threats to the meeting, according to a statement.</p>"
    "<p>The measures will stay in place until the leaders have left the city, the bureau "
    "said, and traffic restrictions will be announced separately.</p>"
)


def _page(*, head: str = "", byline: str = "", ld: dict | None = None, body: str = BODY) -> bytes:
    script = (f'<script type="application/ld+json">{json.dumps(ld)}</script>' if ld else "")
    return (
        "<html lang='en'><head><title>Police tighten checks | Example Wire</title>"
        f"<meta property='og:site_name' content='Example Wire'>{head}{script}</head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>Police tighten checks</h1>{byline}{body}</article>"
        "<aside class='related'><h2>More stories</h2><ul>"
        "<li><a href='/a'>Other story</a> <span class='author'>By Somebody Else</span></li>"
        "</ul></aside></body></html>"
    ).encode()


def _article(ld_author) -> dict:
    return {"@context": "https://schema.org", "@type": "NewsArticle",
            "headline": "Police tighten checks", "author": ld_author,
            "publisher": {"@type": "Organization", "name": "Example Wire"}}


def test_json_ld_organization_author_is_not_a_person():
    result = extract_page(_page(ld=_article({"@type": "Organization", "name": "Example Wire"})))
    assert result["authors"] == []
    assert result["agencies"] == []  # the outlet itself: it is the sitename
    assert result["sitename"] == "Example Wire"
    agency = extract_page(_page(ld=_article([{"@type": "Person", "name": "Jane Doe"},
                                              {"@type": "Organization", "name": "Reuters"}])))
    assert agency["authors"] == ["Jane Doe"]
    assert agency["agencies"] == ["Reuters"]


def test_json_ld_people_referenced_in_a_graph():
    graph = {"@context": "https://schema.org", "@graph": [
        {**_article([{"@id": "#jane"}, {"@id": "#john"}])},
        {"@type": "Person", "@id": "#jane", "name": "JANE DOE"},
        {"@type": "Person", "@id": "#john", "name": "John Roe"},
    ]}
    assert extract_page(_page(ld=graph))["authors"] == ["Jane Doe", "John Roe"]


@pytest.mark.parametrize("account", ["admin", "wordpressadmin", "name", "human", "Example Wire"])
def test_cms_accounts_and_site_names_are_not_authors(account):
    result = extract_page(_page(head=f"<meta name='author' content='{account}'>"))
    assert result["authors"] == []


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("<p class='byline'>By Jane Doe and John Roe</p>", ["Jane Doe", "John Roe"]),
        ("<div class='article-author'>By Jane Doe, John Roe and Ann Poe | Updated March 3, "
         "2019</div>", ["Jane Doe", "John Roe", "Ann Poe"]),
        ("<p>Von Anna Müller und Jonas Weber</p>", ["Anna Müller", "Jonas Weber"]),
        ("<p>Par Claire Dubois et Marc Lefèvre</p>", ["Claire Dubois", "Marc Lefèvre"]),
        ("<p>Por Lucía Gómez y Andrés Ruiz</p>", ["Lucía Gómez", "Andrés Ruiz"]),
        ("<p>Autor: Tomasz Nowak</p>", ["Tomasz Nowak"]),
        ("<p>记者 张三</p>", ["张三"]),
        ("<p class='byline'>By ZHANG YAN in Hangzhou</p>", ["Zhang Yan"]),
        ("<p>By <a rel='author' href='/j'>Jane Doe</a>, Senior Correspondent</p>", ["Jane Doe"]),
        ("<span class='byline'>By Jane Doe (AFP)</span>", ["Jane Doe"]),
    ],
)
def test_byline_forms_in_pages(byline, names):
    result = extract_page(_page(byline=byline))
    assert result["authors"] == names
    assert not any(name in result["text"] for name in names)  # the byline left the body


def test_no_byline_no_author():
    """The related-story list names someone; the article names nobody: no author."""
    assert extract_page(_page())["authors"] == []


@pytest.mark.parametrize(
    "byline",
    ["<p class='author'>linksc Creating Search Engine API Message</p>",
     "<span class='author'>ich bin nicht da, um so zu sein, wie ihr es wollt</span>",
     "<span class='author'>Gesponserte Inhalte</span>"],
)
def test_a_phrase_or_label_in_a_byline_element_is_no_author(byline):
    assert extract_page(_page(byline=byline))["authors"] == []


def test_names_with_lower_case_particles_stay():
    assert extract_page(_page(byline="<p class='byline'>By Ludwig van Dam and Ahmed bin Ali</p>")
                        )["authors"] == ["Ludwig van Dam", "Ahmed bin Ali"]


def test_a_meta_author_repeating_the_tab_titles_site_part_is_the_site():
    page = _page(head="<meta name='author' content='Iberian Wines in Berlin - Vinos y Tapas'>")
    page = page.replace(b"Police tighten checks | Example Wire",
                        b"Police tighten checks - Iberian Wines in Berlin - Vinos y Tapas")
    assert extract_page(page)["authors"] == []
    # a person whose blog carries their name keeps the byline
    blog = _page(head="<meta name='author' content='Jane Doe'>").replace(
        b"Police tighten checks | Example Wire", b"Police tighten checks | Jane Doe")
    assert extract_page(blog)["authors"] == ["Jane Doe"]


def test_a_byline_named_by_its_test_id_with_generated_class_names():
    # a React site: class names are hashes; data-testid says what the element is
    byline = ("<div class='QHbl nkdH' data-testid='prism-byline'><span class='tChG'>By</span>"
              "<span><a class='zZyg' href='/about/newsteam/jr-stone'>J.R. Stone</a></span>"
              "<span>Thursday, November 9, 2023 7:35AM</span></div>")
    assert extract_page(_page(byline=byline))["authors"] == ["J.R. Stone"]


def test_scholarly_pages_credit_every_citation_author_and_no_theme_author():
    head = ("<meta name='author' content='NH. Shear, SP. Spielberg,'>"
            "<meta name='citation_author' content='Marwan H. Adwan'>"
            "<meta name='citation_author' content='Lina Haddad'>")
    assert extract_page(_page(head=head))["authors"] == ["Marwan H. Adwan", "Lina Haddad"]
    # Dublin Core, one dc.creator per author
    head = ("<meta name='dc.creator' content='Michael L. Anderson'>"
            "<meta name='dc.creator' content='Carlos Dobkin'>")
    assert extract_page(_page(head=head))["authors"] == ["Michael L. Anderson", "Carlos Dobkin"]


def test_wire_credits_at_the_foot_and_an_agency_byline():
    body = BODY + "<p>Reporting by Jane Doe; Editing by John Roe</p>"
    result = extract_page(_page(body=body))
    assert result["authors"] == ["Jane Doe"]
    assert "Reporting by" not in result["text"]
    result = extract_page(_page(byline="<p class='byline'>By Reuters</p>"))
    assert (result["authors"], result["agencies"]) == ([], ["Reuters"])
    # a credit naming an agency above the byline (far above: another block) hides no person
    filler = "".join(f"<span>{i}</span>" for i in range(50))
    byline = f"<span class='credit'>AFP</span>{filler}<p class='byline'>By Jane Doe</p>"
    result = extract_page(_page(byline=byline))
    assert result["authors"] == ["Jane Doe"]


def test_html_entities_in_json_ld_names_are_decoded():
    # CMS plugins escape names for HTML inside the JSON ("O&#039;Donnell")
    ld = _article({"@type": "Person", "name": "Lindsey O&#039;Donnell"})
    assert extract_page(_page(ld=ld))["authors"] == ["Lindsey O'Donnell"]
