"""Distinctive terms (keyness against general language) beside the most frequent ones."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from toolkit.plots.base import MUTED, draw_empty, require_columns, shorten, styled
from toolkit.vocab import check_positive_int

DISTINCTIVE_COLOR = "#0072B2"


def distinctive_rows(keyness: pd.DataFrame, *, n: int, q_threshold: float = 0.05) -> pd.DataFrame:
    """The ``n`` terms with the largest G² among those overused (log ratio > 0) at q < threshold."""
    significance = "q" if "q" in keyness.columns else "p_value"
    rows = keyness.loc[(keyness["log_ratio"] > 0) & (keyness[significance] < q_threshold)]
    return rows.sort_values(["g2", "term"], ascending=[False, True], kind="stable").head(n)


@styled
def plot_distinctive_terms(
    keyness: pd.DataFrame,
    *,
    n: int = 20,
    q_threshold: float = 0.05,
    title: str | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw the distinctive terms (left) beside the most frequent ones (right).

    Left: the ``n`` terms the articles use most above their general-language rate
    (largest G² with ``log_ratio > 0`` and ``q < q_threshold``), the bar the log₂
    ratio (each unit doubles the rate), the count written after it. Right: the ``n``
    most frequent terms of the same table, by raw count; a term that is also
    distinctive is in colour, the others in grey, so fillers stand out.

    Parameters
    ----------
    keyness : pandas.DataFrame
        ``keyness(..., reference="general")`` (any keyness table works):
        ``term``, ``count_target``, ``g2``, ``log_ratio`` and ``q`` (or ``p_value``).
    n : int
        Terms per panel.
    q_threshold : float
        Significance level of ``q``.
    title : str, optional
        Figure title (default "Distinctive terms and most frequent terms").
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.barh`.

    Returns
    -------
    matplotlib.axes.Axes
        The left panel (``ax.figure.axes`` holds both).

    Raises
    ------
    ValueError
        When a needed column is missing or an option is invalid.
    """
    check_positive_int("n", n)
    if not 0 < q_threshold <= 1:
        raise ValueError(f"q_threshold must be in (0, 1], not {q_threshold!r}")
    require_columns(keyness, ("term", "count_target", "g2", "log_ratio"),
                    what="plot_distinctive_terms")
    title = title or "Distinctive terms and most frequent terms"
    fig, (left, right) = plt.subplots(1, 2, figsize=(11.0, 0.26 * max(n, 4) + 1.8))
    fig.suptitle(title)
    distinctive = keyness.head(0) if keyness.empty else distinctive_rows(
        keyness, n=n, q_threshold=q_threshold)
    if distinctive.empty:
        draw_empty(left, "No distinctive term", title="Distinctive", xlabel="log₂ ratio")
    else:
        positions = np.arange(len(distinctive))[::-1]
        values = distinctive["log_ratio"].to_numpy(dtype=float)
        left.barh(positions, values, height=0.75, color=DISTINCTIVE_COLOR, **kwargs)
        for y, value, count in zip(positions, values, distinctive["count_target"], strict=True):
            left.text(value, y, f" {count:,}", va="center", fontsize="x-small")
        left.set_yticks(positions, [shorten(t, 24) for t in distinctive["term"]])
        left.set_ylim(-0.6, n - 0.4)
        left.set_xlim(0, values.max() * 1.18)
        left.grid(axis="y", visible=False)
        left.set_title(f"Distinctive (q < {q_threshold:g}, by G²)", fontsize="medium")
        left.set_xlabel("log₂ ratio to the general rate (count after the bar)")
    frequent = keyness.sort_values(["count_target", "term"], ascending=[False, True],
                                   kind="stable").head(n)
    if frequent.empty:
        draw_empty(right, "No terms", title="Most frequent", xlabel="count")
    else:
        positions = np.arange(len(frequent))[::-1]
        chosen = set(distinctive_rows(keyness, n=len(keyness), q_threshold=q_threshold)["term"])
        colors = [DISTINCTIVE_COLOR if t in chosen else MUTED for t in frequent["term"]]
        counts = frequent["count_target"].to_numpy(dtype=float)
        right.barh(positions, counts, height=0.75, color=colors, **kwargs)
        right.set_yticks(positions, [shorten(t, 24) for t in frequent["term"]])
        right.set_ylim(-0.6, n - 0.4)
        right.grid(axis="y", visible=False)
        right.set_title("Most frequent (raw counts; grey: not distinctive)", fontsize="medium")
        right.set_xlabel("count")
    return left
