"""Headlines in capitals or title case, recased the way the article's body writes its words.

In: an article's text. Out: the same text (same length, same offsets) where
each line written in capitals ("LEICESTERSHIRE TAKE OVER AT TOP") or in title
case ("Obama Admits US Gun Laws Are His Biggest Frustration") is rewritten in
ordinary case, for the recogniser only: the models read case as a cue, so a
shouted headline gets entities the body never would ("LYNAGH" missed). The
mentions keep the text as written. Lines with figures are left alone: table
rows, scores and datelines ("CHICAGO 7 Houston 3", "BEIJING 1996-08-30"),
where a name in capitals is a team as often as a place (datelines have a
rule of their own, :mod:`toolkit.entities.aliases.datelines`).

A word of such a line takes, in order: the form the article's body gives it
(the body's lines that are neither, not counting a sentence's first word:
"Lynagh", "UN", "de"); lower case when it is a common English word (a given
name too: "BEAT", "WILL") and no major place; capitals when it is a country's code ("US"); else
a capital and lower case ("Leicestershire"). A line's first word is
capitalised. Only words whose length does not change are recased, so every
offset holds. ``NEROptions(recase=False)`` feeds the text as written.
"""

from __future__ import annotations

import re
from collections import Counter

from toolkit.entities.aliases.table import COMMON_ABBREVIATIONS
from toolkit.entities.gazetteers import Gazetteer

_WORD = re.compile(r"[^\W\d_][\w'\u2019.-]*")
_LETTERS = re.compile(r"[^\W\d_]{2,}")
_SENTENCE_END = re.compile(r"[.!?:;\"'\u201d)]\s*$")


def line_kind(line: str) -> str | None:
    """"caps" (mostly capitals), "title" (title case) or None for a line of an article."""
    words = _LETTERS.findall(line)
    if not words:
        return None
    shouted = sum(w.isupper() for w in words)
    if shouted * 2 > len(words) and any(len(w) >= 3 and w.isupper() for w in words):
        return "caps"
    if len(words) >= 4 and len(line) <= 200 and not line.rstrip().endswith("."):
        capitalised = sum(w[0].isupper() for w in words)
        if capitalised >= 0.8 * len(words):
            return "title"
    return None


def _body_forms(
    text: str, lines: list[tuple[int, int, str | None]], wanted: set[str]
) -> dict[str, str]:
    """Lower-cased word of ``wanted`` -> its most frequent form in the body, sentence openers aside.

    Only the words of the headlines are looked for (one search over the text).
    """
    if not wanted:
        return {}
    headline = [(start, end) for start, end, kind in lines if kind is not None]
    alternatives = "|".join(re.escape(w) for w in sorted(wanted, key=len, reverse=True))
    counts: dict[str, Counter] = {}
    for match in re.finditer(rf"(?<![\w'\u2019.-])(?:{alternatives})(?![\w'\u2019-])", text,
                             re.IGNORECASE):
        at = match.start()
        if any(start <= at < end for start, end in headline):
            continue
        line_start = text.rfind("\n", 0, at) + 1
        before = text[max(line_start, at - 3) : at]
        if at == line_start or _SENTENCE_END.search(before):
            continue  # a sentence's first word is capitalised whatever it is
        word = match.group()
        counts.setdefault(word.lower(), Counter())[word] += 1
    return {key: forms.most_common(1)[0][0] for key, forms in counts.items()}


def _common(lower: str, gaz: Gazetteer) -> bool:
    """Whether ``lower`` is a common word, or one inflected ("meets", "talks", "rated")."""
    words = gaz.common_words
    if lower in words:
        return True
    for suffix, replace in (("s", ""), ("es", ""), ("ed", ""), ("ed", "e"), ("ing", ""),
                            ("ing", "e"), ("ies", "y"), ("'s", "")):
        if lower.endswith(suffix) and len(lower) - len(suffix) >= 3:
            if lower[: len(lower) - len(suffix)] + replace in words:
                return True
    return False


def _recased_word(word: str, kind: str, forms: dict[str, str], gaz: Gazetteer) -> str:
    body = forms.get(word.lower())
    if body is not None:
        return body
    key = word.replace(".", "")
    if key.isupper() and (gaz.is_code(key) or key in COMMON_ABBREVIATIONS):
        return word  # "US", "UN": a name in capitals
    lower = word.lower()
    capitalised = word[:1] + word[1:].lower()
    # A given name that is also a word ("BEAT", "WILL") is the word unless the body says
    # otherwise: the body's form came first.
    if _common(lower, gaz) and not gaz.is_major_place(word):
        return lower
    return word if kind == "title" else capitalised


def recase(text: str, gaz: Gazetteer) -> str:
    """``text`` with its capitals and title-case lines in ordinary case (module docstring).

    Parameters
    ----------
    text : str
        An article's text.
    gaz : Gazetteer
        :func:`toolkit.entities.gazetteers.gazetteer` (common words, places, codes).

    Returns
    -------
    str
        The same length as ``text``; the other lines unchanged.
    """
    lines = []
    position = 0
    for line in text.split("\n"):
        # A line with figures is a table row, a score or a dateline: there the names in
        # capitals are teams as often as places, and recasing them makes places of teams.
        kind = None if any(c.isdigit() for c in line) else line_kind(line)
        lines.append((position, position + len(line), kind))
        position += len(line) + 1
    if all(kind is None for _, _, kind in lines):
        return text
    shouted = [
        (kind, list(_WORD.finditer(text, start, end)))
        for start, end, kind in lines
        if kind is not None
    ]
    wanted = {m.group().rstrip(".").lower() for _, found in shouted for m in found}
    forms = _body_forms(text, lines, wanted)
    out = list(text)
    for kind, found in shouted:
        for index, match in enumerate(found):
            stripped = match.group().rstrip(".")
            new = _recased_word(stripped, kind, forms, gaz)
            if index == 0:  # a line's first word opens it
                new = new[:1].upper() + new[1:]
            if len(new) == len(stripped) and new != stripped:
                out[match.start() : match.start() + len(new)] = new
    return "".join(out)
