"""The standfirst an extractor left above the article body.

News pages set the story's first paragraph apart: a lede, perex, standfirst or
excerpt in its own element between the headline and the article block
(``<div class="lead">``, ``<h2 class="article__excerpt">``,
``<div itemprop="description">``). trafilatura takes the article block and
leaves that element out, so the story loses its opening. ``find_lede`` looks
between the page's first ``<h1>`` and the element holding the body's first
line for a block of prose marked as the lede by its class, id or itemprop, or
restating the page's meta description, and not already in the body.
"""

from __future__ import annotations

import re

from toolkit.extract.blocks import BLOCK_TAGS, HIDDEN_TAGS, element_text, elements_after
from toolkit.extract.textdump import is_prose
from toolkit.extract.titles import MIN_SIMILARITY, similarity

#: Class, id or itemprop words naming a standfirst, in the corpus's languages
#: (perex: Czech/Slovak; sapo, chapo: French; entradilla, bajada, copete: Spanish;
#: occhiello: Italian; Vorspann, Anriss: German).
_LEDE_HINT = re.compile(
    r"(?<![a-z])(?:lead|lede|perex|excerpt|standfirst|dek|deck|summary|intro|subtitle|"
    r"subheadline|sub-headline|description|abstract|sapo|chapo|chapeau|entradilla|bajada|"
    r"copete|occhiello|vorspann|anriss)(?![a-z])",
    re.IGNORECASE,
)
#: Blocks about someone or something else: an author's bio, a caption, a teaser.
_OTHER_HINT = re.compile(
    r"author|byline|\bbio|profile|caption|credit|related|promo|newsletter|comment|teaser",
    re.IGNORECASE,
)
#: Parts of a lede that are no words of the story: its date, its byline.
_STAMP_HINT = re.compile(r"date|time|byline|author", re.IGNORECASE)
#: How many levels up an ``_OTHER_HINT`` rules a block out.
HINT_DEPTH = 4
_CANDIDATE_TAGS = frozenset({"p", "div", "h2", "h3", "span", "section"})
#: Where a lede never stands: captions, navigation, the page's margins.
_OUTSIDE_TAGS = frozenset({"figure", "figcaption", "nav", "aside", "footer", "form", "a"})
#: A lede holds this many words, in at most ``MAX_LEDE_LINES`` lines, and two
#: sentences or ``MIN_ONE_SENTENCE_WORDS`` words: a one-line dek (a subtitle
#: summing the story up) is the page's presentation, not the story's opening.
MIN_LEDE_WORDS = 20
MIN_ONE_SENTENCE_WORDS = 35
MAX_LEDE_LINES = 3
#: Share of the description's words a lede without a hint must repeat, and the
#: fewest distinct words a description needs to be compared at all.
MIN_DESCRIPTION_OVERLAP = 0.6
MIN_DESCRIPTION_WORDS = 10
#: The search stops this many elements after the ``<h1>`` (a lede is close to it).
MAX_ELEMENTS = 1500
#: A block's own text that starts the body's first line is where the body begins
#: (shorter texts match by chance).
MIN_ANCHOR_CHARS = 8
_WORD = re.compile(r"\w+")
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’»)]?\s+[\"'“‘«(]?[A-ZÀ-ÖØ-Þ0-9]")


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def _hints(element) -> str:
    return " ".join(element.get(a) or "" for a in ("class", "id", "itemprop"))


def _elsewhere(element) -> bool:
    """Whether a block stands in a caption, the margins, or a box about something else."""
    for depth, ancestor in enumerate(element.iterancestors()):
        if ancestor.tag in _OUTSIDE_TAGS:
            return True
        if depth < HINT_DEPTH and _OTHER_HINT.search(_hints(ancestor)):
            return True
    return _OTHER_HINT.search(_hints(element)) is not None


def _starts_body(element, first_line: str) -> bool:
    own = element.text
    if not own or len(own) < MIN_ANCHOR_CHARS:
        return False
    own = _norm(own)
    return len(own) >= MIN_ANCHOR_CHARS and first_line.startswith(own[:80])


def _lede_text(element) -> str | None:
    """The element's text when it reads as a standfirst: a few lines of prose, few links.

    A date or byline set inside it ("<span class=date>19.10.2019, 15:30 Uhr</span>Am
    8. Spieltag ...") is left out: the lede is the story's words.
    """
    text = element_text(element)
    for inner in element.iterdescendants():
        if isinstance(inner.tag, str) and (inner.tag == "time"
                                           or _STAMP_HINT.search(_hints(inner))):
            text = text.replace(" ".join(inner.text_content().split()), "", 1)
    text = "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())
    lines = text.split("\n")
    n_words = len(_WORD.findall(text))
    if not text or len(lines) > MAX_LEDE_LINES or n_words < MIN_LEDE_WORDS:
        return None
    if n_words < MIN_ONE_SENTENCE_WORDS and not _SENTENCE_BREAK.search(text):
        return None
    linked = sum(len(_WORD.findall(a.text_content())) for a in element.iter("a"))
    if linked > 0.3 * n_words or not any(is_prose(line) for line in lines):
        return None
    return text


def find_lede(tree, *, first_line: str, title: str | None,
              description: str | None = None) -> str | None:
    """Return the standfirst set apart above the body, when the body lacks it.

    Parameters
    ----------
    tree : lxml.html.HtmlElement
        The parsed page.
    first_line : str
        The extracted body's first line (where the article block starts).
    title : str or None
        The article's title: the search starts at the first ``<h1>`` saying it
        (a blog's name in an ``<h1>`` heads no story).
    description : str or None
        The page's meta or og description.

    Returns
    -------
    str or None
        The lede's text (one line per paragraph); None when no ``<h1>`` shows
        the title, when nothing between the ``<h1>`` and the body's first line is
        marked as a lede (class, id or itemprop such as ``lead``, ``perex``,
        ``excerpt``, ``standfirst``, ``description``) or repeats at least
        ``MIN_DESCRIPTION_OVERLAP`` of the description's words, when it is a
        one-sentence dek, an author's bio or a caption, and when it is the
        first line already.
    """
    first_line = _norm(first_line)
    h1 = next((h for h in tree.iter("h1")
               if title and similarity(_norm(h.text_content()), title) >= MIN_SIMILARITY), None)
    if h1 is None or not first_line:
        return None
    wanted = _words(description or "")
    if len(wanted) < MIN_DESCRIPTION_WORDS:
        wanted = set()
    found = None
    for seen, element in enumerate(elements_after(h1), start=1):
        if seen > MAX_ELEMENTS:
            return None
        if element.tag in HIDDEN_TAGS:
            continue
        if _starts_body(element, first_line):
            return found  # the lede counts only when the body's start is found below it
        if found is not None or element.tag not in _CANDIDATE_TAGS:
            continue
        hinted = _LEDE_HINT.search(_hints(element)) is not None
        if not hinted and not (wanted and element.tag in ("p", "h2", "div")
                               and not any(child.tag in BLOCK_TAGS for child in element)):
            continue
        words = _WORD.findall(element.text_content())
        if len(words) < MIN_LEDE_WORDS:
            continue  # cheap checks first: most blocks are short or unrelated
        if not hinted and len(wanted & {w.casefold() for w in words}) < (
                MIN_DESCRIPTION_OVERLAP * len(wanted)):
            continue
        text = _lede_text(element)
        if text is None or _elsewhere(element):
            continue
        if _norm(text).startswith(first_line[:80]):
            return None
        found = text
    return None


#: A lede whose words are this much in the body's opening lines is there already.
MAX_REPEATED_SHARE = 0.8
#: How many of the body's lines a lede is compared with.
OPENING_LINES = 3


def with_lede(text: str, lede: str | None) -> str:
    """Return the body with the lede on top, unless the body already says it.

    Parameters
    ----------
    text : str
        The body, one paragraph per line.
    lede : str or None
        From ``find_lede``.

    Returns
    -------
    str
        ``lede + "\\n" + text``; ``text`` alone when there is no lede, when it
        is in the body word for word, or when the body's first lines hold at
        least ``MAX_REPEATED_SHARE`` of its words (a teaser box repeating the
        first paragraph, cut short with "...").
    """
    if not lede:
        return text
    if _norm(lede) in _norm(text):
        return text
    words = _words(lede)
    opening = _words(" ".join(text.split("\n")[:OPENING_LINES]))
    if words and len(words & opening) >= MAX_REPEATED_SHARE * len(words):
        return text
    return f"{lede}\n{text}"
