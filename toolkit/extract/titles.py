"""Pick the article's headline rather than the browser tab's title.

``<title>`` (and often ``og:title``) carries the site: "Cooperation sought to
ensure safe G20 - Chinadaily.com.cn", "Site | Headline", "Headline :: Site".
The page also shows its headline in an ``<h1>`` and JSON-LD ``headline``.
``choose_title`` starts from the extractor's title and

1. strips a leading or trailing part that names the site (equal to or
   contained in the site name or host name), but only at an outer
   separator, so titles that legitimately contain " - " keep it;
2. prefers a visible ``<h1>`` headline that says the same thing in other
   words (shares most of its words with the title, ``<title>``, og:title or
   JSON-LD headline), since the headline shown is the article's title and
   the others are often rewritten for search and social media; logos and
   section names in ``<h1>`` share no words and are ignored;
3. if nothing is left, falls back to the first headline.

``opening_headline`` then looks at the body: when it opens with one of the
page's headings that restates the title, or the title is no headline at all
(the site's name, a wiki path), that heading is the article's headline.

``choose_sitename`` prefers the name the page states (og:site_name,
publisher) as written over the extractor's capitalised guess.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

# separators between a headline and the site name: spaced pipes, slashes,
# bullets, guillemets, colons, hyphens and "::"; pipes and typographic dashes
# with space on one side only; "_" as Chinese sites use it
_SEPARATOR = re.compile(
    r"\s+(?:[|/\\·•»«~:]|::|-{1,2}|[–—])\s+|\s*\|\s*|\s*_\s*|\s+[–—]|[–—]\s+"
)
# host labels that are not the site's name
_HOST_LABELS_IGNORED = frozenset(
    "www www1 www2 news blog blogs home mobile amp edition english m en de fr es".split()
)
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"',
                         "–": "-", "—": "-", "\u00a0": " "})
_WORD = re.compile(r"\w+")
_NON_ALNUM = re.compile(r"[\W_]+")
_TRAILING_SEPARATOR = re.compile(r"\s+(?:[|/\\·•»«~:]|::|-{1,2}|[–—])\s*$")

#: Share of a visible headline's words that another statement of the title
#: must share for the headline to be taken as the article's.
MIN_SIMILARITY = 0.5
#: Longer "headlines" are paragraphs set in an h1.
MAX_HEADLINE_CHARS = 300

_GENERIC_PARTS = frozenset({"home", "homepage", "startseite", "accueil", "inicio", "news"})


def _key(text: str) -> str:
    """Compare titles loosely: case, quotes, dashes, spacing and accents-as-composed."""
    text = unicodedata.normalize("NFC", text).translate(_QUOTES).casefold()
    return " ".join(text.split()).strip(" .")


def name_key(text: str) -> str:
    """Return ``text`` casefolded with everything but letters and digits removed.

    Used to compare names however they are spelled: "Harper's Magazine" ->
    ``"harpersmagazine"``, "chinadaily.com.cn" -> ``"chinadailycomcn"``.
    """
    return _NON_ALNUM.sub("", text.casefold())


@functools.lru_cache(maxsize=1024)
def site_keys(sitename: str | None, hostname: str | None) -> tuple[str, ...]:
    """Return the forms a site's name takes inside titles, as alphanumeric keys.

    Parameters
    ----------
    sitename : str or None
        The site's stated name ("China Daily").
    hostname : str or None
        Its host ("www.chinadaily.com.cn").

    Returns
    -------
    tuple of str
        Keys such as ``"chinadaily"``, ``"chinadailycomcn"``; keys shorter
        than 3 characters are left out.
    """
    keys: list[str] = []
    if sitename:
        keys.append(name_key(sitename))
    if hostname:
        host = hostname.lower().removeprefix("www.")
        labels = host.split(".")
        keys.append(name_key(host))
        keys.extend(name_key(label) for label in labels[:-1]
                    if len(label) > 3 and label not in _HOST_LABELS_IGNORED)
    return tuple(k for k in dict.fromkeys(keys) if len(k) >= 3)


def is_site_part(part: str, keys: Iterable[str]) -> bool:
    """Return whether a title segment names the site.

    Parameters
    ----------
    part : str
        A segment of a title ("Chinadaily.com.cn", "The Japan Times").
    keys : iterable of str
        From ``site_keys``.

    Returns
    -------
    bool
        True when the segment's letters and digits equal a key, or one
        contains the other (segments of 4+ characters), or it is a generic
        part such as "Home".
    """
    candidate = name_key(part)
    if not candidate:
        return False
    if candidate in _GENERIC_PARTS:
        return True
    for key in keys:
        if candidate == key:
            return True
        if min(len(candidate), len(key)) >= 5 and (candidate in key or key in candidate):
            # "Harper's Magazine" ~ harpers, "The Japan Times" ~ japantimes;
            # but a long segment merely containing a short key is a headline
            if len(candidate) <= 2 * len(key) + 12:
                return True
    return False


def title_parts(title: str) -> list[str]:
    """Split a page title at its separators ("Headline - Site | Section" -> three parts)."""
    return [part.strip() for part in _SEPARATOR.split(" ".join(title.split())) if part.strip()]


def _outer_parts(title: str) -> tuple[str, str, str, str] | None:
    """Split at the first and at the last separator: (head, rest_after_first, before_last, tail)."""
    matches = list(_SEPARATOR.finditer(title))
    if not matches:
        return None
    first, last = matches[0], matches[-1]
    return (title[: first.start()], title[first.end():], title[: last.start()], title[last.end():])


def strip_site(title: str, *, sitename: str | None = None, hostname: str | None = None) -> str:
    """Remove a leading or trailing part of ``title`` that names the site.

    Parameters
    ----------
    title : str
        A page title ("Cooperation sought to ensure safe G20 - Chinadaily.com.cn").
    sitename, hostname : str or None
        What the site is called and where it lives.

    Returns
    -------
    str
        The title without the site part; unchanged when no outer part names
        the site (so "Spider-Man - Far From Home review" stays whole).
    """
    keys = site_keys(sitename, hostname)
    current = _TRAILING_SEPARATOR.sub("", " ".join(title.split()))
    for _ in range(3):  # "Headline - Section - Site": peel up to three layers
        parts = _outer_parts(current)
        if parts is None:
            break
        head, after_head, before_tail, tail = parts
        if tail.strip() == "" and before_tail:
            current = before_tail.strip()
        elif is_site_part(tail, keys) and before_tail.strip():
            current = before_tail.strip()
        elif is_site_part(head, keys) and after_head.strip():
            current = after_head.strip()
        else:
            break
    return current


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(_key(text)) if len(w) > 1 or not w.isascii()}


def similarity(a: str, b: str) -> float:
    """Overlap coefficient of the words of two titles (1.0 when one's words contain the other's).

    Titles sharing fewer than two words score 0: one common word ("News")
    says nothing.
    """
    wa, wb = _words(a), _words(b)
    common = len(wa & wb)
    if common < 2:
        return 0.0
    return common / min(len(wa), len(wb))


def choose_title(
    title: str | None,
    *,
    title_tag: str | None = None,
    headlines: Iterable[str] = (),
    references: Iterable[str] = (),
    sitename: str | None = None,
    hostname: str | None = None,
) -> str | None:
    """Return the article's headline, preferring the on-page one over a tab title.

    Parameters
    ----------
    title : str or None
        The extractor's title (trafilatura's choice among og:title, JSON-LD,
        ``<title>`` and ``<h1>``).
    title_tag : str or None
        The page's ``<title>`` text.
    headlines : iterable of str
        Visible headline candidates in page order (``<h1>`` texts).
    references : iterable of str
        Other statements of the title (``og:title``, JSON-LD ``headline``),
        used to recognise which visible headline is the article's.
    sitename, hostname : str or None
        The site's name and host, to recognise site parts.

    Returns
    -------
    str or None
        The headline, whitespace-normalised; None when nothing is known.

    Notes
    -----
    The title minus its site part (``strip_site``) is kept when a visible
    headline says the same (ignoring case, quotes and spacing). A visible
    headline that says something else is preferred when it shares at least
    ``MIN_SIMILARITY`` of its words with the title, the ``<title>`` or a
    reference (it is then the article's headline, reworded for search or
    social media); headlines naming the site ("Site Name: a tagline") and
    unrelated ones (section names, logos) are ignored.
    """
    keys = site_keys(sitename, hostname)
    base = " ".join((title or title_tag or "").split())
    stripped = strip_site(base, sitename=sitename, hostname=hostname) if base else ""
    refs = [r for r in (stripped, title_tag, *references) if r]
    refs = [strip_site(" ".join(r.split()), sitename=sitename, hostname=hostname) for r in refs]

    best, best_score = None, 0.0
    for headline in headlines:
        headline = " ".join(headline.split())
        if not headline or len(headline) > MAX_HEADLINE_CHARS or is_site_part(headline, keys):
            continue
        if stripped and _key(headline) == _key(stripped):
            return stripped
        score = max((similarity(headline, r) for r in refs), default=0.0)
        if score > best_score:
            best, best_score = headline, score
    if best is not None and best_score >= MIN_SIMILARITY:
        return best
    if stripped:
        return stripped
    first = next((" ".join(h.split()) for h in headlines if h and h.strip()), None)
    return first or base or None


def opening_headline(
    first_line: str,
    *,
    headings: Iterable[str],
    title: str | None,
    headlines: Iterable[str] = (),
    sitename: str | None = None,
    hostname: str | None = None,
) -> str | None:
    """Return the page heading the body opens with when it is the article's headline.

    Parameters
    ----------
    first_line : str
        The extracted body's first line.
    headings : iterable of str
        The page's ``<h1>`` and ``<h2>`` texts.
    title : str or None
        The title chosen so far (``choose_title``).
    headlines : iterable of str
        The page's ``<h1>`` texts: a title shown as one of them is the
        headline, and a different ``<h2>`` opening the body is a standfirst.
    sitename, hostname : str or None
        The site's name and host, to recognise site parts.

    Returns
    -------
    str or None
        ``first_line`` when it is one of ``headings`` and either shares at
        least ``MIN_SIMILARITY`` of its words with ``title`` (the headline
        shown, the title reworded for search) or ``title`` is no headline
        (missing, the site's name, or one token such as "BeginnersGuide/Download");
        None otherwise, and always for a subhead that merely opens the body,
        for a part of the title ("Open Journalism Project:" of "The Open
        Journalism Project: Better Student Journalism") and for a standfirst:
        a line under the ``<h1>`` showing the title that does not hold every
        word of it.
    """
    line = " ".join(first_line.split())
    if not line or len(line) > MAX_HEADLINE_CHARS or len(_words(line)) < 2:
        return None
    if title and _key(line) == _key(title):
        return None
    if _key(line) not in {_key(h) for h in headings if h}:
        return None
    keys = site_keys(sitename, hostname)
    if name_key(line) in keys:  # the site's name as a heading
        return None
    if title and name_key(line) in name_key(title):
        return None  # a part of the headline: the title says more
    shown = {_key(h) for h in headlines if h}
    if title and _key(title) in shown and _key(line) not in shown and not (
            _words(title) <= _words(line)):
        return None  # under the headline the page shows, a line not restating it is a standfirst
    if title and similarity(line, title) >= MIN_SIMILARITY:
        return line
    weak = not title or is_site_part(title, keys) or len(title.split()) == 1
    return line if weak else None


def choose_sitename(
    found: str | None, *, stated: Iterable[str] = (), hostname: str | None = None
) -> str | None:
    """Return the site's name, as the site writes it.

    Parameters
    ----------
    found : str or None
        The extractor's sitename (trafilatura capitalises it: "Ehow").
    stated : iterable of str
        Names the page states, best first (og:site_name, application-name,
        JSON-LD publisher).
    hostname : str or None
        The page's host, used to pick the name part of "Name - Tagline".

    Returns
    -------
    str or None
        The stated spelling of ``found`` when a stated name has the same
        letters ("eHow", not "Ehow"), else ``found``, else the first stated
        name; a "Name - Tagline" value is cut to the part naming the host.
    """
    names = [" ".join(s.split()).lstrip("@") for s in stated if s and s.strip()]
    names = [n for n in names if n and not n.startswith(("http://", "https://"))]
    choice = " ".join(found.split()).lstrip("@") if found else None
    if choice:
        choice = next((n for n in names if name_key(n) == name_key(choice)), choice)
    elif names:
        choice = names[0]
    if choice and hostname and (parts := _outer_parts(choice)) is not None:
        keys = site_keys(None, hostname)
        if is_site_part(parts[0], keys):
            choice = parts[0].strip()
        elif is_site_part(parts[3], keys):
            choice = parts[3].strip()
    return choice or None
