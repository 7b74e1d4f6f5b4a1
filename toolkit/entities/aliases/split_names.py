"""Split names: one name the model cut in two (or cut short) becomes one mention again.

A rule of :func:`toolkit.entities.aliases.resolve.resolve_aliases`, within an
article, before short names and acronyms. A group's name that opens with an
adjective is often cut after it: "the Islamic State group" comes out as
"Islamic" (NORP) + "State" (ORG), or as "Islamic" alone. It is one ORG
mention, "Islamic State", when

- a NORP mention is followed, after one space, by an ORG mention ("Islamic" +
  "State" -> "Islamic State"), or
- a NORP mention is followed by capitalised words (no person's title) and then
  the word "group" ("Islamic State group" -> "Islamic State").

A lone adjective never becomes the organisation: "Islamic scholars" stays NORP,
and the merge log names the whole phrase, not the adjective, as the alias.
"""

from __future__ import annotations

import re

from toolkit.entities.aliases.article import Article
from toolkit.entities.aliases.names import TITLES
from toolkit.entities.aliases.table import Log

_CAPITALISED_THEN_GROUP = re.compile(r"((?:[ \t]+[A-Z][\w'\u2019-]*)+)[ \t]+group\b")


def _merge(art: Article, keep: int, end: int, drop: int | None, log: Log) -> None:
    """Extend mention ``keep`` to ``end`` as one ORG (mention ``drop`` goes into it)."""
    start = art.start[keep]
    art.move(keep, start, end)
    art.entity[keep] = art.surface[keep]
    art.label[keep] = "ORG"
    log.add(art.article_id, art.surface[keep], art.entity[keep], "ORG", "split name joined")
    if drop is not None:
        # Same span as ``keep``: dropped when the article's overlaps are resolved.
        art.move(drop, start, end)
        art.entity[drop], art.label[drop] = art.entity[keep], "ORG"


def join_split_names(art: Article, log: Log) -> None:
    """Join a NORP to the ORG or capitalised words it opens (module docstring)."""
    if "NORP" not in art.label:
        return
    by_start = {s: i for i, s in enumerate(art.start)}
    for i in range(len(art.start)):
        if art.label[i] != "NORP":
            continue
        end = art.end[i]
        following = by_start.get(end + 1)
        if (
            following is not None
            and art.label[following] == "ORG"
            and art.text is not None
            and art.text[end : end + 1] == " "
        ):
            _merge(art, i, art.end[following], following, log)
            continue
        if art.text is None:
            continue
        match = _CAPITALISED_THEN_GROUP.match(art.text, end)
        if match is None:
            continue
        words = match.group(1).split()
        if any(w.rstrip(".").lower() in TITLES for w in words):
            continue
        inside = [j for j in range(len(art.start)) if end <= art.start[j] < match.end(1)]
        if any(art.label[j] == "PERSON" for j in inside):
            continue
        _merge(art, i, match.end(1), inside[0] if len(inside) == 1 else None, log)
