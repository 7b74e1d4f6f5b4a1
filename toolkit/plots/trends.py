"""Charts of terms in time and text order: term trends and lexical dispersion."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Literal

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import StrMethodFormatter
from matplotlib.transforms import Transform, offset_copy

from toolkit.plots.base import (
    MUTED,
    count_locator,
    draw_empty,
    largest_first,
    new_axes,
    require_columns,
    shorten,
    styled,
)
from toolkit.vocab import check_choice, check_positive_int

logger = logging.getLogger(__name__)

TrendValue = Literal["share", "count"]
TREND_VALUES: tuple[str, ...] = ("share", "count")

_TREND_AXIS: dict[str, tuple[str, float]] = {
    "share": ("share of tokens (%)", 100.0),
    "count": ("count (occurrences)", 1.0),
}
#: The period lengths of ``term_trends`` and what one period is called.
FREQ_UNITS: dict[str, str] = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}
#: x-axis label of each period length: weeks and quarters are named by their first day.
_FREQ_AXIS: dict[str, str] = {
    "D": "day",
    "W": "week starting",
    "M": "month",
    "Q": "quarter starting",
    "Y": "year",
}
#: pandas offset from one period start to the next.
_FREQ_STEPS: dict[str, str] = {"D": "D", "W": "7D", "M": "MS", "Q": "QS", "Y": "YS"}
#: pandas spellings of the same period lengths (``freq`` may come from elsewhere).
_FREQ_ALIASES: dict[str, str] = {
    **{key: key for key in FREQ_UNITS},
    "MS": "M",
    "ME": "M",
    "QS": "Q",
    "QE": "Q",
    "YS": "Y",
    "YE": "Y",
    "A": "Y",
    "AS": "Y",
}
#: Most period starts labelled one by one; longer runs get fewer, regular ticks.
MAX_LABELLED_PERIODS = 12
#: Longest run of periods filled in between the first and the last.
MAX_PERIODS = 5000
ARTICLE_BAR_COLOR = "#d0d0d0"
#: One marker shape per term (colour-blind safe twice over); sizes shrink down the
#: legend so a later term's marker stays visible on an earlier one at the same value.
MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X", "*")
#: Two terms meet at a period when their values there are closer than this share of the
#: largest value (about a marker's height on the default figure).
MEETING_SHARE = 0.045


def dodge_slots(table: pd.DataFrame, *, tolerance: float) -> list[int]:
    """Return a side-by-side slot for each column (term) of ``table`` (periods x terms).

    Two terms meet when, in some period, both have a value and the values are within
    ``tolerance``: their markers would sit on each other and, where they meet in
    neighbouring periods too, their lines. Terms that meet get different slots
    (greedily, in column order, the lowest free one); a term that meets no other keeps
    slot 0, its true place.
    """
    values = table.to_numpy(dtype=float)
    slots: list[int] = []
    for k in range(values.shape[1]):
        close = np.abs(values[:, :k] - values[:, [k]]) <= tolerance  # NaN compares False
        taken = {slots[j] for j in np.flatnonzero(close.any(axis=0))}
        slots.append(next(slot for slot in range(k + 1) if slot not in taken))
    return slots


#: Matplotlib's dotted line (":"): dash and gap lengths, in line widths.
_DOTS: tuple[float, float] = (1.0, 1.65)


def _dots(slot: int) -> tuple[float, tuple[float, float]]:
    """The dotted style of a bridge, its dots shifted by half a period per slot, so the
    bridges of two terms that run together alternate their dots instead of covering
    each other."""
    return (slot * sum(_DOTS) / 2 % sum(_DOTS), _DOTS)


def _dodged(ax: Axes, slot: int, step: float) -> Transform:
    """Data coordinates moved sideways by slot 1 -> +step, 2 -> -step, 3 -> +2 step... points."""
    if slot == 0:
        return ax.transData
    shift = (slot + 1) // 2 * step * (1 if slot % 2 else -1)
    return offset_copy(ax.transData, fig=ax.figure, x=shift, y=0.0, units="points")


def _chosen_terms(
    frame: pd.DataFrame, terms: Sequence[str] | None, limit: int
) -> tuple[list[str], str]:
    """Return the terms to draw and a note on the ones left out ("" when none are).

    The terms are ``terms`` as given, else the ``limit`` with the largest total count
    (ties by term), so the same table always draws the same lines.
    """
    if terms is not None:
        return [str(term) for term in terms], ""
    ranked = largest_first(frame.groupby("term")["count"].sum())
    if len(ranked) <= limit:
        return [str(term) for term in ranked], ""
    left_out = [str(term) for term in ranked[limit:]]
    logger.warning(
        "term trends: drawing the %d most frequent of %d terms (max_terms=%d); left out: %s",
        limit,
        len(ranked),
        limit,
        ", ".join(left_out),
    )
    return [str(term) for term in ranked[:limit]], f"{limit} of {len(ranked)} terms shown"


def _normal_freq(freq: Any) -> str | None:
    """Return D, W, M, Q or Y for a period length in term_trends' or pandas' spelling."""
    if freq is None:
        return None
    head = str(freq).strip().upper().split("-")[0]  # "W-MON" -> "W", "QS-JAN" -> "QS"
    return _FREQ_ALIASES.get(head)


def _infer_freq(periods: pd.DatetimeIndex) -> str | None:
    """Guess D, W, M, Q or Y from sorted period starts (None when fewer than two).

    Starts on the first of a month are months, quarters (every gap a multiple of three
    months, all starting in Jan/Apr/Jul/Oct) or years (every gap whole years, all in
    January); other starts are weeks when every gap is whole weeks, else days.
    """
    if len(periods) < 2 or not (periods == periods.normalize()).all():
        return None
    if (periods.day == 1).all():
        months = np.asarray(periods.year * 12 + periods.month - 1)
        step = int(np.gcd.reduce(np.diff(months)))
        if step % 12 == 0 and (periods.month == 1).all():
            return "Y"
        if step % 3 == 0 and (periods.month % 3 == 1).all():
            return "Q"
        return "M"
    days = np.diff(periods.values) / np.timedelta64(1, "D")
    return "W" if (days % 7 == 0).all() else "D"


def _all_periods(periods: pd.DatetimeIndex, freq: str | None) -> pd.DatetimeIndex:
    """Return every period start from the first to the last, so empty periods show as gaps.

    Falls back to ``periods`` when the frequency is unknown, the periods do not fall on
    it, or the range would be too long to draw.
    """
    if freq is None or len(periods) < 2:
        return periods
    full = pd.date_range(periods[0], periods[-1], freq=_FREQ_STEPS[freq])
    if len(full) > MAX_PERIODS or not periods.isin(full).all():
        return periods
    return full


def _bar_widths(periods: pd.DatetimeIndex, freq: str | None) -> np.ndarray:
    """Return each period's bar width in days: 80% of its length, so neighbours keep a gap.

    A period's length is its own (a 28-day February, a 92-day quarter); without a known
    frequency it is the smallest gap between periods (one day for a single period).
    """
    if freq is not None:
        ends = periods + pd.tseries.frequencies.to_offset(_FREQ_STEPS[freq])
        days = np.asarray((ends - periods) / pd.Timedelta(days=1), dtype=float)
    elif len(periods) > 1:
        step = float(np.diff(periods.values).min() / np.timedelta64(1, "D"))
        days = np.full(len(periods), step)
    else:
        days = np.ones(len(periods))
    return 0.8 * np.maximum(days, 1.0)


def _trend_xlabel(freq: str | None, undated: int) -> str:
    label = _FREQ_AXIS.get(freq or "", "period start (date)")
    if undated > 0:
        label += f"\n{undated} undated article{'s' if undated != 1 else ''} not shown"
    return label


def _draw_article_bars(ax: Axes, per_period: pd.Series, widths: np.ndarray, unit: str) -> Patch:
    """Draw the articles per period as light bars on a right-hand twin axis, behind ``ax``."""
    twin = ax.twinx()
    twin.bar(
        per_period.index,
        per_period.to_numpy(),
        width=widths,
        color=ARTICLE_BAR_COLOR,
        alpha=0.7,
        zorder=0,
    )
    # Bars use the lower part of the height so the term lines stay readable above them.
    twin.set_ylim(0, max(float(per_period.max()), 1.0) * 1.8)
    twin.yaxis.set_major_locator(count_locator(nbins=4))
    twin.set_ylabel(f"articles per {unit} (n)", color=MUTED)
    twin.tick_params(axis="y", colors=MUTED)
    twin.spines["right"].set_visible(True)
    twin.grid(False)
    ax.set_zorder(twin.get_zorder() + 1)
    ax.patch.set_visible(False)
    return Patch(color=ARTICLE_BAR_COLOR, label="articles (right axis)")


def _period_label(when: pd.Timestamp, freq: str | None) -> str:
    if freq == "Y":
        return f"{when.year}"
    if freq == "Q":
        return f"Q{when.quarter}"
    if freq == "M":
        return f"{when:%b}"
    return f"{when.day} {when:%b}"


def _period_labels(periods: pd.DatetimeIndex, freq: str | None) -> list[str]:
    """Return tick labels for period starts ("4 Apr", "Apr", "Q2" or "2016"), with the
    year under the first and wherever it changes."""
    labels, year = [], None
    for when in periods:
        text = _period_label(when, freq)
        labels.append(text if when.year == year or freq == "Y" else f"{text}\n{when.year}")
        year = when.year
    return labels


def _year_step(years: int, most: int = 10) -> int:
    """Return the smallest round number of years between ticks that keeps ``most`` ticks."""
    return next((step for step in (1, 2, 5, 10, 20, 25, 50, 100) if years / step <= most), 200)


def _date_axis(ax: Axes, periods: pd.DatetimeIndex, freq: str | None) -> None:
    """Label each period start when there are few periods, else put regular ticks.

    Quarters and years get ticks on 1 January every round number of years (a tick on
    a quarter start that is not January would read as a month); other frequencies get
    matplotlib's concise automatic dates.
    """
    if len(periods) <= MAX_LABELLED_PERIODS:
        ax.set_xticks(periods, _period_labels(periods, freq))
        return
    if freq in ("Q", "Y"):
        step = _year_step(periods[-1].year - periods[0].year + 1)
        ax.xaxis.set_major_locator(mdates.YearLocator(step))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        return
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _bridges(periods: pd.DatetimeIndex, values: np.ndarray) -> list[np.ndarray]:
    """Return the segments joining a term's values across periods without articles."""
    known = np.flatnonzero(np.isfinite(values))
    x = mdates.date2num(periods)
    return [
        np.array([[x[a], values[a]], [x[b], values[b]]])
        for a, b in zip(known[:-1], known[1:], strict=True)
        if b > a + 1
    ]


def _draw_term_lines(
    ax: Axes, periods: pd.DatetimeIndex, table: pd.DataFrame, chosen: list[str], **kwargs: Any
) -> list[Any]:
    """Draw one line per term and dotted bridges over empty periods; return legend handles.

    A bridge joins the values on each side of periods without articles, so a sparse
    series reads as a line and not as scattered dots, while the dotting shows that
    nothing was measured in between. Terms that meet (:func:`dodge_slots`) are drawn a
    marker's width apart, so neither hides the other's markers or line.
    """
    big = 8.0 if len(periods) <= 40 else 5.0
    sizes = np.linspace(big, big * 0.55, max(len(chosen), 2))
    top = float(np.nanmax(table[chosen].to_numpy(dtype=float), initial=0.0))
    slots = dodge_slots(table[chosen], tolerance=MEETING_SHARE * top)
    handles: list[Any] = []
    bridged = False
    for number, term in enumerate(chosen):
        values = table[term].to_numpy(dtype=float)
        style = {
            "marker": MARKERS[number % len(MARKERS)],
            "markersize": sizes[number],
            "markeredgecolor": "white",
            "markeredgewidth": 0.6,
            "transform": _dodged(ax, slots[number], 0.8 * big),
            **kwargs,
        }
        line = ax.plot(periods, values, label=shorten(term, 30), **style)[0]
        handles.append(line)
        segments = _bridges(periods, values)
        if segments:
            bridged = True
            ax.add_collection(
                LineCollection(
                    segments,
                    colors=line.get_color(),
                    linestyles=[_dots(slots[number])],
                    linewidths=max(line.get_linewidth() * 0.7, 0.8),
                    alpha=0.8,
                    zorder=line.get_zorder() - 0.1,
                    transform=line.get_transform(),
                )
            )
    if bridged:
        handles.append(
            Line2D([], [], color=MUTED, linestyle=":", label="dotted: no articles between")
        )
    return handles


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
    line can be read against how much was published. A period without articles has no
    value (not a zero): a dotted line joins the values on either side of it. Each term
    has its own colour and marker shape; terms that meet (the same value in a period)
    are drawn a marker's width apart, so no marker or line hides another. Undated
    articles cannot be placed in time: their number (``trends.attrs["undated_articles"]``)
    is written under the x axis when it is above zero.

    The period length (day, week, month, quarter or year) sets the tick labels
    ("4 Apr", "Apr", "Q2", "2016"), the bar widths and the axis label; it is
    ``trends.attrs["freq"]`` (which ``term_trends`` records) and is guessed from the
    period starts only when that is absent.

    Parameters
    ----------
    trends : pandas.DataFrame
        The output of ``term_trends``: ``period`` (period start), ``term``, ``count``,
        ``n_articles`` and, for ``value="share"``, ``share``. ``attrs`` may hold
        ``undated_articles`` and ``freq`` (D, W, M, Q or Y, pandas spellings such as
        ``MS`` or ``QS`` too; guessed from the periods if absent).
    value : {"share", "count"}
        What the lines show: the term's share of the period's tokens (in %) or its count.
    terms : sequence of str, optional
        Terms to draw, in legend order; a term with no row draws as zero. Default: the
        ``max_terms`` most frequent terms.
    max_terms : int
        Most lines drawn when ``terms`` is None: the terms with the largest total
        count, ties by term. When some are left out, the title says how many are
        shown ("8 of 10 terms shown") and a warning names the others.
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
        The Axes holding the term lines (one per term, in ``ax.lines``; the dotted
        bridges are in ``ax.collections``); the article bars are on its twin
        (``ax.figure.axes``).

    Raises
    ------
    ValueError
        When a needed column is missing or an option is invalid.
    """
    check_choice("value", value, TREND_VALUES)
    check_positive_int("max_terms", max_terms)
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
            xlabel=_trend_xlabel(_normal_freq(trends.attrs.get("freq")), undated),
            ylabel=label,
        )
    frame = trends.assign(period=pd.to_datetime(trends["period"]))
    chosen, left_out = _chosen_terms(frame, terms, max_terms)
    table = frame.pivot_table(index="period", columns="term", values=value, aggfunc="sum")
    table = table.reindex(columns=chosen).fillna(0.0).sort_index()
    freq = _normal_freq(trends.attrs.get("freq")) or _infer_freq(table.index)
    periods = _all_periods(table.index, freq)
    per_period = frame.groupby("period")["n_articles"].max().reindex(periods).fillna(0)
    table = table.reindex(periods).where(per_period > 0, axis=0) * factor
    handles = _draw_term_lines(ax, periods, table, chosen, **kwargs)
    if show_articles:
        unit = FREQ_UNITS.get(freq or "", "period")
        handles.append(_draw_article_bars(ax, per_period, _bar_widths(periods, freq), unit))
    _date_axis(ax, periods, freq)
    _legend_with_room(ax, handles, float(np.nanmax(table.to_numpy(), initial=0.0)))
    ax.set_title(f"{title}: {left_out} (max_terms={max_terms})" if left_out else title)
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
