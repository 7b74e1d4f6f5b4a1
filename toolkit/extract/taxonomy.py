"""The sections and tags a page files its article under.

Read from what the page states: JSON-LD ``articleSection`` and ``keywords``,
meta ``article:section`` / ``article:tag`` (one element per value), and meta
``keywords`` / ``news_keywords`` as comma-separated lists.
"""

from __future__ import annotations

from toolkit.extract import jsonld
from toolkit.extract.pageinfo import PageInfo

#: At most this many of each are kept (keyword lists for search engines run long).
MAX_ITEMS = 30


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for value in values:
        value = " ".join(value.split())
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            out.append(value)
    return out[:MAX_ITEMS]


def _split(value: str | None) -> list[str]:
    return [part for part in (value or "").split(",") if part.strip()]


def categories_and_tags(info: PageInfo) -> tuple[list[str], list[str]]:
    """Return the article's categories (sections) and tags as the page states them.

    Parameters
    ----------
    info : PageInfo
        From ``scan_page``.

    Returns
    -------
    tuple of (list of str, list of str)
        Categories, then tags; each deduplicated (case-insensitively), in order.
    """
    articles = info.article_objects()
    categories = jsonld.strings(articles, "articleSection")
    categories += info.repeated.get("article:section", [])
    if not categories:
        categories = _split(info.meta.get("category")) + _split(info.meta.get("section"))
    tags = jsonld.strings(articles, "keywords")
    tags += info.repeated.get("article:tag", [])
    if not tags:
        tags = _split(info.meta.get("news_keywords")) or _split(info.meta.get("keywords"))
    return _unique(categories), _unique(tags)
