"""Canonical entity names: normalisation, short names, acronyms, an editable alias table.

The rules, in the order :func:`resolve_aliases` applies them:

0. **Tidy the spans**: quotes, bullets, pipes and separators are trimmed from
   each mention (offsets follow, so ``text[start:end]`` is still its text); a
   mention with no letter ("| |", "-0.43") is dropped; of overlapping mentions
   only the longest is kept ("Islamic" inside "East Turkestan Islamic
   Movement" goes). Done again after the rules below, which add mentions.
1. **Normalise** each mention's text: whitespace collapsed, a leading "the"
   and a trailing possessive "'s" removed, titles stripped from person names
   ("President Xi Jinping" -> "Xi Jinping"), a trailing " province" dropped
   from places ("Zhejiang province" -> "Zhejiang").
2. **Alias table**: the user's table (CSV: alias, entity, label) on top of
   the built-in very common abbreviations (:data:`COMMON_ABBREVIATIONS`:
   "US", "U.S.", "USA" -> United States; "UK", "UN", "EU", ...). An alias
   written in the text or produced by step 1 becomes the table's entity (and
   label); an acronym alias covers its dotted and plain forms; a user's row
   replaces the built-in entry for its alias. An alias maps to one entity.
3. **Short names within an article.** A "full name" is a PERSON entity shaped
   like a person's name: two or more capitalised words, initials or particles
   ("Fetch API", "Omicron BA.2", "a Web API" are not). A later mention made
   only of words of exactly one full name of the same article links to it,
   whatever the name order: Chinese "Hou Le" ... "Hou" and western "Thorsten
   Boelts" ... "Boelts" follow the same rule. NER often misses such bare
   names, so the article text is scanned for them after the full name's first
   mention; a word shared by two full names of the article is ambiguous, and
   one also written in lower case in the article ("Milk") is a common word:
   both are left alone.
4. **Acronyms within an article** (plain "UN" or dotted "U.N."): one
   introduced in brackets right after a name whose letters it fits
   ("XMLHttpRequest (XHR)"; otherwise the capitalised phrase before the
   bracket whose initials it is: "Green New Deal for Europe (GNDE)"), or equal
   to the initials of exactly one multi-word entity of the article that is no
   person's name ("UN" -> United Nations), links to it. When no entity
   matches, a capitalised phrase written earlier in the article whose
   initials match and that holds a mention ("The Islamic State group" with
   NER's "Islamic") becomes the entity.
5. **Across articles**: spellings that differ only in case or dots are one
   entity (written in ordinary case when any spelling is, then the most
   frequent); a full name with middle initials is the same name without them
   when the corpus has it ("Michael R. Bloomberg" -> "Michael Bloomberg"); a
   single-word PERSON left unresolved links to the one full name of the corpus
   holding that word when it is its surname or is used alone for it in some
   article ("Xi" for "Xi Jinping"), and NER mostly takes the word for a
   person; each entity gets one label (the majority of its mentions).
6. The alias table is applied again, so the table has the last word.

Every change is written to a merge log (article_id, alias, entity, label, reason).
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .resources import stopword_list
from .segment import iter_sentences

logger = logging.getLogger(__name__)

ALIAS_COLUMNS = ["alias", "entity", "label"]
LOG_COLUMNS = ["article_id", "alias", "entity", "label", "reason"]
MENTION_COLUMNS = [
    "article_id",
    "paragraph",
    "sentence",
    "start",
    "end",
    "text",
    "label",
    "entity",
    "backend",
]

#: Words stripped from the start of a person's name (lower case, without a final dot).
TITLES = frozenset(
    """
    mr mrs ms miss mx dr prof professor sir dame lord lady madam madame rev reverend
    president premier minister chancellor secretary ambassador governor gov mayor senator sen
    rep representative congressman congresswoman judge justice king queen prince princess
    emperor pope cardinal bishop archbishop sheikh imam rabbi chairman chairwoman chairperson
    gen general lt lieutenant col colonel maj major capt captain cmdr commander adm admiral
    sgt sergeant cpl corporal pvt officer inspector detective constable spokesman spokeswoman
    spokesperson director ceo coach taoiseach tanaiste tánaiste
    """.split()
)
#: Words that may precede a title ("Vice President", "Foreign Minister") and go with it.
TITLE_MODIFIERS = frozenset(
    """
    vice deputy prime foreign defence defense finance interior home state former acting chief
    senior assistant first grand supreme head interim executive managing
    """.split()
)
#: Small words that do not count for initials ("Ministry of Public Security" -> MPS).
_MINOR_WORDS = frozenset({"of", "the", "and", "for", "on", "in", "de", "du", "des", "la", "&"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "PLACE"})
# Place names are often surnames too ("Jordan", "Washington"): never relabel them as persons.
_NO_RELABEL = frozenset({"GPE", "LOC", "PLACE", "NORP", "PERSON"})

#: The label of an entity of unknown type (NLTK's binary chunker).
UNTYPED_LABEL = "NE"
_COMMON = "common abbreviation"

_INT_COLUMNS = frozenset({"paragraph", "sentence", "start", "end"})
#: _Article attribute -> mentions column.
_ARTICLE_FIELDS = {
    "paragraph": "paragraph",
    "sentence": "sentence",
    "start": "start",
    "end": "end",
    "surface": "text",
    "label": "label",
    "entity": "entity",
}

_SPACE = re.compile(r"\s+")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?<=[\w.])(?:['\u2019]s|(?<=\ws)['\u2019])$")
_PROVINCE = re.compile(r"\s+province$", re.IGNORECASE)
_EDGE_PUNCT = "\"'\u2018\u2019\u201c\u201d()[]{},;:"
# An acronym as written: "UN", "P&G", or dotted "U.N." (compared without its dots).
_ACRONYM_TEXT = r"[A-Z][A-Z&]{1,7}\b|(?:[A-Z]\.){2,7}(?!\w)"
_ACRONYM = re.compile(rf"(?<![\w.&])(?:{_ACRONYM_TEXT})")
_BRACKETED = re.compile(rf"\(\s*({_ACRONYM_TEXT})s?\s*\)")
# A capitalised word of a name (a lower-case letter after the capital: not "NH", "J" or "IV").
_TITLE_WORD = r"[A-Z][a-z\u00df-\u00ff][\w'\u2019-]*"
_PHRASE = re.compile(rf"{_TITLE_WORD}(?:\s+(?:(?:of|the|and|for|&)\s+)?{_TITLE_WORD})+")
_WORD_AT = re.compile(r"[\w'\u2019&.+-]+")
_BRACKET_MINOR = frozenset({"of", "the", "and", "for", "&", "de", "du", "des", "la", "on", "in"})
#: Characters trimmed from both ends of a mention's span (quotes, bullets, pipes, separators).
_SPAN_EDGES = frozenset(
    "\"'`\u00b4\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a"
    "|\u00a6\u2022\u00b7\u2023\u25aa\u25cf*#~=<>_,;:/\\\u2013\u2014\u2015-\u2026"
)
_OPENING, _CLOSING = "([{", ")]}"
#: Lower-case words that may stand inside a person's name ("Ludwig van Beethoven").
_NAME_PARTICLES = frozenset(
    """
    de da di do del della der den des du la le van von bin ibn bint al el y dos das ter ten af zu
    """.split()
)
_NAME_SUFFIXES = frozenset({"Jr", "Jr.", "Sr", "Sr.", "II", "III"})
_INITIAL = re.compile(r"(?:[A-Z]\.){1,3}")
_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['\u2019-](?=[^\W\d_]))*")

#: Very common abbreviations -> (entity, label): the built-in part of the alias table,
#: applied across articles to their plain and dotted forms ("US", "U.S.") as written in
#: capitals; a row of the user's table for the same alias replaces its entry.
COMMON_ABBREVIATIONS: dict[str, tuple[str, str]] = {
    "US": ("United States", "GPE"),
    "USA": ("United States", "GPE"),
    "UK": ("United Kingdom", "GPE"),
    "UN": ("United Nations", "ORG"),
    "EU": ("European Union", "ORG"),
    "UAE": ("United Arab Emirates", "GPE"),
    "USSR": ("Soviet Union", "GPE"),
    "NYC": ("New York City", "GPE"),
    "WHO": ("World Health Organization", "ORG"),
    "IMF": ("International Monetary Fund", "ORG"),
    "WTO": ("World Trade Organization", "ORG"),
}


# --------------------------------------------------------------------------- names
def strip_title(name: str) -> str:
    """Return ``name`` without leading titles ("Foreign Minister Wang Yi" -> "Wang Yi").

    At least one real title must lead (modifiers such as "Vice" alone are kept)
    and at least one word is always left.
    """
    words = name.split(" ")
    cut = 0
    seen_title = False
    for index, word in enumerate(words[:-1]):
        key = word.rstrip(".").lower()
        if key in TITLES:
            seen_title = True
            cut = index + 1
        elif key not in TITLE_MODIFIERS:
            break
    return " ".join(words[cut:]) if seen_title else name


def canonical_name(text: str, label: str) -> tuple[str, list[str]]:
    """Return the canonical form of a mention and the rules that changed it.

    Parameters
    ----------
    text : str
        The mention as written.
    label : str
        Its label (titles are stripped from PERSON only, " province" from places).

    Returns
    -------
    tuple of (str, list of str)
        The canonical name and the reasons ("whitespace", "leading 'the'",
        "possessive", "title", "province"), empty when unchanged.
    """
    reasons = []
    name = _SPACE.sub(" ", text).strip().strip(_EDGE_PUNCT).strip()
    if name != text:
        reasons.append("whitespace")
    stripped = _LEADING_THE.sub("", name)
    if stripped != name and stripped:
        reasons.append("leading 'the'")
        name = stripped
    stripped = _POSSESSIVE.sub("", name)
    if stripped != name and stripped:
        reasons.append("possessive")
        name = stripped
    if label == "PERSON":
        stripped = strip_title(name)
        if stripped != name:
            reasons.append("title")
            name = stripped
    if label in _PLACE_LABELS:
        stripped = _PROVINCE.sub("", name)
        if stripped != name and stripped:
            reasons.append("province")
            name = stripped
    return (name or text), reasons


@functools.lru_cache(maxsize=1 << 16)
def initials(name: str) -> tuple[str, ...]:
    """Return the acronyms of a multi-word name ("Ministry of Public Security" -> MPS, MOPS)."""
    words = [w for w in re.split(r"[\s-]+", name) if w]
    if len(words) < 2:
        return ()
    major = "".join(w[0] for w in words if w.lower() not in _MINOR_WORDS).upper()
    every = "".join(w[0] for w in words).upper()
    return tuple(dict.fromkeys(a for a in (major, every) if len(a) >= 2))


def trim_span(text: str) -> tuple[int, int] | None:
    """Where the name inside a recognised span starts and ends, or None if it holds none.

    Quotes, bullets, pipes and separators are trimmed from both ends, and a
    bracket whose partner is not inside the span ("(Hou" -> "Hou"; "Islamic
    State (IS)" is kept). A span with no letter left ("| |", "-0.43",
    "784-432-2223") or only one lower-case letter (the "s" of a split "'s") is
    not a name.

    Parameters
    ----------
    text : str
        The span as written.

    Returns
    -------
    tuple of (int, int) or None
        ``(start, end)`` within ``text``, so ``text[start:end]`` is the name.
    """
    start, end = 0, len(text)
    if end > 1 and text[0].isalnum() and (text[-1].isalnum() or text[-1] == "."):
        # The usual span: nothing to trim; a name if it holds a letter.
        return (start, end) if any(c.isalpha() for c in text) else None
    while True:
        before = (start, end)
        while start < end and (text[start].isspace() or text[start] in _SPAN_EDGES):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in _SPAN_EDGES):
            end -= 1
        if start < end and text[start] in _OPENING:
            partner = _CLOSING[_OPENING.index(text[start])]
            inner = text[start + 1 : end]
            if partner not in inner or (inner.endswith(partner) and inner.count(partner) == 1):
                start += 1
                end -= inner.endswith(partner)
        if start < end and text[end - 1] in _CLOSING:
            if _OPENING[_CLOSING.index(text[end - 1])] not in text[start : end - 1]:
                end -= 1
        if (start, end) == before:
            break
    name = text[start:end]
    if not any(c.isalpha() for c in name) or (len(name) == 1 and not name.isupper()):
        return None
    return start, end


@functools.lru_cache(maxsize=1 << 16)
def is_person_name(name: str) -> bool:
    """Whether ``name`` is shaped like a person's full name (two or more name words).

    Each word is a capitalised word ("Hou", "O'Brien", "Archer-Bradshaw"), an
    initial ("J.", "H.W."), a particle inside the name ("van", "bin") or a
    suffix at its end ("Jr."): no digits, acronyms, symbols or lower-case words
    ("Fetch API", "Omicron BA.2", "C++ JSON", "a Web API", "Ortonne N" are not).
    """
    words = name.split(" ")
    if len(words) < 2:
        return False
    last = len(words) - 1
    for index, word in enumerate(words):
        if _NAME_WORD.fullmatch(word) and word[0].isupper() and not word.isupper():
            continue
        if _INITIAL.fullmatch(word) and index < last:
            continue
        if word in _NAME_PARTICLES and 0 < index < last:
            continue
        if word in _NAME_SUFFIXES and index == last:
            continue
        return False
    return True


@functools.lru_cache(maxsize=1 << 16)
def _acronym_key(text: str) -> str | None:
    """``text`` without dots when it is an acronym in capitals ("U.S." -> "US"), else None."""
    if _ACRONYM_TEXT_FULL.fullmatch(text):
        return text.replace(".", "")
    return None


_ACRONYM_TEXT_FULL = re.compile(r"[A-Z][A-Z&]{1,7}|(?:[A-Z]\.){2,7}|(?:[A-Z]\.){1,6}[A-Z]")


def _fits(acronym: str, name: str) -> bool:
    """Whether ``acronym``'s letters can be read off ``name``.

    The first letter opens a word of the name and the others follow in order
    ("XHR" in "XMLHttpRequest", "RMS" in "Richard M. Stallman"; not "GNDE" in
    "Europe" nor "KGO" in "Calif.").
    """
    letters = acronym.replace(".", "").replace("&", "").lower()
    lowered = name.lower()
    for word in re.finditer(r"[^\W\d_]+", name):
        if lowered[word.start()] != letters[0]:
            continue
        position = word.start() + 1
        for letter in letters[1:]:
            position = lowered.find(letter, position) + 1
            if not position:
                break
        else:
            return True
    return False


def _keep_longest(starts: Sequence[int], ends: Sequence[int]) -> list[int]:
    """Indices of the spans kept when overlapping spans give way to the longest.

    Longer spans first, then earlier ones; a span overlapping one already kept
    (nested in it, crossing it or equal to it) is dropped. Indices come back sorted.
    """
    order = sorted(range(len(starts)), key=lambda i: (starts[i] - ends[i], starts[i], i))
    kept_starts: list[int] = []
    kept_ends: list[int] = []
    keep = []
    for i in order:
        s, e = starts[i], ends[i]
        at = bisect.bisect_left(kept_starts, s)
        if at < len(kept_starts) and kept_starts[at] < e:
            continue
        if at and kept_ends[at - 1] > s:
            continue
        kept_starts.insert(at, s)
        kept_ends.insert(at, e)
        keep.append(i)
    return sorted(keep)


# --------------------------------------------------------------------------- table
def load_alias_table(source: str | Path | pd.DataFrame | None) -> pd.DataFrame:
    """Read an alias table (CSV or frame with columns alias, entity, label).

    Users extend it by hand: one row per alias, the canonical ``entity`` it
    stands for, and optionally the entity's ``label`` (blank: keep the label).

    Parameters
    ----------
    source : str, Path, DataFrame or None
        A CSV path or a frame; None gives an empty table.

    Returns
    -------
    pandas.DataFrame
        Columns ``alias``, ``entity``, ``label`` (str, ``""`` when blank),
        whitespace-trimmed, without blank aliases, last row winning per alias
        (aliases differing only in case are the same alias).
    """
    if source is None:
        return pd.DataFrame({c: pd.Series([], dtype="str") for c in ALIAS_COLUMNS})
    if isinstance(source, pd.DataFrame):
        frame = source
    elif isinstance(source, (str, Path)):
        frame = pd.read_csv(source, dtype="str", keep_default_na=False)
    else:
        raise ValueError(
            f"aliases must be a CSV path, a DataFrame or None, got {type(source).__name__}"
        )
    missing = [c for c in ("alias", "entity") if c not in frame.columns]
    if missing:
        raise ValueError(
            f"alias table lacks column(s) {missing}; it needs alias, entity and optionally label"
        )
    out = pd.DataFrame(
        {
            c: (
                frame[c].fillna("").astype("str").str.strip()
                if c in frame.columns
                else pd.Series([""] * len(frame), dtype="str")
            )
            for c in ALIAS_COLUMNS
        }
    ).reset_index(drop=True)
    out = out[(out["alias"] != "") & (out["entity"] != "")]
    # Aliases match whatever their case: one entity per alias, the last row's.
    last = ~out["alias"].str.casefold().duplicated(keep="last")
    return out[last].reset_index(drop=True)


def alias_table_from_log(log: pd.DataFrame) -> pd.DataFrame:
    """Turn a merge log into a starter alias table (alias, entity, label) to edit and reuse.

    Parameters
    ----------
    log : pandas.DataFrame
        The merge log (``mentions.attrs["alias_log"]`` as a frame, see :func:`alias_log`).

    Returns
    -------
    pandas.DataFrame
        Columns ``alias``, ``entity``, ``label``: one row per alias that differs
        from its entity, sorted by alias.
    """
    table = log.loc[log["alias"] != log["entity"], ALIAS_COLUMNS]
    # The log lists the rules in the order they applied: an alias's last row is where it ended
    # ("Dr Mitchell" -> "Mitchell" by its title, then -> "Keith Mitchell" as a short name).
    table = table.drop_duplicates("alias", keep="last")
    return table.sort_values("alias", kind="stable").reset_index(drop=True)


def alias_log(mentions: pd.DataFrame) -> pd.DataFrame:
    """Return the merge log stored in ``mentions.attrs`` as a frame.

    Returns
    -------
    pandas.DataFrame
        Columns ``article_id``, ``alias``, ``entity``, ``label``, ``reason``.
    """
    records = mentions.attrs.get("alias_log") or []
    frame = pd.DataFrame.from_records(records, columns=LOG_COLUMNS)
    return frame.astype("str") if len(frame) else frame


# --------------------------------------------------------------------------- state
@dataclass
class _Layout:
    """Sentence starts and paragraph numbers of one text, to number new mentions."""

    starts: np.ndarray
    paragraphs: np.ndarray

    @classmethod
    def of(cls, text: str) -> _Layout:
        spans = list(iter_sentences(text))
        return cls(
            np.array([s for _, s, _ in spans], dtype=np.int64),
            np.array([p for p, _, _ in spans], dtype=np.int64),
        )

    def locate(self, offsets: Any) -> tuple[np.ndarray, np.ndarray]:
        """Return (paragraph, sentence) of each character offset (the sentence it falls in)."""
        offsets = np.asarray(offsets, dtype=np.int64)
        if not len(self.starts):
            zeros = np.zeros(len(offsets), dtype=np.int64)
            return zeros, zeros
        sentence = np.clip(np.searchsorted(self.starts, offsets, side="right") - 1, 0, None)
        return self.paragraphs[sentence], sentence


@dataclass
class _Article:
    """The mentions of one article as plain lists, edited in place by the rules."""

    article_id: str
    text: str | None
    backend: str
    paragraph: list[int] = field(default_factory=list)
    sentence: list[int] = field(default_factory=list)
    start: list[int] = field(default_factory=list)
    end: list[int] = field(default_factory=list)
    surface: list[str] = field(default_factory=list)
    label: list[str] = field(default_factory=list)
    entity: list[str] = field(default_factory=list)

    def spans(self) -> list[tuple[int, int]]:
        return sorted(zip(self.start, self.end, strict=True))

    def add(self, start: int, end: int, label: str, entity: str) -> None:
        """Add a mention NER missed (numbered when the frame is rebuilt)."""
        self.paragraph.append(-1)
        self.sentence.append(-1)
        self.start.append(start)
        self.end.append(end)
        self.surface.append(self.text[start:end])
        self.label.append(label)
        self.entity.append(entity)

    def drop_overlaps(self) -> None:
        """Of mentions overlapping each other (the rules may add some), keep the longest."""
        spans = sorted(zip(self.start, self.end, strict=True))
        if all(s >= e for (_, e), (s, _) in zip(spans, spans[1:], strict=False)):
            return
        kept = _keep_longest(self.start, self.end)
        for attribute in _ARTICLE_FIELDS:
            values = getattr(self, attribute)
            setattr(self, attribute, [values[i] for i in kept])

    def move(self, index: int, start: int, end: int) -> None:
        self.start[index], self.end[index] = start, end
        self.surface[index] = self.text[start:end]
        self.paragraph[index] = self.sentence[index] = -1


class _Log:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str, str, str, str], None] = {}

    def add(self, article_id: str, alias: str, entity: str, label: str, reason: str) -> None:
        self.rows[(article_id, alias, entity, label, reason)] = None

    def records(self) -> list[dict[str, str]]:
        return [dict(zip(LOG_COLUMNS, row, strict=True)) for row in self.rows]


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    index = bisect.bisect_left(spans, (end, -1))
    return any(s < end and start < e for s, e in spans[max(0, index - 3) : index])


def _free(article: _Article, start: int, end: int) -> bool:
    return not any(s < end and start < e for s, e in zip(article.start, article.end, strict=True))


# --------------------------------------------------------------------------- rules
@dataclass(frozen=True)
class _Table:
    """The alias table as lookups: the user's rows by case-folded alias, acronyms without dots."""

    exact: dict[str, tuple[str, str, str]]
    acronyms: dict[str, tuple[str, str, str]]

    @classmethod
    def build(cls, table: pd.DataFrame, common: bool) -> _Table:
        acronyms = {
            key: (entity, label, _COMMON)
            for key, (entity, label) in (COMMON_ABBREVIATIONS.items() if common else ())
        }
        exact = {}
        for alias, entity, label in table[ALIAS_COLUMNS].itertuples(index=False):
            row = (entity, label, "alias table")
            exact[alias.casefold()] = row
            key = _acronym_key(alias) or _acronym_key(alias.upper())
            if key is not None and (_acronym_key(alias) or key in acronyms):
                acronyms[key] = row  # the user's row wins, dotted and plain forms alike
        return cls(exact, acronyms)

    def __bool__(self) -> bool:
        return bool(self.exact or self.acronyms)

    def rows_for(self, names: pd.Series) -> dict[str, tuple[str, str, str]]:
        """Name -> table row for the names of ``names`` the table holds."""
        unique = pd.Series(names.unique(), dtype="str")
        maybe = unique.str.casefold().isin(self.exact.keys())
        if self.acronyms:
            maybe |= unique.str.fullmatch(_ACRONYM_TEXT_FULL.pattern)
        found = {}
        for name in unique[maybe]:
            row = self.lookup(name)
            if row is not None:
                found[name] = row
        return found

    def lookup(self, name: str) -> tuple[str, str, str] | None:
        """The table row for a name as written or canonical (the user's first), or None."""
        row = self.exact.get(name.casefold())
        if row is None:
            key = _acronym_key(name)
            row = self.acronyms.get(key) if key is not None else None
        return row


def _apply_table(frame: pd.DataFrame, table: _Table, log: _Log) -> pd.DataFrame:
    """Map mentions whose text or entity is an alias of the table (text first).

    An alias maps to one entity: the user's row when there is one, else the
    common abbreviation's, whatever the article.
    """
    if not table or not len(frame):
        return frame
    by_text = table.rows_for(frame["text"])
    by_entity = table.rows_for(frame["entity"])
    text_hit = frame["text"].isin(by_text.keys())
    hit = text_hit | frame["entity"].isin(by_entity.keys())
    if not hit.any():
        return frame
    found = frame.loc[hit, ["article_id", "text", "entity", "label"]]
    rows = [
        by_text[text] if first else by_entity[entity]
        for text, entity, first in zip(found["text"], found["entity"], text_hit[hit], strict=True)
    ]
    entity = pd.Series([r[0] for r in rows], index=found.index, dtype="str")
    # The built-in labels are types: the binary NLTK chunker's untyped "NE" stays untyped.
    label = pd.Series(
        [
            old if not r[1] or (old == UNTYPED_LABEL and r[2] == _COMMON) else r[1]
            for r, old in zip(rows, found["label"], strict=True)
        ],
        index=found.index,
        dtype="str",
    )
    reason = pd.Series([r[2] for r in rows], index=found.index, dtype="str")
    changed = entity.ne(found["entity"]) | label.ne(found["label"])
    logged = found.loc[changed, ["article_id", "text"]].assign(
        entity=entity[changed], label=label[changed], reason=reason[changed]
    )
    for row in logged.drop_duplicates().itertuples(index=False):
        log.add(row.article_id, row.text, row.entity, row.label, row.reason)
    return frame.assign(
        entity=frame["entity"].mask(hit, entity), label=frame["label"].mask(hit, label)
    )


def _full_names(art: _Article) -> dict[str, int]:
    """PERSON entities of two or more words -> offset where the name is first written in full."""
    names: dict[str, int] = {}
    for start, label, entity in zip(art.start, art.label, art.entity, strict=True):
        if label == "PERSON" and " " in entity and is_person_name(entity):
            names[entity] = min(start, names.get(entity, start))
    return names


def _name_tokens(name: str) -> set[str]:
    """The words of a full name that can stand for it alone (not initials, particles, "Jr.")."""
    return {
        t
        for t in name.split(" ")
        if not _INITIAL.fullmatch(t) and t not in _NAME_PARTICLES and t not in _NAME_SUFFIXES
    }


def _owners(names: Iterable[str]) -> dict[str, list[str]]:
    owners: dict[str, list[str]] = defaultdict(list)
    for name in names:
        for token in _name_tokens(name):
            owners[token].append(name)
    return owners


def _link_short_names(art: _Article, log: _Log) -> None:
    names = _full_names(art)
    if not names:
        return
    owners = _owners(names)
    for i, entity in enumerate(art.entity):
        if entity in names:
            continue
        tokens = entity.split(" ")
        candidates = set(owners.get(tokens[0], ()))
        for token in tokens[1:]:
            candidates &= set(owners.get(token, ()))
        if len(candidates) != 1:
            continue
        (full,) = candidates
        if art.label[i] != "PERSON":
            # A surname NER took for an organisation; places and groups are left alone.
            if art.label[i] in _NO_RELABEL or len(tokens) > 1 or art.start[i] < names[full]:
                continue
        log.add(art.article_id, art.surface[i], full, "PERSON", "short name")
        art.entity[i] = full
        art.label[i] = "PERSON"


_NAME_BEFORE = re.compile(r"(?:^|[^\s.!?\"'\u201c\u2018(\[:;])\s+[A-Z][\w'\u2019-]*[ \t]+$")


def _capitalised_before(text: str, start: int) -> bool:
    """Whether a capitalised word that does not open the sentence comes right before ``start``.

    "Jean Le" is part of another name; "Later Hou" is not ("Later" opens a sentence).
    """
    return _NAME_BEFORE.search(text[max(0, start - 60) : start]) is not None


def _scan_short_names(art: _Article, stopwords: frozenset[str], log: _Log) -> None:
    """Add the bare surnames / given names NER missed, after the full name's first mention."""
    names = _full_names(art)
    if not names or not art.text:
        return
    owners = _owners(names)
    # A token NER calls a place or a group in this article ("Washington") is not scanned for.
    elsewhere = {
        name
        for label, surface, entity in zip(art.label, art.surface, art.entity, strict=True)
        if label in _NO_RELABEL and label != "PERSON"
        for name in (surface, entity)
    }
    tokens = {
        t: owner[0]
        for t, owner in owners.items()
        if len(owner) == 1
        and t not in elsewhere
        and len(t) >= 2
        and t[0].isupper()
        and t.rstrip(".").lower() not in TITLES
        and t.lower() not in stopwords
    }
    if tokens:
        common = _lower_case_words(art.text, {t.lower() for t in tokens})
        tokens = {t: full for t, full in tokens.items() if t.lower() not in common}
    if not tokens:
        return
    alternatives = "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))
    # Not followed by another capitalised word ("Hou Yifan" is someone else), nor part of a
    # hyphenated compound ("Stoke-on-Trent"), a handle or an address ("Iain.smith@...").
    pattern = re.compile(rf"(?<![\w@./-])(?:{alternatives})\b(?![ \t]+[A-Z][a-z]|-\w|\.\w|@)")
    spans = art.spans()
    first = min(names.values())
    for match in pattern.finditer(art.text, first):
        start, end = match.span()
        full = tokens[match.group()]
        if start < names[full] or _overlaps(spans, start, end):
            continue
        if _capitalised_before(art.text, start):
            continue
        art.add(start, end, "PERSON", full)
        log.add(art.article_id, match.group(), full, "PERSON", "short name (text scan)")


# A word as written, not in a handle, address or file name ("@schukin", "iain.stewart@x.uk").
_TEXT_WORD = re.compile(r"(?<![\w@./'\u2019-])[\w'\u2019-]+(?![\w@'\u2019-]|\.\w)")


def _lower_case_words(text: str, words: set[str]) -> set[str]:
    """Those of ``words`` (in lower case) that ``text`` writes: common words, not names."""
    if not any(w in text for w in words):
        return set()
    return {w for w in _TEXT_WORD.findall(text) if w in words}


def _mostly_capitals(text: str, start: int) -> bool:
    """Whether the line holding ``start`` is a headline in capitals (acronyms unreliable there)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    words = re.findall(r"[A-Za-z]{2,}", text[line_start : line_end if line_end >= 0 else None])
    return sum(w.isupper() for w in words) * 2 > len(words)


def _by_initials(entity: str, label: str) -> bool:
    """Whether an acronym may stand for ``entity`` on its initials alone.

    Not for people ("MA" is not Marco Arment) nor for names with one-letter
    or lower-case words ("One S", "andFireman BH").
    """
    if label == "PERSON":
        return False
    words = [w for w in re.split(r"[\s-]+", entity) if w and w.lower() not in _MINOR_WORDS]
    return all(len(w) >= 2 and w[0].isupper() for w in words)


def _entity_by_initials(art: _Article) -> dict[str, set[int]]:
    persons = {e for e, label in zip(art.entity, art.label, strict=True) if label == "PERSON"}
    found: dict[str, set[int]] = defaultdict(set)
    usable: dict[tuple[str, str], tuple[str, ...]] = {}
    for i, key in enumerate(zip(art.entity, art.label, strict=True)):
        if key not in usable:
            entity, label = key
            ok = entity not in persons and _by_initials(entity, label)
            usable[key] = initials(entity) if ok else ()
        for acronym in usable[key]:
            found[acronym].add(i)
    return found


def _bracket_phrase(text: str, end: int, acronym: str) -> tuple[int, int, str] | None:
    """The shortest capitalised phrase ending at ``end`` whose initials are ``acronym``.

    "Green New Deal for Europe" before "(GNDE)"; a word in capitals gives all
    its letters ("US Patent and Trademark Office" before "(USPTO)").
    """
    line_start = text.rfind("\n", 0, end) + 1
    words = list(_WORD_AT.finditer(text, line_start, end))
    letters = ""
    for k in range(len(words) - 1, -1, -1):
        word = words[k]
        if k < len(words) - 1 and not text[word.end() : words[k + 1].start()].isspace():
            break
        written = word.group()
        if written.lower() in _BRACKET_MINOR:
            continue
        if not written[0].isupper():
            break
        key = _acronym_key(written)
        letters = (key if key is not None else written[0]) + letters
        if letters == acronym:
            return word.start(), end, text[word.start() : end]
        if not acronym.endswith(letters):
            break
    return None


def _bracketed_targets(art: _Article, log: _Log) -> dict[str, tuple[str, str]]:
    """Acronym (without dots) -> (entity, label) it is introduced for by "Name (ACRONYM)".

    The name is the mention written right before the bracket when the
    acronym's letters fit it, else the capitalised phrase there whose initials
    it is (that phrase becomes a mention); otherwise the bracket is no
    introduction ("Calif. (KGO)").
    """
    targets: dict[str, tuple[str, str]] = {}
    for match in _BRACKETED.finditer(art.text):
        written = match.group(1)
        acronym = written.replace(".", "")
        if acronym in targets:
            continue
        end = len(art.text[: match.start()].rstrip())
        before = [i for i, e in enumerate(art.end) if e == end and art.start[i] < end]
        index = before[0] if before else None
        if index is not None and art.entity[index] in (written, acronym):
            continue
        if index is not None and _fits(acronym, art.entity[index]):
            targets[acronym] = (art.entity[index], art.label[index])
            continue
        found = _bracket_phrase(art.text, end, acronym)
        if found is not None:
            start, end, phrase = found
            label = _expand_at(art, start, end, phrase, log)
            targets[acronym] = (canonical_name(phrase, label)[0], label)
    return targets


def _phrase_expansion(art: _Article, acronym: str, before: int) -> tuple[int, int, str] | None:
    """A capitalised phrase before ``before`` with initials ``acronym`` holding a mention.

    The mentions in it must not be persons' names ("Marco Arment" is no "MA"),
    even where NER labelled one of them otherwise.
    """
    persons = {e for e, label in zip(art.entity, art.label, strict=True) if label == "PERSON"}
    found: dict[str, tuple[int, int]] = {}
    for match in _PHRASE.finditer(art.text, 0, before):
        phrase = _LEADING_THE.sub("", match.group())
        start = match.end() - len(phrase)
        if acronym not in initials(phrase):
            continue
        inside = _inside(art, start, match.end())
        if inside and all(art.entity[i] not in persons for i in inside):
            found.setdefault(phrase, (start, match.end()))
    if len(found) != 1:
        return None
    ((phrase, (start, end)),) = found.items()
    return start, end, phrase


def _inside(art: _Article, start: int, end: int) -> list[int]:
    """Indices of the mentions overlapping ``[start, end)``."""
    return [i for i in range(len(art.start)) if art.start[i] < end and start < art.end[i]]


def _absorb(
    art: _Article, start: int, end: int, entity: str, log: _Log, label: str | None = None
) -> str:
    """Make ``text[start:end]`` one mention of ``entity``, replacing the mentions inside it.

    The label is that of a mention covering the whole span, else ORG (a part
    of the name says little: "Islamic" NORP in "Islamic State", "Europe" LOC in
    "Green New Deal for Europe"), or NE in an article labelled without types.
    """
    inside = [i for i in range(len(art.start)) if start <= art.start[i] and art.end[i] <= end]
    if label is None:
        whole = [art.label[i] for i in inside if (art.start[i], art.end[i]) == (start, end)]
        untyped = UNTYPED_LABEL in art.label  # the article's labels have no types
        label = whole[0] if whole else UNTYPED_LABEL if untyped else "ORG"
    # The longest mention inside is extended to the phrase; the others become duplicates
    # of it (dropped later), not aliases of the phrase ("US" in "US Patent and Trademark Office").
    longest = max(inside, key=lambda i: (art.end[i] - art.start[i], -i), default=None)
    if longest is not None and (art.entity[longest], art.label[longest]) != (entity, label):
        log.add(art.article_id, art.surface[longest], entity, label, "acronym expansion")
    for i in inside:
        art.move(i, start, end)
        art.entity[i], art.label[i] = entity, label
    if not inside:
        art.add(start, end, label, entity)
    return label


def _link_acronyms(art: _Article, log: _Log) -> None:
    if not art.text:
        return
    bracketed = _bracketed_targets(art, log)
    by_initials = _entity_by_initials(art)
    expansions: dict[str, tuple[str, str] | None] = {}
    for match in _ACRONYM.finditer(art.text):
        (start, end), acronym = match.span(), match.group().replace(".", "")
        if _mostly_capitals(art.text, start):
            continue
        if acronym in bracketed:
            (entity, label), reason = bracketed[acronym], "acronym (introduced)"
        elif len({art.entity[i] for i in by_initials.get(acronym, ())}) == 1:
            target = next(iter(by_initials[acronym]))
            entity, label, reason = art.entity[target], art.label[target], "acronym (initials)"
        else:
            if acronym not in expansions:
                expansions[acronym] = _expand(art, acronym, start, log)
            if expansions[acronym] is None:
                continue
            (entity, label), reason = expansions[acronym], "acronym (initials of a phrase)"
        _set_acronym(art, start, end, entity, label, reason, log)


def _expand(art: _Article, acronym: str, before: int, log: _Log) -> tuple[str, str] | None:
    found = _phrase_expansion(art, acronym, before)
    if found is None:
        return None
    start, end, phrase = found
    return phrase, _expand_at(art, start, end, phrase, log)


def _expand_at(art: _Article, start: int, end: int, phrase: str, log: _Log) -> str:
    """Make the phrase at ``[start, end)`` and its other occurrences mentions; return the label."""
    label = _absorb(art, start, end, phrase, log)
    for match in re.finditer(rf"\b(?:[Tt]he\s+)?{re.escape(phrase)}\b", art.text):
        s = match.end() - len(phrase)
        if s != start:
            _absorb(art, s, match.end(), phrase, log, label)
    return label


def _set_acronym(
    art: _Article, start: int, end: int, entity: str, label: str, reason: str, log: _Log
) -> None:
    for i in range(len(art.start)):
        if art.start[i] == start and art.end[i] == end:
            if art.entity[i] != entity:
                art.entity[i], art.label[i] = entity, label
                log.add(art.article_id, art.surface[i], entity, label, reason)
            return
    if _free(art, start, end):
        art.add(start, end, label, entity)
        log.add(art.article_id, art.text[start:end], entity, label, reason)


# --------------------------------------------------------------------------- corpus
def _spelling_style(name: str) -> tuple[int, int]:
    """(all in lower case, words in capitals) of ``name``: lower is a better spelling."""
    words = re.findall(r"[^\W\d_]{2,}", name)
    return int(name == name.lower()), sum(w.isupper() for w in words)


def _merge_spellings(frame: pd.DataFrame, log: _Log) -> pd.DataFrame:
    """Spellings differing in case or dots become one entity.

    The name kept is written in ordinary case when any spelling is (not a
    headline's "THERESA VILLIERS" nor a lower-case "bosentan"), then the most
    frequent, then the first in sort order.
    """
    names = frame["entity"].value_counts()
    keys = names.index.str.casefold().str.replace(".", "", regex=False)
    several = keys.duplicated(keep=False)
    if not several.any():
        return frame
    counts = pd.DataFrame({"key": keys[several], "entity": names.index[several]})
    style = [_spelling_style(name) for name in counts["entity"]]
    counts = counts.assign(
        lower=[lower for lower, _ in style],
        caps=[caps for _, caps in style],
        n=names.to_numpy()[several],
    ).sort_values(
        ["key", "lower", "caps", "n", "entity"], ascending=[True, True, True, False, True]
    )
    best = counts.drop_duplicates("key").set_index("key")["entity"]
    to = {
        entity: best[key]
        for key, entity in zip(counts["key"], counts["entity"], strict=True)
        if best[key] != entity
    }
    changed = frame["entity"].isin(to.keys())
    merged = frame["entity"].mask(changed, frame["entity"][changed].map(to))
    for row in (
        frame.loc[changed, ["article_id", "entity", "label"]]
        .assign(to=merged[changed])
        .drop_duplicates()
        .itertuples(index=False)
    ):
        log.add(row.article_id, row.entity, row.to, row.label, "spelling variant")
    return frame.assign(entity=merged)


def _merge_middle_initials(frame: pd.DataFrame, log: _Log) -> pd.DataFrame:
    """A full name with middle initials is the person of the same name without them.

    "Michael R. Bloomberg" -> "Michael Bloomberg" when the corpus names him so too.
    """
    names = set(frame.loc[frame["label"].eq("PERSON"), "entity"].unique())
    to = {}
    for name in names:
        words = name.split(" ")
        if len(words) < 3 or not is_person_name(name):
            continue
        last = len(words) - 1
        plain = " ".join(
            w for i, w in enumerate(words) if not (0 < i < last and _INITIAL.fullmatch(w))
        )
        if plain != name and plain in names:
            to[name] = plain
    if not to:
        return frame
    hit = frame["entity"].isin(to)
    target = frame.loc[hit, "entity"].map(to)
    for row in (
        frame.loc[hit, ["article_id", "entity", "label"]]
        .assign(to=target)
        .drop_duplicates()
        .itertuples(index=False)
    ):
        log.add(row.article_id, row.entity, row.to, row.label, "middle initial")
    return frame.assign(entity=frame["entity"].mask(hit, target))


def _surname(name: str) -> str:
    """The last word of a full name, suffixes aside ("Martin Luther King Jr." -> "King")."""
    words = [w for w in name.split(" ") if w not in _NAME_SUFFIXES]
    return words[-1]


def _link_across(frame: pd.DataFrame, log: _Log) -> pd.DataFrame:
    """Link a single-word PERSON entity to the one full name of the corpus holding that word.

    The word must be the full name's surname (its last word), or be used alone
    for that name within some article ("Xi" for "Xi Jinping"): a given name
    alone ("Morgan", "Pete") is too often someone else.
    """
    persons = frame["label"].eq("PERSON")
    names = frame.loc[persons, "entity"].unique()
    full = [n for n in names if " " in n and is_person_name(n)]
    owners = _owners(full)
    links, given = {}, {}
    for name in names:
        owner = owners.get(name, ())
        if " " in name or len(owner) != 1:
            continue
        (links if _surname(owner[0]) == name else given)[name] = owner[0]
    if given:
        wanted = persons & frame["entity"].isin(set(given.values()))
        used = frame.loc[wanted, ["text", "entity"]].drop_duplicates()
        evidence = {
            (canonical_name(text, "PERSON")[0], entity)
            for text, entity in used.itertuples(index=False)
        }
        links.update({name: to for name, to in given.items() if (name, to) in evidence})
    if not links:
        return frame
    # A word NER mostly takes for something else ("Python", ORG) is no one's surname here:
    # count every mention written so, linked within its article or not.
    forms = {f"{name}{end}": name for name in links for end in ("", "'s", "\u2019s")}
    written = frame["text"].map(forms)
    counted = written.notna()
    persons_share = frame.loc[counted, "label"].eq("PERSON").groupby(written[counted]).mean()
    links = {name: full for name, full in links.items() if persons_share.get(name, 0) > 0.5}
    if not links:
        return frame
    hit = persons & frame["entity"].isin(links)
    target = frame.loc[hit, "entity"].map(links)
    for row in (
        frame.loc[hit, ["article_id", "text"]]
        .assign(to=target)
        .drop_duplicates()
        .itertuples(index=False)
    ):
        log.add(row.article_id, row.text, row.to, "PERSON", "short name (corpus)")
    entity = frame["entity"].copy()
    entity[hit] = target
    return frame.assign(entity=entity)


def _vote_labels(frame: pd.DataFrame, log: _Log) -> pd.DataFrame:
    counts = frame.groupby(["entity", "label"], sort=True).size().reset_index(name="n")
    counts = counts.sort_values(["entity", "n", "label"], ascending=[True, False, True])
    best = counts.drop_duplicates("entity").set_index("entity")["label"]
    voted = frame["entity"].map(best)
    changed = voted.ne(frame["label"])
    for row in (
        frame.loc[changed, ["article_id", "text", "entity"]]
        .assign(to=voted[changed])
        .drop_duplicates()
        .itertuples(index=False)
    ):
        log.add(row.article_id, row.text, row.entity, row.to, "label vote")
    return frame.assign(label=voted)


# --------------------------------------------------------------------------- driver
def _trim_mentions(frame: pd.DataFrame) -> pd.DataFrame:
    """Trim each mention to the name it holds (offsets follow); drop those holding none."""
    if frame.empty:
        return frame
    cuts = {text: trim_span(text) for text in frame["text"].unique()}
    if all(cut == (0, len(text)) for text, cut in cuts.items()):
        return frame
    cut = frame["text"].map(cuts)
    kept = cut.notna()
    frame, cut = frame[kept], cut[kept]
    left = np.array([c[0] for c in cut], dtype=np.int64)
    right = np.array([c[1] for c in cut], dtype=np.int64)
    text = [t[a:b] for t, a, b in zip(frame["text"], left, right, strict=True)]
    logger.debug("%d mention(s) without a name dropped", int((~kept).sum()))
    return frame.assign(
        start=frame["start"].to_numpy() + left,
        end=frame["start"].to_numpy() + right,
        text=pd.Series(text, index=frame.index, dtype="str"),
    )


def _drop_overlaps(frame: pd.DataFrame) -> pd.DataFrame:
    """Of mentions overlapping in an article (nested, crossing or equal), keep the longest."""
    if frame.empty:
        return frame
    ordered = frame.sort_values(["article_id", "start", "end"], kind="stable")
    reach = ordered.groupby("article_id", sort=False)["end"].cummax()
    previous = reach.groupby(ordered["article_id"], sort=False).shift(1)
    clash = ordered["start"] < previous
    if not clash.any():
        return frame
    drop: list[Any] = []
    for article_id in ordered.loc[clash, "article_id"].unique():
        rows = frame[frame["article_id"] == article_id]
        kept = set(_keep_longest(rows["start"].tolist(), rows["end"].tolist()))
        drop.extend(label for i, label in enumerate(rows.index) if i not in kept)
    logger.debug("%d mention(s) inside or across a longer one dropped", len(drop))
    return frame.drop(index=drop)


def _normalise(frame: pd.DataFrame, log: _Log) -> pd.Series:
    pairs = frame[["text", "label"]].drop_duplicates()
    names = {}
    for text, label in pairs.itertuples(index=False):
        name, reasons = canonical_name(text, label)
        names[(text, label)] = name
    entity = pd.Series(
        [names[key] for key in zip(frame["text"], frame["label"], strict=True)],
        index=frame.index,
        dtype="str",
    )
    changed = frame.loc[entity.ne(frame["text"]), ["article_id", "text", "label"]]
    for row in changed.assign(to=entity[changed.index]).drop_duplicates().itertuples(index=False):
        reasons = canonical_name(row.text, row.label)[1]
        if reasons != ["whitespace"]:
            log.add(
                row.article_id, row.text, row.to, row.label, "normalised: " + ", ".join(reasons)
            )
    return entity


def _split_articles(frame: pd.DataFrame, texts: dict[str, str]) -> list[_Article]:
    """One :class:`_Article` per article of ``frame`` (then of ``texts``), rows in frame order."""
    ids = frame["article_id"].to_numpy()
    columns = {c: frame[c].to_numpy().tolist() for c in [*_ARTICLE_FIELDS.values(), "backend"]}
    out: dict[str, _Article] = {}
    for row, article_id in enumerate(ids.tolist()):
        art = out.get(article_id)
        if art is None:
            art = out[article_id] = _Article(
                article_id, texts.get(article_id), str(columns["backend"][row])
            )
        for attribute, column in _ARTICLE_FIELDS.items():
            getattr(art, attribute).append(columns[column][row])
    for article_id, text in texts.items():
        if article_id not in out:
            out[article_id] = _Article(article_id, text, "")
    return list(out.values())


def _join_articles(articles: list[_Article], layouts: dict[str, _Layout]) -> pd.DataFrame:
    """Rebuild the mentions frame from the edited articles (numbering new or moved mentions)."""
    rows: dict[str, list] = {c: [] for c in MENTION_COLUMNS}
    for art in articles:
        if not art.start:
            continue
        if -1 in art.sentence:
            layout = layouts.get(art.article_id) or _Layout.of(art.text)
            art.paragraph, art.sentence = (v.tolist() for v in layout.locate(art.start))
        n = len(art.start)
        rows["article_id"].extend([art.article_id] * n)
        rows["paragraph"].extend(art.paragraph)
        rows["sentence"].extend(art.sentence)
        rows["start"].extend(art.start)
        rows["end"].extend(art.end)
        rows["text"].extend(art.surface)
        rows["label"].extend(art.label)
        rows["entity"].extend(art.entity)
        rows["backend"].extend([art.backend] * n)
    return pd.DataFrame(
        {c: pd.Series(v, dtype="int64" if c in _INT_COLUMNS else "str") for c, v in rows.items()}
    )


def _article_texts(articles: pd.DataFrame | None, text_col: str) -> dict[str, str]:
    if articles is None:
        return {}
    from .schema import usable_articles

    rows = usable_articles(articles, text_col=text_col)
    return dict(zip(rows["article_id"].astype("str"), rows[text_col].astype("str"), strict=True))


def resolve_aliases(
    mentions: pd.DataFrame,
    *,
    articles: pd.DataFrame | None = None,
    aliases: str | Path | pd.DataFrame | None = None,
    text_col: str = "text",
    scan: bool = True,
    across: bool = True,
    common_aliases: bool = True,
    return_log: bool = False,
    _layouts: dict[str, _Layout] | None = None,
    _clean: bool = True,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Give every mention its canonical ``entity`` (rules in the module docstring).

    Parameters
    ----------
    mentions : pandas.DataFrame
        A mentions frame (``entity`` may be missing; it is recomputed from ``text``).
    articles : pandas.DataFrame, optional
        The articles the mentions come from. Needed to find what NER missed
        (bare surnames, acronyms); without it only the mentions are linked.
    aliases : str, Path or DataFrame, optional
        The user's alias table (CSV path or frame: alias, entity, label).
    text_col : str
        Text column of ``articles``.
    scan : bool
        Scan the article texts for bare names and acronyms NER missed.
    across : bool
        Apply the corpus-wide rules (spelling variants, short names, label vote).
    common_aliases : bool
        Also apply the built-in table of very common abbreviations
        (:data:`COMMON_ABBREVIATIONS`: "US", "U.S." and "USA" -> United States,
        "UN" -> United Nations, ...); a row of ``aliases`` for the same alias
        replaces its entry (map an alias to itself to keep it as written).
    return_log : bool
        Also return the merge log as a frame.

    Returns
    -------
    pandas.DataFrame or (pandas.DataFrame, pandas.DataFrame)
        The mentions frame: ``article_id``, ``paragraph``, ``sentence``,
        ``start``, ``end``, ``text``, ``label``, ``entity``, ``backend``, sorted
        by article (input order) and ``start``; ``attrs["alias_log"]`` holds the
        merge log records. With ``return_log``, also the log: ``article_id``,
        ``alias``, ``entity``, ``label``, ``reason``.
    """
    missing = [c for c in MENTION_COLUMNS if c != "entity" and c not in mentions.columns]
    if missing:
        raise ValueError(f"mentions frame lacks column(s) {missing}")
    log = _Log()
    table = _Table.build(load_alias_table(aliases), common_aliases)
    texts = _article_texts(articles, text_col) if scan else {}
    frame = mentions.reset_index(drop=True)
    if _clean:
        frame = _drop_overlaps(_trim_mentions(frame)).reset_index(drop=True)
    frame = _apply_table(frame.assign(entity=_normalise(frame, log)), table, log)
    parts = _split_articles(frame, texts)
    stopwords = stopword_list("english")
    for art in parts:
        if art.text is not None:
            _scan_short_names(art, stopwords, log)
        _link_short_names(art, log)
        if art.text is not None:
            _link_acronyms(art, log)
    for art in parts:
        art.drop_overlaps()
    out = _join_articles(parts, _layouts or {})
    if across and len(out):
        out = _merge_spellings(out, log)
        out = _merge_middle_initials(out, log)
        out = _link_across(out, log)
        out = _vote_labels(out, log)
        out = _apply_table(out, table, log)
    out = _sort(out)
    out.attrs = {**mentions.attrs, "alias_log": log.records()}
    if return_log:
        return out, alias_log(out)
    return out


def _sort(frame: pd.DataFrame) -> pd.DataFrame:
    order = pd.Series(pd.factorize(frame["article_id"])[0], index=frame.index)
    return (
        frame.assign(_order=order)
        .sort_values(["_order", "start", "end"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )
