"""Why inputs were not read, in a few lines; and a stop when none was.

``read_articles`` never raises for a bad page: each becomes a row with a status and
an error. A notebook or a command that has nothing to analyse should stop there and
say why, before it draws empty charts: :func:`require_readable` does, with the
counts by status and the first reasons.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from toolkit.schema import usable_articles

#: Statuses of rows that were read (a duplicate was read, then found to copy another row).
READ_STATUSES = ("ok", "duplicate")


class NoReadableArticles(ValueError):
    """No input gave a readable article; the message says what happened to them.

    Attributes
    ----------
    counts : dict
        Rows per status.
    reasons : list of str
        The first inputs' errors (:func:`failure_reasons`).
    """

    def __init__(self, counts: Mapping[str, int], reasons: list[str]) -> None:
        self.counts = dict(counts)
        self.reasons = list(reasons)
        detail = "; ".join(reasons)
        super().__init__(
            f"no input gave a readable article ({status_line(counts)})"
            + (f": {detail}" if detail else "")
        )


def status_line(counts: Mapping[str, int]) -> str:
    """``"error 2, ok 1"``: the rows per status, by name (``"no documents"`` when empty)."""
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "no documents"


def failure_reasons(articles: pd.DataFrame, *, first: int = 3) -> list[str]:
    """The first ``first`` inputs that were not read, each as ``"<input>: <status>: <error>"``.

    A last line says how many more there are.
    """
    failed = articles.loc[~articles["status"].isin(READ_STATUSES)]
    lines = [
        f"{row.source_uri}: {row.status}: {row.error}"
        for row in failed.head(first).itertuples(index=False)
    ]
    if len(failed) > first:
        lines.append(f"... and {len(failed) - first} more (see the status and error columns)")
    return lines


def require_readable(articles: pd.DataFrame) -> pd.DataFrame:
    """Return ``articles`` if one row at least is readable; else raise, saying why.

    Parameters
    ----------
    articles : pandas.DataFrame
        An articles frame (``read_articles``).

    Returns
    -------
    pandas.DataFrame
        ``articles`` itself (so that ``require_readable(read_articles(...))`` reads well).

    Raises
    ------
    NoReadableArticles
        (a ``ValueError``) when no row has status ``ok`` and some text: its message
        gives the rows per status and the first inputs' errors.
    """
    if not usable_articles(articles).empty:
        return articles
    counts = articles["status"].value_counts().to_dict() if "status" in articles else {}
    reasons = failure_reasons(articles) if "status" in articles and len(articles) else []
    raise NoReadableArticles(counts, reasons)
