"""The entity network: the strongest co-occurrences drawn as a graph that stays readable."""

from __future__ import annotations

import logging
import math
from typing import Any, Literal

import matplotlib.patheffects as path_effects
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.text import Annotation

from toolkit.plots.base import (
    draw_empty,
    glyphs_reported,
    label_colors,
    largest_first,
    new_axes,
    period_slice,
    require_columns,
    scale,
    shorten,
    styled,
)
from toolkit.plots.entities import MEASURES, PAIR_COLUMNS, Measure
from toolkit.plots.labels import Placement, place_labels
from toolkit.vocab import check_choice, check_positive_int

logger = logging.getLogger(__name__)

Layout = Literal["spring", "kamada_kawai", "circular"]
LAYOUTS: tuple[str, ...] = ("spring", "kamada_kawai", "circular")

#: Node areas (points²) of the least and most mentioned entity drawn...
NODE_AREA = (80.0, 900.0)
#: ...in a drawing area (points²) this large or larger (the default figure's); in a
#: smaller one the areas shrink with it, down to this fraction.
FULL_BOX_AREA = 380.0 * 290.0
MIN_NODE_SHRINK = 0.4
#: Edge widths (points) of the weakest and strongest edge drawn.
EDGE_WIDTH = (1.0, 6.0)
#: Largest component laid out with Kamada-Kawai (its cost grows with the square).
KK_MAX_NODES = 300
#: Room (points) kept free around each node.
NODE_PADDING = 8.0
#: Margin around the drawing, as a fraction of the data range.
MARGIN = 0.12
#: Length of a lone pair's edge and of the typical edge of a component, in layout units.
PAIR_LENGTH = 1.0
#: Space between packed components, in layout units.
COMPONENT_GAP = 1.0
#: The names of this many largest nodes are always written (the others where they fit).
SURE_LABELS = 10
#: Width (points) of the white halo around names, and the room kept around the drawing.
HALO = 3.0
VIEW_PADDING = 4.0
#: Most the drawing is stretched in one direction to fill the axes.
MAX_STRETCH = 1.25
LEADER_COLOR = "#666666"


def _as_graph(graph_or_pairs: nx.Graph | pd.DataFrame, measure: str, period: Any) -> nx.Graph:
    """Return the graph to draw from a graph, or from (one period of) a pairs frame.

    A graph made here from pairs has no true mention counts (``to_graph`` without
    mentions gives lower bounds), so its nodes are sized by their co-occurrences.
    """
    from toolkit.entities.graph import to_graph

    if isinstance(graph_or_pairs, nx.Graph):
        return graph_or_pairs
    require_columns(graph_or_pairs, (*PAIR_COLUMNS, measure), what="plot_network")
    if graph_or_pairs.empty:
        return nx.Graph()
    graph = to_graph(period_slice(graph_or_pairs, period, what="pairs"), measure=measure)
    for _, data in graph.nodes(data=True):
        del data["mentions"], data["articles"]
    return graph


#: Pair measures below zero for pairs named together less often than chance.
SIGNED_MEASURES = frozenset({"pmi", "npmi", "g2"})


def _top_edges(graph: nx.Graph, measure: str, top: int) -> list[tuple[Any, Any, dict]]:
    """Return the ``top`` edges by ``measure`` (then count, then names); NaN ones are left out."""
    edges = list(graph.edges(data=True))
    lacking = next(((a, b) for a, b, data in edges if measure not in data), None)
    if lacking is not None:
        raise ValueError(f"plot_network: edges need the attribute {measure!r}; {lacking} lacks it")
    finite = [edge for edge in edges if np.isfinite(float(edge[2][measure]))]
    if len(finite) < len(edges):
        logger.info("network: %d edges without a %s left out", len(edges) - len(finite), measure)
    if measure in SIGNED_MEASURES:
        # Pairs named together less often than chance (negative PMI or signed G²) are no link.
        finite = [edge for edge in finite if float(edge[2][measure]) > 0]

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


def _component_positions(graph: nx.Graph, layout: str, seed: int) -> dict[Any, np.ndarray]:
    """Lay out one connected component, its typical edge ``PAIR_LENGTH`` long."""
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
    coords = np.array([pos[node] for node in nodes], dtype=float)
    coords -= coords.mean(axis=0)
    # The typical edge is as long in every component (and as a lone pair), so the
    # components look alike; overlapping big nodes are pushed apart later.
    where = {node: number for number, node in enumerate(nodes)}
    lengths = [np.hypot(*(coords[where[a]] - coords[where[b]])) for a, b in graph.edges()]
    coords *= PAIR_LENGTH / (float(np.median(lengths)) or 1.0)
    return dict(zip(nodes, coords, strict=True))


def _orient(pos: dict[Any, np.ndarray], wide: bool) -> dict[Any, np.ndarray]:
    """Turn a laid-out component so its longest extent lies along the drawing's longer
    side (a layout means the same turned), which leaves less of the axes empty."""
    coords = np.array(list(pos.values()), dtype=float)
    centred = coords - coords.mean(axis=0)
    if len(coords) < 2 or not centred.any():
        return pos
    _, vectors = np.linalg.eigh(centred.T @ centred)
    major = vectors[:, -1]
    turn = (0.0 if wide else math.pi / 2) - math.atan2(major[1], major[0])
    rotation = np.array([[math.cos(turn), -math.sin(turn)], [math.sin(turn), math.cos(turn)]])
    return dict(zip(pos, centred @ rotation.T, strict=True))


def _pack_rows(
    components: list[dict[Any, np.ndarray]], row_width: float
) -> tuple[dict[Any, np.ndarray], np.ndarray]:
    """Place components left to right in rows of at most ``row_width``, each row centred;
    return the positions and the size of the whole."""
    rows: list[list[tuple[dict, np.ndarray, np.ndarray]]] = [[]]
    used = 0.0
    for pos in components:
        coords = np.array(list(pos.values()))
        size = coords.max(axis=0) - coords.min(axis=0) + COMPONENT_GAP
        if rows[-1] and used + size[0] > row_width:
            rows.append([])
            used = 0.0
        rows[-1].append((pos, coords.min(axis=0), size))
        used += size[0]
    widths = [sum(size[0] for _, _, size in row) for row in rows]
    widest = max(widths)
    placed: dict[Any, np.ndarray] = {}
    y = 0.0
    for row, width in zip(rows, widths, strict=True):
        x, height = (widest - width) / 2, max(size[1] for _, _, size in row)
        for pos, low, size in row:
            shift = np.array([x, y - height + (height - size[1]) / 2]) - low
            placed.update({node: xy + shift for node, xy in pos.items()})
            x += size[0]
        y -= height
    return placed, np.array([widest, -y]) - COMPONENT_GAP


def _pack(
    components: list[dict[Any, np.ndarray]], box: tuple[float, float]
) -> dict[Any, np.ndarray]:
    """Place laid-out components in rows (biggest first), the rows as long as makes the
    whole fill a drawing of shape ``box`` best."""
    widths = [
        float(np.ptp(np.array(list(pos.values()))[:, 0])) + COMPONENT_GAP for pos in components
    ]
    best: tuple[float, dict[Any, np.ndarray]] | None = None
    for row_width in np.linspace(max(widths), sum(widths), 24):
        placed, extent = _pack_rows(components, float(row_width) + 1e-9)
        fit = min(box[0] / max(extent[0], 1e-9), box[1] / max(extent[1], 1e-9))
        if best is None or fit > best[0] * (1 + 1e-9):
            best = (fit, placed)
    assert best is not None
    return best[1]


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
        _orient(
            _component_positions(_sorted_subgraph(graph, nodes), layout, seed),
            wide=box[0] >= box[1],
        )
        for nodes in components
    ]
    radii = np.sqrt(areas) / 2 + NODE_PADDING
    for _ in range(2):  # spreading grows the layout, which shrinks the nodes: twice is enough
        units = _units_per_point(_pack(laid_out, box), box)
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
    return _pack(laid_out, box)


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


def _name_sizes(ax: Axes, names: list[str], renderer: Any) -> list[tuple[float, float]]:
    """Return the size in pixels of each name as drawn (small, with its halo)."""
    halo = HALO * ax.figure.dpi / 72
    sizes = []
    for name in names:
        text = ax.text(0, 0, name, fontsize="small")
        box = text.get_window_extent(renderer)
        text.remove()
        sizes.append((box.width + halo, box.height + halo))
    return sizes


def _discs(ax: Axes, pos: dict, areas: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Return the nodes' centres and radii (white rim included) in display pixels."""
    nodes = list(areas.index)
    centres = ax.transData.transform(np.array([pos[node] for node in nodes], dtype=float))
    radii = (np.sqrt(areas.to_numpy()) / 2 + 0.5) * ax.figure.dpi / 72
    return centres, radii


def _fit_view(ax: Axes, centres: np.ndarray, radii: np.ndarray, boxes: list[tuple]) -> None:
    """Set the limits to the nodes and names drawn (pixels now), with a little room.

    The drawing fills the axes in the direction that binds and is stretched at most
    ``MAX_STRETCH`` times in the other (a layout has no scale, but stretched too far
    it would look squashed); what is left is shared out on both sides. The limits
    only ever zoom in, so nothing drawn comes nearer anything else.
    """
    pad = VIEW_PADDING * ax.figure.dpi / 72
    extents = [np.column_stack([centres - radii[:, None], centres + radii[:, None]])]
    if boxes:
        extents.append(np.asarray(boxes, dtype=float))
    every = np.vstack(extents)
    low, high = every[:, :2].min(axis=0) - pad, every[:, 2:].max(axis=0) + pad
    frame = ax.get_window_extent().size
    zoom = frame / np.maximum(high - low, 1e-9)
    zoom = np.minimum(zoom, zoom.min() * MAX_STRETCH)
    middle, half = (low + high) / 2, frame / zoom / 2
    (x0, y0), (x1, y1) = ax.transData.inverted().transform([middle - half, middle + half])
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)


def _annotate(
    ax: Axes,
    spot: Placement,
    node: Any,
    name: str,
    xy: np.ndarray,
    centre: np.ndarray,
    radius: float,
) -> Annotation:
    """Write ``name`` where ``spot`` says, as an offset from its node (so it stays there)."""
    points = 72 / ax.figure.dpi
    inner = np.asarray(spot.box) + np.array([1, 1, -1, -1]) * HALO / 2 / points
    anchor = np.array(
        [
            {"left": inner[0], "right": inner[2], "center": (inner[0] + inner[2]) / 2}[spot.ha],
            {"bottom": inner[1], "top": inner[3], "center": (inner[1] + inner[3]) / 2}[spot.va],
        ]
    )
    leader = (
        {
            "arrowstyle": "-",
            "color": LEADER_COLOR,
            "linewidth": 0.8,
            "linestyle": (0, (1.0, 1.5)),  # dotted: a leader, not an edge
            "shrinkA": 1.0,
            "shrinkB": radius * points + 0.5,
        }
        if spot.leader
        else None
    )
    text = ax.annotate(
        name,
        xy,
        xytext=tuple((anchor - centre) * points),
        textcoords="offset points",
        ha=spot.ha,
        va=spot.va,
        fontsize="small",
        path_effects=[path_effects.withStroke(linewidth=HALO, foreground="white")],
        zorder=3,
        arrowprops=leader,
        gid=str(node),
    )
    text.set_in_layout(False)
    return text


def _draw_labels(
    ax: Axes,
    pos: dict,
    areas: pd.Series,
    sizes: pd.Series,
    edges: list[tuple[Any, Any]],
    max_labels: int | None,
) -> None:
    """Name the nodes, the biggest first, and fit the limits to what is drawn.

    Each name goes beside its node, or further out with a leader line, never over a
    node or within a gap of another name, and nearer its own node than any other (see
    ``_labels``). The ``SURE_LABELS`` biggest nodes are always named; a smaller node's
    name with no free spot is left out (and counted in the log). The spots are found
    twice: once in the first view, then in the view fitted to that drawing, which has
    more room; the limits are fitted again at the end.
    """
    figure = ax.figure
    nodes = list(areas.index)
    order = largest_first(sizes[nodes])
    limit = len(order) if max_labels is None else min(max_labels, len(order))
    where = {node: number for number, node in enumerate(nodes)}
    names = [shorten(node, 24) for node in nodes]
    figure.draw_without_rendering()  # settle the layout before measuring text
    renderer = figure.canvas.get_renderer()
    name_sizes = _name_sizes(ax, names, renderer)
    legend = ax.get_legend()
    placed: list[Placement] = []
    for _ in range(2):
        figure.draw_without_rendering()
        centres, radii = _discs(ax, pos, areas)
        placed = place_labels(
            centres,
            radii,
            name_sizes,
            [where[node] for node in order[:limit]],
            sure=min(SURE_LABELS, limit),
            frame=tuple(ax.get_window_extent(renderer).extents),
            edges=np.array([(centres[where[a]], centres[where[b]]) for a, b in edges]),
            blocked=[tuple(legend.get_window_extent(renderer).extents)] if legend else [],
            px_per_pt=figure.dpi / 72,
        )
        _fit_view(ax, centres, radii, [spot.box for spot in placed])
    for spot in placed:
        node = nodes[spot.index]
        _annotate(
            ax, spot, node, names[spot.index], pos[node], centres[spot.index], radii[spot.index]
        )
    left_out = len(order) - len(placed)
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
    Each connected component is laid out on its own (its typical edge as long as in
    the others), turned to lie along the longer side of the axes, and the components
    are packed in rows, biggest first, the rows as long as fills the axes best. The
    layout is deterministic: nodes in sorted order, ``seed`` for the spring layout.

    Names are written with a white halo, the biggest nodes first: beside the node, or
    a little further out with a dotted leader line; never over a node, never nearer
    another node than their own, and with a gap between two names so they never read
    as one. The ten biggest nodes are always named; a smaller node's name with no
    free spot is left out (and counted in the log). The limits are then fitted to the
    nodes and names drawn.

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
        Most names written, the biggest nodes first; default: every name that fits
        (the ten biggest always).
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
    check_positive_int("top", top)
    if max_labels is not None:
        check_positive_int("max_labels", max_labels)
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
    box = _drawing_box(ax, MARGIN)
    # Nodes shrink with a drawing smaller than the default figure's, so names still fit.
    shrink = float(np.clip(box[0] * box[1] / FULL_BOX_AREA, MIN_NODE_SHRINK, 1.0))
    areas = pd.Series(scale(np.sqrt(sizes.to_numpy()), *NODE_AREA) * shrink, index=sizes.index)
    pos = _layout(drawn, layout, seed, areas, box)
    _draw_edges(ax, drawn, pos, measure)
    handles = _draw_nodes(ax, drawn, pos, areas)
    ax.legend(handles=handles, title="entity label", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.margins(MARGIN)
    _hide_axes_frame(ax)
    ax.set_title(title)
    ax.set_xlabel(
        f"node size: {size_by} · edge width: {measure} · "
        f"top {len(edges)} of {graph.number_of_edges()} edges"
    )
    with glyphs_reported():
        _draw_labels(ax, pos, areas, sizes, list(drawn.edges()), max_labels)
    return ax
