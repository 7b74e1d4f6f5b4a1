"""What the toolkit writes and keeps: charts, CSV exports, the cache and its folder."""

from __future__ import annotations

import os
import pickle
import sqlite3
import stat

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd
import pytest

from tests.pageserver import html_page
from toolkit.cli import main
from toolkit.ingest.cache import FILENAME, Cache
from toolkit.ingest.store import load_articles, save_articles

SITE = r"Dollar $\undefinedcmd{$ Times"


# -- labels from the data are not mathtext -----------------------------------------------------


def test_an_outlet_name_with_dollars_draws_in_a_chart(tmp_path):
    from toolkit.plots import plot_top_terms

    counts = pd.DataFrame(
        {
            "outlet": [SITE, SITE, "Plain Herald", "Plain Herald"],
            "term": ["summit", "lake", "summit", "rain"],
            "count": [3, 2, 4, 1],
        }
    )
    ax = plot_top_terms(counts, n=5)
    ax.figure.savefig(tmp_path / "terms.png")  # drawing is where mathtext raised
    titles = [panel.get_title() for panel in ax.figure.axes]
    plt.close(ax.figure)
    assert any("undefinedcmd" in t for t in titles)


def _outlet_pages(folder):
    folder.mkdir()
    for i, site in enumerate([SITE] * 3 + ["Plain Herald"] * 3):
        page = html_page(
            f"Story {i} about the summit",
            [f"Leaders met in Hangzhou for summit day {i} and security was tight by the lake.",
             f"Police closed {i + 2} roads while delegates arrived from many countries."],
        ).replace("<head>", f'<head><meta property="og:site_name" content="{site}">')
        (folder / f"p{i}.html").write_text(page, encoding="utf-8")
    return folder


@pytest.mark.slow
def test_toolkit_run_keeps_its_terms_step_with_a_dollar_site_name(tmp_path):
    import json

    pages = _outlet_pages(tmp_path / "in")
    code = main(["run", str(pages), "--out", str(tmp_path / "r"), "--workers", "1",
                 "--no-progress"])
    record = json.loads((tmp_path / "r" / "report.json").read_text("utf-8"))
    assert code == 0
    assert record["failures"] == []
    assert (tmp_path / "r" / "figures" / "top_terms_by_outlet.png").exists()


# -- CSV exports -----------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1:A2)",
            "\tTabbed", "'=already quoted", "Plain title"]


def test_csv_exports_neutralise_formulas_and_load_back_exactly(tmp_path):
    articles = pd.DataFrame({"title": FORMULAS, "text": ["Body."] * len(FORMULAS)})
    path = save_articles(articles, tmp_path / "a.csv")
    cells = pd.read_csv(path, dtype=str, keep_default_na=False)["title"].tolist()
    assert all(not c.startswith(("=", "+", "-", "@", "\t")) for c in cells)
    assert cells[0] == "'" + FORMULAS[0] and cells[-1] == "Plain title"
    assert load_articles(path)["title"].tolist() == FORMULAS
    parquet = save_articles(articles, tmp_path / "a.parquet")  # values, not formulas
    assert pd.read_parquet(parquet)["title"].tolist() == FORMULAS


def test_formula_escaping_can_be_turned_off(tmp_path):
    articles = pd.DataFrame({"title": FORMULAS[:2], "text": ["Body."] * 2})
    path = save_articles(articles, tmp_path / "a.csv", escape_formulas=False)
    assert pd.read_csv(path, dtype=str)["title"].tolist() == FORMULAS[:2]
    with pytest.raises(ValueError, match="escape_formulas must be True or False"):
        save_articles(articles, tmp_path / "b.csv", escape_formulas="no")



def _cells(path) -> list[str]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, header=None)
    return [c for row in frame.itertuples(index=False) for c in row]


def test_report_tables_chart_data_and_network_tables_are_safe_to_open(tmp_path):
    """Entity names and terms reach the report's CSVs as cells, headers and index labels."""
    from toolkit import save_figure
    from toolkit.entities.graph import export_graph
    from toolkit.report.results import Section, StepResult, Table
    from toolkit.report.writer import ReportWriter

    evil = '=HYPERLINK("http://evil.example","click")'
    table = pd.DataFrame({"entity": [evil, "@SUM(A1:A2)", "Hou Le"], "mentions": [3, 2, -1]})
    writer = ReportWriter(tmp_path / "r", top_n=5, formats=("png",))
    writer.write(StepResult(items=[Table(table, "entities", "Entities")]),
                 fallback=Section("entities", "Entities"))
    pivot = pd.DataFrame([[1, 2]], index=pd.Index([evil], name="entity"), columns=["+1", "Hou Le"])
    fig, ax = plt.subplots()
    save_figure(fig, "pivot", formats="png", data=pivot, folder=tmp_path / "f")
    plt.close(fig)
    graph = nx.Graph()
    graph.add_node(evil, label="PERSON", mentions=3)
    graph.add_node("Hou Le", label="PERSON", mentions=7)
    graph.add_edge(evil, "Hou Le", weight=2)
    paths = export_graph(graph, tmp_path / "g")
    for path in (tmp_path / "r" / "tables" / "entities.csv", tmp_path / "f" / "pivot.csv",
                 paths["nodes"], paths["edges"]):
        cells = _cells(path)
        assert "'" + evil in cells, path
        assert not [c for c in cells if c.startswith(("=", "+", "@"))], path
        assert "Hou Le" in cells
    assert "-1" in _cells(tmp_path / "r" / "tables" / "entities.csv")  # numbers stay numbers

# -- the cache -------------------------------------------------------------------------------


class _Payload:
    def __reduce__(self):
        return (os.system, ("touch " + str(_Payload.marker),))


def test_a_planted_pickle_in_the_cache_runs_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "cache"))
    store = Cache("extraction")
    store.put("key", {"title": "T", "authors": ["A"], "date": None})
    _Payload.marker = tmp_path / "pwned"
    connection = sqlite3.connect(tmp_path / "cache" / FILENAME)
    with connection:
        connection.execute("UPDATE entries SET value = ?", [pickle.dumps(_Payload())])
    connection.close()
    assert store.get("key") is None  # a miss, not a run
    assert not _Payload.marker.exists()


def test_cache_values_come_back_with_their_types(tmp_path, monkeypatch):
    from datetime import datetime

    import numpy as np

    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "cache"))
    value = (
        [(0, 5, "GPE")],
        np.array([0, 40], dtype=np.int64),
        {"date": datetime(2016, 4, 7, 9, 30), "authors": ["A"], "n": None},
    )
    Cache("entities").put("k", value)
    spans, starts, fields = Cache("entities").get("k")
    assert spans == [(0, 5, "GPE")]
    assert starts.dtype == np.int64 and starts.tolist() == [0, 40]
    assert fields == value[2]


def test_the_cache_folder_is_private(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(folder))
    Cache("extraction").put("k", "v")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / FILENAME).stat().st_mode) & 0o077 == 0
    folder.chmod(0o777)
    from toolkit.ingest.cache import private_folder

    private_folder(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to chown")
def test_a_cache_folder_of_another_user_is_refused(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    os.chown(folder, 12345, 12345)
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(folder))
    with pytest.raises(ValueError, match="belongs to another user"):
        Cache("extraction")
    assert main(["ingest", str(tmp_path), "-o", str(tmp_path / "a.jsonl"), "--cache"]) == 2
    assert "belongs to another user" in capsys.readouterr().err


def test_cache_info_prints_a_small_limit_readably(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TOOLKIT_CACHE_MAX_BYTES", "200000")
    assert main(["cache", "info"]) == 0
    out = capsys.readouterr().out
    assert "of 0.2 MB allowed" in out and "0 MB allowed" not in out
