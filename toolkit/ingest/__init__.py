"""Many inputs to the articles frame.

In: sources (see :mod:`toolkit.sources`) and the ingestion options
(:class:`~toolkit.extract.ExtractOptions`, :class:`~toolkit.sources.FetchOptions`).
Out: the articles frame, one row per input document with a ``status``
(:func:`read_articles`), or a partitioned Parquet dataset written batch by batch
that a rerun resumes (:func:`ingest_to_dataset`). Pages are extracted in worker
processes under a per-page time limit (``workers.TimeLimitedPool``, behind the
executor interface of :mod:`toolkit.addons`), marked for near-duplicates
(MinHash), optionally served from an on-disk cache; :func:`save_articles` and
:func:`load_articles` keep the frame in Parquet, CSV or JSONL.
"""

from toolkit.lazy import exports

__all__, __getattr__, __dir__ = exports(
    __name__,
    {
        "read_articles": "read",
        "build_options": "read",
        "IngestOptions": "read",
        "ingest_to_dataset": "dataset",
        "save_articles": "store",
        "load_articles": "store",
        "read_dataset": "store",
        "mark_duplicates": "dedupe",
        "TimeLimitedPool": "workers",
        "ProcessExecutor": "workers",
        "make_executor": "workers",
        "require_readable": "summary",
        "NoReadableArticles": "summary",
        "cache_info": "cache",
        "clear_cache": "cache",
    },
)
