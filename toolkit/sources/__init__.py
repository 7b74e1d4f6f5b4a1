"""Where pages come from: what the user names, turned into documents.

In: paths, folders, globs, http(s) URLs of pages, RSS/Atom feeds, sitemaps, WARC
archives, JSONL/CSV files and DataFrames of articles. Out: :class:`Document`
objects (bytes or a record, plus where they came from), listed lazily by
:func:`iter_documents` and loaded by :func:`load_document` (in a worker process).
A URL is fetched politely (``robots.txt``, per-host delays, size and time caps);
an input that cannot be read is a document with a ``status`` and an ``error``.

Relative paths in notebooks resolve against the project folder, wherever Jupyter or
papermill was started (:func:`project_sources`, :func:`project_path`).

To add a kind of source: a module here that yields :class:`Document` objects, and
a branch in ``expand.iter_documents`` that recognises it.
"""

from toolkit.lazy import exports

__all__, __getattr__, __dir__ = exports(
    __name__,
    {
        "Document": "document",
        "iter_documents": "expand",
        "load_document": "expand",
        "FetchOptions": "fetch",
        "FetchResult": "fetch",
        "fetch": "fetch",
        "parse_feed": "feeds",
        "parse_sitemap": "feeds",
        "iter_warc_documents": "warc",
        "RobotsRules": "robots",
        "map_record": "records",
        "project_root": "project",
        "project_path": "project",
        "project_sources": "project",
    },
)
