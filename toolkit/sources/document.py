"""The document: one input (a page's bytes, or an already-extracted record) before extraction.

Shared by the modules that find documents (``sources``, ``records``, ``warc``)
and the one that extracts them (``ingest``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal


@dataclass(slots=True)
class Document:
    """One input document, before extraction.

    Attributes
    ----------
    source_uri : str
        Stable identity; ``article_id = schema.article_id_for(source_uri)``.
    kind : {"page", "record"}
        ``page``: bytes to extract (HTML or a plain-text dump); ``record``:
        fields already extracted, in ``record``.
    url : str or None
        The page's URL when known (final URL after redirects; WARC target URI).
    path : str or None
        A local file that :func:`load_document` reads.
    fetch_url : str or None
        A URL that :func:`load_document` fetches.
    content : bytes or None
        The page bytes, once read.
    content_type : str or None
        HTTP / WARC ``Content-Type``, or a guess from the file name.
    retrieved : datetime or None
        Capture or fetch time, naive UTC; None for local files.
    record : dict or None
        For ``kind="record"``: articles columns -> values.
    status : str or None
        Set when the source itself failed (``error``, ``too_large``,
        ``not_html``, ``empty``); None while all is well.
    error : str or None
        A readable message when ``status`` is set.
    public_only : bool
        ``fetch_url`` is fetched only when it is on a public address: set for
        links listed by a feed or sitemap that is itself on a public address
        (``FetchOptions.private_addresses="listed"``).
    """

    source_uri: str
    kind: Literal["page", "record"]
    url: str | None = None
    path: str | None = None
    fetch_url: str | None = None
    content: bytes | None = None
    content_type: str | None = None
    retrieved: datetime | None = None
    record: dict | None = None
    status: str | None = None
    error: str | None = None
    public_only: bool = False


def failed(source_uri: str, error: str, *, status: str = "error", **fields: Any) -> Document:
    """Return a page document for an input that could not be used."""
    return Document(source_uri=source_uri, kind="page", status=status, error=error, **fields)


def file_uri(path: str | os.PathLike) -> str:
    """The ``file://`` URI of a local path (absolute, symlinks resolved)."""
    return Path(path).resolve().as_uri()


def os_error_message(exc: OSError, path: str | os.PathLike) -> str:
    """A readable message for a failed file operation."""
    if isinstance(exc, FileNotFoundError):
        return f"file not found: {path}"
    if isinstance(exc, PermissionError):
        return f"permission denied: {path}"
    if isinstance(exc, IsADirectoryError):
        return f"is a folder, not a file: {path}"
    return f"could not read {path}: {exc.strerror or exc}"
