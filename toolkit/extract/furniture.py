"""Take the page furniture out of an extracted body.

Extractors keep lines that stand apart from the story: the headline again at
the top (it is in ``title``; counted twice it skews every term count), the
kicker above it, bylines and datelines, photo credits, "Read more" and
"Related" pointers, newsletter and share prompts, "Advertisement" labels,
the control labels a video player writes into the page, and photo galleries
("1/50 ...", "2/50 ...") set into the story.
``clean_body`` drops such lines when they stand alone (a sentence that merely
mentions a newsletter stays) and returns the byline lines it took out, which
are a source of author names. Lists, quotes, subheads and tables stay.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from toolkit.extract.bylines import MAX_BYLINE_WORDS, clean_credits, is_byline_line
from toolkit.extract.dates import is_date_line

#: Lines at either end examined for bylines and datelines.
EDGE_LINES = 6
#: Furniture lines are short; longer ones are prose that mentions the words.
MAX_FURNITURE_WORDS = 12

_WORD = re.compile(r"\w+")
_ALNUM = re.compile(r"[^\W_]")
# a line that is nothing but a label of page furniture, in the corpus's languages
_FURNITURE_LINE = re.compile(
    r"^[\W_]*(?:"
    r"advertisement|advertising|sponsored(?: content)?|anzeige|werbung|publicité|publicidad|"
    r"pubblicità|publicidade|reklama|"
    r"share(?: this(?: article| story| post)?)?(?: on \w+)?|share via|tweet|e-?mail|print|"
    r"copy link|link copied|save(?: article)?|comments?|\d+ comments?|leave a comment|"
    r"(?:post|add|write) a comment|leave a reply|"
    r"(?:\d+ )?(?:characters?|caractères|caracteres|zeichen) "
    r"(?:remaining|restants?|restantes|übrig)(?: ?:)?|"
    r"teilen|drucken|partager|imprimer|compartir|imprimir|condividi|udostępnij|"
    r"(?:read|see|view) (?:more|also|next)|more (?:on|from) .{1,40}|related(?: articles?| stories| "
    r"content| posts?| coverage| reading)?|recommended(?: for you)?|most (?:read|popular|viewed)|"
    r"top stories|trending(?: now)?|you (?:may|might) (?:also )?like|"
    r"lesen sie (?:auch|mehr)|mehr zum thema|auch interessant|das könnte sie auch interessieren|"
    r"lire (?:aussi|la suite|plus)|à lire aussi|voir aussi|sur le même sujet|"
    r"lee (?:también|más)|leer más|ver también|te puede interesar|más información|"
    r"leggi anche|leia (?:também|mais)|veja também|czytaj (?:też|także|więcej)|"
    r"zobacz (?:też|także)|"
    r"sign up(?: for .{1,40})?|subscribe(?: now| today| to .{1,40})?|newsletter|"
    r"get (?:our|the) .{1,30}newsletter|follow us(?: on .{1,30})?|"
    r"click here(?: to .{1,40})?|skip (?:to )?(?:content|ad|advertisement)|toggle navigation|"
    r"photo|image|video|watch|listen|gallery|caption|(?:last )?updated|aktualisiert|mis à jour|"
    r"previous|next|close|thumbnails|\d+ of \d+|load(?:ing)? (?:more|comments)(?:\.\.\.|…)?|"
    r"show more|(?:featured|recent|related|more) (?:slide ?shows|videos|galleries|photos)|"
    r"(?:please wait|loading)(?:\.\.\.|…)?|"
    r"(?:more )?from the (?:section|category) .{1,40}|"
    r"(?:síguenos|folgen sie uns|suivez-nous|seguici|siga-nos)(?: (?:en|auf|sur|su|no) .{1,30})?|"
    r"ver más|seguir leyendo|weiterlesen|continuer (?:la )?lecture|continua a leggere|"
    r"(?:story|article) continues (?:below|after)(?: (?:this|the))?(?: advert(?:isement)?| ad)?|"
    r"continue reading (?:below|the main story)|advertisement,? (?:-|–|—)? ?scroll to continue|"
    r"actualizado|atualizado|aggiornato|"
    r"getty images|shutterstock|ap photo|reuters|afp|epa|dpa|istock(?:photo)?"
    r")[\W_]*$",
    re.IGNORECASE,
)
# a pointer to another story or a tag list: "Read more: ...", "RELATED: ...", "Tags: ..."
_POINTER = re.compile(
    r"^[\W_]*(?:read more|read also|read next|see also|related|more|also read|must read|"
    r"recommended|watch|listen|lesen sie (?:auch|mehr)|mehr zum thema|lire aussi|à lire aussi|"
    r"tags|topics|filed under|themen|schlagworte|mots-clés|étiquettes|etiquetas|temas|"
    r"voir aussi|lee también|lea (?:también|además)|leer más|ver también|vea también|"
    r"mira también|leggi anche|leia também|veja também|"
    r"czytaj (?:też|także|więcej)|zobacz (?:też|także))\s*[:>»|-]",
    re.IGNORECASE,
)
# a photo or image credit standing alone: "Photo: Jane Doe/Reuters", "(Getty Images)"
_CREDIT = re.compile(
    r"^[\W_]*(?:photo|photograph|image|picture|illustration|graphic|video|credit|source|"
    r"foto|bild|fotos|quelle|crédit|crédits|imagen|immagine|zdjęcie|grafik|"
    r"symbolbild|symbolfoto|symbolgrafik)s?"
    r"(?:\s+(?:by|credit|courtesy(?: of)?|von|de|di))?\s*[:/©|]|"
    r"^[\W_]*(?:©|\(c\)|copyright\b(?!(?-i:\s+[a-z])))|"  # not "Copyright infringement ..."
    r"^\(?\s*(?:getty images|shutterstock|ap photo|reuters|afp(?: via getty images)?|epa|dpa|"
    r"istock)\b.{0,60}\)?$",
    re.IGNORECASE,
)
# newsletter and subscription prompts: short lines whose point is the prompt
_PROMPT = re.compile(
    r"\b(?:sign up|subscribe|newsletter|abonnieren|abonnez|suscríbete|inscreva|iscriviti|"
    r"follow us|download (?:our|the) app|get the app|share this|click here|"
    r"already a subscriber|log in to|register to|support (?:our|independent) journalism|"
    # a widget's status messages
    r"temporarily unavailable|please try again|try again later|something went wrong|"
    r"enable javascript|javascript is (?:disabled|required)|your browser does not support)\b",
    re.IGNORECASE,
)
# boilerplate sentences, recognised by how they start: follow/download/sign-up prompts,
# letters-to-the-editor and comment-policy notices, copyright notices, related-notes labels
_BOILERPLATE_START = re.compile(
    r"^[\W_]*(?:"
    r"follow (?:us|[\w&.' ]{1,40}?) on (?:twitter|facebook|instagram|linkedin|tiktok|youtube|x)\b|"
    r"download (?:the|our) [\w' ]{0,30}app\b|sign up (?:to|for|here)\b|subscribe to (?:our|the)\b|"
    r"for (?:the )?(?:latest|more) (?:stories|news|updates)\b"
    r".{0,80}\b(?:download|follow|subscribe)\b|"
    r"submit (?:your|a) letter\b|we want to hear what you think|"
    r"do you want to be (?:informed|updated)|(?:now )?check your (?:e-?mail|inbox)\b|"
    r"(?:(?:this|the) (?:article|story|post|piece) (?:was )?)?(?:originally|first) "
    r"(?:published|appeared|posted) (?:at|in|on|by)\b|"
    r"dieser (?:artikel|beitrag) (?:erschien|wurde) (?:zuerst|ursprünglich)|"
    r"cet article a (?:été )?(?:initialement |d'abord )?(?:été )?publié|"
    r"este artículo (?:fue publicado|se publicó|apareció) (?:originalmente|primero)|"
    r"questo articolo è stato (?:originariamente )?pubblicato|"
    r"please understand that comments|comments are moderated|we ask that comments|"
    r"some comments may be (?:republished|published)|"
    r"(?:this|the) (?:article|story|content|material) is (?:the )?copyright|all rights reserved|"
    r"written permission (?:is required|must be obtained)|"
    r"materiał chroniony prawem|zapraszamy (?:też |także )?do (?:subskrypcji|prenumeraty)|"
    r"crédits? photos?\s*:|(?:notas|noticias|artículos) relacionad[oa]s"
    r")",
    re.IGNORECASE,
)
# Chinese pages' reprint notices and pointers: "【... 未经授权，不得转载 ...】", "相关阅读"
_CJK_FURNITURE = re.compile(r"未经(?:授权|许可|允许)|不得转载|禁止转载|版权所有|"
                            r"^[【\[]?(?:精彩视频推荐|相关阅读|延伸阅读|相关新闻|推荐阅读)[】\]]?[:：]?$")
#: Longest line (in characters) recognised by ``_CJK_FURNITURE``.
MAX_CJK_FURNITURE_CHARS = 80
# a copyright notice: "© 2022, Site.com. This article is ...", "Copyright 2016 The Times"
_COPYRIGHT_START = re.compile(r"^\s*(?:©|\([cC]\)|[Cc]opyright\s+(?:©|\(c\)|\d{4}))")
#: Longest boilerplate sentence recognised by its start.
MAX_BOILERPLATE_WORDS = 40
# the text a web video player (video.js and its kin) writes into the page for
# screen readers: control labels, track menus, time read-outs, dialog notices
_PLAYER = re.compile(
    r"^[\W_]*(?:"
    r"this is a modal window\..*|beginning of dialog window\..*|end of dialog window\.?|"
    r"(?:captions|subtitles|descriptions|chapters|audio track)(?: off)?(?:, selected)?|"
    r"captions settings(?:, opens captions settings dialog)?|default, selected|"
    r"(?:play|pause|replay|mute|unmute)(?: video)?|(?:non-)?fullscreen|playback rate|"
    r"(?:current|duration|remaining) time -?[\d:]+(?: / -?[\d:]+)?|"
    r"(?:loaded|progress)(?: bar)?: ?[\d.]+ ?%|stream type live|seek to live.*|"
    r"this video is either unavailable or not supported in this browser.*|"
    r"no compatible source was found for this media\.?|the media could not be loaded.*"
    r")[\W_]*$",
    re.IGNORECASE,
)
# a slide of a gallery: "1/50 Title Caption...", "- 12/50 ..."
_SLIDE = re.compile(r"^[\W_]*(\d{1,3})\s*/\s*(\d{1,3})\b")
# the signature under an embedded post: "— West Ham United (@WestHam) October 31, 2021"
_POST_SIGNATURE = re.compile(r"^\s*[—–-]\s*[^\n]{0,80}\(@\w{1,30}\)\s*\w+\.? \d{1,2}, \d{4}\s*$")
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
#: Words mixing Latin and Cyrillic letters that make a line a disguised advertisement.
MIN_MIXED_WORDS = 3
# a section label in capitals standing alone at the top: "WORLD", "BREAKING NEWS"
_SECTION_LABEL = re.compile(r"^\s*[A-ZÀ-ÖØ-Þ]{2,}(?:\s+[A-ZÀ-ÖØ-Þ]{2,})?\s*$")
# a place dateline set on its own line above the story: "WASHINGTON —", "BEIJING (Reuters) -",
# "SAN FRANCISCO, Calif. —" (run into the first paragraph, it is part of the prose)
_PLACE_DATELINE = re.compile(
    r"^\s*[A-ZÀ-ÖØ-Þ]{2}[A-ZÀ-ÖØ-Þ.'’ -]{0,40}(?:,\s*[A-Z][\w.]{1,15}\.?)?"
    r"\s*(?:\([^()]{1,30}\))?\s*[—–-]+\s*$"
)
_TABLE_CELL = re.compile(r"[|│┃]")
#: Words of a teaser's headline (numbers aside: a table row is no headline); it ends
#: without sentence punctuation.
MIN_TEASER_WORDS = 3
MAX_TEASER_WORDS = 25
_SENTENCE_END = frozenset('.!?:;"”’»)')
#: Consecutive slides that make a gallery (fewer may be a numbered list of the story).
MIN_SLIDES = 3
# a gallery's heading standing alone: "Business news in pictures", "In pictures: ..."
_GALLERY_HEADING = re.compile(
    r"^[\W_]*(?:in pictures\b.{0,60}|.{0,60}\bin (?:pictures|photos|images)|"
    r"(?:photo|picture|image) (?:gallery|galleries)|slideshow)[\W_]*$",
    re.IGNORECASE,
)


def teaser_lines(lines: list[str], skip: set[int]) -> set[int]:
    """Indexes of teasers for other stories set into the body: a headline, then its date.

    "Hackers offer a discount to the government" followed by a line holding
    only "Thursday 21 April, 2022", after the story's first lines (those are
    left to the headline, byline and dateline rules: ``skip``); a byline
    followed by its date is no teaser.
    """
    found: set[int] = set()
    for i in range(len(lines) - 1):
        if i in skip or i + 1 in skip:
            continue
        line = lines[i].strip()
        words = [w for w in _WORD.findall(line) if not w.isdigit()]
        if (MIN_TEASER_WORDS <= len(words) and _n_words(line) <= MAX_TEASER_WORDS
                and line[-1:] not in _SENTENCE_END
                and not is_byline_line(line) and _lone_date(lines, i + 1)):
            found.update((i, i + 1))
    return found


def _lone_date(lines: list[str], i: int) -> bool:
    """Whether line ``i`` holds a date alone: not a table row, not one of a run of dates."""
    line = lines[i].strip()
    if _TABLE_CELL.search(line) or not is_date_line(line):
        return False
    return i + 1 >= len(lines) or not is_date_line(lines[i + 1].strip())


def gallery_lines(lines: list[str]) -> set[int]:
    """Indexes of the slides of galleries: runs of ``MIN_SLIDES`` or more "k/N" lines.

    The slides of one gallery share N and count up from k; a short heading
    naming a gallery ("... in pictures") right above a run goes with it.
    """
    found: set[int] = set()
    i = 0
    while i < len(lines):
        first = _SLIDE.match(lines[i])
        j = i + 1
        if first:
            total, number = first.group(2), int(first.group(1))
            while j < len(lines):
                slide = _SLIDE.match(lines[j])
                if not slide or slide.group(2) != total or int(slide.group(1)) != number + 1:
                    break
                number += 1
                j += 1
            if j - i >= MIN_SLIDES:
                found.update(range(i, j))
                k = i - 1
                while k >= 0 and _GALLERY_HEADING.match(lines[k]):
                    found.add(k)
                    k -= 1
        i = j
    return found


@dataclass(frozen=True)
class CleanBody:
    """A body without its furniture.

    Attributes
    ----------
    text : str
        The lines kept, joined by ``"\\n"``.
    bylines : list of str
        Byline lines taken out (an author source).
    dropped : list of str
        Every line taken out, in order (for tests and inspection).
    """

    text: str
    bylines: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORD.findall(text))


def _edges(n: int) -> tuple[set[int], set[int]]:
    """Indexes of the first ``EDGE_LINES`` of ``n`` lines, and of those plus the last ones."""
    head = set(range(min(EDGE_LINES, n)))
    return head, head | set(range(max(0, n - EDGE_LINES), n))


def _n_words(line: str) -> int:
    return len(_WORD.findall(line))


def is_headline(line: str, titles: Iterable[str]) -> bool:
    """Whether ``line`` repeats one of ``titles`` (case, punctuation, spacing ignored)."""
    key = _key(line)
    if not key:
        return False
    for title in titles:
        title_key = _key(title or "")
        if title_key and (key == title_key or (len(title_key) >= 20 and (
                key.startswith(title_key) and len(key) <= len(title_key) + 12
                or title_key.startswith(key) and len(key) >= 0.8 * len(title_key)))):
            return True
    return False


def _after_headline(line: str, titles: Iterable[str]) -> str | None:
    """The first line without the headline an extractor ran into it, if it did.

    "Python 3.6.0 is now available! Python 3.6.0 is the newest release..."
    loses its headline; a lede that merely begins with the headline's words
    ("Police arrest three men after ...") is left alone: the headline must be
    of 4+ words ending a sentence (".", "!", "?"), and a new one must follow.
    """
    line = " ".join(line.split())
    for title in titles:
        title = " ".join(title.split())
        if len(title.split()) >= 4 and line.startswith(title):
            rest = line[len(title):]
            opening = rest.lstrip()[:1]
            if title[-1] in ".!?" and rest[:1] == " " and (opening.isupper() or opening in "\"“‘'"):
                return rest.strip()
    return None


def _mixed_script_words(line: str) -> int:
    """Words that mix Latin and Cyrillic letters (no language writes them so)."""
    return sum(1 for word in _WORD.findall(line)
               if _LATIN.search(word) and _CYRILLIC.search(word))


def is_furniture(line: str) -> bool:
    """Whether a line standing alone is page furniture (labels, pointers, credits, prompts).

    Parameters
    ----------
    line : str
        One line of extracted text.

    Returns
    -------
    bool
        True for "Advertisement", "Share this article", "Read more: ...",
        "Photo: Jane Doe/Reuters", "Sign up for our newsletter", a video
        player's control labels and the like, in the corpus's languages;
        False for prose that mentions them.
    """
    line = line.strip()
    n_words = _n_words(line)
    if n_words == 0:
        return False
    if _FURNITURE_LINE.match(line) or _PLAYER.match(line) or _POST_SIGNATURE.match(line):
        return True
    if n_words <= MAX_BOILERPLATE_WORDS and (
        _BOILERPLATE_START.match(line) or _COPYRIGHT_START.match(line)
    ):
        return True
    if len(line) <= MAX_CJK_FURNITURE_CHARS and _CJK_FURNITURE.search(line):
        return True
    if _mixed_script_words(line) >= MIN_MIXED_WORDS:
        return True  # "Yоur соntеnt": Cyrillic look-alikes in Latin words, an ad dodging filters
    if n_words > MAX_FURNITURE_WORDS + 8:
        return False
    if _POINTER.match(line) or _CREDIT.match(line):
        return True
    return n_words <= MAX_FURNITURE_WORDS and _PROMPT.search(line) is not None


def clean_body(text: str, *, titles: Iterable[str] = ()) -> CleanBody:
    """Drop the headline, kicker, bylines, datelines and furniture lines from a body.

    Parameters
    ----------
    text : str
        Extracted text, one paragraph per line.
    titles : iterable of str
        The article's title and headlines: a line repeating one of them
        within the first lines is dropped, with the short lines above it
        (kicker, section name).

    Returns
    -------
    CleanBody
        The kept text, the byline lines found at the edges, and the dropped lines.
    """
    # a line without a letter or digit ("___", "* * *", an empty table row "|  |  |") says nothing
    lines = [line for line in text.split("\n") if _ALNUM.search(line)]
    titles = [t for t in titles if t]
    drop: set[int] = set()
    bylines: list[str] = []
    for i, line in enumerate(lines[:EDGE_LINES]):
        if is_headline(line, titles):
            drop.add(i)
            drop.update(j for j in range(i) if _n_words(lines[j]) <= 6)
            break
    # a section label under the headline ("WORLD"), before the story's first paragraph
    for i, line in enumerate(lines[:EDGE_LINES]):
        if _n_words(line) > MAX_FURNITURE_WORDS:
            break
        if _SECTION_LABEL.match(line):
            drop.add(i)
    # the furniture above the first paragraph goes first: "Toggle navigation" and the like
    first = next((i for i, line in enumerate(lines[:EDGE_LINES])
                  if i not in drop and not is_furniture(line)), None)
    if first is not None and (rest := _after_headline(lines[first], titles)):
        lines[first] = rest
    drop.update(gallery_lines(lines))
    head, edges = _edges(len(lines))
    drop.update(teaser_lines(lines, head | drop))
    for i, line in enumerate(lines):
        if i in drop:
            continue
        if i in edges and is_byline_line(line):
            drop.add(i)
            bylines.append(line)
        elif i in edges and is_date_line(line) or i in head and _PLACE_DATELINE.match(line):
            drop.add(i)
        elif is_furniture(line):
            drop.add(i)
    kept = [line for i, line in enumerate(lines) if i not in drop]
    if not kept:  # everything looked like furniture: a short page, keep what there was
        return CleanBody("\n".join(lines), bylines, [])
    return CleanBody("\n".join(kept), bylines, [lines[i] for i in sorted(drop)])


def drop_credit_lines(text: str, authors: Iterable[str]) -> str:
    """Drop the lines at the body's edges that only credit its authors.

    A byline without "By" ("Richard (R.J.) Eskow", "Jane Doe jane@example.com |
    Friday 22 April, 2022", a signature "Jane Doe <jane@example.com>") is known
    for one once the authors are: a short line, within ``EDGE_LINES`` of either
    end, naming nobody but them. "Jane Doe contributed reporting." names no one
    (a sentence) and stays.

    Parameters
    ----------
    text : str
        The body, one paragraph per line.
    authors : iterable of str
        The article's authors.

    Returns
    -------
    str
        ``text`` without those lines.
    """
    keys = {_key(a) for a in authors if a}
    if not keys or not text:
        return text
    lines = text.split("\n")
    _, edges = _edges(len(lines))

    def credits_only(line: str) -> bool:
        if _n_words(line) > MAX_BYLINE_WORDS:
            return False
        named = {_key(a) for a in clean_credits([line]).authors}
        return bool(named) and named <= keys

    return "\n".join(line for i, line in enumerate(lines)
                     if not (i in edges and credits_only(line)))
