"""The public names of DESIGN.md §5 exist and stay functions."""

import importlib
import pkgutil
import types

import toolkit as tk

DESIGN_NAMES = [
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
        importlib.import_module(info.name)
    for name in tk.__all__:
        value = getattr(tk, name)
        assert callable(value) and not isinstance(value, types.ModuleType), name


def test_design_api_names_are_exported():
    assert set(DESIGN_NAMES) <= set(tk.__all__)


def test_frames_without_statuses_are_analysed(seed_articles):
    from toolkit.schema import conform_articles, usable_articles

    by_hand = conform_articles(seed_articles[["article_id", "text"]])
    assert by_hand["status"].isna().all()
    assert len(usable_articles(by_hand)) == 1
    assert usable_articles(seed_articles.assign(status=["error"])).empty
