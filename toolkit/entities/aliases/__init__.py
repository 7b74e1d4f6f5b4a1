"""Alias resolution: every mention gets the canonical name of the entity it stands for.

In: a mentions frame (and, to find what NER missed, the articles). Out: the same
frame with ``entity`` canonical and new mentions for bare names and acronyms, and
the merge log (``attrs["alias_log"]``, :func:`alias_log`) saying what was merged
and why. Rules by scope: ``names`` (one name: titles, order, initials),
``article`` (one article's mentions as lists), ``short_names`` and ``acronyms``
(within an article), ``corpus`` (across articles: spellings, middle initials,
the label vote), ``table`` (the built-in and the user's alias tables, the log);
``resolve`` runs them in order, each switchable by :class:`AliasOptions`.
"""

from toolkit.lazy import exports

__all__, __getattr__, __dir__ = exports(
    __name__,
    {
        "resolve_aliases": "resolve",
        "AliasOptions": "resolve",
        "alias_log": "table",
        "alias_table_from_log": "table",
        "load_alias_table": "table",
        "COMMON_ABBREVIATIONS": "table",
    },
)
