"""Dates: parse them, say where they came from, reject impossible ones.

The sources a date can come from, in the order extraction trusts them
(``schema.DATE_SOURCES``):

``json-ld``
    ``datePublished`` (then ``dateCreated``) of the article's JSON-LD object;
``meta``
    ``article:published_time``, ``og:published_time``, ``dc.date``,
    ``parsely-pub-date``, ``sailthru.date``, ``itemprop=datePublished`` ...;
``url``
    ``/2016/04/07/``, ``/2016-04-07/``, ``/20160407/`` in the URL;
``text``
    a ``<time>`` beside the headline, or where htmldate looked when the page
    states nothing (``resolve_date`` attributes its day);
``header``
    the header lines of a plain-text dump ("Updated: 2016-04-07 02:54").

``toolkit.extract.pubdates`` decides a page's publication date from these.
Dates keep the publisher's wall-clock time (the timezone offset is dropped, so
the day is the day printed on the page). ``check_date`` rejects dates after
the capture time (or now) and before 1990.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

logger = logging.getLogger(__name__)

#: Dates before this are treated as errors (the web barely existed).
EARLIEST = datetime(1990, 1, 1)
#: Slack for dates after the capture time: the publisher's clock may be up to
#: 14 hours ahead of UTC, and wall-clock times are kept.
FUTURE_SLACK = timedelta(hours=14)

#: Meta names/properties/itemprops that carry the publication date, best first.
PUBLISHED_META: tuple[str, ...] = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "article.published",
    "published_time",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "publication_date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.issued",
    "dcterms.created",
    "date",
    "article_date_original",
    "cxenseparse:recs:publishtime",
    "originalpublicationdate",
    "citation_publication_date",
    "citation_date",
    "bt:pubdate",
    "displaydate",
)
#: ... and the ones that carry a modification date (``date_modified``, never ``date``).
MODIFIED_META: tuple[str, ...] = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "lastmod",
    "last-modified",
    "dcterms.modified",
    "article.updated",
)

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january", "janvier", "januar", "enero", "gennaio", "janeiro", "jänner"),
            ("feb", "february", "février", "fevrier", "februar", "febrero", "febbraio",
             "fevereiro"),
            ("mar", "march", "mars", "märz", "marzo", "março", "maerz"),
            ("apr", "april", "avril", "abril", "aprile"),
            ("may", "mai", "mayo", "maggio", "maio"),
            ("jun", "june", "juin", "juni", "junio", "giugno", "junho"),
            ("jul", "july", "juillet", "juli", "julio", "luglio", "julho"),
            ("aug", "august", "août", "aout", "agosto"),
            ("sep", "sept", "september", "septembre", "septiembre", "settembre", "setembro"),
            ("oct", "october", "octobre", "oktober", "octubre", "ottobre", "outubro"),
            ("nov", "november", "novembre", "noviembre", "novembro"),
            ("dec", "december", "décembre", "decembre", "dezember", "diciembre", "dicembre",
             "dezembro"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_RE = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
_TIME = (
    r"(?:[T\s,]+(?:at\s+)?(?P<H>\d{1,2})[:.h](?P<M>\d{2})(?::(?P<S>\d{2}))?(?:\.\d+)?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?)?"
)
_ISO = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)" + _TIME,
    re.IGNORECASE,
)
_CJK = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
    r"(?:\s*(?P<H>\d{1,2})[:：](?P<M>\d{2}))?"
)
_MONTH_FIRST = re.compile(
    rf"\b(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{{2}})\b"
    + _TIME,
    re.IGNORECASE,
)
_DAY_FIRST = re.compile(
    rf"(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th|er)?\.?\s+(?:de\s+)?(?P<mon>{_MONTH_RE})\.?,?\s+"
    rf"(?:de\s+)?(?P<y>(?:19|20)\d{{2}})\b" + _TIME,
    re.IGNORECASE,
)
_NUMERIC = re.compile(
    r"(?<![\d.])(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d{2})(?!\d)"
    + _TIME,
    re.IGNORECASE,
)
_URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)"
)
_DATE_LABEL = re.compile(
    r"\b(?:last\s+)?(?:updated?|published|posted|modified|created|date[d]?|time|on|at|"
    r"am|pm|gmt|utc|[a-z]{2,4}t|aktualisiert|veröffentlicht|stand|publié|mis\s+à\s+jour|le|"
    r"actualizado|publicado|el|de)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateFound:
    """A date and where it came from.

    Attributes
    ----------
    value : datetime or None
        Naive wall-clock time of the publisher; None when no plausible date.
    source : str or None
        One of ``schema.DATE_SOURCES`` or None.
    """

    value: datetime | None
    source: str | None


def _build(y: str, m: int | str, d: str, match: re.Match) -> datetime | None:
    hour = minute = second = 0
    groups = match.groupdict()
    if groups.get("H") is not None:
        hour, minute = int(groups["H"]), int(groups["M"])
        second = int(groups["S"]) if groups.get("S") else 0
        ampm = (groups.get("ampm") or "").lower().replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
    try:
        return datetime(int(y), int(m), int(d), hour, minute, second)
    except ValueError:
        try:
            return datetime(int(y), int(m), int(d))
        except ValueError:
            return None


def parse_date(text: str | None) -> datetime | None:
    """Return the first date written in ``text``, with its time of day if given.

    Understands ISO 8601 (with or without time and offset), ``2016/04/07``,
    ``2016年4月7日``, "April 7, 2016 2:54 PM", "7 April 2016 02.54", "7. März
    2016", "7 de abril de 2016", and numeric ``07.04.2016`` (day first) or
    ``04/07/2016`` (month first unless the first number exceeds 12).

    Parameters
    ----------
    text : str or None
        A metadata value or a line of text.

    Returns
    -------
    datetime or None
        A naive datetime (a timezone offset is dropped, keeping the written
        wall-clock time), or None when no date is found.
    """
    if not text:
        return None
    text = text.strip()
    if len(text) >= 10 and text[4:5] == "-" and text[:4].isdigit():
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
        except ValueError:
            pass
    for pattern in (_ISO, _CJK):
        if match := pattern.search(text):
            return _build(match["y"], match["m"], match["d"], match)
    for pattern in (_MONTH_FIRST, _DAY_FIRST):
        if match := pattern.search(text):
            return _build(match["y"], _MONTHS[match["mon"].lower().rstrip(".")], match["d"], match)
    if match := _NUMERIC.search(text):
        a, b = int(match["a"]), int(match["b"])
        day, month = (a, b) if match["sep"] == "." or a > 12 else (b, a)
        return _build(match["y"], month, str(day), match)
    return None


def reads_two_ways(text: str) -> bool:
    """Return whether the numeric date in ``text`` could be either of two days.

    "02/10/2020" is 2 October or February 10 (``parse_date`` guesses month
    first); "14/10/2020" (no month 14), "02.10.2020" (dotted: day first) and
    "05/05/2020" read one way.

    Parameters
    ----------
    text : str
        A line or value holding a date.

    Returns
    -------
    bool
    """
    match = _NUMERIC.search(text)
    if match is None or match["sep"] == ".":
        return False
    a, b = int(match["a"]), int(match["b"])
    return a != b and a <= 12 and b <= 12


def is_date_line(line: str) -> bool:
    """Return whether ``line`` is a dateline: a date plus at most a label ("Updated: ...").

    Parameters
    ----------
    line : str
        One line of a text dump.

    Returns
    -------
    bool
        True for "Updated: 2016-04-07 02:54", "Published 7 April 2016, 10:30 BST",
        "Thursday, April 7, 2016"; False for prose that merely mentions a date.
    """
    if len(line) > 80 or parse_date(line) is None:
        return False
    rest = line
    for pattern in (_ISO, _CJK, _MONTH_FIRST, _DAY_FIRST, _NUMERIC):
        rest = pattern.sub(" ", rest)
    rest = _weekdays().sub(" ", _DATE_LABEL.sub(" ", rest))
    return sum(ch.isalpha() for ch in rest) <= 3


#: Languages whose weekday names may stand beside a date ("Jueves 21 abril, 2022").
WEEKDAY_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "pl", "nl", "cs")


@functools.cache
def _weekdays() -> re.Pattern:
    """Weekday names, full and abbreviated, in ``WEEKDAY_LANGUAGES`` (from Babel's CLDR data)."""
    from babel import Locale

    names: set[str] = set()
    for code in WEEKDAY_LANGUAGES:
        days = Locale.parse(code).days
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                names.update(n.casefold().rstrip(".") for n in days[context][width].values())
    names = {n for n in names if len(n) >= 2}
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)\.?", re.IGNORECASE)


def url_date(url: str | None) -> date | None:
    """Return the date in a URL path (``/2016/04/07/``, ``/2016-04-07-``, ``/20160407/``)."""
    if not url:
        return None
    match = _URL_DATE.search(url)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def check_date(value: datetime | None, *, retrieved: datetime | None = None,
               where: str = "") -> datetime | None:
    """Return ``value`` if it is a plausible publication date, else None (logged).

    Parameters
    ----------
    value : datetime or None
        A candidate date.
    retrieved : datetime or None
        When the page was captured or fetched; None means now. Aware datetimes
        are compared in UTC.
    where : str
        Names the document in the log message.

    Returns
    -------
    datetime or None
        ``value``, or None when it is before 1990 or after ``retrieved``
        (with ``FUTURE_SLACK``), the reason logged at INFO level.
    """
    if value is None:
        return None
    if retrieved is None:
        limit = datetime.now(UTC).replace(tzinfo=None)
    elif retrieved.tzinfo is not None:
        limit = retrieved.astimezone(UTC).replace(tzinfo=None)
    else:
        limit = retrieved
    naive = value.replace(tzinfo=None)
    if naive < EARLIEST:
        logger.info("date %s of %s is before %d: set to None", naive, where or "a page",
                    EARLIEST.year)
        return None
    if naive > limit + FUTURE_SLACK:
        logger.info("date %s of %s is after its capture time %s: set to None", naive,
                    where or "a page", limit)
        return None
    return naive


def resolve_date(
    found: str | date | datetime | None,
    *,
    json_ld: Iterable[datetime] = (),
    meta: Iterable[datetime] = (),
    url: str | None = None,
    retrieved: datetime | None = None,
    where: str = "",
) -> DateFound:
    """Attribute the day an extractor found to its source and add the time of day.

    Parameters
    ----------
    found : str, date, datetime or None
        The date trafilatura/htmldate returned (``"YYYY-MM-DD"``).
    json_ld, meta : iterable of datetime
        Candidates from ``json_ld_dates`` and ``meta_dates``.
    url : str or None
        The page URL.
    retrieved : datetime or None
        Capture or fetch time, for ``check_date``.
    where : str
        Names the document in log messages.

    Returns
    -------
    DateFound
        The first candidate on the same day (``json-ld``, then ``meta``, then
        ``url``), or the day itself with source ``text``; ``DateFound(None,
        None)`` when nothing was found or the date is impossible.
    """
    if found is None or found == "":
        return DateFound(None, None)
    if isinstance(found, datetime):
        day = found.date()
        value = found.replace(tzinfo=None)
    elif isinstance(found, date):
        day = found
        value = datetime(found.year, found.month, found.day)
    else:
        value = parse_date(str(found))
        if value is None:
            return DateFound(None, None)
        day = value.date()
    source = "text"
    for name, candidates in (("json-ld", json_ld), ("meta", meta)):
        match = next((c for c in candidates if c.date() == day), None)
        if match is not None:
            value, source = match, name
            break
    else:
        if url_date(url) == day:
            source = "url"
    checked = check_date(value, retrieved=retrieved, where=where)
    return DateFound(checked, source if checked is not None else None)
