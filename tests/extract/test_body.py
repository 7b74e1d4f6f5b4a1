"""toolkit.extract.body and .furniture: the article body, not the page around it."""

from __future__ import annotations

import json

from toolkit.extract.body import choose_body, is_thin, json_ld_body, page_evidence
from toolkit.extract.furniture import clean_body, drop_credit_lines, is_furniture
from toolkit.extract.page import _load_tree, extract_page

STORY = [
    "Police in Hangzhou tightened security checks at railway stations and hotels on Monday, "
    "asking residents to carry identity papers during the summit week.",
    "Liaison officers from several countries met their Chinese counterparts to share "
    "assessments of possible threats to the meeting, according to a statement.",
    "The measures will stay in place until the leaders have left the city, the bureau said, "
    "and traffic restrictions will be announced separately by the city government.",
]
CAPTION = ("Police officers patrol outside the conference centre in Hangzhou on Monday ahead of "
           "the summit. Photo: AP")


def test_headline_kicker_byline_and_furniture_lines_are_dropped():
    text = "\n".join(["World", "Police tighten checks before the summit",
                      "By Jane Doe and John Roe", "Updated: 2016-04-07 02:54", STORY[0],
                      "Advertisement", STORY[1], "Read more: Hangzhou prepares for the G20",
                      "Photo: Jane Doe/Reuters", STORY[2], "Sign up for our daily newsletter",
                      "Share this article"])
    cleaned = clean_body(text, titles=["Police tighten checks before the summit"])
    assert cleaned.text == "\n".join(STORY)
    assert cleaned.bylines == ["By Jane Doe and John Roe"]


def test_prose_that_mentions_furniture_words_stays():
    lines = ["The newsletter, which the police sign up residents for, will report every check "
             "made during the week, the bureau said.",
             "- Identity papers", "- Travel permits",
             "> Residents should carry papers at all times, the notice says."]
    assert clean_body("\n".join(lines)).text == "\n".join(lines)
    assert not is_furniture(lines[0])
    assert is_furniture("Lesen Sie auch: Hangzhou vor dem Gipfel")
    assert is_furniture("Publicité")


def test_a_widgets_status_messages_are_furniture():
    # what a newsletter or app-download box writes into the page around the story
    for line in ["Please wait...", "Loading…",
                 "This feature is temporarily unavailable. Please try again later.",
                 "Now check your email account on your mobile phone to download your new app."]:
        assert is_furniture(line), line
    # a cross-posting note ends many blog posts
    assert is_furniture("Originally published at www.example.com on November 18, 2011. Help "
                        "the word out. Recommend this article to your friends.")
    assert is_furniture("This article originally appeared on The Example Review.")
    assert not is_furniture("The report, originally published in 2011 by the bureau, found that "
                            "checks at stations had doubled since the previous summit.")
    prose = ("The booking system was temporarily unavailable for most of Monday, and the bureau "
             "asked residents to try again later in the week while engineers repaired it.")
    assert not is_furniture(prose)


def test_video_player_labels_gallery_slides_and_empty_table_rows_are_dropped():
    # what a page with a video.js player and a 4-slide gallery set into the story extracts to
    text = "\n".join([
        STORY[0], "Play Video", "Current Time 0:00", "Duration Time 0:00", "Loaded: 0%",
        "Remaining Time -0:00", "- descriptions off, selected", "- subtitles off, selected",
        "This is a modal window. This modal can be closed by pressing the Escape key.",
        "Fullscreen", STORY[1], "|  |  |  |", "Summit city in pictures",
        "- 1/4 Lanterns on West Lake Residents hang lanterns before the summit.",
        "- 2/4 Checkpoints Police check cars entering the city centre.",
        "- 3/4 Volunteers Students train as guides for the delegations.",
        "- 4/4 Skyline The new conference centre at dusk.",
        "- Previous", "- Next", "Tags: G20, Hangzhou, security",
        "\u2014 Hangzhou Police (@hzpolice) September 1, 2016", STORY[2],
    ])
    assert clean_body(text).text == "\n".join(STORY)


def test_numbered_lines_of_the_story_are_not_a_gallery():
    # two "k/N" lines are a story's own numbering; a fraction in prose is prose
    lines = ["1/2 The first of two measures closes the roads near the venue.",
             "2/2 The second asks residents to stay at home on the opening day.",
             "Turnout was 3/4 of the registered voters, the bureau said.", STORY[0]]
    assert clean_body("\n".join(lines)).text == "\n".join(lines)
    assert not is_furniture("Close the windows facing the venue, the notice says.")

def test_headline_not_repeated_in_extracted_text():
    page = ("<html><head><title>Police tighten checks before the summit | Example Wire</title>"
            "</head><body><article><h1>Police tighten checks before the summit</h1>"
            + "".join(f"<p>{p}</p>" for p in STORY) + "</article></body></html>").encode()
    result = extract_page(page)
    assert result["title"] == "Police tighten checks before the summit"
    assert not result["text"].startswith("Police tighten checks")
    assert result["text"].startswith(STORY[0])




def test_prompts_and_notices_are_dropped_however_long():
    notices = [
        "Follow The Hangzhou Herald on Twitter and Instagram @hzherald and on Facebook for "
        "the latest updates from the summit city.",
        "For the latest stories and breaking news updates download the Herald app from the "
        "App Store or Google Play.",
        "Sign up to get the best reporting of the week, and great offers, as picked by our "
        "editors, delivered to your inbox.",
        "This article is the copyrighted property of The Hangzhou Herald. Written permission "
        "must be obtained before reprint in online or print media.",
        "We ask that comments are civil and free of libellous or hateful material, and that "
        "they stay on the subject of the article.",
        "Submit your letter to the editor via this form, or write to us at the address below.",
        "Crédits photos : Bestimage",
    ]
    text = "\n".join([STORY[0], *notices[:3], STORY[1], *notices[3:], STORY[2]])
    assert clean_body(text).text == "\n".join(STORY)
    # the same words inside the story's own sentences stay
    prose = ("Residents who follow the police on Twitter were told to sign up for alerts, "
             "and the bureau said comments are moderated on its page.")
    assert clean_body(prose).text == prose
    lawsuit = ("Copyright infringement suits against the city's broadcasters rose sharply "
               "last year, the court said.")
    assert not is_furniture(lawsuit)


def test_copyright_notices_and_disguised_ads_are_dropped():
    notices = ["\u00a9 2022, Example.com. This article is the copyrighted property of Example "
               "News. Written permission must be obtained before reprint in online or print "
               "media. REPRINTING CONTENT WITHOUT PERMISSION IS THEFT AND PUNISHABLE BY LAW.",
               # Cyrillic look-alike letters in English words: an ad dodging spam filters
               "Y\u043eur \u0441\u043ent\u0435nt \u0456\u0455 d\u0435l\u0456v\u0435r\u0435d "
               "\u0456n\u0455t\u0430ntl\u0443 t\u043e th\u043eu\u0455\u0430nd\u0455 of users."]
    text = "\n".join([STORY[0], STORY[1], STORY[2], *notices])
    assert clean_body(text).text == "\n".join(STORY)
    russian = ("\u041f\u0440\u0435\u0437\u0438\u0434\u0435\u043d\u0442 met Xi Jinping "
               "in Moscow on Monday, the Kremlin said.")
    assert not is_furniture(russian)


def test_teasers_for_other_stories_set_into_the_body_are_dropped():
    # (the first lines are the headline's, byline's and dateline's to judge)
    text = "\n".join([
        *STORY, *STORY, "Hackers offer the city a discount and promise to spare businesses",
        "Jueves 21 abril, 2022", STORY[1], "Police drill for the summit week in Hangzhou",
        "Monday, August 22, 2016", STORY[2]])
    assert clean_body(text).text == "\n".join([*STORY, *STORY, STORY[1], STORY[2]])
    # a table of numbers and dates is not a run of teasers
    table = "\n".join([*STORY, *STORY, "Requests by status",
                       "2020-08-01 18:00:00 | 200 | 4084", "2020-08-01 18:00:00 | 404 | 0",
                       "2020-08-01 17:59:00 | 200 | 3927", *STORY, *STORY])
    assert clean_body(table).text == table

def _page(head: str, body: str) -> bytes:
    return (f"<html lang='en'><head>{head}</head><body>{body}"
            + "".join(f"<p>{p}</p>" for p in STORY) + "</body></html>").encode()


def test_a_heading_opening_the_body_is_the_headline_when_the_title_is_the_site():
    # the tab title names only the site; the story's headline is an <h2> above the text
    page = _page("<title>Hangzhou Transit Authority - </title>",
                 "<nav><a href='/'>Home</a></nav><main><h2>Summit week road closures and "
                 "detours</h2>")
    result = extract_page(page, url="https://transit.example/closures")
    assert result["title"] == "Summit week road closures and detours"
    assert result["text"].split("\n")[0] == STORY[0]


def test_a_heading_restating_the_title_opens_no_body_and_becomes_the_title():
    # og:title is the short social headline; the page shows the long one as an <h2>
    head = ("<title>Police tighten checks | Example Wire</title>"
            "<meta property='og:title' content='Police tighten checks'>")
    page = _page(head, "<h1>Police tighten checks</h1><article><h2>Police tighten checks "
                       "at stations and hotels before the summit</h2>")
    result = extract_page(page, url="https://wire.example/checks")
    assert result["title"] == "Police tighten checks at stations and hotels before the summit"
    assert result["text"].split("\n")[0] == STORY[0]


def test_a_subhead_opening_the_body_stays_and_the_title_is_kept():
    head = "<title>Police tighten checks before the summit | Example Wire</title>"
    page = _page(head, "<h1>Police tighten checks before the summit</h1><article>"
                       "<h2>What residents need to know</h2>")
    result = extract_page(page, url="https://wire.example/checks")
    assert result["title"] == "Police tighten checks before the summit"
    assert "What residents need to know" in result["text"]


def test_a_standfirst_under_the_headline_stays_in_the_body_and_is_no_title():
    # the <h2> under the <h1> retells the headline as a sentence: it is the story's first line
    headline = "'Security First': Hangzhou Police Ask 'Who Is Still Without Papers?'"
    standfirst = ("Security comes first, Hangzhou police said on Monday, asking residents "
                  "who is still without identity papers.")
    page = _page(f"<title>{headline} | Example Wire</title>",
                 f"<div class='headline-box'><h1>{headline}</h1></div>"
                 f"<div class='entry-content'><h2>{standfirst}</h2>")
    result = extract_page(page, url="https://wire.example/papers")
    assert result["title"] == headline
    assert result["text"].split("\n")[0] == standfirst
    # an <h2> set above the <h1> is the headline the page shows (the <h1> a short label)
    shown = "Hangzhou police ask every resident to carry identity papers during the summit"
    page = _page("<title>Police ask for papers | Example Wire</title>",
                 f"<article><h2>{shown}</h2><h1>Police ask for papers</h1>")
    result = extract_page(page, url="https://wire.example/papers")
    assert result["title"] == shown
    assert shown not in result["text"]


def test_a_heading_holding_part_of_the_title_does_not_cut_the_title():
    title = "The Summit Diary: Hangzhou Gets Ready"
    page = _page(f"<title>{title} — Example Blogs</title>"
                 f"<meta property='og:title' content='{title}'>",
                 "<article><h2>Summit Diary:</h2><p>Hangzhou Gets Ready</p>")
    result = extract_page(page, url="https://blogs.example/diary")
    assert result["title"] == title


def test_the_tab_title_and_a_headline_run_into_the_first_paragraph_are_dropped():
    text = "\n".join(["Summit checks - City News - The Example Daily", "Toggle navigation",
                      "Hangzhou tightens checks before the summit! " + STORY[0], STORY[1]])
    cleaned = clean_body(text, titles=["Hangzhou tightens checks before the summit!",
                                       "Summit checks - City News - The Example Daily"])
    assert cleaned.text == "\n".join(STORY[:2])
    # a lede that begins with the headline's words is the story
    lede = "Police tighten checks before the summit after a bomb threat, officials said."
    assert clean_body(lede, titles=["Police tighten checks before the summit"]).text == lede

def _caption_page(*, article_body: str | None = None, hidden_story: bool = False) -> bytes:
    ld = {"@context": "https://schema.org", "@type": "NewsArticle",
          "headline": "Police tighten checks"}
    if article_body:
        ld["articleBody"] = article_body
    story = "".join(f"<p>{p} {p}</p>" for p in STORY * 3)
    # the story sits in a block trafilatura's balanced settings pass over (a paywall box
    # marked as a teaser), while the figure caption looks like the article
    hidden = f"<div class='paywall teaser-overlay'>{story}</div>" if hidden_story else ""
    return (
        "<html><head><title>Police tighten checks | Example Wire</title>"
        f"<script type='application/ld+json'>{json.dumps(ld)}</script></head><body>"
        "<article><h1>Police tighten checks</h1>"
        f"<figure><img src='a.jpg'><figcaption><p>{CAPTION}</p></figcaption></figure>"
        f"{hidden}</article></body></html>"
    ).encode()


def test_caption_only_extraction_becomes_the_full_text():
    body = "\n".join(STORY * 4)
    result = extract_page(_caption_page(article_body=body))
    assert result["status"] == "ok"
    assert STORY[1] in result["text"] and len(result["text"].split()) > 100


def test_caption_only_extraction_is_thin_when_nothing_rescues_it():
    """Every candidate gives the caption (as on a page whose story the extractors cannot
    reach) while the page holds a long article: the body is marked thin."""
    story = "".join(f"<p>{p} {p}</p>" for p in STORY * 3)
    tree = _load_tree(f"<html><body><h1>Police tighten checks</h1><p>{CAPTION}</p>"
                      f"<div>{story}</div></body></html>")
    body = choose_body(CAPTION, tree=tree, json_ld=[], recall=lambda: CAPTION,
                       readability=lambda: CAPTION)
    assert body.thin and body.evidence > 300 and body.text == CAPTION
    # the same page through the real readability-lxml: the story is found
    rescued = choose_body(CAPTION, tree=tree, json_ld=[], recall=lambda: CAPTION)
    assert not rescued.thin and rescued.source == "readability"
    assert STORY[2] in rescued.text


def test_thin_needs_evidence_of_a_longer_article():
    tree = _load_tree("<html><body><p>" + "</p><p>".join(STORY * 4) + "</p>"
                      "<div class='comments'><p>" + "</p><p>".join(STORY * 9) + "</p></div>"
                      "</body></html>")
    evidence = page_evidence(tree)
    assert 150 < evidence < 400  # the comment thread is not evidence of an article
    assert is_thin(CAPTION, evidence) and not is_thin("\n".join(STORY * 4), evidence)
    short = _load_tree("<html><body><p>" + STORY[0] + "</p></body></html>")
    assert not is_thin(CAPTION, page_evidence(short))  # a short page: a short text is right
    # an inline script inside a paragraph, and teasers in other blocks, are not article text
    script = "<script>var tracking = '" + "x " * 900 + "';</script>"
    scattered = _load_tree("<html><body>" + "".join(
        f"<div class='card'><p>{p}{script}</p></div>" for p in STORY * 4) + "</body></html>")
    assert page_evidence(scattered) < 40


def test_thin_rows_are_left_out_of_the_analyses():
    import pandas as pd

    from toolkit.schema import STATUSES, usable_articles

    assert "thin" in STATUSES
    frame = pd.DataFrame({"article_id": ["a", "b"], "text": ["full story", "a caption"],
                          "status": ["ok", "thin"]})
    assert usable_articles(frame)["article_id"].tolist() == ["a"]


def test_lines_crediting_only_the_authors_leave_the_edges_of_the_body():
    text = "\n".join(["Richard (R.J.) Eskow",
                      "Jane Doe jane.doe@example.com | Friday 22 April, 2022", *STORY,
                      "Jane Doe contributed reporting.", "Jane Doe <jane@example.com>"])
    kept = drop_credit_lines(text, ["Richard (R.J.) Eskow", "Jane Doe"])
    assert kept.split("\n") == [*STORY, "Jane Doe contributed reporting."]
    # another person's name, or a name in the middle of the story, stays
    other = "\n".join(["John Roe", *STORY])
    assert drop_credit_lines(other, ["Jane Doe"]) == other
    middle = "\n".join([*STORY * 3, "Jane Doe", *STORY * 3])
    assert drop_credit_lines(middle, ["Jane Doe"]) == middle


def test_an_article_body_holding_escaped_html_is_read_as_text():
    # a CMS put the body's markup, escaped, into JSON-LD: its tags are no words of the story
    escaped = ("&lt;p&gt;Police in Hangzhou &amp;amp; the bureau said &amp;quot;no&amp;quot;."
               "&lt;/p&gt;\n&lt;h2&gt;Roads&lt;/h2&gt;&lt;p&gt;Closed until Monday.&lt;/p&gt;")
    objects = [{"@type": "NewsArticle", "articleBody": escaped}]
    assert json_ld_body(objects) == ('Police in Hangzhou & the bureau said "no".\nRoads\n'
                                     "Closed until Monday.")
    assert json_ld_body([{"@type": "NewsArticle", "articleBody": "Plain text, 3 < 4."}]) == (
        "Plain text, 3 < 4.")


def test_a_place_dateline_standing_alone_above_the_story_is_dropped():
    text = "\n".join(["WASHINGTON —", *STORY])
    assert clean_body(text).text == "\n".join(STORY)
    assert clean_body("\n".join(["BEIJING (Reuters) -", *STORY])).text == "\n".join(STORY)
    # run into the first paragraph, it is the story's own words
    opening = "WASHINGTON — " + STORY[0]
    assert clean_body("\n".join([opening, *STORY[1:]])).text.split("\n")[0] == opening
    assert is_furniture("- From the section US & Canada")


def test_a_section_label_separators_and_continue_lines_leave_the_body():
    text = "\n".join(["WORLD", STORY[0], "Story continues below advertisement", STORY[1],
                      "Continue reading the main story", "___", "* * *", STORY[2]])
    assert clean_body(text).text == "\n".join(STORY)
    # a capitalised word in the story's own lines stays
    lines = [STORY[0], "NATO", STORY[1]]
    assert clean_body("\n".join(lines)).text == "\n".join(lines)


def test_follow_pointer_and_cross_posting_lines_in_the_corpus_languages():
    for line in ["Lea también: Los candidatos debaten en Medellín", "Síguenos en Twitter",
                 "ZOBACZ TAKŻE:", "Folgen Sie uns auf Twitter", "Weiterlesen", "Seguir leyendo",
                 "Dieser Artikel erschien zuerst in der Zeit.",
                 "Cet article a été publié initialement sur The Conversation.",
                 "Este artículo fue publicado originalmente en El País."]:
        assert is_furniture(line), line
    assert not is_furniture("Lea también los informes de la policía, dijo el portavoz, porque "
                            "explican por qué se cerraron las estaciones durante la cumbre.")


def test_comment_forms_picture_credits_and_chinese_reprint_notices_are_furniture():
    for line in ["Post a Comment", "Leave a Reply", "Caractères restants:",
                 "500 characters remaining", "Symbolgrafik:© Jane Doe - stock.adobe.com",
                 "精彩视频推荐",
                 "【本文中文相关权益归本网站独家所有。未经授权，不得转载、摘编等。】"]:
        assert is_furniture(line), line
    # a quotation in a Chinese story is prose
    quote = "他说：“这是一个政治问题，也是一个文化方面的问题，但不是一个科学上的问题。”"
    assert not is_furniture(quote)
