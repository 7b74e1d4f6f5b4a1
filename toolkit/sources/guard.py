"""One wall-clock deadline per fetch, and the addresses a fetch may reach.

A socket timeout bounds each read, not a response: a server that sends one byte
every few seconds (headers or body, or without end) never trips it. A
:class:`FetchGuard` bounds the whole fetch instead. While it is active in a
thread, every connection that :mod:`urllib3` opens or reuses for that thread
(through the connection classes below, which :func:`pool_manager` installs) is
registered with it, and when the deadline passes a timer shuts those sockets
down: whatever read is blocked, in the TLS handshake, the headers or the body,
returns at once, and the fetch reports a timeout.

The guard also refuses connections to addresses that are not public (loopback,
private networks, link-local, ...) when asked to: the address is checked when
the connection is made, so a redirect or a DNS answer cannot route around it.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import os
import socket
import threading
import time

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

logger = logging.getLogger(__name__)

_local = threading.local()


class AddressRefused(Exception):
    """A connection would reach an address that is not public, and the fetch refuses those."""


def address_problem(address: str) -> str | None:
    """Why ``address`` (an IP address) is not a public one, or None when it is.

    Parameters
    ----------
    address : str
        An IPv4 or IPv6 address.

    Returns
    -------
    str or None
        "a loopback address", "a private-network address", "a link-local
        address", ... ; None for a global unicast address.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for test, words in (
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_unspecified", "an unspecified address"),
        ("is_multicast", "a multicast address"),
        ("is_private", "a private-network address"),
        ("is_reserved", "a reserved address"),
    ):
        if getattr(ip, test):
            return words
    return None if ip.is_global else "not a public address"


class FetchGuard:
    """The deadline (and address rule) of one fetch, active in the thread that enters it.

    Parameters
    ----------
    seconds : float
        Wall-clock seconds from now until every connection of the fetch is shut down.
    public_only : bool
        Refuse connections to addresses that are not public (see :func:`address_problem`).
    """

    def __init__(self, seconds: float, *, public_only: bool = False) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.public_only = public_only
        self.expired = False
        self._lock = threading.Lock()
        self._handles: list[socket.socket] = []
        self._closed = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._previous: FetchGuard | None = None

    def remaining(self) -> float:
        """Seconds left before the deadline (0 once passed)."""
        return max(0.0, self.deadline - time.monotonic())

    def __enter__(self) -> FetchGuard:
        self._previous = getattr(_local, "guard", None)
        _local.guard = self
        self._timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._timer.cancel()
        _local.guard = self._previous
        with self._lock:
            self._closed = True
            handles, self._handles = self._handles, []
        for handle in handles:
            handle.close()

    def watch(self, sock: socket.socket | None) -> None:
        """Shut ``sock`` down at the deadline (at once when it has passed)."""
        if sock is None:
            return
        try:
            # A handle of our own on the socket: shutting it down ends the connection
            # even after urllib3 has wrapped (TLS) or closed its own object.
            handle = socket.socket(fileno=os.dup(sock.fileno()))
        except OSError:
            return
        with self._lock:
            if self._closed:
                handle.close()
                return
            self._handles.append(handle)
            expired = self.expired
        if expired:
            _shutdown(handle)

    def _expire(self) -> None:
        with self._lock:
            if self._closed:
                return
            self.expired = True
            handles = list(self._handles)
        logger.debug("fetch deadline of %.1f s passed; closing its connections", self.seconds)
        for handle in handles:
            _shutdown(handle)

    def check_address(self, host: str, port: int) -> None:
        """Raise :class:`AddressRefused` when ``host`` resolves to an address that is not public."""
        if not self.public_only:
            return
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError:
            return  # the connection itself reports the unknown host
        for info in infos:
            address = info[4][0]
            problem = address_problem(address)
            if problem:
                raise AddressRefused(f"{host} resolves to {address}, {problem}")


    def check_peer(self, host: str, sock: socket.socket) -> None:
        """Raise :class:`AddressRefused` when ``sock`` is connected to a non-public address."""
        if not self.public_only:
            return
        try:
            address = sock.getpeername()[0]
        except OSError:
            return
        problem = address_problem(address)
        if problem:
            raise AddressRefused(f"{host} is at {address}, {problem}")


def _shutdown(handle: socket.socket) -> None:
    try:
        handle.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def current_guard() -> FetchGuard | None:
    """The guard active in this thread, if any."""
    return getattr(_local, "guard", None)


class _Guarded:
    """Connection methods that register the socket with the thread's guard."""

    def _new_conn(self) -> socket.socket:
        guard = current_guard()
        if guard is not None:
            guard.check_address(self._dns_host, self.port)
        sock = super()._new_conn()
        if guard is not None:
            try:
                # The address connected to, not the one resolved before: no rebinding.
                guard.check_peer(self.host, sock)
            except AddressRefused:
                sock.close()
                raise
            guard.watch(sock)
        return sock

    def request(self, *args, **kwargs):
        guard = current_guard()
        if guard is not None and self.sock is not None:  # a reused connection
            guard.check_peer(self.host, self.sock)
            guard.watch(self.sock)
        return super().request(*args, **kwargs)


class GuardedHTTPConnection(_Guarded, HTTPConnection):
    """``urllib3`` HTTP connection under the thread's :class:`FetchGuard`."""


class GuardedHTTPSConnection(_Guarded, HTTPSConnection):
    """``urllib3`` HTTPS connection under the thread's :class:`FetchGuard`."""


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


@functools.lru_cache(maxsize=4)
def pool_manager(pid: int) -> urllib3.PoolManager:
    """This process's pool manager (``pid`` keys the cache so forks get their own)."""
    logger.debug("creating an HTTP pool manager in process %d", pid)
    manager = urllib3.PoolManager(num_pools=20, maxsize=4, block=False)
    manager.pool_classes_by_scheme = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}
    return manager
