"""Who is quoted: quotations per speaker, split by outlet (or by kind)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from toolkit.plots.base import (
    MUTED,
    OTHER_LABEL_COLORS,
    count_locator,
    draw_empty,
    largest_first,
    new_axes,
    require_columns,
    shorten,
    styled,
)
from toolkit.vocab import check_positive_int

#: Colours of the outlets (colour-blind safe), the rest grey.
SEGMENT_COLORS: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9",
                                   "#D55E00", "#F0E442", *OTHER_LABEL_COLORS[1:])
KIND_COLORS: dict[str, str] = {"direct": "#0072B2", "indirect": "#E69F00", "mixed": "#009E73"}
OTHER = "other"


def _segments(counts: pd.DataFrame, by: str | None, max_groups: int) -> tuple[pd.DataFrame, list]:
    """(speaker x segment counts, segment names): outlets (the largest, then "other") or kinds."""
    if by is None:
        kinds = [k for k in KIND_COLORS if k in counts.columns]
        table = counts.groupby("entity")[kinds].sum()
        return table, kinds
    totals = counts.groupby(by, dropna=False)["quotes"].sum()
    keep = largest_first(totals)[:max_groups]
    group = counts[by].where(counts[by].isin(keep), OTHER).astype(str)
    table = counts.assign(_group=group).pivot_table(
        index="entity", columns="_group", values="quotes", aggfunc="sum", fill_value=0)
    names = [str(k) for k in keep] + ([OTHER] if (group == OTHER).any() else [])
    return table.reindex(columns=names, fill_value=0), names


@styled
def plot_quotes(
    counts: pd.DataFrame,
    *,
    n: int = 15,
    max_groups: int = 6,
    title: str | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw the most quoted speakers as stacked bars: one segment per outlet (or kind).

    Parameters
    ----------
    counts : pandas.DataFrame
        :func:`toolkit.entities.quote_counts`: ``entity``, ``label``, ``quotes``,
        ``direct``, ``indirect``, ``mixed`` and, with ``by=``, the group column
        first (e.g. ``sitename``). With a group column each bar is split by group
        (the ``max_groups`` groups with the most quotations, the rest as "other");
        without one, by kind of quotation.
    n : int
        Number of speakers (bars).
    max_groups : int
        Most groups with a colour of their own.
    title : str, optional
        Chart title (default "Most quoted speakers").
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure sized for ``n`` bars when None.
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.barh`.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (one patch per speaker and segment with quotations).

    Raises
    ------
    ValueError
        When a needed column is missing or an option is invalid.
    """
    check_positive_int("n", n)
    check_positive_int("max_groups", max_groups)
    require_columns(counts, ("entity", "quotes"), what="plot_quotes")
    columns = list(counts.columns)
    by = columns[0] if columns and columns[0] != "entity" else None
    title = title or "Most quoted speakers"
    ax = new_axes(ax, (7.5, 0.3 * max(min(n, counts["entity"].nunique() if len(counts) else 0),
                                      4) + 1.6))
    if counts.empty:
        return draw_empty(ax, "No quotation has a named speaker", title=title,
                          xlabel="quotations", ylabel="speaker")
    table, names = _segments(counts, by, max_groups)
    order = largest_first(table.sum(axis=1))[:n]
    table = table.loc[order]
    positions = np.arange(len(table))[::-1]
    left = np.zeros(len(table))
    colors = KIND_COLORS if by is None else dict(zip(names, SEGMENT_COLORS, strict=False))
    handles = []
    for name in names:
        values = table[name].to_numpy(dtype=float)
        color = colors.get(name, MUTED) if name != OTHER else MUTED
        if values.any():
            drawn = values > 0
            ax.barh(positions[drawn], values[drawn], left=left[drawn], height=0.75,
                    color=color, **kwargs)
            handles.append(Patch(color=color, label=shorten(name, 28)))
        left += values
    for y, total in zip(positions, left, strict=True):
        ax.text(total, y, f" {total:.0f}", va="center", fontsize="x-small")
    labels = counts.drop_duplicates("entity").set_index("entity")["label"] \
        if "label" in counts.columns else pd.Series(dtype=str)
    ax.set_yticks(positions, [f"{shorten(e, 28)} ({labels.get(e, '?')})" for e in table.index])
    ax.set_ylim(-0.6, len(table) - 0.4)
    ax.set_xlim(0, left.max() * 1.12)
    ax.xaxis.set_major_locator(count_locator())
    ax.grid(axis="y", visible=False)
    ax.legend(handles=handles, title=by or "kind", loc="lower right", fontsize="x-small")
    ax.set_title(title)
    ax.set_xlabel("quotations")
    ax.set_ylabel("speaker (entity type)")
    return ax
