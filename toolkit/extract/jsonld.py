"""What a page's JSON-LD says about its article: people, organisations, dates, body.

Pages describe themselves in ``<script type="application/ld+json">`` blocks,
often as a ``@graph`` of objects that point at each other. ``flatten`` turns
them into one list of objects; the helpers here read the article's objects
(``NewsArticle``, ``BlogPosting``, ``Report``, ``WebPage`` ...) for the fields
extraction needs, keeping people apart from organisations: an ``author`` that
is an ``Organization`` (the outlet, a wire agency) is not a person's byline.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterable
from typing import Any

logger = logging.getLogger(__name__)

#: ``@type`` endings that describe an article (or, failing that, the page).
ARTICLE_TYPES = ("article", "posting", "report", "newsarticle", "webpage", "creativework")
#: ``@type`` values of organisations (an author of one of these types is not a person).
ORGANIZATION_TYPES = frozenset(
    "organization newsmediaorganization corporation ngo governmentorganization "
    "educationalorganization localbusiness website brand".split()
)
_MAX_OBJECTS = 50


def flatten(data: Any, out: list[dict], depth: int = 0) -> None:
    """Append the objects of JSON-LD ``data`` to ``out``, opening ``@graph``, ``mainEntity``."""
    if depth > 3 or len(out) > _MAX_OBJECTS:
        return
    if isinstance(data, list):
        for item in data:
            flatten(item, out, depth + 1)
    elif isinstance(data, dict):
        out.append(data)
        if "@graph" in data:
            flatten(data["@graph"], out, depth + 1)
        main = data.get("mainEntity") or data.get("mainEntityOfPage")
        if isinstance(main, dict) and main.get("@type"):
            flatten(main, out, depth + 1)


# wrappers pages put around a script's JSON for old XHTML or HTML parsers
_WRAPPER = re.compile(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)\s*$")


_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")


def _decoded(value: Any) -> Any:
    if isinstance(value, str):
        return html.unescape(value) if _ENTITY.search(value) else value
    if isinstance(value, list):
        return [_decoded(v) for v in value]
    return value


def _unescaped(pairs: list[tuple[str, Any]]) -> dict:
    return {key: _decoded(value) for key, value in pairs}


def parse_script(text: str, out: list[dict]) -> None:
    """Parse one JSON-LD script's text into ``out``; unreadable JSON is skipped.

    A CDATA section or HTML comment around the JSON is removed first, and raw
    control characters (line breaks inside strings) are accepted. HTML entities
    in its strings are decoded: CMS plugins write "O&#039;Donnell" into JSON.
    """
    try:
        flatten(json.loads(_WRAPPER.sub("", text), strict=False, object_pairs_hook=_unescaped),
                out)
    except (ValueError, RecursionError):
        logger.debug("unreadable JSON-LD skipped")


def _types(obj: dict) -> list[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return [v.lower().rsplit("/", 1)[-1] for v in values if isinstance(v, str)]


def is_article(obj: dict) -> bool:
    """Whether a JSON-LD object describes an article or web page."""
    return any(t.endswith(ARTICLE_TYPES) for t in _types(obj))


def is_organization(obj: dict) -> bool:
    """Whether a JSON-LD object is an organisation rather than a person."""
    return any(t in ORGANIZATION_TYPES for t in _types(obj))


def article_objects(objects: Iterable[dict]) -> list[dict]:
    """The objects that describe the article; articles proper before plain web pages."""
    objects = [o for o in objects if is_article(o)]
    proper = [o for o in objects if not all(t.endswith(("webpage", "creativework"))
                                            for t in _types(o))]
    return proper + [o for o in objects if o not in proper]


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _resolve(value: Any, objects: list[dict]) -> Any:
    """Follow an ``{"@id": ...}`` reference to the object of the graph it names."""
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id"):
        target = next((o for o in objects if o.get("@id") == value["@id"] and o is not value
                       and len(o) > 1), None)
        return target if target is not None else value
    return value


def credited(objects: list[dict], key: str = "author") -> tuple[list[str], list[str]]:
    """The people and the organisations the article objects credit under ``key``.

    Parameters
    ----------
    objects : list of dict
        All JSON-LD objects of the page (references between them are followed).
    key : str
        ``"author"`` (or ``"creator"``).

    Returns
    -------
    tuple of (list of str, list of str)
        Person names as written, then organisation names; a bare string
        counts as a person (the byline parser judges it later).
    """
    people: list[str] = []
    organizations: list[str] = []
    for obj in article_objects(objects):
        for item in _as_list(obj.get(key)):
            item = _resolve(item, objects)
            if isinstance(item, str):
                people.append(item)
            elif isinstance(item, dict):
                name = item.get("name")
                if isinstance(name, list):
                    name = next((n for n in name if isinstance(n, str)), None)
                if not isinstance(name, str) or not name.strip():
                    continue
                (organizations if is_organization(item) else people).append(name.strip())
        if people or organizations:
            break  # the first article object that credits anyone speaks for the page
    return people, organizations


def publisher_names(objects: list[dict]) -> list[str]:
    """Names of the article's publisher and of the site's WebSite/Organization objects."""
    names: list[str] = []
    for obj in article_objects(objects):
        for publisher in _as_list(obj.get("publisher")):
            publisher = _resolve(publisher, objects)
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                names.append(publisher["name"])
    names.extend(o["name"] for o in objects
                 if any(t in ("website", "organization", "newsmediaorganization")
                        for t in _types(o)) and isinstance(o.get("name"), str))
    return [n.strip() for n in names if n and n.strip()]


def first_string(objects: Iterable[dict], *keys: str) -> str | None:
    """The first non-empty string value of ``keys`` among ``objects`` (lists: their first item)."""
    for key in keys:
        for obj in objects:
            value = obj.get(key)
            if isinstance(value, list):
                value = next((v for v in value if isinstance(v, str) and v.strip()), None)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return None


def strings(objects: Iterable[dict], key: str) -> list[str]:
    """Every string under ``key`` in ``objects`` (``"a, b"`` keyword strings are split)."""
    found: list[str] = []
    for obj in objects:
        for value in _as_list(obj.get(key)):
            if isinstance(value, str):
                found.extend(part.strip() for part in value.split(",") if part.strip())
    return found
