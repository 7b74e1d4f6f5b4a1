"""The notebooks: thin, stripped, and they run end to end on the sample and the shared corpus."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SAMPLE = ROOT / "data" / "sample"

#: Files each notebook writes under its ``out`` folder.
WRITES = {
    "01-extract-articles": ["articles.parquet", "articles.csv"],
    "02-term-frequencies": [
        f"figures/{name}.{ext}"
        for name in ("distinctive_terms", "top_terms", "top_terms_by_outlet", "top_bigrams",
                     "keyness", "term_trends", "dispersion")
        for ext in ("png", "svg", "pdf", "csv")
    ],
    "03-entity-cooccurrence": [
        "figures/cooccurrence_heatmap.png", "figures/network.png", "network/network.gexf",
        "network/network.graphml", "network/network_nodes.csv", "network/network_edges.csv",
    ],
    "04-quotes-and-topics": [
        f"figures/{name}.{ext}"
        for name in ("quotes_by_speaker", "topic_terms", "topic_trends", "distinctive_terms")
        for ext in ("png", "svg", "pdf", "csv")
    ],
}
#: Charts each notebook shows inline.
CHARTS = {"01-extract-articles": 0, "02-term-frequencies": 7, "03-entity-cooccurrence": 2,
          "04-quotes-and-topics": 4}


def _code_cells(path: Path) -> list:
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def test_the_notebooks_are_there():
    assert [p.stem for p in NOTEBOOKS] == sorted(WRITES)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_are_committed_without_outputs(path):
    for cell in _code_cells(path):
        assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]
    metadata = json.loads(path.read_text("utf-8"))["metadata"]
    assert "papermill" not in metadata and "widgets" not in metadata


def test_the_strip_tool_finds_nothing_to_strip():
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "strip_notebooks.py"), "--check"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stdout


def test_the_strip_tool_strips_an_executed_notebook(tmp_path):
    path = tmp_path / "run.ipynb"
    notebook = nbformat.read(NOTEBOOKS[0], as_version=4)
    notebook.metadata["papermill"] = {"duration": 1.0}
    notebook.cells[1].outputs = [nbformat.v4.new_output("stream", text="hello")]
    notebook.cells[1].execution_count = 3
    nbformat.write(notebook, path)
    tool = [sys.executable, str(ROOT / "tools" / "strip_notebooks.py")]
    assert subprocess.run([*tool, "--check", str(path)], capture_output=True).returncode == 1
    assert subprocess.run([*tool, str(path)], capture_output=True).returncode == 0
    stripped = nbformat.read(path, as_version=4)
    assert stripped.cells[1].outputs == [] and stripped.cells[1].execution_count is None
    assert "papermill" not in stripped.metadata
    assert [c.source for c in stripped.cells] == [c.source for c in notebook.cells]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_are_thin_imports_then_literal_parameters(path):
    cells = _code_cells(path)
    assert cells[0].source.startswith("%matplotlib inline")  # every chart shows, not the first
    imports = ast.parse(_python(cells[0].source)).body
    assert all(isinstance(s, ast.Import | ast.ImportFrom) or _is_option(s) for s in imports)
    assert "parameters" in cells[1].metadata.get("tags", [])
    for statement in ast.parse(cells[1].source).body:
        assert isinstance(statement, ast.Assign), ast.dump(statement)
        ast.literal_eval(statement.value)  # literals only, so papermill can replace them
    names = {t.id for s in ast.parse(cells[1].source).body for t in s.targets}
    assert {"sources", "out"} <= names
    for cell in cells:
        tree = ast.parse(_python(cell.source))
        defined = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef
                                                              | ast.Lambda | ast.For | ast.While)]
        assert not defined, f"logic belongs in toolkit, not in {path.name}: {cell.source[:60]}"


def _python(source: str) -> str:
    """The cell without its IPython magics."""
    return "\n".join(line for line in source.splitlines() if not line.startswith("%"))


def _is_option(statement: ast.stmt) -> bool:
    """``pd.set_option(...)``: display settings are allowed beside the imports."""
    return isinstance(statement, ast.Expr) and "set_option" in ast.unparse(statement)


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    """A ``python3`` kernel that is this interpreter, found before any other, drawing inline.

    JUPYTER_PATH comes first in the kernelspec search, so a user's own ``python3`` kernel
    (another Python, without the toolkit) cannot be picked up instead.
    """
    spec = tmp_path_factory.mktemp("jupyter") / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (toolkit tests)",
        "language": "python",
    }))
    saved = {k: os.environ.get(k) for k in ("JUPYTER_PATH", "MPLBACKEND")}
    os.environ["JUPYTER_PATH"] = str(spec.parent.parent)
    # The notebook's own backend, so the charts a reader sees are checked too.
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    yield "python3"
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def execute(path: Path, out: Path | str, kernel: str, *, cwd: Path | None = None,
            result: Path | None = None, **parameters) -> nbformat.NotebookNode:
    """Run ``path`` with papermill in ``cwd`` (default notebooks/, as JupyterLab does).

    The executed notebook is saved in ``result`` (default the ``out`` folder).
    """
    import papermill

    result = (result or Path(out)) / f"{path.stem}.out.ipynb"
    papermill.execute_notebook(
        str(path), str(result), parameters={"out": str(out), **parameters},
        kernel_name=kernel, cwd=str(cwd or path.parent), progress_bar=False, log_output=False,
    )
    return nbformat.read(result, as_version=4)


def _check_run(notebook: nbformat.NotebookNode, path: Path, out: Path) -> None:
    cells = [c for c in notebook.cells if c.cell_type == "code"]
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in cells)
    assert all(c.execution_count for c in cells), "a cell did not run"
    outputs = [o for c in cells for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == CHARTS[path.stem]
    missing = [name for name in WRITES[path.stem] if not (out / name).is_file()]
    assert not missing
    # saving a chart, a graph or the articles shows no list of paths above the chart
    shown = [o.get("data", {}).get("text/plain", "") for o in outputs]
    assert not [text for text in shown if "PosixPath(" in text and text.startswith("[")]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_the_sample_from_the_repository_root(path, tmp_path, kernel):
    # as the README runs it: papermill started at the root, the default sources
    # ("data/sample", found in the project wherever the notebook runs)
    notebook = execute(path, tmp_path, kernel, cwd=ROOT, workers=1)
    _check_run(notebook, path, tmp_path)
    if path.stem == "03-entity-cooccurrence":
        last = notebook.cells[-1].outputs
        assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in last)


@pytest.mark.slow
def test_a_notebook_run_in_a_project_subfolder_reads_and_writes_in_the_project(
    tmp_path, kernel
):
    # JupyterLab runs a notebook in its own folder: "data/sample" and "out" are the project's
    project = tmp_path / "project"
    shutil.copytree(SAMPLE, project / "data" / "sample")
    (project / "pyproject.toml").write_text("[project]\nname = 'mine'\n")
    folder = project / "analysis"
    folder.mkdir()
    path = ROOT / "notebooks" / "02-term-frequencies.ipynb"
    notebook = execute(path, "out", kernel, cwd=folder, result=tmp_path, workers=1,
                       sources=["data/sample"])
    assert not list(folder.iterdir())
    _check_run(notebook, path, project / "out")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sources", "reason"),
    [
        (["no/such/folder"], "sources: 'no/such/folder' matches no file or folder: neither "),
        (["EMPTY"], "NoReadableArticles: no input gave a readable article (empty 1)"),
    ],
)
def test_a_missing_input_stops_the_notebook_with_the_reason_before_any_chart(
    sources, reason, tmp_path, kernel
):
    import papermill

    if sources == ["EMPTY"]:
        (tmp_path / "pages").mkdir()
        (tmp_path / "pages" / "empty.html").write_bytes(b"")
        sources = [str(tmp_path / "pages")]
    path = ROOT / "notebooks" / "02-term-frequencies.ipynb"
    (tmp_path / "out").mkdir()
    with pytest.raises(papermill.PapermillExecutionError) as error:
        execute(path, tmp_path / "out", kernel, cwd=ROOT, sources=sources, workers=1)
    assert reason in str(error.value)
    assert not (tmp_path / "out" / "figures").exists()


#: What the shared corpus needs instead of the sample's parameters (the keyness target
#: defaults to the largest outlet of any corpus).
CORPUS_PARAMETERS = {
    "02-term-frequencies": {
        "kwic_term": "people", "freq": "Y", "trend_terms": ["people", "government", "data"],
    },
    "04-quotes-and-topics": {"n_topics": 8, "freq": "Y"},
}


@pytest.mark.slow
def test_every_notebook_runs_on_the_shared_corpus(corpus_dir, tmp_path, kernel):
    for path in NOTEBOOKS:
        out = tmp_path / path.stem
        out.mkdir()
        notebook = execute(path, out, kernel, sources=[str(corpus_dir / "html")], workers=2,
                           **CORPUS_PARAMETERS.get(path.stem, {}))
        _check_run(notebook, path, out)
