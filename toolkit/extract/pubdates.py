"""When a page was published (and last updated), from what the page states.

A page states its dates in several places: JSON-LD ``datePublished`` /
``dateModified``, meta tags (``article:published_time``,
``article:modified_time``, ...), ``<time>`` elements labelled published or
updated (unlabelled ones only near the headline), and its URL
(``/2016/04/07/``). ``page_dates`` collects the
publication statements and takes the **earliest credible** one (an article
republished or updated keeps the day it first appeared; a date after the
capture or before 1990 is not credible), keeping the wall-clock time the page
prints (no UTC conversion: ``2018-06-12T23:00:00Z`` is the 12th). Modification
statements give ``date_modified`` and never the publication date. A page
that states no publication date at all may print it as a line of its own
under the headline ("January 22, 2014"; a numeric date that reads two ways is
not taken); failing that htmldate is asked (its search of the page's text and
markup is the slow part of date extraction).
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from toolkit.extract import jsonld
from toolkit.extract.blocks import elements_after
from toolkit.extract.dates import (
    MODIFIED_META,
    PUBLISHED_META,
    check_date,
    is_date_line,
    parse_date,
    reads_two_ways,
    resolve_date,
    url_date,
)
from toolkit.extract.pageinfo import PageInfo, TimeElement

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageDates:
    """A page's publication and modification dates.

    Attributes
    ----------
    published : datetime or None
        Naive wall-clock time of first publication.
    source : str or None
        Where ``published`` came from (``schema.DATE_SOURCES``).
    modified : datetime or None
        The last update the page states, when later than ``published``.
    """

    published: datetime | None
    source: str | None
    modified: datetime | None


_UTC = re.compile(r"(?:Z|[+-]00:?00)$")


def _parsed(values: list[str | None]) -> list[datetime]:
    return [d for v in values if v and (d := parse_date(v)) is not None]


def _local(statements: list[tuple[datetime, str, bool]]) -> list[tuple[datetime, str]]:
    """Drop UTC statements that another statement gives in local time (within 14 hours).

    A page that says ``2018-06-13T01:00:00+02:00`` in one place and
    ``2018-06-12T23:00:00Z`` in another shows its readers the 13th: the UTC
    form is a conversion, not the day printed.
    """
    local = [value for value, _, utc in statements if not utc]
    return [(value, source) for value, source, utc in statements
            if not utc or not any(abs(value - other) <= _SLACK and value != other
                                  for other in local)]


def _stated(
    info: PageInfo, shown: TimeElement | None
) -> tuple[list[tuple[datetime, str, bool]], list[datetime]]:
    """(publication statements: value, source, said in UTC; modification statements).

    ``shown`` is the ``<time>`` that dates the article (``_article_time``).
    """
    published: list[tuple[datetime, str, bool]] = []
    modified: list[datetime] = []

    def add(value: str | None, source: str) -> None:
        if value and (parsed := parse_date(value)) is not None:
            published.append((parsed, source, bool(_UTC.search(value.strip()))))

    for obj in info.article_objects():
        value = jsonld.first_string([obj], "datePublished", "dateCreated")
        if value and parse_date(value):  # the first article object that dates itself
            add(value, "json-ld")
            modified.extend(_parsed([jsonld.first_string([obj], "dateModified")]))
            break
    for key in PUBLISHED_META:
        add(info.meta.get(key), "meta")
    modified.extend(_parsed([info.meta.get(k) for k in MODIFIED_META]))
    for element in _near_headline(info):
        if element.kind == "modified":
            modified.extend(_parsed([element.value]))
    # the date shown with the article counts beside the structured ones: a CMS
    # re-saving an old article rewrites those
    if shown is not None:
        add(shown.value, "text")
    return published, modified


def _article_time(info: PageInfo) -> TimeElement | None:
    """The ``<time>`` that dates the article itself, if the page shows one.

    An unlabelled ``<time>`` speaks for the article only near its headline
    (further down such elements date related stories and comments); the first
    one labelled "published" does wherever it is (blogs print it in the
    footer of the post).
    """
    headline_times = _near_headline(info)
    return next((e for e in headline_times if e.kind == "published"),
                next((e for e in info.times if e.kind == "published"),
                     next((e for e in headline_times if e.kind == ""), None)))


def _near_headline(info: PageInfo) -> list:
    """The first three ``<time>`` elements just after the headline (``NEAR_HEADLINE``
    elements at most; from the top of a page without ``<h1>``)."""
    start = info.h1_position or 0
    return [e for e in info.times if start <= e.position <= start + NEAR_HEADLINE][:3]


def _shown_day(value: datetime, element: TimeElement | None) -> datetime:
    """The day the page prints beside its headline, when the stated date is a day off.

    A ``datePublished`` converted to UTC (or written without its offset) can fall
    on the next or previous day; a ``<time>`` near the headline whose text says
    the date as readers see it ("3 de mayo de 2022") is then the day to keep.
    ``element`` is the ``<time>`` that dates the article (``_article_time``).
    """
    if element is None or not element.text:
        return value
    shown = parse_date(element.text)
    if shown is None or shown.date() == value.date():
        return value
    if abs(shown.date() - value.date()) <= timedelta(days=1):
        if shown.time() == datetime.min.time():
            return datetime.combine(shown.date(), datetime.min.time())
        return shown
    return value


def _dateline_under_headline(tree) -> str | None:
    """The text of an element just under the ``<h1>`` that holds nothing but a date.

    "<h1>Top 10 ...</h1><p>January 22, 2014</p>": a page without date markup
    prints its day there. A line saying it was updated is no publication date;
    in a line giving both, the date before "Updated" is.
    """
    headline = next(tree.iter("h1"), None)  # the first <h1>, as info.h1_position counts
    if headline is None:
        return None
    for element in itertools.islice(elements_after(headline), DATELINE_REACH):
        text = " ".join(element.text_content().split())
        if len(text) > MAX_DATELINE_CHARS:
            continue  # a block holding more than a line
        if (updated := _UPDATED.search(text)) is not None:
            # "Published 4:00 PM EST, Mon March 4, 2019 | Updated ...": the part before
            text = text[: updated.start()].strip(" |·•-–—,;")
        if text and len(text) <= MAX_DATE_CHARS and is_date_line(text):
            return None if reads_two_ways(text) else text
    return None


def _htmldate(tree, url: str | None, retrieved: datetime | None) -> str | None:
    from htmldate import find_date

    limit = (retrieved or datetime.now()).strftime("%Y-%m-%d")
    try:
        return find_date(tree, url=url, original_date=True, extensive_search=False,
                         max_date=limit)
    except Exception as exc:  # htmldate on a strange page: no date rather than no article
        logger.debug("htmldate failed: %s", exc)
        return None


def page_dates(
    info: PageInfo,
    tree,
    *,
    url: str | None = None,
    retrieved: datetime | None = None,
    where: str = "",
) -> PageDates:
    """Return the page's publication date (earliest credible statement) and last update.

    Parameters
    ----------
    info : PageInfo
        From ``scan_page``.
    tree : lxml.html.HtmlElement
        The page, for htmldate when the page states no publication date.
    url : str or None
        The page URL (a date in its path is a publication statement).
    retrieved : datetime or None
        Capture time: later dates are not credible (nor dates before 1990).
    where : str
        Names the page in log messages.

    Returns
    -------
    PageDates
    """
    shown_time = _article_time(info)
    statements, modified = _stated(info, shown_time)
    published = _local(statements)
    if (day := url_date(url)) is not None:
        published.append((datetime(day.year, day.month, day.day), "url"))
    credible = [(checked, source) for value, source in published
                if (checked := check_date(value, retrieved=retrieved, where=where)) is not None]
    if credible:
        earliest_day = min(value.date() for value, _ in credible)
        # the same day stated with a time of day (structured sources first) beats a bare day
        same_day = [(v, s) for v, s in credible if v.date() == earliest_day]
        value, source = max(same_day, key=lambda vs: (vs[0].time() != datetime.min.time(),
                                                      -_RANK[vs[1]]))
        value = _shown_day(value, shown_time)
    elif published:  # the page dates itself, impossibly: no date rather than a guess
        value, source = None, None
    elif (line := _dateline_under_headline(tree)) is not None and (
        shown := check_date(parse_date(line), retrieved=retrieved, where=where)
    ) is not None:
        value, source = shown, "text"
    else:
        found = resolve_date(_htmldate(tree, url, retrieved), url=url, retrieved=retrieved,
                             where=where)
        value, source = found.value, found.source
    last = [c for m in modified if (c := check_date(m, retrieved=retrieved, where=where))]
    later = [m for m in last if value is None or m > value]
    return PageDates(value, source, max(later) if later else None)


#: A ``<time>`` further than this many elements after the ``<h1>`` dates something else
#: (related stories, comments).
NEAR_HEADLINE = 100
#: Elements after the ``<h1>`` searched for a line that is only a date; the longest
#: such line (with an "Updated ..." part), and the longest date in it.
DATELINE_REACH = 8
MAX_DATELINE_CHARS = 160
MAX_DATE_CHARS = 80
_UPDATED = re.compile(r"updat|modif|aktualisiert|mis à jour|actualizado|atualizado|aggiornato",
                      re.IGNORECASE)
_RANK = {"json-ld": 0, "meta": 1, "text": 2, "url": 3}
_SLACK = timedelta(hours=14)
