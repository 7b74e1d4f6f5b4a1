"""Datelines: the place a news story is filed from, at the head of a line, is a place mention.

A rule of :func:`toolkit.entities.aliases.resolve.resolve_aliases` (with the
gazetteers, ``AliasOptions(gazetteers=True)``), within an article. Agencies
open a story with where it was filed: "BEIJING 1996-08-30", "WASHINGTON (AP)
--", "Paris, Jan 3 -". Models miss these (a shouted word, no sentence
around it). The words at the start of a line, up to a date, an agency in
brackets or a dash, that the gazetteers know as a place become a GPE
mention (LOC for a continent) when no mention covers them.
"""

from __future__ import annotations

import re

from toolkit.entities.aliases.article import Article, overlaps
from toolkit.entities.aliases.table import Log
from toolkit.entities.gazetteers import Gazetteer, name_key

_MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|"
    "july|august|september|october|november|december"
)
# A place (capitalised words, dots and hyphens), then a date, an agency in brackets or a dash.
_DATELINE = re.compile(
    rf"^[ \t]*((?:[A-Z][\w.'\u2019-]*)(?:[ \t]+[A-Z][\w.'\u2019-]*){{0,3}})"
    rf"(?:,[ \t]*[A-Z][\w.]*)?[ \t]*,?[ \t]*"
    rf"(?=\d{{4}}-\d\d-\d\d|\(|[-\u2013\u2014]|(?i:(?:{_MONTHS})\.?[ \t]+\d))",
    re.MULTILINE,
)


def tag_datelines(art: Article, gaz: Gazetteer, log: Log) -> None:
    """Add the dateline places of the article that no mention covers (module docstring)."""
    if not art.text:
        return
    spans = art.spans()
    for match in _DATELINE.finditer(art.text):
        start, end = match.span(1)
        place = match.group(1).rstrip(".")
        end = start + len(place)
        key = name_key(place)
        if key not in gaz.places or overlaps(spans, start, end):
            continue
        label = "LOC" if key in gaz.regions else "GPE"
        art.add(start, end, label, place)
        log.add(art.article_id, place, place, label, "dateline place")
