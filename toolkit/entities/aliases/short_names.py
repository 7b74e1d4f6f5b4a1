"""Short names within an article: a bare surname or given name links to its one full name.

Rule 3 of :func:`toolkit.entities.aliases.resolve.resolve_aliases`. A "full name" is a PERSON
mention whose entity, or text without titles, is shaped like a person's name
(:func:`~toolkit.entities.aliases.names.is_person_name`): a name the alias table renamed
("Hou Le" -> "Hou Le (official)") still counts by its words. A later mention
made only of words of the full names of exactly one entity of the same article
links to that entity, whatever the name order: Chinese "Hou Le" ... "Hou" and
western "Thorsten Boelts" ... "Boelts" follow the same rule. NER often misses
such bare names, so the article text is scanned for them after the full
name's first mention; a word shared by two full names of the article is
ambiguous, and one also written in lower case in the article ("Milk") is a
common word: both are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.entities.aliases.article import Article, overlaps
from toolkit.entities.aliases.names import TITLES, entity_owners, full_forms
from toolkit.entities.aliases.table import Log

# Place names are often surnames too ("Jordan", "Washington"): never relabel them as persons.
_NO_RELABEL = frozenset({"GPE", "LOC", "PLACE", "NORP", "PERSON"})


@dataclass
class _FullNames:
    """The persons an article names in full.

    Attributes
    ----------
    first : dict of str to int
        Entity -> offset where it is first named in full.
    owners : dict of str to set of str
        Word of a full name -> the entities it may stand for.
    """

    first: dict[str, int]
    owners: dict[str, set[str]]


def _full_names(art: Article) -> _FullNames:
    """The PERSON entities the article names in full, and the words of their full names."""
    first: dict[str, int] = {}
    forms: dict[str, set[str]] = {}  # full name (entity or as written) -> entities
    for start, label, surface, entity in zip(
        art.start, art.label, art.surface, art.entity, strict=True
    ):
        names = full_forms(surface, entity) if label == "PERSON" else ()
        if names:
            first[entity] = min(start, first.get(entity, start))
        for name in names:
            forms.setdefault(name, set()).add(entity)
    return _FullNames(first, entity_owners(forms))


def link_short_names(art: Article, log: Log) -> None:
    names = _full_names(art)
    if not names.first:
        return
    for i, entity in enumerate(art.entity):
        if entity in names.first:
            continue
        tokens = entity.split(" ")
        candidates = set(names.owners.get(tokens[0], ()))
        for token in tokens[1:]:
            candidates &= names.owners.get(token, set())
        if len(candidates) != 1:
            continue
        (full,) = candidates
        if art.label[i] != "PERSON":
            # A surname NER took for an organisation; places and groups are left alone.
            if art.label[i] in _NO_RELABEL or len(tokens) > 1 or art.start[i] < names.first[full]:
                continue
        log.add(art.article_id, art.surface[i], full, "PERSON", "short name")
        art.entity[i] = full
        art.label[i] = "PERSON"


_NAME_BEFORE = re.compile(r"(?:^|[^\s.!?\"'\u201c\u2018(\[:;])\s+[A-Z][\w'\u2019-]*[ \t]+$")


def _capitalised_before(text: str, start: int) -> bool:
    """Whether a capitalised word that does not open the sentence comes right before ``start``.

    "Jean Le" is part of another name; "Later Hou" is not ("Later" opens a sentence).
    """
    return _NAME_BEFORE.search(text[max(0, start - 60) : start]) is not None


def scan_short_names(art: Article, stopwords: frozenset[str], log: Log) -> None:
    """Add the bare surnames / given names NER missed, after the full name's first mention."""
    names = _full_names(art)
    if not names.first or not art.text:
        return
    # A token NER calls a place or a group in this article ("Washington") is not scanned for.
    elsewhere = {
        name
        for label, surface, entity in zip(art.label, art.surface, art.entity, strict=True)
        if label in _NO_RELABEL and label != "PERSON"
        for name in (surface, entity)
    }
    tokens = {
        t: next(iter(owner))
        for t, owner in names.owners.items()
        if len(owner) == 1
        and t not in elsewhere
        and len(t) >= 2
        and t[0].isupper()
        and t.rstrip(".").lower() not in TITLES
        and t.lower() not in stopwords
    }
    if tokens:
        common = _lower_case_words(art.text, {t.lower() for t in tokens})
        tokens = {t: full for t, full in tokens.items() if t.lower() not in common}
    if not tokens:
        return
    alternatives = "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))
    # Not followed by another capitalised word ("Hou Yifan" is someone else), nor part of a
    # hyphenated compound ("Stoke-on-Trent"), a handle or an address ("Iain.smith@...").
    pattern = re.compile(rf"(?<![\w@./-])(?:{alternatives})\b(?![ \t]+[A-Z][a-z]|-\w|\.\w|@)")
    spans = art.spans()
    for match in pattern.finditer(art.text, min(names.first.values())):
        start, end = match.span()
        full = tokens[match.group()]
        if start < names.first[full] or overlaps(spans, start, end):
            continue
        if _capitalised_before(art.text, start):
            continue
        art.add(start, end, "PERSON", full)
        log.add(art.article_id, match.group(), full, "PERSON", "short name (text scan)")


# A word as written, not in a handle, address or file name ("@schukin", "iain.stewart@x.uk").
_TEXT_WORD = re.compile(r"(?<![\w@./'\u2019-])[\w'\u2019-]+(?![\w@'\u2019-]|\.\w)")


def _lower_case_words(text: str, words: set[str]) -> set[str]:
    """Those of ``words`` (in lower case) that ``text`` writes: common words, not names."""
    if not any(w in text for w in words):
        return set()
    return {w for w in _TEXT_WORD.findall(text) if w in words}
