"""Tests for toolkit.entities.graph: networkx graph from pairs, GEXF/GraphML/CSV export."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from toolkit.entities.graph import MEASURES, export_graph, to_graph
from toolkit.entities.pairs import cooccurrence


@pytest.fixture(scope="module")
def mentions() -> pd.DataFrame:
    # Sentences: {Hou Le, Bureau, China}, {Hou Le, Bureau}, {China, Syria}, {Syria} (two articles).
    layout = [
        ("a", 0, "Hou Le", "PERSON"),
        ("a", 0, "Counterterrorism Bureau", "ORG"),
        ("a", 0, "China", "GPE"),
        ("a", 1, "Hou Le", "PERSON"),
        ("a", 1, "Counterterrorism Bureau", "ORG"),
        ("b", 0, "China", "GPE"),
        ("b", 0, "Syria", "GPE"),
        ("b", 1, "Syria", "GPE"),
    ]
    return pd.DataFrame(
        {
            "article_id": [r[0] for r in layout],
            "paragraph": 0,
            "sentence": [r[1] for r in layout],
            "start": range(0, 80, 10),
            "end": range(5, 85, 10),
            "text": [r[2] for r in layout],
            "label": [r[3] for r in layout],
            "entity": [r[2] for r in layout],
            "backend": "test",
        }
    )


def test_graph_attributes(mentions):
    pairs = cooccurrence(mentions)
    graph = to_graph(pairs, mentions=mentions)
    assert set(graph.nodes) == {"Hou Le", "Counterterrorism Bureau", "China", "Syria"}
    assert graph.nodes["China"] == {"label": "GPE", "mentions": 2, "articles": 2}
    assert graph.nodes["Hou Le"]["mentions"] == 2
    edge = graph.edges["Hou Le", "Counterterrorism Bureau"]
    assert set(MEASURES) | {"weight"} == set(edge)
    assert edge["count"] == 2 and edge["weight"] == 2.0
    assert graph.graph["window"] == "sentence"
    no_mentions = to_graph(pairs)
    assert no_mentions.nodes["Syria"]["label"] == "GPE"
    assert no_mentions.nodes["Hou Le"]["mentions"] == 2  # lower bound from the pairs


def test_selection(mentions):
    pairs = cooccurrence(mentions)
    assert to_graph(pairs, min_count=2).number_of_edges() == 1
    top = to_graph(pairs, top=1, measure="jaccard")
    assert list(top.edges) in (
        [("Hou Le", "Counterterrorism Bureau")],
        [("Counterterrorism Bureau", "Hou Le")],
    )
    assert top.edges[next(iter(top.edges))]["weight"] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="'count', 'n_articles'"):
        to_graph(pairs, measure="weight")
    with pytest.raises(ValueError, match="lacks"):
        to_graph(pairs.drop(columns="g2"), measure="g2")
    with pytest.raises(ValueError, match="lacks"):
        to_graph(pairs.drop(columns="label_a"))
    partial = to_graph(pairs.drop(columns="g2"))  # measures a frame lacks are simply not carried
    assert "g2" not in partial.edges[next(iter(partial.edges))]


def test_export_loads_back(mentions, tmp_path):
    graph = to_graph(cooccurrence(mentions), mentions=mentions)
    paths = export_graph(graph, tmp_path / "out" / "g20.gexf")
    assert {p.name for p in paths.values()} == {
        "g20.gexf",
        "g20.graphml",
        "g20_nodes.csv",
        "g20_edges.csv",
    }
    for reader in (nx.read_gexf, nx.read_graphml):
        back = reader(paths["gexf" if reader is nx.read_gexf else "graphml"])
        assert set(back.nodes) == set(graph.nodes)
        assert back.number_of_edges() == graph.number_of_edges()
    graphml = nx.read_graphml(paths["graphml"])
    gexf = nx.read_gexf(paths["gexf"])
    for back in (graphml, gexf):
        assert back.nodes["China"]["label"] == "China"  # what Gephi displays
        assert back.nodes["China"]["entity_label"] == "GPE"
        assert back.nodes["China"]["mentions"] == 2
    assert graphml.edges["Hou Le", "Counterterrorism Bureau"]["count"] == 2
    nodes = pd.read_csv(paths["nodes"])
    edges = pd.read_csv(paths["edges"])
    assert nodes.columns.tolist() == ["entity", "label", "mentions", "articles", "degree"]
    assert edges.columns.tolist()[:3] == ["entity_a", "entity_b", "weight"]
    assert len(edges) == graph.number_of_edges()
    in_folder = export_graph(graph, tmp_path / "folder")
    assert in_folder["gexf"].name == "network.gexf" and in_folder["gexf"].exists()
