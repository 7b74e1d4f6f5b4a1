"""Short names within an article: a bare surname or given name links to its one full name.

Rule 3 of :func:`toolkit.aliases.resolve_aliases`. A "full name" is a PERSON
entity shaped like a person's name (:func:`~toolkit.alias_names.is_person_name`).
A later mention made only of words of exactly one full name of the same
article links to it, whatever the name order: Chinese "Hou Le" ... "Hou" and
western "Thorsten Boelts" ... "Boelts" follow the same rule. NER often misses
such bare names, so the article text is scanned for them after the full
name's first mention; a word shared by two full names of the article is
ambiguous, and one also written in lower case in the article ("Milk") is a
common word: both are left alone.
"""

from __future__ import annotations

import re

from .alias_article import _Article, _overlaps
from .alias_names import TITLES, _owners, is_person_name
from .alias_table import _Log

# Place names are often surnames too ("Jordan", "Washington"): never relabel them as persons.
_NO_RELABEL = frozenset({"GPE", "LOC", "PLACE", "NORP", "PERSON"})


def _full_names(art: _Article) -> dict[str, int]:
    """PERSON entities of two or more words -> offset where the name is first written in full."""
    names: dict[str, int] = {}
    for start, label, entity in zip(art.start, art.label, art.entity, strict=True):
        if label == "PERSON" and " " in entity and is_person_name(entity):
            names[entity] = min(start, names.get(entity, start))
    return names


def _link_short_names(art: _Article, log: _Log) -> None:
    names = _full_names(art)
    if not names:
        return
    owners = _owners(names)
    for i, entity in enumerate(art.entity):
        if entity in names:
            continue
        tokens = entity.split(" ")
        candidates = set(owners.get(tokens[0], ()))
        for token in tokens[1:]:
            candidates &= set(owners.get(token, ()))
        if len(candidates) != 1:
            continue
        (full,) = candidates
        if art.label[i] != "PERSON":
            # A surname NER took for an organisation; places and groups are left alone.
            if art.label[i] in _NO_RELABEL or len(tokens) > 1 or art.start[i] < names[full]:
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


def _scan_short_names(art: _Article, stopwords: frozenset[str], log: _Log) -> None:
    """Add the bare surnames / given names NER missed, after the full name's first mention."""
    names = _full_names(art)
    if not names or not art.text:
        return
    owners = _owners(names)
    # A token NER calls a place or a group in this article ("Washington") is not scanned for.
    elsewhere = {
        name
        for label, surface, entity in zip(art.label, art.surface, art.entity, strict=True)
        if label in _NO_RELABEL and label != "PERSON"
        for name in (surface, entity)
    }
    tokens = {
        t: owner[0]
        for t, owner in owners.items()
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
    first = min(names.values())
    for match in pattern.finditer(art.text, first):
        start, end = match.span()
        full = tokens[match.group()]
        if start < names[full] or _overlaps(spans, start, end):
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
