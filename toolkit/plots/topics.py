"""Charts of a topic model: the top terms of each topic, and topic shares over time."""

from __future__ import annotations

import math
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from toolkit.plots.base import draw_empty, require_columns, shorten, styled
from toolkit.vocab import check_positive_int

#: One colour per topic (colour-blind safe first, then matplotlib's tab20).
TOPIC_COLORS: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9",
                                 "#D55E00", "#F0E442", "#000000")


def topic_color(topic: int) -> str:
    """The colour of a topic, the same in every topic chart."""
    if topic < len(TOPIC_COLORS):
        return TOPIC_COLORS[topic]
    return plt.get_cmap("tab20")(topic % 20)


@styled
def plot_topic_terms(
    terms: pd.DataFrame,
    *,
    labels: pd.DataFrame | None = None,
    n: int = 8,
    ncols: int = 4,
    title: str | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw each topic's top terms as a small panel of bars (small multiples).

    Parameters
    ----------
    terms : pandas.DataFrame
        The ``terms`` frame of :func:`toolkit.topics`: ``topic``, ``term``,
        ``weight``, ``rank``.
    labels : pandas.DataFrame, optional
        The ``labels`` frame (``topic``, ``coherence``, ``share``): the panel titles
        then give each topic's share of the articles and its coherence.
    n : int
        Terms per panel.
    ncols : int
        Panels per row.
    title : str, optional
        Figure title (default "Topics: top terms").
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.barh`.

    Returns
    -------
    matplotlib.axes.Axes
        The first panel (``ax.figure.axes`` holds one per topic).

    Raises
    ------
    ValueError
        When a needed column is missing or an option is invalid.
    """
    check_positive_int("n", n)
    check_positive_int("ncols", ncols)
    require_columns(terms, ("topic", "term", "weight", "rank"), what="plot_topic_terms")
    title = title or "Topics: top terms"
    topics = sorted(terms["topic"].unique()) if len(terms) else []
    if not topics:
        _, ax = plt.subplots(figsize=(6, 3))
        return draw_empty(ax, "No topics to show", title=title, xlabel="weight")
    ncols = min(ncols, len(topics))
    nrows = math.ceil(len(topics) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.4 * ncols, (0.22 * n + 1.0) * nrows),
                             squeeze=False)
    about = None if labels is None else labels.set_index("topic")
    for panel, topic in zip(axes.flat, topics, strict=False):
        top = terms.loc[terms["topic"] == topic].sort_values("rank").head(n)
        positions = np.arange(len(top))[::-1]
        panel.barh(positions, top["weight"].to_numpy() * 100, height=0.75,
                   color=topic_color(int(topic)), **kwargs)
        panel.set_yticks(positions, [shorten(t, 18) for t in top["term"]], fontsize="small")
        panel.set_ylim(-0.6, n - 0.4)
        panel.grid(axis="y", visible=False)
        panel.tick_params(axis="x", labelsize="x-small")
        heading = f"topic {topic}"
        if about is not None and topic in about.index:
            row = about.loc[topic]
            heading += f" · {row['share']:.0%} of articles · NPMI {row['coherence']:.2f}"
        panel.set_title(heading, fontsize="small")
    for panel in axes.flat[len(topics):]:
        panel.set_visible(False)
    for panel in axes[-1]:
        if panel.get_visible():
            panel.set_xlabel("weight in topic (%)", fontsize="small")
    fig.suptitle(title)
    return axes.flat[0]


#: Approximate days of each period length, for the bar widths.
_PERIOD_DAYS = {"D": 1.0, "W": 7.0, "M": 30.4, "Q": 91.3, "Y": 365.2}


@styled
def plot_topic_trends(
    trends: pd.DataFrame,
    *,
    title: str | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw each topic's share of the articles per period as stacked bars on a time axis.

    Bars sit at their period's start on a real time axis, so a stretch without
    articles is an empty stretch, not a jump between neighbours; the number of
    articles of each period is written above its bar.

    Parameters
    ----------
    trends : pandas.DataFrame
        :func:`toolkit.topic_trends`: ``period``, ``topic``, ``label``, ``share``,
        ``n_articles`` (without a ``by`` column; pass one group's rows).
        ``attrs["freq"]`` (D, W, M, Q, Y) sets the bar width (default M).
    title : str, optional
        Chart title (default "Topic shares over time").
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.bar`.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (one bar per period and topic with a share, in
        ``ax.patches``; one count per period in ``ax.texts``).

    Raises
    ------
    ValueError
        When a needed column is missing, or the frame holds a group column.
    """
    import matplotlib.dates as mdates

    require_columns(trends, ("period", "topic", "label", "share", "n_articles"),
                    what="plot_topic_trends")
    extra = list(trends.columns[: list(trends.columns).index("period")]) \
        if "period" in trends.columns else []
    if extra:
        raise ValueError(f"plot_topic_trends draws one group: select the rows of one "
                         f"{extra[0]} first")
    title = title or "Topic shares over time"
    ax = ax if ax is not None else plt.subplots(figsize=(9.0, 4.6))[1]
    if trends.empty:
        return draw_empty(ax, "No dated article to place in time", title=title,
                          xlabel="period", ylabel="share of the articles")
    wide = trends.pivot_table(index="period", columns="topic", values="share", fill_value=0.0)
    labels = trends.drop_duplicates("topic").set_index("topic")["label"]
    sizes = trends.drop_duplicates("period").set_index("period")["n_articles"]
    days = _PERIOD_DAYS.get(str(trends.attrs.get("freq", "M"))[:1], 30.4)
    x = mdates.date2num(pd.DatetimeIndex(wide.index).to_pydatetime())
    width = days * 0.8
    bottom = np.zeros(len(wide))
    for topic in wide.columns:
        values = wide[topic].to_numpy() * 100
        shown = values > 0
        ax.bar(x[shown], values[shown], width=width, bottom=bottom[shown], align="edge",
               color=topic_color(int(topic)), label=shorten(labels[topic], 34), **kwargs)
        bottom += values
    for position, period in zip(x, wide.index, strict=True):
        ax.text(position + width / 2, 101.5, str(int(sizes.get(period, 0))), ha="center",
                va="bottom", fontsize="xx-small", color="#555555")
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=12))
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.set_xlim(x.min() - days * 0.5, x.max() + days * 1.3)
    ax.set_ylim(0, 110)
    ax.grid(axis="x", visible=False)
    ax.set_ylabel("share of the articles' topic weight (%)")
    ax.set_xlabel("period start (numbers above: articles)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="x-small", frameon=False)
    ax.set_title(title)
    return ax
