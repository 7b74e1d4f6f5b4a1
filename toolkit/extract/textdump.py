"""Read plain-text dumps of web pages: header, article body, no furniture.

A dump is what "select all, copy" or a text browser gives: the headline, a
dateline, a byline, then the article among navigation, headline lists,
"Most Viewed" boxes, share buttons, cookie notices and footers. The method is
general (in the spirit of jusText and boilerpipe), not tied to one site:

1. Split into paragraphs: one per line, or blank-line-separated blocks when
   the dump is hard-wrapped.
2. Classify each paragraph from its own shape: length in words, stopword
   density, sentence punctuation, link-list shape (bullets, pipes, runs of
   short headlines), and page-furniture vocabulary ("cookies", "All rights
   reserved", "Share on", "Most Viewed"...). Labels: ``good`` (prose),
   ``near`` (long but not clearly prose), ``short`` and ``bad``.
3. Position: the body is the densest contiguous run of prose, found as the
   maximum-sum run of per-paragraph scores (prose counts for its length,
   short lines cost a little, furniture a lot), so furniture before and
   after it falls away while short subheadings inside it stay.
4. The lines before the body give the header: a dateline ("Updated:
   2016-04-07 02:54", date source ``header``), a byline ("By A in X and B in
   Y(China Daily)" -> authors and outlet) and the title (the title-like line
   nearest above them).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from toolkit.extract.bylines import parse_byline
from toolkit.extract.dates import is_date_line, parse_date
from toolkit.extract.decode import clean_text
from toolkit.extract.language import classify_language, detect_language

logger = logging.getLogger(__name__)

#: Paragraph labels, from best to worst.
LABELS: tuple[str, ...] = ("good", "near", "short", "bad", "header")

#: Words a paragraph needs to be prose (``good``).
MIN_PROSE_WORDS = 10
#: Share of stopwords prose has at least (when a stopword list is known).
MIN_STOPWORD_DENSITY = 0.2
#: Paragraphs past the first prose paragraph still searched for a byline/dateline.
HEADER_LOOKAHEAD = 3
#: Cost of a short line and of furniture in the body search.
SHORT_COST = 3.0
BAD_COST = 8.0
BARRIER_COST = 40.0

_ISO_TO_NLTK = {
    "en": "english", "de": "german", "fr": "french", "es": "spanish", "it": "italian",
    "pt": "portuguese", "nl": "dutch", "sv": "swedish", "da": "danish", "no": "norwegian",
    "fi": "finnish", "ru": "russian", "tr": "turkish", "hu": "hungarian", "ro": "romanian",
    "id": "indonesian", "el": "greek", "ca": "catalan", "sl": "slovene",
}
_BULLET = re.compile(r"^\s*(?:[-–—•*·»›>▪■●◦+]|\d{1,2}[.)])\s+")
_PIPE = re.compile(r"\|")
_SENTENCE_END = re.compile(r"[.!?。！？…][\"'”’»)\]]*\s*$")
_SENTENCE_INSIDE = re.compile(r"[.!?。！？][\"'”’»)\]]*\s+\S")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_BYLINE_START = re.compile(
    r"^\s*(?:by|von|par|por|door|av|di|written\s+by|posted\s+by|reported\s+by|"
    r"authors?\s*:|autor(?:in)?\s*:|auteur\s*:|reporter\s*:|byline\s*:)\s*\S",
    re.IGNORECASE,
)
_SOURCE_LINE = re.compile(
    r"^\s*(?:source|quelle|fuente|source\s+link)\s*:\s*(.{2,60})$", re.IGNORECASE
)
# "© 2016 Metro Evening Post. All rights reserved." names the outlet
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*([^\W\d_][^|.©]{1,60}?)\s*"
    r"(?:\.|\||all rights reserved|$)",
    re.IGNORECASE,
)
# vocabulary of page furniture; a hit marks a paragraph as furniture
_FURNITURE = re.compile(
    r"\bcookies?\b|\bprivacy (?:policy|settings|notice)\b|\bterms (?:of|and) (?:use|service)\b|"
    r"\ball rights reserved\b|©|\(c\) \d{4}|\bcopyright\b|\bsubscribe\b|\bnewsletter\b|"
    r"\bsign (?:up|in)\b|\blog ?in\b|\bshare (?:on|this|via|article)\b|\bfollow us\b|"
    r"\badvertisement\b|\bsponsored\b|^related(?: (?:articles|stories|news|content|topics))?\s*:?|"
    r"\bread more\b|\bclick here\b|\bdownload (?:our|the) app\b|"
    r"\bmost (?:viewed|read|popular|shared)\b|"
    r"\beditor'?s'? (?:picks?|choice)\b|\btop (?:news|stories)\b|\btrending\b|\brecommended\b|"
    r"\byou may (?:also )?like\b|\bback to top\b|\bskip to (?:main )?content\b|\bjavascript\b|"
    r"\bleave a (?:comment|reply)\b|\b\d+ comments?\b|\bprint this\b|\bemail this\b|"
    r"\bweitere artikel\b|\bmehr zum thema\b|\blire aussi\b|\bà lire\b|\bleer más\b|"
    r"\bleia também\b",
    re.IGNORECASE,
)
# furniture that also separates sections: never bridge the body across it
_BARRIER = re.compile(
    r"^\s*(?:most (?:viewed|read|popular)|editor'?s'? picks?|top (?:news|stories)|"
    r"related(?: \w+)?\s*:?|comments?|\d+ comments?|leave a (?:comment|reply)|you may also like|"
    r"more from .{1,40}|recommended(?: for you)?|trending(?: now)?|advertisement)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a dump and what its shape says.

    Attributes
    ----------
    index : int
        Position in the dump (0-based).
    text : str
        The paragraph, whitespace-normalised.
    n_words : int
        Words (CJK characters count as half a word each).
    label : str
        One of ``LABELS``.
    """

    index: int
    text: str
    n_words: int
    label: str


def split_paragraphs(text: str) -> list[str]:
    """Split a dump into paragraphs.

    One paragraph per line, unless the dump is hard-wrapped (blank lines
    between blocks of several lines of similar width), in which case each
    block's lines are joined, bullet lines kept apart.

    Parameters
    ----------
    text : str
        The whole dump.

    Returns
    -------
    list of str
        Non-empty paragraphs, whitespace-normalised.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    in_multi = [line for b in blocks if len(b) > 1 for line in b]
    n_lines = sum(len(b) for b in blocks)
    wrapped = (
        len(blocks) > 1
        and len(in_multi) >= 0.5 * n_lines
        and max((len(line) for line in in_multi), default=0) <= 100
        and sum(not _SENTENCE_END.search(line) for line in in_multi) >= 0.5 * len(in_multi)
    )
    paragraphs: list[str] = []
    for block in blocks:
        if not wrapped:
            paragraphs.extend(block)
            continue
        current: list[str] = []
        for line in block:
            if _BULLET.match(line) and current:
                paragraphs.append(" ".join(current))
                current = []
            current.append(line)
        paragraphs.append(" ".join(current))
    return [" ".join(p.split()) for p in paragraphs if p.strip()]


def count_words(text: str) -> int:
    """Return the number of words in ``text``, CJK characters counting half a word each."""
    return _count_words(text)[1]


def _count_words(text: str) -> tuple[list[str], int]:
    words = _WORD.findall(text)
    n_cjk = len(_CJK.findall(text))
    return words, len(words) + n_cjk // 2


def is_prose(text: str) -> bool:
    """Return whether ``text`` reads as a sentence of running prose, in any language.

    Parameters
    ----------
    text : str
        One paragraph.

    Returns
    -------
    bool
        True for paragraphs of at least ``MIN_PROSE_WORDS`` words with
        sentence punctuation that are neither piped, furniture, nor short
        bulleted items.
    """
    _, n_words = _count_words(text)
    if n_words < MIN_PROSE_WORDS or _PIPE.search(text):
        return False
    # a bulleted line is a link unless it is a long sentence (list items can be prose)
    if _BULLET.match(text) and n_words < 2 * MIN_PROSE_WORDS:
        return False
    if _FURNITURE.search(text):
        return False
    return bool(_SENTENCE_END.search(text) or _SENTENCE_INSIDE.search(text))


def classify_paragraph(text: str, stopwords: frozenset[str] = frozenset()) -> str:
    """Label one paragraph from its shape alone.

    Parameters
    ----------
    text : str
        The paragraph.
    stopwords : frozenset of str
        The language's stopwords; empty to skip the density test.

    Returns
    -------
    str
        ``"bad"`` for furniture (bullets, pipes, furniture vocabulary, no
        letters), ``"good"`` for prose, ``"near"`` for long paragraphs that
        fail a prose test, ``"short"`` otherwise.
    """
    words, n_words = _count_words(text)
    if n_words == 0 or _BULLET.match(text) or _PIPE.search(text) or _FURNITURE.search(text):
        return "bad"
    if n_words < MIN_PROSE_WORDS:
        return "short"
    punctuated = bool(_SENTENCE_END.search(text) or _SENTENCE_INSIDE.search(text))
    dense = True
    if stopwords and words:
        dense = sum(w.lower() in stopwords for w in words) / len(words) >= MIN_STOPWORD_DENSITY
    return "good" if punctuated and dense else "near"


def _score(paragraph: Paragraph) -> float:
    if paragraph.label == "good":
        return float(paragraph.n_words)
    if paragraph.label == "near":
        return 0.25 * paragraph.n_words
    if paragraph.label == "short":
        return -SHORT_COST
    if _BARRIER.match(paragraph.text):
        return -BARRIER_COST
    return -(BAD_COST + paragraph.n_words)


def densest_run(paragraphs: list[Paragraph]) -> tuple[int, int]:
    """Return ``(start, stop)`` of the contiguous run of paragraphs with the highest score.

    Parameters
    ----------
    paragraphs : list of Paragraph
        Classified paragraphs in dump order.

    Returns
    -------
    tuple of int
        Slice bounds of the body; ``(0, 0)`` when no run scores above zero.
    """
    best, best_span = 0.0, (0, 0)
    total, start = 0.0, 0
    for i, paragraph in enumerate(paragraphs):
        if total <= 0:
            total, start = 0.0, i
        total += _score(paragraph)
        if total > best:
            best, best_span = total, (start, i + 1)
    return best_span


def _stopwords_for(language: str | None) -> frozenset[str]:
    from toolkit.resources import nltk_has, stopword_list

    name = _ISO_TO_NLTK.get(language or "")
    if name is None:
        return frozenset()
    if name != "english" and not nltk_has("stopwords"):
        return frozenset()
    return stopword_list(name)


def _is_title_like(text: str) -> bool:
    _, n_words = _count_words(text)
    return (
        1 <= n_words <= 30
        and len(text) <= 250
        and not _BULLET.match(text)
        and not _PIPE.search(text)
        and not _FURNITURE.search(text)
        and not text.rstrip().endswith((".", ":", ","))
    )


def _empty_fields() -> dict:
    return {
        "title": None, "authors": [], "agencies": [], "date": None, "date_source": None,
        "date_modified": None, "url": None,
        "hostname": None, "sitename": None, "language": None, "description": None,
        "categories": [], "tags": [], "text": "", "status": "empty", "error": None,
    }


def classify_dump(text: str, language: str | None = None) -> list[Paragraph]:
    """Split ``text`` into paragraphs and label each (without header detection).

    Parameters
    ----------
    text : str
        The dump.
    language : str or None
        ISO 639-1 code, to choose the stopword list.

    Returns
    -------
    list of Paragraph
    """
    stopwords = _stopwords_for(language)
    out = []
    for i, para in enumerate(split_paragraphs(text)):
        out.append(Paragraph(i, para, _count_words(para)[1], classify_paragraph(para, stopwords)))
    return out


def _read_header(paragraphs: list[Paragraph], stop: int, body_start: int) -> dict:
    """Find dateline, byline and outlet before ``stop``, and the title above them.

    Without a dateline or byline, the title is the title-like line nearest
    above ``body_start``.
    """
    found: dict = {"title": None, "date": None, "authors": [], "sitename": None,
                   "header_rows": set()}
    first_header = None
    for p in paragraphs[:stop]:
        if p.label == "good":  # prose is never a header line ("By the end of the year, ...")
            continue
        if found["date"] is None and is_date_line(p.text):
            found["date"] = parse_date(p.text)
        elif not found["authors"] and _BYLINE_START.match(p.text) and p.n_words <= 30:
            byline = parse_byline(p.text)
            if not byline.authors:
                continue
            found["authors"] = byline.authors
            found["sitename"] = found["sitename"] or byline.outlet
            if found["date"] is None:
                found["date"] = parse_date(p.text)
        elif (match := _SOURCE_LINE.match(p.text)) is not None:
            found["sitename"] = found["sitename"] or match.group(1).strip()
        else:
            continue
        found["header_rows"].add(p.index)
        first_header = p.index if first_header is None else first_header
    limit = first_header if first_header is not None else body_start
    candidates = [p for p in paragraphs[:limit] if p.index not in found["header_rows"]
                  and _is_title_like(p.text)]
    if not candidates and first_header is not None:
        candidates = [p for p in paragraphs[:stop] if p.index not in found["header_rows"]
                      and _is_title_like(p.text)][:1]
    if candidates:
        title = candidates[-1]
        found["title"] = title.text
        found["header_rows"].add(title.index)
    return found


def _copyright_holder(paragraphs: list[Paragraph], start: int, stop: int) -> str | None:
    """The outlet named in a copyright line outside the body, if any."""
    for p in paragraphs[stop:] + paragraphs[:start]:
        if (match := _COPYRIGHT.search(p.text)) is not None:
            holder = match.group(1).strip()
            if 1 <= len(holder.split()) <= 6:
                return holder
    return None


def parse_text_dump(text: str) -> dict:
    """Extract the article fields of a plain-text dump of a web page.

    Parameters
    ----------
    text : str
        The dump (already decoded).

    Returns
    -------
    dict
        The keys ``extract_page`` returns: ``title``, ``authors``, ``date``
        (from the header, source ``"header"``), ``sitename`` (the outlet a
        byline or "Source:" line names), ``language``, ``text`` (the body
        paragraphs joined by ``"\\n"``), ``status`` (``"ok"`` or ``"empty"``)
        and ``error``; ``url``, ``hostname``, ``description`` are None and
        ``categories``/``tags`` empty (a dump does not hold them).
    """
    text = clean_text(text)
    out = _empty_fields()
    guess = classify_language(text[:5000]) if text.strip() else None
    language = guess[0] if guess else None
    paragraphs = classify_dump(text, language)
    if not paragraphs:
        out["error"] = "empty text dump"
        return out

    start, stop = densest_run(paragraphs)
    # the header ends where the prose starts (a byline may sit inside the run)
    # the header ends where the prose starts, give or take a standfirst
    # paragraph before the byline ("Title / Summary sentence. / By X / Date")
    first_good = next((i for i in range(start, stop) if paragraphs[i].label == "good"), start)
    limit = first_good + HEADER_LOOKAHEAD if stop > start else len(paragraphs)
    header = _read_header(paragraphs, min(limit, len(paragraphs)),
                          first_good if stop > start else len(paragraphs))
    # header lines are never body, even when no furniture separates them from it
    while start < stop and paragraphs[start].index in header["header_rows"]:
        start += 1
    body = [p.text for p in paragraphs[start:stop]
            if p.label != "bad" and p.index not in header["header_rows"]]
    body_text = "\n".join(body)
    out.update(
        title=header["title"],
        authors=header["authors"],
        date=header["date"],
        date_source="header" if header["date"] is not None else None,
        sitename=header["sitename"] or _copyright_holder(paragraphs, start, stop),
        language=detect_language(body_text or text, declared=None),
        text=body_text,
    )
    if body_text:
        out["status"] = "ok"
    else:
        out["error"] = "no article text found in the text dump (only headlines or furniture)"
    return out
