"""The co-occurrence heatmap of the top entities, and what entity charts share."""

from __future__ import annotations

import logging
from typing import Any

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from toolkit.plots.base import (
    count_locator,
    draw_empty,
    largest_first,
    new_axes,
    period_slice,
    require_columns,
    shorten,
    styled,
)
from toolkit.vocab import PAIR_MEASURES, PairMeasure, check_choice, check_positive_int

logger = logging.getLogger(__name__)

MEASURES = PAIR_MEASURES
Measure = PairMeasure
COUNT_MEASURES: tuple[str, ...] = ("count", "n_articles")
#: Cells of pairs that never co-occur (and the diagonal).
MISSING_COLOR = "#f2f2f2"
#: Measures with a fixed range: their colours mean the same in every chart.
_BOUNDS: dict[str, tuple[float, float]] = {
    "npmi": (-1.0, 1.0),
    "jaccard": (0.0, 1.0),
    "dice": (0.0, 1.0),
}
PAIR_COLUMNS: tuple[str, ...] = ("entity_a", "entity_b", "label_a", "label_b", "count")

#: What each measure is, for colour bars and captions ({window} is filled in).
_MEASURE_LABELS: dict[str, str] = {
    "count": "count ({window} holding both)",
    "n_articles": "articles naming both (n)",
    "pmi": "PMI (log ratio to chance)",
    "npmi": "normalised PMI (−1 to 1)",
    "g2": "log-likelihood G² (signed)",
    "jaccard": "Jaccard index (0 to 1)",
    "dice": "Dice coefficient (0 to 1)",
}


def measure_label(measure: str, window: Any = None) -> str:
    """Return the axis label (with unit) of an association ``measure``."""
    if window is None:
        windows = "windows"
    elif isinstance(window, (int, np.integer)):
        windows = f"{window}-token windows"
    else:
        windows = f"{window}s"
    return _MEASURE_LABELS[measure].format(window=windows)


def _entity_strength(pairs: pd.DataFrame) -> pd.Series:
    """Return each entity's total co-occurrence count."""
    both = pd.concat(
        [
            pairs[["entity_a", "count"]].set_axis(["entity", "count"], axis=1),
            pairs[["entity_b", "count"]].set_axis(["entity", "count"], axis=1),
        ]
    )
    return both.groupby("entity")["count"].sum().astype(float)


def _top_entities(pairs: pd.DataFrame, n: int) -> list[str]:
    """Return up to ``n`` entities of the strongest pairs, grouped into blocks.

    Entities come from the pairs with the largest ``count`` (ties by names), so each
    has at least one filled cell. They are ordered by connected group (the group with
    the largest total first) and, within a group, by total count, so related entities
    sit together and the matrix shows blocks.
    """
    ranked = pairs.assign(_neg=-pairs["count"].astype(float)).sort_values(
        ["_neg", "entity_a", "entity_b"]
    )
    chosen: dict[str, None] = {}
    for a, b in zip(ranked["entity_a"], ranked["entity_b"], strict=True):
        if len(chosen) + (a not in chosen) + (b not in chosen) > n:
            continue
        chosen.update(dict.fromkeys((a, b)))
        if len(chosen) >= n:
            break
    strength = _entity_strength(pairs)
    inside = ranked.loc[ranked["entity_a"].isin(chosen) & ranked["entity_b"].isin(chosen)]
    groups = nx.connected_components(
        nx.Graph(zip(inside["entity_a"], inside["entity_b"], strict=True))
    )
    blocks = sorted(
        (largest_first(strength[list(group)]) for group in groups),
        key=lambda block: (-strength[block].sum(), str(block[0])),
    )
    return [name for block in blocks for name in block]


def _pair_matrix(pairs: pd.DataFrame, entities: list[str], measure: str) -> pd.DataFrame:
    """Return the symmetric entity x entity matrix of ``measure`` (NaN where no pair)."""
    inside = pairs.loc[pairs["entity_a"].isin(entities) & pairs["entity_b"].isin(entities)]
    forward = inside.pivot_table(
        index="entity_a", columns="entity_b", values=measure, aggfunc="sum"
    )
    backward = forward.T
    matrix = forward.reindex(index=entities, columns=entities)
    return matrix.combine_first(backward.reindex(index=entities, columns=entities)).reindex(
        index=entities, columns=entities
    )


def _sequential() -> mcolors.Colormap:
    """Blues without its near-white end, so the smallest value stays apart from the grey."""
    blues = plt.get_cmap("Blues")
    return mcolors.LinearSegmentedColormap.from_list(
        "toolkit_blues", blues(np.linspace(0.18, 1, 256))
    )


def _heatmap_norm(values: np.ndarray, measure: str) -> tuple[mcolors.Colormap, mcolors.Normalize]:
    """Return a colour map and norm: diverging around 0 for signed values, else sequential."""
    if measure in _BOUNDS:
        low, high = _BOUNDS[measure]
        cmap = plt.get_cmap("RdBu_r") if low < 0 else _sequential()
        return cmap, mcolors.Normalize(low, high)
    finite = values[np.isfinite(values)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if low < 0:
        edge = max(abs(low), abs(high)) or 1.0
        return plt.get_cmap("RdBu_r"), mcolors.Normalize(-edge, edge)
    return _sequential(), mcolors.Normalize(0, high if high > 0 else 1.0)


def _format_cell(value: float, measure: str) -> str:
    if measure in COUNT_MEASURES:
        return f"{value:,.0f}"
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.0f}"


def _annotate_cells(ax: Axes, matrix: pd.DataFrame, measure: str, image: Any) -> None:
    size = "medium" if len(matrix) <= 8 else "small" if len(matrix) <= 12 else "x-small"
    for row, column in zip(*np.nonzero(np.isfinite(matrix.to_numpy())), strict=True):
        value = float(matrix.iat[row, column])
        red, green, blue, _ = image.cmap(image.norm(value))
        dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
        ax.text(
            column,
            row,
            _format_cell(value, measure),
            ha="center",
            va="center",
            fontsize=size,
            color="white" if dark else "#222222",
        )


@styled
def plot_cooccurrence_heatmap(
    pairs: pd.DataFrame,
    *,
    n: int = 15,
    measure: Measure = "count",
    period: Any = None,
    annotate: bool | None = None,
    title: str | None = None,
    ax: Axes | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw the co-occurrence matrix of the ``n`` most co-occurring entities.

    The entities are those of the strongest pairs (by ``count``), so every row has a
    filled cell; they are grouped into blocks of connected entities, each block ordered
    by total count. Each cell is the chosen ``measure`` of the pair (grey where the two
    never co-occur, and on the diagonal). Signed measures (PMI, NPMI) use a diverging
    colour map centred on zero; NPMI, Jaccard and Dice keep their fixed range.

    Parameters
    ----------
    pairs : pandas.DataFrame
        The output of ``cooccurrence``: ``entity_a``, ``entity_b``, ``count`` and the
        ``measure`` column; ``attrs["window"]`` names the window in the colour bar.
        A frame with a ``period`` column (time slices) needs ``period``.
    n : int
        Most entities on each axis.
    measure : {"count", "n_articles", "pmi", "npmi", "g2", "jaccard", "dice"}
        What the cells show.
    period : optional
        The time slice to draw when ``pairs`` has a ``period`` column.
    annotate : bool, optional
        Write the value in each cell; default when at most 15 entities are shown.
    title : str, optional
        Chart title (default "Co-occurrence of the top entities").
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new square figure sized for ``n`` when None.
    **kwargs
        Passed to :meth:`~matplotlib.axes.Axes.imshow` (e.g. ``cmap``).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes holding the matrix image (``ax.images[0]``), with a colour bar beside.

    Raises
    ------
    ValueError
        When a needed column is missing, an option is invalid, or ``period`` is needed.
    """
    check_choice("measure", measure, MEASURES)
    check_positive_int("n", n)
    require_columns(
        pairs, ("entity_a", "entity_b", "count", measure), what="plot_cooccurrence_heatmap"
    )
    title = title or "Co-occurrence of the top entities"
    label = measure_label(measure, pairs.attrs.get("window"))
    frame = pairs if pairs.empty else period_slice(pairs, period, what="pairs")
    entities = [] if frame.empty else _top_entities(frame, n)
    side = 0.42 * max(len(entities), 5) + 2.6
    ax = new_axes(ax, (side + 1.4, side))
    if frame.empty:
        return draw_empty(
            ax, "No co-occurring entities to show", title=title, xlabel="entity", ylabel="entity"
        )
    matrix = _pair_matrix(frame, entities, measure).astype(float)
    cmap, norm = _heatmap_norm(matrix.to_numpy(), measure)
    kwargs.setdefault("cmap", cmap.with_extremes(bad=MISSING_COLOR))
    kwargs.setdefault("norm", norm)
    image = ax.imshow(
        np.ma.masked_invalid(matrix.to_numpy()), aspect="equal", interpolation="nearest", **kwargs
    )
    labels = [shorten(entity, 24) for entity in entities]
    ax.set_xticks(range(len(entities)), labels, rotation=45, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(len(entities)), labels)
    ax.tick_params(length=0)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if annotate if annotate is not None else len(entities) <= 15:
        _annotate_cells(ax, matrix, measure, image)
    colorbar = ax.figure.colorbar(image, ax=ax, label=label, shrink=0.8, pad=0.02)
    if measure in COUNT_MEASURES:
        colorbar.locator = count_locator()
        colorbar.update_ticks()
    ax.set_title(f"{title} ({measure})")
    ax.set_xlabel("entity (grey: never together)")
    ax.set_ylabel("entity")
    return ax
