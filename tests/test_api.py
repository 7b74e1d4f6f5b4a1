"""The public API: ``tk.<name>`` stays a function, and a change to the API is deliberate."""

import importlib
import pkgutil
import subprocess
import sys
import types

import pytest

import toolkit as tk
from tests.conftest import ROOT

#: The names the project was founded on (its first notebooks and README use them).
FOUNDING_NAMES = [
    "read_articles",
    "save_articles",
    "load_articles",
    "segment",
    "term_counts",
    "tfidf",
    "keyness",
    "collocations",
    "kwic",
    "term_trends",
    "extract_entities",
    "cooccurrence",
    "evidence",
    "to_graph",
    "export_graph",
    "plot_top_terms",
    "save_figure",
]


def test_every_export_is_a_callable_even_after_its_module_is_imported():
    for info in pkgutil.walk_packages(tk.__path__, "toolkit."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    for name in tk.__all__:
        value = getattr(tk, name)
        assert callable(value) and not isinstance(value, types.ModuleType), name


def test_founding_names_are_exported():
    assert set(FOUNDING_NAMES) <= set(tk.__all__)


def test_dir_lists_the_public_api_only():
    assert dir(tk) == sorted([*tk.__all__, "__version__"])


@pytest.mark.slow
def test_the_public_api_matches_its_snapshot_and_the_reference():
    """Signatures of every tk name are in tests/data/public_api.txt, docs/api.md is current.

    A failure means the public API changed: if that is meant, run
    ``python tools/public_api.py`` and commit both files with the change.
    """
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "public_api.py"), "--check"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_snapshot_check_fails_on_a_changed_signature(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import public_api
    finally:
        sys.path.pop(0)
    changed = public_api.snapshot().replace("top_n: 'int' = 20", "top_n: 'int' = 25")
    snapshot = tmp_path / "public_api.txt"
    snapshot.write_text(changed, "utf-8")
    monkeypatch.setattr(public_api, "SNAPSHOT", snapshot)
    monkeypatch.setattr(public_api, "ROOT", tmp_path)
    monkeypatch.setattr(public_api, "REFERENCE", tmp_path / "api.md")
    (tmp_path / "api.md").write_text(public_api.reference(), "utf-8")
    assert public_api.main(["--check"]) == 1


def test_frames_without_statuses_are_analysed(seed_articles):
    from toolkit.schema import conform_articles, usable_articles

    by_hand = conform_articles(seed_articles[["article_id", "text"]])
    assert by_hand["status"].isna().all()
    assert len(usable_articles(by_hand)) == 1
    assert usable_articles(seed_articles.assign(status=["error"])).empty
