"""Types from the gazetteers: a label the model guessed is confirmed, corrected or dropped.

Rules of :func:`toolkit.entities.aliases.resolve.resolve_aliases`, by what a name is
known to be (:mod:`toolkit.entities.gazetteers`; ``AliasOptions(gazetteers=False)``
turns them off):

Before the names are linked (:func:`correct_labels`):

- a name shaped like an institution's or a company's ("Ministry of Public
  Security", "Acme Inc.") is an ORG whatever the model said;
- a full name whose first word is a given name and none of whose other words
  is a place or a common word ("Naoko Kijimuta", ORG) is a PERSON;
- a single-word PERSON with a capital inside it ("OpenAI", not "McDonald")
  is an ORG;
- a GPE or LOC in capitals that is no place, no country's code ("US") and no
  alias of one ("AI") is dropped: an acronym the model took for a country.

After the names are linked (:func:`correct_places`):

- a single-word PERSON that is a known place and was linked to no person
  ("Nottingham", "Liechtenstein") is a GPE (LOC for a continent).

:func:`form_label` types a bare name by these sources alone: the typed NLTK
backend labels the binary chunker's spans with it.
"""

from __future__ import annotations

import re

import pandas as pd

from toolkit.entities.aliases.names import acronym_key, is_person_name
from toolkit.entities.aliases.table import COMMON_ABBREVIATIONS, Log, Table
from toolkit.entities.gazetteers import Gazetteer, name_key

_PLACE_LABELS = frozenset({"GPE", "LOC"})
#: Labels a full person's name may be corrected from (not NORP: "Democratic" is no one).
_MISTYPED_PERSON = frozenset({"ORG", "GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART", "NE"})


def person_by_given_name(name: str, gaz: Gazetteer) -> bool:
    """Whether ``name`` is a person's full name by its first word ("Amy Klobuchar").

    The first word is a given name, every word is shaped like a name, and no
    later word is a place or a common word
    ("Michael Jordan", "Naoko Kijimuta" yes; "Jordan River", "Paris
    Saint-Germain", "General Motors", "Aspen Times", "Wilson County" no). The
    evidence must be strong: it overrides the model's label.
    """
    words = name.split(" ")
    return (
        len(words) >= 2
        and is_person_name(name)
        and gaz.is_given_name(words[0])
        and not any(
            gaz.is_place(word) or gaz.is_common_word(word) for word in words[1:]
        )
        and not gaz.is_place(name)
    )


_CAMEL = re.compile(r"[a-z][A-Z]")
# Surnames written with an inner capital: McDonald, MacLeod, DeSantis, LaGuardia, DiMaggio.
_NAME_PREFIX = re.compile(r"(?:Mc|Mac|De|Di|Da|La|Le|Van|Von|Du)[A-Z][a-z]")


def camel_case(word: str) -> bool:
    """Whether a single word has a capital inside it as product and company names do ("OpenAI").

    Not the surnames that do ("McDonald", "DeSantis", "O'Brien").
    """
    return (
        " " not in word
        and word[:1].isupper()
        and _CAMEL.search(word) is not None
        and _NAME_PREFIX.match(word) is None
    )


def form_label(name: str, gaz: Gazetteer) -> str | None:
    """The type a name has by its form and the gazetteers alone, or None when they do not say.

    ORG for an institution's or company's form ("Ministry of Defence", "Acme
    Inc."); GPE for a known place (LOC for a continent, or a phrase ending in a
    kind of place: "Red Sea"); PERSON for a full name whose first word is a
    given name ("Amy Klobuchar") or a given name alone ("Amy"); for an acronym,
    its common abbreviation's type ("UN" ORG), GPE for a country's code
    ("US"), else ORG ("NATO").

    Parameters
    ----------
    name : str
        The name as written (without a leading "the").
    gaz : Gazetteer
        :func:`toolkit.entities.gazetteers.gazetteer`.

    Returns
    -------
    str or None
    """
    if gaz.org_form(name):
        return "ORG"
    acronym = acronym_key(name)
    if acronym is not None and len(acronym) <= 4:
        # Before the places: short city names abound among GeoNames' alternates ("Un").
        if acronym in COMMON_ABBREVIATIONS:
            return COMMON_ABBREVIATIONS[acronym][1]
        return "GPE" if gaz.is_code(acronym) else "ORG"
    key = name_key(name)
    if key in gaz.places:
        return "LOC" if key in gaz.regions else "GPE"
    if gaz.place_form(name):
        return "LOC"
    if person_by_given_name(name, gaz):
        return "PERSON"
    if " " not in name and gaz.is_given_name(name) and not gaz.is_common_word(name):
        return "PERSON"
    if acronym is not None:
        return "ORG"
    return None


def _drop_log(frame: pd.DataFrame, drop: pd.Series, reason: str, log: Log) -> None:
    for row in frame.loc[drop, ["article_id", "text", "label"]].drop_duplicates().itertuples(
        index=False
    ):
        log.add(row.article_id, row.text, "", row.label, f"dropped: {reason}")


def _relabel(frame: pd.DataFrame, to: pd.Series, reason: str, log: Log) -> pd.DataFrame:
    """Give the rows of ``to`` (index -> label) their new label; log each change."""
    changed = to[to.ne(frame.loc[to.index, "label"])]
    if changed.empty:
        return frame
    rows = frame.loc[changed.index, ["article_id", "text", "entity"]].assign(to=changed)
    for row in rows.drop_duplicates().itertuples(index=False):
        log.add(row.article_id, row.text, row.entity, row.to, f"relabelled: {reason}")
    label = frame["label"].copy()
    label[changed.index] = changed
    return frame.assign(label=label)


def correct_labels(
    frame: pd.DataFrame, gaz: Gazetteer, table: Table, log: Log
) -> tuple[pd.DataFrame, int]:
    """The corrections made before linking (module docstring); returns the frame and drops."""
    if frame.empty:
        return frame, 0
    pairs = frame[["entity", "label"]].drop_duplicates()
    org, person, junk = [], [], []
    for entity, label in pairs.itertuples(index=False):
        if label != "ORG" and label != "NORP" and gaz.org_form(entity):
            org.append((entity, label))
        elif label in _MISTYPED_PERSON and person_by_given_name(entity, gaz):
            person.append((entity, label))
        elif label == "PERSON" and camel_case(entity):
            org.append((entity, label))
        elif (
            label in _PLACE_LABELS
            and acronym_key(entity) is not None
            and not gaz.is_code(acronym_key(entity))
            and not gaz.is_place(entity)
            and table.lookup(entity) is None
        ):
            junk.append((entity, label))
    keys = pd.MultiIndex.from_frame(frame[["entity", "label"]])
    dropped = 0
    if junk:
        drop = pd.Series(keys.isin(junk), index=frame.index)
        _drop_log(frame, drop, "not a place", log)
        dropped = int(drop.sum())
        frame, keys = frame[~drop], keys[~drop.to_numpy()]
    for found, label, reason in ((org, "ORG", "organisation's name or form"),
                                 (person, "PERSON", "given name")):
        if found:
            hit = pd.Series(keys.isin(found), index=frame.index)
            frame = _relabel(frame, pd.Series(label, index=frame.index[hit]), reason, log)
    return frame, dropped


def correct_places(frame: pd.DataFrame, gaz: Gazetteer, log: Log) -> pd.DataFrame:
    """A single-word PERSON no person's name holds that is a known place becomes a place."""
    single = frame["label"].eq("PERSON") & ~frame["entity"].str.contains(" ", regex=False)
    if not single.any():
        return frame
    to = {}
    for entity in frame.loc[single, "entity"].unique():
        key = name_key(entity)
        if key in gaz.places and not gaz.is_given_name(entity):
            to[entity] = "LOC" if key in gaz.regions else "GPE"
    if not to:
        return frame
    hit = single & frame["entity"].isin(to)
    return _relabel(frame, frame.loc[hit, "entity"].map(to), "a place", log)
