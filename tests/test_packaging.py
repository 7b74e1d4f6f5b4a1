"""The two dependency lists (pyproject for pip, environment.yml for conda) agree."""

import re
import tomllib

import pytest
import yaml

from tests.conftest import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]


def _conda_names():
    env = yaml.safe_load((ROOT / "environment.yml").read_text("utf-8"))
    conda, pip = set(), set()
    for item in env["dependencies"]:
        if isinstance(item, dict):
            pip.update(_name(p) for p in item["pip"] if not p.startswith("-e"))
        else:
            conda.add(_name(item))
    return conda, pip


def test_every_runtime_dependency_is_in_environment_yml():
    conda, pip = _conda_names()
    missing = [d for d in _pyproject()["dependencies"] if _name(d) not in conda | pip]
    assert not missing, f"add these to environment.yml: {missing}"


def test_model_and_dask_extras_are_in_environment_yml():
    conda, pip = _conda_names()
    extras = _pyproject()["optional-dependencies"]
    wanted = [_name(d) for d in extras["models"] + extras["dask"]]
    names = conda | pip | {"dask"}  # dask[dataframe,distributed] is dask + distributed on conda
    assert all(w in names for w in wanted), wanted
    assert "distributed" in conda


def test_environment_installs_the_package_itself():
    text = (ROOT / "environment.yml").read_text("utf-8")
    assert "-e .[dev]" in text or "-e ." in text


def test_lxml_html_clean_is_listed_explicitly():
    # pip can leave it out of trafilatura's install, and then `import trafilatura` fails
    assert any(_name(d) == "lxml-html-clean" for d in _pyproject()["dependencies"])


@pytest.mark.slow
def test_in_ci_missing_shared_data_fails_instead_of_skipping(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "CI": "true", "TOOLKIT_SHARED": str(tmp_path / "nowhere")}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/extract/test_textdump.py", "-k", "seed"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 1, done.stdout[-2000:]
    assert "CI must run with ../shared beside the repository" in done.stdout
    env["CI"] = "false"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/extract/test_textdump.py", "-k", "seed"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0 and "skipped" in done.stdout, done.stdout[-2000:]
