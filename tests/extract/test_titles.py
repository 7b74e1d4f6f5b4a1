"""toolkit.extract.titles: the article's headline rather than the browser tab's title."""

from __future__ import annotations

import pytest

from toolkit.extract.titles import choose_sitename, choose_title, is_site_part, name_key, strip_site


@pytest.mark.parametrize(
    ("title", "sitename", "hostname", "expected"),
    [
        ("Cooperation sought to ensure safe G20 - Chinadaily.com.cn", "China Daily",
         "www.chinadaily.com.cn", "Cooperation sought to ensure safe G20"),
        ("Losing face: masks stolen | The Japan Times", None, "japantimes.co.jp",
         "Losing face: masks stolen"),
        ("BBC News - Obama admits gun laws frustrate him", "BBC News", "bbc.co.uk",
         "Obama admits gun laws frustrate him"),
        ("Headline here :: Example Wire", "Example Wire", None, "Headline here"),
        ("Spider-Man - Far From Home review - The Film Site", "The Film Site", "filmsite.example",
         "Spider-Man - Far From Home review"),
        ("Tories - Labour - Lib Dems: who won the debate?", "Daily Planet", "planet.example",
         "Tories - Labour - Lib Dems: who won the debate?"),
        ("National Rail Enquiries -", None, None, "National Rail Enquiries"),
        ("宇航员在太空中喝酒会怎么样？后果很严重 _探索者 _光明网", "光明网", "tech.gmw.cn",
         "宇航员在太空中喝酒会怎么样？后果很严重 _探索者"),
    ],
)
def test_strip_site(title, sitename, hostname, expected):
    assert strip_site(title, sitename=sitename, hostname=hostname) == expected


def test_site_parts():
    assert is_site_part("Chinadaily.com.cn", ("chinadaily",))
    assert is_site_part("Harper's Magazine", ("harpers",))
    assert not is_site_part("Harpers Ferry raid remembered in a new exhibition", ("harpers",))
    assert name_key("Harper's Magazine") == "harpersmagazine"


def test_visible_headline_preferred_when_it_says_the_same():
    # og:title rewritten for social media; the h1 is the article's headline
    assert choose_title(
        "Dead Skin Cells Might Actually Be A Good Thing",
        headlines=["Wait, are dead skin cells actually a good thing?"],
        sitename="HelloGiggles", hostname="hellogiggles.com",
    ) == "Wait, are dead skin cells actually a good thing?"
    # the page's logo and section names in h1 are ignored
    assert choose_title(
        "What are Leadership Styles? definition and meaning - Business Jargons",
        headlines=["Business Jargons A Business Encyclopedia", "Leadership Styles"],
        sitename="Business Jargons", hostname="businessjargons.com",
    ) == "Leadership Styles"
    assert choose_title(
        "Babies Who Eat Peanuts Early May Avoid Allergy",
        headlines=["Allergies Health Center"], hostname="webmd.com",
    ) == "Babies Who Eat Peanuts Early May Avoid Allergy"


def test_choose_title_keeps_the_extractors_spelling_of_the_same_headline():
    assert choose_title(
        "'Star Wars' Original Cuts Might Get Released",
        headlines=["‘Star Wars’ Original Cuts Might Get Released"],
    ) == "'Star Wars' Original Cuts Might Get Released"
    assert choose_title(
        "Cooperation sought to ensure safe G20 - Chinadaily.com.cn",
        headlines=["Cooperation sought to ensure safe G20"], sitename="China Daily",
        hostname="www.chinadaily.com.cn",
    ) == "Cooperation sought to ensure safe G20"


def test_choose_title_fallbacks():
    assert choose_title(None, headlines=["Only the h1"]) == "Only the h1"
    assert choose_title(None, title_tag="Tab title") == "Tab title"
    assert choose_title(None) is None


def test_choose_sitename():
    assert choose_sitename("Ehow", stated=["eHow"]) == "eHow"
    assert choose_sitename(None, stated=["@guardian"]) == "guardian"
    assert choose_sitename("Mozilla Hacks – the Web developer blog", stated=[],
                           hostname="hacks.mozilla.org") == "Mozilla Hacks"
    assert choose_sitename("The Guardian", stated=["the Guardian"]) == "the Guardian"
    assert choose_sitename(None) is None
