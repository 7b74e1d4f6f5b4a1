"""What a page says about itself, read from its tree in one pass.

``scan_page`` walks the parsed page once and keeps what the metadata repairs
need: ``<title>``, the ``<h1>`` headlines, meta tags, JSON-LD objects, the
canonical URL, ``rel=author`` links, byline elements (class, id or itemprop
naming an author or byline), and ``<time>`` elements with what they say they
are (published or updated) and where they stand relative to the headline.
It never modifies the tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from toolkit.extract import jsonld
from toolkit.extract.language import normalize_language

#: Class/id/itemprop words that mark a byline element ...
_BYLINE_HINT = re.compile(
    r"byline|author|autor|auteur|writer|reporter|journalist|redakteur|firma|signature|"
    r"contributor|credit",
    re.IGNORECASE,
)
# ... unless they mark a comment, a biography box, a picture or a link list
_NOT_BYLINE_HINT = re.compile(
    r"comment|bio\b|bio[-_]|biography|desc|about|avatar|image|img|photo|picture|thumb|social|"
    r"twitter|follow|more|related|list|popup|modal|tooltip|authority|contact|email|"
    r"caption|copyright|footer|site-info|credits|powered",
    re.IGNORECASE,
)
_PUBLISHED_HINT = re.compile(r"publi|pubdate|posted|created|erschienen|datum|fecha|date-pub",
                             re.IGNORECASE)
_MODIFIED_HINT = re.compile(r"updat|modif|aktualisiert|actualiz|mis-a-jour|edited", re.IGNORECASE)
_MARGIN_TAGS = frozenset({"aside", "footer", "nav"})
_CONTENT_TAGS = frozenset({"article", "main", "body", "html"})
# class or id words that start a margin block ("comments", "related-posts", "sidebar")
_MARGIN_HINT = re.compile(r"(?:^|\s)(?:comment|sidebar|related|recommend|footer|disqus|"
                          r"teaser|promo|most-?(?:read|popular)|more-?stories)", re.IGNORECASE)
#: Longer texts are not bylines but paragraphs or biographies.
MAX_BYLINE_CHARS = 160
_MAX_BYLINES = 20
_MAX_TIMES = 20
_MAX_HEADLINES = 5
#: Meta properties that a page states once per value (one tag per element).
REPEATED_META = frozenset({"article:tag", "article:section", "citation_author", "dc.creator"})


@dataclass(frozen=True)
class TimeElement:
    """A ``<time>`` (or ``itemprop`` date) element.

    Attributes
    ----------
    value : str
        Its ``datetime``/``content`` attribute, else its text.
    text : str
        Its visible text.
    kind : str
        ``"published"``, ``"modified"`` or ``""`` (unsaid), from its itemprop,
        class, id and ``pubdate`` attribute.
    position : int
        Its rank among the page's elements (compare with ``PageInfo.h1_position``).
    """

    value: str
    text: str
    kind: str
    position: int


@dataclass
class PageInfo:
    """What a page says about itself.

    Attributes
    ----------
    title_tag : str or None
        The ``<title>`` text.
    h1 : list of str
        Texts of the first ``<h1>`` elements.
    h1_position : int or None
        The rank of the first ``<h1>`` among the page's elements.
    h2 : list of str
        Texts of the first ``<h2>`` elements (some pages set their headline in one).
    h2_position : int or None
        The rank of the first ``<h2>`` among the page's elements.
    meta : dict
        Lowercased meta ``name``/``property``/``itemprop``/``http-equiv`` ->
        the first non-empty ``content``.
    json_ld : list of dict
        JSON-LD objects (``@graph`` flattened).
    html_lang : str or None
        The ``lang`` attribute of ``<html>``.
    canonical : str or None
        ``<link rel="canonical">``'s URL.
    author_links : list of (str, int)
        Texts of ``rel="author"`` links, with their rank among the page's elements.
    bylines : list of (str, int)
        Texts of byline elements (class/id/itemprop naming an author), short ones
        only, with their rank.
    times : list of TimeElement
        ``<time>`` elements and elements with a date ``itemprop``.
    repeated : dict
        Every value of the meta properties a page repeats (``REPEATED_META``).
    """

    title_tag: str | None = None
    h1: list[str] = field(default_factory=list)
    h1_position: int | None = None
    h2: list[str] = field(default_factory=list)
    h2_position: int | None = None
    meta: dict[str, str] = field(default_factory=dict)
    json_ld: list[dict] = field(default_factory=list)
    html_lang: str | None = None
    canonical: str | None = None
    author_links: list[tuple[str, int]] = field(default_factory=list)
    bylines: list[tuple[str, int]] = field(default_factory=list)
    times: list[TimeElement] = field(default_factory=list)
    repeated: dict[str, list[str]] = field(default_factory=dict)

    def article_objects(self) -> list[dict]:
        """JSON-LD objects that describe the article (or, failing that, the page)."""
        return jsonld.article_objects(self.json_ld)

    def references(self) -> list[str]:
        """Statements of the title besides ``<title>`` and ``<h1>``: JSON-LD, og, twitter."""
        found = [obj["headline"] for obj in self.article_objects()
                 if isinstance(obj.get("headline"), str)]
        for key in ("og:title", "twitter:title", "dc.title"):
            if value := self.meta.get(key):
                found.append(value)
        return [" ".join(h.split()) for h in found if h and h.strip()]

    def description(self) -> str | None:
        """The page's summary of itself: og, meta or twitter description."""
        for key in ("og:description", "description", "twitter:description"):
            if value := self.meta.get(key):
                return " ".join(value.split())
        return None

    def site_names(self) -> list[str]:
        """The site's name as the page states it: og:site_name, application-name, publisher."""
        names = [self.meta.get(k) for k in ("og:site_name", "application-name", "publisher",
                                             "twitter:site", "dc.publisher", "source")]
        names.extend(jsonld.publisher_names(self.json_ld))
        return [n.strip() for n in names if n and n.strip()]

    def declared_language(self) -> str | None:
        """The language the page declares (html lang, then meta tags)."""
        for value in (self.html_lang, self.meta.get("content-language"),
                      self.meta.get("og:locale"), self.meta.get("language"),
                      self.meta.get("dc.language")):
            if code := normalize_language(value):
                return code
        return None


def _norm_ws(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split())
    return text or None


def _time_kind(element, hints: str) -> str:
    itemprop = (element.get("itemprop") or "").lower()
    if itemprop in ("datepublished", "datecreated") or element.get("pubdate") is not None:
        return "published"
    if itemprop == "datemodified":
        return "modified"
    if _MODIFIED_HINT.search(hints):
        return "modified"
    if _PUBLISHED_HINT.search(hints):
        return "published"
    return ""


def _time_context(element) -> str:
    """Class and id of the element and its parent: "updated" is often said one level up."""
    parent = element.getparent()
    bits = [element.get("class"), element.get("id")]
    if parent is not None:
        bits += [parent.get("class"), parent.get("id")]
        if parent.text and len(parent.text) < 40:
            bits.append(parent.text)  # "Updated: <time>...</time>"
    previous = element.getprevious()
    if previous is not None and previous.tail is None and previous.text and len(previous.text) < 40:
        bits.append(previous.text)
    return " ".join(b for b in bits if b)


def _in_margin(element) -> bool:
    """Whether an element stands in an aside, footer, navigation, comment thread or related
    list (the authors named there wrote other things), looking up to the enclosing
    ``<article>``, ``<main>`` or ``<body>`` (whose classes describe the whole page)."""
    for ancestor in element.iterancestors():
        tag = ancestor.tag
        if tag in _MARGIN_TAGS:
            return True
        if tag in _CONTENT_TAGS:
            return False
        hints = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"
        if hints.strip() and _MARGIN_HINT.search(hints):
            return True
    return False


def scan_page(tree) -> PageInfo:
    """Read a page's own metadata from its parsed tree, without modifying it.

    Parameters
    ----------
    tree : lxml.html.HtmlElement
        The parsed page.

    Returns
    -------
    PageInfo
        Title tag, headlines, meta tags, JSON-LD objects, html lang, canonical
        URL, author links, bylines and time elements.
    """
    info = PageInfo(html_lang=tree.get("lang") or tree.get("xml:lang"))
    position = 0
    for element in tree.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        position += 1
        if tag == "meta":
            content = element.get("content")
            if not content or not content.strip():
                continue
            for attr in ("property", "name", "itemprop", "http-equiv"):
                key = element.get(attr)
                if key:
                    key = key.strip().lower()
                    info.meta.setdefault(key, content.strip())
                    if key in REPEATED_META:
                        info.repeated.setdefault(key, []).append(content.strip())
            continue
        if tag == "script":
            if "ld+json" in (element.get("type") or "").lower() and element.text:
                jsonld.parse_script(element.text, info.json_ld)
            continue
        if tag in ("style", "noscript", "template"):
            continue
        if tag in ("h1", "h2"):  # info.h1 / info.h2 and their first positions
            if getattr(info, f"{tag}_position") is None:
                setattr(info, f"{tag}_position", position)
            texts = getattr(info, tag)
            if len(texts) < _MAX_HEADLINES and (text := _norm_ws(element.text_content())):
                texts.append(text)
            continue
        if tag == "title":
            if info.title_tag is None and (text := _norm_ws(element.text_content())):
                info.title_tag = text
            continue
        if tag == "link":
            rel = (element.get("rel") or "").lower()
            if rel == "canonical" and info.canonical is None and element.get("href"):
                info.canonical = element.get("href").strip()
            continue
        itemprop = (element.get("itemprop") or "").lower()
        if tag == "time" or itemprop in ("datepublished", "datemodified", "datecreated"):
            if len(info.times) < _MAX_TIMES:
                value = element.get("datetime") or element.get("content") or ""
                text = _norm_ws(element.text_content()) or ""
                if value or text:
                    info.times.append(TimeElement(value.strip() or text, text,
                                                  _time_kind(element, _time_context(element)),
                                                  position))
            if tag == "time":
                continue
        if (tag == "a" and "author" in (element.get("rel") or "").lower().split()
                and not _in_margin(element)):
            if (text := _norm_ws(element.text_content())) and len(text) <= MAX_BYLINE_CHARS:
                info.author_links.append((text, position))
            continue
        if len(info.bylines) >= _MAX_BYLINES:
            continue
        # data-testid/data-component name parts where class names are generated ("QHbl nkdH")
        hints = " ".join(filter(None, (element.get("class"), element.get("id"), itemprop,
                                       element.get("rel"), element.get("data-testid"),
                                       element.get("data-component"))))
        if (hints and _BYLINE_HINT.search(hints) and not _NOT_BYLINE_HINT.search(hints)
                and not _in_margin(element)):
            # pieces joined with spaces: "<span>By</span><a>J.R. Stone</a>" is no "ByJ.R."
            text = _norm_ws(" ".join(element.itertext()))
            if text and len(text) <= MAX_BYLINE_CHARS:
                info.bylines.append((text, position))
    return info
