"""Turn one document's bytes into article fields.

``extract_page`` is called once per document (inside worker processes by
``toolkit.ingest.read``). It decides what the bytes are, then:

- binary data (PDF, images, archives, many control bytes) -> ``not_html``;
- a plain-text dump of a page -> ``toolkit.extract.textdump.parse_text_dump``;
- HTML -> decoded by ``toolkit.extract.decode`` (declared charset, then detection, one
  bad byte costs one character), parsed once, read for the page's own metadata
  (``toolkit.extract.pageinfo``: ``<title>``, ``<h1>``, meta tags, JSON-LD, bylines,
  ``<time>``), and handed as a tree to ``trafilatura.bare_extraction`` for the main
  text only (its metadata pass is not needed: the fields are read here, which pays
  for the checks). A thin text is rescued or marked (``toolkit.extract.body``), the
  furniture taken out of it (``toolkit.extract.furniture``); the title is repaired
  (``titles``), the authors chosen (``authors``, ``bylines``), the dates decided
  (``pubdates``, ``dates``), categories and tags read (``taxonomy``), and the
  language decided (``language``).

It never raises on any bytes: a failure becomes ``status="error"`` with a
readable ``error``. Bad *options* do raise ``ValueError`` at once.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from toolkit.extract.authors import choose_authors
from toolkit.extract.body import choose_body
from toolkit.extract.dates import check_date
from toolkit.extract.decode import clean_text, decode_bytes, sniff_binary
from toolkit.extract.furniture import clean_body, drop_credit_lines
from toolkit.extract.language import detect_language
from toolkit.extract.layout import unwrap_layout_tables
from toolkit.extract.lede import find_lede, with_lede
from toolkit.extract.pageinfo import PageInfo, scan_page
from toolkit.extract.pubdates import page_dates
from toolkit.extract.taxonomy import categories_and_tags
from toolkit.extract.textdump import count_words, is_prose, parse_text_dump
from toolkit.extract.titles import (
    choose_sitename,
    choose_title,
    is_site_part,
    name_key,
    opening_headline,
    site_keys,
    title_parts,
)

logger = logging.getLogger(__name__)

#: The keys of the dict ``extract_page`` returns, in order.
RESULT_KEYS: tuple[str, ...] = (
    "title",
    "authors",
    "agencies",
    "date",
    "date_source",
    "date_modified",
    "url",
    "hostname",
    "sitename",
    "language",
    "description",
    "categories",
    "tags",
    "text",
    "status",
    "error",
)

#: Main text without a prose line and mostly link texts is navigation (empty)
#: below this many words; below ``MIN_WORDS`` it is empty anyway.
MAX_NON_PROSE_WORDS = 150
MIN_WORDS = 5
LINK_SHARE = 0.6

# MIME types that are never pages, whatever the bytes look like.
_NOT_PAGE_MIME = ("image/", "audio/", "video/", "font/", "application/pdf", "application/zip",
                  "application/json", "application/javascript", "text/css", "text/javascript")
_MARKUP = re.compile(
    r"<(?:!doctype|html|head|body|div|p|span|a|meta|title|table|article|section|script|"
    r"style|br|li|ul|h[1-6]|main|header|footer|nav|link|img|form|iframe)[\s>/]",
    re.IGNORECASE,
)
_CLEARLY_HTML = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE | re.S
)
_BULLET_PREFIX = re.compile(r"^\s*[-–•*·»]\s+")
_BLANK_LINES = re.compile(r"[ \t\r\f\v]*\n\s*")


@dataclass(frozen=True)
class ExtractOptions:
    """How ``extract_page`` extracts HTML.

    Attributes
    ----------
    favor_precision : bool
        Prefer less text but less noise (trafilatura ``favor_precision``).
    favor_recall : bool
        Prefer more text at the risk of noise (trafilatura ``favor_recall``).
    include_tables : bool
        Keep the text of tables in the main text.
    include_comments : bool
        Append the comment section (readers' comments) to the text.
    fast : bool
        Skip trafilatura's fallback extractors (its ``no_fallback``/``fast``):
        faster, slightly worse on unusual pages.
    target_language : str or None
        ISO 639-1 code; a page detected in another language gets status
        ``"empty"`` and no text.

    Raises
    ------
    ValueError
        For contradictory or malformed options (precision and recall both set,
        a target language that is not a two-letter code, non-bool flags).
    """

    favor_precision: bool = False
    favor_recall: bool = False
    include_tables: bool = True
    include_comments: bool = False
    fast: bool = False
    target_language: str | None = None

    def __post_init__(self) -> None:
        for name in ("favor_precision", "favor_recall", "include_tables", "include_comments",
                     "fast"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be True or False, got {getattr(self, name)!r}")
        if self.favor_precision and self.favor_recall:
            raise ValueError(
                "favor_precision and favor_recall cannot both be set; choose one (or neither "
                "for the balanced default)"
            )
        if self.target_language is not None and (
            not isinstance(self.target_language, str)
            or not re.fullmatch(r"[a-z]{2}", self.target_language)
        ):
            raise ValueError(
                f"target_language must be a two-letter ISO 639-1 code such as 'en', got "
                f"{self.target_language!r}"
            )


def _result(**fields: Any) -> dict:
    out = {key: None for key in RESULT_KEYS}
    out.update(authors=[], agencies=[], categories=[], tags=[], text="")
    out.update(fields)
    return out


def _trusted_sitename(sitename: str | None, info: PageInfo, hostname: str | None) -> str | None:
    """The sitename, if the page states it or it matches the host (trafilatura sometimes
    takes it from the title itself, and stripping it from the title would then be circular)."""
    if not sitename:
        return None
    key = name_key(sitename)
    stated = {name_key(s) for s in info.site_names()}
    if key in stated or is_site_part(sitename, site_keys(None, hostname)):
        return sitename
    return None


def _hostname(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def _clean_paragraphs(text: str | None) -> str:
    if not text:
        return ""
    if "\n\n" in text or " \n" in text or "\n " in text or "\t" in text or "\r" in text:
        text = _BLANK_LINES.sub("\n", text)
    return text.strip()


def _norm_ws(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split())
    return text or None


def _page_url(info: PageInfo, url: str | None) -> str | None:
    """The page's canonical URL (made absolute), else the URL it was read from."""
    for candidate in (info.canonical, info.meta.get("og:url")):
        if candidate and not candidate.startswith("#"):
            absolute = urljoin(url, candidate) if url else candidate
            if absolute.startswith(("http://", "https://")):
                return absolute
    return url


def _fallback_sitename(info: PageInfo, hostname: str | None) -> str | None:
    """A part of ``<title>`` that is a domain name ("Chinadaily.com.cn"), else the host."""
    parts = title_parts(info.title_tag or "")[1:]
    return next((part for part in parts if "." in part and " " not in part), None) or hostname


def _is_navigation(text: str, tree) -> bool:
    """True when ``text`` is a page's navigation rather than an article.

    trafilatura returns the menus of a page that has no article. Such output
    has no line of prose, is short, and its lines are mostly the texts of
    the page's links (an agenda or a data list, which are not links, stay).
    """
    if len(text) > 40 * MAX_NON_PROSE_WORDS or len(text.split()) >= MAX_NON_PROSE_WORDS:
        return False  # cheap exits first: most pages are long
    if count_words(text) >= MAX_NON_PROSE_WORDS:
        return False
    lines = [_BULLET_PREFIX.sub("", line).strip() for line in text.split("\n")]
    lines = [line for line in lines if any(ch.isalnum() for ch in line)]
    if count_words(" ".join(lines)) < MIN_WORDS:
        return True
    if any(is_prose(line) for line in lines):
        return False
    links = {" ".join(a.text_content().split()) for a in tree.iter("a")}
    return sum(line in links for line in lines) >= LINK_SHARE * len(lines)


def _load_tree(html: str):
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None and _MARKUP.search(html[:65_536]):
        # a bare fragment ("<p>...</p>"): trafilatura wants a whole document
        tree = load_html(f"<html><body>{html}</body></html>")
    return tree


def _trafilatura(tree, *, url: str | None, options: ExtractOptions, recall: bool = False):
    from trafilatura import bare_extraction

    return bare_extraction(
        tree,
        url=url,
        fast=options.fast,
        favor_precision=options.favor_precision and not recall,
        favor_recall=options.favor_recall or recall,
        # comments on: trafilatura then separates them from the main text
        # (off, it prunes comment-like sections and loses article text)
        include_comments=True,
        include_tables=options.include_tables,
    )


def extract_html(
    html: str,
    *,
    url: str | None = None,
    retrieved: datetime | None = None,
    options: ExtractOptions = ExtractOptions(),
) -> dict:
    """Extract the article fields of an already decoded HTML page.

    Parameters
    ----------
    html : str
        The page's markup.
    url : str or None
        Where it came from (used for relative links, the hostname and dates
        in the URL; the page's canonical URL wins for ``url``).
    retrieved : datetime or None
        Capture or fetch time: later dates are impossible.
    options : ExtractOptions
        Extraction settings.

    Returns
    -------
    dict
        The keys of ``RESULT_KEYS`` (see ``extract_page``).
    """
    tree = _load_tree(html)
    if tree is None:
        return _result(url=url, hostname=_hostname(url), status="not_html",
                       error="no HTML structure found (lxml could not build a tree)")
    info = scan_page(tree)
    unwrap_layout_tables(tree)  # a page set in a table: its article cell is no table row
    # trafilatura for the main text only: the metadata is read here from the same tree
    doc = _trafilatura(tree, url=url, options=options)

    page_url = _page_url(info, url)
    hostname = _hostname(page_url)
    stated = info.site_names()
    sitename = choose_sitename(None, stated=stated, hostname=hostname) or _fallback_sitename(
        info, hostname)
    references = info.references()
    trusted = _trusted_sitename(sitename, info, hostname)
    title = choose_title(
        references[0] if references else info.title_tag, title_tag=info.title_tag,
        headlines=info.h1, references=references,
        sitename=trusted, hostname=hostname,
    )
    where = page_url or "page"
    dates = page_dates(info, tree, url=page_url, retrieved=retrieved, where=where)

    body = choose_body(
        _clean_paragraphs(doc.text if doc is not None else ""), tree=tree,
        json_ld=info.json_ld, url=url,
        recall=lambda: _clean_paragraphs(
            getattr(_trafilatura(tree, url=url, options=options, recall=True), "text", "")),
    )
    first_line = next((line for line in body.text.split("\n") if line.strip()), "")
    # an <h1> above the <h2>s is the headline they stand under (a <h2> first is a headline)
    h1_first = info.h1_position is not None and (
        info.h2_position is None or info.h1_position < info.h2_position)
    title = opening_headline(
        first_line, headings=[*info.h1, *info.h2], title=title,
        headlines=info.h1 if h1_first else (),
        sitename=trusted, hostname=hostname,
    ) or title
    lede = find_lede(tree, first_line=first_line, title=title,
                     description=info.description())
    body_text = with_lede(body.text, lede)
    cleaned = clean_body(body_text, titles=[title, *info.h1, *references, info.title_tag])
    credits = choose_authors(info, text_bylines=cleaned.bylines, sitename=sitename,
                             hostname=hostname)
    text = drop_credit_lines(cleaned.text, credits.authors)
    comments = (_clean_paragraphs(doc.comments) if doc is not None and options.include_comments
                else "")
    status, error = "ok", None
    if not text:
        status, error = "empty", "no main text found in the page"
    elif _is_navigation(text, tree):
        status = "empty"
        error = "no article text found (the page holds only navigation or link lists)"
        text = ""
    elif body.thin:
        status = "thin"
        error = (f"thin extraction: {count_words(text)} words found, while the page holds "
                 f"about {body.evidence} words of article text")
    language = detect_language(text or title, declared=info.declared_language())
    if status == "ok" and options.target_language and language != options.target_language:
        status = "empty"
        error = f"language is {language!r}, not the target language {options.target_language!r}"
        text = comments = ""
    if comments and status == "ok":
        text = f"{text}\n{comments}"
    categories, tags = categories_and_tags(info)

    return _result(
        title=title,
        authors=credits.authors,
        agencies=credits.agencies,
        date=dates.published,
        date_source=dates.source,
        date_modified=dates.modified,
        url=page_url,
        hostname=hostname,
        sitename=sitename,
        language=language,
        description=_norm_ws(info.meta.get("description") or info.meta.get("og:description")),
        categories=categories,
        tags=tags,
        text=text,
        status=status,
        error=error,
    )


def is_text_dump(
    text: str, *, content_type: str | None = None, path_hint: str | None = None
) -> bool:
    """Decide whether decoded ``text`` is a plain-text dump rather than HTML.

    Parameters
    ----------
    text : str
        The decoded document.
    content_type : str or None
        ``text/plain`` means a dump unless the text plainly starts as HTML.
    path_hint : str or None
        A ``.txt`` name means the same.

    Returns
    -------
    bool
        True for dumps and for text with no markup in its first 64 KiB.
    """
    mime = (content_type or "").split(";")[0].strip().lower()
    said_text = mime == "text/plain" or (path_hint or "").lower().endswith((".txt", ".text"))
    if said_text:
        return not _CLEARLY_HTML.match(text[:4096])
    if mime in ("text/html", "application/xhtml+xml"):
        return _MARKUP.search(text[:65_536]) is None
    return _MARKUP.search(text[:65_536]) is None


def _binary_reason(content: bytes, content_type: str | None) -> str | None:
    kind = sniff_binary(content)
    if kind is not None:
        return f"binary content ({kind}), not an HTML page"
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime.startswith(_NOT_PAGE_MIME):
        return f"content type {mime}, not an HTML page"
    return None


def _extract_text_dump(text: str, *, url: str | None, retrieved: datetime | None) -> dict:
    fields = parse_text_dump(text)
    where = url or "text dump"
    value = check_date(fields["date"], retrieved=retrieved, where=where)
    fields.update(
        date=value,
        date_source=fields["date_source"] if value is not None else None,
        url=fields["url"] or url,
    )
    fields["hostname"] = fields["hostname"] or _hostname(fields["url"])
    return fields


def _summarise(exc: BaseException) -> str:
    message = " ".join(str(exc).split())
    if len(message) > 300:
        message = message[:297] + "..."
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


_PRELOAD_PAGE = (
    b"<html lang='en'><head><title>Preload | Example</title></head><body><h1>Preload</h1>"
    b"<p>Published 5 septembre 2016. The police said the summit security checks went well, "
    b"and residents were thanked for their patience during the week.</p></body></html>"
)


def preload() -> None:
    """Pay this process's one-off extraction costs now rather than on its first pages.

    Imports trafilatura, loads the py3langid model (0.5 s), and makes
    htmldate build its month-name table and dateparser compile the patterns
    of all its locales (several seconds, otherwise paid by the first page
    whose free text holds an unusual date, which can trip a per-page time
    limit). Call it once per worker process (an initialiser), or in the
    parent before forking.
    """
    try:
        from htmldate.extractors import get_external_parser, month_words

        month_words()
        # a string no locale accepts makes dateparser try (and compile) them all
        get_external_parser().get_date_data("Dienstag 5 quux 2016 zzz")
    except Exception as exc:  # another htmldate version: the page below still helps
        logger.debug("htmldate/dateparser not preloaded: %s", exc)
    extract_page(_PRELOAD_PAGE)


def extract_page(
    content: bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    retrieved: datetime | None = None,
    path_hint: str | None = None,
    options: ExtractOptions = ExtractOptions(),
) -> dict:
    """Extract the article fields of one document, whatever its bytes are.

    Parameters
    ----------
    content : bytes
        The document as read or fetched (a ``str`` is accepted as already decoded).
    url : str or None
        Where it came from (page URL or WARC target URI).
    content_type : str or None
        The HTTP ``Content-Type`` header, if any (its charset is trusted first).
    retrieved : datetime or None
        Capture or fetch time; dates after it (or after now when None) and
        before 1990 are dropped, the reason logged at INFO level.
    path_hint : str or None
        The file name, if read from disk (``.txt`` means a text dump).
    options : ExtractOptions
        Extraction settings.

    Returns
    -------
    dict
        ``title`` (str or None), ``authors`` (list of str: people),
        ``agencies`` (list of str: agencies and organisations credited),
        ``date`` (naive datetime of first publication, the publisher's
        wall-clock time, or None), ``date_source`` (one of
        ``schema.DATE_SOURCES`` or None), ``date_modified`` (the last update
        stated, or None), ``url``, ``hostname``, ``sitename``, ``language``
        (ISO 639-1), ``description``, ``categories`` (list), ``tags`` (list),
        ``text`` (paragraphs joined by ``"\\n"``), ``status`` (``"ok"``,
        ``"empty"``, ``"thin"``, ``"not_html"`` or ``"error"``) and ``error``
        (a readable message, or None when ok).

    Raises
    ------
    ValueError
        Only for a bad ``options`` argument; never because of ``content``.
    """
    if not isinstance(options, ExtractOptions):
        raise ValueError(f"options must be an ExtractOptions, got {type(options).__name__}")
    try:
        if isinstance(content, str):
            decoded_text = clean_text(content)
        else:
            content = bytes(content)
            if not content.strip():
                what = "no bytes" if not content else "only whitespace"
                return _result(url=url, hostname=_hostname(url), status="empty",
                               error=f"empty document ({what})")
            if reason := _binary_reason(content, content_type):
                return _result(url=url, hostname=_hostname(url), status="not_html", error=reason)
            decoded_text = decode_bytes(content, content_type=content_type).text
        if not decoded_text.strip():
            return _result(url=url, hostname=_hostname(url), status="empty",
                           error="empty document (no text after decoding)")
        if is_text_dump(decoded_text, content_type=content_type, path_hint=path_hint):
            return _extract_text_dump(decoded_text, url=url, retrieved=retrieved)
        return extract_html(decoded_text, url=url, retrieved=retrieved, options=options)
    except Exception as exc:  # a bad page must never stop the run
        logger.warning("extraction failed for %s: %s", url or path_hint or "a document",
                       _summarise(exc), exc_info=logger.isEnabledFor(logging.DEBUG))
        return _result(url=url, hostname=_hostname(url), status="error", error=_summarise(exc))
