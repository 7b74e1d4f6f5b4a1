"""toolkit: analyse news coverage in pandas.

    import toolkit as tk
    articles = tk.read_articles(["data/sample"])
    counts = tk.term_counts(articles, by="sitename")
    mentions = tk.extract_entities(articles)
    pairs = tk.cooccurrence(mentions, window="sentence")

Names are imported lazily, so ``import toolkit`` is fast and loads neither
trafilatura, spaCy nor matplotlib until a function that needs them is used.
"""

from __future__ import annotations

import importlib
import sys
import types

__version__ = "0.1.0"

#: Public name -> module that defines it.
_EXPORTS: dict[str, str] = {
    # articles
    "read_articles": "ingest",
    "save_articles": "store",
    "load_articles": "store",
    "read_dataset": "scale",
    "empty_articles": "schema",
    "conform_articles": "schema",
    "FetchOptions": "fetch",
    # text
    "segment": "segment",
    "tokenize": "tokens",
    "term_counts": "counts",
    "tfidf": "tfidf",
    "keyness": "keyness",
    "collocations": "collocations",
    "kwic": "kwic",
    "term_trends": "trends",
    "dispersion": "trends",
    # entities
    "extract_entities": "entities",
    "resolve_aliases": "aliases",
    "load_alias_table": "aliases",
    "cooccurrence": "cooccurrence",
    "cooccurrence_by_period": "cooccurrence",
    "evidence": "evidence",
    "to_graph": "graph",
    "export_graph": "graph",
    # presentation
    "plot_top_terms": "plots",
    "plot_term_trends": "plots",
    "plot_keyness": "plots",
    "plot_cooccurrence_heatmap": "plots",
    "plot_network": "plots",
    "plot_dispersion": "plots",
    "save_figure": "plots",
    "entity_explorer": "explorer",
    "run_report": "report",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


class _Package(types.ModuleType):
    """The ``toolkit`` module, whose public names stay functions.

    Importing a submodule binds it as an attribute of its package, so
    ``import toolkit.kwic`` (done by any module that uses it) would make
    ``tk.kwic`` the module instead of the function. Such bindings are
    skipped for exported names; the submodule stays in ``sys.modules``.
    """

    def __setattr__(self, name: str, value) -> None:
        if (
            name in _EXPORTS
            and isinstance(value, types.ModuleType)
            and value.__name__ == f"{__name__}.{name}"
        ):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
