"""toolkit.extract.bylines: bylines and author metadata to clean lists of names."""

from __future__ import annotations

import pytest

from toolkit.extract.bylines import (
    Byline,
    clean_authors,
    clean_credits,
    is_byline_line,
    parse_byline,
)


def test_seed_byline_gives_names_and_outlet():
    byline = parse_byline("By Zhang Yan in Beijing and Shi Xiaofeng in Hangzhou(China Daily)")
    assert byline.authors == ["Zhang Yan", "Shi Xiaofeng"]
    assert byline.outlet == "China Daily"


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("JANE DOE, Senior Correspondent", ["Jane Doe"]),
        ("Updated 3 March 2019 By John Smith | Staff Writer", ["John Smith"]),
        ("View all posts by Daniel Lemire", ["Daniel Lemire"]),
        ("Par Sébastien Farcis", ["Sébastien Farcis"]),
        ("Von Anna Müller und Jonas Weber", ["Anna Müller", "Jonas Weber"]),
        ("jane.doe@example.com", []),
        ("Staff", []),
        ("Our Foreign Staff", []),
        ("admin", []),
        ("April 28, 2019 at 6:01 am Updated April 29, 2019 at 3:33 pm", []),
        ("Jeffrey Gettleman; JEFFREY GETTLEMAN", ["Jeffrey Gettleman"]),
        ("by Lucas Nolan22 Dec 2016651", ["Lucas Nolan"]),
        ("Nathan Willis March", ["Nathan Willis"]),
        ("Ibtisam Mahdi, Ruwaida Kamal Amer", ["Ibtisam Mahdi", "Ruwaida Kamal Amer"]),
        ("Mei Lin Howard & Daniel Okafor", ["Mei Lin Howard", "Daniel Okafor"]),
        ("Martin Untersinger (avec Damien Leloup et Morgane Tual)",
         ["Martin Untersinger", "Damien Leloup", "Morgane Tual"]),
        ("Bradley M. Kuhn (http://ebb.org/bkuhn/)", ["Bradley M. Kuhn"]),
        ("By Brenda Goodman, MA", ["Brenda Goodman"]),
        ("Martin is a full-stack engineer who has worked as a pro", []),
        ("By SARAH O'CONNOR and JEAN-PAUL SMITH", ["Sarah O'Connor", "Jean-Paul Smith"]),
        ("Will Knight", ["Will Knight"]),
        ("", []),
    ],
)
def test_clean_authors(value, names):
    assert clean_authors(value) == names


def test_wire_agencies_go_to_their_own_list():
    assert clean_authors("JIJI") == []
    assert clean_credits("JIJI").agencies == ["JIJI"]
    credits = clean_credits("By Jane Doe and Reuters")
    assert (credits.authors, credits.agencies) == (["Jane Doe"], ["Reuters"])
    assert clean_credits("AFP/The Local", hostname="www.thelocal.se") == Byline([], None, ["AFP"])
    assert parse_byline("Par Anne Martin (AFP)").agencies == ["AFP"]
    # an agency after a spaced dash is credited, not dropped with the affiliation
    credits = clean_credits("By Jane Doe - Reuters")
    assert (credits.authors, credits.agencies) == (["Jane Doe"], ["Reuters"])


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("By Jane Doe, John Roe and Ann Poe", ["Jane Doe", "John Roe", "Ann Poe"]),
        ("Von Anna Müller und Jonas Weber", ["Anna Müller", "Jonas Weber"]),
        ("Par Claire Dubois et Marc Lefèvre", ["Claire Dubois", "Marc Lefèvre"]),
        ("Por Lucía Gómez y Andrés Ruiz", ["Lucía Gómez", "Andrés Ruiz"]),
        ("Autor: Tomasz Nowak", ["Tomasz Nowak"]),
        ("Autorin: Petra Schmidt", ["Petra Schmidt"]),
        ("记者 张三", ["张三"]),
        ("作者：肖春芳", ["肖春芳"]),
        ("By ZHANG YAN in Hangzhou", ["Zhang Yan"]),
        ("wordpressadmin", []),
        ("admin", []),
        ("name", []),
        ("human", []),
        ("@janedoe", []),
        ("jdoe", []),
        ("Updated", []),
        ("By Jane Doe | Updated March 3, 2019", ["Jane Doe"]),
        ("Jane Doe, Chief Political Correspondent", ["Jane Doe"]),
        ("By Dana Kahn, Senior Staff Technologist, Speech and Privacy Project", ["Dana Kahn"]),
        ("Posted by Ann Poe, Jim Roe, Eve Moe, and Kim C Lee", ["Ann Poe", "Jim Roe", "Eve Moe",
                                                               "Kim C Lee"]),
        ("Eingestellt von Weinlachgummi", ["Weinlachgummi"]),
        ("Publié par Claire Dubois", ["Claire Dubois"]),
        ("John Walk - 5 min read - 1,200 words", ["John Walk"]),
        ("10:00 CET, Tue 3 March", []),
        ("à", []),
        ("Casa Editorial El Tiempo", []),
        # after a spaced dash: the team, a date; a hyphenated name stays whole
        ("Posted by Ann Poe, Jim Roe and Kim C Lee - Chrome Safe Browsing team",
         ["Ann Poe", "Jim Roe", "Kim C Lee"]),
        ("By Tracy Clark-Flory – March 3, 2019", ["Tracy Clark-Flory"]),
        # a date after the name takes its preposition with it
        ("Written by Jane Doe on March 3, 2019", ["Jane Doe"]),
        # a wire story's credits: reporters are its authors, editors are not
        ("Reporting by Jane Doe and Jim Poe in Beijing; Editing by John Roe and Ann Lee",
         ["Jane Doe", "Jim Poe"]),
        ("Edited by John Roe", []),
        # a date's label ("Data:" in Polish) is no name; a name printed twice is one name
        ("- Data: 28-04-2021, 09:29", []),
        ("Hagen von Eitzen Hagen von Eitzen", ["Hagen von Eitzen"]),
        # counters beside a blog's byline ("posted in PIXNET, comments (42), views (23925)")
        ("史蒂文的家 發表在 痞客邦 PIXNET 留言 (42) 人氣( 23925 )", []),
    ],
)
def test_byline_forms(value, names):
    assert clean_authors(value) == names


@pytest.mark.parametrize(
    ("line", "is_byline"),
    [
        ("By Jane Doe and John Roe", True),
        ("Von Anna Müller", True),
        ("Par Claire Dubois", True),
        ("Por Lucía Gómez", True),
        ("Autor: Tomasz Nowak", True),
        ("记者 张三", True),
        ("By the end of the week the police had searched every hotel in the city centre.",
         False),
        ("Police said the checks went well.", False),
    ],
)
def test_byline_lines(line, is_byline):
    assert is_byline_line(line) is is_byline


def test_lists_and_outlet_credits():
    names = ["Zhang Yan", "zhang yan", "Shi Xiaofeng"]
    assert clean_authors(names) == ["Zhang Yan", "Shi Xiaofeng"]
    # the outlet credited beside people is dropped ...
    value = "By Mei Lin Howard and Daniel Okafor, The Pacific Courier"
    assert clean_authors(value) == ["Mei Lin Howard", "Daniel Okafor"]
    assert clean_authors("AFP/The Local", hostname="www.thelocal.se") == []
    assert clean_authors("Adam Aaronson PhillyVoice Staff", hostname="phillyvoice.com") == [
        "Adam Aaronson"
    ]
    # ... but a personal site named after its author keeps the name
    assert clean_authors("Haki Benita", hostname="hakibenita.com") == ["Haki Benita"]
    assert clean_authors("Daniel Lemire", hostname="lemire.me") == ["Daniel Lemire"]


def test_outlet_from_for_phrase():
    byline = parse_byline("Glen Owen and Brendan Carlin for The Mail On Sunday")
    assert byline.authors == ["Glen Owen", "Brendan Carlin"]
    assert byline.outlet == "The Mail On Sunday"
