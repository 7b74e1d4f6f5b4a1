"""Turn one document's bytes into article fields.

``extract_page`` is called once per document (inside worker processes by
``toolkit.ingest.read``). It decides what the bytes are, then:

- binary data (PDF, images, archives, many control bytes) -> ``not_html``;
- a plain-text dump of a page -> ``toolkit.extract.textdump.parse_text_dump``;
- HTML -> decoded by ``toolkit.extract.decode`` (declared charset, then detection, one
  bad byte costs one character), parsed once, scanned for the page's own
  metadata (``<title>``, ``<h1>``, meta tags, JSON-LD), and handed as a tree
  to ``trafilatura.bare_extraction`` for the main text and its metadata. Then
  the title is repaired (``toolkit.extract.titles``), bylines cleaned
  (``toolkit.extract.bylines``), the date attributed and checked (``toolkit.extract.dates``),
  and the language decided (``toolkit.extract.language``).

It never raises on any bytes: a failure becomes ``status="error"`` with a
readable ``error``. Bad *options* do raise ``ValueError`` at once.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from toolkit.extract.bylines import clean_authors
from toolkit.extract.dates import check_date, json_ld_dates, meta_dates, resolve_date
from toolkit.extract.decode import clean_text, decode_bytes, sniff_binary
from toolkit.extract.language import detect_language, normalize_language
from toolkit.extract.textdump import count_words, is_prose, parse_text_dump
from toolkit.extract.titles import choose_sitename, choose_title, is_site_part, name_key, site_keys

logger = logging.getLogger(__name__)

#: The keys of the dict ``extract_page`` returns, in order.
RESULT_KEYS: tuple[str, ...] = (
    "title",
    "authors",
    "date",
    "date_source",
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
_LD_TYPES_ARTICLE = ("article", "posting", "report", "newsarticle", "webpage", "creativework")


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


@dataclass
class PageInfo:
    """What a page says about itself, read from its tree in one pass.

    Attributes
    ----------
    title_tag : str or None
        The ``<title>`` text.
    h1 : list of str
        Texts of the first ``<h1>`` elements.
    meta : dict
        Lowercased meta ``name``/``property``/``itemprop``/``http-equiv`` ->
        the first non-empty ``content``.
    json_ld : list of dict
        JSON-LD objects (``@graph`` flattened).
    html_lang : str or None
        The ``lang`` attribute of ``<html>``.
    """

    title_tag: str | None = None
    h1: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    json_ld: list[dict] = field(default_factory=list)
    html_lang: str | None = None

    def references(self) -> list[str]:
        """Statements of the title besides ``<title>`` and ``<h1>``: JSON-LD, og, twitter."""
        found = [obj["headline"] for obj in self.article_objects()
                 if isinstance(obj.get("headline"), str)]
        for key in ("og:title", "twitter:title", "dc.title"):
            if value := self.meta.get(key):
                found.append(value)
        return [" ".join(h.split()) for h in found if h and h.strip()]

    def article_objects(self) -> list[dict]:
        """JSON-LD objects that describe the article (or, failing that, the page)."""
        return [o for o in self.json_ld if _is_article_type(o.get("@type"))]

    def site_names(self) -> list[str]:
        """The site's name as the page states it: og:site_name, application-name, publisher."""
        names = [self.meta.get(k) for k in ("og:site_name", "application-name", "publisher",
                                             "twitter:site", "dc.publisher", "source")]
        for obj in self.article_objects():
            publisher = obj.get("publisher")
            if isinstance(publisher, list) and publisher:
                publisher = publisher[0]
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                names.append(publisher["name"])
        names.extend(o["name"] for o in self.json_ld
                     if o.get("@type") in ("WebSite", "Organization", "NewsMediaOrganization")
                     and isinstance(o.get("name"), str))
        return [n.strip() for n in names if n and n.strip()]

    def author_names(self) -> list[str]:
        """Author names as written in meta tags and JSON-LD (punctuation intact)."""
        names: list[str] = []
        for key in ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author"):
            if (value := self.meta.get(key)) and not value.startswith("http"):
                names.append(value)
        for obj in self.article_objects():
            authors = obj.get("author")
            for author in authors if isinstance(authors, list) else [authors]:
                if isinstance(author, dict) and isinstance(author.get("name"), str):
                    names.append(author["name"])
                elif isinstance(author, str):
                    names.append(author)
        return names

    def declared_language(self) -> str | None:
        """The language the page declares (html lang, then meta tags)."""
        for value in (self.html_lang, self.meta.get("content-language"),
                      self.meta.get("og:locale"), self.meta.get("language"),
                      self.meta.get("dc.language")):
            if code := normalize_language(value):
                return code
        return None


def _is_article_type(value: Any) -> bool:
    values = value if isinstance(value, list) else [value]
    return any(isinstance(v, str) and v.lower().endswith(_LD_TYPES_ARTICLE) for v in values)


def _flatten_ld(data: Any, out: list[dict], depth: int = 0) -> None:
    if depth > 3 or len(out) > 50:
        return
    if isinstance(data, list):
        for item in data:
            _flatten_ld(item, out, depth + 1)
    elif isinstance(data, dict):
        out.append(data)
        if "@graph" in data:
            _flatten_ld(data["@graph"], out, depth + 1)
        main = data.get("mainEntity") or data.get("mainEntityOfPage")
        if isinstance(main, dict) and main.get("@type"):
            _flatten_ld(main, out, depth + 1)


def _norm_ws(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split())
    return text or None


def scan_page(tree) -> PageInfo:
    """Read a page's own metadata from its parsed tree, without modifying it.

    Parameters
    ----------
    tree : lxml.html.HtmlElement
        The parsed page.

    Returns
    -------
    PageInfo
        Title tag, h1 texts, meta tags, JSON-LD objects and html lang.
    """
    info = PageInfo(html_lang=tree.get("lang") or tree.get("xml:lang"))
    for element in tree.iter("title", "meta", "h1", "script"):
        tag = element.tag
        if tag == "meta":
            content = element.get("content")
            if not content or not content.strip():
                continue
            for attr in ("property", "name", "itemprop", "http-equiv"):
                key = element.get(attr)
                if key:
                    info.meta.setdefault(key.strip().lower(), content.strip())
        elif tag == "h1":
            if len(info.h1) < 5 and (text := _norm_ws(element.text_content())):
                info.h1.append(text)
        elif tag == "title":
            if info.title_tag is None and (text := _norm_ws(element.text_content())):
                info.title_tag = text
        elif "ld+json" in (element.get("type") or "").lower() and element.text:
            try:
                _flatten_ld(json.loads(element.text), info.json_ld)
            except (ValueError, RecursionError):
                logger.debug("unreadable JSON-LD skipped")
    return info


def _result(**fields: Any) -> dict:
    out = {key: None for key in RESULT_KEYS}
    out.update(authors=[], categories=[], tags=[], text="")
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


def _as_list(value: Any) -> list[str]:
    """Categories/tags as a list; "a, b, c" strings (meta keywords) are split."""
    if not value:
        return []
    if isinstance(value, str):
        value = [value]
    items = [part.strip() for v in value if v for part in str(v).split(",")]
    return list(dict.fromkeys(item for item in items if item))


def _restore_author_punctuation(names: list[str], raw: list[str], **site: str | None) -> list[str]:
    """Put back the dots and hyphens trafilatura strips ("Leah C Stokes" -> "Leah C. Stokes")."""
    if not names or not raw:
        return names
    written: dict[str, str] = {}
    for name in clean_authors(raw, **site):
        written.setdefault(name_key(name), name)
    return [written.get(name_key(n), n) for n in names]


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
    from trafilatura import bare_extraction

    tree = _load_tree(html)
    if tree is None:
        return _result(url=url, hostname=_hostname(url), status="not_html",
                       error="no HTML structure found (lxml could not build a tree)")
    info = scan_page(tree)
    doc = bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        fast=options.fast,
        favor_precision=options.favor_precision,
        favor_recall=options.favor_recall,
        # comments on: trafilatura then separates them from the main text
        # (off, it prunes comment-like sections and loses article text)
        include_comments=True,
        include_tables=options.include_tables,
    )
    get = (lambda name: getattr(doc, name, None)) if doc is not None else (lambda name: None)

    page_url = get("url") or url
    hostname = get("hostname") or _hostname(page_url)
    sitename = choose_sitename(get("sitename"), stated=info.site_names(), hostname=hostname)
    site = {"sitename": sitename, "hostname": hostname}
    title = choose_title(
        get("title"), title_tag=info.title_tag, headlines=info.h1,
        references=info.references(), sitename=_trusted_sitename(sitename, info, hostname),
        hostname=hostname,
    )
    author_value = get("author")
    authors = clean_authors(author_value.split("; ") if author_value else None, **site)
    authors = _restore_author_punctuation(authors, info.author_names(), **site)

    jl_dates = json_ld_dates(info.article_objects() or info.json_ld)
    mt_dates = meta_dates(info.meta)
    found = get("date")
    if doc is None:  # no main text: still say when the page claims to be from
        found = next(iter(jl_dates + mt_dates), None)
    dated = resolve_date(found, json_ld=jl_dates, meta=mt_dates, url=page_url,
                         retrieved=retrieved, where=page_url or "page")

    text = _clean_paragraphs(get("text"))
    comments = _clean_paragraphs(get("comments")) if options.include_comments else ""
    status, error = "ok", None
    if not text:
        status, error = "empty", "no main text found in the page"
    elif _is_navigation(text, tree):
        status = "empty"
        error = "no article text found (the page holds only navigation or link lists)"
        text = ""
    language = detect_language(text or title, declared=info.declared_language())
    if status == "ok" and options.target_language and language != options.target_language:
        status = "empty"
        error = f"language is {language!r}, not the target language {options.target_language!r}"
        text = comments = ""
    if comments and status == "ok":
        text = f"{text}\n{comments}"

    return _result(
        title=title,
        authors=authors,
        date=dated.value,
        date_source=dated.source,
        url=page_url,
        hostname=hostname,
        sitename=sitename,
        language=language,
        description=_norm_ws(get("description") or info.meta.get("description")),
        categories=_as_list(get("categories")),
        tags=_as_list(get("tags")),
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
        ``title`` (str or None), ``authors`` (list of str), ``date``
        (naive datetime, the publisher's wall-clock time, or None),
        ``date_source`` (one of ``schema.DATE_SOURCES`` or None), ``url``,
        ``hostname``, ``sitename``, ``language`` (ISO 639-1), ``description``,
        ``categories`` (list), ``tags`` (list), ``text`` (paragraphs joined by
        ``"\\n"``), ``status`` (``"ok"``, ``"empty"``, ``"not_html"`` or
        ``"error"``) and ``error`` (a readable message, or None when ok).

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
