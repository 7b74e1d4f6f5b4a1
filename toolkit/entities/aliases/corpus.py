"""Alias rules across articles: spellings, middle initials, single-word persons, label votes.

Rule 5 of :func:`toolkit.entities.aliases.resolve.resolve_aliases`, **across articles**:
spellings that differ only in case or dots are one entity (written in
ordinary case when any spelling is, then the most frequent); a full name with
middle initials is the same name without them when the corpus has it
("Michael R. Bloomberg" -> "Michael Bloomberg"); a single-word PERSON left
unresolved links to the one full name of the corpus holding that word when it
is its surname or is used alone for it in some article ("Xi" for "Xi
Jinping"), and NER mostly takes the word for a person; each entity gets one
label (the majority of its mentions).
"""

from __future__ import annotations

import re

import pandas as pd

from toolkit.entities.aliases.names import (
    INITIAL,
    NAME_SUFFIXES,
    canonical_name,
    full_forms,
    is_person_name,
    token_owners,
)
from toolkit.entities.aliases.table import Log


def _spelling_style(name: str) -> tuple[int, int]:
    """(all in lower case, words in capitals) of ``name``: lower is a better spelling."""
    words = re.findall(r"[^\W\d_]{2,}", name)
    return int(name == name.lower()), sum(w.isupper() for w in words)


def merge_spellings(frame: pd.DataFrame, log: Log) -> pd.DataFrame:
    """Spellings differing in case or dots become one entity.

    The name kept is written in ordinary case when any spelling is (not a
    headline's "THERESA VILLIERS" nor a lower-case "bosentan"), then the most
    frequent, then the first in sort order.
    """
    names = frame["entity"].value_counts()
    keys = names.index.str.casefold().str.replace(".", "", regex=False)
    several = keys.duplicated(keep=False)
    if not several.any():
        return frame
    counts = pd.DataFrame({"key": keys[several], "entity": names.index[several]})
    style = [_spelling_style(name) for name in counts["entity"]]
    counts = counts.assign(
        lower=[lower for lower, _ in style],
        caps=[caps for _, caps in style],
        n=names.to_numpy()[several],
    ).sort_values(
        ["key", "lower", "caps", "n", "entity"], ascending=[True, True, True, False, True]
    )
    best = counts.drop_duplicates("key").set_index("key")["entity"]
    to = {
        entity: best[key]
        for key, entity in zip(counts["key"], counts["entity"], strict=True)
        if best[key] != entity
    }
    changed = frame["entity"].isin(to.keys())
    merged = frame["entity"].mask(changed, frame["entity"][changed].map(to))
    for row in (
        frame.loc[changed, ["article_id", "entity", "label"]]
        .assign(to=merged[changed])
        .drop_duplicates()
        .itertuples(index=False)
    ):
        log.add(row.article_id, row.entity, row.to, row.label, "spelling variant")
    return frame.assign(entity=merged)


def merge_middle_initials(frame: pd.DataFrame, log: Log) -> pd.DataFrame:
    """A full name with middle initials is the person of the same name without them.

    "Michael R. Bloomberg" -> "Michael Bloomberg" when the corpus names him so too.
    """
    names = set(frame.loc[frame["label"].eq("PERSON"), "entity"].unique())
    to = {}
    for name in names:
        words = name.split(" ")
        if len(words) < 3 or not is_person_name(name):
            continue
        last = len(words) - 1
        plain = " ".join(
            w for i, w in enumerate(words) if not (0 < i < last and INITIAL.fullmatch(w))
        )
        if plain != name and plain in names:
            to[name] = plain
    if not to:
        return frame
    hit = frame["entity"].isin(to)
    target = frame.loc[hit, "entity"].map(to)
    for row in (
        frame.loc[hit, ["article_id", "entity", "label"]]
        .assign(to=target)
        .drop_duplicates()
        .itertuples(index=False)
    ):
        log.add(row.article_id, row.entity, row.to, row.label, "middle initial")
    return frame.assign(entity=frame["entity"].mask(hit, target))


def _surname(name: str) -> str:
    """The last word of a full name, suffixes aside ("Martin Luther King Jr." -> "King")."""
    words = [w for w in name.split(" ") if w not in NAME_SUFFIXES]
    return words[-1]


def link_across(frame: pd.DataFrame, log: Log) -> pd.DataFrame:
    """Link a single-word PERSON entity to the one full name of the corpus holding that word.

    The full names are the PERSON entities and their mentions' texts shaped
    like names (so a name the alias table renamed counts by its words). The
    word must be the full name's surname (its last word), or be used alone
    for that name within some article ("Xi" for "Xi Jinping"): a given name
    alone ("Morgan", "Pete") is too often someone else.
    """
    persons = frame["label"].eq("PERSON")
    names = frame.loc[persons, "entity"].unique()
    forms: dict[str, set[str]] = {}  # full name (entity or as written) -> entities
    for text, entity in (
        frame.loc[persons, ["text", "entity"]].drop_duplicates().itertuples(index=False)
    ):
        for name in full_forms(text, entity):
            forms.setdefault(name, set()).add(entity)
    owners = token_owners(forms)
    links, given = {}, {}
    for name in names:
        owner = owners.get(name, ())
        entities = {entity for form in owner for entity in forms[form]}
        if " " in name or len(entities) != 1:
            continue
        surname = any(_surname(form) == name for form in owner)
        (links if surname else given)[name] = entities.pop()
    if given:
        wanted = persons & frame["entity"].isin(set(given.values()))
        used = frame.loc[wanted, ["text", "entity"]].drop_duplicates()
        evidence = {
            (canonical_name(text, "PERSON")[0], entity)
            for text, entity in used.itertuples(index=False)
        }
        links.update({name: to for name, to in given.items() if (name, to) in evidence})
    if not links:
        return frame
    # A word NER mostly takes for something else ("Python", ORG) is no one's surname here:
    # count every mention written so, linked within its article or not.
    forms = {f"{name}{end}": name for name in links for end in ("", "'s", "\u2019s")}
    written = frame["text"].map(forms)
    counted = written.notna()
    persons_share = frame.loc[counted, "label"].eq("PERSON").groupby(written[counted]).mean()
    links = {name: full for name, full in links.items() if persons_share.get(name, 0) > 0.5}
    if not links:
        return frame
    hit = persons & frame["entity"].isin(links)
    target = frame.loc[hit, "entity"].map(links)
    for row in (
        frame.loc[hit, ["article_id", "text"]]
        .assign(to=target)
        .drop_duplicates()
        .itertuples(index=False)
    ):
        log.add(row.article_id, row.text, row.to, "PERSON", "short name (corpus)")
    entity = frame["entity"].copy()
    entity[hit] = target
    return frame.assign(entity=entity)


def vote_labels(frame: pd.DataFrame, log: Log) -> pd.DataFrame:
    counts = frame.groupby(["entity", "label"], sort=True).size().reset_index(name="n")
    counts = counts.sort_values(["entity", "n", "label"], ascending=[True, False, True])
    best = counts.drop_duplicates("entity").set_index("entity")["label"]
    voted = frame["entity"].map(best)
    changed = voted.ne(frame["label"])
    for row in (
        frame.loc[changed, ["article_id", "text", "entity"]]
        .assign(to=voted[changed])
        .drop_duplicates()
        .itertuples(index=False)
    ):
        log.add(row.article_id, row.text, row.entity, row.to, "label vote")
    return frame.assign(label=voted)
