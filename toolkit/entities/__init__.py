"""Who and what is named, and who is named with whom.

In: the articles frame. Out: the mentions frame (one row per name as written,
with its label and canonical ``entity``: :func:`extract_entities`, or
:func:`recognize_entities` then :func:`resolve_aliases`), the pairs frame of
co-occurring entities with association measures (:func:`cooccurrence`, also by
period), the evidence sentences of a pair (:func:`evidence`) and the entity
network (:func:`to_graph`, :func:`export_graph`). Recognition runs spaCy or NLTK
(``recognize``); the alias rules (surnames, acronyms, spelling variants, the
label vote) are the ``aliases`` package; label names are shared from ``labels``.
Who said what: the quotes frame (:func:`extract_quotes`: direct, indirect and mixed
quotations with their cue, speaker and the speaker's entity, through the mentions)
and its tables (:func:`quote_counts`, :func:`quote_shares`, :func:`coquotation`,
:func:`quote_evidence`); the rules are the ``quote_*`` modules.
"""

from toolkit.lazy import exports

__all__, __getattr__, __dir__ = exports(
    __name__,
    {
        "extract_entities": "mentions",
        "recognize_entities": "recognize",
        "NEROptions": "recognize",
        "resolve_aliases": "aliases",
        "AliasOptions": "aliases",
        "alias_log": "aliases",
        "load_alias_table": "aliases",
        "resolve_labels": "labels",
        "cooccurrence": "pairs",
        "cooccurrence_by_period": "pairs",
        "evidence": "passages",
        "to_graph": "graph",
        "export_graph": "graph",
        "extract_quotes": "quotes",
        "quote_counts": "quote_tables",
        "quote_shares": "quote_tables",
        "coquotation": "quote_tables",
        "quote_evidence": "quote_tables",
    },
)
