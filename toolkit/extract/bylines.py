"""Turn bylines into lists of author names.

Bylines come glued together and decorated: "By Zhang Yan in Beijing and Shi
Xiaofeng in Hangzhou(China Daily)", "JANE DOE, Senior Correspondent",
"Updated 3 March 2019 By John Smith | Staff Writer", "Par Attac France",
"View all posts by Daniel Lemire", "jane@example.com", "记者 张三", "Autor: Anna
Müller", "By ZHANG YAN in Hangzhou". ``parse_byline`` separates the people from
the outlet and from wire agencies ("Reuters", "AFP": their own column, never
authors); ``clean_authors`` does the same for author values found in metadata
(strings, ``;``-joined strings or lists) and returns only the people,
deduplicated, or ``[]`` for junk: CMS accounts ("admin", "wordpressadmin"),
handles, emails, roles, dates and "Updated" labels are not names.
``is_byline_line`` recognises a line of text that is a byline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from toolkit.extract.titles import name_key
from toolkit.vocab import NAME_PARTICLES

#: Words that describe a role, not a person; a chunk made only of these (and
#: of fillers like "our", "the") is not a name.
ROLE_WORDS = frozenset(
    """
    staff writer writers reporter reporters correspondent correspondents senior chief
    editor editors editorial contributing contributor contributors columnist journalist
    journalists photographer photographers special political business foreign
    international national news desk team agencies agency wire wires service services
    associate assistant managing deputy executive political
    science health tech technology sports sport culture opinion guest freelance
    intern online digital correspondent's bureau insider
    rechtsanwalt rechtsanwältin fachanwalt fachanwältin dr dr. prof prof.
    technologist analyst director president vice manager professor researcher
    scientist officer counsel attorney strategist producer anchor critic
    economist founder ceo cto chairman chairwoman spokesperson coordinator specialist
    consultant expert engineer developer designer blogger author
    redakteur redakteurin redaktion korrespondent korrespondentin autor autorin
    rédaction rédacteur journaliste envoyé envoyée spécial spéciale correspondant
    redacción redactor redactora periodista corresponsal enviado enviada especial
    """.split()
)

#: Small words that may surround role words ("Our Foreign Staff", "The Editors").
FILLER_WORDS = frozenset("our the and of for in at from by with".split())

#: Whole values that mean "no author".
JUNK_NAMES = frozenset(
    """
    admin administrator anonymous unknown guest user username author authors none null
    webmaster editor staff team redaktion rédaction redacción no-author noauthor
    nobody undefined default agencies agency newsdesk wordpressadmin wpadmin siteadmin
    name human user1 editorial redazione redaktion online desk
    date data datum fecha time zeit
    """.split()
) | {"no author", "not available", "n/a", "the editors", "editorial board", "web desk",
     "site admin", "super user", "your name", "first last", "news desk", "staff reporter",
     "staff writer", "sponsored", "sponsored content", "gesponserte inhalte", "anzeige",
     "advertisement", "contenu sponsorisé", "contenido patrocinado", "partner content"}

#: Wire agencies, as ``name_key`` forms. They are credited like authors but are
#: organisations: they go to their own column. A closed list, because no
#: maintained package lists news agencies; it names the international and the
#: large national ones, which are the ones that syndicate across sites.
AGENCY_KEYS = frozenset(
    """
    ap associatedpress theassociatedpress reuters thomsonreuters afp agencefrancepresse
    dpa deutschepresseagentur efe agenciaefe ansa xinhua xinhuanet kyodo kyodonews jiji
    jijipress yonhap yonhapnews pa paagency pressassociation pamedia bloomberg tass ria
    rianovosti upi unitedpressinternational aap australianassociatedpress cp canadianpress
    thecanadianpress apa sda kna epd anp belga lusa europapress notimex pti ians ani
    bernama antara cna ntb tt ritzau aa anadolu anadoluagency sapa nan mena wam spa irna
    chinanews cns ptitrust afpjiji reutersap apreuters
    """.split()
)

# Name suffixes that are not names of their own when split off by a comma.
_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv phd ph.d. md m.d. ma msc bsc esq esq.".split())

_WS = re.compile(r"\s+")
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# the label of "Updated 3 March 2019", "Published: ...", "Last updated ..." (the
# date itself goes with _DATE_BITS)
_UPDATED = re.compile(
    r"\b(?:last\s+)?(?:updated|published|posted|modified|aktualisiert|veröffentlicht|"
    r"mis à jour|publié|actualizado|publicado)(?:\s+(?:on|at|am|le|el))?\b:?",
    re.IGNORECASE,
)
_MONTH_OR_DAY = re.compile(
    rf"^(?:{_MONTHS}|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\.?,?$", re.IGNORECASE
)
_DATE_BITS = re.compile(
    rf"\b\d{{1,4}}[-/.]\d{{1,2}}[-/.]\d{{1,4}}\b|\b\d{{1,2}}:\d{{2}}(?::\d{{2}})?\s*(?:[ap]\.?m\.?)?|"
    rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?(?:\s+\d{{4}})?|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\.?\s+(?:{_MONTHS})\.?(?:\s+\d{{4}})?|"
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+(?=\d)|"
    r"\b\d+\s+(?:min(?:ute)?|hour|day|week)s?\s+ago\b|\b[ap]\.?m\.?\b|\bat\s+(?=\s|$)",
    re.IGNORECASE,
)
_DANGLING = re.compile(r"\s+(?:on|at|am|um|le|el|il|em|op)$", re.IGNORECASE)
# wire credits at an article's foot: "Reporting by A; Editing by B": editors wrote nothing
_EDITING = re.compile(r"(?:^|[;|.,]\s*)(?:editing|edited|produced|graphics|photos?)\s+by\b.*$",
                      re.IGNORECASE)
_LEAD = re.compile(
    r"^(?:(?:view\s+all\s+posts|all\s+posts|more\s+(?:posts|stories|articles)|posts|"
    r"articles|stories|written|posted|reported|compiled|edited|words|photos?|text|"
    r"(?:additional\s+)?reporting|writing|"
    r"eingestellt|verfasst|geschrieben|publié|écrit|publicado|escrito|pubblicato|scritto)\s+)?"
    r"(?:by|von|par|por|door|av|di|da|från|przez|autor:|autorin:)(?=\s|:|$)[\s:]*",
    re.IGNORECASE,
)
# "Jane Doe, Senior Staff Technologist, ACLU Speech Project": what follows a job title
# after a comma is the title and its department, not more names
_TITLE_AFTER_COMMA = re.compile(
    r",\s*(?:(?:the|our|a|an)\s+)?(?:[\w.'’-]+\s+){0,3}?(?:" + "|".join(
        sorted(ROLE_WORDS, key=len, reverse=True)) + r")\b.*$",
    re.IGNORECASE,
)
# reading times and counters printed beside bylines: "5 min read", "1,200 words"
_READING = re.compile(r"\b\d[\d,.]*\s*(?:min(?:ute)?s?|words?|comments?|shares?)\b"
                      r"(?:\s+read)?", re.IGNORECASE)
#: Tokens that are times, not names: time zones and weekday abbreviations.
_TIME_TOKENS = frozenset(
    "cet cest gmt utc bst est edt pst pdt cst cdt mst mdt ist jst kst hkt sgt aest aedt "
    "mon tue tues wed thu thur thurs fri sat sun".split()
)
_LABEL = re.compile(
    r"^(?:authors?|autor(?:in)?|auteurs?|autore|reporter|writer|byline|text|texto|"
    r"written|posted|source)\s*:\s*|^follow\s+",
    re.IGNORECASE,
)
_CJK_LABEL = re.compile(
    r"^(?:本报)?(?:责任编辑|责编|特约记者|通讯员|记者|作者|撰文|编辑|文|記者|執筆|筆者|文責|기자)"
    r"\s*[：:/／|丨]?\s*"
)
_CJK_NAME = re.compile(r"^[\u3400-\u9fff\u3040-\u30ff\uac00-\ud7af·・]{2,8}$")
#: A line of text that is a byline: "By ...", "Von ...", "Par ...", "Por ...",
#: "Autor: ...", "Written by ...", "记者 张三".
BYLINE_LINE = re.compile(
    r"^(?:(?:written|reported|(?:additional\s+)?reporting|writing|words|text|story|compiled|"
    r"edited|posted)\s+by|"
    r"by|von|par|por|"
    r"door|di|av|przez|af|från)\s+\S|"
    r"^(?:author|authors|autor|autorin|auteur|autore|autora|byline|text|texto)\s*:\s*\S|"
    r"^(?:本报)?(?:特约记者|记者|作者|撰文|文|記者|執筆|筆者)\s*[：:/／]?\s*"
    r"[\u3400-\u9fff\u3040-\u30ff]{2,4}(?:\s|$|[，,、])",
    re.IGNORECASE,
)
# words that make a credited name an organisation's (a person is not called "... Media")
_ORGANIZATION_WORD = re.compile(
    r"\b(?:editorial|media|news|group|press|verlag|verlagsgruppe|redaktion|redacción|"
    r"rédaction|redazione|publishing|publications|inc|ltd|llc|gmbh|corporation|company|"
    r"network|magazine|newspaper|zeitung|periódico|agency|agence|agencia|agentur)\b\.?",
    re.IGNORECASE,
)
#: Bylines are short; a longer "By ..." line is a sentence.
MAX_BYLINE_WORDS = 14
_TRAILING_PAREN = re.compile(r"\s*\(([^()]*)\)\s*$")
_FOR_OUTLET = re.compile(r"\s+(?:for|für|pour|para)\s+((?:the\s+)?[A-Z].*)$", re.IGNORECASE)
_AND_WITH = re.compile(r"^(?:with|avec|mit|con|and|et|und|y)\s+", re.IGNORECASE)
# separators between names: punctuation always, conjunctions only as whole words
_SPLIT = re.compile(
    r"\s*[;|,/·•]\s*|\s+(?:and|And|AND|&|und|et|y|e|og|och|en|és)\s+|\s+\+\s+|\s*&\s*"
)
# after the names, a spaced dash starts an affiliation or a date ("... and Kiran C Nair -
# Chrome Safe Browsing team"); a hyphen inside a name has no spaces ("Clark-Flory")
_AFTER_NAMES = re.compile(r"\s+[-–—]\s+")
# a counter printed beside a byline, with its label: "人氣( 23925 )", "Comments (42)"
_COUNTER = re.compile(r"[^\s(（]*\s*[(（]\s*[\d,.]+\s*[)）]")
_LOCATIVE = re.compile(r"\s+in\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}$")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_STOPWORDS_IN_NAME = frozenset(
    "is are was were has have had a an this that who which what our your his her their my "
    "here there been ist sind est sont".split()
)


@dataclass(frozen=True)
class Byline:
    """What a byline says.

    Attributes
    ----------
    authors : list of str
        Person (or agency) names, in order, deduplicated.
    outlet : str or None
        The outlet named in the byline ("(China Daily)", "for The Times").
    agencies : list of str
        Wire agencies credited ("Reuters", "AFP"; see ``AGENCY_KEYS``).
    """

    authors: list[str] = field(default_factory=list)
    outlet: str | None = None
    agencies: list[str] = field(default_factory=list)


def _fix_caps(name: str) -> str:
    """Title-case an all-caps name of two or more words ("JANE DOE" -> "Jane Doe")."""
    letters = [ch for ch in name if ch.isalpha()]
    if len(name.split()) < 2 or not letters or not all(ch.isupper() for ch in letters):
        return name

    def word(token: str) -> str:
        return "-".join(
            "'".join(p[:1].upper() + p[1:].lower() for p in part.split("'"))
            for part in token.split("-")
        )

    return " ".join(word(t) for t in name.split())


def _strip_noise(text: str) -> str:
    text = _EMAIL.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _READING.sub(" ", text)
    text = _UPDATED.sub("", text)
    text = _WS.sub(" ", _DATE_BITS.sub(" ", text)).strip(" ,;:|-–—·•")
    # the preposition a removed date leaves behind: "Written by Jane Doe on"
    return _DANGLING.sub("", text).rstrip(" ,;:|-–—·•")


def is_byline_line(line: str) -> bool:
    """Return whether a line of text is a byline ("By Jane Doe and John Roe", "记者 张三").

    Parameters
    ----------
    line : str
        One line of extracted text.

    Returns
    -------
    bool
        True for short lines that start as bylines do, in the corpus's languages.
    """
    line = line.strip()
    credited = _EDITING.sub("", line)  # "...; Editing by ..." adds no length to the byline
    return (len(credited.split()) <= MAX_BYLINE_WORDS and len(line) <= 200
            and BYLINE_LINE.match(line) is not None
            and not line.rstrip().endswith(("?", "!")))


def _is_handle(name: str) -> bool:
    """A CMS account or social handle: one lowercase token ("jsmith", "@jane", "web_team")."""
    if "@" in name or name.casefold().startswith(("powered by", "theme")):
        return True
    return " " not in name and name == name.lower() and name != name.upper()


def _name_from_chunk(chunk: str, site_keys: frozenset[str]) -> str | None:
    chunk = _strip_noise(chunk)
    chunk = _LEAD.sub("", chunk).strip()
    chunk = _LABEL.sub("", chunk).strip()
    chunk = _CJK_LABEL.sub("", chunk).strip()
    chunk = _AND_WITH.sub("", chunk).strip()
    if _CJK_NAME.match(chunk.replace(" ", "")):
        return chunk.replace(" ", "") or None
    chunk = _LOCATIVE.sub("", chunk).strip(" ,;:|-–—·•()[]")
    tokens = [t for t in chunk.split() if not any(ch.isdigit() for ch in t)
              and t.casefold().strip(".,") not in _TIME_TOKENS]
    if all(t.casefold().strip(".,") in ROLE_WORDS | FILLER_WORDS for t in tokens):
        return None
    if len(tokens) == 1 and _MONTH_OR_DAY.match(tokens[0]):
        return None

    def is_role(token: str) -> bool:
        return token.casefold().strip(".,") in ROLE_WORDS

    # role words at either end ("Staff Writer Jane Doe"), with the outlet's
    # name next to them ("Adam Aaronson PhillyVoice Staff"; but "Daniel
    # Lemire" on lemire.me keeps his name), a month or weekday left from a date
    popped = False
    while tokens and is_role(tokens[0]):
        tokens.pop(0)
        popped = True
    if popped and tokens and name_key(tokens[0]) in site_keys:
        tokens.pop(0)
    popped = False
    while tokens and (is_role(tokens[-1]) or (len(tokens) > 2 and _MONTH_OR_DAY.match(tokens[-1]))):
        popped = popped or is_role(tokens[-1])
        tokens.pop()
    if popped and tokens and name_key(tokens[-1]) in site_keys:
        tokens.pop()
    if popped and len(tokens) == 1:
        return None  # a desk, not a person: "Asia Correspondent", "Beijing Bureau Chief"
    if not tokens or len(tokens) > 6:
        return None
    if len(tokens) > 2 and any(_CJK_NAME.match(t[:2]) for t in tokens):
        return None  # CJK names are written without spaces: spaced CJK words are a phrase
    half = len(tokens) // 2
    if half and len(tokens) % 2 == 0 and tokens[:half] == tokens[half:]:
        tokens = tokens[:half]  # "Hagen von Eitzen Hagen von Eitzen": the name and its copy
    name = " ".join(tokens)
    lowered = name.casefold()
    if lowered in JUNK_NAMES or lowered.strip(".") in _SUFFIXES or _is_handle(name):
        return None
    if not _HAS_LETTER.search(name) or any(t.casefold() in _STOPWORDS_IN_NAME for t in tokens):
        return None
    if len(tokens) > 1 and any(t[:1].islower() and t not in NAME_PARTICLES for t in tokens):
        return None  # a phrase ("ich bin nicht da"), not a name; one-word handles may be lower case
    return _fix_caps(name)


def _is_outlet_like(name: str) -> bool:
    """Names of people do not start with "The"; outlets do ("The Pacific Courier")."""
    return name.split(maxsplit=1)[0].casefold() == "the" and len(name.split()) > 1


def _site_keys(sitename: str | None, hostname: str | None) -> frozenset[str]:
    keys = set()
    if sitename:
        keys.add(name_key(sitename))
    if hostname:
        host = hostname.lower().removeprefix("www.")
        keys.add(name_key(host.split(".")[0]))
        keys.add(name_key(host))
    keys.discard("")
    return frozenset(keys)


def _split_names(text: str, site_keys: frozenset[str]) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    for chunk in _SPLIT.split(text):
        if not chunk:
            continue
        name = _name_from_chunk(chunk, site_keys)
        if name and (key := name.casefold()) not in seen:
            seen.add(key)
            names.append(name)
    return names


def _keep_people(names: list[str], site_keys: frozenset[str]) -> list[str]:
    """Drop outlets credited beside people ("AFP/The Local" on thelocal.se, "By A
    and B, The Pacific Courier"); alone, an outlet-like name stays (a personal
    blog is named after its author)."""
    people = [n for n in names if name_key(n) not in site_keys and not _is_outlet_like(n)]
    return people or names


def parse_byline(
    text: str | None, *, sitename: str | None = None, hostname: str | None = None
) -> Byline:
    """Split a byline into author names and the outlet it names.

    Parameters
    ----------
    text : str or None
        A byline as printed ("By Zhang Yan in Beijing and Shi Xiaofeng in
        Hangzhou(China Daily)").
    sitename, hostname : str or None
        The site's name and host; tokens equal to them are not names.

    Returns
    -------
    Byline
        ``authors`` (e.g. ``["Zhang Yan", "Shi Xiaofeng"]``) and ``outlet``
        (e.g. ``"China Daily"``); empty when the text holds no names.
    """
    if not text:
        return Byline()
    text = _EDITING.sub("", _COUNTER.sub(" ", _WS.sub(" ", text))).strip()
    names, *after = _AFTER_NAMES.split(text, maxsplit=1)
    if after and _HAS_LETTER.search(names):
        # what follows the dash stays only when it credits a wire agency ("Jane Doe - Reuters")
        text = f"{names}, {after[0]}" if is_agency(after[0].strip()) else names
    outlet = None
    extra = ""
    while (match := _TRAILING_PAREN.search(text)) is not None:
        inner = match.group(1).strip()
        text = text[: match.start()].strip()
        if not inner or _URL.search(inner) or _EMAIL.search(inner) or not _HAS_LETTER.search(inner):
            continue
        if _AND_WITH.match(inner):
            extra += " and " + _AND_WITH.sub("", inner)
        elif outlet is None and len(inner.split()) <= 6:
            outlet = inner
    text = _strip_noise(text)
    text = _TITLE_AFTER_COMMA.sub("", text)
    if (match := _FOR_OUTLET.search(text)) is not None and len(match.group(1).split()) <= 6:
        outlet = outlet or match.group(1).strip()
        text = text[: match.start()]
    keys = _site_keys(sitename, hostname)
    if outlet:
        keys = keys | {name_key(outlet)}
    names = _split_names(text + extra, keys)
    agencies = [n for n in names if is_agency(n)]
    people = [n for n in names if not is_agency(n)]
    if outlet and is_agency(outlet):
        agencies.append(outlet)
        outlet = None
    people = _keep_people(people, keys) if people else []
    if agencies and all(name_key(n) in keys or _is_outlet_like(n) for n in people):
        people = []  # "AFP/The Local": the agency and the site, no person
    return Byline(people, outlet, agencies)


def is_agency(name: str) -> bool:
    """Whether ``name`` is a wire agency ("AP", "Reuters") or names an organisation
    ("Casa Editorial El Tiempo", "Example Media Group") rather than a person."""
    return name_key(name) in AGENCY_KEYS or _ORGANIZATION_WORD.search(name) is not None


def clean_authors(
    value: str | Iterable[str] | None,
    *,
    sitename: str | None = None,
    hostname: str | None = None,
) -> list[str]:
    """Return the author names in ``value``, cleaned and deduplicated.

    Parameters
    ----------
    value : str, iterable of str or None
        An author value from metadata or a byline: one string (names may be
        joined by ``;``, ``,``, "and", "&" ...) or a list of such strings.
    sitename, hostname : str or None
        The site's name and host; a value that is just the outlet is dropped.

    Returns
    -------
    list of str
        Names in order of appearance, case-insensitively deduplicated, with
        "By", roles, emails, dates and outlet tails removed and all-caps names
        title-cased; ``[]`` when nothing looks like a name.
    """
    if value is None:
        return []
    return clean_credits(value, sitename=sitename, hostname=hostname).authors


def clean_credits(
    value: str | Iterable[str] | None,
    *,
    sitename: str | None = None,
    hostname: str | None = None,
) -> Byline:
    """Return the people and the agencies credited in ``value`` (see ``clean_authors``).

    Parameters
    ----------
    value : str, iterable of str or None
        Author values or bylines.
    sitename, hostname : str or None
        The site's name and host.

    Returns
    -------
    Byline
        ``authors`` (people, deduplicated) and ``agencies``; ``outlet`` is None.
    """
    if value is None:
        return Byline()
    values = [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]
    names: list[str] = []
    agencies: list[str] = []
    for item in values:
        byline = parse_byline(item, sitename=sitename, hostname=hostname)
        names.extend(byline.authors)
        agencies.extend(byline.agencies)
    return Byline(_keep_people(_unique(names), _site_keys(sitename, hostname)), None,
                  _unique(agencies))


def _unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        if (key := name.casefold()) not in seen:
            seen.add(key)
            out.append(name)
    return out
