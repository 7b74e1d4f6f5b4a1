"""The entity network: the strongest co-occurrences drawn as a graph that stays readable."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any, Literal

import matplotlib.patheffects as path_effects
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox

from ._base import (
    check_choice,
    check_positive,
    draw_empty,
    glyphs_reported,
    label_colors,
    new_axes,
    period_slice,
    require_columns,
    scale,
    shorten,
    styled,
)
from .entities import MEASURES, PAIR_COLUMNS, Measure

logger = logging.getLogger(__name__)

Layout = Literal["spring", "kamada_kawai", "circular"]
LAYOUTS: tuple[str, ...] = ("spring", "kamada_kawai", "circular")

#: Node areas (points²) of the least and most mentioned entity drawn.
NODE_AREA = (80.0, 900.0)
#: Edge widths (points) of the weakest and strongest edge drawn.
EDGE_WIDTH = (1.0, 6.0)
#: Largest component laid out with Kamada-Kawai (its cost grows with the square).
KK_MAX_NODES = 300
#: Room (points) kept free around each node.
NODE_PADDING = 8.0
#: Margin around the drawing, as a fraction of the data range.
MARGIN = 0.12
#: Node area (points²) that counts as one node when sizing a component's room.
REFERENCE_AREA = 250.0
#: Distance between the two entities of a lone pair, in layout units.
PAIR_LENGTH = 1.4
#: Space between packed components, in layout units.
COMPONENT_GAP = 1.0


def graph_from_pairs(pairs: pd.DataFrame) -> nx.Graph:
    """Return the co-occurrence graph of a pairs frame, for drawing.

    Nodes carry ``label`` (from ``label_a``/``label_b``); edges carry the measure
    columns of the frame. ``to_graph`` (toolkit.graph) gives richer nodes
    (``mentions``, ``articles``); this is what the chart uses when given pairs.
    """
    graph = nx.Graph()
    measures = [column for column in pairs.columns if column in MEASURES]
    for row in pairs.itertuples(index=False):
        for entity, label in ((row.entity_a, row.label_a), (row.entity_b, row.label_b)):
            if entity not in graph:
                graph.add_node(entity, label=label)
        graph.add_edge(row.entity_a, row.entity_b, **{m: getattr(row, m) for m in measures})
    return graph


def _as_graph(graph_or_pairs: nx.Graph | pd.DataFrame, measure: str, period: Any) -> nx.Graph:
    """Return the graph to draw from a graph, or from (one period of) a pairs frame."""
    if isinstance(graph_or_pairs, nx.Graph):
        return graph_or_pairs
    require_columns(graph_or_pairs, (*PAIR_COLUMNS, measure), what="plot_network")
    if graph_or_pairs.empty:
        return nx.Graph()
    return graph_from_pairs(period_slice(graph_or_pairs, period, what="pairs"))


def _top_edges(graph: nx.Graph, measure: str, top: int) -> list[tuple[Any, Any, dict]]:
    """Return the ``top`` edges by ``measure`` (then count, then names); NaN ones are left out."""
    edges = list(graph.edges(data=True))
    lacking = next(((a, b) for a, b, data in edges if measure not in data), None)
    if lacking is not None:
        raise ValueError(f"plot_network: edges need the attribute {measure!r}; {lacking} lacks it")
    finite = [edge for edge in edges if np.isfinite(float(edge[2][measure]))]
    if len(finite) < len(edges):
        logger.info("network: %d edges without a %s left out", len(edges) - len(finite), measure)

    def strength(edge: tuple[Any, Any, dict]) -> tuple:
        a, b, data = edge
        return (-float(data[measure]), -float(data.get("count", 0)), *sorted((str(a), str(b))))

    return sorted(finite, key=strength)[:top]


def _drawing_graph(edges: list[tuple[Any, Any, dict]], source: nx.Graph) -> nx.Graph:
    """Return a new graph of ``edges``, nodes in sorted order so the layout is repeatable."""
    graph = nx.Graph()
    nodes = sorted({node for a, b, _ in edges for node in (a, b)}, key=str)
    graph.add_nodes_from((node, dict(source.nodes[node])) for node in nodes)
    graph.add_edges_from(edges)
    return graph


def _node_sizes(graph: nx.Graph, nodes: list[Any]) -> tuple[pd.Series, str]:
    """Return each node's size value and its name: mentions, else the weighted degree."""
    if all("mentions" in graph.nodes[node] for node in nodes):
        values = {node: float(graph.nodes[node]["mentions"]) for node in nodes}
        return pd.Series(values, dtype=float), "mentions"
    degree = dict(graph.degree(nodes, weight="count"))
    return pd.Series({node: float(degree[node]) for node in nodes}, dtype=float), "co-occurrences"


def _sorted_subgraph(graph: nx.Graph, nodes: set) -> nx.Graph:
    """Return the subgraph of ``nodes`` with its nodes in sorted order.

    Layouts depend on node order, and a networkx subgraph view may iterate its node set
    in hash order (which changes between processes); a sorted copy keeps the drawing
    the same from run to run.
    """
    sub = nx.Graph()
    sub.add_nodes_from(sorted(nodes, key=str))
    sub.add_edges_from(graph.subgraph(nodes).edges(data=True))
    return sub


def _component_positions(
    graph: nx.Graph, layout: str, seed: int, areas: pd.Series
) -> dict[Any, np.ndarray]:
    """Lay out one connected component, its area growing with its nodes' total area."""
    nodes = list(graph)
    if len(nodes) <= 2:
        half = PAIR_LENGTH / 2 if len(nodes) == 2 else 0.0
        return {node: np.array([half * (2 * i - 1), 0.0]) for i, node in enumerate(nodes)}
    if layout == "circular":
        pos = nx.circular_layout(graph)
    else:
        # Kamada-Kawai spaces a dense core evenly; the spring layout then relaxes it (edges
        # unweighted: weighted attraction would pile strongly tied nodes on each other).
        pos = nx.kamada_kawai_layout(graph, weight=None) if len(nodes) <= KK_MAX_NODES else None
        if layout == "spring":
            pos = nx.spring_layout(
                graph, pos=pos, seed=seed, weight=None, iterations=50, k=1.5 / np.sqrt(len(nodes))
            )
    coords = nx.rescale_layout(
        np.array([pos[node] for node in nodes]), scale=_component_scale(areas[nodes])
    )
    return dict(zip(nodes, coords, strict=True))


def _pack(components: list[dict[Any, np.ndarray]]) -> dict[Any, np.ndarray]:
    """Place laid-out components side by side in rows (biggest first), not far apart."""
    boxes = [np.array(list(pos.values())) for pos in components]
    sizes = [coords.max(axis=0) - coords.min(axis=0) + COMPONENT_GAP for coords in boxes]
    row_width = max(max(size[0] for size in sizes), np.sqrt(sum(s[0] * s[1] for s in sizes)) * 1.4)
    placed: dict[Any, np.ndarray] = {}
    x = y = row_height = 0.0
    for pos, coords, size in zip(components, boxes, sizes, strict=True):
        if x > 0 and x + size[0] > row_width:
            x, y, row_height = 0.0, y - row_height, 0.0
        shift = np.array([x, y - size[1]]) - coords.min(axis=0)
        placed.update({node: xy + shift for node, xy in pos.items()})
        x, row_height = x + size[0], max(row_height, size[1])
    return placed


def _component_scale(areas: pd.Series) -> float:
    """Return the half-width of a component: big nodes (many mentions) get more room."""
    crowd = max(len(areas), float(areas.sum()) / REFERENCE_AREA)
    return 0.75 * float(np.sqrt(crowd))


def _spread(coords: np.ndarray, radii: np.ndarray, rounds: int = 60) -> np.ndarray:
    """Return ``coords`` with overlapping nodes (``radii`` in the same units) pushed apart."""
    coords = coords.astype(float).copy()
    count = len(coords)
    # Coincident nodes get a fixed direction each, so the result stays deterministic.
    fallback = np.stack([np.cos(np.arange(count)), np.sin(np.arange(count))], axis=1)
    for _ in range(rounds):
        delta = coords[:, None, :] - coords[None, :, :]
        dist = np.hypot(delta[..., 0], delta[..., 1])
        np.fill_diagonal(dist, np.inf)
        overlap = np.clip(radii[:, None] + radii[None, :] - dist, 0.0, None)
        if not overlap.any():
            break
        direction = np.where(
            (dist > 0)[..., None],
            delta / np.where(dist > 0, dist, 1.0)[..., None],
            fallback[:, None, :],
        )
        coords += 0.5 * (overlap[..., None] * direction).sum(axis=1)
    return coords


def _units_per_point(pos: dict[Any, np.ndarray], box: tuple[float, float]) -> float:
    """Return layout units per point when ``pos`` fills a box of ``box`` points."""
    coords = np.array(list(pos.values()))
    width, height = coords.max(axis=0) - coords.min(axis=0)
    return max(width / box[0], height / box[1], 1e-9)


def _layout(
    graph: nx.Graph, layout: str, seed: int, areas: pd.Series, box: tuple[float, float]
) -> dict[Any, np.ndarray]:
    """Lay out each component on its own, keep nodes from overlapping, and pack them.

    ``box`` is the drawing area in points: it tells how large a node of a given area
    is in layout units, so overlapping nodes can be pushed apart before drawing.
    """
    components = sorted(
        nx.connected_components(graph), key=lambda nodes: (-len(nodes), min(str(n) for n in nodes))
    )
    laid_out = [
        _component_positions(_sorted_subgraph(graph, nodes), layout, seed, areas)
        for nodes in components
    ]
    radii = np.sqrt(areas) / 2 + NODE_PADDING
    for _ in range(2):  # spreading grows the layout, which shrinks the nodes: twice is enough
        units = _units_per_point(_pack(laid_out), box)
        laid_out = [
            dict(
                zip(
                    pos,
                    _spread(np.array(list(pos.values())), radii[list(pos)].to_numpy() * units),
                    strict=True,
                )
            )
            for pos in laid_out
        ]
    return _pack(laid_out)


def _drawing_box(ax: Axes, margin: float) -> tuple[float, float]:
    """Return the size in points of the data area of ``ax`` inside its margins."""
    width, height = ax.get_position().size * ax.figure.get_size_inches() * 72
    return width / (1 + 2 * margin), height / (1 + 2 * margin)


def _draw_edges(ax: Axes, graph: nx.Graph, pos: dict, measure: str) -> None:
    edges = list(graph.edges(data=True))
    widths = scale([data[measure] for _, _, data in edges], *EDGE_WIDTH)
    segments = [(pos[a], pos[b]) for a, b, _ in edges]
    ax.add_collection(
        LineCollection(
            segments, linewidths=widths, colors="#7a7a7a", alpha=0.6, zorder=1, capstyle="round"
        )
    )


def _draw_nodes(ax: Axes, graph: nx.Graph, pos: dict, areas: pd.Series) -> list[Line2D]:
    """Draw the nodes, one scatter per entity label; return the legend handles."""
    labels = {node: str(graph.nodes[node].get("label") or "unknown") for node in graph}
    handles = []
    for label, color in label_colors(labels.values()).items():
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


def _label_spots(radius: float) -> Iterator[tuple[float, float, str, str]]:
    """Yield label offsets (points) around a node of ``radius``: above first, then around,
    then the same ring a little further out."""
    for gap in (2.0, 9.0):
        side, diag = radius + gap, radius * 0.7 + gap
        yield 0, side, "center", "bottom"
        yield 0, -side, "center", "top"
        yield side + 1, 0, "left", "center"
        yield -side - 1, 0, "right", "center"
        for dx, dy in ((diag, diag), (-diag, diag), (diag, -diag), (-diag, -diag)):
            yield dx, dy, "left" if dx > 0 else "right", "bottom" if dy > 0 else "top"


def _node_boxes(ax: Axes, pos: dict, areas: pd.Series) -> dict[Any, Bbox]:
    """Return each node's bounding box in display pixels."""
    points_to_pixels = ax.figure.dpi / 72
    boxes = {}
    for node, area in areas.items():
        x, y = ax.transData.transform(pos[node])
        radius = np.sqrt(area) / 2 * points_to_pixels
        boxes[node] = Bbox.from_extents(x - radius, y - radius, x + radius, y + radius)
    return boxes


def _place_label(
    ax: Axes, node: Any, xy: np.ndarray, radius: float, fits: Callable[[Bbox], bool]
) -> Bbox | None:
    """Write ``node``'s name at the first spot around it where ``fits``; return its box."""
    renderer = ax.figure.canvas.get_renderer()
    halo = [path_effects.withStroke(linewidth=3, foreground="white")]
    for dx, dy, ha, va in _label_spots(radius):
        text = ax.annotate(
            shorten(node, 24),
            xy,
            xytext=(dx, dy),
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize="small",
            path_effects=halo,
            zorder=3,
        )
        box = text.get_window_extent(renderer)
        if fits(box):
            return box
        text.remove()
    return None


def _draw_labels(
    ax: Axes, pos: dict, areas: pd.Series, sizes: pd.Series, max_labels: int | None
) -> None:
    """Name the biggest nodes where the name overlaps no other name, node or the legend.

    Each name tries spots around its node (above, below, right, left, diagonals, further
    out) and takes the first free one whose centre is inside the axes and which is
    inside the figure; a name with no free spot is left out (and counted in the log)
    rather than drawn over another.
    """
    figure = ax.figure
    figure.draw_without_rendering()  # settle the layout before measuring text
    renderer = figure.canvas.get_renderer()
    frame, page = ax.get_window_extent(renderer), figure.bbox
    nodes = _node_boxes(ax, pos, areas)
    legend = ax.get_legend()
    taken: list[Bbox] = [legend.get_window_extent(renderer)] if legend else []
    order = sorted(sizes.index, key=lambda node: (-sizes[node], str(node)))
    limit = len(order) if max_labels is None else max_labels
    left_out = len(order[limit:])
    for node in order[:limit]:
        blocked = taken + [box for other, box in nodes.items() if other != node]

        def fits(box: Bbox, blocked: list[Bbox] = blocked) -> bool:
            centre_inside = frame.contains(*box.get_points().mean(axis=0))
            on_page = page.contains(box.x0, box.y0) and page.contains(box.x1, box.y1)
            return centre_inside and on_page and not box.count_overlaps(blocked)

        box = _place_label(ax, node, pos[node], float(np.sqrt(areas[node]) / 2), fits)
        if box is None:
            left_out += 1
        else:
            taken.append(box.padded(2))
    if left_out:
        logger.info(
            "network: %d of %d names left out (no free space or max_labels)", left_out, len(order)
        )


def _hide_axes_frame(ax: Axes) -> None:
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)


@styled
def plot_network(
    graph_or_pairs: nx.Graph | pd.DataFrame,
    *,
    top: int = 40,
    measure: Measure = "count",
    layout: Layout = "spring",
    seed: int = 0,
    period: Any = None,
    max_labels: int | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw the entity network: the ``top`` strongest edges and the entities they join.

    Only the ``top`` edges by ``measure`` are drawn (ties by count, then names), so
    isolated and weakly tied entities drop out and the drawing never becomes a
    hairball. Node area grows with mentions (node attribute ``mentions``; the weighted
    degree when absent), edge width with ``measure``, colour shows the entity label.
    Each connected component is laid out on its own and the components are packed
    side by side, biggest first. The layout is deterministic: nodes in sorted order,
    ``seed`` for the spring layout. Names are written with a white halo where they do
    not overlap another name or node; a name with no free spot is left out.

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
        Placement of the nodes of each component.
    seed : int
        Seed of the spring layout.
    period : optional
        The time slice to draw when a pairs frame has a ``period`` column.
    max_labels : int, optional
        Most names written, the biggest nodes first; default: every name that fits.
    title : str, optional
        Chart title (default "Entity network").
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on: the edges are ``ax.collections[0]``, then one scatter per
        entity label; the x label says what sizes and widths encode.

    Raises
    ------
    ValueError
        When a needed column or edge attribute is missing or an option is invalid.
    """
    check_choice("measure", measure, MEASURES)
    check_choice("layout", layout, LAYOUTS)
    check_positive("top", top)
    if max_labels is not None:
        check_positive("max_labels", max_labels)
    title = title or "Entity network"
    graph = _as_graph(graph_or_pairs, measure, period)
    edges = _top_edges(graph, measure, top)
    ax = new_axes(ax, (9.0, 7.0))
    if not edges:
        return draw_empty(
            ax,
            "No co-occurring entities to show",
            title=title,
            xlabel="entities joined by co-occurrence",
        )
    drawn = _drawing_graph(edges, graph)
    sizes, size_by = _node_sizes(graph, list(drawn))
    areas = pd.Series(scale(np.sqrt(sizes.to_numpy()), *NODE_AREA), index=sizes.index)
    pos = _layout(drawn, layout, seed, areas, _drawing_box(ax, MARGIN))
    _draw_edges(ax, drawn, pos, measure)
    handles = _draw_nodes(ax, drawn, pos, areas)
    ax.legend(handles=handles, title="entity label", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_aspect("equal", adjustable="datalim")
    ax.margins(MARGIN)
    _hide_axes_frame(ax)
    ax.set_title(title)
    ax.set_xlabel(
        f"node size: {size_by} · edge width: {measure} · "
        f"top {len(edges)} of {graph.number_of_edges()} edges"
    )
    with glyphs_reported():
        _draw_labels(ax, pos, areas, sizes, max_labels)
    return ax
