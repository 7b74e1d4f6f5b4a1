"""Who wrote the article: people from the page's statements, agencies apart.

A page names its authors in several places, of unequal trust. In order:

1. JSON-LD ``author`` of the article object: a ``Person`` is an author; an
   ``Organization`` is the outlet (dropped: it is the ``sitename``) or, when it
   is another organisation, goes to ``agencies``;
2. meta tags (``author``, ``article:author``, ``dc.creator``, ``parsely-author``; on
   scholarly pages every ``citation_author`` or ``dc.creator`` tag, one per author);
3. ``rel="author"`` links;
4. byline elements (class, id or itemprop naming an author or byline);
5. byline lines of the extracted text ("By A and B", "Von A und B", "记者 张三").

The first source that yields a person's name after ``bylines.clean_credits``
(no CMS accounts, handles, roles, dates, site names) gives the authors; wire
agencies found in any of them go to ``agencies``. A page without a byline
gets no authors: a wrong name is worse than none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from toolkit.extract import jsonld
from toolkit.extract.bylines import clean_credits, is_agency
from toolkit.extract.pageinfo import PageInfo
from toolkit.extract.titles import is_site_part, name_key, site_keys, title_parts

#: Meta tags that name the author, best first.
AUTHOR_META = ("author", "article:author", "dc.creator", "dcterms.creator", "parsely-author",
               "sailthru.author", "byl", "twitter:creator")
#: Meta tags repeated once per author on scholarly pages (Google Scholar's and Dublin Core's).
SCHOLARLY_META = ("citation_author", "dc.creator")


@dataclass(frozen=True)
class Credits:
    """The people and organisations credited with an article.

    Attributes
    ----------
    authors : list of str
        People, in order.
    agencies : list of str
        Wire agencies and organisations credited as authors (not the site itself).
    source : str or None
        Where the authors came from (``json-ld``, ``meta``, ``rel-author``,
        ``byline``, ``text``), None when there are none.
    """

    authors: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    source: str | None = None


def _meta_authors(info: PageInfo) -> list[str]:
    meta, title_tag = info.meta, info.title_tag
    # scholarly pages: one citation_author (or dc.creator) tag per author, the
    # index's standard; a theme's meta author beside them may be anyone's
    for key in SCHOLARLY_META:
        if values := info.repeated.get(key):
            return values
    values = []
    for key in AUTHOR_META:
        value = meta.get(key)
        if value and not value.startswith(("http://", "https://", "www.")) \
                and not _is_title_suffix(value, title_tag):
            values.append(value)
    return values


def _is_title_suffix(value: str, title_tag: str | None) -> bool:
    """Whether ``value`` is what the ``<title>`` says after the headline: the site.

    A theme that fills ``meta[name=author]`` with the site's name and tagline
    ("Iberische Weine in Berlin - Vinos Y Tapas") repeats the tab title's tail.
    A short value may be a person whose blog carries their name, and stays.
    """
    if len(title_parts(value)) < 2 and len(value.split()) <= 4:
        return False  # could be a person whose blog is named after them ("Post | Jane Doe")
    parts = title_parts(title_tag or "")
    key = name_key(value)
    return bool(key) and any(
        key in (name_key(" ".join(parts[i:])), name_key(parts[i])) for i in range(1, len(parts)))


#: Byline elements and author links this close (in elements) to the first one
#: that names a person belong to the same byline ("By <a>A</a> and <a>B</a>").
SAME_BYLINE = 40


def _first_byline(items: list[tuple[str, int]], start: int | None, clean) -> list[str]:
    """The names of the first byline after the headline (else the first), with its neighbours.

    Pages repeat author elements in related-story lists, comment threads and
    footers; the article's byline is the first one near the headline. One that
    names a person wins; failing that, one crediting only an agency ("By
    Reuters"; a photo credit "AFP" above the byline must not hide the person).
    """
    after = [item for item in items if start is None or item[1] >= start]
    credits = {text: clean([text]) for text, _ in items}  # each text read once
    for wanted in ("authors", "agencies"):
        for group in (after, items):
            for i, (text, position) in enumerate(group):
                if getattr(credits[text], wanted):
                    return [t for t, p in group[i:] if p - position <= SAME_BYLINE]
    return []


def choose_authors(
    info: PageInfo,
    *,
    text_bylines: Iterable[str] = (),
    sitename: str | None = None,
    hostname: str | None = None,
) -> Credits:
    """Return the article's authors (people) and the agencies credited.

    Parameters
    ----------
    info : PageInfo
        From ``scan_page``.
    text_bylines : iterable of str
        Byline lines found at the edges of the extracted text.
    sitename, hostname : str or None
        The site's name and host: an author equal to them is the outlet.

    Returns
    -------
    Credits
    """
    people, organizations = jsonld.credited(info.json_ld)
    keys = site_keys(sitename, hostname)
    agencies = [o for o in organizations
                if is_agency(o) or not (is_site_part(o, keys) or name_key(o) in keys)]
    def clean(values):
        return clean_credits(values, sitename=sitename, hostname=hostname)

    sources = [("json-ld", people), ("meta", _meta_authors(info)),
               ("rel-author", _first_byline(info.author_links, info.h1_position, clean)),
               ("byline", _first_byline(info.bylines, info.h1_position, clean)),
               ("text", list(text_bylines))]
    chosen: list[str] = []
    source = None
    for name, values in sources:
        if not values:
            continue
        credits = clean(values)
        agencies.extend(a for a in credits.agencies
                        if not (is_site_part(a, keys) or name_key(a) in keys))
        people_found = [p for p in credits.authors
                        if not (is_site_part(p, keys) and len(p.split()) == 1)]
        if people_found and not chosen:
            chosen, source = people_found, name
    unique_agencies = list(dict.fromkeys(agencies))
    return Credits(chosen, unique_agencies, source)
