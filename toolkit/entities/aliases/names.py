"""Name rules: a mention's canonical form, the name inside a span, the shape of names and acronyms.

These are the string rules the alias steps share (and :mod:`toolkit.entities.recognize`,
which tidies NER's spans with :func:`trim_span` and :func:`keep_longest`);
they know nothing of frames or articles.

Rule 1 of :func:`toolkit.entities.aliases.resolve.resolve_aliases`, **normalise** each
mention's text (:func:`canonical_name`): whitespace collapsed, a leading "the"
and a trailing possessive "'s" removed, titles stripped from person names
("President Xi Jinping" -> "Xi Jinping"), a trailing " province" dropped from
places ("Zhejiang province" -> "Zhejiang").
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from toolkit.vocab import NAME_PARTICLES

#: Words stripped from the start of a person's name (lower case, without a final dot).
TITLES = frozenset(
    """
    mr mrs ms miss mx dr prof professor sir dame lord lady madam madame rev reverend
    president premier minister chancellor secretary ambassador governor gov mayor senator sen
    rep representative congressman congresswoman judge justice king queen prince princess
    emperor pope cardinal bishop archbishop sheikh imam rabbi chairman chairwoman chairperson
    gen general lt lieutenant col colonel maj major capt captain cmdr commander adm admiral
    sgt sergeant cpl corporal pvt officer inspector detective constable spokesman spokeswoman
    spokesperson director ceo coach taoiseach tanaiste tánaiste
    """.split()
)
#: Words that may precede a title ("Vice President", "Foreign Minister") and go with it.
TITLE_MODIFIERS = frozenset(
    """
    vice deputy prime foreign defence defense finance interior home state former acting chief
    senior assistant first grand supreme head interim executive managing
    """.split()
)
#: Small words that do not count for initials ("Ministry of Public Security" -> MPS).
MINOR_WORDS = frozenset({"of", "the", "and", "for", "on", "in", "de", "du", "des", "la", "&"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "PLACE"})

_SPACE = re.compile(r"\s+")
LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?<=[\w.])(?:['\u2019]s|(?<=\ws)['\u2019])$")
_PROVINCE = re.compile(r"\s+province$", re.IGNORECASE)
_EDGE_PUNCT = "\"'\u2018\u2019\u201c\u201d()[]{},;:"
#: Characters trimmed from both ends of a mention's span (quotes, bullets, pipes, separators).
_SPAN_EDGES = frozenset(
    "\"'`\u00b4\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a"
    "|\u00a6\u2022\u00b7\u2023\u25aa\u25cf*#~=<>_,;:/\\\u2013\u2014\u2015-\u2026"
)
_OPENING, _CLOSING = "([{", ")]}"
NAME_SUFFIXES = frozenset({"Jr", "Jr.", "Sr", "Sr.", "II", "III"})
INITIAL = re.compile(r"(?:[A-Z]\.){1,3}")
_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['\u2019-](?=[^\W\d_]))*")


# --------------------------------------------------------------------------- names
def strip_title(name: str) -> str:
    """Return ``name`` without leading titles ("Foreign Minister Wang Yi" -> "Wang Yi").

    At least one real title must lead (modifiers such as "Vice" alone are kept)
    and at least one word is always left.
    """
    words = name.split(" ")
    cut = 0
    seen_title = False
    for index, word in enumerate(words[:-1]):
        key = word.rstrip(".").lower()
        if key in TITLES:
            seen_title = True
            cut = index + 1
        elif key not in TITLE_MODIFIERS:
            break
    return " ".join(words[cut:]) if seen_title else name


def canonical_name(text: str, label: str) -> tuple[str, list[str]]:
    """Return the canonical form of a mention and the rules that changed it.

    Parameters
    ----------
    text : str
        The mention as written.
    label : str
        Its label (titles are stripped from PERSON only, " province" from places).

    Returns
    -------
    tuple of (str, list of str)
        The canonical name and the reasons ("whitespace", "leading 'the'",
        "possessive", "title", "province"), empty when unchanged.
    """
    reasons = []
    name = _SPACE.sub(" ", text).strip().strip(_EDGE_PUNCT).strip()
    if name != text:
        reasons.append("whitespace")
    stripped = LEADING_THE.sub("", name)
    if stripped != name and stripped:
        reasons.append("leading 'the'")
        name = stripped
    stripped = _POSSESSIVE.sub("", name)
    if stripped != name and stripped:
        reasons.append("possessive")
        name = stripped
    if label == "PERSON":
        stripped = strip_title(name)
        if stripped != name:
            reasons.append("title")
            name = stripped
    if label in _PLACE_LABELS:
        stripped = _PROVINCE.sub("", name)
        if stripped != name and stripped:
            reasons.append("province")
            name = stripped
    group = group_name(name)
    if group is not None and group != name:
        reasons.append("group of N")
        name = group
    return (name or text), reasons


_NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_GROUP_OF = re.compile(r"(?i)group\s+of\s+(\d+|[a-z]+)")
_G_NUMBER = re.compile(r"G[\s-]?(\d{1,3})")


def group_name(name: str) -> str | None:
    """"G20" for "Group of 20", "Group of Twenty", "G-20" or "G 20"; None for other names.

    The number may be written in figures or spelled (up to twenty: "Group of
    Seven" -> "G7").
    """
    match = _GROUP_OF.fullmatch(name)
    if match is not None:
        number = match.group(1)
        value = int(number) if number.isdigit() else _NUMBER_WORDS.get(number.lower())
        return None if value is None else f"G{value}"
    match = _G_NUMBER.fullmatch(name)
    return None if match is None else f"G{int(match.group(1))}"


@functools.lru_cache(maxsize=1 << 16)
def initials(name: str) -> tuple[str, ...]:
    """Return the acronyms of a multi-word name ("Ministry of Public Security" -> MPS, MOPS)."""
    words = [w for w in re.split(r"[\s-]+", name) if w]
    if len(words) < 2:
        return ()
    major = "".join(w[0] for w in words if w.lower() not in MINOR_WORDS).upper()
    every = "".join(w[0] for w in words).upper()
    return tuple(dict.fromkeys(a for a in (major, every) if len(a) >= 2))


def trim_span(text: str) -> tuple[int, int] | None:
    """Where the name inside a recognised span starts and ends, or None if it holds none.

    Quotes, bullets, pipes and separators are trimmed from both ends, and a
    bracket whose partner is not inside the span ("(Hou" -> "Hou"; "Islamic
    State (IS)" is kept). A span with no letter left ("| |", "-0.43",
    "784-432-2223") or only one lower-case letter (the "s" of a split "'s") is
    not a name.

    Parameters
    ----------
    text : str
        The span as written.

    Returns
    -------
    tuple of (int, int) or None
        ``(start, end)`` within ``text``, so ``text[start:end]`` is the name.
    """
    start, end = 0, len(text)
    if end > 1 and text[0].isalnum() and (text[-1].isalnum() or text[-1] == "."):
        if text.startswith("the ") or _POSSESSIVE.search(text):
            return _name_inside(text)
        # The usual span: nothing to trim; a name if it holds a letter.
        return (start, end) if any(c.isalpha() for c in text) else None
    while True:
        before = (start, end)
        while start < end and (text[start].isspace() or text[start] in _SPAN_EDGES):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in _SPAN_EDGES):
            end -= 1
        if start < end and text[start] in _OPENING:
            partner = _CLOSING[_OPENING.index(text[start])]
            inner = text[start + 1 : end]
            if partner not in inner or (inner.endswith(partner) and inner.count(partner) == 1):
                start += 1
                end -= inner.endswith(partner)
        if start < end and text[end - 1] in _CLOSING:
            if _OPENING[_CLOSING.index(text[end - 1])] not in text[start : end - 1]:
                end -= 1
        if start < end and text[end - 1] in _OPENING:  # "Blue Dogs (" -> "Blue Dogs"
            end -= 1
        if (start, end) == before:
            break
    name = text[start:end]
    if not any(c.isalpha() for c in name) or (len(name) == 1 and not name.isupper()):
        return None
    if name.startswith("the ") or _POSSESSIVE.search(name):
        inner = _name_inside(name)
        return None if inner is None else (start + inner[0], start + inner[1])
    return start, end


def _name_inside(text: str) -> tuple[int, int] | None:
    """``text`` without a leading lower-case "the" and a trailing possessive "'s".

    Neither is part of the name ("the Baltimore Orioles", "Shearer's"); a
    capital "The" may be ("The Hague"): see :func:`sentence_initial_the`.
    """
    start, end = 0, len(text)
    if text.startswith("the ") and len(text) > 4:
        start = 4
    possessive = _POSSESSIVE.search(text, start)
    if possessive is not None and possessive.start() > start:
        end = possessive.start()
    name = text[start:end].strip()
    if not any(c.isalpha() for c in name):
        return None
    return start, end


_TRAILING_NUMBER = re.compile(r"(?:\s+[\d(][\d\W]*)+$")
_SCORE = re.compile(r"\d[-:/.]\d")
#: Labels whose names never end in a number ("J. Russell 75", "AMSTERDAM 1996-08-30").
_NO_NUMBERS = frozenset({"PERSON", "GPE", "LOC", "NORP", "NE"})


def trailing_number_cut(text: str, label: str) -> int:
    """Where ``text`` ends without the numbers a table or dateline glued to it.

    Persons, places and groups lose every trailing number ("J. Russell 75",
    "AMSTERDAM 1996-08-30"); other names only scores and dates ("Estonia
    1-0"), as a number ends many of them ("Channel 4", "Apollo 11").
    """
    match = _TRAILING_NUMBER.search(text)
    if match is None or match.start() == 0:
        return len(text)
    if label in _NO_NUMBERS or _SCORE.search(match.group()):
        return match.start()
    return len(text)


def sentence_initial_the(body: str, start: int, end: int) -> int:
    """The start of a span without its "The " when that word opens a sentence or a line.

    "The United States said ..." names the United States; "The" inside a
    sentence is part of a name more often ("... wrote The New York Times").
    """
    if not body.startswith("The ", start) or end - start <= 4:
        return start
    window = max(0, start - 40)
    before = body[window:start].rstrip(" \t\"'\u201c\u2018(")
    if (not before and window == 0) or (before and before[-1] in ".!?\n:;"):
        return start + 4
    return start


@functools.lru_cache(maxsize=1 << 16)
def is_person_name(name: str) -> bool:
    """Whether ``name`` is shaped like a person's full name (two or more name words).

    Each word is a capitalised word ("Hou", "O'Brien", "Archer-Bradshaw"), an
    initial ("J.", "H.W."), a particle inside the name ("van", "bin") or a
    suffix at its end ("Jr."): no digits, acronyms, symbols or lower-case words
    ("Fetch API", "Omicron BA.2", "C++ JSON", "a Web API", "Ortonne N" are not).
    """
    words = name.split(" ")
    if len(words) < 2:
        return False
    last = len(words) - 1
    for index, word in enumerate(words):
        if _NAME_WORD.fullmatch(word) and word[0].isupper() and not word.isupper():
            continue
        if INITIAL.fullmatch(word) and index < last:
            continue
        if word in NAME_PARTICLES and 0 < index < last:
            continue
        if word in NAME_SUFFIXES and index == last:
            continue
        return False
    return True


@functools.lru_cache(maxsize=1 << 16)
def acronym_key(text: str) -> str | None:
    """``text`` without dots when it is an acronym in capitals ("U.S." -> "US"), else None."""
    if ACRONYM_TEXT_FULL.fullmatch(text):
        return text.replace(".", "")
    return None


ACRONYM_TEXT_FULL = re.compile(r"[A-Z][A-Z&]{1,7}|(?:[A-Z]\.){2,7}|(?:[A-Z]\.){1,6}[A-Z]")


def acronym_fits(acronym: str, name: str) -> bool:
    """Whether ``acronym``'s letters are the initials of ``name``'s words.

    A name of several words: the acronym is its initials, minor words
    ("of", "the") counted or not, a word in capitals giving all its letters
    ("IS" for "Islamic State", "MPS" for "Ministry of Public Security",
    "USPTO" for "US Patent and Trademark Office"). One word: the acronym's
    letters are among its capitals, the first first ("XHR" for
    "XMLHttpRequest"); so "Islamic" alone is the acronym of nothing.
    """
    letters = acronym.replace(".", "").replace("&", "").upper()
    words = [w for w in re.split(r"[\s-]+", name.replace(".", "")) if w]
    if len(words) >= 2:
        if letters in initials(name):
            return True
        major = [w for w in words if w.lower() not in MINOR_WORDS]
        return letters == "".join(w if w.isupper() else w[0] for w in major).upper()
    capitals = [c for c in name if c.isupper()]
    if len(capitals) < 2 or capitals[0] != letters[0]:
        return False
    rest = iter(capitals[1:])
    return all(letter in rest for letter in letters[1:])


def keep_longest(starts: Sequence[int], ends: Sequence[int]) -> list[int]:
    """Indices of the spans kept when overlapping spans give way to the longest.

    Longer spans first, then earlier ones; a span overlapping one already kept
    (nested in it, crossing it or equal to it) is dropped. Indices come back sorted.
    """
    order = sorted(range(len(starts)), key=lambda i: (starts[i] - ends[i], starts[i], i))
    kept_starts: list[int] = []
    kept_ends: list[int] = []
    keep = []
    for i in order:
        s, e = starts[i], ends[i]
        at = bisect.bisect_left(kept_starts, s)
        if at < len(kept_starts) and kept_starts[at] < e:
            continue
        if at and kept_ends[at - 1] > s:
            continue
        kept_starts.insert(at, s)
        kept_ends.insert(at, e)
        keep.append(i)
    return sorted(keep)


def _name_tokens(name: str) -> set[str]:
    """The words of a full name that can stand for it alone (not initials, particles, "Jr.")."""
    return {
        t
        for t in name.split(" ")
        if not INITIAL.fullmatch(t) and t not in NAME_PARTICLES and t not in NAME_SUFFIXES
    }


def token_owners(names: Iterable[str]) -> dict[str, list[str]]:
    owners: dict[str, list[str]] = defaultdict(list)
    for name in names:
        for token in _name_tokens(name):
            owners[token].append(name)
    return owners


def full_forms(text: str, entity: str) -> set[str]:
    """The full names a PERSON mention gives: its entity and its text without titles.

    Only those shaped like a person's name count, and not those opening with a
    common English word that is no given name ("Never Trump"); the text counts
    too so that a name the alias table renamed ("Hou Le" -> "Hou Le (official)")
    still lends its words to the short names.
    """
    return {
        name
        for name in (entity, canonical_name(text, "PERSON")[0])
        if " " in name and is_person_name(name) and not _opens_with_word(name)
    }


@functools.lru_cache(maxsize=1 << 14)
def _opens_with_word(name: str) -> bool:
    from toolkit.entities.gazetteers import gazetteer

    return gazetteer().is_common_word(name.split(" ")[0])


def entity_owners(forms: dict[str, set[str]]) -> dict[str, set[str]]:
    """Word of a full name -> the entities it may stand for (``forms``: full name -> entities)."""
    return {
        token: {entity for name in names for entity in forms[name]}
        for token, names in token_owners(forms).items()
    }
