"""toolkit: analyse news coverage in pandas.

    import toolkit as tk
    articles = tk.read_articles(["data/sample"])
    counts = tk.term_counts(articles, by="sitename")
    mentions = tk.extract_entities(articles)
    pairs = tk.cooccurrence(mentions, window="sentence")

The data flows down the packages: ``sources`` (where pages come from) ->
``extract`` (one page's bytes to article fields) -> ``ingest`` (many inputs to
the articles frame) -> ``text`` and ``entities`` (analyses of that frame) ->
``plots``, ``report``, ``widgets`` and ``cli`` (what users see); ``dask`` is an
add-on beside them. ``docs/architecture.md`` is the map.

Names are imported lazily, so ``import toolkit`` is fast and loads neither
trafilatura, spaCy nor matplotlib until a function that needs them is used.
"""

from toolkit.lazy import exports

__version__ = "0.1.0"

__all__, __getattr__, _dir = exports(
    __name__,
    {
        # articles
        "read_articles": "ingest",
        "save_articles": "ingest",
        "load_articles": "ingest",
        "read_dataset": "ingest",
        "require_readable": "ingest",
        "project_sources": "sources",
        "project_path": "sources",
        "empty_articles": "schema",
        "conform_articles": "schema",
        "FetchOptions": "sources",
        "ExtractOptions": "extract",
        # text
        "segment": "text",
        "tokenize": "text",
        "term_counts": "text",
        "tfidf": "text",
        "keyness": "text",
        "collocations": "text",
        "kwic": "text",
        "term_trends": "text",
        "dispersion": "text",
        "topics": "text",
        "topic_trends": "text",
        "topic_stability": "text",
        # entities
        "extract_entities": "entities",
        "recognize_entities": "entities",
        "NEROptions": "entities",
        "resolve_aliases": "entities",
        "AliasOptions": "entities",
        "alias_log": "entities",
        "load_alias_table": "entities",
        "cooccurrence": "entities",
        "cooccurrence_by_period": "entities",
        "evidence": "entities",
        "to_graph": "entities",
        "export_graph": "entities",
        "extract_quotes": "entities",
        "quote_counts": "entities",
        "quote_shares": "entities",
        "coquotation": "entities",
        "quote_evidence": "entities",
        # presentation
        "plot_top_terms": "plots",
        "plot_term_trends": "plots",
        "plot_keyness": "plots",
        "plot_cooccurrence_heatmap": "plots",
        "plot_network": "plots",
        "plot_dispersion": "plots",
        "plot_distinctive_terms": "plots",
        "plot_quotes": "plots",
        "plot_topic_terms": "plots",
        "plot_topic_trends": "plots",
        "save_figure": "plots",
        "entity_explorer": "widgets",
        "run_report": "report",
        "RunConfig": "report",
    },
)


def __dir__() -> list[str]:
    return [*_dir(), "__version__"]
