"""Charts of entity co-occurrence: a heatmap of the top entities and a network."""

from __future__ import annotations

import logging
from typing import Any, Literal

import matplotlib.colors as mcolors
import matplotlib.patheffects as path_effects
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from ._base import (
    check_choice,
    check_positive,
    draw_empty,
    label_colors,
    new_axes,
    period_slice,
    require_columns,
    scale,
    shorten,
    styled,
)

logger = logging.getLogger(__name__)

Measure = Literal["count", "n_articles", "pmi", "npmi", "g2", "jaccard", "dice"]
Layout = Literal["spring", "kamada_kawai", "circular"]

MEASURES: tuple[str, ...] = ("count", "n_articles", "pmi", "npmi", "g2", "jaccard", "dice")
LAYOUTS: tuple[str, ...] = ("spring", "kamada_kawai", "circular")
PAIR_COLUMNS: tuple[str, ...] = ("entity_a", "entity_b", "label_a", "label_b", "count")

#: What each measure is, for colour bars and captions ({window} is filled in).
_MEASURE_LABELS: dict[str, str] = {
    "count": "count ({window} holding both)",
    "n_articles": "articles naming both (n)",
    "pmi": "PMI (log ratio to chance)",
    "npmi": "normalised PMI (−1 to 1)",
    "g2": "log-likelihood G²",
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
    """Return each entity's total co-occurrence count, strongest first, ties by name."""
    both = pd.concat(
        [
            pairs[["entity_a", "count"]].set_axis(["entity", "count"], axis=1),
            pairs[["entity_b", "count"]].set_axis(["entity", "count"], axis=1),
        ]
    )
    totals = both.groupby("entity")["count"].sum()
    order = sorted(totals.items(), key=lambda item: (-float(item[1]), str(item[0])))
    return pd.Series(dict(order), dtype=float)


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


def _heatmap_norm(values: np.ndarray) -> tuple[str, mcolors.Normalize]:
    """Return a colour map and norm: diverging around 0 for signed values, else sequential."""
    finite = values[np.isfinite(values)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if low < 0:
        edge = max(abs(low), abs(high)) or 1.0
        return "RdBu_r", mcolors.Normalize(-edge, edge)
    return "Blues", mcolors.Normalize(0, high if high > 0 else 1.0)


def _format_cell(value: float, measure: str) -> str:
    if measure in ("count", "n_articles"):
        return f"{value:,.0f}"
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.0f}"


def _annotate_cells(ax: Axes, matrix: pd.DataFrame, measure: str, image: Any) -> None:
    size = "x-small" if len(matrix) > 10 else "small"
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

    Entities are ranked by their total ``count`` over all their pairs (ties by name)
    and drawn in that order on both axes; each cell is the chosen ``measure`` of the
    pair (blank where the two never co-occur, and on the diagonal). Signed measures
    (PMI, NPMI) use a diverging colour map centred on zero.

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
    check_positive("n", n)
    require_columns(
        pairs, ("entity_a", "entity_b", "count", measure), what="plot_cooccurrence_heatmap"
    )
    title = title or "Co-occurrence of the top entities"
    label = measure_label(measure, pairs.attrs.get("window"))
    frame = pairs if pairs.empty else period_slice(pairs, period, what="pairs")
    entities = [] if frame.empty else list(_entity_strength(frame).index[:n])
    side = 0.42 * max(len(entities), 5) + 2.6
    ax = new_axes(ax, (side + 1.4, side))
    if frame.empty:
        return draw_empty(
            ax, "No co-occurring entities to show", title=title, xlabel="entity", ylabel="entity"
        )
    matrix = _pair_matrix(frame, entities, measure).astype(float)
    cmap, norm = _heatmap_norm(matrix.to_numpy())
    kwargs.setdefault("cmap", plt.get_cmap(cmap).with_extremes(bad="#f2f2f2"))
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
    ax.figure.colorbar(image, ax=ax, label=label, shrink=0.8, pad=0.02)
    ax.set_title(f"{title} ({measure})")
    ax.set_xlabel("entity")
    ax.set_ylabel("entity")
    return ax


def graph_from_pairs(pairs: pd.DataFrame) -> nx.Graph:
    """Return the co-occurrence graph of a pairs frame, for drawing.

    Nodes carry ``label`` (from ``label_a``/``label_b``); edges carry every numeric
    column of the frame. ``to_graph`` (toolkit.graph) gives richer nodes (``mentions``,
    ``articles``); this is the fallback when only pairs are at hand.
    """
    graph = nx.Graph()
    measures = [c for c in pairs.columns if c in MEASURES]
    for row in pairs.itertuples(index=False):
        for entity, label in ((row.entity_a, row.label_a), (row.entity_b, row.label_b)):
            if entity not in graph:
                graph.add_node(entity, label=label)
        graph.add_edge(row.entity_a, row.entity_b, **{m: getattr(row, m) for m in measures})
    return graph


def _top_edges(graph: nx.Graph, measure: str, top: int) -> list[tuple[Any, Any, dict]]:
    """Return the ``top`` edges by ``measure`` (then count, then names): no hairball."""
    edges = list(graph.edges(data=True))
    missing = [(a, b) for a, b, data in edges if measure not in data]
    if missing:
        raise ValueError(
            f"plot_network: edges need the attribute {measure!r} (e.g. {missing[0]} lacks it)"
        )

    def key(edge: tuple[Any, Any, dict]) -> tuple:
        a, b, data = edge
        return (
            -float(data[measure]),
            -float(data.get("count", 0)),
            str(min(a, b, key=str)),
            str(max(a, b, key=str)),
        )

    return sorted(edges, key=key)[:top]


def _node_sizes(graph: nx.Graph, nodes: list[Any]) -> tuple[pd.Series, str]:
    """Return each node's size value and what it is: mentions, or weighted degree."""
    if all("mentions" in graph.nodes[node] for node in nodes):
        return pd.Series({node: float(graph.nodes[node]["mentions"]) for node in nodes}), "mentions"
    degree = dict(graph.degree(nodes, weight="count"))
    return pd.Series({node: float(degree[node]) for node in nodes}), "co-occurrences"


def _layout(graph: nx.Graph, layout: str, seed: int) -> dict[Any, np.ndarray]:
    if layout == "circular":
        return nx.circular_layout(graph)
    if layout == "kamada_kawai":
        return nx.kamada_kawai_layout(graph, weight=None)
    spread = 2.2 / np.sqrt(max(graph.number_of_nodes(), 1))
    return nx.spring_layout(graph, seed=seed, weight="_weight", k=spread, iterations=200)


def _drawing_graph(edges: list[tuple[Any, Any, dict]], source: nx.Graph, measure: str) -> nx.Graph:
    """Return a new graph of ``edges`` with sorted nodes (for a deterministic layout)."""
    graph = nx.Graph()
    nodes = sorted({node for a, b, _ in edges for node in (a, b)}, key=str)
    graph.add_nodes_from((node, dict(source.nodes[node])) for node in nodes)
    weights = scale([data[measure] for _, _, data in edges], 0.2, 1.0)
    for (a, b, data), weight in zip(edges, weights, strict=True):
        graph.add_edge(a, b, **data, _weight=float(weight))
    return graph


def _draw_edges(ax: Axes, graph: nx.Graph, pos: dict, measure: str) -> None:
    edges = list(graph.edges(data=True))
    widths = scale([data[measure] for _, _, data in edges], 0.6, 6.0)
    segments = [(pos[a], pos[b]) for a, b, _ in edges]
    ax.add_collection(
        LineCollection(
            segments, linewidths=widths, colors="#8a8a8a", alpha=0.55, zorder=1, capstyle="round"
        )
    )


def _draw_nodes(ax: Axes, graph: nx.Graph, pos: dict, sizes: pd.Series) -> list[Line2D]:
    """Draw the nodes, one scatter per label; return legend handles."""
    labels = {node: str(graph.nodes[node].get("label") or "unknown") for node in graph}
    colors = label_colors(labels.values())
    areas = pd.Series(scale(np.sqrt(sizes.to_numpy()), 90, 1300), index=sizes.index)
    handles = []
    for label, color in colors.items():
        nodes = [node for node in graph if labels[node] == label]
        xy = np.array([pos[node] for node in nodes])
        ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=areas[nodes].to_numpy(),
            color=color,
            edgecolors="white",
            linewidths=1.0,
            zorder=2,
            label=label,
        )
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                color=color,
                markersize=8,
                label=f"{label} ({len(nodes)})",
            )
        )
    return handles


def _draw_labels(ax: Axes, pos: dict, sizes: pd.Series, max_labels: int) -> None:
    """Write the names of the ``max_labels`` biggest nodes above them, with a white halo."""
    areas = scale(np.sqrt(sizes.to_numpy()), 90, 1300)
    order = sorted(range(len(sizes)), key=lambda i: (-sizes.iloc[i], str(sizes.index[i])))
    halo = [path_effects.withStroke(linewidth=3, foreground="white")]
    for i in order[:max_labels]:
        node = sizes.index[i]
        ax.annotate(
            shorten(node, 24),
            pos[node],
            xytext=(0, np.sqrt(areas[i]) / 2 + 1),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize="small",
            path_effects=halo,
            zorder=3,
        )
    if len(sizes) > max_labels:
        logger.info("network: labelled the %d biggest of %d nodes", max_labels, len(sizes))


@styled
def plot_network(
    graph_or_pairs: nx.Graph | pd.DataFrame,
    *,
    top: int = 40,
    measure: Measure = "count",
    layout: Layout = "spring",
    seed: int = 0,
    period: Any = None,
    max_labels: int = 30,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw the entity network: the ``top`` strongest edges and the entities they join.

    Only the ``top`` edges by ``measure`` are drawn (ties by count, then names), so
    isolated and weakly tied entities drop out and the drawing never becomes a
    hairball. Node area grows with mentions (node attribute ``mentions``; the weighted
    degree when absent), edge width with ``measure``, colour shows the entity label.
    The layout is deterministic: nodes are laid out in sorted order with ``seed``.

    Parameters
    ----------
    graph_or_pairs : networkx.Graph or pandas.DataFrame
        A graph from ``to_graph`` (node attributes ``label``, ``mentions``; edge
        attribute ``measure``) or a pairs frame (``entity_a``, ``entity_b``,
        ``label_a``, ``label_b``, ``count`` and ``measure``).
    top : int
        Most edges drawn.
    measure : {"count", "n_articles", "pmi", "npmi", "g2", "jaccard", "dice"}
        Edge strength: ranks the edges and sets their width.
    layout : {"spring", "kamada_kawai", "circular"}
        Node placement.
    seed : int
        Seed of the spring layout.
    period : optional
        The time slice to draw when a pairs frame has a ``period`` column.
    max_labels : int
        Most node names written (the biggest nodes).
    title : str, optional
        Chart title (default "Entity network").
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on: the edges are ``ax.collections[0]``, then one scatter per
        label; the x label says what sizes and widths encode.

    Raises
    ------
    ValueError
        When a needed column or edge attribute is missing or an option is invalid.
    """
    check_choice("measure", measure, MEASURES)
    check_choice("layout", layout, LAYOUTS)
    check_positive("top", top)
    check_positive("max_labels", max_labels)
    title = title or "Entity network"
    if isinstance(graph_or_pairs, nx.Graph):
        graph = graph_or_pairs
    else:
        require_columns(graph_or_pairs, (*PAIR_COLUMNS, measure), what="plot_network")
        frame = (
            graph_or_pairs
            if graph_or_pairs.empty
            else period_slice(graph_or_pairs, period, what="pairs")
        )
        graph = graph_from_pairs(frame)
    ax = new_axes(ax, (9.0, 7.0))
    if graph.number_of_edges() == 0:
        return draw_empty(
            ax,
            "No co-occurring entities to show",
            title=title,
            xlabel="entities joined by co-occurrence",
        )
    edges = _top_edges(graph, measure, top)
    drawn = _drawing_graph(edges, graph, measure)
    sizes, size_by = _node_sizes(graph, list(drawn))
    pos = _layout(drawn, layout, seed)
    _draw_edges(ax, drawn, pos, measure)
    handles = _draw_nodes(ax, drawn, pos, sizes)
    _draw_labels(ax, pos, sizes, max_labels)
    ax.legend(handles=handles, title="entity label", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.margins(0.12)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(title)
    ax.set_xlabel(
        f"node size: {size_by} · edge width: {measure} · "
        f"top {len(edges)} of {graph.number_of_edges()} edges"
    )
    return ax
