"""Entity networks: a pairs frame as a networkx graph, exported for Gephi."""

from __future__ import annotations

import logging
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from toolkit.entities.pairs import entity_labels
from toolkit.ingest.formulas import csv_ready
from toolkit.vocab import PAIR_MEASURES, PairMeasure

logger = logging.getLogger(__name__)

MEASURES = PAIR_MEASURES
Measure = PairMeasure
NODE_COLUMNS = ["entity", "label", "mentions", "articles", "degree"]
#: What a pairs frame needs to become a graph (measures beyond ``count`` are carried if there).
NEEDED_COLUMNS: tuple[str, ...] = ("entity_a", "entity_b", "label_a", "label_b", "count")
EDGE_COLUMNS = ["entity_a", "entity_b", "weight", *MEASURES]


def _select(pairs: pd.DataFrame, min_count: int, top: int | None, measure: str) -> pd.DataFrame:
    chosen = pairs[pairs["count"] >= min_count]
    if top is not None:
        chosen = chosen.sort_values(
            [measure, "count", "entity_a", "entity_b"],
            ascending=[False, False, True, True],
            kind="stable",
        ).head(top)
    return chosen


def _node_table(chosen: pd.DataFrame, mentions: pd.DataFrame | None) -> pd.DataFrame:
    """label, mentions, articles of each entity of ``chosen``."""
    names = pd.Index(pd.unique(pd.concat([chosen["entity_a"], chosen["entity_b"]])), name="entity")
    if mentions is not None:
        stats = mentions.groupby("entity").agg(
            mentions=("entity", "size"), articles=("article_id", "nunique")
        )
        table = stats.reindex(names).fillna(0).astype("int64")
        return table.assign(label=entity_labels(mentions).reindex(names).fillna(""))
    # Without mentions: the most a pairs frame can say (lower bounds of the true numbers).
    if "n_articles" not in chosen.columns:
        chosen = chosen.assign(n_articles=chosen["count"])
    ends = pd.concat(
        [
            chosen[["entity_a", "label_a", "count", "n_articles"]].set_axis(
                ["entity", "label", "count", "n_articles"], axis=1
            ),
            chosen[["entity_b", "label_b", "count", "n_articles"]].set_axis(
                ["entity", "label", "count", "n_articles"], axis=1
            ),
        ]
    )
    grouped = ends.groupby("entity")
    return pd.DataFrame(
        {
            "label": grouped["label"].first(),
            "mentions": grouped["count"].max(),
            "articles": grouped["n_articles"].max(),
        }
    ).reindex(names)


def to_graph(
    pairs: pd.DataFrame,
    *,
    min_count: int = 1,
    top: int | None = None,
    measure: Measure = "count",
    mentions: pd.DataFrame | None = None,
) -> nx.Graph:
    """Build the entity network of a pairs frame.

    Parameters
    ----------
    pairs : pandas.DataFrame
        A pairs frame (:func:`toolkit.entities.pairs.cooccurrence`), of one period.
    min_count : int
        Keep pairs with at least this ``count``.
    top : int, optional
        Keep only the ``top`` pairs by ``measure`` (ties: count, then names).
    measure : {"count", "n_articles", "pmi", "npmi", "g2", "jaccard", "dice"}
        Edge ``weight`` and the ranking for ``top``.
    mentions : pandas.DataFrame, optional
        The mentions frame, for exact node ``mentions`` and ``articles``.
        Without it they are lower bounds taken from the pairs (the largest
        ``count`` / ``n_articles`` of the node's edges).

    Returns
    -------
    networkx.Graph
        Nodes: entities, with attributes ``label``, ``mentions``, ``articles``.
        Edges: attributes ``weight`` (= ``measure``) and every measure the
        pairs frame holds (``count``, ``n_articles``, ``pmi``, ``npmi``, ``g2``,
        ``jaccard``, ``dice``). Graph attributes: ``window``, ``measure``.
    """
    if measure not in MEASURES:
        raise ValueError(f"measure={measure!r} is not one of {list(MEASURES)}")
    missing = [c for c in (*NEEDED_COLUMNS, measure) if c not in pairs.columns]
    if missing:
        raise ValueError(f"pairs frame lacks column(s) {missing} (see cooccurrence)")
    if "period" in pairs.columns and pairs["period"].nunique() > 1:
        raise ValueError("pairs hold several periods: select one (pairs[pairs.period == p])")
    if top is not None and top < 1:
        raise ValueError(f"top must be a positive int or None, got {top}")
    chosen = _select(pairs, min_count, top, measure)
    nodes = _node_table(chosen, mentions)
    graph = nx.Graph(window=str(pairs.attrs.get("window", "")), measure=measure)
    for name, row in nodes.iterrows():
        graph.add_node(
            name,
            label=str(row["label"]),
            mentions=int(row["mentions"]),
            articles=int(row["articles"]),
        )
    measures = [m for m in MEASURES if m in chosen.columns]
    records = chosen[["entity_a", "entity_b", *measures]].to_dict("records")
    graph.add_edges_from(
        (
            r.pop("entity_a"),
            r.pop("entity_b"),
            {"weight": float(r[measure]), **{k: _plain(v) for k, v in r.items()}},
        )
        for r in records
    )
    logger.info("graph: %d nodes, %d edges", graph.number_of_nodes(), graph.number_of_edges())
    return graph


def _plain(value):
    """numpy scalars -> Python (GEXF/GraphML writers need them); NaN stays float."""
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def graph_tables(graph: nx.Graph) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the node and edge tables of ``graph``.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Nodes: ``entity``, ``label``, ``mentions``, ``articles``, ``degree``.
        Edges: ``entity_a``, ``entity_b`` (sorted within the pair), ``weight``
        and the measures.
    """
    nodes = pd.DataFrame(
        [
            {
                "entity": n,
                **{k: d.get(k) for k in ("label", "mentions", "articles")},
                "degree": graph.degree(n),
            }
            for n, d in graph.nodes(data=True)
        ],
        columns=NODE_COLUMNS,
    )
    edges = pd.DataFrame(
        [
            {
                "entity_a": min(u, v),
                "entity_b": max(u, v),
                **{k: d.get(k) for k in EDGE_COLUMNS[2:]},
            }
            for u, v, d in graph.edges(data=True)
        ],
        columns=EDGE_COLUMNS,
    )
    return nodes, edges


def _targets(path_or_dir: str | Path) -> tuple[Path, str]:
    path = Path(path_or_dir)
    if path.suffix.lower() in (".gexf", ".graphml", ".csv"):
        return path.parent, path.stem
    return path, "network"


def export_graph(graph: nx.Graph, path_or_dir: str | Path) -> dict[str, Path]:
    """Write ``graph`` as GEXF and GraphML (Gephi opens both) and its node and edge tables as CSV.

    Parameters
    ----------
    graph : networkx.Graph
        From :func:`to_graph`.
    path_or_dir : str or Path
        A folder (files are named ``network.*``) or a file path whose stem
        names the files (``reports/g20.gexf`` -> ``reports/g20.gexf``,
        ``g20.graphml``, ``g20_nodes.csv``, ``g20_edges.csv``).

    Returns
    -------
    dict of str to Path
        ``gexf``, ``graphml``, ``nodes``, ``edges`` -> the files written. In the
        GEXF and GraphML files a node's ``label`` is its name (what Gephi shows)
        and ``entity_label`` its type; the CSV tables keep the columns of
        :func:`graph_tables`.
    """
    folder, stem = _targets(path_or_dir)
    folder.mkdir(parents=True, exist_ok=True)
    clean = _writable(graph)
    paths = {
        "gexf": folder / f"{stem}.gexf",
        "graphml": folder / f"{stem}.graphml",
        "nodes": folder / f"{stem}_nodes.csv",
        "edges": folder / f"{stem}_edges.csv",
    }
    nx.write_gexf(clean, paths["gexf"])
    nx.write_graphml(clean, paths["graphml"])
    nodes, edges = graph_tables(graph)
    csv_ready(nodes).to_csv(paths["nodes"], index=False)
    csv_ready(edges).to_csv(paths["edges"], index=False)
    logger.info("wrote the network to %s", folder)
    return paths


def _writable(graph: nx.Graph) -> nx.Graph:
    """A copy for GEXF/GraphML: no None attributes; the entity type moved to ``entity_label``.

    Gephi (and networkx's GEXF writer) take a node's ``label`` as the name to
    display, so the files carry the entity name there and its type in
    ``entity_label``.
    """
    clean = nx.Graph()
    clean.graph.update({k: str(v) for k, v in graph.graph.items() if v is not None})
    for node, data in graph.nodes(data=True):
        attributes = {k: v for k, v in data.items() if v is not None and k != "label"}
        clean.add_node(node, label=str(node), entity_label=str(data.get("label", "")), **attributes)
    for u, v, data in graph.edges(data=True):
        clean.add_edge(
            u,
            v,
            **{k: x for k, x in data.items() if x is not None},
        )
    return clean
