"""``toolkit setup`` installs the NLTK data where this Python finds it: no NLTK_DATA needed.

The real check runs in a Python environment of its own (a virtualenv whose
``sys.prefix`` is a temporary folder, importing this environment's packages), with
``NLTK_DATA`` unset and ``HOME`` empty, as a plain shell, JupyterLab or a script has it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT
from toolkit.cli import main
from toolkit.cli.setup import copy_nltk_from, setup
from toolkit.resources import NLTK_RESOURCES, nltk_location

SAMPLE = ROOT / "data" / "sample"


def test_copy_lays_out_each_package_where_nltk_looks(shared_dir, tmp_path):
    copied = copy_nltk_from(shared_dir / "nltk_data", tmp_path, list(NLTK_RESOURCES))
    assert "punkt_tab" in copied and "stopwords" in copied and "wordnet" in copied
    assert "maxent_ne_chunker_tab (multiclass)" not in copied  # not in the shared folder
    for name in copied:
        assert nltk_location(name, [tmp_path]) is not None, name
    assert (tmp_path / "tokenizers" / "punkt_tab" / "english").is_dir()
    assert (tmp_path / "corpora" / "wordnet.zip").is_file()


def test_nltk_from_must_be_a_folder(tmp_path):
    with pytest.raises(ValueError, match="nltk_from must be a folder of NLTK data"):
        setup(download=False, nltk_from=tmp_path / "nowhere", target=tmp_path / "data")


def test_a_target_off_the_search_path_is_said_so(shared_dir, tmp_path, capsys):
    target = tmp_path / "elsewhere"
    assert main(["setup", "--no-download", "--nltk-from", str(shared_dir / "nltk_data"),
                 "--nltk-dir", str(target)]) == 0
    out = capsys.readouterr().out
    assert f"NOT on NLTK's search path: set NLTK_DATA={target}" in out
    assert (target / "corpora" / "stopwords" / "english").is_file()


@pytest.fixture(scope="module")
def own_python(tmp_path_factory) -> Path:
    """The python of a fresh virtualenv that imports this environment's packages."""
    venv = tmp_path_factory.mktemp("env") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next(venv.glob("lib/python*/site-packages"))
    ours = [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
    (site / "parent_env.pth").write_text(
        "".join(f"import site; site.addsitedir({p!r})\n" for p in ours)
    )
    return venv / "bin" / "python"


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "NLTK_DATA"}
    return {**env, "HOME": str(home), "MPLBACKEND": "Agg", **extra}


def _run(python: Path, args: list[str], env: dict[str, str], cwd: Path):
    return subprocess.run([str(python), *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=900, check=False)


def _numbers(out: Path) -> dict[str, pd.DataFrame]:
    names = ("top_terms", "bigrams", "collocations", "pairs", "mentions")
    return {name: pd.read_csv(out / "tables" / f"{name}.csv") for name in names}


@pytest.mark.slow
def test_after_setup_toolkit_run_and_a_notebook_need_no_nltk_data_variable(
    own_python, shared_dir, tmp_path, monkeypatch
):
    home = tmp_path / "home"
    home.mkdir()
    bare = _env(home)
    probe = "from toolkit.resources import nltk_has; print(nltk_has('punkt_tab'))"
    assert _run(own_python, ["-c", probe], bare, tmp_path).stdout.strip() == "False"

    done = _run(own_python, ["-m", "toolkit.cli", "setup", "--no-download",
                             "--nltk-from", str(shared_dir / "nltk_data")], bare, tmp_path)
    assert done.returncode == 0, done.stderr
    prefix = Path(_run(own_python, ["-c", "import sys; print(sys.prefix)"], bare,
                       tmp_path).stdout.strip())
    assert f"{prefix / 'nltk_data'} (on NLTK's search path" in done.stdout
    assert "[nltk_data]" not in done.stdout + done.stderr
    assert "  MISSING  punkt_tab" not in done.stdout
    assert _run(own_python, ["-c", probe], bare, tmp_path).stdout.strip() == "True"

    run = ["-m", "toolkit.cli", "run", str(SAMPLE), "--workers", "1", "--no-progress", "--out"]
    unset = _run(own_python, [*run, str(tmp_path / "unset")], bare, tmp_path)
    assert unset.returncode == 0, unset.stderr
    assert "not installed" not in unset.stderr and "[nltk_data]" not in unset.stderr
    given = _run(own_python, [*run, str(tmp_path / "given")],
                 _env(home, NLTK_DATA=str(shared_dir / "nltk_data")), tmp_path)
    assert given.returncode == 0, given.stderr
    for name, table in _numbers(tmp_path / "unset").items():
        pd.testing.assert_frame_equal(table, _numbers(tmp_path / "given")[name], obj=name)

    # the same notebook in a kernel of that environment, with and without the variable
    import papermill

    spec = tmp_path / "jupyter" / "kernels" / "own"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(own_python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "own environment", "language": "python",
    }))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    notebook = ROOT / "notebooks" / "02-term-frequencies.ipynb"
    tables = {}
    for case in ("unset", "given"):
        if case == "unset":
            monkeypatch.delenv("NLTK_DATA", raising=False)
        else:
            monkeypatch.setenv("NLTK_DATA", str(shared_dir / "nltk_data"))
        out = tmp_path / f"nb-{case}"
        papermill.execute_notebook(
            str(notebook), str(tmp_path / f"{case}.ipynb"), kernel_name="own",
            parameters={"sources": [str(SAMPLE)], "out": str(out), "workers": 1},
            progress_bar=False, log_output=False, cwd=str(tmp_path),
        )
        tables[case] = [pd.read_csv(out / "figures" / f"{name}.csv")
                        for name in ("top_terms", "top_bigrams")]
    for unset_table, given_table in zip(tables["unset"], tables["given"], strict=True):
        pd.testing.assert_frame_equal(unset_table, given_table)
