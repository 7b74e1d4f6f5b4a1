"""Junk: spans a model labelled that name nothing, dropped before the other rules see them.

A rule of :func:`toolkit.entities.aliases.resolve.resolve_aliases` (``AliasOptions(junk=False)``
keeps them). A mention is junk when it is

- a **hashtag** or a **handle** ("#deleteFacebook", "@schukin": ``#``/``@`` before it);
- a **URL** ("https://...", "www.example.com", "example.com/page");
- **inside a word** (the "n't" of "haven't": a letter right before or after it);
- **lower-case** at its start ("deleteFacebook", "anti-Biden"), unless a name
  particle leads ("de Miranda", "al-Assad") or one letter before a capital
  ("iPhone", "eBay");
- a **number** ("1990s", "182nd") or a **single letter** ("A", "B.").

Each dropped mention is written to the merge log with entity "" and the reason
``dropped: <why>``; ``mentions.attrs["dropped"]`` counts them by reason.
"""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from toolkit.entities.aliases.names import NAME_PARTICLES
from toolkit.entities.aliases.table import Log

_URL = re.compile(r"(?i)(?:https?://|www\.|\w\.(?:com|org|net|gov|edu|io|co)(?:/|\b.*/))")
_NUMBER = re.compile(r"[\W\d_]*\d[\W\d_]*(?:st|nd|rd|th|s|m|bn|k)?")
_LEADING_PARTICLE = re.compile(
    rf"(?:{'|'.join(sorted(NAME_PARTICLES, key=len, reverse=True))})(?:[\s-]|['\u2019])[^\W\d_]"
)
_BRAND = re.compile(r"[a-z][A-Z]")  # iPhone, eBay


def junk_reason(text: str, before: str = "", after: str = "") -> str | None:
    """Why a mention written ``text`` (between ``before`` and ``after``) is no name, or None.

    Parameters
    ----------
    text : str
        The mention as written (trimmed).
    before, after : str
        The characters right before and after it in the article ("" at its edges).

    Returns
    -------
    str or None
        "hashtag", "handle", "URL", "inside a word", "lower case", "number",
        "single letter"; None for a name.
    """
    if text.startswith("#") or before == "#":
        return "hashtag"
    if text.startswith("@") or before == "@":
        return "handle"
    if _URL.search(text):
        return "URL"
    if (before and (before.isalnum() or before in "_")) or (after and after.isalnum()):
        return "inside a word"
    if _NUMBER.fullmatch(text):
        return "number"
    letters = [c for c in text if c.isalpha()]
    if len(letters) == 1 and not re.search(r"[A-Z][\s-]?\d", text):
        return "single letter"
    if text[:1].islower() and not (_LEADING_PARTICLE.match(text) or _BRAND.match(text)):
        return "lower case"
    return None


def drop_junk(frame: pd.DataFrame, texts: dict[str, str], log: Log) -> tuple[pd.DataFrame, Counter]:
    """Drop the junk mentions of ``frame`` (rows keep their order); log each, count by reason.

    ``texts`` (article_id -> text) gives the characters around each mention;
    without an article's text only the mention's own shape is judged.
    """
    if frame.empty:
        return frame, Counter()
    reasons: list[str | None] = []
    cache: dict[tuple[str, str, str], str | None] = {}
    for article_id, start, end, text in zip(
        frame["article_id"], frame["start"], frame["end"], frame["text"], strict=True
    ):
        body = texts.get(article_id)
        before = body[start - 1] if body is not None and start > 0 else ""
        after = body[end] if body is not None and end < len(body) else ""
        key = (text, before, after)
        if key not in cache:
            cache[key] = junk_reason(text, before, after)
        reasons.append(cache[key])
    why = pd.Series(reasons, index=frame.index, dtype="object")
    dropped = why.notna()
    if not dropped.any():
        return frame, Counter()
    for row in (
        frame.loc[dropped, ["article_id", "text", "label"]]
        .assign(why=why[dropped])
        .drop_duplicates()
        .itertuples(index=False)
    ):
        log.add(row.article_id, row.text, "", row.label, f"dropped: {row.why}")
    return frame[~dropped], Counter(why[dropped].tolist())
