"""Canonical entity names: normalisation, short names, acronyms, an editable alias table.

The rules, in the order :func:`resolve_aliases` applies them:

1. **Normalise** each mention's text: whitespace collapsed, a leading "the"
   and a trailing possessive "'s" removed, titles stripped from person names
   ("President Xi Jinping" -> "Xi Jinping"), a trailing " province" dropped
   from places ("Zhejiang province" -> "Zhejiang").
2. **Alias table** (user CSV: alias, entity, label): an alias written in the
   text or produced by step 1 becomes the table's entity (and label).
3. **Short names within an article.** A "full name" is a PERSON entity of two
   or more tokens. A later mention made only of tokens of exactly one full
   name of the same article links to it, whatever the name order: Chinese
   "Hou Le" ... "Hou" and western "Thorsten Boelts" ... "Boelts" follow the
   same rule ("a later single token equal to a token of exactly one earlier
   full name"). NER often misses such bare names, so the article text is
   scanned for them after the full name's first mention; a token shared by two
   full names of the article is ambiguous and left alone.
4. **Acronyms within an article**: one introduced in brackets right after a
   name ("Islamic State (IS)"), or equal to the initials of exactly one
   multi-word entity of the article ("UN" -> United Nations), links to it. When
   no entity matches, a capitalised phrase written earlier in the article
   whose initials match and that holds a mention ("The Islamic State group" with
   NER's "Islamic") becomes the entity.
5. **Across articles**: spellings that differ only in case or dots are one
   entity (the most frequent spelling wins); a single-token PERSON left
   unresolved links to the one full name of the corpus holding that token;
   each entity gets one label (the majority of its mentions).
6. The alias table is applied again, so the user has the last word.

Every change is written to a merge log (article_id, alias, entity, label, reason).
"""

from __future__ import annotations

import bisect
import logging
import re
from collections import defaultdict
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
    spokesperson director ceo coach
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
_POSSESSIVE = re.compile(r"(?<=\w)(?:['\u2019]s|s['\u2019])$")
_PROVINCE = re.compile(r"\s+province$", re.IGNORECASE)
_EDGE_PUNCT = "\"'\u2018\u2019\u201c\u201d()[]{},;:"
_ACRONYM = re.compile(r"\b[A-Z][A-Z&]{1,7}\b")
_BRACKETED = re.compile(r"\(\s*([A-Z][A-Z&]{1,7})s?\s*\)")
_CAP_WORD = re.compile(r"[A-Z][\w'\u2019-]*")
_PHRASE = re.compile(r"[A-Z][\w'\u2019-]*(?:\s+(?:(?:of|the|and|for|&)\s+)?[A-Z][\w'\u2019-]*)+")


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


def initials(name: str) -> tuple[str, ...]:
    """Return the acronyms of a multi-word name ("Ministry of Public Security" -> MPS, MOPS)."""
    words = [w for w in re.split(r"[\s-]+", name) if w]
    if len(words) < 2:
        return ()
    major = "".join(w[0] for w in words if w.lower() not in _MINOR_WORDS).upper()
    every = "".join(w[0] for w in words).upper()
    return tuple(dict.fromkeys(a for a in (major, every) if len(a) >= 2))


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
        whitespace-trimmed, without blank aliases, last row winning per alias.
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
    return out.drop_duplicates("alias", keep="last").reset_index(drop=True)


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
    return table.drop_duplicates("alias").sort_values("alias").reset_index(drop=True)


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
def _apply_table(frame: pd.DataFrame, table: pd.DataFrame, log: _Log) -> pd.DataFrame:
    """Map mentions whose text or entity is an alias of the table (text first)."""
    if not len(table) or not len(frame):
        return frame
    keys = table["alias"].str.casefold()
    to_entity = pd.Series(table["entity"].to_numpy(), index=keys)
    to_label = pd.Series(table["label"].to_numpy(), index=keys)
    by_text = frame["text"].str.casefold()
    key = by_text.where(by_text.isin(keys), frame["entity"].str.casefold())
    hit = key.isin(keys)
    if not hit.any():
        return frame
    entity = frame["entity"].mask(hit, key.map(to_entity))
    new_label = key.map(to_label).fillna("")
    label = frame["label"].mask(hit & new_label.ne(""), new_label)
    changed = hit & (entity.ne(frame["entity"]) | label.ne(frame["label"]))
    logged = frame.loc[changed, ["article_id", "text"]].assign(
        entity=entity[changed], label=label[changed]
    )
    for row in logged.drop_duplicates().itertuples(index=False):
        log.add(row.article_id, row.text, row.entity, row.label, "alias table")
    return frame.assign(entity=entity, label=label)


def _full_names(art: _Article) -> dict[str, int]:
    """PERSON entities of two or more words -> offset where the name is first written in full."""
    names: dict[str, int] = {}
    for start, label, entity in zip(art.start, art.label, art.entity, strict=True):
        if label == "PERSON" and " " in entity:
            names[entity] = min(start, names.get(entity, start))
    return names


def _owners(names: dict[str, int]) -> dict[str, list[str]]:
    owners: dict[str, list[str]] = defaultdict(list)
    for name in names:
        for token in set(name.split(" ")):
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
    if not tokens:
        return
    alternatives = "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))
    # Not followed by another capitalised word: "Hou Yifan" is someone else.
    pattern = re.compile(rf"\b(?:{alternatives})\b(?![ \t]+[A-Z][a-z])")
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


def _mostly_capitals(text: str, start: int) -> bool:
    """Whether the line holding ``start`` is a headline in capitals (acronyms unreliable there)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    words = re.findall(r"[A-Za-z]{2,}", text[line_start : line_end if line_end >= 0 else None])
    return sum(w.isupper() for w in words) * 2 > len(words)


def _entity_by_initials(art: _Article) -> dict[str, set[int]]:
    found: dict[str, set[int]] = defaultdict(set)
    for i, entity in enumerate(art.entity):
        for acronym in initials(entity):
            found[acronym].add(i)
    return found


def _bracketed_targets(art: _Article) -> dict[str, int]:
    """Acronym -> index of the mention written right before "(ACRONYM)"."""
    targets: dict[str, int] = {}
    ends = {e: i for i, e in enumerate(art.end)}
    for match in _BRACKETED.finditer(art.text):
        before = art.text[: match.start()].rstrip()
        index = ends.get(len(before))
        if index is not None and art.entity[index] != match.group(1):
            targets.setdefault(match.group(1), index)
    return targets


def _phrase_expansion(art: _Article, acronym: str, before: int) -> tuple[int, int, str] | None:
    """A capitalised phrase before ``before`` with initials ``acronym`` holding a mention."""
    found: dict[str, tuple[int, int]] = {}
    for match in _PHRASE.finditer(art.text, 0, before):
        phrase = _LEADING_THE.sub("", match.group())
        start = match.end() - len(phrase)
        if acronym in initials(phrase) and not _free(art, start, match.end()):
            found.setdefault(phrase, (start, match.end()))
    if len(found) != 1:
        return None
    ((phrase, (start, end)),) = found.items()
    return start, end, phrase


def _absorb(art: _Article, start: int, end: int, entity: str, log: _Log) -> str:
    """Make ``text[start:end]`` one mention of ``entity``, replacing the mentions inside it."""
    inside = [i for i in range(len(art.start)) if start <= art.start[i] and art.end[i] <= end]
    labels = [art.label[i] for i in inside]
    label = "ORG" if not labels or labels[0] in ("NORP", "ORG") else labels[0]
    for i in inside:
        log.add(art.article_id, art.surface[i], entity, label, "acronym expansion")
        art.move(i, start, end)
        art.entity[i], art.label[i] = entity, label
    if not inside:
        art.add(start, end, label, entity)
    return label


def _link_acronyms(art: _Article, log: _Log) -> None:
    if not art.text:
        return
    by_initials = _entity_by_initials(art)
    bracketed = _bracketed_targets(art)
    expansions: dict[str, tuple[str, str] | None] = {}
    for match in _ACRONYM.finditer(art.text):
        acronym, (start, end) = match.group(), match.span()
        if _mostly_capitals(art.text, start):
            continue
        if acronym in bracketed:
            target = bracketed[acronym]
            entity, label, reason = art.entity[target], art.label[target], "acronym (introduced)"
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
    label = _absorb(art, start, end, phrase, log)
    for match in re.finditer(rf"\b(?:[Tt]he\s+)?{re.escape(phrase)}\b", art.text):
        s = match.end() - len(phrase)
        if s != start:
            _absorb(art, s, match.end(), phrase, log)
    return phrase, label


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
def _merge_spellings(frame: pd.DataFrame, log: _Log) -> pd.DataFrame:
    key = frame["entity"].str.casefold().str.replace(".", "", regex=False)
    counts = frame.assign(key=key).groupby(["key", "entity"], sort=True).size().reset_index()
    counts = counts.sort_values(["key", 0, "entity"], ascending=[True, False, True])
    best = counts.drop_duplicates("key").set_index("key")["entity"]
    merged = key.map(best)
    changed = merged.ne(frame["entity"])
    for row in (
        frame.loc[changed, ["article_id", "entity", "label"]]
        .assign(to=merged[changed])
        .drop_duplicates()
        .itertuples(index=False)
    ):
        log.add(row.article_id, row.entity, row.to, row.label, "spelling variant")
    return frame.assign(entity=merged)


def _link_across(frame: pd.DataFrame, log: _Log) -> pd.DataFrame:
    persons = frame.loc[frame["label"].eq("PERSON"), "entity"].unique()
    full = [n for n in persons if " " in n]
    owners = _owners(dict.fromkeys(full, 0))
    single = {n: owners[n][0] for n in persons if " " not in n and len(owners.get(n, ())) == 1}
    if not single:
        return frame
    hit = frame["label"].eq("PERSON") & frame["entity"].isin(single)
    target = frame.loc[hit, "entity"].map(single)
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
    return_log: bool = False,
    _layouts: dict[str, _Layout] | None = None,
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
    table = load_alias_table(aliases)
    texts = _article_texts(articles, text_col) if scan else {}
    frame = mentions.reset_index(drop=True)
    frame = _apply_table(frame.assign(entity=_normalise(frame, log)), table, log)
    parts = _split_articles(frame, texts)
    stopwords = stopword_list("english")
    for art in parts:
        if art.text is not None:
            _scan_short_names(art, stopwords, log)
        _link_short_names(art, log)
        if art.text is not None:
            _link_acronyms(art, log)
    out = _join_articles(parts, _layouts or {})
    if across and len(out):
        out = _merge_spellings(out, log)
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
