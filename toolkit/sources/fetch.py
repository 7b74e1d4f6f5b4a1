"""Fetch web pages over HTTP(S) with timeouts, a size cap, retries, a user agent and manners.

Politeness: each site's ``/robots.txt`` is read once per process and obeyed
(:mod:`toolkit.sources.robots`; a refused URL gets the failure ``blocked``), and
requests to one host are spaced by ``FetchOptions.min_delay`` or the site's
``Crawl-delay``, whichever is longer (capped at ``max_crawl_delay``). Both hold
per process: with ``workers=N`` a host sees up to N requests at a time.

One :class:`urllib3.PoolManager` is kept per process, so connections to a host
are reused across pages, and worker processes build their own after a fork.
:func:`fetch` never raises for network or HTTP problems: it returns a
:class:`FetchResult` whose ``error`` says what went wrong in plain words.

The module also holds the byte-limit helpers the other source modules share
(:func:`describe_size`, :func:`too_large_message`, :func:`gunzip_capped`).
"""

from __future__ import annotations

import dataclasses
import email.utils
import functools
import gzip
import http
import io
import logging
import numbers
import os
import socket
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from toolkit import __version__
from toolkit.sources.robots import MAX_ROBOTS_BYTES, RobotsRules, product_token, rules_for_status

logger = logging.getLogger(__name__)

#: HTTP statuses worth a second try: the server is busy or briefly broken.
RETRY_STATUSES: frozenset[int] = frozenset({429, 500, 502, 503, 504})

#: Types whose bodies are never web pages; fetched documents with them get ``not_html``.
BINARY_TYPE_PREFIXES: tuple[str, ...] = (
    "image/",
    "audio/",
    "video/",
    "font/",
    "application/pdf",
    "application/zip",
    "application/msword",
    "application/vnd.",
)

_CHUNK = 16_384
_GZIP_MAGIC = b"\x1f\x8b"

Failure = Literal["error", "too_large", "blocked"]


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How pages are fetched over HTTP(S).

    Parameters
    ----------
    connect_timeout : float
        Seconds to wait for a TCP/TLS connection.
    read_timeout : float
        Seconds to wait for each read from the server (headers or a body chunk).
    total_timeout : float
        Seconds one attempt may take from request to last body byte, so a
        server that drips bytes slowly cannot hold a page forever.
    max_bytes : int
        Largest body accepted (after content decoding); bigger gives ``too_large``.
    user_agent : str
        The ``User-Agent`` header.
    retries : int
        Extra attempts after a connection error or a 429/500/502/503/504 answer.
    backoff : float
        Seconds before the first retry; doubled for each further retry.
    max_retry_after : float
        Longest wait a server's ``Retry-After`` header can impose, in seconds.
    max_redirects : int
        Redirects followed before giving up.
    respect_robots : bool
        Read each site's robots.txt and do not fetch what it disallows for
        this user agent (the row gets status ``blocked``).
    min_delay : float
        Seconds left between two requests to the same host (per process).
    max_crawl_delay : float
        Longest ``Crawl-delay`` of a robots.txt that is honoured, in seconds.

    Raises
    ------
    ValueError
        When an option has the wrong type (``min_delay="1"``) or is out of range.
    """

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 120.0
    max_bytes: int = 5_000_000
    user_agent: str = f"toolkit/{__version__} (+news analysis)"
    retries: int = 2
    backoff: float = 0.5
    max_retry_after: float = 30.0
    max_redirects: int = 5
    respect_robots: bool = True
    min_delay: float = 0.0
    max_crawl_delay: float = 10.0

    def __post_init__(self) -> None:
        for option in dataclasses.fields(self):
            value = getattr(self, option.name)
            if not isinstance(value, _OPTION_TYPES[option.type]) or (
                isinstance(value, bool) and option.type != "bool"
            ):
                raise ValueError(
                    f"FetchOptions.{option.name} must be {_OPTION_KINDS[option.type]}, "
                    f"got {value!r}"
                )
        for name in ("connect_timeout", "read_timeout", "total_timeout", "max_bytes"):
            if not getattr(self, name) > 0:
                raise ValueError(f"FetchOptions.{name} must be > 0, got {getattr(self, name)!r}")
        for name in (
            "retries", "backoff", "max_retry_after", "max_redirects", "min_delay", "max_crawl_delay"
        ):
            if not getattr(self, name) >= 0:
                raise ValueError(f"FetchOptions.{name} must be >= 0, got {getattr(self, name)!r}")


# FetchOptions field annotation (a string: annotations are postponed) -> accepted types
_OPTION_TYPES: dict[str, type] = {
    "float": numbers.Real, "int": numbers.Integral, "str": str, "bool": bool
}
_OPTION_KINDS: dict[str, str] = {
    "float": "a number", "int": "an integer", "str": "a string", "bool": "True or False"
}


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one fetch gave.

    Attributes
    ----------
    url : str
        The final URL, after redirects (the requested URL when it failed early).
    http_status : int or None
        The last HTTP status code; None when no answer came.
    content_type : str or None
        The ``Content-Type`` header as sent.
    content : bytes or None
        The body, content-encoding removed; None on failure.
    retrieved : datetime
        When the answer arrived (or the attempt ended), naive UTC.
    error : str or None
        A readable message when the fetch failed, else None.
    failure : {"error", "too_large"} or None
        The kind of failure, matching the articles ``status`` values.
    """

    url: str
    http_status: int | None
    content_type: str | None
    content: bytes | None
    retrieved: datetime
    error: str | None = None
    failure: Failure | None = None

    @property
    def ok(self) -> bool:
        """True when the body arrived whole."""
        return self.failure is None


class _Retryable(Exception):
    """An attempt failed in a way another attempt may fix."""

    def __init__(self, message: str, wait: float | None = None, status: int | None = None):
        super().__init__(message)
        self.wait = wait
        self.status = status


class _Fatal(Exception):
    """An attempt failed for good."""

    def __init__(self, message: str, failure: Failure = "error", status: int | None = None):
        super().__init__(message)
        self.failure = failure
        self.status = status


# -- byte-limit helpers shared by sources, feeds and warc -------------------------------


def describe_size(n_bytes: int) -> str:
    """Return ``n_bytes`` in decimal megabytes, e.g. ``"20.0 MB"``."""
    return f"{n_bytes / 1_000_000:.1f} MB"


def too_large_message(max_bytes: int, size: int | None = None, *, what: str = "page") -> str:
    """Return the readable message for a body over the size cap.

    Parameters
    ----------
    max_bytes : int
        The cap that was passed.
    size : int, optional
        The full size when known (from a file size or ``Content-Length``).
    what : str
        What was too big ("page", "page once decompressed", ...).

    Returns
    -------
    str
        E.g. ``"page is 20.0 MB, above the 5.0 MB limit (max_bytes)"``.
    """
    limit = describe_size(max_bytes)
    if size is None:
        return f"{what} is larger than the {limit} limit (max_bytes)"
    return f"{what} is {describe_size(size)}, above the {limit} limit (max_bytes)"


def is_gzip(data: bytes) -> bool:
    """Return True when ``data`` starts with the gzip magic number."""
    return data[:2] == _GZIP_MAGIC


def gunzip_capped(data: bytes, max_bytes: int) -> bytes | None:
    """Decompress gzip ``data``, stopping past ``max_bytes`` (gzip-bomb safe).

    Parameters
    ----------
    data : bytes
        A gzip stream (one or more members).
    max_bytes : int
        The largest decompressed size accepted.

    Returns
    -------
    bytes or None
        The decompressed bytes, or None when they exceed ``max_bytes``.

    Raises
    ------
    OSError, EOFError, zlib.error
        When ``data`` is not valid or complete gzip.
    """
    return read_capped(gzip.GzipFile(fileobj=io.BytesIO(data)), max_bytes)


def read_capped(stream: io.BufferedIOBase, max_bytes: int) -> bytes | None:
    """Read at most ``max_bytes + 1`` bytes from ``stream``; None when there are more."""
    data = stream.read(max_bytes + 1)
    return None if len(data) > max_bytes else data


def is_binary_type(content_type: str | None) -> bool:
    """Return True when a ``Content-Type`` names something that is never a web page."""
    if not content_type:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    return media.startswith(BINARY_TYPE_PREFIXES)


def utc_now() -> datetime:
    """Return the current time as naive UTC (the articles frame convention)."""
    return datetime.now(UTC).replace(tzinfo=None)


# -- fetching ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _pool_manager(pid: int) -> urllib3.PoolManager:
    """Return this process's pool manager (``pid`` keys the cache so forks get their own)."""
    logger.debug("creating an HTTP pool manager in process %d", pid)
    return urllib3.PoolManager(num_pools=20, maxsize=4, block=False)


def check_http_url(url: str) -> str | None:
    """Return why ``url`` cannot be fetched, or None when it is a usable http(s) URL."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return f"malformed URL ({exc}): {url}"
    if not parts.scheme:
        return f"not an http(s) URL: {url}"
    if parts.scheme.lower() not in ("http", "https"):
        return f"unsupported URL scheme {parts.scheme!r} (only http and https): {url}"
    if not parts.hostname:
        return f"URL has no host name: {url}"
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return f"URL has an invalid port: {url}"
    return None


def fetch(url: str, options: FetchOptions | None = None) -> FetchResult:
    """Fetch one URL, with retries, a size cap and readable errors.

    Parameters
    ----------
    url : str
        An ``http://`` or ``https://`` URL.
    options : FetchOptions, optional
        Timeouts, size cap, retries; the defaults when None.

    Returns
    -------
    FetchResult
        ``failure`` None and ``content`` set on success. Otherwise ``failure``
        is ``"too_large"`` (body over ``max_bytes``: "page is 20.0 MB, above the
        5.0 MB limit (max_bytes): <url>"), ``"blocked"`` (robots.txt disallows
        it: "not fetched: the robots.txt of <host>: it disallows this URL for
        crawlers named 'toolkit'; ...") or ``"error"`` with messages such as
        "HTTP 404 Not Found: <url>", "connection refused by 127.0.0.1:9: <url>",
        "host not found: <host>: <url>", "timed out after 2.0 s waiting for the
        server: <url>", "unsupported URL scheme 'ftp' (only http and https): <url>".
        Never raises for network or HTTP problems.
    """
    options = options or FetchOptions()
    problem = check_http_url(url)
    if problem:
        return FetchResult(url, None, None, None, utc_now(), problem, "error")
    delay = options.min_delay
    if options.respect_robots:
        rules = _robots_rules(_origin(url), options)
        if not rules.allows(url):
            message = _blocked_message(url, rules, options)
            return FetchResult(url, None, None, None, utc_now(), message, "blocked")
        delay = max(delay, min(rules.crawl_delay or 0.0, options.max_crawl_delay))
    attempt = 0
    while True:
        try:
            _wait_turn(_origin(url), delay)
            return _attempt(url, options)
        except _Retryable as exc:
            if attempt >= options.retries:
                return FetchResult(url, exc.status, None, None, utc_now(), str(exc), "error")
            wait = _retry_wait(exc.wait, attempt, options)
            logger.info("retrying in %.2f s after: %s", wait, exc)
            time.sleep(wait)
            attempt += 1
        except _Fatal as exc:
            return FetchResult(url, exc.status, None, None, utc_now(), str(exc), exc.failure)
        except Exception as exc:  # an odd server must not stop a run; the log keeps the trace
            logger.exception("unexpected failure fetching %s", url)
            message = f"could not fetch ({type(exc).__name__}: {exc}): {url}"
            return FetchResult(url, None, None, None, utc_now(), message, "error")


# -- manners: robots.txt and spacing requests to a host ----------------------------------

_robots_cache: dict[tuple[int, str, str], RobotsRules] = {}
_last_request: dict[tuple[int, str], float] = {}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _robots_rules(origin: str, options: FetchOptions) -> RobotsRules:
    """The robots.txt rules of ``origin`` for our user agent, fetched once per process."""
    key = (os.getpid(), origin, options.user_agent)
    rules = _robots_cache.get(key)
    if rules is None:
        robots_options = dataclasses.replace(
            options,
            respect_robots=False,
            max_bytes=MAX_ROBOTS_BYTES,
            retries=min(options.retries, 1),
        )
        result = fetch(f"{origin}/robots.txt", robots_options)
        text = result.content.decode("utf-8", errors="replace") if result.ok else None
        rules = rules_for_status(result.http_status, text, options.user_agent, problem=result.error)
        logger.debug("robots.txt of %s: %s", origin, result.error or f"{len(rules.rules)} rules")
        _robots_cache[key] = rules
    return rules


def _blocked_message(url: str, rules: RobotsRules, options: FetchOptions) -> str:
    host = urlsplit(url).netloc
    why = rules.reason or (
        f"it disallows this URL for crawlers named {product_token(options.user_agent)!r}"
    )
    return (
        f"not fetched: the robots.txt of {host}: {why}; `--ignore-robots` (command line) or "
        f"FetchOptions(respect_robots=False) fetches it anyway: {url}"
    )


def _wait_turn(origin: str, delay: float) -> None:
    """Sleep until ``delay`` seconds have passed since this process's last request to ``origin``."""
    key = (os.getpid(), origin)
    if delay > 0 and key in _last_request:
        wait = _last_request[key] + delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
    _last_request[key] = time.monotonic()


def _retry_wait(retry_after: float | None, attempt: int, options: FetchOptions) -> float:
    if retry_after is not None:
        return min(retry_after, options.max_retry_after)
    return options.backoff * (2**attempt)


def _attempt(url: str, options: FetchOptions) -> FetchResult:
    """Make one request and read its body; raise ``_Retryable`` or ``_Fatal`` on failure."""
    started = time.monotonic()
    response = _request(url, options)
    try:
        final_url = _final_url(response, url)
        _check_status(response, final_url)
        body = _read_body(response, final_url, options, started)
    except BaseException:
        # The rest of the body is unread: drop the connection rather than reuse it.
        response.close()
        raise
    finally:
        response.release_conn()
    return FetchResult(
        url=final_url,
        http_status=response.status,
        content_type=response.headers.get("Content-Type"),
        content=body,
        retrieved=utc_now(),
    )


def _request(url: str, options: FetchOptions) -> urllib3.BaseHTTPResponse:
    retries = urllib3.Retry(
        total=None,
        connect=0,
        read=0,
        status=0,
        other=0,
        redirect=options.max_redirects,
        raise_on_redirect=True,
        raise_on_status=False,
    )
    headers = urllib3.make_headers(user_agent=options.user_agent, accept_encoding=True)
    headers["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    try:
        return _pool_manager(os.getpid()).request(
            "GET",
            url,
            headers=headers,
            retries=retries,
            timeout=urllib3.Timeout(connect=options.connect_timeout, read=options.read_timeout),
            preload_content=False,
            decode_content=True,
        )
    except MaxRetryError as exc:
        raise _classify(exc.reason, url, options) from exc
    except HTTPError as exc:
        raise _classify(exc, url, options) from exc
    except (OSError, ValueError) as exc:  # odd URLs that slip past check_http_url
        raise _Fatal(f"could not fetch ({exc}): {url}") from exc


def _classify(reason: BaseException | None, url: str, options: FetchOptions) -> Exception:
    """Turn a urllib3 failure into a readable ``_Retryable`` or ``_Fatal``."""
    host = urlsplit(url).netloc
    if isinstance(reason, NameResolutionError) or _is_dns_error(reason):
        return _Fatal(f"host not found: {urlsplit(url).hostname}: {url}")
    # NewConnectionError subclasses ConnectTimeoutError in urllib3, so it goes first.
    if isinstance(reason, NewConnectionError):
        if isinstance(reason.__cause__, ConnectionRefusedError) or "refused" in str(reason):
            return _Retryable(f"connection refused by {host}: {url}")
        return _Retryable(f"could not connect to {host} ({_short(reason)}): {url}")
    if isinstance(reason, ConnectTimeoutError):
        return _Retryable(
            f"timed out after {options.connect_timeout} s connecting to {host}: {url}"
        )
    if isinstance(reason, ReadTimeoutError):
        return _Fatal(f"timed out after {options.read_timeout} s waiting for the server: {url}")
    if isinstance(reason, SSLError):
        return _Fatal(f"TLS/SSL error with {host} ({_short(reason)}): {url}")
    if isinstance(reason, ProtocolError):
        return _Retryable(f"connection to {host} broke ({_short(reason)}): {url}")
    if reason is not None and "redirect" in str(reason).lower():
        return _Fatal(f"too many redirects (more than {options.max_redirects}): {url}")
    return _Fatal(f"could not fetch ({_short(reason)}): {url}")


def _is_dns_error(reason: BaseException | None) -> bool:
    return isinstance(getattr(reason, "__cause__", None), socket.gaierror)


def _short(exc: BaseException | None) -> str:
    """The last, most specific part of a urllib3 error message."""
    text = str(exc) if exc is not None else "unknown error"
    return text.rsplit(": ", 1)[-1].strip(" ')\"") or type(exc).__name__


def _final_url(response: urllib3.BaseHTTPResponse, url: str) -> str:
    """The absolute URL answered, after redirects (urllib3 keeps only its path)."""
    history = response.retries.history if response.retries is not None else ()
    for step in reversed(history):
        if step.redirect_location:
            return urljoin(step.url or url, step.redirect_location)
    return url


def _check_status(response: urllib3.BaseHTTPResponse, url: str) -> None:
    status = response.status
    if status < 400:
        return
    message = f"HTTP {status} {_reason_phrase(response)}: {url}"
    if status in RETRY_STATUSES:
        raise _Retryable(message, _parse_retry_after(response.headers.get("Retry-After")), status)
    raise _Fatal(message, status=status)


def _reason_phrase(response: urllib3.BaseHTTPResponse) -> str:
    return response.reason or status_phrase(response.status)


def status_phrase(code: int) -> str:
    """The standard phrase of an HTTP status code ("Not Found"), or "unknown status"."""
    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return "unknown status"


def _parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _read_body(
    response: urllib3.BaseHTTPResponse, url: str, options: FetchOptions, started: float
) -> bytes:
    """Stream the body, stopping past ``max_bytes`` or ``total_timeout``."""
    limit = options.max_bytes
    declared = _content_length(response)
    if declared is not None and declared > limit and not response.headers.get("Content-Encoding"):
        raise _Fatal(f"{too_large_message(limit, declared)}: {url}", "too_large", response.status)
    buffer = bytearray()
    try:
        for chunk in response.stream(_CHUNK, decode_content=True):
            buffer += chunk
            if len(buffer) > limit:
                raise _Fatal(f"{too_large_message(limit)}: {url}", "too_large", response.status)
            if time.monotonic() - started > options.total_timeout:
                raise _Fatal(
                    f"timed out after {options.total_timeout} s reading the page: {url}",
                    status=response.status,
                )
    except ReadTimeoutError as exc:
        raise _Fatal(
            f"timed out after {options.read_timeout} s waiting for the server: {url}",
            status=response.status,
        ) from exc
    except ProtocolError as exc:
        announced = f" ({declared} bytes announced)" if declared is not None else ""
        raise _Retryable(
            f"connection closed before the whole page arrived{announced}: {url}",
            status=response.status,
        ) from exc
    except (HTTPError, zlib.error, OSError) as exc:
        raise _Fatal(
            f"could not read the page ({_short(exc)}): {url}", status=response.status
        ) from exc
    return bytes(buffer)


def _content_length(response: urllib3.BaseHTTPResponse) -> int | None:
    value = response.headers.get("Content-Length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
