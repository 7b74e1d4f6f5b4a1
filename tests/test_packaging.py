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


# --------------------------------------------------------------------------- the lock

def _lock() -> str:
    return (ROOT / "requirements.lock").read_text("utf-8")


def _locked() -> dict[str, str]:
    return {
        _name(m[1]): m[2]
        for m in re.finditer(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\", _lock(), re.M)
    }


def test_every_dependency_is_pinned_in_the_lock_with_hashes():
    project = _pyproject()
    wanted = [*project["dependencies"], *project["optional-dependencies"]["models"],
              *project["optional-dependencies"]["dask"]]
    wanted += [d for d in project["optional-dependencies"]["dev"] if not d.startswith("toolkit")]
    locked = _locked()
    missing = [d for d in wanted if _name(d) not in locked]
    assert not missing, f"run `make lock`: {missing} are not in requirements.lock"
    entries = re.split(r"\n(?=[A-Za-z0-9])", _lock().split("\n#\n", 1)[-1])
    pins = [e for e in entries if "==" in e.split("\n", 1)[0]]
    assert len(pins) == len(locked)
    assert all("--hash=sha256:" in e for e in pins), "every pin carries its hashes"
    assert "file://" not in _lock() and "toolkit @" not in _lock()  # no machine's path


def test_the_locked_versions_are_the_installed_ones():
    from importlib.metadata import PackageNotFoundError, version

    wrong = {}
    for name, pinned in _locked().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed != pinned:
            wrong[name] = (installed, pinned)
    assert not wrong, f"installed vs locked (run `make install`): {wrong}"


def test_environment_yml_is_generated_from_the_lock():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(ROOT / "tools" / "environment_yml.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout
    env = yaml.safe_load((ROOT / "environment.yml").read_text("utf-8"))
    locked = _locked()
    for item in env["dependencies"]:
        for spec in item["pip"] if isinstance(item, dict) else [item]:
            if "==" in spec:
                name, pinned = spec.split("==")
                assert locked[_name(name)] == pinned, spec


def test_make_install_and_ci_install_from_the_lock_and_set_no_nltk_data():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert "pip install --quiet --require-hashes -r $(LOCK)" in makefile
    assert "$(VENV)/.installed: $(LOCK) pyproject.toml" in makefile
    assert "toolkit setup --quiet $(NLTK_FROM)" in makefile
    assert "NLTK_DATA" not in makefile.replace("no NLTK_DATA needed", "")
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "export NLTK_DATA" not in ci and "make test" in ci


def test_the_version_is_written_once():
    from importlib.metadata import version

    import toolkit

    project = _pyproject()
    assert "version" not in project and "version" in project["dynamic"]
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    assert setuptools["dynamic"]["version"] == {"attr": "toolkit.__version__"}
    assert version("toolkit") == toolkit.__version__
