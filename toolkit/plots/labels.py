"""Where to write node names so each one reads as the name of its own node.

Pure geometry in display pixels: nodes are discs, names are boxes, edges are
segments. A name goes next to its node (a few points off its rim), or further out
with a leader line when that is full. It keeps a gap from every other name (so two
names never read as one), clears every node, and is nearer its own node than any
other, by its nearest edge and by its middle (so it is never read as a neighbour's).
Among the spots that keep these rules the cheapest wins: close to the node, above or
below it, clear of other nodes, with a short leader that crosses no edge. The
largest nodes are placed first; the first ``sure`` of them always get their name
(the rules relax step by step for them), the others are left out when no spot is
free.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: Distances (points) from a node's rim at which its name is tried: beside it...
NEAR_GAPS: tuple[float, ...] = (2.0, 5.0)
#: ...then further out, joined to the node by a leader line...
FAR_GAPS: tuple[float, ...] = (10.0, 16.0, 24.0)
#: ...and, for a name that must be written, further still.
LAST_GAPS: tuple[float, ...] = (36.0, 52.0, 75.0, 105.0)
#: Directions tried (degrees, 0 = right) and what each costs (points): above and
#: below read best, then beside, then the diagonals.
ANGLE_COSTS: dict[float, float] = {
    90: 0.0,
    270: 0.5,
    0: 1.5,
    180: 1.5,
    45: 2.5,
    135: 2.5,
    315: 3.0,
    225: 3.0,
    22.5: 3.5,
    157.5: 3.5,
    67.5: 3.5,
    112.5: 3.5,
    337.5: 4.0,
    202.5: 4.0,
    292.5: 4.0,
    247.5: 4.0,
}
#: Least space (points) between two names side by side, and one above the other.
GAP_X = 8.0
GAP_Y = 4.0
#: Least space (points) between a name and a node that is not its own.
CLEARANCE = 1.5
#: A name beside its node must be this much (points) nearer it than any other node;
#: a name on a leader must keep this far (points) from the other nodes.
NEARER_BY = 3.0
LEADER_CLEARANCE = 6.0
#: Cost (points) of each edge a leader crosses, and of each point another node's
#: rim is nearer than ``AMBIGUITY_RANGE`` points to a name.
CROSSING_COST = 12.0
AMBIGUITY_RANGE = 10.0


@dataclass(frozen=True)
class Placement:
    """Where one name goes: its box and anchor (pixels), alignment, and a leader line."""

    index: int
    box: tuple[float, float, float, float]
    anchor: tuple[float, float]
    ha: str
    va: str
    leader: bool
    cost: float = 0.0


@dataclass(frozen=True)
class Rules:
    """How strict a placement pass is (later passes relax it for names that must stay)."""

    gaps: tuple[float, ...] = NEAR_GAPS + FAR_GAPS
    label_gap: tuple[float, float] = (GAP_X, GAP_Y)
    nearest: bool = True
    nearer_by: float = NEARER_BY
    leader_clear: bool = True
    inside: bool = True


STRICT = Rules()
#: Relaxed passes, in order, for the names that must be written: first names may sit
#: closer together, further out and only just nearer their own node, then nearer
#: another node, then leaders may cross nodes.
RELAXED: tuple[Rules, ...] = (
    Rules(gaps=NEAR_GAPS + FAR_GAPS + LAST_GAPS, label_gap=(3.0, 1.5), nearer_by=0.5),
    Rules(gaps=NEAR_GAPS + FAR_GAPS + LAST_GAPS, label_gap=(3.0, 1.5), nearest=False),
    Rules(
        gaps=NEAR_GAPS + FAR_GAPS + LAST_GAPS,
        label_gap=(3.0, 1.5),
        nearest=False,
        leader_clear=False,
    ),
)
#: When no spot keeps even those, the one breaking the fewest of the strict rules.
LAST_RESORT = Rules(gaps=NEAR_GAPS + FAR_GAPS + LAST_GAPS)


def _alignment(angle: float) -> tuple[str, str, np.ndarray]:
    """Return the alignment of a name in direction ``angle`` and its unit vector."""
    unit = np.array([math.cos(math.radians(angle)), math.sin(math.radians(angle))])
    ha = "left" if unit[0] > 0.3 else "right" if unit[0] < -0.3 else "center"
    va = "bottom" if unit[1] > 0.3 else "top" if unit[1] < -0.3 else "center"
    return ha, va, unit


_SHIFT_X = {"left": 0.0, "center": 0.5, "right": 1.0}
_SHIFT_Y = {"bottom": 0.0, "center": 0.5, "top": 1.0}


def _rim_gaps(boxes: np.ndarray, centres: np.ndarray, radii: np.ndarray) -> np.ndarray:
    """Return the distance from each box (``(k, 4)``) to the rim of each disc, ``(k, n)``
    (negative where they overlap)."""
    cx, cy = centres[None, :, 0], centres[None, :, 1]
    dx = np.maximum(np.maximum(boxes[:, 0, None] - cx, cx - boxes[:, 2, None]), 0.0)
    dy = np.maximum(np.maximum(boxes[:, 1, None] - cy, cy - boxes[:, 3, None]), 0.0)
    return np.hypot(dx, dy) - radii[None, :]


def _clashes(boxes: np.ndarray, others: np.ndarray, gap: tuple[float, float]) -> np.ndarray:
    """Return, for each box, how many of ``others`` come within ``gap`` (x, y) of it."""
    if not len(others):
        return np.zeros(len(boxes), dtype=int)
    a, b = boxes[:, None, :], others[None, :, :]
    near = (
        (a[..., 0] < b[..., 2] + gap[0])
        & (a[..., 2] > b[..., 0] - gap[0])
        & (a[..., 1] < b[..., 3] + gap[1])
        & (a[..., 3] > b[..., 1] - gap[1])
    )
    return near.sum(axis=1)


def _inside(points: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Return whether each point (``(..., 2)``) lies in each box (``(m, 4)``): ``(..., m)``."""
    x, y = points[..., 0, None], points[..., 1, None]
    return (x > boxes[:, 0]) & (x < boxes[:, 2]) & (y > boxes[:, 1]) & (y < boxes[:, 3])


def _segments_through_discs(
    starts: np.ndarray, ends: np.ndarray, centres: np.ndarray, radii: np.ndarray
) -> np.ndarray:
    """Return, for each segment, how many discs it passes through."""
    if not len(centres):
        return np.zeros(len(starts), dtype=int)
    direction = ends - starts
    length = np.maximum((direction**2).sum(axis=1), 1e-9)
    offset = centres[None, :, :] - starts[:, None, :]
    t = np.clip((offset * direction[:, None, :]).sum(axis=2) / length[:, None], 0.0, 1.0)
    nearest = starts[:, None, :] + t[..., None] * direction[:, None, :]
    return (np.hypot(*np.moveaxis(centres[None] - nearest, 2, 0)) < radii[None, :]).sum(axis=1)


def _crossings(starts: np.ndarray, ends: np.ndarray, lines: np.ndarray) -> np.ndarray:
    """Return, for each segment, how many segments of ``lines`` (``(m, 2, 2)``) it crosses."""
    if not len(lines):
        return np.zeros(len(starts), dtype=int)
    r = (ends - starts)[:, None, :]
    q, s = lines[None, :, 0], (lines[:, 1] - lines[:, 0])[None]
    qp = q - starts[:, None, :]
    cross = r[..., 0] * s[..., 1] - r[..., 1] * s[..., 0]
    safe = np.where(np.abs(cross) > 1e-9, cross, 1.0)
    t = (qp[..., 0] * s[..., 1] - qp[..., 1] * s[..., 0]) / safe
    u = (qp[..., 0] * r[..., 1] - qp[..., 1] * r[..., 0]) / safe
    hit = (np.abs(cross) > 1e-9) & (t > 0.02) & (t < 0.98) & (u > 0.0) & (u < 1.0)
    return hit.sum(axis=1)


def _segment_points(starts: np.ndarray, ends: np.ndarray, count: int = 16) -> np.ndarray:
    """Return ``count`` points along each segment, ``(k, count, 2)``."""
    steps = np.linspace(0.0, 1.0, count)[None, :, None]
    return starts[:, None, :] + steps * (ends - starts)[:, None, :]


class _Board:
    """The names placed so far, and the rules a new one must keep."""

    def __init__(
        self,
        centres: np.ndarray,
        radii: np.ndarray,
        edges: np.ndarray,
        frame: Sequence[float],
        blocked: Sequence[Sequence[float]],
        pt: float,
    ) -> None:
        self.centres, self.radii, self.edges = centres, radii, edges
        self.frame = np.asarray(frame, dtype=float)
        self.blocked = np.asarray(blocked, dtype=float).reshape(-1, 4)
        self.pt = pt
        self.boxes = np.zeros((0, 4))
        self.leader_points = np.zeros((0, 2))

    def candidates(self, index: int, size: np.ndarray, gaps: Sequence[float]) -> list[Placement]:
        centre, radius = self.centres[index], self.radii[index]
        spots = []
        for gap in gaps:
            for angle, cost in ANGLE_COSTS.items():
                ha, va, unit = _alignment(angle)
                anchor = centre + (radius + gap * self.pt) * unit
                low = anchor - size * np.array([_SHIFT_X[ha], _SHIFT_Y[va]])
                spots.append(
                    Placement(
                        index,
                        (*low, *(low + size)),
                        tuple(anchor),
                        ha,
                        va,
                        leader=gap not in NEAR_GAPS,
                        cost=gap + cost,
                    )
                )
        return spots

    def leaders(self, index: int, boxes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return each box's leader line: from the node's rim to the box's nearest point."""
        centre = self.centres[index]
        ends = np.clip(centre, boxes[:, :2], boxes[:, 2:])
        direction = ends - centre
        norm = np.maximum(np.hypot(direction[:, 0], direction[:, 1]), 1e-9)[:, None]
        return centre + direction / norm * self.radii[index], ends

    def judge(self, spots: list[Placement], rules: Rules) -> tuple[np.ndarray, np.ndarray]:
        """Return how many rules each spot breaks (0: it is free) and its cost (points)."""
        index, pt = spots[0].index, self.pt
        boxes = np.array([spot.box for spot in spots])
        leader = np.array([spot.leader for spot in spots])
        others = np.arange(len(self.centres)) != index
        rims = _rim_gaps(boxes, self.centres[others], self.radii[others])
        own = _rim_gaps(boxes, self.centres[[index]], self.radii[[index]])[:, 0]
        broken = np.zeros(len(spots), dtype=int)
        if rules.inside:
            broken += np.any(boxes[:, :2] < self.frame[:2], axis=1)
            broken += np.any(boxes[:, 2:] > self.frame[2:], axis=1)
        broken += (rims < CLEARANCE * pt).sum(axis=1)
        gap = (rules.label_gap[0] * pt, rules.label_gap[1] * pt)
        broken += 3 * _clashes(boxes, self.boxes, gap)
        broken += 3 * _clashes(boxes, self.blocked, (0.0, 0.0))
        broken += _inside(self.leader_points, boxes).sum(axis=0)
        cost = np.array([spot.cost for spot in spots])
        if rims.shape[1]:
            if rules.nearest:
                needed = np.where(leader, LEADER_CLEARANCE * pt, own + rules.nearer_by * pt)
                broken += rims.min(axis=1) < needed
                # The eye also pairs a name with the node nearest its middle.
                middles = (boxes[:, :2] + boxes[:, 2:]) / 2
                reach = np.hypot(*np.moveaxis(middles[:, None, :] - self.centres[None], 2, 0))
                reach -= self.radii[None, :]
                broken += ~leader & (reach[:, others].min(axis=1) < reach[:, index])
            # Other nodes close by make a name harder to attribute, even within the rules.
            crowding = np.clip(AMBIGUITY_RANGE * pt - (rims - own[:, None]), 0.0, None)
            cost += crowding.sum(axis=1) / pt
        if leader.any():
            starts, ends = self.leaders(index, boxes)
            if rules.leader_clear:
                through = _segments_through_discs(
                    starts, ends, self.centres[others], self.radii[others] + pt
                )
                over = _inside(_segment_points(starts, ends), self.boxes).sum(axis=(1, 2))
                broken += np.where(leader, through + over, 0)
            cost += np.where(leader, CROSSING_COST * _crossings(starts, ends, self.edges), 0.0)
        return broken, cost

    def take(self, spot: Placement) -> None:
        box = np.asarray(spot.box)[None, :]
        self.boxes = np.vstack([self.boxes, box])
        if spot.leader:
            line = _segment_points(*self.leaders(spot.index, box))[0]
            self.leader_points = np.vstack([self.leader_points, line])

    def best(self, index: int, size: np.ndarray, rules: Rules, *, free: bool) -> Placement | None:
        """Return the cheapest spot that breaks no rule (``free``) or the fewest."""
        spots = self.candidates(index, size, rules.gaps)
        broken, cost = self.judge(spots, rules)
        if free and not (broken == 0).any():
            return None
        # Fewest broken rules, then cheapest, then the first tried.
        return spots[int(np.lexsort((np.arange(len(spots)), cost, broken))[0])]


def place_labels(
    centres: np.ndarray,
    radii: np.ndarray,
    sizes: Sequence[tuple[float, float]],
    order: Sequence[int],
    *,
    sure: int,
    frame: Sequence[float],
    edges: np.ndarray | None = None,
    blocked: Sequence[Sequence[float]] = (),
    px_per_pt: float = 1.0,
) -> list[Placement]:
    """Return a spot for the name of each node in ``order`` that has one.

    Parameters
    ----------
    centres, radii : numpy.ndarray
        Every node as a disc in display pixels (``(n, 2)`` and ``(n,)``), the named
        ones and the others.
    sizes : sequence of (width, height)
        The size in pixels of each node's name (by node index; halo included).
    order : sequence of int
        Indices of the nodes to name, the most important first.
    sure : int
        The first ``sure`` names of ``order`` are always placed (the rules relax
        step by step for them); a later name without a free spot is left out.
    frame : (x0, y0, x1, y1)
        The box names must stay inside (the axes).
    edges : numpy.ndarray, optional
        The edges as segments (``(m, 2, 2)``, pixels): leaders avoid crossing them.
    blocked : sequence of (x0, y0, x1, y1)
        Boxes no name may overlap (the legend).
    px_per_pt : float
        Pixels per point, to turn the gaps (in points) into pixels.

    Returns
    -------
    list of Placement
        One per named node, in ``order``.
    """
    lines = np.zeros((0, 2, 2)) if edges is None else np.asarray(edges, dtype=float)
    board = _Board(
        np.asarray(centres, dtype=float),
        np.asarray(radii, dtype=float),
        lines.reshape(-1, 2, 2),
        frame,
        blocked,
        px_per_pt,
    )
    placed: list[Placement] = []
    for rank, index in enumerate(order):
        size = np.asarray(sizes[index], dtype=float)
        spot = board.best(index, size, STRICT, free=True)
        if spot is None and rank < sure:
            spot = next(
                (
                    found
                    for rules in RELAXED
                    if (found := board.best(index, size, rules, free=True))
                ),
                None,
            ) or board.best(index, size, LAST_RESORT, free=False)
        if spot is not None:
            board.take(spot)
            placed.append(spot)
    return placed
