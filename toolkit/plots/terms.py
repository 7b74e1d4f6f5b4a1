"""Charts of term tables: top terms (horizontal bars) and keyness (diverging bars)."""

from __future__ import annotations

import logging
import math
from typing import Any, Literal

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from toolkit.plots.base import (
    count_locator,
    draw_empty,
    largest_first,
    new_axes,
    plain_text,
    require_columns,
    shorten,
    styled,
    unknown_value,
)
from toolkit.vocab import check_choice, check_positive_int

logger = logging.getLogger(__name__)

TermValue = Literal["count", "proportion", "tfidf"]
KeynessMeasure = Literal["log_ratio", "g2"]

TERM_VALUES: tuple[str, ...] = ("count", "proportion", "tfidf")
KEYNESS_MEASURES: tuple[str, ...] = ("log_ratio", "g2")
KEYNESS_COLUMNS: tuple[str, ...] = ("term", "g2", "log_ratio", "p_value")

#: x-axis label and scale factor of each value a top-terms chart can show.
_TERM_AXIS: dict[str, tuple[str, float]] = {
    "count": ("count (occurrences)", 1.0),
    "proportion": ("share of tokens (%)", 100.0),
    "tfidf": ("tf-idf (weight)", 1.0),
}
TARGET_COLOR = "#0072B2"
REFERENCE_COLOR = "#E69F00"
#: Fewest bar slots of a chart: one or two bars keep the thickness they have among four.
MIN_SLOTS = 4


def group_columns(counts: pd.DataFrame) -> list[str]:
    """Return the group columns of a term table: the columns before ``term``."""
    columns = list(counts.columns)
    return columns[: columns.index("term")] if "term" in columns else []


def _group_key(key: Any) -> tuple:
    return key if isinstance(key, tuple) else (key,)


def _group_label(key: Any) -> str:
    """Return a panel title for a group key; a missing value (NaN) reads "(missing)"."""
    return " / ".join("(missing)" if pd.isna(v) else str(v) for v in _group_key(key))


def _top_rows(frame: pd.DataFrame, value: str, n: int) -> pd.DataFrame:
    """Return the ``n`` rows with the largest ``value``, ties broken by term."""
    ranked = frame.assign(_neg=-frame[value].astype(float)).sort_values(["_neg", "term"])
    return ranked.head(n).drop(columns="_neg")


def _format_value(value: float, kind: str) -> str:
    if kind == "count":
        return f"{value:,.0f}"
    return f"{value:.3g}"


def bar_slots(ax: Axes, count: int, slots: int) -> np.ndarray:
    """Return the y positions of ``count`` bars, first at the top, in ``slots`` rows.

    The y limits hold ``max(count, slots)`` rows, so a chart or panel with fewer bars
    than its neighbours draws them just as thick, from the top, instead of stretching
    one bar over the whole height.
    """
    rows = max(count, slots)
    ax.set_ylim(-0.6, rows - 0.4)
    return rows - 1 - np.arange(count)


def _draw_term_bars(
    ax: Axes,
    top: pd.DataFrame,
    value: str,
    ylabel: str = "term",
    *,
    slots: int = MIN_SLOTS,
    **kwargs: Any,
) -> None:
    """Draw ``top`` (already ranked) as horizontal bars, the first row at the top."""
    label, factor = _TERM_AXIS[value]
    values = top[value].astype(float).to_numpy() * factor
    positions = bar_slots(ax, len(top), slots)
    kwargs.setdefault("color", TARGET_COLOR)
    bars = ax.barh(positions, values, height=0.75, **kwargs)
    ax.set_yticks(positions, [shorten(term, 30) for term in top["term"]])
    ax.bar_label(
        bars, labels=[_format_value(v, value) for v in values], padding=2, fontsize="x-small"
    )
    if len(values) and np.nanmax(values) > 0:
        # Room on the right for the value printed after the longest bar.
        ax.set_xlim(0, np.nanmax(values) * 1.15)
    if value == "count":
        ax.xaxis.set_major_locator(count_locator())
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(label)
    ax.set_ylabel(ylabel)


def _select_group(counts: pd.DataFrame, columns: list[str], group: Any) -> pd.DataFrame:
    """Return the rows of one group; a group that is not in the table raises ValueError."""
    key = _group_key(group)
    if len(key) != len(columns):
        raise ValueError(f"group={group!r} must give one value for each group column {columns}")
    mask = np.logical_and.reduce(
        [
            counts[c].isna() if pd.isna(v) else counts[c] == v
            for c, v in zip(columns, key, strict=True)
        ]
    )
    if not mask.any():
        keys = counts[columns].drop_duplicates().sort_values(columns)
        valid = list(keys.itertuples(index=False, name=None))
        valid = valid if len(columns) > 1 else [k[0] for k in valid]
        raise unknown_value(
            "group", group, valid, where=f"a group of the term table ({', '.join(columns)})"
        )
    return counts.loc[mask]


def _ranked_groups(counts: pd.DataFrame, columns: list[str], value: str) -> list[Any]:
    """Return the group keys, the groups with the largest total ``value`` first."""
    return largest_first(counts.groupby(columns, sort=True, dropna=False)[value].sum())


def _small_multiples(
    counts: pd.DataFrame,
    columns: list[str],
    *,
    n: int,
    value: str,
    max_groups: int,
    title: str,
    ylabel: str,
    **kwargs: Any,
) -> Axes:
    """Draw one panel per group (the ``max_groups`` largest) and return the first Axes.

    Every panel has as many bar slots as the fullest one, so a bar is as thick in a
    panel of one entry as in a panel of ``n``.
    """
    keys = _ranked_groups(counts, columns, value)
    shown = keys[:max_groups]
    if len(keys) > len(shown):
        logger.info("top terms: showing the %d largest of %d groups", len(shown), len(keys))
    grouped = counts.groupby(columns, sort=False, dropna=False)
    tops = [_top_rows(grouped.get_group(_group_key(key)), value, n) for key in shown]
    rows = max(MIN_SLOTS, *(len(top) for top in tops))
    ncols = min(len(shown), 3)
    nrows = math.ceil(len(shown) / ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(4.3 * ncols, (0.24 * rows + 1.3) * nrows), squeeze=False
    )
    for panel, key, top in zip(axes.flat, shown, tops, strict=False):
        _draw_term_bars(panel, top, value, ylabel, slots=rows, **kwargs)
        panel.set_title(shorten(_group_label(key), 40), fontsize="medium")
    for panel in axes.flat[len(shown) :]:
        panel.set_visible(False)
    more = f" ({len(shown)} largest of {len(keys)} groups)" if len(keys) > len(shown) else ""
    fig.suptitle(f"{title}{more}")
    return axes.flat[0]


@styled
def plot_top_terms(
    counts: pd.DataFrame,
    *,
    n: int = 20,
    value: TermValue = "count",
    group: Any = None,
    max_groups: int = 6,
    title: str | None = None,
    ylabel: str = "term",
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw the ``n`` most frequent terms as horizontal bars, the largest at the top.

    A term table with group columns (the columns before ``term``, e.g. ``sitename``)
    holds one ranking per group. Pass ``group`` to draw one of them into ``ax``; with
    ``group=None`` and several groups the chart is a figure of small multiples, one
    panel per group (the ``max_groups`` groups with the largest total), so outlets can
    be compared side by side. Small multiples need their own figure: ``ax`` must then
    be None, and the first panel is returned (``ax.figure.axes`` holds them all).

    Parameters
    ----------
    counts : pandas.DataFrame
        A term table: ``[group columns...]``, ``term`` and the ``value`` column
        (``count``, ``proportion`` or ``tfidf``).
    n : int
        Number of terms (bars) per panel.
    value : {"count", "proportion", "tfidf"}
        What the bars measure; ``proportion`` is drawn as a percentage of the group's
        tokens.
    group : scalar or tuple, optional
        The group to draw (a tuple when there are several group columns).
    max_groups : int
        Most panels drawn when small multiples are used.
    title : str, optional
        Chart title, used as given (default "Top terms", "Top terms by <group
        columns>" for small multiples; with ``group``, the group's name is appended).
    ylabel : str
        What the bars are, for the y axis (e.g. "entity" for a table of entities
        renamed to ``term``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure sized for ``n`` bars when None.
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.barh` (e.g. ``color``).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (one bar per term, in ``ax.patches``).

    Raises
    ------
    ValueError
        When ``term`` or the ``value`` column is missing, or an option is invalid.
    """
    check_choice("value", value, TERM_VALUES)
    check_positive_int("n", n)
    check_positive_int("max_groups", max_groups)
    require_columns(counts, ("term", value), what="plot_top_terms")
    columns = group_columns(counts)
    frame = counts
    if columns and group is not None:
        frame = _select_group(counts, columns, group)
        title = f"{title or 'Top terms'}: {shorten(_group_label(group), 40)}"
    elif group is not None:
        raise ValueError(f"group={group!r} given but the term table has no group columns")
    elif columns and counts[columns].drop_duplicates().shape[0] > 1:
        if ax is not None:
            raise ValueError(
                "the term table holds several groups: pass group=... to draw one into ax, "
                "or ax=None for small multiples"
            )
        # The default title names the grouping; a caller's title is used as given.
        title = title or f"Top terms by {', '.join(columns)}"
        return _small_multiples(
            counts,
            columns,
            n=n,
            value=value,
            max_groups=max_groups,
            title=title,
            ylabel=ylabel,
            **kwargs,
        )
    title = title or "Top terms"
    top = frame.head(0) if frame.empty else _top_rows(frame, value, n)
    ax = new_axes(ax, (7.0, 0.26 * max(len(top), MIN_SLOTS) + 1.4))
    if top.empty:
        return draw_empty(
            ax, "No terms to show", title=title, xlabel=_TERM_AXIS[value][0], ylabel=ylabel
        )
    _draw_term_bars(ax, top, value, ylabel, **kwargs)
    ax.set_title(title)
    return ax


def _keyness_sides(
    keyness: pd.DataFrame, *, n: int, p_threshold: float, measure: str
) -> pd.DataFrame:
    """Return the significant terms to draw, with a signed ``value``, top row first.

    Each side (overused in the target: ``log_ratio > 0``; in the reference: ``< 0``)
    keeps its ``n`` terms with the largest G², ties by term.
    """
    column = "q" if "q" in keyness.columns else "p_value"  # Benjamini–Hochberg when there
    significant = keyness.loc[keyness[column].astype(float) < p_threshold]
    sign = np.sign(significant["log_ratio"].astype(float))
    raw = significant["log_ratio"] if measure == "log_ratio" else significant["g2"].abs() * sign
    values = raw.astype(float).replace([np.inf, -np.inf], np.nan)
    # A term absent from one side can have an infinite log ratio: draw it at the edge.
    edge = float(np.nanmax(np.abs(values))) if values.notna().any() else 1.0
    values = values.fillna(sign * edge)
    frame = significant.assign(value=values, _neg_g2=-significant["g2"].astype(float))
    frame = frame.loc[frame["value"] != 0]
    sides = [
        frame.loc[frame["value"] > 0].sort_values(["_neg_g2", "term"]).head(n),
        frame.loc[frame["value"] < 0].sort_values(["_neg_g2", "term"]).head(n),
    ]
    chosen = pd.concat(sides) if any(len(side) for side in sides) else frame.head(0)
    return chosen.sort_values(["value", "term"], ascending=[False, True]).drop(columns="_neg_g2")


def _keyness_xlabel(measure: str, target: str, reference: str) -> str:
    if measure == "log_ratio":
        return f"log₂ ratio of relative frequencies ({target} / {reference})"
    return f"log-likelihood G² (signed: + {target}, − {reference})"


@styled
def plot_keyness(
    keyness: pd.DataFrame,
    *,
    n: int = 15,
    measure: KeynessMeasure = "log_ratio",
    p_threshold: float = 0.05,
    target_label: str = "target",
    reference_label: str = "reference",
    title: str | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw key terms as diverging bars: the target's to the right, the reference's left.

    Only terms with ``q < p_threshold`` are drawn (the Benjamini–Hochberg adjusted
    p-value; ``p_value`` for a table without ``q``); on each side the ``n`` with the
    largest G² (so up to ``2 * n`` bars). An infinite log ratio (a term absent from one
    side) is drawn at the largest finite value.

    Parameters
    ----------
    keyness : pandas.DataFrame
        The keyness table: ``term``, ``g2``, ``log_ratio``, ``p_value`` (the counts and
        totals may be there too; they are not needed).
    n : int
        Most terms drawn on each side.
    measure : {"log_ratio", "g2"}
        Bar length: the log₂ ratio (effect size) or G² signed by the log ratio.
    p_threshold : float
        Significance level of ``q`` (else ``p_value``); terms at or above it are left out.
    target_label, reference_label : str
        Names of the two sides in the legend and the axis label.
    title : str, optional
        Chart title (default "Key terms: <target> vs <reference>").
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure sized for the bars when None.
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.barh`.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (one bar per term, in ``ax.patches``).

    Raises
    ------
    ValueError
        When a needed column is missing or an option is invalid.
    """
    check_choice("measure", measure, KEYNESS_MEASURES)
    check_positive_int("n", n)
    if not 0 < p_threshold <= 1:
        raise ValueError(f"p_threshold must be in (0, 1], not {p_threshold!r}")
    require_columns(keyness, KEYNESS_COLUMNS, what="plot_keyness")
    shown = plain_text(target_label), plain_text(reference_label)  # group names are data
    title = title or f"Key terms: {shown[0]} vs {shown[1]}"
    xlabel = _keyness_xlabel(measure, *shown)
    shown = (
        keyness.head(0)
        if keyness.empty
        else _keyness_sides(keyness, n=n, p_threshold=p_threshold, measure=measure)
    )
    ax = new_axes(ax, (7.0, 0.26 * max(len(shown), MIN_SLOTS) + 1.6))
    letter = "q" if "q" in keyness.columns else "p"
    if shown.empty:
        return draw_empty(
            ax,
            f"No term is significant at {letter} < {p_threshold:g}",
            title=title,
            xlabel=xlabel,
            ylabel="term",
        )
    values = shown["value"].to_numpy()
    positions = bar_slots(ax, len(shown), MIN_SLOTS)
    colors = np.where(values > 0, TARGET_COLOR, REFERENCE_COLOR)
    ax.barh(positions, values, height=0.75, color=colors, **kwargs)
    ax.set_yticks(positions, [shorten(term, 30) for term in shown["term"]])
    edge = float(np.abs(values).max()) * 1.08
    ax.set_xlim(-edge, edge)
    ax.axvline(0, color="#555555", linewidth=0.8)
    ax.grid(axis="y", visible=False)
    ax.legend(
        handles=[
            Patch(color=TARGET_COLOR, label=f"more in {shorten(target_label, 25)}"),
            Patch(color=REFERENCE_COLOR, label=f"more in {shorten(reference_label, 25)}"),
        ],
        loc="lower right" if values[-1] < 0 else "best",
    )
    ax.set_title(f"{title} ({letter} < {p_threshold:g})")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("term")
    return ax
