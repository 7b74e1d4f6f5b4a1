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

The model's label does not matter: "Klobuchar" tagged GPE after "Amy
Klobuchar" is her ("relabelled" in the log), unless the word stays a place
(:func:`stays_place`: a country, a first-level subdivision, a continent or a
city of a million people, "Jordan", "Washington"; or a place written after
"in", "from", "at", ... "in Warren"). A single word of the one multi-word
ORG of the article holding it ("Telekom" after "Deutsche Telekom") is that
organisation, unless it is a place, a common word or a given name; a NORP
("Democratic") never is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.entities.aliases.article import Article, overlaps
from toolkit.entities.aliases.names import TITLES, entity_owners, full_forms
from toolkit.entities.aliases.table import Log
from toolkit.entities.gazetteers import ORG_HEADS, Gazetteer, name_key
from toolkit.entities.recase import line_kind

_PLACES = frozenset({"GPE", "LOC", "PLACE"})
# A place written after one of these is the place, even when a person shares its name.
_LOCATIVE = re.compile(
    r"\b(?:in|at|from|into|near|outside|across|around|toward|towards|via)\s+$",
    re.IGNORECASE,
)


def stays_place(word: str, text: str | None, start: int, gaz: Gazetteer | None) -> bool:
    """Whether a bare ``word`` at ``start`` is a place rather than a person sharing its name.

    Major places always are ("Jordan", "Washington", "Houston"); a smaller
    known place is when a locative word comes right before it ("in Warren").
    Without a gazetteer every word the model took for a place stays one.
    """
    if gaz is None:
        return True
    if gaz.is_major_place(word):
        return True
    if text is None or not gaz.is_place(word):
        return False
    return _LOCATIVE.search(text[max(0, start - 12) : start]) is not None


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


def _may_relabel(art: Article, i: int, full_start: int, gaz: Gazetteer | None) -> bool:
    """Whether mention ``i``, labelled other than PERSON, may become the person named in full.

    Only after the full name (before it, "Bloomberg" may be the company), never
    a NORP ("Democratic"), and not a word that stays a place (:func:`stays_place`).
    """
    label = art.label[i]
    if art.start[i] < full_start or label == "NORP":
        return False
    if label in _PLACES:
        if gaz is None:
            return False
        return not any(
            stays_place(word, art.text, art.start[i], gaz) for word in art.entity[i].split(" ")
        )
    return True


def link_short_names(art: Article, log: Log, gaz: Gazetteer | None = None) -> None:
    """Link the bare surnames / given names of the article to its one full name holding them.

    ``gaz`` (the gazetteer) lets a name the model took for a place be the
    person (:func:`stays_place`); without it, places are left alone.
    """
    names = _full_names(art)
    if names.first:
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
            relabel = art.label[i] != "PERSON"
            if relabel and not _may_relabel(art, i, names.first[full], gaz):
                continue
            reason = "short name" + (f" (relabelled from {art.label[i]})" if relabel else "")
            log.add(art.article_id, art.surface[i], full, "PERSON", reason)
            art.entity[i] = full
            art.label[i] = "PERSON"
    if gaz is not None:
        link_org_short_names(art, log, gaz)


def _org_words(art: Article, gaz: Gazetteer) -> dict[str, tuple[str, int]]:
    """Word -> (ORG entity, first offset) for the words naming one multi-word ORG of the article.

    Its first or last word, when it is no place, common word, given name or
    institution noun ("Telekom" of "Deutsche Telekom"; not "Party", "Manchester").
    """
    first: dict[str, int] = {}
    for start, label, entity in zip(art.start, art.label, art.entity, strict=True):
        if label == "ORG" and " " in entity:
            first[entity] = min(start, first.get(entity, start))
    owners: dict[str, set[str]] = {}
    for entity in first:
        words = entity.split(" ")
        for word in {words[0], words[-1]}:
            owners.setdefault(word, set()).add(entity)
    return {
        word: (next(iter(entities)), first[next(iter(entities))])
        for word, entities in owners.items()
        if len(entities) == 1
        and len(word) >= 3
        and word[0].isupper()
        and not gaz.is_place(word)
        and not gaz.is_common_word(word)
        and not gaz.is_given_name(word)
        and name_key(word) not in ORG_HEADS
    }


def link_org_short_names(art: Article, log: Log, gaz: Gazetteer) -> None:
    """A single word of the article's one multi-word ORG holding it, named after it, is that ORG."""
    words = _org_words(art, gaz)
    if not words:
        return
    for i, entity in enumerate(art.entity):
        found = words.get(entity)
        # A PERSON here was linked to no person of the article (that rule ran first).
        if found is None or art.label[i] == "NORP" or art.start[i] < found[1]:
            continue
        full = found[0]
        relabel = art.label[i] != "ORG"
        reason = "short name" + (f" (relabelled from {art.label[i]})" if relabel else "")
        log.add(art.article_id, art.surface[i], full, "ORG", reason)
        art.entity[i] = full
        art.label[i] = "ORG"


_NAME_BEFORE = re.compile(r"(?:^|[^\s.!?\"'\u201c\u2018(\[:;])\s+[A-Z][\w'\u2019-]*[ \t]+$")


def _capitalised_before(text: str, start: int) -> bool:
    """Whether a capitalised word that does not open the sentence comes right before ``start``.

    "Jean Le" is part of another name; "Later Hou" is not ("Later" opens a sentence).
    """
    return _NAME_BEFORE.search(text[max(0, start - 60) : start]) is not None


def scan_short_names(
    art: Article, stopwords: frozenset[str], log: Log, gaz: Gazetteer | None = None
) -> None:
    """Add the bare surnames / given names NER missed, after the full name's first mention."""
    names = _full_names(art)
    if not names.first or not art.text:
        return
    # A token NER calls a group in this article, or a place that stays one ("Washington"),
    # is not scanned for.
    elsewhere = {
        name
        for start, label, surface, entity in zip(
            art.start, art.label, art.surface, art.entity, strict=True
        )
        if label == "NORP" or (label in _PLACES and stays_place(entity, art.text, start, gaz))
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
    _scan_headlines(art, tokens, log)
    spans = art.spans()
    for start, end, word in _occurrences(art.text, tokens, min(names.first.values())):
        full = tokens[word]
        if start < names.first[full] or overlaps(spans, start, end):
            continue
        if _capitalised_before(art.text, start):
            continue
        if gaz is not None and stays_place(word, art.text, start, gaz):
            continue
        art.add(start, end, "PERSON", full)
        log.add(art.article_id, word, full, "PERSON", "short name (text scan)")


# After a bare name: another capitalised word ("Hou Yifan" is someone else), a hyphenated
# compound ("Stoke-on-Trent"), a handle or an address ("Iain.smith@...").
_NOT_AFTER = re.compile(r"[ \t]+[A-Z][a-z]|-\w|\.\w|@|\w")
_NOT_BEFORE = frozenset("@./-_")


def _occurrences(text: str, words: dict[str, str], begin: int) -> list[tuple[int, int, str]]:
    """(start, end, word) of each of ``words`` written alone in ``text`` from ``begin`` on.

    Found with ``str.find`` (the words of one article change with it: a regex
    compiled per article costs more than the search); the longer word wins
    where two start at the same place.
    """
    found: dict[int, tuple[int, str]] = {}
    for word in sorted(words, key=len, reverse=True):
        at = text.find(word, begin)
        while at >= 0:
            end = at + len(word)
            before = text[at - 1] if at else ""
            if (
                at not in found
                and not (before.isalnum() or before in _NOT_BEFORE)
                and _NOT_AFTER.match(text, end) is None
            ):
                found[at] = (end, word)
            at = text.find(word, at + 1)
    out, reach = [], -1
    for start in sorted(found):
        end, word = found[start]
        if start >= reach:
            out.append((start, end, word))
            reach = end
    return out


def _scan_headlines(art: Article, tokens: dict[str, str], log: Log) -> None:
    """Add the bare names written in capitals in a headline ("LYNAGH" for Michael Lynagh).

    A headline sums up the article: its names are the body's, wherever the
    full name comes.
    """
    position = 0
    for line in art.text.split("\n"):
        start = position
        position += len(line) + 1
        if line_kind(line) != "caps":
            continue
        for match in re.finditer(r"[^\W\d_][\w'\u2019-]*", line):
            full = tokens.get(match.group().capitalize())
            if full is None or not match.group().isupper():
                continue
            begin, end = start + match.start(), start + match.end()
            if overlaps(art.spans(), begin, end):
                continue
            art.add(begin, end, "PERSON", full)
            log.add(art.article_id, match.group(), full, "PERSON", "short name (headline)")


# A word as written, not in a handle, address or file name ("@schukin", "iain.stewart@x.uk").
_TEXT_WORD = re.compile(r"(?<![\w@./'\u2019-])[\w'\u2019-]+(?![\w@'\u2019-]|\.\w)")


def _lower_case_words(text: str, words: set[str]) -> set[str]:
    """Those of ``words`` (in lower case) that ``text`` writes: common words, not names."""
    if not any(w in text for w in words):
        return set()
    return {w for w in _TEXT_WORD.findall(text) if w in words}
