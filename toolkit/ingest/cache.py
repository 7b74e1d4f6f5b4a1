"""A small on-disk cache for expensive, deterministic results (entity extraction, ...).

One SQLite file (stdlib ``sqlite3``) in ``$TOOLKIT_CACHE_DIR`` (default
``~/.cache/toolkit``). Entries live in a *namespace* (``"entities"``, ...) under
a key that the caller builds with :func:`make_key` from everything the result
depends on (content hash, backend, model name and version, options); the
toolkit version is always part of the key, so upgrading never serves stale
results. The file is kept under a size limit by evicting the oldest entries.

Values are stored as data, never as code: JSON, with tags for the few types
JSON lacks (tuples, datetimes, NumPy arrays), so a tampered entry can at worst
give a wrong value, never run anything (a pickle would). The folder is private:
created with mode 0700 (an existing one of yours is tightened to it), and a
folder that belongs to another user is refused.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import stat
import time
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

ENV_DIR = "TOOLKIT_CACHE_DIR"
ENV_MAX_BYTES = "TOOLKIT_CACHE_MAX_BYTES"
DEFAULT_MAX_BYTES = 1 << 30
FILENAME = "cache.sqlite3"
#: The namespaces the toolkit fills: page extractions (``toolkit.ingest.read``) and
#: entity recognitions (``toolkit.entities.recognize``).
NAMESPACES: tuple[str, ...] = ("entities", "extraction")

# SQLite limits the number of bound parameters per statement (999 on old builds).
_CHUNK = 500

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    value BLOB NOT NULL,
    size INTEGER NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (namespace, key)
)
"""


def cache_dir() -> Path:
    """Return the cache folder: ``$TOOLKIT_CACHE_DIR`` or ``~/.cache/toolkit``."""
    value = os.environ.get(ENV_DIR)
    return Path(value).expanduser() if value else Path.home() / ".cache" / "toolkit"


def _max_bytes() -> int:
    value = os.environ.get(ENV_MAX_BYTES)
    if not value:
        return DEFAULT_MAX_BYTES
    try:
        return int(value)
    except ValueError as exc:
        raise ValueError(f"{ENV_MAX_BYTES}={value!r} is not a whole number of bytes") from exc


def content_hash(text: str) -> str:
    """Return the SHA-256 hex digest of ``text`` (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def make_key(*parts: Any) -> str:
    """Return a cache key for ``parts`` plus the toolkit version.

    Parameters
    ----------
    *parts
        JSON-serialisable values the cached result depends on (content hash,
        backend, model name and version, options). Dicts are key-sorted.

    Returns
    -------
    str
        SHA-256 hex digest.
    """
    from toolkit import __version__

    payload = json.dumps([__version__, *parts], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def private_folder(directory: str | Path | None = None) -> Path:
    """Return the cache folder, created with mode 0700; refuse one that is not the user's.

    Parameters
    ----------
    directory : str or Path, optional
        The folder; default :func:`cache_dir`.

    Returns
    -------
    Path

    Raises
    ------
    ValueError
        When the folder (or the path to it) belongs to another user, or is not a folder.
    """
    folder = Path(directory).expanduser() if directory is not None else cache_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.stat()
    if not stat.S_ISDIR(info.st_mode):
        raise ValueError(f"the cache folder {str(folder)!r} is not a folder")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise ValueError(
            f"the cache folder {str(folder)!r} belongs to another user (uid {info.st_uid}): "
            f"entries there could be planted by them. Set ${ENV_DIR} to a folder of your own"
        )
    if info.st_mode & 0o077:
        logger.warning("cache folder %s was open to other users; made private (0700)", folder)
        folder.chmod(0o700)
    return folder


def _connect(directory: Path) -> sqlite3.Connection:
    path = private_folder(directory) / FILENAME
    connection = sqlite3.connect(path, timeout=30)
    connection.execute(_SCHEMA)
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    return connection


# -- values as data: JSON with tags for tuples, datetimes and NumPy arrays ---------------

_TAG = "__toolkit__"


def encode_value(value: Any) -> bytes:
    """Return ``value`` as tagged JSON (UTF-8).

    Parameters
    ----------
    value : Any
        Made of None, bool, int, float, str, list, tuple, dict (str keys),
        datetime, date, NumPy scalars and arrays.

    Returns
    -------
    bytes

    Raises
    ------
    TypeError
        For any other type (the entry is then not cached).
    """
    return json.dumps(_tagged(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode_value(blob: bytes) -> Any:
    """Return the value :func:`encode_value` wrote (no code runs: it is JSON)."""
    return json.loads(blob.decode("utf-8"), object_hook=_untagged)


def _tagged(value: Any) -> Any:
    if value is None or isinstance(value, (bool, str, int, float)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return {_TAG: "ndarray", "dtype": value.dtype.str, "v": value.tolist()}
    if isinstance(value, datetime):
        if value != value:  # NaT
            return None
        return {_TAG: "datetime", "v": value.isoformat()}
    if isinstance(value, date):
        return {_TAG: "date", "v": value.isoformat()}
    if isinstance(value, tuple):
        return {_TAG: "tuple", "v": [_tagged(v) for v in value]}
    if isinstance(value, list):
        return [_tagged(v) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("only dicts with str keys can be cached")
        return {_TAG: "dict", "v": {k: _tagged(v) for k, v in value.items()}}
    raise TypeError(f"a {type(value).__name__} cannot be cached")


def _untagged(obj: dict) -> Any:
    kind = obj.get(_TAG)
    if kind is None:
        return obj
    if kind == "dict":
        return obj["v"]
    if kind == "tuple":
        return tuple(obj["v"])
    if kind == "datetime":
        return datetime.fromisoformat(obj["v"])
    if kind == "date":
        return date.fromisoformat(obj["v"])
    if kind == "ndarray":
        return np.array(obj["v"], dtype=np.dtype(obj["dtype"]))
    raise ValueError(f"unknown tag {kind!r}")


def _chunks(items: list, size: int = _CHUNK) -> Iterable[list]:
    for begin in range(0, len(items), size):
        yield items[begin : begin + size]


class Cache:
    """Entries of one namespace of the on-disk cache.

    Parameters
    ----------
    namespace : str
        Separates the users of the cache (``"entities"``, ...).
    directory : str or Path, optional
        Cache folder; default :func:`cache_dir` (read when the object is made).
    max_bytes : int, optional
        Size limit of the whole cache (all namespaces); default
        ``$TOOLKIT_CACHE_MAX_BYTES`` or 1 GiB. The oldest entries go first.
    """

    def __init__(
        self,
        namespace: str,
        *,
        directory: str | Path | None = None,
        max_bytes: int | None = None,
    ) -> None:
        if not namespace:
            raise ValueError("namespace must be a non-empty string")
        self.namespace = namespace
        self.directory = private_folder(directory)
        self.max_bytes = _max_bytes() if max_bytes is None else int(max_bytes)

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        """Return ``{key: value}`` for the keys that are stored (missing ones are left out)."""
        keys = list(dict.fromkeys(keys))
        found: dict[str, Any] = {}
        if not keys or not (self.directory / FILENAME).exists():
            return found
        with _connect(self.directory) as connection:
            for chunk in _chunks(keys):
                marks = ",".join("?" * len(chunk))
                rows = connection.execute(
                    f"SELECT key, value FROM entries WHERE namespace = ? AND key IN ({marks})",
                    [self.namespace, *chunk],
                )
                for key, blob in rows:
                    try:
                        found[key] = decode_value(blob)
                    except Exception:  # a corrupt or old (pickled) entry is a miss
                        logger.warning(
                            "cache entry %s/%s is unreadable; ignored", self.namespace, key
                        )
        connection.close()
        return found

    def put_many(self, items: Mapping[str, Any]) -> None:
        """Store every ``key -> value`` of ``items``, then evict the oldest entries if too big."""
        if not items:
            return
        now = time.time()
        rows = []
        for key, value in items.items():
            try:
                blob = encode_value(value)
            except (TypeError, ValueError) as exc:  # a cache is an optimisation: skip it
                logger.warning("not cached (%s/%s): %s", self.namespace, key, exc)
                continue
            rows.append((self.namespace, key, blob, len(blob), now))
        with _connect(self.directory) as connection:
            connection.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?)", rows)
            _evict(connection, self.max_bytes)
        connection.close()

    def get(self, key: str, default: Any = None) -> Any:
        """Return the value stored under ``key``, or ``default``."""
        return self.get_many([key]).get(key, default)

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key``."""
        self.put_many({key: value})


def _evict(connection: sqlite3.Connection, max_bytes: int) -> None:
    (total,) = connection.execute("SELECT COALESCE(SUM(size), 0) FROM entries").fetchone()
    if total <= max_bytes:
        return
    excess = total - max_bytes
    doomed = []
    for rowid, size in connection.execute(
        "SELECT rowid, size FROM entries ORDER BY created, rowid"
    ):
        doomed.append(rowid)
        excess -= size
        if excess <= 0:
            break
    for chunk in _chunks(doomed):
        connection.execute(
            f"DELETE FROM entries WHERE rowid IN ({','.join('?' * len(chunk))})", chunk
        )
    logger.info("cache over %d bytes: evicted %d oldest entries", max_bytes, len(doomed))


def clear_cache(namespace: str | None = None, *, directory: str | Path | None = None) -> int:
    """Delete cached entries (of one namespace, or all).

    Parameters
    ----------
    namespace : str, optional
        Only this namespace (one of :data:`NAMESPACES`, or any other that holds
        entries); all when None.
    directory : str or Path, optional
        Cache folder; default :func:`cache_dir`.

    Returns
    -------
    int
        Number of entries removed.

    Raises
    ------
    ValueError
        When ``namespace`` is neither a toolkit namespace nor one in the cache
        (a typo would otherwise remove nothing, silently).
    """
    folder = Path(directory) if directory is not None else cache_dir()
    if namespace is not None:
        valid = sorted({*NAMESPACES, *cache_info(directory=folder)["namespaces"]})
        if namespace not in valid:
            raise ValueError(
                f"unknown cache namespace {namespace!r}; valid: {', '.join(valid)} "
                "(or none, for everything)"
            )
    if not (folder / FILENAME).exists():
        return 0
    with _connect(folder) as connection:
        if namespace is None:
            removed = connection.execute("DELETE FROM entries").rowcount
        else:
            removed = connection.execute(
                "DELETE FROM entries WHERE namespace = ?", [namespace]
            ).rowcount
    connection.execute("VACUUM")
    connection.close()
    logger.info("cleared %d cache entries from %s", removed, folder)
    return removed


def cache_info(*, directory: str | Path | None = None) -> dict[str, Any]:
    """Describe the cache.

    Parameters
    ----------
    directory : str or Path, optional
        Cache folder; default :func:`cache_dir`.

    Returns
    -------
    dict
        ``path`` (the SQLite file), ``entries``, ``bytes`` (sum of stored values),
        ``max_bytes`` and ``namespaces`` (name -> ``{"entries": n, "bytes": b}``).
    """
    folder = Path(directory) if directory is not None else cache_dir()
    info: dict[str, Any] = {
        "path": str(folder / FILENAME),
        "entries": 0,
        "bytes": 0,
        "max_bytes": _max_bytes(),
        "namespaces": {},
    }
    if not (folder / FILENAME).exists():
        return info
    with _connect(folder) as connection:
        rows = connection.execute(
            "SELECT namespace, COUNT(*), SUM(size) FROM entries "
            "GROUP BY namespace ORDER BY namespace"
        ).fetchall()
    connection.close()
    for namespace, entries, size in rows:
        info["namespaces"][namespace] = {"entries": int(entries), "bytes": int(size)}
        info["entries"] += int(entries)
        info["bytes"] += int(size)
    return info
