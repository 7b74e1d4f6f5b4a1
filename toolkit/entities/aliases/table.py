"""The alias table (the user's CSV over common abbreviations), its use, and the merge log.

Rule 2 of :func:`toolkit.entities.aliases.resolve.resolve_aliases`, the **alias table**: the
user's table (CSV: alias, entity, label) on top of the built-in very common
abbreviations (:data:`COMMON_ABBREVIATIONS`: "US", "U.S.", "USA" -> United
States; "UK", "UN", "EU", ...). An alias written in the text or produced by
rule 1 becomes the table's entity (and label); an acronym alias covers its
dotted and plain forms; a user's row replaces the built-in entry for its
alias. An alias maps to one entity. The table is applied again after the
corpus-wide rules, so it has the last word.

Every change the rules make is written to a merge log (article_id, alias,
entity, label, reason): :class:`Log` while they run, :func:`alias_log` as a
frame afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from toolkit.entities.aliases.names import ACRONYM_TEXT_FULL, LEADING_THE, acronym_key

ALIAS_COLUMNS = ["alias", "entity", "label"]
LOG_COLUMNS = ["article_id", "alias", "entity", "label", "reason"]

#: The label of an entity of unknown type (NLTK's binary chunker).
UNTYPED_LABEL = "NE"
_COMMON = "common abbreviation"

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


# --------------------------------------------------------------------------- log
class Log:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str, str, str, str], None] = {}

    def add(self, article_id: str, alias: str, entity: str, label: str, reason: str) -> None:
        self.rows[(article_id, alias, entity, label, reason)] = None

    def records(self) -> list[dict[str, str]]:
        return [dict(zip(LOG_COLUMNS, row, strict=True)) for row in self.rows]


# --------------------------------------------------------------------------- apply
def alias_key(alias: str) -> str:
    """How aliases are matched: whatever the case, without a leading "the" ("the G20" = "G20").

    Mentions no longer hold the article ("the Baltimore Orioles" is the span
    "Baltimore Orioles"), so a table row written with it must still match.
    """
    return LEADING_THE.sub("", alias.strip()).casefold()


@dataclass(frozen=True)
class Table:
    """The alias table as lookups: the user's rows by case-folded alias, acronyms without dots."""

    exact: dict[str, tuple[str, str, str]]
    acronyms: dict[str, tuple[str, str, str]]

    @classmethod
    def build(cls, table: pd.DataFrame, common: bool) -> Table:
        acronyms = {
            key: (entity, label, _COMMON)
            for key, (entity, label) in (COMMON_ABBREVIATIONS.items() if common else ())
        }
        exact = {}
        for alias, entity, label in table[ALIAS_COLUMNS].itertuples(index=False):
            row = (entity, label, "alias table")
            exact[alias_key(alias)] = row
            key = acronym_key(alias) or acronym_key(alias.upper())
            if key is not None and (acronym_key(alias) or key in acronyms):
                acronyms[key] = row  # the user's row wins, dotted and plain forms alike
        return cls(exact, acronyms)

    def __bool__(self) -> bool:
        return bool(self.exact or self.acronyms)

    def rows_for(self, names: pd.Series) -> dict[str, tuple[str, str, str]]:
        """Name -> table row for the names of ``names`` the table holds."""
        unique = pd.Series(names.unique(), dtype="str")
        maybe = unique.map(alias_key).isin(self.exact.keys())
        if self.acronyms:
            maybe |= unique.str.fullmatch(ACRONYM_TEXT_FULL.pattern)
        found = {}
        for name in unique[maybe]:
            row = self.lookup(name)
            if row is not None:
                found[name] = row
        return found

    def lookup(self, name: str) -> tuple[str, str, str] | None:
        """The table row for a name as written or canonical (the user's first), or None."""
        row = self.exact.get(alias_key(name))
        if row is None:
            key = acronym_key(name)
            row = self.acronyms.get(key) if key is not None else None
        return row


def apply_table(frame: pd.DataFrame, table: Table, log: Log) -> pd.DataFrame:
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
