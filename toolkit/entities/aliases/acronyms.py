"""Acronyms within an article: "UN" or "U.N." linked to the name it stands for there.

Rule 4 of :func:`toolkit.entities.aliases.resolve.resolve_aliases`. An acronym (plain "UN" or
dotted "U.N.") introduced in brackets right after a name whose letters it fits
("XMLHttpRequest (XHR)"; otherwise the capitalised phrase before the bracket
whose initials it is: "Green New Deal for Europe (GNDE)"), or equal to the
initials of exactly one multi-word entity of the article that is no person's
name ("UN" -> United Nations), links to it. When no entity matches, a
capitalised phrase written earlier in the article whose initials match and
that holds a mention ("The Islamic State group" with NER's "Islamic") becomes
the entity.
"""

from __future__ import annotations

import re
from collections import defaultdict

from toolkit.entities.aliases.article import Article, free
from toolkit.entities.aliases.names import (
    LEADING_THE,
    MINOR_WORDS,
    acronym_fits,
    acronym_key,
    canonical_name,
    initials,
)
from toolkit.entities.aliases.table import UNTYPED_LABEL, Log

# An acronym as written: "UN", "P&G", or dotted "U.N." (compared without its dots).
_ACRONYM_TEXT = r"[A-Z][A-Z&]{1,7}\b|(?:[A-Z]\.){2,7}(?!\w)"
_ACRONYM = re.compile(rf"(?<![\w.&])(?:{_ACRONYM_TEXT})")
_BRACKETED = re.compile(rf"\(\s*({_ACRONYM_TEXT})s?\s*\)")
# A capitalised word of a name (a lower-case letter after the capital: not "NH", "J" or "IV").
_TITLE_WORD = r"[A-Z][a-z\u00df-\u00ff][\w'\u2019-]*"
_PHRASE = re.compile(rf"{_TITLE_WORD}(?:\s+(?:(?:of|the|and|for|&)\s+)?{_TITLE_WORD})+")
_WORD_AT = re.compile(r"[\w'\u2019&.+-]+")
_BRACKET_MINOR = frozenset({"of", "the", "and", "for", "&", "de", "du", "des", "la", "on", "in"})


def _mostly_capitals(text: str, start: int) -> bool:
    """Whether the line holding ``start`` is a headline in capitals (acronyms unreliable there)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    words = re.findall(r"[A-Za-z]{2,}", text[line_start : line_end if line_end >= 0 else None])
    return sum(w.isupper() for w in words) * 2 > len(words)


def _by_initials(entity: str, label: str) -> bool:
    """Whether an acronym may stand for ``entity`` on its initials alone.

    Not for people ("MA" is not Marco Arment) nor for names with one-letter
    or lower-case words ("One S", "andFireman BH").
    """
    if label == "PERSON":
        return False
    words = [w for w in re.split(r"[\s-]+", entity) if w and w.lower() not in MINOR_WORDS]
    return all(len(w) >= 2 and w[0].isupper() for w in words)


def _entity_by_initials(art: Article) -> dict[str, set[int]]:
    persons = {e for e, label in zip(art.entity, art.label, strict=True) if label == "PERSON"}
    found: dict[str, set[int]] = defaultdict(set)
    usable: dict[tuple[str, str], tuple[str, ...]] = {}
    for i, key in enumerate(zip(art.entity, art.label, strict=True)):
        if key not in usable:
            entity, label = key
            ok = entity not in persons and _by_initials(entity, label)
            usable[key] = initials(entity) if ok else ()
        for acronym in usable[key]:
            found[acronym].add(i)
    return found


def _bracket_phrase(text: str, end: int, acronym: str) -> tuple[int, int, str] | None:
    """The shortest capitalised phrase ending at ``end`` whose initials are ``acronym``.

    "Green New Deal for Europe" before "(GNDE)"; a word in capitals gives all
    its letters ("US Patent and Trademark Office" before "(USPTO)").
    """
    line_start = text.rfind("\n", 0, end) + 1
    words = list(_WORD_AT.finditer(text, line_start, end))
    letters = ""
    for k in range(len(words) - 1, -1, -1):
        word = words[k]
        if k < len(words) - 1 and not text[word.end() : words[k + 1].start()].isspace():
            break
        written = word.group()
        if written.lower() in _BRACKET_MINOR:
            continue
        if not written[0].isupper():
            break
        key = acronym_key(written)
        letters = (key if key is not None else written[0]) + letters
        if letters == acronym:
            return word.start(), end, text[word.start() : end]
        if not acronym.endswith(letters):
            break
    return None


def _bracketed_targets(art: Article, log: Log) -> dict[str, tuple[str, str]]:
    """Acronym (without dots) -> (entity, label) it is introduced for by "Name (ACRONYM)".

    The name is the mention written right before the bracket when the
    acronym's letters fit it, else the capitalised phrase there whose initials
    it is (that phrase becomes a mention); otherwise the bracket is no
    introduction ("Calif. (KGO)").
    """
    targets: dict[str, tuple[str, str]] = {}
    for match in _BRACKETED.finditer(art.text):
        written = match.group(1)
        acronym = written.replace(".", "")
        if acronym in targets:
            continue
        end = len(art.text[: match.start()].rstrip())
        before = [i for i, e in enumerate(art.end) if e == end and art.start[i] < end]
        index = before[0] if before else None
        if index is not None and art.entity[index] in (written, acronym):
            continue
        if index is not None and acronym_fits(acronym, art.entity[index]):
            targets[acronym] = (art.entity[index], art.label[index])
            continue
        found = _bracket_phrase(art.text, end, acronym)
        if found is not None:
            start, end, phrase = found
            label = _expand_at(art, start, end, phrase, log)
            targets[acronym] = (canonical_name(phrase, label)[0], label)
    return targets


def _phrase_expansion(art: Article, acronym: str, before: int) -> tuple[int, int, str] | None:
    """A capitalised phrase before ``before`` with initials ``acronym`` holding a mention.

    The mentions in it must not be persons' names ("Marco Arment" is no "MA"),
    even where NER labelled one of them otherwise.
    """
    persons = {e for e, label in zip(art.entity, art.label, strict=True) if label == "PERSON"}
    found: dict[str, tuple[int, int]] = {}
    for match in _PHRASE.finditer(art.text, 0, before):
        phrase = LEADING_THE.sub("", match.group())
        start = match.end() - len(phrase)
        if acronym not in initials(phrase):
            continue
        inside = _inside(art, start, match.end())
        if inside and all(art.entity[i] not in persons for i in inside):
            found.setdefault(phrase, (start, match.end()))
    if len(found) != 1:
        return None
    ((phrase, (start, end)),) = found.items()
    return start, end, phrase


def _inside(art: Article, start: int, end: int) -> list[int]:
    """Indices of the mentions overlapping ``[start, end)``."""
    return [i for i in range(len(art.start)) if art.start[i] < end and start < art.end[i]]


def _absorb(
    art: Article, start: int, end: int, entity: str, log: Log, label: str | None = None
) -> str:
    """Make ``text[start:end]`` one mention of ``entity``, replacing the mentions inside it.

    The label is that of a mention covering the whole span, else ORG (a part
    of the name says little: "Islamic" NORP in "Islamic State", "Europe" LOC in
    "Green New Deal for Europe"), or NE in an article labelled without types.
    """
    inside = [i for i in range(len(art.start)) if start <= art.start[i] and art.end[i] <= end]
    if label is None:
        whole = [art.label[i] for i in inside if (art.start[i], art.end[i]) == (start, end)]
        untyped = UNTYPED_LABEL in art.label  # the article's labels have no types
        label = whole[0] if whole else UNTYPED_LABEL if untyped else "ORG"
    # The longest mention inside is extended to the phrase; the others become duplicates
    # of it (dropped later), not aliases of the phrase ("US" in "US Patent and Trademark Office").
    longest = max(inside, key=lambda i: (art.end[i] - art.start[i], -i), default=None)
    if longest is not None and (art.entity[longest], art.label[longest]) != (entity, label):
        # The alias is the phrase as written, not the part the model found: "Islamic" (NORP)
        # inside "Islamic State" is no alias of the group, only its mention grows.
        log.add(art.article_id, art.text[start:end], entity, label, "acronym expansion")
    for i in inside:
        art.move(i, start, end)
        art.entity[i], art.label[i] = entity, label
    if not inside:
        art.add(start, end, label, entity)
    return label


def link_acronyms(art: Article, log: Log) -> None:
    if not art.text:
        return
    bracketed = _bracketed_targets(art, log)
    by_initials = _entity_by_initials(art)
    expansions: dict[str, tuple[str, str] | None] = {}
    for match in _ACRONYM.finditer(art.text):
        (start, end), acronym = match.span(), match.group().replace(".", "")
        if _mostly_capitals(art.text, start):
            continue
        if acronym in bracketed:
            (entity, label), reason = bracketed[acronym], "acronym (introduced)"
        elif len({art.entity[i] for i in by_initials.get(acronym, ())}) == 1:
            target = next(iter(by_initials[acronym]))
            entity, label, reason = art.entity[target], art.label[target], "acronym (initials)"
        else:
            if acronym not in expansions:
                expansions[acronym] = _expand(art, acronym, start, log)
            if expansions[acronym] is None:
                continue
            (entity, label), reason = expansions[acronym], "acronym (initials of a phrase)"
        _set_acronym(art, start, end, entity, label, reason, log)


def _expand(art: Article, acronym: str, before: int, log: Log) -> tuple[str, str] | None:
    found = _phrase_expansion(art, acronym, before)
    if found is None:
        return None
    start, end, phrase = found
    return phrase, _expand_at(art, start, end, phrase, log)


def _expand_at(art: Article, start: int, end: int, phrase: str, log: Log) -> str:
    """Make the phrase at ``[start, end)`` and its other occurrences mentions; return the label."""
    label = _absorb(art, start, end, phrase, log)
    for match in re.finditer(rf"\b(?:[Tt]he\s+)?{re.escape(phrase)}\b", art.text):
        s = match.end() - len(phrase)
        if s != start:
            _absorb(art, s, match.end(), phrase, log, label)
    return label


def _set_acronym(
    art: Article, start: int, end: int, entity: str, label: str, reason: str, log: Log
) -> None:
    for i in range(len(art.start)):
        if art.start[i] == start and art.end[i] == end:
            if art.entity[i] != entity:
                art.entity[i], art.label[i] = entity, label
                log.add(art.article_id, art.surface[i], entity, label, reason)
            return
    if free(art, start, end):
        art.add(start, end, label, entity)
        log.add(art.article_id, art.text[start:end], entity, label, reason)
