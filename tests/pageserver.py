"""A small threaded HTTP server on 127.0.0.1 for tests that fetch pages.

Tests import it (``from tests.pageserver import PageServer, Reply, news_site``)::

    with news_site() as site:
        docs = list(iter_documents(site.url("/feed.rss")))
        assert site.hits["/feed.rss"] == 1

A route maps a path to a :class:`Reply`, or to a list of replies served in
turn (the last one repeats), which is how "500 then 200" is written. Replies
can wait before answering (timeouts), omit ``Content-Length`` and close to end
the body, or cut the connection after some bytes (a broken transfer).
Unknown paths get a 404. Nothing leaves the loopback interface.
"""

from __future__ import annotations

import gzip
import http.server
import socket
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

HTML = "text/html; charset=utf-8"

#: The 1x1 transparent PNG, a real image the fetcher must refuse as a page.
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@dataclass
class Reply:
    """One HTTP answer.

    Parameters
    ----------
    body : bytes or str
        The body (str is encoded as UTF-8).
    status : int
        The HTTP status code.
    content_type : str or None
        The ``Content-Type`` header; None sends none.
    headers : dict
        Further headers (``Location``, ``Retry-After``, ``Content-Encoding``...).
    delay : float
        Seconds to wait before the status line (to trip read timeouts).
    send_length : bool
        Send ``Content-Length``; when False the connection closes to end the body.
    cut_after : int or None
        Announce the full length but close the connection after this many bytes.
    """

    body: bytes | str = b""
    status: int = 200
    content_type: str | None = HTML
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    send_length: bool = True
    cut_after: int | None = None

    @property
    def payload(self) -> bytes:
        """The body as bytes."""
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


Route = Reply | Sequence[Reply]


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        path = self.path.split("?", 1)[0]
        reply = self.server.owner.reply_for(path, self.headers)
        if reply.delay:
            time.sleep(reply.delay)
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        payload = reply.payload
        self.send_response(reply.status)
        if reply.content_type:
            self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.send_length:
            self.send_header("Content-Length", str(len(payload)))
        if not reply.send_length or reply.cut_after is not None:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if reply.cut_after is not None:
            payload = payload[: reply.cut_after]
        self.wfile.write(payload)
        self.wfile.flush()
        if reply.cut_after is not None:
            self.connection.shutdown(socket.SHUT_RDWR)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - keep test output quiet
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    owner: PageServer

    def handle_error(self, request, client_address) -> None:
        # Clients that time out and hang up are expected here.
        pass


class PageServer:
    """A threaded HTTP server on 127.0.0.1 with a random free port.

    Parameters
    ----------
    routes : dict, optional
        Path -> :class:`Reply` or list of replies (served in turn, the last repeats).

    Attributes
    ----------
    hits : collections.Counter
        Requests received per path.
    requests : list of dict
        The headers of every request, in order (e.g. to check the User-Agent).
    """

    def __init__(self, routes: dict[str, Route] | None = None):
        self.routes: dict[str, Route] = dict(routes or {})
        self.hits: Counter[str] = Counter()
        self.requests: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle
    def start(self) -> PageServer:
        """Start serving in a daemon thread; return self."""
        server = _Server(("127.0.0.1", 0), _Handler)
        server.owner = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> PageServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # -- routes
    @property
    def base(self) -> str:
        """``http://127.0.0.1:<port>``."""
        if self._server is None:
            raise RuntimeError("the server is not running; use it as a context manager")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        """The full URL of ``path`` on this server."""
        return self.base + path

    def add(self, path: str, route: Route) -> str:
        """Add or replace a route; return its URL when running, else the path."""
        self.routes[path] = route
        return self.url(path) if self._server is not None else path

    def reply_for(self, path: str, headers) -> Reply:
        """Count the hit and choose the reply for ``path``."""
        with self._lock:
            n = self.hits[path]
            self.hits[path] += 1
            self.requests.append({"path": path, **dict(headers.items())})
        route = self.routes.get(path)
        if route is None:
            return Reply("<html><body><h1>Not found</h1></body></html>", status=404)
        if isinstance(route, Reply):
            return route
        return route[min(n, len(route) - 1)]


# -- content builders -------------------------------------------------------------------


def html_page(title: str, paragraphs: Sequence[str] = ()) -> str:
    """A small article page with a headline and paragraphs."""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head><title>{escape(title)}</title></head>"
        f"<body><article><h1>{escape(title)}</h1>{body}</article></body></html>"
    )


def rss(links: Sequence[str], *, title: str = "News") -> str:
    """An RSS 2.0 feed with one item per link."""
    items = "".join(
        f"<item><title>Item {i}</title><link>{escape(u)}</link></item>" for i, u in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>http://example.org/</link>{items}</channel></rss>"
    )


def atom(links: Sequence[str], *, title: str = "News") -> str:
    """An Atom feed with one entry per link (each also has a non-alternate link)."""
    entries = "".join(
        f'<entry><title>Entry {i}</title><link rel="replies" href="{escape(u)}#comments"/>'
        f'<link rel="alternate" type="text/html" href="{escape(u)}"/><id>tag:{i}</id></entry>'
        for i, u in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f'<title>{escape(title)}</title><link href="http://example.org/"/>{entries}</feed>'
    )


def sitemap(links: Sequence[str]) -> str:
    """A sitemap ``urlset``."""
    urls = "".join(f"<url><loc>{escape(u)}</loc></url>" for u in links)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )


def sitemap_index(links: Sequence[str]) -> str:
    """A ``sitemapindex`` pointing at other sitemaps."""
    maps = "".join(f"<sitemap><loc>{escape(u)}</loc></sitemap>" for u in links)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{maps}</sitemapindex>'
    )


def news_site(*, big_bytes: int = 200_000, slow_seconds: float = 2.0) -> PageServer:
    """A (not yet started) server with the routes the ingestion tests need.

    Routes: ``/a1.html`` ... ``/a4.html`` (articles), ``/feed.rss``, ``/feed.atom``,
    ``/sitemap.xml`` (index -> ``/sitemap-1.xml`` and gzipped ``/sitemap-2.xml.gz``),
    ``/missing`` (404), ``/flaky`` (500, then 200), ``/busy`` (429 with
    ``Retry-After``, then 200), ``/down`` (always 503), ``/slow`` (answers after
    ``slow_seconds``), ``/moved`` (302 -> ``/a1.html``), ``/big`` and ``/big-stream``
    (``big_bytes`` of HTML, with and without ``Content-Length``), ``/image.png``,
    ``/cut`` (closes mid-body), ``/gzipped`` (``Content-Encoding: gzip``),
    ``/empty-feed.rss``.

    Parameters
    ----------
    big_bytes : int
        Size of the oversized pages.
    slow_seconds : float
        Delay of ``/slow``.

    Returns
    -------
    PageServer
        Use it as a context manager; URLs inside feeds are filled in on start.
    """
    site = _LinkedSite()
    for i in range(1, 5):
        site.routes[f"/a{i}.html"] = Reply(
            html_page(f"Article {i}", [f"Paragraph one of article {i}.", "Paragraph two."])
        )
    filler = "<p>" + "filler text " * 40 + "</p>"
    big = "<html><body>" + filler * (big_bytes // len(filler) + 1) + "</body></html>"
    site.routes.update(
        {
            "/missing": Reply("<h1>gone</h1>", status=404),
            "/flaky": [Reply("oops", status=500), Reply(html_page("Flaky", ["Came back."]))],
            "/busy": [
                Reply("wait", status=429, headers={"Retry-After": "120"}),
                Reply(html_page("Busy", ["Served after waiting."])),
            ],
            "/down": Reply("down", status=503),
            "/slow": Reply(html_page("Slow", ["Too late."]), delay=slow_seconds),
            "/big": Reply(big),
            "/big-stream": Reply(big, send_length=False),
            "/image.png": Reply(PNG_1X1, content_type="image/png"),
            "/cut": Reply(html_page("Cut", ["x" * 5000]), cut_after=1000),
            "/gzipped": Reply(
                gzip.compress(html_page("Zipped", ["Compressed in transit."]).encode()),
                headers={"Content-Encoding": "gzip"},
            ),
            "/empty-feed.rss": Reply(rss([]), content_type="application/rss+xml"),
        }
    )
    return site


class _LinkedSite(PageServer):
    """The news site: feeds and sitemaps need the port, so they are built on start."""

    def start(self) -> PageServer:
        super().start()
        u = self.url
        xml = "application/xml"
        self.routes.update(
            {
                "/moved": Reply(b"", status=302, headers={"Location": "/a1.html"}),
                "/feed.rss": Reply(
                    rss([u("/a1.html"), u("/a2.html"), u("/a1.html")]),
                    content_type="application/rss+xml",
                ),
                "/feed.atom": Reply(
                    atom([u("/a3.html"), u("/a4.html")]), content_type="application/atom+xml"
                ),
                "/sitemap.xml": Reply(
                    sitemap_index([u("/sitemap-1.xml"), u("/sitemap-2.xml.gz")]),
                    content_type=xml,
                ),
                "/sitemap-1.xml": Reply(sitemap([u("/a1.html"), u("/a2.html")]), content_type=xml),
                "/sitemap-2.xml.gz": Reply(
                    gzip.compress(sitemap([u("/a3.html"), u("/missing")]).encode()),
                    content_type="application/x-gzip",
                ),
            }
        )
        return self
