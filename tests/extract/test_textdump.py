"""toolkit.extract.textdump: header and body of plain-text page dumps, furniture dropped.

Besides the seed, the dumps below are invented for these tests (fictional
outlets and people), each with a different kind of page furniture.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from toolkit.extract.textdump import (
    classify_paragraph,
    densest_run,
    is_prose,
    parse_text_dump,
    split_paragraphs,
)

COOKIES_AND_RELATED = "\n".join([
    'We use cookies to personalise content and ads and to analyse our traffic. By using '
    'this site you agree to our cookie policy.',
    'Accept all | Manage settings',
    'Harbour Ledger',
    'Home | World | Asia | Business | Tech | Opinion',
    'Interpol opens liaison desk for G20 security in Hangzhou',
    'By Priya Raman, Asia Correspondent',
    'March 30, 2016 6:45 PM',
    'Share on Facebook',
    'Share on Twitter',
    'Interpol will station a team of analysts in Hangzhou for the G20 summit, the '
    'organisation said on Wednesday, joining police from member countries who have been '
    'asked by China to share intelligence on possible threats.',
    "The team will check travellers against Interpol's databases of stolen passports and "
    'wanted persons, a spokeswoman said. Chinese officials have warned that stolen '
    'Syrian and Iraqi passports could be used to enter the country.',
    '"Information is only useful if it reaches the officer at the border in time," said '
    "Rafael Montoya, who leads the organisation's counter-terrorism unit. He said the "
    'arrangement was modelled on support given to earlier summits.',
    "China's Ministry of Public Security welcomed the offer. It has asked police liaison "
    'officers in Beijing to provide risk assessments before the summit opens in '
    'September.',
    'Related:',
    '- China seeks help to secure G20 summit',
    '- Hangzhou hotels prepare for summit guests',
    '- Who is coming to the Hangzhou G20?',
    'Most Popular',
    'Markets slip as oil prices fall',
    'Typhoon warning for southern coast',
    '© 2016 Harbour Ledger Media. All rights reserved.',
    'Privacy | Terms | Contact',
]) + "\n"

WRAPPED_WITH_COMMENTS = "\n".join([
    'Skip to main content',
    '',
    'Menu   Search',
    '',
    'THE NORTHERN STANDARD',
    '',
    'Volunteers learn first aid and foreign phrases before summit',
    '',
    'Written by Tomas Eriksen',
    'Posted on 26 August 2016',
    '',
    'Thousands of university students in Hangzhou have spent their summer',
    'learning first aid, basic English and Japanese phrases and the layout of',
    "the city's metro, as organisers prepare a volunteer force for the G20",
    'summit.',
    '',
    'The volunteers will staff information points at railway stations, hotels',
    'and the conference centre, said Lin Qiao, a coordinator at Zhejiang',
    'University, where many of them study. "They will be the first people many',
    'visitors meet," she said.',
    '',
    'Each volunteer has also been told how to report unattended bags and',
    'suspicious behaviour to the police, who have asked residents to be patient',
    'with security checks during the summit week.',
    '',
    'Advertisement',
    '',
    '3 comments',
    '',
    'greenwave88: Great initiative, my cousin is one of the volunteers and she',
    'loves it so far, although the training days are very long and very hot.',
    '',
    'tourist_kate: Will they speak German too? I am travelling there next month',
    'and hope that the metro is not too crowded during the summit days.',
    '',
    'Most popular',
    '- Metro adds late trains',
    '- West Lake boats suspended',
]) + "\n"

GERMAN_DUMP = "\n".join([
    'Startseite > Politik > Ausland',
    'Chinas Polizei bittet um Hilfe beim G20-Gipfel',
    'Von Anna Müller und Jonas Weber',
    'Veröffentlicht am 7. April 2016, 10:12 Uhr',
    'Teilen | Twittern | E-Mail',
    'China bittet die Polizei anderer Staaten um Unterstützung, damit der G20-Gipfel in '
    'Hangzhou im September sicher verläuft. Das teilte das Ministerium für Öffentliche '
    'Sicherheit am Mittwoch mit.',
    'Die Verbindungsbeamten der Teilnehmerstaaten sollen Listen mit Namen von '
    'Terrorverdächtigen und Einschätzungen möglicher Gefahren liefern, heißt es aus dem '
    'Ministerium.',
    'Auch ein deutscher Verbindungsbeamter nahm an dem Treffen in Hangzhou teil. Der '
    'Schutz der Staats- und Regierungschefs habe bei solchen Konferenzen oberste '
    'Priorität, sagte er.',
    'Mehr zum Thema',
    '- Hangzhou rüstet sich für den Gipfel',
    '- Was der G20-Gipfel leisten kann',
    'Weitere Artikel',
    'Copyright © 2016 Rheinische Abendpost. Alle Rechte vorbehalten.',
]) + "\n"

NO_HEADER = "\n".join([
    'Skip to content',
    'Menu',
    'Search',
    'Police drill at West Lake draws crowds of onlookers',
    'Hundreds of residents gathered on the shore of West Lake on Friday evening to watch '
    'police boats rehearse the evacuation of a tourist ferry, one of several exercises '
    'held before the summit.',
    'Officers in orange life jackets pulled volunteers playing passengers from the water '
    'while a helicopter circled overhead, and an announcer explained each step to the '
    'crowd.',
    'Back to top',
]) + "\n"

NAVIGATION_ONLY = "\n".join([
    'Home | News | Sport | Weather',
    'Login | Register',
    '- Latest headlines',
    '- Most read',
    '- Video',
    'About us | Contact | Privacy policy',
    '© 2016 Example Media',
]) + "\n"


def test_seed_dump_gives_the_expected_article(seed_path, seed_expected):
    result = parse_text_dump(seed_path.read_text("utf-8"))
    assert result["title"] == seed_expected["title"]
    assert result["date"] == datetime.fromisoformat(seed_expected["datetime"])
    assert result["date_source"] == "header"
    assert result["authors"] == seed_expected["authors"]
    assert result["sitename"] == seed_expected["sitename"]
    assert result["status"] == "ok"
    assert result["language"] == "en"
    lines = result["text"].split("\n")
    optional = set(seed_expected["optional_lines"])
    assert [line for line in lines if line not in optional] == seed_expected["body_paragraphs"]
    for furniture in seed_expected["body_must_not_contain"]:
        assert furniture not in result["text"]


def test_cookie_notice_related_list_and_footer_are_dropped():
    result = parse_text_dump(COOKIES_AND_RELATED)
    assert result["title"] == "Interpol opens liaison desk for G20 security in Hangzhou"
    assert result["authors"] == ["Priya Raman"]
    assert result["date"] == datetime(2016, 3, 30, 18, 45)
    assert result["sitename"] == "Harbour Ledger Media"
    lines = result["text"].split("\n")
    assert len(lines) == 4
    assert lines[0].startswith("Interpol will station a team")
    assert lines[-1].startswith("China's Ministry of Public Security welcomed")
    for furniture in ("cookies", "Share on", "Related", "Most Popular", "©", "Markets slip"):
        assert furniture not in result["text"]


def test_hard_wrapped_dump_with_comments():
    result = parse_text_dump(WRAPPED_WITH_COMMENTS)
    assert result["title"] == "Volunteers learn first aid and foreign phrases before summit"
    assert result["authors"] == ["Tomas Eriksen"]
    assert result["date"] == datetime(2016, 8, 26)
    paragraphs = result["text"].split("\n")
    assert len(paragraphs) == 3  # wrapped lines joined into paragraphs
    assert paragraphs[0].startswith("Thousands of university students in Hangzhou have spent")
    assert paragraphs[0].endswith("prepare a volunteer force for the G20 summit.")
    for furniture in ("Advertisement", "comments", "greenwave88", "tourist_kate", "Metro adds"):
        assert furniture not in result["text"]


def test_german_dump():
    result = parse_text_dump(GERMAN_DUMP)
    assert result["title"] == "Chinas Polizei bittet um Hilfe beim G20-Gipfel"
    assert result["authors"] == ["Anna Müller", "Jonas Weber"]
    assert result["date"] == datetime(2016, 4, 7, 10, 12)
    assert result["language"] == "de"
    assert result["sitename"] == "Rheinische Abendpost"
    assert len(result["text"].split("\n")) == 3
    for furniture in ("Startseite", "Teilen", "Mehr zum Thema", "Weitere Artikel", "Copyright"):
        assert furniture not in result["text"]


def test_dump_without_dateline_or_byline():
    result = parse_text_dump(NO_HEADER)
    assert result["title"] == "Police drill at West Lake draws crowds of onlookers"
    assert result["date"] is None and result["date_source"] is None
    assert result["authors"] == []
    assert result["text"].split("\n")[0].startswith("Hundreds of residents gathered")
    assert "Back to top" not in result["text"] and "Skip to content" not in result["text"]


def test_navigation_only_dump_is_empty():
    result = parse_text_dump(NAVIGATION_ONLY)
    assert result["status"] == "empty"
    assert result["text"] == ""
    assert result["error"]


def test_empty_dump():
    assert parse_text_dump("")["status"] == "empty"
    assert parse_text_dump("\n \n")["status"] == "empty"


def test_split_paragraphs_one_per_line_unless_wrapped():
    assert split_paragraphs("a b c\n\nd e f\n") == ["a b c", "d e f"]
    wrapped = "First line of a para\ncontinues here\n\nSecond para starts\nand ends here"
    assert split_paragraphs(wrapped) == [
        "First line of a para continues here",
        "Second para starts and ends here",
    ]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Hangzhou will be the host city for this year's G20 summit, officials said on Monday.",
         "good"),
        ("- Nation to pave way for change in G20, foreign minister says", "bad"),
        ("Anti-graft campaign targets poverty relief |", "bad"),
        ("|||||||||", "bad"),
        ("Most Viewed", "bad"),
        ("We use cookies to improve your experience on our website and for advertising.", "bad"),
        ("Marriott unlikely to top Anbang offer for Starwood: Observers", "short"),
        ("Security Measures In Hangzhou Ahead Of The Summit Of Twenty Leading Economies Now",
         "near"),
    ],
)
def test_classify_paragraph(text, label):
    stopwords = frozenset("the a an of for to in on and is was this that will be said".split())
    assert classify_paragraph(text, stopwords) == label


def test_is_prose():
    assert is_prose("Police said on Friday that the drill had gone as planned, and thanked all.")
    assert not is_prose("- Metro adds late trains")
    assert not is_prose("Home | News | Sport")


def test_densest_run_skips_furniture_around_the_body():
    from toolkit.extract.textdump import Paragraph

    labels = ["short", "bad", "good", "short", "good", "good", "bad", "bad", "good"]
    sizes = [3, 5, 40, 4, 30, 25, 8, 8, 12]
    pairs = enumerate(zip(sizes, labels, strict=True))
    paragraphs = [Paragraph(i, "x", n, lab) for i, (n, lab) in pairs]
    assert densest_run(paragraphs) == (2, 6)
    assert densest_run([Paragraph(0, "x", 3, "bad")]) == (0, 0)


def test_standfirst_before_the_byline_and_subheadings_in_the_body():
    dump = "\n".join([
        "Menu | Search",
        "Summit week begins under tight security",
        "Roads around the conference centre close today as delegations arrive in the city.",
        "By Ana Costa",
        "4 September 2016",
        "The first delegations landed in Hangzhou on Saturday, greeted by volunteers and a "
        "heavy police presence at the airport and along the roads into the city.",
        "Road closures",
        "Several roads around the conference centre will stay closed until Tuesday, the "
        "traffic police said, and residents have been asked to use the metro instead.",
        "© 2016 Coastal Times",
    ])
    result = parse_text_dump(dump)
    assert result["title"] == "Summit week begins under tight security"
    assert result["authors"] == ["Ana Costa"]
    assert result["date"] == datetime(2016, 9, 4)
    lines = result["text"].split("\n")
    assert lines[0].startswith("Roads around the conference centre close today")
    assert "Road closures" in lines  # a subheading inside the body stays
    assert "By Ana Costa" not in lines and "4 September 2016" not in lines


def test_subheading_is_not_taken_for_the_title():
    dump = "\n".join([
        "Police drill at West Lake draws crowds",
        "Hundreds of residents gathered on the shore of West Lake on Friday evening to "
        "watch police boats rehearse the evacuation of a tourist ferry.",
        "A busy evening",
        "Officers pulled volunteers playing passengers from the water while a helicopter "
        "circled overhead, and an announcer explained each step to the crowd.",
    ])
    assert parse_text_dump(dump)["title"] == "Police drill at West Lake draws crowds"
