"""Canonical entity names: :func:`resolve_aliases` runs the alias rules over a mentions frame.

The rules, in the order :func:`resolve_aliases` applies them (each rule's
detail is told where its code lives):

0. **Tidy the spans**: trim each mention to the name it holds, drop those
   holding none and, of overlapping mentions, all but the longest (here).
   Done again after the rules below, which add mentions.
1. **Junk** is dropped: hashtags, handles, URLs, pieces of words, lower-case
   starts, numbers, single letters (:mod:`toolkit.entities.aliases.junk`).
2. **Normalise** each mention's text: whitespace, "the", "'s", titles of
   persons, " province" of places, "Group of 20" -> "G20"
   (:mod:`toolkit.entities.aliases.names`).
3. **Alias table**: the user's table on top of the built-in very common
   abbreviations (:mod:`toolkit.entities.aliases.table`).
4. **Types from the gazetteers**: organisations and persons by their form,
   GPEs that are no place dropped (:mod:`toolkit.entities.aliases.types`);
   the places of datelines ("BEIJING 1996-08-30") added
   (:mod:`toolkit.entities.aliases.datelines`).
5. **Split names within an article** are joined ("Islamic" NORP + "State"
   ORG -> "Islamic State"; :mod:`toolkit.entities.aliases.split_names`).
   **Short names within an article** link to the article's one full name
   holding their words, whatever the model's label
   (:mod:`toolkit.entities.aliases.short_names`).
6. **Acronyms within an article** link to the name they are introduced for
   or are the initials of (:mod:`toolkit.entities.aliases.acronyms`).
7. **Across articles**: spelling variants, middle initials, single-word
   names of persons, places the model took for persons, one label per entity
   by the label vote (:mod:`toolkit.entities.aliases.corpus`).
8. The alias table is applied again, so the table has the last word.

Every change is written to a merge log (article_id, alias, entity, label,
reason): links, relabels ("relabelled: ...", "label vote: full name") and
drops (entity "", reason "dropped: ..."); ``attrs["dropped"]`` counts the
drops by reason.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from toolkit.entities.aliases.acronyms import link_acronyms
from toolkit.entities.aliases.article import (
    MENTION_COLUMNS,
    Layout,
    join_articles,
    split_articles,
)
from toolkit.entities.aliases.corpus import (
    link_across,
    merge_middle_initials,
    merge_spellings,
    vote_labels,
)
from toolkit.entities.aliases.datelines import tag_datelines
from toolkit.entities.aliases.junk import drop_junk
from toolkit.entities.aliases.names import (
    TITLE_MODIFIERS,
    TITLES,
    canonical_name,
    initials,
    is_person_name,
    keep_longest,
    strip_title,
    trim_span,
)
from toolkit.entities.aliases.short_names import link_short_names, scan_short_names
from toolkit.entities.aliases.split_names import join_split_names
from toolkit.entities.aliases.table import (
    ALIAS_COLUMNS,
    COMMON_ABBREVIATIONS,
    LOG_COLUMNS,
    UNTYPED_LABEL,
    Log,
    Table,
    alias_log,
    alias_table_from_log,
    apply_table,
    load_alias_table,
)
from toolkit.entities.aliases.types import correct_labels, correct_places
from toolkit.entities.gazetteers import gazetteer
from toolkit.resources import stopword_list

logger = logging.getLogger(__name__)

__all__ = [
    "ALIAS_COLUMNS",
    "COMMON_ABBREVIATIONS",
    "LOG_COLUMNS",
    "MENTION_COLUMNS",
    "TITLES",
    "TITLE_MODIFIERS",
    "UNTYPED_LABEL",
    "alias_log",
    "alias_table_from_log",
    "canonical_name",
    "initials",
    "is_person_name",
    "load_alias_table",
    "resolve_aliases",
    "strip_title",
    "trim_span",
]


# --------------------------------------------------------------------------- tidy
# Rule 0: quotes, bullets, pipes and separators are trimmed from each mention
# (offsets follow, so ``text[start:end]`` is still its text); a mention with no
# letter ("| |", "-0.43") is dropped; of overlapping mentions only the longest
# is kept ("Islamic" inside "East Turkestan Islamic Movement" goes). The rules
# add mentions, so each article drops its overlaps again before it is joined
# back (``_Article.drop_overlaps``).
def _trim_mentions(frame: pd.DataFrame) -> pd.DataFrame:
    """Trim each mention to the name it holds (offsets follow); drop those holding none."""
    if frame.empty:
        return frame
    cuts = {text: trim_span(text) for text in frame["text"].unique()}
    if all(cut == (0, len(text)) for text, cut in cuts.items()):
        return frame
    cut = frame["text"].map(cuts)
    kept = cut.notna()
    frame, cut = frame[kept], cut[kept]
    left = np.array([c[0] for c in cut], dtype=np.int64)
    right = np.array([c[1] for c in cut], dtype=np.int64)
    text = [t[a:b] for t, a, b in zip(frame["text"], left, right, strict=True)]
    logger.debug("%d mention(s) without a name dropped", int((~kept).sum()))
    return frame.assign(
        start=frame["start"].to_numpy() + left,
        end=frame["start"].to_numpy() + right,
        text=pd.Series(text, index=frame.index, dtype="str"),
    )


def _drop_overlaps(frame: pd.DataFrame) -> pd.DataFrame:
    """Of mentions overlapping in an article (nested, crossing or equal), keep the longest."""
    if frame.empty:
        return frame
    ordered = frame.sort_values(["article_id", "start", "end"], kind="stable")
    reach = ordered.groupby("article_id", sort=False)["end"].cummax()
    previous = reach.groupby(ordered["article_id"], sort=False).shift(1)
    clash = ordered["start"] < previous
    if not clash.any():
        return frame
    drop: list[Any] = []
    for article_id in ordered.loc[clash, "article_id"].unique():
        rows = frame[frame["article_id"] == article_id]
        kept = set(keep_longest(rows["start"].tolist(), rows["end"].tolist()))
        drop.extend(label for i, label in enumerate(rows.index) if i not in kept)
    logger.debug("%d mention(s) inside or across a longer one dropped", len(drop))
    return frame.drop(index=drop)


def _normalise(frame: pd.DataFrame, log: Log) -> pd.Series:
    pairs = frame[["text", "label"]].drop_duplicates()
    names = {}
    for text, label in pairs.itertuples(index=False):
        name, reasons = canonical_name(text, label)
        names[(text, label)] = name
    entity = pd.Series(
        [names[key] for key in zip(frame["text"], frame["label"], strict=True)],
        index=frame.index,
        dtype="str",
    )
    changed = frame.loc[entity.ne(frame["text"]), ["article_id", "text", "label"]]
    for row in changed.assign(to=entity[changed.index]).drop_duplicates().itertuples(index=False):
        reasons = canonical_name(row.text, row.label)[1]
        if reasons != ["whitespace"]:
            log.add(
                row.article_id, row.text, row.to, row.label, "normalised: " + ", ".join(reasons)
            )
    return entity


# --------------------------------------------------------------------------- driver
def _article_texts(articles: pd.DataFrame | None, text_col: str) -> dict[str, str]:
    if articles is None:
        return {}
    from toolkit.schema import usable_articles

    rows = usable_articles(articles, text_col=text_col)
    return dict(zip(rows["article_id"].astype("str"), rows[text_col].astype("str"), strict=True))


@dataclass(frozen=True)
class AliasOptions:
    """Which alias rules run (each can be turned off).

    Attributes
    ----------
    link : bool
        Link short names and acronyms to full names (within and across
        articles). When False, ``entity`` is only the normalised text.
    scan : bool
        Scan the article texts for bare names and acronyms NER missed.
    across : bool
        Apply the corpus-wide rules (spelling variants, middle initials, short
        names seen elsewhere, the label vote).
    common : bool
        Apply the built-in table of very common abbreviations
        (:data:`COMMON_ABBREVIATIONS`: "US", "U.S." and "USA" -> United States,
        "UN" -> United Nations, ...); a row of the user's table for the same
        alias replaces its entry (map an alias to itself to keep it as written).
    junk : bool
        Drop the mentions that name nothing (hashtags, handles, URLs, pieces
        of words, lower-case starts, numbers, single letters).
    gazetteers : bool
        Confirm or correct labels with the gazetteers (places, given names,
        organisation forms; :mod:`toolkit.entities.gazetteers`): an ORG or a
        PERSON by its form, a GPE that is no place dropped, a bare surname the
        model labelled a place or an organisation linked to its person. When
        False, a name the model took for a place is never relabelled.
    vote : bool
        Give each entity one label by the label vote (a full PERSON name
        outweighs bare-name guesses; else the majority).
    """

    link: bool = True
    scan: bool = True
    across: bool = True
    common: bool = True
    junk: bool = True
    gazetteers: bool = True
    vote: bool = True

    def __post_init__(self) -> None:
        for name in ("link", "scan", "across", "common", "junk", "gazetteers", "vote"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"AliasOptions.{name} must be True or False, got "
                                 f"{getattr(self, name)!r}")


def resolve_aliases(
    mentions: pd.DataFrame,
    *,
    articles: pd.DataFrame | None = None,
    aliases: str | Path | pd.DataFrame | None = None,
    options: AliasOptions | None = None,
    text_col: str = "text",
) -> pd.DataFrame:
    """Give every mention its canonical ``entity`` (rules in the module docstring).

    The second half of :func:`toolkit.entities.extract_entities`, after
    :func:`toolkit.entities.recognize_entities`; the merge log is
    :func:`alias_log` of the result.

    Parameters
    ----------
    mentions : pandas.DataFrame
        A mentions frame (``entity`` may be missing; it is recomputed from ``text``).
    articles : pandas.DataFrame, optional
        The articles the mentions come from. Needed to find what NER missed
        (bare surnames, acronyms); without it only the mentions are linked.
    aliases : str, Path or DataFrame, optional
        The user's alias table (CSV path or frame: alias, entity, label).
    options : AliasOptions, optional
        Which rules run (default all).
    text_col : str
        Text column of ``articles``.

    Returns
    -------
    pandas.DataFrame
        The mentions frame: ``article_id``, ``paragraph``, ``sentence``,
        ``start``, ``end``, ``text``, ``label``, ``entity``, ``backend``, sorted
        by article (input order) and ``start``; ``attrs["alias_log"]`` holds the
        merge log records (``alias_log`` makes them a frame).
    """
    options = AliasOptions() if options is None else options
    if not isinstance(options, AliasOptions):
        raise ValueError(f"options must be an AliasOptions, got {type(options).__name__}")
    return resolve(
        mentions, articles=articles, aliases=aliases, options=options, text_col=text_col
    )


def resolve(
    mentions: pd.DataFrame,
    *,
    articles: pd.DataFrame | None,
    aliases: str | Path | pd.DataFrame | None,
    options: AliasOptions,
    text_col: str = "text",
    layouts: dict[str, Layout] | None = None,
    clean: bool = True,
) -> pd.DataFrame:
    """The work of :func:`resolve_aliases`, for callers that hold more (the entities pipeline).

    ``layouts`` (article_id -> sentence layout) saves segmenting an article
    again to number a mention found by the scan; ``clean=False`` skips
    trimming spans that recognition has already trimmed.
    """
    missing = [c for c in MENTION_COLUMNS if c != "entity" and c not in mentions.columns]
    if missing:
        raise ValueError(f"mentions frame lacks column(s) {missing}")
    log = Log()
    table = Table.build(load_alias_table(aliases), options.common)
    if not options.link:
        out = mentions.reset_index(drop=True).astype({"article_id": "str"})
        out = out.assign(entity=_normalise(out, Log()))[MENTION_COLUMNS]
        out.attrs = {**mentions.attrs, "alias_log": []}
        return out
    texts = _article_texts(articles, text_col) if options.scan or options.junk else {}
    # str ids, as the articles' (mentions read back from a file may carry numbers)
    frame = mentions.reset_index(drop=True).astype({"article_id": "str"})
    if clean:
        frame = _drop_overlaps(_trim_mentions(frame)).reset_index(drop=True)
    dropped: Counter = Counter()
    if options.junk:
        frame, dropped = drop_junk(frame, texts, log)
    gaz = gazetteer() if options.gazetteers else None
    frame = apply_table(frame.assign(entity=_normalise(frame, log)), table, log)
    if gaz is not None:
        frame, n = correct_labels(frame, gaz, table, log)
        if n:
            dropped["not a place"] += n
    parts = split_articles(frame, texts if options.scan else {})
    stopwords = stopword_list("english")
    for art in parts:
        join_split_names(art, log)
        if gaz is not None and art.text is not None:
            tag_datelines(art, gaz, log)
        if art.text is not None:
            scan_short_names(art, stopwords, log, gaz)
        link_short_names(art, log, gaz)
        if art.text is not None:
            link_acronyms(art, log)
    for art in parts:
        art.drop_overlaps()
    out = join_articles(parts, layouts or {})
    if options.across and len(out):
        out = merge_spellings(out, log)
        out = merge_middle_initials(out, log)
        out = link_across(out, log, gaz, texts)
    if gaz is not None and len(out):
        out = correct_places(out, gaz, log)
    if options.across and len(out):
        if options.vote:
            out = vote_labels(out, log)
        out = apply_table(out, table, log)
    out = _sort(out)
    out.attrs = {
        **mentions.attrs,
        "alias_log": log.records(),
        "dropped": dict(sorted(dropped.items())),
        "gazetteers": dict(gaz.versions) if gaz is not None else {},
    }
    return out


def _sort(frame: pd.DataFrame) -> pd.DataFrame:
    order = pd.Series(pd.factorize(frame["article_id"])[0], index=frame.index)
    return (
        frame.assign(_order=order)
        .sort_values(["_order", "start", "end"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )
