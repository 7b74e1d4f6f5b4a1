"""Raw-socket servers on 127.0.0.1 that misbehave on purpose: drips, endless bodies.

``http.server`` answers whole; these write the bytes of an answer themselves,
at the pace a hostile server would choose::

    with RawServer(drip_body(b"<html>...", every=0.5)) as server:
        fetch(server.url("/page"), options)

Each connection is served by ``handler(conn, stop)`` in a daemon thread; the
handler stops when the client hangs up, when ``stop`` is set (the server is
leaving), or when it has sent what it meant to. Nothing leaves the loopback
interface, and every drip is bounded in bytes, so a test on broken code ends too.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable

Handler = Callable[[socket.socket, threading.Event], None]


class RawServer:
    """A TCP server on 127.0.0.1 (random port) that hands each connection to ``handler``."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.stop_event = threading.Event()
        self.connections = 0
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.1)
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def port(self) -> int:
        return self._sock.getsockname()[1]

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop_event.set()
        self._thread.join(timeout=5)
        self._sock.close()

    def _accept(self) -> None:
        while not self.stop_event.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            _read_request(conn)
            self.handler(conn, self.stop_event)
        except OSError:
            pass  # the client hung up: that is what a bounded fetch does
        finally:
            conn.close()


def _read_request(conn: socket.socket) -> bytes:
    conn.settimeout(10)
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65_536:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def drip(conn: socket.socket, stop: threading.Event, data: bytes, every: float) -> None:
    """Send ``data`` one byte every ``every`` seconds (until done, stopped or hung up)."""
    for i in range(len(data)):
        if stop.wait(every):
            return
        conn.sendall(data[i : i + 1])


def drip_body(body: bytes, *, every: float, length: bool = True) -> Handler:
    """Headers at once, then the body a byte at a time (with or without ``Content-Length``)."""

    def handler(conn: socket.socket, stop: threading.Event) -> None:
        head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
        head += f"Content-Length: {len(body)}\r\n" if length else "Connection: close\r\n"
        conn.sendall(head.encode() + b"\r\n")
        drip(conn, stop, body, every)

    return handler


def drip_headers(*, every: float, n_headers: int = 200) -> Handler:
    """A status line, then header lines a byte at a time (``n_headers`` of them)."""

    def handler(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        headers = b"".join(b"X-Drip-%d: x\r\n" % i for i in range(n_headers))
        drip(conn, stop, headers, every)

    return handler


def endless(*, every: float, max_bytes: int = 10_000) -> Handler:
    """A body without length that never ends (bounded at ``max_bytes`` so a test always ends)."""

    return drip_body(b"<p>x</p>" * (max_bytes // 8), every=every, length=False)

