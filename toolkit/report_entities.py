"""The entity steps of a run: entities, their co-occurrence, the network and its evidence."""

from __future__ import annotations

import pandas as pd

from .report_state import _readable, _Run
from .report_writer import _Writer


def _step_entities(run: _Run, w: _Writer) -> None:
    from .entities import extract_entities
    from .plots import plot_top_terms

    if not _readable(run):
        return
    w.section(
        "entities",
        "Entities",
        "People, organisations, places and other names found by named-entity recognition; "
        "short names and acronyms are merged into the full name they stand for.",
    )
    texts = _ner_articles(run, w)
    if texts.empty:
        return
    mentions, log = extract_entities(
        texts,
        backend=run.options.backend,
        cache=run.options.cache,
        progress=run.progress,
        return_log=True,
    )
    run.mentions = mentions
    run.nlp = {k: v for k, v in mentions.attrs.items() if k != "alias_log"}
    if mentions.empty:
        w.note("No entity was found in the readable articles.", kind="missing")
        w.table(mentions, "mentions", "Mentions")
        return
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
    w.table(by_label, "entity_labels", "Entities by type")
    chart = counts.rename(columns={"entity": "term", "mentions": "count"})[
        ["label", "term", "count"]
    ]
    chart = chart.set_index("label").loc[by_label["label"]].reset_index()
    ax = plot_top_terms(chart, n=10, title="Most named entities by type", ylabel="entity")
    w.figure(ax, "top_entities", "Most named entities by type", data=chart,
             caption="Mentions of each entity (after alias merging), one panel per entity type.")
    w.table(counts.sort_values(["mentions", "entity"], ascending=[False, True]),
            "entity_counts", "Entities", caption="Every entity with its mentions and articles.")
    w.table(log, "alias_merges", "Alias merges", view=_merge_summary(log),
            caption="Each written form merged into another name, and why (one row per form and "
            "reason, the links between names first, then the spelling normalisations).")
    w.table(mentions, "mentions", "Mentions", show=10)


def _ner_articles(run: _Run, w: _Writer) -> pd.DataFrame:
    """The readable articles in ``ner_languages`` (all of them when it is None)."""
    languages = run.options.ner_languages
    if languages is None:
        return run.usable
    language = run.usable["language"]
    keep = language.isin(languages) | language.isna()
    skipped = language.loc[~keep].value_counts()
    if not skipped.empty:
        listed = ", ".join(f"{k} {v}" for k, v in skipped.items())
        w.note(f"{int(skipped.sum())} readable article(s) in other languages ({listed}) are "
               f"left out of entity recognition: its model reads {', '.join(languages)}. "
               "Pass ner_languages=None to run it on every article.")
    if not keep.any():
        w.note("No readable article is in a language the entity model reads: no entities.",
               kind="missing")
    return run.usable.loc[keep]


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


def _step_cooccurrence(run: _Run, w: _Writer) -> None:
    from .cooccurrence import cooccurrence
    from .plots import plot_cooccurrence_heatmap

    if not _readable(run):
        return
    w.section(
        "cooccurrence",
        "Co-occurrence",
        f"Pairs of entities named in the same {run.options.window}, with association "
        "measures: count (windows holding both), n_articles, PMI and NPMI, G², Jaccard, Dice.",
    )
    if run.mentions is None or run.mentions.empty:
        w.note("No entities: no co-occurrence pairs, heatmap or network.", kind="missing")
        return
    pairs = cooccurrence(run.mentions, window=run.options.window)
    run.pairs = pairs
    if pairs.empty:
        w.note(f"No two entities are named in the same {run.options.window}: no pairs, "
               "heatmap or network.", kind="missing")
        return
    ax = plot_cooccurrence_heatmap(pairs, n=15)
    w.figure(ax, "cooccurrence_heatmap", "Co-occurrence of the top entities",
             data=pairs.head(200),
             caption=f"Number of {run.options.window}s naming both entities, for the "
             "entities of the strongest pairs.")
    w.table(pairs, "pairs", "Co-occurring pairs")
    _network(run, w)
    _strongest_evidence(run, w)


def _network(run: _Run, w: _Writer) -> None:
    from .graph import export_graph, to_graph
    from .plots import plot_network

    graph = to_graph(run.pairs, mentions=run.mentions)
    ax = plot_network(graph, top=run.options.network_top)
    w.figure(ax, "network", "Entity network", data=run.pairs.head(run.options.network_top),
             caption=f"The {run.options.network_top} strongest pairs: node size by mentions, "
             "edge width by count, colour by entity type.")
    paths = export_graph(graph, run.options.out / "network")
    w.note(f"The whole network ({graph.number_of_nodes()} entities, {graph.number_of_edges()} "
           "pairs) for Gephi", files={kind: w.extra_file(path) for kind, path in paths.items()})


def _strongest_evidence(run: _Run, w: _Writer) -> None:
    from .evidence import evidence

    best = run.pairs.sort_values(
        ["count", "g2", "entity_a", "entity_b"], ascending=[False, False, True, True]
    ).iloc[0]
    rows = evidence(run.mentions, run.usable, best["entity_a"], best["entity_b"],
                    window=run.options.window)
    w.table(rows, "evidence_strongest_pair",
            f"Evidence: {best['entity_a']} and {best['entity_b']}",
            view=rows[["title", "date", "text"]], show=20,
            caption="The sentences naming both entities of the most frequent pair.")
