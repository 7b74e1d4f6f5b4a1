"""Alias rules across articles: spellings, middle initials, single-word persons, label votes.

Rule 5 of :func:`toolkit.entities.aliases.resolve.resolve_aliases`, **across articles**:
spellings that differ only in case or dots are one entity (written in
ordinary case when any spelling is, then the most frequent); a full name with
middle initials is the same name without them when the corpus has it
("Michael R. Bloomberg" -> "Michael Bloomberg"); a single-word PERSON left
unresolved links to the one full name of the corpus holding that word when it
is its surname or is used alone for it in some article ("Xi" for "Xi
Jinping"), and NER mostly takes the word for a person or the word is no common
word and no place ("Trump" tagged ORG in articles that never name Donald Trump
in full); each entity gets one label by the label vote (:func:`vote_labels`:
a full name written as a PERSON anywhere outweighs bare-name guesses; else the
majority of its mentions).
"""

from __future__ import annotations

import re

import numpy as np
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
from toolkit.entities.gazetteers import Gazetteer


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


def _written_lower(name: str, article_ids, texts: dict[str, str]) -> bool:
    """Whether an article of ``article_ids`` writes ``name`` in lower case (a word, not a name)."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(name.lower())}(?![\w-])")
    return any(pattern.search(texts.get(a, "")) for a in set(article_ids))


def link_across(
    frame: pd.DataFrame,
    log: Log,
    gaz: Gazetteer | None = None,
    texts: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Link a single-word entity to the one full PERSON name of the corpus holding that word.

    The full names are the PERSON entities and their mentions' texts shaped
    like names (so a name the alias table renamed counts by its words). The
    word must be the full name's surname (its last word), or be used alone
    for that name within some article ("Xi" for "Xi Jinping"): a given name
    alone ("Morgan", "Pete") is too often someone else. With the gazetteer
    ``gaz``, a word the model labelled otherwise (ORG, GPE, ...) links too when
    it is no major place and no article of its mentions (``texts``) writes it
    in lower case ("Trump" ORG, "Bloomberg" GPE; not "Jordan", nor "apple"
    where an article speaks of apples); without it only PERSON mentions link.
    """
    persons = frame["label"].eq("PERSON")
    names = frame.loc[persons, "entity"].unique()
    if gaz is not None:
        single = ~frame["entity"].str.contains(" ", regex=False) & frame["label"].ne("NORP")
        names = pd.unique(np.concatenate([names, frame.loc[single, "entity"].unique()]))
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
    # A word NER mostly takes for something else ("Python", ORG) is no one's surname here
    # unless it is a proper name only (no common word, no major place):
    # count every mention written so, linked within its article or not.
    forms = {f"{name}{end}": name for name in links for end in ("", "'s", "\u2019s")}
    written = frame["text"].map(forms)
    counted = written.notna()
    persons_share = frame.loc[counted, "label"].eq("PERSON").groupby(written[counted]).mean()
    texts = texts or {}
    links = {
        name: full
        for name, full in links.items()
        if persons_share.get(name, 0) > 0.5
        or (
            gaz is not None
            and not gaz.is_major_place(name)
            and not _written_lower(name, frame.loc[written == name, "article_id"], texts)
        )
    }
    if not links:
        return frame
    hit = frame["entity"].isin(links) & (persons if gaz is None else frame["label"].ne("NORP"))
    if gaz is not None:
        # Where the article names the person in full, its own rule has decided ("in Warren"
        # stayed a place there): a mention labelled otherwise is left as it decided.
        named = set(zip(frame["article_id"], frame["entity"], strict=True))
        decided = [
            (article_id, links[entity]) in named and label != "PERSON"
            for article_id, entity, label in zip(
                frame.loc[hit, "article_id"], frame.loc[hit, "entity"], frame.loc[hit, "label"],
                strict=True,
            )
        ]
        hit.loc[hit] = ~pd.Series(decided, index=hit.index[hit], dtype=bool)
    target = frame.loc[hit, "entity"].map(links)
    for row in (
        frame.loc[hit, ["article_id", "text", "label"]]
        .assign(to=target)
        .drop_duplicates()
        .itertuples(index=False)
    ):
        relabel = "" if row.label == "PERSON" else f", relabelled from {row.label}"
        log.add(row.article_id, row.text, row.to, "PERSON", f"short name (corpus{relabel})")
    entity = frame["entity"].copy()
    entity[hit] = target
    label = frame["label"].copy()
    label[hit] = "PERSON"
    return frame.assign(entity=entity, label=label)


def vote_labels(frame: pd.DataFrame, log: Log) -> pd.DataFrame:
    """Give each entity one label, weighing the evidence; the log says which evidence won.

    A mention that writes a person's full name labelled PERSON ("Donald
    Trump") is evidence no count of bare-name guesses outweighs ("Trump" ORG
    x11): the entity is a PERSON ("label vote: full name"). Otherwise each
    mention is one vote for its label, ties going to the alphabetically first
    ("label vote: majority").
    """
    if frame.empty:
        return frame
    counts = frame.groupby(["entity", "label"], sort=True).size().reset_index(name="n")
    counts = counts.sort_values(["entity", "n", "label"], ascending=[True, False, True])
    best = counts.drop_duplicates("entity").set_index("entity")["label"]
    evidence = pd.Series("majority", index=best.index, dtype="str")
    full = frame["label"].eq("PERSON") & frame["text"].str.contains(" ", regex=False)
    if full.any():
        named = {
            entity
            for text, entity in frame.loc[full, ["text", "entity"]].drop_duplicates().itertuples(
                index=False
            )
            if full_forms(text, entity)
        }
        mixed = [e for e in named if best.get(e) != "PERSON"]
        best[mixed] = "PERSON"
        evidence[mixed] = "full name"
    voted = frame["entity"].map(best)
    why = frame["entity"].map(evidence)
    changed = voted.ne(frame["label"])
    for row in (
        frame.loc[changed, ["article_id", "text", "entity"]]
        .assign(to=voted[changed], why=why[changed])
        .drop_duplicates()
        .itertuples(index=False)
    ):
        log.add(row.article_id, row.text, row.entity, row.to, f"label vote: {row.why}")
    return frame.assign(label=voted)
