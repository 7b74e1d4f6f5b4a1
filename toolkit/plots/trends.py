"""Charts of terms in time and text order: term trends and lexical dispersion."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Literal

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, StrMethodFormatter

from ._base import (
    MUTED,
    check_choice,
    check_positive,
    draw_empty,
    new_axes,
    require_columns,
    shorten,
    styled,
)

logger = logging.getLogger(__name__)

TrendValue = Literal["share", "count"]
TREND_VALUES: tuple[str, ...] = ("share", "count")

_TREND_AXIS: dict[str, tuple[str, float]] = {
    "share": ("share of tokens (%)", 100.0),
    "count": ("count (occurrences)", 1.0),
}
_FREQ_NAMES: dict[str, str] = {"D": "day", "W": "week", "M": "month", "MS": "month"}
_FREQ_STEPS: dict[str, str] = {"D": "D", "W": "7D", "M": "MS", "MS": "MS"}
_FREQ_DAYS: dict[str, float] = {"D": 1.0, "W": 7.0, "M": 30.0, "MS": 30.0}
#: Longest run of periods filled in between the first and the last.
MAX_PERIODS = 5000
ARTICLE_BAR_COLOR = "#d0d0d0"


def _chosen_terms(frame: pd.DataFrame, terms: Sequence[str] | None, limit: int) -> list[str]:
    """Return the terms to draw: ``terms`` as given, else the most frequent ``limit``."""
    if terms is not None:
        return [str(term) for term in terms]
    totals = frame.groupby("term")["count"].sum()
    ranked = sorted(totals.items(), key=lambda item: (-float(item[1]), str(item[0])))
    if len(ranked) > limit:
        logger.info("term trends: drawing the %d most frequent of %d terms", limit, len(ranked))
    return [str(term) for term, _ in ranked[:limit]]


def _infer_freq(periods: pd.DatetimeIndex) -> str | None:
    """Guess D, W or M from period starts (None when fewer than two or irregular)."""
    if len(periods) < 2 or not (periods == periods.normalize()).all():
        return None
    if (periods.day == 1).all():
        return "M"
    days = np.diff(periods.values) / np.timedelta64(1, "D")
    return "W" if (days % 7 == 0).all() else "D"


def _all_periods(periods: pd.DatetimeIndex, freq: str | None) -> pd.DatetimeIndex:
    """Return every period start from the first to the last, so empty periods show as gaps.

    Falls back to ``periods`` when the frequency is unknown, the periods do not fall on
    it, or the range would be too long to draw.
    """
    step = _FREQ_STEPS.get(str(freq or "").upper())
    if step is None or len(periods) < 2:
        return periods
    full = pd.date_range(periods[0], periods[-1], freq=step)
    if len(full) > MAX_PERIODS or not periods.isin(full).all():
        return periods
    return full


def _bar_width_days(periods: pd.DatetimeIndex, freq: str | None) -> float:
    """Return a bar width (in days) that leaves a gap between neighbouring periods."""
    if len(periods) > 1:
        step = float(np.diff(periods.values).min() / np.timedelta64(1, "D"))
    else:
        step = _FREQ_DAYS.get(str(freq or "D").upper(), 1.0)
    return 0.8 * max(step, 1.0)


def _trend_xlabel(freq: str | None, undated: int) -> str:
    unit = _FREQ_NAMES.get(str(freq or "").upper())
    label = f"period ({unit} starting)" if unit else "period start (date)"
    if undated > 0:
        label += f"\n{undated} undated article{'s' if undated != 1 else ''} not shown"
    return label


def _draw_article_bars(ax: Axes, per_period: pd.Series, width: float) -> Patch:
    """Draw the articles per period as light bars on a right-hand twin axis, behind ``ax``."""
    twin = ax.twinx()
    twin.bar(
        per_period.index,
        per_period.to_numpy(),
        width=width,
        color=ARTICLE_BAR_COLOR,
        alpha=0.7,
        zorder=0,
    )
    # Bars use the lower part of the height so the term lines stay readable above them.
    twin.set_ylim(0, max(float(per_period.max()), 1.0) * 1.8)
    twin.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    twin.set_ylabel("articles per period (n)", color=MUTED)
    twin.tick_params(axis="y", colors=MUTED)
    twin.spines["right"].set_visible(True)
    twin.grid(False)
    ax.set_zorder(twin.get_zorder() + 1)
    ax.patch.set_visible(False)
    return Patch(color=ARTICLE_BAR_COLOR, label="articles (right axis)")


def _period_labels(periods: pd.DatetimeIndex, freq: str | None) -> list[str]:
    """Return tick labels for period starts: "4 Apr" or "Apr", the year on the first and
    wherever it changes."""
    day_first = str(freq or "").upper() not in ("M", "MS")
    labels, year = [], None
    for when in periods:
        text = f"{when.day} {when:%b}" if day_first else f"{when:%b}"
        labels.append(text if when.year == year else f"{text}\n{when.year}")
        year = when.year
    return labels


def _date_axis(ax: Axes, periods: pd.DatetimeIndex, freq: str | None) -> None:
    """Label each period start when there are few periods, else concise automatic dates."""
    if len(periods) <= 12:
        ax.set_xticks(periods, _period_labels(periods, freq))
        return
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _legend_with_room(ax: Axes, handles: list[Any], top: float) -> None:
    """Put the legend in the upper left and raise the y limit so no line runs under it."""
    ncols = 1 if len(handles) <= 3 else 2 if len(handles) <= 6 else 3
    rows = -(-len(handles) // ncols)
    room = min(0.45, 0.075 * rows + 0.05)
    ax.set_ylim(0, (top if top > 0 else 1.0) / (1 - room))
    ax.legend(
        handles=handles,
        loc="upper left",
        ncols=ncols,
        frameon=True,
        framealpha=0.85,
        edgecolor="none",
    )


@styled
def plot_term_trends(
    trends: pd.DataFrame,
    *,
    value: TrendValue = "share",
    terms: Sequence[str] | None = None,
    max_terms: int = 8,
    show_articles: bool = True,
    title: str | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw one line per term over time, with the number of articles per period behind.

    The articles per period are light grey bars on a right-hand axis, so a jump in a
    line can be read against how much was published. A period without articles is a
    gap in the lines, not a zero. Undated articles cannot be placed in time: their
    number (``trends.attrs["undated_articles"]``) is written under the x axis when it is
    above zero.

    Parameters
    ----------
    trends : pandas.DataFrame
        The output of ``term_trends``: ``period`` (period start), ``term``, ``count``,
        ``n_articles`` and, for ``value="share"``, ``share``. ``attrs`` may hold
        ``undated_articles`` and ``freq`` (D, W or M; guessed from the periods if absent).
    value : {"share", "count"}
        What the lines show: the term's share of the period's tokens (in %) or its count.
    terms : sequence of str, optional
        Terms to draw, in legend order; a term with no row draws as zero. Default: the
        ``max_terms`` most frequent terms.
    max_terms : int
        Most lines drawn when ``terms`` is None.
    show_articles : bool
        Draw the articles per period.
    title : str, optional
        Chart title (default "Terms over time").
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.plot` for every line.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes holding the term lines (one per term, in ``ax.lines``); the article
        bars are on its twin (``ax.figure.axes``).

    Raises
    ------
    ValueError
        When a needed column is missing or an option is invalid.
    """
    check_choice("value", value, TREND_VALUES)
    check_positive("max_terms", max_terms)
    require_columns(
        trends, ("period", "term", "count", "n_articles", value), what="plot_term_trends"
    )
    title = title or "Terms over time"
    undated = int(trends.attrs.get("undated_articles", 0) or 0)
    label, factor = _TREND_AXIS[value]
    ax = new_axes(ax, (8.0, 4.5))
    if trends.empty:
        message = "No dated articles to show" if undated else "No term occurrences to show"
        return draw_empty(
            ax,
            message,
            title=title,
            xlabel=_trend_xlabel(trends.attrs.get("freq"), undated),
            ylabel=label,
        )
    frame = trends.assign(period=pd.to_datetime(trends["period"]))
    chosen = _chosen_terms(frame, terms, max_terms)
    table = frame.pivot_table(index="period", columns="term", values=value, aggfunc="sum")
    table = table.reindex(columns=chosen).fillna(0.0).sort_index()
    freq = trends.attrs.get("freq") or _infer_freq(table.index)
    periods = _all_periods(table.index, freq)
    per_period = frame.groupby("period")["n_articles"].max().reindex(periods).fillna(0)
    table = table.reindex(periods).where(per_period > 0) * factor
    handles: list[Any] = []
    if show_articles:
        handles.append(_draw_article_bars(ax, per_period, _bar_width_days(periods, freq)))
    kwargs.setdefault("marker", "o")
    kwargs.setdefault("markersize", 5 if len(periods) <= 40 else 3)
    lines = [
        ax.plot(periods, table[term].to_numpy(), label=shorten(term, 30), **kwargs)[0]
        for term in chosen
    ]
    _date_axis(ax, periods, freq)
    _legend_with_room(ax, [*lines, *handles], float(np.nanmax(table.to_numpy(), initial=0.0)))
    ax.set_title(title)
    ax.set_xlabel(_trend_xlabel(freq, undated))
    ax.set_ylabel(label)
    return ax


def _dispersion_terms(dispersion: pd.DataFrame, terms: Sequence[str] | None) -> list[str]:
    if terms is not None:
        return [str(term) for term in terms]
    return [str(term) for term in pd.unique(dispersion["term"])]


def _article_starts(dispersion: pd.DataFrame) -> np.ndarray:
    """Return the corpus offsets where an article other than the first starts."""
    starts = dispersion.attrs.get("article_starts") or {}
    offsets = np.sort(np.asarray(list(starts.values()), dtype=float))
    return offsets[offsets > 0]


@styled
def plot_dispersion(
    dispersion: pd.DataFrame,
    *,
    terms: Sequence[str] | None = None,
    title: str | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw a lexical dispersion plot: where in the corpus each term occurs.

    Each term is a row of tick marks at its corpus offsets (articles laid end to end in
    frame order); faint vertical lines mark where each article starts
    (``dispersion.attrs["article_starts"]``), and the x axis spans
    ``attrs["total_tokens"]`` when known.

    Parameters
    ----------
    dispersion : pandas.DataFrame
        The output of ``dispersion``: ``term`` and ``offset`` are used (``article_id``
        and ``token_index`` may be there too).
    terms : sequence of str, optional
        Terms to draw, top to bottom; a term without occurrences keeps an empty row.
        Default: the terms of the frame in order of appearance. Each label carries the
        term's number of occurrences.
    title : str, optional
        Chart title (default "Lexical dispersion").
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure with a row per term when None.
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.plot` for every term's marks.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (one line of marks per term, in ``ax.lines``).

    Raises
    ------
    ValueError
        When ``term`` or ``offset`` is missing.
    """
    require_columns(dispersion, ("term", "offset"), what="plot_dispersion")
    title = title or "Lexical dispersion"
    starts = _article_starts(dispersion)
    xlabel = "token offset in the corpus" + (
        " (faint lines: article starts)" if len(starts) else ""
    )
    chosen = [] if dispersion.empty and terms is None else _dispersion_terms(dispersion, terms)
    ax = new_axes(ax, (8.0, 0.42 * max(len(chosen), 3) + 1.5))
    if dispersion.empty:
        return draw_empty(
            ax, "No occurrences of the terms to show", title=title, xlabel=xlabel, ylabel="term"
        )
    positions = np.arange(len(chosen))[::-1]
    if len(starts):
        ax.vlines(
            starts,
            -0.5,
            len(chosen) - 0.5,
            colors="#bbbbbb",
            linewidth=0.5 if len(starts) > 200 else 0.8,
            alpha=0.6,
            zorder=0,
        )
    kwargs.setdefault("markersize", 14)
    kwargs.setdefault("markeredgewidth", 1.2)
    offsets = dispersion.groupby(dispersion["term"].astype(str))["offset"]
    for row, term in zip(positions, chosen, strict=True):
        values = offsets.get_group(term).to_numpy() if term in offsets.groups else np.array([])
        ax.plot(values, np.full(len(values), row), linestyle="none", marker="|", **kwargs)
    total = dispersion.attrs.get("total_tokens") or float(dispersion["offset"].max()) + 1
    ax.set_xlim(0, total)
    ax.set_ylim(-0.5, len(chosen) - 0.5)
    hits = dispersion["term"].astype(str).value_counts()
    ax.set_yticks(positions, [f"{shorten(term, 30)} ({hits.get(term, 0):,})" for term in chosen])
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.grid(False)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("term")
    return ax
