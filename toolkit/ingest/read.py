"""``read_articles``: sources in, one articles row per input document out.

The sources are expanded lazily (``sources.iter_documents``), each document
is loaded and extracted in a worker process under a time limit
(``workers.TimeLimitedPool``), and the rows are marked for duplicates. A
page that fails in any way still becomes a row with a ``status`` and an
``error``; only a bad *argument* raises.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import pandas as pd
import trafilatura

from toolkit.extract.language import detect_language
from toolkit.extract.page import ExtractOptions, extract_page
from toolkit.ingest.cache import Cache, make_key, private_folder
from toolkit.ingest.dedupe import check_threshold, fingerprint, mark_duplicates
from toolkit.ingest.progress import PagesBar
from toolkit.ingest.workers import Outcome, make_executor
from toolkit.schema import article_id_for, conform_articles
from toolkit.sources.expand import Document, iter_documents, load_document
from toolkit.sources.fetch import FetchOptions

logger = logging.getLogger(__name__)

Favor = Literal["balanced", "precision", "recall"]
CACHE_NAMESPACE = "extraction"
#: Modules the extraction workers' fork server imports once (see ``toolkit.ingest.warm``).
WARM_MODULES = ("toolkit.ingest.warm",)
Source = str | Path | pd.DataFrame


@dataclass(frozen=True)
class IngestOptions:
    """Everything a worker needs to turn a document into a row.

    Attributes
    ----------
    extract : ExtractOptions
        How pages are extracted (trafilatura settings, tables, comments, language).
    fetch : FetchOptions
        How URLs are fetched (timeouts, retries, robots.txt, user agent) and the
        size cap of every page, local or fetched (``fetch.max_bytes``).
    cache_dir : str or None
        Folder of the on-disk extraction cache (``toolkit.ingest.cache``), or None for
        no cache. Resolved in the calling process: worker processes do not see
        later changes to its environment.
    """

    extract: ExtractOptions = field(default_factory=ExtractOptions)
    fetch: FetchOptions = field(default_factory=FetchOptions)
    cache_dir: str | None = None

    @property
    def max_bytes(self) -> int:
        """Largest page read or fetched; a bigger one gets status ``too_large``."""
        return self.fetch.max_bytes


def _hostname(url: Any) -> str | None:
    if not isinstance(url, str) or not url:
        return None
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None


def _base_row(doc: Document) -> dict[str, Any]:
    return {
        "article_id": article_id_for(doc.source_uri),
        "source_uri": doc.source_uri,
        "url": doc.url,
        "retrieved": doc.retrieved,
    }


def _record_fields(record: dict[str, Any]) -> dict[str, Any]:
    text = record.get("text")
    has_text = isinstance(text, str) and text.strip() != ""
    fields = dict(record)
    fields.setdefault("status", "ok" if has_text else "empty")
    if not has_text and fields["status"] == "empty":
        fields.setdefault("error", "the record has no text")
    if has_text and not fields.get("language"):
        fields["language"] = detect_language(text)  # as for pages; stopwords and NER need it
    if fields.get("date") is not None and not fields.get("date_source"):
        fields["date_source"] = "input"
    return fields


def process_document(doc: Document, options: IngestOptions = IngestOptions()) -> dict[str, Any]:
    """Load and extract one document; return its articles row as a dict.

    Runs in worker processes. Never raises for a bad page: whatever goes
    wrong ends in the row's ``status`` and ``error``.

    Parameters
    ----------
    doc : Document
        From ``sources.iter_documents``.
    options : IngestOptions
        Size cap, extraction and fetch settings.

    Returns
    -------
    dict
        Keys of the articles schema (missing ones are filled by ``conform_articles``).
    """
    row = _base_row(doc)
    try:
        doc = load_document(doc, max_bytes=options.max_bytes, fetch_options=options.fetch)
        row.update(url=doc.url or row["url"], retrieved=doc.retrieved or row["retrieved"])
        if doc.status is not None:
            row.update(status=doc.status, error=doc.error)
            return row
        if doc.kind == "record":
            fields = _record_fields(doc.record or {})
        else:
            fields = _page_fields(doc, options)
    except Exception as exc:  # a bug or an unforeseen page: record it, keep the run going
        logger.exception("failed on %s", doc.source_uri)
        row.update(status="error", error=f"{type(exc).__name__}: {exc}")
        return row
    row.update({k: v for k, v in fields.items() if v is not None or k not in row})
    row["hostname"] = row.get("hostname") or _hostname(row.get("url"))
    return row


def _extracted(doc: Document, options: IngestOptions) -> dict[str, Any]:
    return extract_page(
        doc.content or b"",
        url=doc.url,
        content_type=doc.content_type,
        retrieved=doc.retrieved,
        path_hint=doc.path,
        options=options.extract,
    )


def with_text_stats(row: dict[str, Any]) -> dict[str, Any]:
    """Add ``n_words`` and the MinHash ``fingerprint`` (duplicate detection) of the row's text.

    Done where the rows are gathered (the parent process, or the Dask worker
    that collects a batch), while the extraction workers go on with the next
    pages.
    """
    text = row.get("text")
    if isinstance(text, str) and text:
        row["n_words"] = len(text.split())
        row["fingerprint"] = fingerprint(text)
    return row


def _page_fields(doc: Document, options: IngestOptions) -> dict[str, Any]:
    """Extract a page, through the on-disk cache when one is configured."""
    if options.cache_dir is None:
        return _extracted(doc, options)
    key = make_key(
        hashlib.sha256(doc.content or b"").hexdigest(),
        doc.url,
        doc.content_type,
        Path(doc.path).suffix if doc.path else None,
        doc.retrieved,
        dataclasses.asdict(options.extract),
        trafilatura.__version__,
    )
    store = Cache(CACHE_NAMESPACE, directory=options.cache_dir)
    fields = store.get(key)
    if fields is None:
        fields = _extracted(doc, options)
        if fields.get("status") != "error":  # an error may be transient; try again next run
            store.put(key, fields)
    return fields


def run_task(task: tuple[Document, IngestOptions]) -> dict[str, Any]:
    return process_document(*task)


def failed_row(doc: Document, outcome: Outcome) -> dict[str, Any]:
    status = "timeout" if outcome.kind == "timeout" else "error"
    return {**_base_row(doc), "status": status, "error": f"extraction {outcome.error}"}


def iter_rows(
    documents: Iterable[Document],
    *,
    options: IngestOptions,
    executor: Any,
    timeout: float | None = 30.0,
    progress: bool = True,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(position, row)`` for each document as the executor finishes them.

    Parameters
    ----------
    documents : iterable of Document
        Consumed lazily: at most two documents per worker are in flight.
    options : IngestOptions
        Passed to ``process_document``.
    executor : toolkit.addons.Executor
        Local worker processes (``ProcessExecutor``) or an add-on's (a Dask cluster).
    timeout : float or None
        Seconds allowed per document (load + extraction).
    progress : bool
        Show a tqdm progress bar (``ingest.progress.PagesBar``: its total as soon as it
        is known, the mean rate).

    Yields
    ------
    tuple of (int, dict)
        The document's position in ``documents`` and its row.
    """
    in_flight: dict[int, Document] = {}
    bar = PagesBar(documents, progress=progress)

    def tasks() -> Iterator[tuple[Document, IngestOptions]]:
        for position, doc in enumerate(bar.documents()):
            in_flight[position] = doc
            yield doc, options

    try:
        outcomes = executor.map(
            run_task, tasks(), timeout=timeout, warm=WARM_MODULES, finish=with_text_stats
        )
        for outcome in outcomes:
            doc = in_flight.pop(outcome.index)
            row = outcome.value if outcome.kind == "ok" else failed_row(doc, outcome)
            bar.update()
            yield outcome.index, row
    finally:
        bar.close()


def unique_ids(articles: pd.DataFrame, *, taken: set[str] | None = None) -> pd.DataFrame:
    """Give every row its own ``article_id``: a repeated id becomes ``<id>~2``, ``<id>~3``, ...

    Ids given in the input (an ``article_id`` column of a table or frame) may
    repeat; the first row keeps the id, the later ones get a derived one, and
    a warning says how many were renamed. No row is dropped.

    Parameters
    ----------
    articles : pandas.DataFrame
        Conformed articles rows.
    taken : set of str, optional
        Ids already in use (rows written by an earlier batch or run); the ids
        of ``articles`` are added to it.

    Returns
    -------
    pandas.DataFrame
        ``articles`` with unique ids (the same frame when none repeated).
    """
    taken = set() if taken is None else taken
    given = set(articles["article_id"])
    next_suffix: dict[str, int] = {}
    ids, renamed = [], []
    for article_id in articles["article_id"]:
        if article_id in taken:
            suffix = next_suffix.get(article_id, 2)
            while f"{article_id}~{suffix}" in taken or f"{article_id}~{suffix}" in given:
                suffix += 1
            next_suffix[article_id] = suffix + 1
            renamed.append((article_id, f"{article_id}~{suffix}"))
            article_id = renamed[-1][1]
        taken.add(article_id)
        ids.append(article_id)
    if not renamed:
        return articles
    logger.warning(
        "%d row(s) repeat an article_id given in the input (e.g. %r); each was given its own "
        "id (%r, ...)",
        len(renamed),
        *renamed[0],
    )
    return articles.assign(article_id=pd.Series(ids, index=articles.index, dtype="str"))


def as_source_list(sources: Source | Iterable[Source]) -> list[Source]:
    if isinstance(sources, (str, Path, pd.DataFrame)):
        return [sources]
    if isinstance(sources, Iterable):
        items = list(sources)
        bad = [s for s in items if not isinstance(s, (str, Path, pd.DataFrame))]
        if bad:
            raise ValueError(
                "sources must be paths, URLs or DataFrames (or a list of them); "
                f"got {type(bad[0]).__name__}: {bad[0]!r}"
            )
        return items
    raise ValueError(
        "sources must be a path, a URL, a DataFrame or a list of them, "
        f"got {type(sources).__name__}"
    )


def _given(name: str, value: Any, held: Any, where: str) -> None:
    """A keyword and an options object both set ``name`` differently: refuse, never override."""
    if value is not None and value != held:
        raise ValueError(
            f"{name}={value!r} conflicts with {where}={held!r}; set it in one place"
        )


def build_options(
    *,
    extract: ExtractOptions | None = None,
    fetch: FetchOptions | None = None,
    max_bytes: int | None = None,
    favor: Favor | None = None,
    include_tables: bool | None = None,
    include_comments: bool | None = None,
    fetch_options: FetchOptions | None = None,
    cache: bool = False,
) -> IngestOptions:
    """Check the ingestion options and bundle them for the workers.

    The option objects hold every setting; the keywords are shorthands for the
    common ones. A keyword that contradicts the object given beside it is a
    ``ValueError``, never a silent override.

    Parameters
    ----------
    extract : ExtractOptions, optional
        Every extraction setting.
    fetch : FetchOptions, optional
        Every fetching setting, and the size cap (``max_bytes``).
    max_bytes : int, optional
        Shorthand for ``fetch.max_bytes``.
    favor : {"balanced", "precision", "recall"}, optional
        Shorthand for ``extract.favor_precision`` / ``favor_recall``.
    include_tables, include_comments : bool, optional
        Shorthands for the ``extract`` fields of the same names.
    fetch_options : FetchOptions, optional
        The former name of ``fetch``.
    cache : bool
        Use the on-disk extraction cache.

    Returns
    -------
    IngestOptions
    """
    if fetch_options is not None:
        if not isinstance(fetch_options, FetchOptions):
            raise ValueError(
                f"fetch_options must be a toolkit.FetchOptions, got {type(fetch_options).__name__}"
            )
        if fetch is not None and fetch is not fetch_options:
            raise ValueError("fetch and fetch_options are the same option; pass only fetch")
        fetch = fetch_options
    for name, value, kind in (("extract", extract, ExtractOptions), ("fetch", fetch, FetchOptions)):
        if value is not None and not isinstance(value, kind):
            raise ValueError(
                f"{name} must be a toolkit.{kind.__name__}, got {type(value).__name__}"
            )
    if favor is not None and favor not in ("balanced", "precision", "recall"):
        raise ValueError(f"favor must be 'balanced', 'precision' or 'recall', got {favor!r}")
    if max_bytes is not None and (
        not isinstance(max_bytes, int) or isinstance(max_bytes, bool) or max_bytes <= 0
    ):
        raise ValueError(f"max_bytes must be a positive integer, got {max_bytes!r}")
    if fetch is None:
        fetch = FetchOptions() if max_bytes is None else FetchOptions(max_bytes=max_bytes)
    else:
        _given("max_bytes", max_bytes, fetch.max_bytes, "fetch.max_bytes")
    shorthands = {"include_tables": include_tables, "include_comments": include_comments}
    if favor is not None:
        shorthands.update(favor_precision=favor == "precision", favor_recall=favor == "recall")
    shorthands = {k: v for k, v in shorthands.items() if v is not None}
    if extract is None:
        extract = ExtractOptions(**shorthands)
    else:
        for name, value in shorthands.items():
            shown = ("favor", favor, _favor_of(extract)) if name.startswith("favor") else (
                name, value, getattr(extract, name))
            _given(shown[0], shown[1], shown[2], f"extract.{shown[0]}")
    return IngestOptions(
        extract=extract,
        fetch=fetch,
        cache_dir=str(private_folder()) if cache else None,
    )


def _favor_of(extract: ExtractOptions) -> str:
    if extract.favor_precision:
        return "precision"
    return "recall" if extract.favor_recall else "balanced"


def read_articles(
    sources: Source | Iterable[Source],
    *,
    extract: ExtractOptions | None = None,
    fetch: FetchOptions | None = None,
    workers: int = 1,
    timeout: float | None = 30.0,
    near_duplicates: float = 0.8,
    cache: bool = False,
    progress: bool = True,
    scheduler: Any = None,
    max_bytes: int | None = None,
    favor: Favor | None = None,
    include_tables: bool | None = None,
    include_comments: bool | None = None,
    fetch_options: FetchOptions | None = None,
) -> pd.DataFrame:
    """Read news pages into the articles frame: one row per input document.

    Parameters
    ----------
    sources : path, URL, DataFrame, or a list of them
        Files (``.html``, ``.htm``, ``.html.gz``, ``.txt`` text dumps), folders
        (read recursively), globs (``data/**/*.html``), http(s) URLs of pages,
        RSS/Atom feeds or sitemaps (expanded to their articles), WARC archives
        (``.warc``, ``.warc.gz``), JSONL/CSV files or DataFrames of
        already-extracted articles.
    extract : ExtractOptions, optional
        Every extraction setting (precision or recall, tables, comments,
        ``fast``, ``target_language``); default ``ExtractOptions()``.
    fetch : FetchOptions, optional
        Every fetching setting (timeouts, retries, robots.txt, delays, user
        agent) and the size cap of every page, local or fetched
        (``max_bytes``, 5 MB by default); default ``FetchOptions()``.
    workers : int
        Worker processes extracting in parallel (2 uses both cores of a
        laptop-sized machine).
    timeout : float or None
        Seconds one page may take to load and extract; a page that overruns
        gets status ``timeout`` and its worker is replaced.
    near_duplicates : float
        Mark an article as a copy of an earlier one when the Jaccard similarity
        of their word 3-shingles (estimated by MinHash) is at least this (0 to
        1; 1 marks exact copies only). See ``toolkit.ingest.dedupe``.
    cache : bool
        Keep each page's extraction in the on-disk cache (``toolkit.ingest.cache``,
        ``$TOOLKIT_CACHE_DIR``; keyed by the page's bytes, URL, options and the
        trafilatura and toolkit versions) and reuse it on later runs.
        ``toolkit cache clear`` empties it.
    progress : bool
        Show a progress bar.
    scheduler : distributed.Client or str, optional
        Extract on a Dask cluster (a client, a cluster or a scheduler address)
        instead of local worker processes; ``workers`` is then ignored. The
        workers must see the same files as this process. Needs the Dask add-on
        (``toolkit.dask``).
    max_bytes : int, optional
        Shorthand for ``fetch.max_bytes``.
    favor : {"balanced", "precision", "recall"}, optional
        Shorthand for trafilatura's trade-off in ``extract``: ``precision``
        drops more borderline text, ``recall`` keeps more.
    include_tables, include_comments : bool, optional
        Shorthands for the ``extract`` fields: keep tables / reader comments.
    fetch_options : FetchOptions, optional
        The former name of ``fetch``.

    A shorthand that contradicts the options object given beside it (say
    ``max_bytes=1000`` with ``fetch=FetchOptions(max_bytes=2000)``) is a
    ``ValueError``.

    Returns
    -------
    pandas.DataFrame
        The articles frame (columns in ``toolkit.schema.ARTICLE_COLUMNS``):
        article_id, source_uri, url, hostname, sitename, title, authors, date,
        date_source, retrieved, language, description, categories, tags, text,
        n_words, fingerprint, duplicate_of, status, error. Rows are in input
        order; every row has its own ``article_id`` (an id the input repeats
        is kept by its first row, the later ones get ``<id>~2``, ...).
        ``attrs["status_counts"]`` holds the number of rows per status.
    """
    source_list = as_source_list(sources)
    check_threshold(near_duplicates)
    options = build_options(
        extract=extract,
        fetch=fetch,
        max_bytes=max_bytes,
        favor=favor,
        include_tables=include_tables,
        include_comments=include_comments,
        fetch_options=fetch_options,
        cache=cache,
    )
    documents = iter_documents(
        source_list, fetch_options=options.fetch, max_bytes=options.max_bytes, timeout=timeout
    )
    with contextlib.closing(make_executor(scheduler, workers=workers)) as executor:
        rows = dict(
            iter_rows(
                documents, options=options, executor=executor, timeout=timeout, progress=progress
            )
        )
    frame = unique_ids(conform_articles(pd.DataFrame([rows[i] for i in sorted(rows)])))
    frame = mark_duplicates(frame, threshold=near_duplicates)
    counts = frame["status"].value_counts().to_dict()
    frame.attrs["status_counts"] = {k: int(v) for k, v in counts.items()}
    frame.attrs["read_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    logger.info("read %d documents: %s", len(frame), frame.attrs["status_counts"])
    return frame
