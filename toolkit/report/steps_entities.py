"""The entity steps of a run: entities, their co-occurrence, the network and its evidence."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from toolkit.report.config import RunConfig
from toolkit.report.results import Figure, GraphFiles, Note, Section, StepResult, Table

ENTITIES = Section(
    "entities",
    "Entities",
    "People, organisations, places and other names found by named-entity recognition; "
    "short names and acronyms are merged into the full name they stand for.",
)


def cooccurrence_section(config: RunConfig) -> Section:
    """The co-occurrence section (its introduction names the window)."""
    return Section(
        "cooccurrence",
        "Co-occurrence",
        f"Pairs of entities named in the same {config.window}, with association "
        "measures: count (windows holding both), n_articles, PMI and NPMI, G² (signed: "
        "negative when the two are named together less often than chance), Jaccard, Dice.",
    )


def entities_step(inputs: Mapping[str, Any], config: RunConfig) -> StepResult:
    """Recognise and resolve the entities; give ``mentions`` and the ``nlp`` record."""
    from toolkit.entities import NEROptions, alias_log, extract_entities
    from toolkit.plots import plot_top_terms

    usable = inputs["usable"]
    if usable.empty:
        return StepResult(outputs={"mentions": None})
    result = StepResult(ENTITIES)
    texts = _ner_articles(usable, config, result)
    if texts.empty:
        result.outputs["mentions"] = None
        return result
    # NER is the slowest step: it runs on the run's worker processes too.
    ner = NEROptions(
        backend=config.backend, model=config.model,
        workers=min(config.workers, max(1, len(texts))),
    )
    mentions = extract_entities(
        texts, ner=ner, labels=config.labels, cache=config.cache, progress=inputs["progress"]
    )
    log = alias_log(mentions)
    result.outputs["mentions"] = mentions
    result.record["nlp"] = {k: v for k, v in mentions.attrs.items() if k != "alias_log"}
    if mentions.empty:
        result.add(Note("No entity was found in the readable articles.", kind="missing"),
                   Table(mentions, "mentions", "Mentions"))
        return result
    counts = (
        mentions.groupby(["label", "entity"])
        .agg(mentions=("entity", "size"), articles=("article_id", "nunique"))
        .reset_index()
        .sort_values(["label", "mentions", "entity"], ascending=[True, False, True])
    )
    by_label = (
        counts.groupby("label")
        .agg(entities=("entity", "size"), mentions=("mentions", "sum"))
        .reset_index()
        .sort_values(["mentions", "label"], ascending=[False, True])
    )
    chart = counts.rename(columns={"entity": "term", "mentions": "count"})[
        ["label", "term", "count"]
    ]
    chart = chart.set_index("label").loc[by_label["label"]].reset_index()
    result.add(
        Table(by_label, "entity_labels", "Entities by type"),
        Figure(plot_top_terms, chart,
               {"n": 10, "title": "Most named entities by type", "ylabel": "entity"},
               "top_entities", "Most named entities by type", data=chart,
               caption="Mentions of each entity (after alias merging), one panel per entity "
               "type."),
        Table(counts.sort_values(["mentions", "entity"], ascending=[False, True]),
              "entity_counts", "Entities", caption="Every entity with its mentions and articles."),
        Table(log, "alias_merges", "Alias merges", view=_merge_summary(log),
              caption="Each written form merged into another name, and why (one row per form "
              "and reason, the links between names first, then the spelling normalisations)."),
        Table(mentions, "mentions", "Mentions", show=10),
    )
    return result


def _ner_articles(usable: pd.DataFrame, config: RunConfig, result: StepResult) -> pd.DataFrame:
    """The readable articles in ``ner_languages`` (all of them when it is None)."""
    languages = config.ner_languages
    if languages is None:
        return usable
    language = usable["language"]
    keep = language.isin(languages) | language.isna()
    skipped = language.loc[~keep].value_counts()
    if not skipped.empty:
        listed = ", ".join(f"{k} {v}" for k, v in skipped.items())
        result.add(Note(
            f"{int(skipped.sum())} readable article(s) in other languages ({listed}) are "
            f"left out of entity recognition: its model reads {', '.join(languages)}. "
            "Pass ner_languages=None (toolkit run --ner-languages all) to run it on every "
            "article."
        ))
    if not keep.any():
        result.add(Note("No readable article is in a language the entity model reads: no "
                        "entities.", kind="missing"))
    return usable.loc[keep]


def _merge_summary(log: pd.DataFrame) -> pd.DataFrame:
    """One row per (alias, entity, reason) with its number of articles; links first."""
    if log.empty:
        return log
    summary = (
        log.groupby(["alias", "entity", "label", "reason"], dropna=False)["article_id"]
        .nunique()
        .reset_index(name="articles")
    )
    spelling = summary["reason"].astype(str).str.startswith("normalised")
    return (
        summary.assign(_spelling=spelling)
        .sort_values(["_spelling", "articles", "entity", "alias"],
                     ascending=[True, False, True, True])
        .drop(columns="_spelling")
    )


def cooccurrence_step(inputs: Mapping[str, Any], config: RunConfig) -> StepResult:
    """Pairs of entities, their heatmap and network, and the evidence of the strongest pair."""
    from toolkit.entities import cooccurrence, evidence, to_graph
    from toolkit.plots import plot_cooccurrence_heatmap, plot_network

    usable, mentions = inputs["usable"], inputs["mentions"]
    if usable.empty:
        return StepResult(outputs={"pairs": None})
    result = StepResult(cooccurrence_section(config), outputs={"pairs": None})
    window = config.window
    if mentions is None or mentions.empty:
        result.add(Note("No entities: no co-occurrence pairs, heatmap or network.",
                        kind="missing"))
        return result
    pairs = cooccurrence(mentions, window=window, min_count=config.pair_min_count)
    result.outputs["pairs"] = pairs
    if pairs.empty:
        at_least = f" at least {config.pair_min_count} times" if config.pair_min_count > 1 else ""
        result.add(Note(f"No two entities are named in the same {window}{at_least}: no pairs, "
                        "heatmap or network.", kind="missing"))
        return result
    graph = to_graph(pairs, mentions=mentions)
    top = config.network_top
    result.add(
        Figure(plot_cooccurrence_heatmap, pairs, {"n": 15}, "cooccurrence_heatmap",
               "Co-occurrence of the top entities", data=pairs.head(200),
               caption=f"Number of {window}s naming both entities, for the entities of the "
               "strongest pairs."),
        Table(pairs, "pairs", "Co-occurring pairs"),
        Figure(plot_network, graph, {"top": top}, "network", "Entity network",
               data=pairs.head(top),
               caption=f"The {top} strongest pairs: node size by mentions, edge width by "
               "count, colour by entity type."),
        GraphFiles(graph, "network", f"The whole network ({graph.number_of_nodes()} entities, "
                   f"{graph.number_of_edges()} pairs) for Gephi"),
    )
    best = pairs.sort_values(
        ["count", "g2", "entity_a", "entity_b"], ascending=[False, False, True, True]
    ).iloc[0]
    rows = evidence(mentions, usable, best["entity_a"], best["entity_b"], window=window)
    result.add(Table(rows, "evidence_strongest_pair",
                     f"Evidence: {best['entity_a']} and {best['entity_b']}",
                     view=rows[["title", "date", "text"]], show=20,
                     caption="The sentences naming both entities of the most frequent pair."))
    return result
