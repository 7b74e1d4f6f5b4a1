"""Read web archives (WARC/ARC, plain or gzipped) into page documents.

Each archived HTML ``response`` (or ``resource``) becomes one
:class:`~toolkit.sources.Document` with the HTTP payload (chunked transfer and
content encodings removed), the target URI and the capture date. Requests,
metadata, revisits and non-HTML payloads are skipped and counted in the log.
A broken record ends the reading of its file with one error document that
names the byte offset; everything read before it is kept.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator, WARCIterator

from toolkit.sources.document import Document, failed, file_uri, os_error_message
from toolkit.sources.fetch import status_phrase, too_large_message

logger = logging.getLogger(__name__)

#: Media types read as pages without looking at the bytes.
HTML_TYPES: frozenset[str] = frozenset({"text/html", "application/xhtml+xml"})
#: Media types that say nothing useful: the payload is sniffed.
VAGUE_TYPES: frozenset[str] = frozenset(
    {
        "",
        "application/octet-stream",
        "text/plain",
        "unk",
        "unknown",
        "no-type",
        "application/unknown",
    }
)

_HTML_SNIFF = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|script)[\s>/]", re.IGNORECASE
)
_SNIFF_BYTES = 2048


class _BrokenRecord(Exception):
    """A record whose bytes end before its declared length."""


def iter_warc_documents(
    path: str | os.PathLike, *, max_bytes: int = 5_000_000
) -> Iterator[Document]:
    """List the HTML pages archived in a WARC or ARC file, lazily.

    Parameters
    ----------
    path : str or os.PathLike
        A ``.warc``, ``.warc.gz``, ``.arc`` or ``.arc.gz`` file.
    max_bytes : int
        The largest payload kept (after decoding); bigger records give
        ``too_large`` documents.

    Returns
    -------
    Iterator[Document]
        ``kind="page"`` documents: ``source_uri`` is ``<file URI>#<record id>``
        (the WARC-Record-ID without its angle brackets), ``url`` the target
        URI, ``retrieved`` the WARC-Date (naive UTC), ``content`` the payload,
        ``content_type`` the archived HTTP ``Content-Type``. Every record is a
        document: a record that repeats an earlier record's WARC-Record-ID gets
        ``<file URI>#<record id>~2`` (``~3``, ...). Failures:
        ``error`` "archived response was HTTP 404 (Not Found): <url>";
        ``too_large`` "page is larger than the 5.0 MB limit (max_bytes)";
        ``error`` "broken WARC record in <path> at byte <n> (<reason>); the rest
        of the file was not read" (``source_uri`` ``<file URI>#offset=<n>``);
        ``error`` "could not read <path>: ..."; and when the file holds no page
        at all, one ``not_html`` document "no HTML pages in WARC file <path> (3
        request, 2 non-HTML)" (``empty`` "no records in WARC file <path>" when
        it holds no record).
    """
    path = Path(path)
    uri = file_uri(path)
    skipped: Counter[str] = Counter()
    produced = 0
    seen: Counter[str] = Counter()
    for doc in _read_archive(path, uri, max_bytes, skipped):
        produced += 1
        seen[doc.source_uri] += 1
        if seen[doc.source_uri] > 1:  # a repeated WARC-Record-ID: still a record of its own
            doc = dataclasses.replace(doc, source_uri=f"{doc.source_uri}~{seen[doc.source_uri]}")
        yield doc
    repeats = sum(n - 1 for n in seen.values())
    if repeats:
        logger.warning(
            "%d records of %s repeat the WARC-Record-ID of an earlier record; each was given "
            "its own id (<id>~2, ...)",
            repeats,
            path,
        )
    if skipped:
        kinds = ", ".join(f"{kind}: {n}" for kind, n in skipped.most_common())
        logger.info("skipped %d records in %s (%s)", sum(skipped.values()), path, kinds)
    if not produced and not skipped:
        yield failed(uri, f"no records in WARC file {path}", status="empty")
    elif not produced:
        kinds = ", ".join(f"{n} {kind}" for kind, n in skipped.most_common())
        yield failed(uri, f"no HTML pages in WARC file {path} ({kinds})", status="not_html")


def _read_archive(
    path: Path, uri: str, max_bytes: int, skipped: Counter[str]
) -> Iterator[Document]:
    try:
        fh = open(path, "rb")
    except OSError as exc:
        yield failed(uri, os_error_message(exc, path))
        return
    with fh:
        records = _iterator(path, fh)
        while True:
            try:
                record = next(records, None)
                if record is None:
                    break
                doc = _record_document(record, uri, max_bytes, skipped)
                _check_complete(record)
            except Exception as exc:  # warcio raises many kinds; any of them ends this file
                # ``offset`` is the start of the record being read (warcio moves it
                # on only when the next record is requested).
                yield _broken(path, uri, records.offset, _reason(exc))
                return
            if doc is not None:
                yield doc
        # warcio stops quietly at a truncated gzip member: unread bytes show it.
        if records.offset < os.fstat(fh.fileno()).st_size:
            yield _broken(path, uri, records.offset, "the data there could not be decompressed")


def _iterator(path: Path, fh) -> ArchiveIterator:
    """ARC files are read as WARC; anything else must be WARC (so junk fails at once)."""
    if path.name.lower().endswith((".arc", ".arc.gz")):
        return ArchiveIterator(fh, arc2warc=True)
    return WARCIterator(fh)


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


def _broken(path: Path, uri: str, offset: int, reason: str) -> Document:
    logger.warning("broken WARC record in %s at byte %d: %s", path, offset, reason)
    return failed(
        f"{uri}#offset={offset}",
        f"broken WARC record in {path} at byte {offset} ({reason}); "
        "the rest of the file was not read",
    )


def _check_complete(record) -> None:
    """Raise ``_BrokenRecord`` when the record's block ends before its declared length."""
    stream = record.raw_stream
    while stream.read(65_536):
        pass
    missing = getattr(stream, "limit", 0)
    if missing:
        raise _BrokenRecord(f"record truncated: {missing} bytes missing")


def _record_document(record, uri: str, max_bytes: int, skipped: Counter[str]) -> Document | None:
    """The document for one record, or None (counted in ``skipped``) when it is no page."""
    rec_type = record.rec_type
    if rec_type is None or record.length is None:  # Content-Length is mandatory
        raise _BrokenRecord("incomplete record header")
    if rec_type not in ("response", "resource"):
        skipped[rec_type or "unknown"] += 1
        return None
    if rec_type == "response" and record.http_headers is None:
        skipped["non-HTTP response"] += 1
        return None
    headers = record.http_headers if rec_type == "response" else record.rec_headers
    content_type = headers.get_header("Content-Type")
    media = (content_type or "").split(";", 1)[0].strip().lower()
    fields = {
        "source_uri": _record_uri(record, uri),
        "kind": "page",
        "url": record.rec_headers.get_header("WARC-Target-URI"),
        "content_type": content_type,
        "retrieved": _warc_date(record.rec_headers.get_header("WARC-Date")),
    }
    status = _http_status(record) if rec_type == "response" else 200
    if media not in HTML_TYPES and media not in VAGUE_TYPES:
        skipped["non-HTML"] += 1
        return None
    if 300 <= status < 400:
        skipped["redirect"] += 1  # the target is normally archived as its own record
        return None
    if status >= 400 or status < 200:
        return Document(**fields, status="error", error=_http_error(status, fields["url"]))
    content = record.content_stream().read(max_bytes + 1)
    if len(content) > max_bytes:
        return Document(**fields, status="too_large", error=too_large_message(max_bytes))
    if media not in HTML_TYPES and not _HTML_SNIFF.search(content[:_SNIFF_BYTES]):
        skipped["non-HTML"] += 1
        return None
    return Document(**fields, content=content)


def _http_status(record) -> int:
    try:
        return int(record.http_headers.get_statuscode())
    except (TypeError, ValueError):
        return 0


def _http_error(status: int, url: str | None) -> str:
    return f"archived response was HTTP {status} ({status_phrase(status)}): {url}"


def _record_uri(record, uri: str) -> str:
    record_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip().strip("<>")
    if record_id:
        return f"{uri}#{record_id}"
    # ARC records have no id; the target and date identify the capture.
    target = record.rec_headers.get_header("WARC-Target-URI") or ""
    date = record.rec_headers.get_header("WARC-Date") or ""
    return f"{uri}#{target}@{date}"


def _warc_date(value: str | None) -> datetime | None:
    """A WARC-Date (ISO 8601, e.g. ``2016-09-04T10:00:00Z``) as naive UTC."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        logger.debug("unreadable WARC-Date %r", value)
        return None
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when
