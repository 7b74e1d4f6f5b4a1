"""The article body: trafilatura's text, checked against the page, rescued when thin.

trafilatura (balanced settings, its own readability/justext comparison) gives
the body of most pages. What it misses is the page whose extraction is thin:
a photo caption, a dateline, nothing, while the page holds a long article
(an article block it did not recognise, a paywalled page whose text sits in
its JSON-LD ``articleBody``). ``is_thin`` compares the extraction with the
page's own evidence of an article (the words of its prose paragraphs, the
length of its ``articleBody``); a thin page is retried with the
recall-oriented candidates (trafilatura ``favor_recall``, readability-lxml,
the JSON-LD ``articleBody``) and the longest prose candidate wins. Those only
run on thin pages, so a normal page pays for one extraction.
"""

from __future__ import annotations

import copy
import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from toolkit.extract import jsonld
from toolkit.extract.blocks import element_text
from toolkit.extract.textdump import count_words, is_prose

logger = logging.getLogger(__name__)

#: A page whose prose paragraphs (or articleBody) hold at least this many words
#: has an article; an extraction with less than ``THIN_SHARE`` of them is thin.
MIN_ARTICLE_WORDS = 150
THIN_SHARE = 0.3
#: Paragraphs shorter than this are not counted as evidence (captions, teasers).
MIN_PARAGRAPH_WORDS = 12
#: A rescue candidate must hold at least this share of its words in prose lines.
MIN_PROSE_SHARE = 0.5

# the text a reader sees: inline scripts and styles inside paragraphs are not words
_VISIBLE_TEXT = etree.XPath(".//text()[not(ancestor::script) and not(ancestor::style)]")
_MARGIN_TAGS = frozenset({"aside", "footer", "nav", "form"})
_MARGIN_HINT = re.compile(r"comment|sidebar|related|footer|disqus|discussion", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def _words(text: str) -> int:
    return count_words(text)  # CJK characters count half a word: comparable across scripts


@dataclass(frozen=True)
class Body:
    """The chosen body and how it was chosen.

    Attributes
    ----------
    text : str
        Paragraphs joined by ``"\\n"``.
    source : str
        ``"trafilatura"``, ``"trafilatura-recall"``, ``"readability"`` or ``"json-ld"``.
    thin : bool
        True when the page holds much more article text than any candidate gave.
    evidence : int
        Words of article text the page holds (prose paragraphs, or its articleBody).
    """

    text: str
    source: str
    thin: bool
    evidence: int


def json_ld_body(objects: list[dict]) -> str:
    """The article's JSON-LD ``articleBody`` as paragraphs (markup removed), or ``""``."""
    body = jsonld.first_string(jsonld.article_objects(objects), "articleBody", "text")
    if not body:
        return ""
    # some CMSs put the body's HTML in, escaped ("&lt;p&gt;There are ..."): its tags are
    # no words, and the entities inside it are escaped twice
    if "&lt;" in body or "&#60;" in body:
        body = html.unescape(body)
    if "<" in body:
        body = html.unescape(_TAG.sub("\n", body))
    lines = (" ".join(line.split()) for line in body.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def page_evidence(tree, article_body: str = "") -> int:
    """Words of article text in the page: its longest block of paragraphs, or its articleBody.

    Parameters
    ----------
    tree : lxml.html.HtmlElement
        The parsed page.
    article_body : str
        The JSON-LD ``articleBody``, if any.

    Returns
    -------
    int
        The larger of the two counts. A block is the ``<p>`` children of one
        element (an article's paragraphs are siblings; teasers and comments
        elsewhere are not added to them); paragraphs under
        ``MIN_PARAGRAPH_WORDS`` words, and those in comments, asides, footers
        and navigation, do not count.
    """
    blocks: dict = {}
    for element in tree.iter("p"):
        n = _words(" ".join(_VISIBLE_TEXT(element)))
        if n >= MIN_PARAGRAPH_WORDS and not _aside(element):
            parent = element.getparent()
            blocks[parent] = blocks.get(parent, 0) + n
    return max(max(blocks.values(), default=0), _words(article_body))


def _aside(element) -> bool:
    """Whether a paragraph stands in a page's margins: comments, asides, footers, navigation."""
    for ancestor in element.iterancestors():
        if ancestor.tag in _MARGIN_TAGS:
            return True
        hints = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"
        if _MARGIN_HINT.search(hints):
            return True
    return False


def is_thin(text: str, evidence: int) -> bool:
    """Whether ``text`` is implausibly short for a page holding ``evidence`` words of article."""
    return evidence >= MIN_ARTICLE_WORDS and _words(text) < THIN_SHARE * evidence


def readability_text(tree, url: str | None = None) -> str:
    """readability-lxml's article of ``tree`` (a copy is given to it), one line per block."""
    from lxml import html as lxml_html
    from readability import Document

    try:
        summary = Document(copy.deepcopy(tree), url=url).summary(html_partial=True)
    except Exception as exc:  # readability gives up on some pages: no candidate
        logger.debug("readability-lxml failed: %s", exc)
        return ""
    if not summary or not summary.strip():
        return ""
    return element_text(lxml_html.fromstring(summary))


def _prose_share(text: str) -> float:
    total = prose = 0
    for line in text.split("\n"):
        n = _words(line)
        total += n
        if is_prose(line):
            prose += n
    return prose / total if total else 0.0


def choose_body(
    text: str,
    *,
    tree,
    json_ld: list[dict],
    recall: Callable[[], str],
    url: str | None = None,
    readability: Callable[[], str] | None = None,
) -> Body:
    """Return trafilatura's ``text``, or a rescue candidate when it is thin.

    Parameters
    ----------
    text : str
        trafilatura's text (balanced settings).
    tree : lxml.html.HtmlElement
        The parsed page (not modified).
    json_ld : list of dict
        The page's JSON-LD objects.
    recall : callable
        Runs trafilatura with ``favor_recall`` and returns its text (only
        called for thin pages).
    url : str or None
        The page URL, for readability-lxml's links.
    readability : callable or None
        Returns readability-lxml's text (only called for thin pages); None
        runs ``readability_text`` on ``tree``.

    Returns
    -------
    Body
    """
    if _words(text) >= MIN_ARTICLE_WORDS * 2:
        return Body(text, "trafilatura", False, 0)  # long enough for any page: no check
    article_body = json_ld_body(json_ld)
    evidence = page_evidence(tree, article_body)
    if not is_thin(text, evidence):
        return Body(text, "trafilatura", False, evidence)
    if readability is None:
        def readability() -> str:
            return readability_text(tree, url)

    candidates = [("trafilatura-recall", recall()), ("readability", readability()),
                  ("json-ld", article_body)]
    best_source, best = "trafilatura", text
    for source, candidate in candidates:
        if (candidate and _words(candidate) > _words(best)
                and _prose_share(candidate) >= MIN_PROSE_SHARE):
            best_source, best = source, candidate
    logger.debug("thin extraction (%d words, page holds %d): %s chosen", _words(text),
                 evidence, best_source)
    return Body(best, best_source, is_thin(best, evidence), evidence)
