"""Fetch web pages over HTTP(S) with timeouts, a size cap, retries, a user agent and manners.

Politeness: each site's ``/robots.txt`` is read once per process and obeyed
(:mod:`toolkit.sources.robots`; a refused URL gets the failure ``blocked``), and
requests to one host are spaced by ``FetchOptions.min_delay`` or the site's
``Crawl-delay``, whichever is longer (capped at ``max_crawl_delay``). Both hold
per process: with ``workers=N`` a host sees up to N requests at a time.

Time: one wall-clock deadline, ``FetchOptions.total_timeout``, holds for the
whole of one :func:`fetch` (its robots.txt, retries and waits included),
whatever the server does: a server that drips headers or a body a byte at a
time, or without end, is cut off when it passes (:mod:`toolkit.sources.guard`).

Addresses: ``FetchOptions.private_addresses`` says whether loopback,
private-network and link-local targets may be fetched; by default they are,
except for links found in a feed or sitemap that is itself on a public address.

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
from toolkit.sources.guard import AddressRefused, FetchGuard, pool_manager
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

Failure = Literal["error", "too_large", "blocked", "timeout"]

#: The values of ``FetchOptions.private_addresses``.
PRIVATE_ADDRESS_POLICIES: tuple[str, ...] = ("listed", "allow", "refuse")


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
        Wall-clock seconds one :func:`fetch` may take, from the call to the
        last body byte, robots.txt, retries and waits included: a server that
        drips bytes slowly, or without end, cannot hold a page longer (the
        failure is ``timeout``).
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
    private_addresses : {"listed", "allow", "refuse"}
        Whether targets on loopback, private-network, link-local and other
        non-public addresses are fetched. ``"listed"`` (the default) refuses
        them for links found in a feed or sitemap that is itself on a public
        address (a public feed has no business pointing inside your network)
        and fetches the URLs you name; ``"allow"`` fetches every target;
        ``"refuse"`` refuses them all. A refused target gets ``blocked``.
    max_sitemaps : int
        Most sitemaps fetched for one sitemap index given as a source
        (the index and its children, at every level).
    max_sitemap_children : int
        Most child sitemaps read from one sitemap index; the rest are
        skipped and reported (a ``too_large`` row for the index).

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
    private_addresses: str = "listed"
    max_sitemaps: int = 1000
    max_sitemap_children: int = 500

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
        if self.private_addresses not in PRIVATE_ADDRESS_POLICIES:
            raise ValueError(
                "FetchOptions.private_addresses must be one of "
                f"{', '.join(map(repr, PRIVATE_ADDRESS_POLICIES))}, got {self.private_addresses!r}"
            )
        for name in (
            "connect_timeout", "read_timeout", "total_timeout", "max_bytes",
            "max_sitemaps", "max_sitemap_children",
        ):
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
    failure : {"error", "too_large", "blocked", "timeout"} or None
        The kind of failure, matching the articles ``status`` values.
    address : str or None
        The IP address of the server that gave the last answer, when one did.
    """

    url: str
    http_status: int | None
    content_type: str | None
    content: bytes | None
    retrieved: datetime
    error: str | None = None
    failure: Failure | None = None
    address: str | None = None

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
    """Return ``n_bytes`` in decimal units: ``"20.0 MB"``, ``"0.2 MB"``, ``"40 kB"``, ``"9 B"``."""
    if n_bytes >= 100_000:
        return f"{n_bytes / 1_000_000:.1f} MB"
    if n_bytes >= 1000:
        return f"{n_bytes / 1000:.0f} kB"
    return f"{n_bytes} B"


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
    """Fetch one URL, with retries, a size cap, one deadline and readable errors.

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
        crawlers named 'toolkit'; ..."; or a refused address: "not fetched:
        <host> resolves to 10.0.0.5, a private-network address; ..."),
        ``"timeout"`` ("timed out after 120 s (total_timeout) without a whole
        answer: <url>") or ``"error"`` with messages such as "HTTP 404 Not
        Found: <url>", "connection refused by 127.0.0.1:9: <url>", "host not
        found: <host>: <url>", "timed out after 2.0 s waiting for the server:
        <url>", "unsupported URL scheme 'ftp' (only http and https): <url>".
        Returns within about ``total_timeout`` seconds whatever the server does;
        never raises for network or HTTP problems.
    """
    options = options or FetchOptions()
    problem = check_http_url(url)
    if problem:
        return FetchResult(url, None, None, None, utc_now(), problem, "error")
    public_only = options.private_addresses == "refuse"
    with FetchGuard(options.total_timeout, public_only=public_only) as guard:
        return _fetch(url, options, guard)


def _fetch(
    url: str, options: FetchOptions, guard: FetchGuard, *, keep_prefix: bool = False
) -> FetchResult:
    """:func:`fetch` under an active guard (shared with the robots.txt fetch it makes)."""
    delay = options.min_delay
    if options.respect_robots:
        rules = _robots_rules(_origin(url), options, guard)
        if not rules.allows(url):
            message = _blocked_message(url, rules, options)
            return FetchResult(url, None, None, None, utc_now(), message, "blocked")
        delay = max(delay, min(rules.crawl_delay or 0.0, options.max_crawl_delay))
    attempt = 0
    while True:
        try:
            _wait_turn(url, delay, guard)
            return _attempt(url, options, guard, keep_prefix=keep_prefix)
        except _Retryable as exc:
            if guard.expired:
                return _timed_out(url, guard, exc.status)
            wait = _retry_wait(exc.wait, attempt, options)
            if attempt >= options.retries:
                return FetchResult(url, exc.status, None, None, utc_now(), str(exc), "error")
            if wait >= guard.remaining():
                message = f"{exc} (no time left to try again within total_timeout)"
                return FetchResult(url, exc.status, None, None, utc_now(), message, "error")
            logger.info("retrying in %.2f s after: %s", wait, exc)
            time.sleep(wait)
            attempt += 1
        except _Fatal as exc:
            return FetchResult(url, exc.status, None, None, utc_now(), str(exc), exc.failure)
        except Exception as exc:  # an odd server must not stop a run; the log keeps the trace
            if guard.expired:
                return _timed_out(url, guard)
            logger.exception("unexpected failure fetching %s", url)
            message = f"could not fetch ({type(exc).__name__}: {exc}): {url}"
            return FetchResult(url, None, None, None, utc_now(), message, "error")


def _timed_out(url: str, guard: FetchGuard, status: int | None = None) -> FetchResult:
    return FetchResult(url, status, None, None, utc_now(), _deadline_message(url, guard), "timeout")


def _deadline_message(url: str, guard: FetchGuard) -> str:
    return f"timed out after {guard.seconds:g} s (total_timeout) without a whole answer: {url}"


# -- manners: robots.txt and spacing requests to a host ----------------------------------

_robots_cache: dict[tuple[int, str, str], RobotsRules] = {}
_last_request: dict[tuple[int, str], float] = {}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _robots_rules(origin: str, options: FetchOptions, guard: FetchGuard) -> RobotsRules:
    """The robots.txt rules of ``origin`` for our user agent, fetched once per process.

    A robots.txt over :data:`MAX_ROBOTS_BYTES` is read up to there (RFC 9309
    asks crawlers to parse at least 500 KiB), its cut last line dropped.
    """
    key = (os.getpid(), origin, options.user_agent)
    rules = _robots_cache.get(key)
    if rules is None:
        robots_options = dataclasses.replace(
            options,
            respect_robots=False,
            max_bytes=MAX_ROBOTS_BYTES,
            retries=min(options.retries, 1),
        )
        result = _fetch(f"{origin}/robots.txt", robots_options, guard, keep_prefix=True)
        text = None
        if result.ok:
            body = result.content
            if len(body) >= MAX_ROBOTS_BYTES:
                body = body[: body.rfind(b"\n") + 1]
                logger.warning(
                    "robots.txt of %s is over %d bytes; its first %d bytes are obeyed",
                    origin, MAX_ROBOTS_BYTES, len(body),
                )
            text = body.decode("utf-8", errors="replace")
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


def _wait_turn(url: str, delay: float, guard: FetchGuard) -> None:
    """Sleep until ``delay`` seconds have passed since this process's last request to its host."""
    key = (os.getpid(), _origin(url))
    if delay > 0 and key in _last_request:
        wait = _last_request[key] + delay - time.monotonic()
        if wait > guard.remaining():
            raise _Fatal(
                f"not fetched: waiting {wait:.1f} s between requests to {urlsplit(url).netloc} "
                f"would pass the {guard.seconds:g} s total_timeout: {url}",
                "timeout",
            )
        if wait > 0:
            time.sleep(wait)
    _last_request[key] = time.monotonic()


def _retry_wait(retry_after: float | None, attempt: int, options: FetchOptions) -> float:
    if retry_after is not None:
        return min(retry_after, options.max_retry_after)
    return options.backoff * (2**attempt)


def _attempt(
    url: str, options: FetchOptions, guard: FetchGuard, *, keep_prefix: bool = False
) -> FetchResult:
    """Make one request and read its body; raise ``_Retryable`` or ``_Fatal`` on failure."""
    response = _request(url, options, guard)
    try:
        final_url = _final_url(response, url)
        _check_status(response, final_url)
        address = _peer_address(response)
        body = _read_body(response, final_url, options, guard, keep_prefix=keep_prefix)
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
        address=address,
    )


def _peer_address(response: urllib3.BaseHTTPResponse) -> str | None:
    try:
        return response.connection.sock.getpeername()[0]
    except (AttributeError, OSError, IndexError, TypeError):
        return None


def _request(url: str, options: FetchOptions, guard: FetchGuard) -> urllib3.BaseHTTPResponse:
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
    left = guard.remaining()
    if left <= 0:
        raise _Fatal(_deadline_message(url, guard), "timeout")
    timeout = urllib3.Timeout(
        connect=min(options.connect_timeout, left), read=min(options.read_timeout, left)
    )
    try:
        return pool_manager(os.getpid()).request(
            "GET",
            url,
            headers=headers,
            retries=retries,
            timeout=timeout,
            preload_content=False,
            decode_content=True,
        )
    except AddressRefused as exc:
        raise _Fatal(
            f"not fetched: {exc}; FetchOptions(private_addresses='allow') fetches such "
            f"targets: {url}",
            "blocked",
        ) from exc
    except MaxRetryError as exc:
        raise _classify(exc.reason, url, options, guard) from exc
    except HTTPError as exc:
        raise _classify(exc, url, options, guard) from exc
    except (OSError, ValueError) as exc:  # odd URLs that slip past check_http_url
        if guard.expired:
            raise _Fatal(_deadline_message(url, guard), "timeout") from exc
        raise _Fatal(f"could not fetch ({exc}): {url}") from exc


def _classify(
    reason: BaseException | None, url: str, options: FetchOptions, guard: FetchGuard
) -> Exception:
    """Turn a urllib3 failure into a readable ``_Retryable`` or ``_Fatal``."""
    if guard.expired:
        return _Fatal(_deadline_message(url, guard), "timeout")
    host, redirected = _failed_host(reason, url)
    if isinstance(reason, NameResolutionError) or _is_dns_error(reason):
        return _Fatal(f"host not found: {host.rsplit(':', 1)[0]}{redirected}: {url}")
    # NewConnectionError subclasses ConnectTimeoutError in urllib3, so it goes first.
    if isinstance(reason, NewConnectionError):
        if isinstance(reason.__cause__, ConnectionRefusedError) or "refused" in str(reason):
            return _Retryable(f"connection refused by {host}{redirected}: {url}")
        return _Retryable(f"could not connect to {host}{redirected} ({_short(reason)}): {url}")
    if isinstance(reason, ConnectTimeoutError):
        return _Retryable(
            f"timed out after {options.connect_timeout} s connecting to {host}{redirected}: {url}"
        )
    if isinstance(reason, ReadTimeoutError):
        return _Fatal(f"timed out after {options.read_timeout} s waiting for the server: {url}")
    if isinstance(reason, SSLError):
        return _Fatal(f"TLS/SSL error with {host}{redirected} ({_short(reason)}): {url}")
    if isinstance(reason, ProtocolError):
        return _Retryable(f"connection to {host}{redirected} broke ({_short(reason)}): {url}")
    if reason is not None and "redirect" in str(reason).lower():
        return _Fatal(f"too many redirects (more than {options.max_redirects}): {url}")
    return _Fatal(f"could not fetch ({_short(reason)}): {url}")


def _failed_host(reason: BaseException | None, url: str) -> tuple[str, str]:
    """The ``host:port`` a failed connection was for, and " (after a redirect)" when not ``url``'s.

    urllib3 follows redirects itself, so the connection that failed may be to
    the redirect's target rather than to the host of the URL asked for.
    """
    asked = urlsplit(url).netloc
    conn = getattr(reason, "conn", None)
    if conn is None and reason is not None and reason.args:
        conn = reason.args[0]
    host = getattr(conn, "host", None)
    if not isinstance(host, str) or not host:
        return asked, ""
    port = getattr(conn, "port", None)
    where = f"{host}:{port}" if port else host
    default = {"http": 80, "https": 443}.get(urlsplit(url).scheme.lower())
    same = where.lower() == asked.lower() or (
        port == default and host.lower() == (urlsplit(url).hostname or "").lower()
    )
    return where, "" if same else " (after a redirect)"


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
    response: urllib3.BaseHTTPResponse,
    url: str,
    options: FetchOptions,
    guard: FetchGuard,
    *,
    keep_prefix: bool = False,
) -> bytes:
    """Stream the body, stopping past ``max_bytes`` (or keeping the first ``max_bytes``
    with ``keep_prefix``) or at the guard's deadline."""
    limit = options.max_bytes
    declared = _content_length(response)
    if (
        declared is not None
        and declared > limit
        and not keep_prefix
        and not response.headers.get("Content-Encoding")
    ):
        raise _Fatal(f"{too_large_message(limit, declared)}: {url}", "too_large", response.status)
    buffer = bytearray()
    try:
        for chunk in response.stream(_CHUNK, decode_content=True):
            buffer += chunk
            if len(buffer) > limit:
                if keep_prefix:
                    return bytes(buffer[:limit])
                raise _Fatal(f"{too_large_message(limit)}: {url}", "too_large", response.status)
            if guard.expired:
                break
    except ReadTimeoutError as exc:
        if guard.expired:
            raise _Fatal(_deadline_message(url, guard), "timeout", response.status) from exc
        raise _Fatal(
            f"timed out after {options.read_timeout} s waiting for the server: {url}",
            status=response.status,
        ) from exc
    except ProtocolError as exc:
        if guard.expired:
            raise _Fatal(_deadline_message(url, guard), "timeout", response.status) from exc
        announced = f" ({declared} bytes announced)" if declared is not None else ""
        raise _Retryable(
            f"connection closed before the whole page arrived{announced}: {url}",
            status=response.status,
        ) from exc
    except (HTTPError, zlib.error, OSError) as exc:
        if guard.expired:
            raise _Fatal(_deadline_message(url, guard), "timeout", response.status) from exc
        raise _Fatal(
            f"could not read the page ({_short(exc)}): {url}", status=response.status
        ) from exc
    if guard.expired:  # a body without a length ends when the guard cuts the connection
        raise _Fatal(_deadline_message(url, guard), "timeout", response.status)
    return bytes(buffer)


def _content_length(response: urllib3.BaseHTTPResponse) -> int | None:
    value = response.headers.get("Content-Length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
