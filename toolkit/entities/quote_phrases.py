"""Speaker phrases: the words that name who speaks, found next to a reporting verb.

A speaker phrase is a pronoun ("he"), a name with its titles and restrictive
modifiers ("Foreign Ministry spokesman Lu Kang", "Supervisor Alfredo Pedroza of Napa
County") or a description ("the ministry", "a spokesperson for OpenAI", "agency
officials"); an apposition after a comma is left out ("Hou Le, a senior official
..., said" gives "Hou Le"). The rules read capital letters and a few word lists
(:mod:`toolkit.entities.quote_cues`); no parser is needed.
"""

from __future__ import annotations

import re

from toolkit.entities.quote_cues import (
    CLAUSE_OPENERS,
    DETERMINERS,
    FIRST_PERSON,
    PRONOUNS,
    SPEAKER_LINKS,
    SPEAKER_STOPS,
)

_WORD = re.compile(r"\w+(?:[’'\-.]\w+)*\.?")
#: Abbreviations that keep their full stop inside a name ("Mr. Lankford", "Michael R. Bloomberg").
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gov", "sen", "rep", "gen", "col", "lt", "sgt",
    "prof", "rev", "inc", "corp", "co", "ltd", "mt", "ft", "capt", "maj", "cmdr", "adm",
    "supt", "insp", "det", "u.s", "u.k", "u.n", "e.u",
})
#: Common nouns that can stand right before a name ("spokesman Lu Kang", "chief inspector X").
TITLE_NOUNS = frozenset({
    "spokesman", "spokeswoman", "spokesperson", "minister", "secretary", "president",
    "chief", "director", "governor", "professor", "senator", "leader", "inspector", "author",
    "analyst", "editor", "official", "chairman", "chairwoman", "chair", "commissioner",
    "superintendent", "mayor", "judge", "lawyer", "attorney", "researcher", "scientist",
    "economist", "founder", "manager", "officer", "head", "ceo", "coach", "captain",
    "ambassador", "envoy", "candidate", "representative", "rep", "member", "executive",
    "strategist", "adviser", "advisor", "expert", "activist", "counsel", "sheriff",
    "detective", "constable", "sergeant", "deputy", "vice", "general",
    "colonel", "councillor", "councilman", "councilwoman", "assemblyman", "assemblywoman",
    "lawmaker", "prosecutor", "correspondent", "columnist", "historian",
})
#: Verbs that show a run of words is a clause, not a speaker.
_VERBS = frozenset({
    "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does",
    "did", "will", "would", "can", "could", "should", "may", "might", "must", "shall", "said",
    "says", "told", "made", "got", "gets", "went", "came", "became", "took", "gave", "saw",
    "found", "called", "began", "left", "kept", "held", "brought", "need", "needs",
})
#: Words that cannot open a speaker phrase, though they can be inside one.
_LEADING_LINKS = frozenset({"of", "for", "at", "from", "in", "and", "Of", "For", "At", "From",
                            "In", "And"})
_CJK = re.compile(r"[\u3400-\u9fff]")


def is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def words(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """``(start, end, word)`` of the words of ``text[start:end]``; a full stop stays only on
    an abbreviation or an initial."""
    out = []
    for match in _WORD.finditer(text, start, len(text) if end is None else end):
        a, b, word = match.start(), match.end(), match.group()
        if word.endswith(".") and not (
            word[:-1].lower() in _ABBREVIATIONS or (len(word) == 2 and word[0].isupper())
        ):
            b, word = b - 1, word[:-1]
        out.append((a, b, word))
    return out


def is_pronoun(word: str) -> bool:
    lower = word.lower()
    return lower in PRONOUNS or lower in FIRST_PERSON


def _valid(tokens: list[tuple[int, int, str]]) -> bool:
    """Whether the words make a speaker phrase (see the module docstring)."""
    if not tokens or len(tokens) > 14:
        return False
    first = tokens[0][2]
    if len(tokens) == 1 and is_pronoun(first):
        return True
    lower = [t[2].lower() for t in tokens]
    if any(w in _VERBS or re.search(r"[’'](?:re|ve|m|ll|d)$", w) for w in lower):
        return False  # a clause ("Hartley had 20 years"), not a noun phrase
    if any(w in CLAUSE_OPENERS or (w in PRONOUNS and w not in ("her", "his")) for w in lower[1:]):
        return False
    if is_pronoun(first) and first.lower() not in ("her",):
        return False
    if not (is_capitalised(first) or lower[0] in DETERMINERS or lower[0] in TITLE_NOUNS
            or lower[-1] in DETERMINERS or lower[-1] in TITLE_NOUNS):
        return False
    if lower[0] in SPEAKER_STOPS or lower[0] in CLAUSE_OPENERS:
        return False
    return tokens[-1][2] not in SPEAKER_LINKS


def trim_left(tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The speaker phrase that ends the words: where two noun phrases meet ("In an interview
    Mr. Lankford"), the last one."""
    start = 0
    for i in range(1, len(tokens)):
        word, previous = tokens[i][2], tokens[i - 1][2]
        lower_prev = previous.lower()
        if (
            is_capitalised(word)
            and not is_capitalised(previous)
            and lower_prev not in SPEAKER_LINKS
            and lower_prev not in TITLE_NOUNS
            and lower_prev not in DETERMINERS
        ):
            start = i
        elif lower_prev in CLAUSE_OPENERS or lower_prev in SPEAKER_STOPS - SPEAKER_LINKS:
            start = i
    tokens = tokens[start:]
    while tokens and tokens[0][2] in _LEADING_LINKS:
        tokens = tokens[1:]
    return tokens


def phrase_before(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The speaker phrase that ends right before ``end`` (a verb), looking back to ``start``.

    An apposition between commas before the verb is skipped ("Hou Le, a senior
    official from the ministry, said"). Returns ``(start, end)`` or None.
    """
    region = text[start:end]
    if _CJK.search(region):
        return _cjk_before(text, start, end)
    stripped = region.rstrip()
    if not stripped:
        return None
    parts = [m for m in re.finditer(r"[^,;:()—–“”\"]+", stripped)]
    if not parts:
        return None
    if stripped.endswith(",") or stripped.endswith("—") or stripped.endswith("–"):
        # an apposition closes right before the verb: the speaker is the part before it
        if len(parts) < 2:
            return None
        part = parts[-2]
    else:
        part = parts[-1]
        if part.end() != len(stripped):
            return None
    tokens = trim_left(words(text, start + part.start(), start + part.end()))
    if not _valid(tokens):
        return None
    return tokens[0][0], tokens[-1][1]


def phrase_after(
    text: str, start: int, end: int, *, loose: bool = False
) -> tuple[int, int] | None:
    """The speaker phrase that starts at ``start`` (after a verb or "according to").

    It runs to a comma, a full stop or a word that cannot be in it ("said X on
    Monday", "said X, who ..."). ``loose``: any noun phrase will do, as after
    "according to" ("according to local news reports"). Returns ``(start, end)`` or None.
    """
    region = text[start:end]
    if _CJK.search(region[:3]):
        return None
    stop = re.search(r"[,;:.!?()—–“”\"\n]|\s-\s", region)
    limit = start + (stop.start() if stop else len(region))
    tokens = words(text, start, limit)
    if tokens and text[start:tokens[0][0]].strip():
        return None  # something other than a word comes first
    kept: list[tuple[int, int, str]] = []
    for i, token in enumerate(tokens):
        lower = token[2].lower()
        if kept and lower in SPEAKER_STOPS and not (
            lower in SPEAKER_LINKS and i + 1 < len(tokens) and is_capitalised(tokens[i + 1][2])
        ):
            break
        kept.append(token)
    while kept and kept[-1][2] in SPEAKER_LINKS:
        kept.pop()
    if loose and kept and len(kept) <= 14 and kept[0][2].lower() not in CLAUSE_OPENERS:
        return kept[0][0], kept[-1][1]
    if not _valid(kept):
        return None
    return kept[0][0], kept[-1][1]


def _cjk_before(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A Chinese speaker: the characters since the last punctuation mark (at most 20)."""
    region = text[start:end].rstrip("：:，, ")
    found = re.search(r"[^，。！？；：、,.!?;:\s“”「」『』]{1,20}$", region)
    if not found:
        return None
    return start + found.start(), start + found.end()
