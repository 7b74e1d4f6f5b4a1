"""Relative paths of notebooks and scripts resolve against the project, wherever Python started."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT
from toolkit.sources.project import project_path, project_root, project_sources


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A project folder (pyproject.toml, data/pages/a.html); the cwd is its notebooks/ folder."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'mine'\n")
    (tmp_path / "data" / "pages").mkdir(parents=True)
    (tmp_path / "data" / "pages" / "a.html").write_text("<p>a</p>")
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    return tmp_path


def test_the_project_is_the_nearest_folder_with_pyproject_or_git(project):
    assert project_root() == project


def test_outside_any_project_it_is_the_toolkit_checkout(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert not any((p / m).exists() for p in (tmp_path, *tmp_path.parents)
                   for m in ("pyproject.toml", ".git"))
    assert project_root() == ROOT
    assert project_sources(["data/sample"]) == [str(ROOT / "data" / "sample")]


def test_an_input_is_taken_from_here_first_then_from_the_project(project):
    (project / "notebooks" / "local.html").write_text("<p>b</p>")
    frame = pd.DataFrame({"text": ["x"]})
    got = project_sources(["data/pages", "local.html", "https://example.org/feed.xml", frame,
                           "data/pages/*.html", str(project / "data")])
    assert got[:3] == [str(project / "data" / "pages"), str(project / "notebooks" / "local.html"),
                       "https://example.org/feed.xml"]
    assert got[3] is frame
    assert got[4:] == [str(project / "data" / "pages" / "*.html"), str(project / "data")]
    assert project_sources("data/pages") == [str(project / "data" / "pages")]


def test_an_input_found_nowhere_stops_naming_where_it_was_looked_for(project):
    with pytest.raises(ValueError) as error:
        project_sources(["data/pages", "data/sample"])
    assert str(error.value) == (
        "sources: 'data/sample' matches no file or folder: neither "
        f"{project / 'notebooks' / 'data' / 'sample'} nor {project / 'data' / 'sample'} exists"
    )
    with pytest.raises(ValueError, match="matches no file or folder"):
        project_sources(["data/*.warc"])
    with pytest.raises(ValueError, match="sources must be paths, URLs or DataFrames"):
        project_sources([3])


def test_an_output_goes_under_the_project(project):
    assert project_path("reports") == project / "reports"
    assert project_path(Path("/tmp/x")) == Path("/tmp/x")
    assert project_path("~/out") == Path.home() / "out"
    with pytest.raises(ValueError, match="path must be a non-empty str or Path"):
        project_path("")
