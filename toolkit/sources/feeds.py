"""Recognise RSS/Atom feeds and sitemaps, and list the URLs they point to.

The XML parser is hardened: it never touches the network, never expands
entities (no XXE, no "billion laughs") and refuses huge trees. Both parsers
return None for content that is not their kind, so a caller can try them in
turn on any fetched body.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Iterable
from typing import Literal
from urllib.parse import urljoin

from lxml import etree

from toolkit.sources.fetch import gunzip_capped, is_gzip

logger = logging.getLogger(__name__)

SitemapKind = Literal["urlset", "sitemapindex"]

#: Largest decompressed sitemap accepted (the sitemaps.org limit is 50 MB).
MAX_SITEMAP_BYTES = 50_000_000

_XML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<")
# An "&" that starts no entity or character reference (``&amp;``, ``&#38;``, ``&#x26;``).
_BARE_AMPERSAND = re.compile(rb"&(?!(?:[A-Za-z_][\w.-]*|#[0-9]+|#[xX][0-9A-Fa-f]+);)")
_CDATA = re.compile(rb"(<!\[CDATA\[.*?\]\]>)", re.DOTALL)
_URL_LINE = re.compile(r"^https?://\S+$")
_ATOM_NS = "http://www.w3.org/2005/Atom"


def _parser() -> etree.XMLParser:
    # A new parser per call: lxml parsers are not safe to share across threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )


def escape_bare_ampersands(content: bytes) -> bytes:
    """Write each ``&`` that starts no entity as ``&amp;`` (outside CDATA sections).

    Feeds and sitemaps often carry URLs like ``?id=1&page=2`` unescaped. The
    XML parser, even in recovery mode, then drops ``&page`` and goes wrong for
    the rest of the document (a correct ``&amp;`` later is dropped too), so
    wrong URLs would be fetched. ``&amp;``, ``&lt;``, ``&#38;`` and the like
    are kept as they are.

    Parameters
    ----------
    content : bytes
        An XML document in an ASCII-compatible encoding (UTF-8, Latin-1, ...);
        UTF-16 (which has NUL bytes) is returned unchanged.

    Returns
    -------
    bytes
    """
    if b"&" not in content or b"\x00" in content[:4096]:
        return content
    parts = _CDATA.split(content)
    for i in range(0, len(parts), 2):  # the odd parts are CDATA sections, left as they are
        parts[i] = _BARE_AMPERSAND.sub(b"&amp;", parts[i])
    return b"".join(parts)


def _parse_xml(content: bytes) -> etree._Element | None:
    """Parse ``content`` as XML; None when it does not start like XML or has no root."""
    if not _XML_START.match(content[:4096]):
        return None
    try:
        return etree.fromstring(escape_bare_ampersands(content), parser=_parser())
    except (etree.XMLSyntaxError, ValueError):
        return None


def _local(tag: object) -> str:
    """The tag name without its namespace ("" for comments and the like)."""
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if _local(child.tag) == name]


def _text(element: etree._Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _unique(urls: Iterable[str], base_url: str | None = None) -> list[str]:
    """Non-empty URLs, made absolute against ``base_url``, first occurrence kept."""
    seen: dict[str, None] = {}
    for url in urls:
        url = url.strip()
        if not url:
            continue
        if base_url:
            url = urljoin(base_url, url)
        seen.setdefault(url, None)
    return list(seen)


def parse_feed(content: bytes, *, base_url: str | None = None) -> list[str] | None:
    """Return the article links of an RSS 2.0, RSS 1.0 (RDF) or Atom feed.

    Parameters
    ----------
    content : bytes
        The fetched body.
    base_url : str, optional
        The feed's URL, to make relative links absolute.

    Returns
    -------
    list of str or None
        The links in feed order, without duplicates (possibly empty for a
        feed with no items); None when ``content`` is not a feed.
    """
    root = _parse_xml(content)
    if root is None:
        return None
    kind = _local(root.tag)
    if kind == "rss":
        items = [
            item for channel in _children(root, "channel") for item in _children(channel, "item")
        ]
    elif kind == "RDF":
        items = _children(root, "item")
    elif kind == "feed" and etree.QName(root).namespace in (_ATOM_NS, None):
        return _unique((_atom_link(entry) for entry in _children(root, "entry")), base_url)
    else:
        return None
    return _unique((_item_link(item) for item in items), base_url)


def _item_link(item: etree._Element) -> str:
    """An RSS item's ``<link>``, else its ``<guid>`` when that is a URL."""
    for link in _children(item, "link"):
        if _text(link):
            return _text(link)
    for guid in _children(item, "guid"):
        value = _text(guid)
        if guid.get("isPermaLink", "true").lower() != "false" and _URL_LINE.match(value):
            return value
    return ""


def _atom_link(entry: etree._Element) -> str:
    """An Atom entry's alternate link (a link without ``rel`` is alternate).

    A relative link is resolved against the ``xml:base`` in effect (of the
    link, the entry or the feed; lxml follows the chain); what is still
    relative is made absolute against the feed's URL later.
    """
    links = _children(entry, "link")
    for link in links:
        href = link.get("href")
        if link.get("rel", "alternate") == "alternate" and href:
            return urljoin(link.base, href) if link.base else href
    return ""


def parse_sitemap(
    content: bytes, *, base_url: str | None = None
) -> tuple[SitemapKind, list[str]] | None:
    """Return the kind of a sitemap and the URLs it lists.

    Reads XML sitemaps (``urlset`` of pages, ``sitemapindex`` of further
    sitemaps), gzip-compressed or not, and plain-text sitemaps (one http(s)
    URL per line, read as a ``urlset``).

    Parameters
    ----------
    content : bytes
        The fetched body.
    base_url : str, optional
        The sitemap's URL, to make relative locations absolute.

    Returns
    -------
    tuple of (str, list of str) or None
        ``("urlset", page_urls)`` or ``("sitemapindex", sitemap_urls)``, URLs in
        order without duplicates; None when ``content`` is not a sitemap (or is
        broken gzip, or decompresses past 50 MB).
    """
    if is_gzip(content):
        try:
            content = gunzip_capped(content, MAX_SITEMAP_BYTES)
        except (OSError, EOFError, zlib.error) as exc:
            logger.warning("a gzip-compressed body could not be decompressed: %s", exc)
            return None
        if content is None:
            logger.warning("a gzip-compressed sitemap decompresses past 50 MB; not read")
            return None
    root = _parse_xml(content)
    if root is None:
        return _parse_text_sitemap(content)
    kind = _local(root.tag)
    if kind == "urlset":
        entries = _children(root, "url")
    elif kind == "sitemapindex":
        entries = _children(root, "sitemap")
    else:
        return None
    locations = (_text(loc) for entry in entries for loc in _children(entry, "loc")[:1])
    return kind, _unique(locations, base_url)


def _parse_text_sitemap(content: bytes) -> tuple[SitemapKind, list[str]] | None:
    """A plain-text sitemap: every non-blank line is an http(s) URL."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or not all(_URL_LINE.match(line) for line in lines):
        return None
    return "urlset", _unique(lines)
