"""Turn what the user names (paths, folders, globs, URLs, feeds, archives, tables) into documents.

:func:`iter_documents` runs in the main process and lists documents lazily:
local pages carry only their ``path``, article URLs from feeds and sitemaps
carry only their ``fetch_url``, so nothing heavy happens until
:func:`load_document` reads or fetches one, in a worker process. Every input
shows up as at least one :class:`Document`; one that cannot be read becomes a
document whose ``status`` and ``error`` say why, and the run goes on.
"""

from __future__ import annotations

import dataclasses
import glob
import gzip
import logging
import os
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import pandas as pd

from toolkit.sources.document import Document, failed, file_uri, os_error_message
from toolkit.sources.feeds import MAX_SITEMAP_BYTES, parse_feed, parse_sitemap
from toolkit.sources.fetch import (
    FetchOptions,
    FetchResult,
    check_http_url,
    fetch,
    is_binary_type,
    is_gzip,
    read_capped,
    too_large_message,
)
from toolkit.sources.guard import address_problem
from toolkit.sources.records import (
    csv_documents,
    frame_documents,
    jsonl_documents,
    map_record,
    split_authors,
)

logger = logging.getLogger(__name__)

__all__ = [
    "Document",
    "classify_path",
    "failed",
    "file_uri",
    "iter_documents",
    "load_document",
    "map_record",
    "os_error_message",
    "split_authors",
]

#: Page suffixes (also with ".gz") and the Content-Type their documents get.
PAGE_TYPES: dict[str, str] = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "application/xhtml+xml",
    ".txt": "text/plain",
}
WARC_SUFFIXES: tuple[str, ...] = (".warc", ".warc.gz", ".arc", ".arc.gz")
JSONL_SUFFIXES: tuple[str, ...] = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
CSV_SUFFIXES: tuple[str, ...] = (".csv", ".csv.gz")

#: How deep sitemap indexes may nest (index -> index -> urlset is depth 2).
MAX_SITEMAP_DEPTH = 3

FileKind = Literal["page", "warc", "jsonl", "csv"]

_URL_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


# -- the public entry points ------------------------------------------------------------


def iter_documents(
    sources: Any,
    *,
    fetch_options: FetchOptions | None = None,
    max_bytes: int = 5_000_000,
    timeout: float | None = None,
) -> Iterator[Document]:
    """List the documents behind ``sources``, lazily and in order.

    Parameters
    ----------
    sources : str, pathlib.Path, pandas.DataFrame, or a list of them
        Files, folders (read recursively, in sorted order, hidden entries
        skipped), globs (``data/**/*.html``), ``file://`` URIs, http(s) URLs of
        pages, RSS/Atom feeds or sitemaps, WARC files, JSONL/CSV files of
        extracted articles, and frames. Supported files: ``.html .htm .xhtml
        .txt`` (also ``.gz``), ``.warc .warc.gz .arc .arc.gz``, ``.jsonl
        .ndjson .csv`` (also ``.gz``). A folder yields its pages and archives
        only: tables found in folders are usually metadata, so they are skipped
        with a warning (name or glob them to read them). An explicitly named
        file of unknown type is a page (the extractor sniffs it).
    fetch_options : FetchOptions, optional
        How URLs are fetched. When None, ``FetchOptions(max_bytes=max_bytes)``;
        when given, its own ``max_bytes`` caps URL pages.
    max_bytes : int
        The size cap of pages read here (WARC payloads; URL pages when
        ``fetch_options`` is None).
    timeout : float, optional
        Seconds one fetch made here (a URL given as a source, a feed, a
        sitemap and each child sitemap) may take, when shorter than the fetch
        options' ``total_timeout``: the per-page time limit of the run.

    Returns
    -------
    Iterator[Document]
        - file pages: ``path`` set, ``content`` None (read by :func:`load_document`);
          ``content_type`` "text/html", "application/xhtml+xml", "text/plain"
          (``.txt``) or None (unknown type); ``source_uri`` the file URI.
        - URL pages: ``content`` fetched here; ``source_uri`` the URL as given,
          ``url`` the final URL.
        - feeds and sitemaps (indexes followed, 3 levels at most, at most
          ``max_sitemap_children`` children per index and ``max_sitemaps``
          sitemaps per source): one page per article URL, with ``fetch_url``
          set and ``source_uri == url ==`` the link; ``public_only`` set when
          the listing is on a public address (and ``private_addresses`` is
          ``"listed"``).
        - WARC records: ``content`` set (see :func:`toolkit.sources.warc.iter_warc_documents`).
        - JSONL/CSV rows (``<file URI>#row=<i>``) and frame rows: ``kind="record"``,
          ``record`` from :func:`map_record`; a frame row's ``source_uri`` is its
          ``source_uri`` column, else its URL, else ``frame:row=<i>``.

        Each ``source_uri`` comes once per call (later repeats are dropped), so
        article ids are unique. Failures are documents, never exceptions; the
        ``source_uri`` of an input that does not exist is the string given:

        - ``error``: "file not found: <path>", "no readable pages in folder <dir>
          (2 other files skipped: .pdf: 1, .png: 1)", "no files match <glob>",
          "unsupported URL scheme 'ftp' (only http, https and file): <url>",
          "HTTP 404 Not Found: <url>", "connection refused by <host:port>: <url>",
          "timed out after 30.0 s waiting for the server: <url>", "line 2 of
          <file> is not valid JSON (...)", "broken WARC record in <file> at byte
          <n> (...); the rest of the file was not read";
        - ``too_large``: "page is 20.0 MB, above the 5.0 MB limit (max_bytes): <url>",
          "sitemap index lists 10000 sitemaps; the first 500 were read
          (max_sitemap_children): <url>";
        - ``not_html``: "not a web page (Content-Type image/png): <url>";
        - ``empty``: "feed lists no articles: <url>", "no records in <file>".

    Raises
    ------
    TypeError
        When ``sources`` (or one of its items) is not a str, path or frame, or
        ``fetch_options`` is not a :class:`FetchOptions`.
    ValueError
        When ``max_bytes`` is not a positive int, or ``timeout`` not a positive number.
    """
    items = _source_list(sources)
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes <= 0:
        raise ValueError(f"max_bytes must be a positive int, got {max_bytes!r}")
    if fetch_options is not None and not isinstance(fetch_options, FetchOptions):
        raise TypeError(f"fetch_options must be a FetchOptions, got {type(fetch_options).__name__}")
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0
    ):
        raise ValueError(f"timeout must be a positive number of seconds or None, got {timeout!r}")
    options = fetch_options or FetchOptions(max_bytes=max_bytes)
    if timeout is not None and timeout < options.total_timeout:
        options = dataclasses.replace(options, total_timeout=float(timeout))
    return _generate(items, _Run(options, max_bytes))


def load_document(
    doc: Document,
    *,
    max_bytes: int = 5_000_000,
    fetch_options: FetchOptions | None = None,
) -> Document:
    """Read or fetch a document's bytes (meant to run in worker processes).

    Parameters
    ----------
    doc : Document
        A document from :func:`iter_documents`.
    max_bytes : int
        The largest page accepted, after gzip decompression for ``.gz`` files.
    fetch_options : FetchOptions, optional
        How ``fetch_url`` is fetched; ``FetchOptions(max_bytes=max_bytes)`` when None.

    Returns
    -------
    Document
        A new document with ``content`` set, or with ``status``/``error``:
        ``too_large`` ("page is 20.0 MB, above the 5.0 MB limit (max_bytes)"),
        ``error`` ("file not found: <path>", "broken gzip file (...): <path>",
        "HTTP 404 Not Found: <url>", ...), ``not_html`` ("not a web page
        (Content-Type image/png): <url>"). Documents that already have content
        or a status, and records, come back unchanged. Never raises.
    """
    if doc.status is not None or doc.content is not None or doc.kind == "record":
        return doc
    try:
        if doc.path:
            return _load_path(doc, max_bytes)
        if doc.fetch_url:
            options = fetch_options or FetchOptions(max_bytes=max_bytes)
            if doc.public_only and options.private_addresses == "listed":
                options = dataclasses.replace(options, private_addresses="refuse")
            return _from_fetch(doc, fetch(doc.fetch_url, options), options.max_bytes)
        return dataclasses.replace(
            doc, status="error", error="document has no path, URL or content to read"
        )
    except Exception as exc:  # a worker must never die on one page
        logger.exception("unexpected failure reading %s", doc.source_uri)
        where = doc.path or doc.fetch_url or doc.source_uri
        return dataclasses.replace(doc, status="error", error=f"could not read {where}: {exc!r}")


# -- argument checking --------------------------------------------------------------------


def _source_list(sources: Any) -> list[Any]:
    """The sources as a list, each a str, PathLike or DataFrame (else TypeError)."""
    if isinstance(sources, (str, os.PathLike, pd.DataFrame)):
        return [sources]
    if isinstance(sources, bytes) or not isinstance(sources, Iterable):
        raise TypeError(
            "sources must be a path, URL, DataFrame or a list of them, "
            f"got {type(sources).__name__}"
        )
    items = list(sources)
    for item in items:
        if not isinstance(item, (str, os.PathLike, pd.DataFrame)):
            raise TypeError(
                f"each source must be a path, URL or DataFrame, got {type(item).__name__}: {item!r}"
            )
    return items


@dataclass
class _Run:
    """What one :func:`iter_documents` call shares across its sources."""

    options: FetchOptions
    max_bytes: int
    emitted: set[str] = field(default_factory=set)  # source_uris already yielded
    visited: set[str] = field(default_factory=set)  # feeds and sitemaps already fetched
    repeats: int = 0
    sitemaps_left: int = 0  # child sitemaps the current source may still fetch

    def new(self, source_uri: str) -> bool:
        """True when no document with this ``source_uri`` was yielded yet."""
        return source_uri not in self.emitted


def _generate(items: list[Any], run: _Run) -> Iterator[Document]:
    for item in items:
        for doc in _item_documents(item, run):
            # The same page named twice (a folder and a file in it, a URL in two
            # feeds) is read once, so article ids stay unique.
            if doc.source_uri in run.emitted:
                run.repeats += 1
                continue
            run.emitted.add(doc.source_uri)
            yield doc
    if run.repeats:
        logger.info("%d documents were named more than once; each is read once", run.repeats)


def _item_documents(item: Any, run: _Run) -> Iterator[Document]:
    if isinstance(item, pd.DataFrame):
        return frame_documents(item)
    if isinstance(item, os.PathLike):
        return _path_documents(os.fspath(item), run)
    return _string_documents(item, run)


def _string_documents(text: str, run: _Run) -> Iterator[Document]:
    raw = text.strip()
    match = _URL_SCHEME.match(raw)
    if not match:
        yield from _path_documents(raw, run)
        return
    scheme = match.group(1).lower()
    if scheme in ("http", "https"):
        yield from _url_documents(raw, run)
    elif scheme == "file":
        yield from _path_documents(url2pathname(unquote(urlsplit(raw).path)), run, shown=raw)
    else:
        yield failed(raw, f"unsupported URL scheme {scheme!r} (only http, https and file): {raw}")


# -- local files --------------------------------------------------------------------------


def classify_path(path: str | os.PathLike) -> FileKind | None:
    """Return how a file is read, from its name: page, warc, jsonl, csv, or None (unknown)."""
    name = os.fspath(path).lower()
    if name.endswith(WARC_SUFFIXES):
        return "warc"
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(CSV_SUFFIXES):
        return "csv"
    if _page_content_type(name) is not None:
        return "page"
    return None


def _page_content_type(name: str) -> str | None:
    name = name.lower().removesuffix(".gz")
    return next((ctype for suffix, ctype in PAGE_TYPES.items() if name.endswith(suffix)), None)


def _path_documents(raw: str, run: _Run, *, shown: str | None = None) -> Iterator[Document]:
    shown = shown or raw
    try:
        path = Path(raw).expanduser()
        is_dir, exists = path.is_dir(), path.exists()
    except (OSError, ValueError) as exc:  # NUL bytes, names too long, ...
        yield failed(shown, f"not a usable path ({_first_line(exc)}): {raw[:200]!r}")
        return
    if is_dir:
        yield from _folder_documents(path, shown, run)
    elif exists:
        yield from _file_documents(path, run)
    elif glob.has_magic(raw):
        yield from _glob_documents(raw, run)
    else:
        yield failed(shown, f"file not found: {raw}")


def _first_line(exc: Exception) -> str:
    return str(exc).split(":", 1)[0] if isinstance(exc, OSError) else str(exc)


def _file_documents(path: Path, run: _Run) -> Iterator[Document]:
    kind = classify_path(path)
    if kind == "warc":
        from toolkit.sources.warc import iter_warc_documents  # warcio only when archives are read

        yield from iter_warc_documents(path, max_bytes=run.max_bytes)
    elif kind == "jsonl":
        yield from jsonl_documents(path)
    elif kind == "csv":
        yield from csv_documents(path, run.max_bytes)
    else:  # pages, and explicitly named files of unknown type: the extractor sniffs them
        resolved = path.resolve()
        yield Document(
            source_uri=resolved.as_uri(),
            kind="page",
            path=str(resolved),
            content_type=_page_content_type(path.name),
        )


def _folder_files(root: Path, skipped: Counter[str]) -> Iterator[Path]:
    """Files under ``root`` in sorted order; folder-readable ones only, others counted."""
    errors: list[OSError] = []
    for folder, dirs, files in os.walk(root, onerror=errors.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            kind = classify_path(name)
            if name.startswith(".") or kind in (None, "jsonl", "csv"):
                skipped[_suffix_label(name)] += 1
                continue
            yield Path(folder, name)
    for exc in errors:
        logger.warning("could not list %s: %s", exc.filename, exc.strerror or exc)


def _folder_documents(root: Path, shown: str, run: _Run) -> Iterator[Document]:
    skipped: Counter[str] = Counter()
    produced = 0
    for path in _folder_files(root, skipped):
        for doc in _file_documents(path, run):
            produced += 1
            yield doc
    _log_skipped(shown, skipped)
    if not produced:
        yield failed(shown, f"no readable pages in folder {shown}{_skipped_note(skipped)}")


def _glob_documents(pattern: str, run: _Run) -> Iterator[Document]:
    skipped: Counter[str] = Counter()
    produced = 0
    for match in sorted(glob.iglob(os.path.expanduser(pattern), recursive=True)):
        path = Path(match)
        if path.is_dir():
            docs = _folder_documents(path, match, run)
        elif classify_path(path) is None:
            skipped[_suffix_label(path.name)] += 1
            continue
        else:
            docs = _file_documents(path, run)
        for doc in docs:
            produced += 1
            yield doc
    _log_skipped(pattern, skipped)
    if not produced:
        yield failed(pattern, f"no files match {pattern}{_skipped_note(skipped)}")


def _suffix_label(name: str) -> str:
    """How a skipped file is counted in the log: its extension (two for ``.gz``)."""
    if name.startswith("."):
        return "hidden"
    suffixes = Path(name.lower()).suffixes
    if not suffixes:
        return "no extension"
    return "".join(suffixes[-2:]) if suffixes[-1] == ".gz" else suffixes[-1]


def _skipped_kinds(skipped: Counter[str]) -> str:
    ordered = sorted(skipped.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{label}: {n}" for label, n in ordered)


def _skipped_note(skipped: Counter[str]) -> str:
    if not skipped:
        return ""
    return f" ({sum(skipped.values())} other files skipped: {_skipped_kinds(skipped)})"


def _log_skipped(where: str, skipped: Counter[str]) -> None:
    if not skipped:
        return
    total = sum(skipped.values())
    logger.info("skipped %d files of other types in %s (%s)", total, where, _skipped_kinds(skipped))
    tables = sum(n for label, n in skipped.items() if classify_path(label) in ("jsonl", "csv"))
    if tables:
        logger.warning(
            "%d JSONL/CSV files in %s were not read; name them (or glob them) to read "
            "them as extracted articles",
            tables,
            where,
        )


def _load_path(doc: Document, max_bytes: int) -> Document:
    """Read a local page, decompressing gzip, never past ``max_bytes``."""
    path = doc.path
    try:
        with open(path, "rb") as fh:
            if is_gzip(fh.read(2)):
                fh.seek(0)
                data = read_capped(gzip.GzipFile(fileobj=fh), max_bytes)
                size = None
                what = "page once decompressed"
            else:
                fh.seek(0)
                size = os.fstat(fh.fileno()).st_size
                data = None if size > max_bytes else read_capped(fh, max_bytes)
                what = "page"
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        return dataclasses.replace(doc, status="error", error=f"broken gzip file ({exc}): {path}")
    except OSError as exc:
        return dataclasses.replace(doc, status="error", error=os_error_message(exc, path))
    if data is None:
        return dataclasses.replace(
            doc, status="too_large", error=too_large_message(max_bytes, size, what=what)
        )
    return dataclasses.replace(doc, content=data)


# -- URLs, feeds and sitemaps -------------------------------------------------------------


def _url_documents(url: str, run: _Run) -> Iterator[Document]:
    problem = check_http_url(url)
    if problem:
        yield failed(url, problem)
        return
    if not run.new(url) or url in run.visited:
        run.repeats += 1
        return
    run.visited.add(url)
    # A sitemap may be far bigger than a page; the page cap is applied below.
    listing_cap = max(run.options.max_bytes, MAX_SITEMAP_BYTES)
    result = fetch(url, dataclasses.replace(run.options, max_bytes=listing_cap))
    if not result.ok:
        if result.failure == "too_large":  # past the sitemap cap, so past the page cap too
            message = f"{too_large_message(run.options.max_bytes)}: {result.url}"
            result = dataclasses.replace(result, error=message)
        yield _from_fetch(Document(url, "page"), result, run.options.max_bytes)
        return
    public = _is_public(result)
    sitemap = parse_sitemap(result.content, base_url=result.url)
    if sitemap is not None:
        run.sitemaps_left = run.options.max_sitemaps - 1
        yield from _sitemap_documents(url, sitemap, run, depth=1, public=public)
        return
    links = parse_feed(result.content, base_url=result.url)
    if links is not None:
        yield from _listed_documents(url, "feed", links, run, public=public)
        return
    yield _from_fetch(Document(url, "page"), result, run.options.max_bytes)


def _is_public(result: FetchResult) -> bool:
    """Whether a listing was served from a public address (its links then may not go private)."""
    return result.address is not None and address_problem(result.address) is None


def _from_fetch(doc: Document, result: FetchResult, max_bytes: int) -> Document:
    """``doc`` completed with a fetch result (content, or status and error)."""
    fields = {"url": result.url, "retrieved": result.retrieved, "content_type": result.content_type}
    if not result.ok:
        return dataclasses.replace(doc, status=result.failure, error=result.error, **fields)
    if len(result.content) > max_bytes:
        message = too_large_message(max_bytes, len(result.content))
        return dataclasses.replace(
            doc, status="too_large", error=f"{message}: {result.url}", **fields
        )
    if is_binary_type(result.content_type):
        message = f"not a web page (Content-Type {result.content_type}): {result.url}"
        return dataclasses.replace(doc, status="not_html", error=message, **fields)
    return dataclasses.replace(doc, content=result.content, **fields)


def _sitemap_documents(
    source: str, sitemap: tuple[str, list[str]], run: _Run, *, depth: int, public: bool
) -> Iterator[Document]:
    kind, urls = sitemap
    if kind == "urlset":
        yield from _listed_documents(source, "sitemap", urls, run, public=public)
        return
    if depth >= MAX_SITEMAP_DEPTH:
        yield failed(source, f"sitemap indexes nest deeper than {MAX_SITEMAP_DEPTH}: {source}")
        return
    if not urls:
        yield failed(source, f"sitemap index lists no sitemaps: {source}", status="empty")
        return
    cap = run.options.max_sitemap_children
    if len(urls) > cap:
        message = (
            f"sitemap index lists {len(urls)} sitemaps; the first {cap} were read "
            f"(FetchOptions.max_sitemap_children): {source}"
        )
        logger.warning("%s", message)
        yield failed(f"{source}#skipped-sitemaps", message, status="too_large", url=source)
    for position, child in enumerate(urls[:cap]):
        if run.sitemaps_left <= 0:
            left = min(len(urls), cap) - position
            message = (
                f"{left} sitemaps of this index were not read: the source already fetched "
                f"{run.options.max_sitemaps} sitemaps (FetchOptions.max_sitemaps): {source}"
            )
            logger.warning("%s", message)
            yield failed(f"{source}#over-max-sitemaps", message, status="too_large", url=source)
            return
        yield from _child_sitemap_documents(child, run, depth=depth + 1, public=public)


def _child_sitemap_documents(
    url: str, run: _Run, *, depth: int, public: bool
) -> Iterator[Document]:
    problem = check_http_url(url)
    if problem:
        yield failed(url, problem)
        return
    if url in run.visited:
        return
    run.visited.add(url)
    run.sitemaps_left -= 1
    options = dataclasses.replace(run.options, max_bytes=MAX_SITEMAP_BYTES)
    if public and options.private_addresses == "listed":
        options = dataclasses.replace(options, private_addresses="refuse")
    result = fetch(url, options)
    if not result.ok:
        yield _from_fetch(Document(url, "page"), result, MAX_SITEMAP_BYTES)
        return
    sitemap = parse_sitemap(result.content, base_url=result.url)
    if sitemap is None:
        yield failed(url, f"not a sitemap (listed in a sitemap index): {url}", url=result.url)
        return
    yield from _sitemap_documents(url, sitemap, run, depth=depth, public=public)


def _listed_documents(
    source: str, what: str, urls: list[str], run: _Run, *, public: bool
) -> Iterator[Document]:
    """One document per article URL of a feed or sitemap."""
    if not urls:
        yield failed(source, f"{what} lists no articles: {source}", status="empty")
        return
    new = [u for u in urls if run.new(u)]
    logger.info("%s %s lists %d articles (%d not listed before)", what, source, len(urls), len(new))
    public_only = public and run.options.private_addresses == "listed"
    for url in new:
        problem = check_http_url(url)
        if problem:
            yield failed(url, problem)
        else:
            yield Document(
                source_uri=url, kind="page", url=url, fetch_url=url, public_only=public_only
            )
