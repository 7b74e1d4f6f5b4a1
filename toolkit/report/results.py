"""What a report step returns: named frames for the steps after it, and what to show.

A step computes; it never writes a file or draws a chart. It returns a
:class:`StepResult` holding its outputs (frames and values later steps need) and
the items of the page in order: :class:`Table`, :class:`Figure` (the plot
function and its data, drawn when the writer saves it), :class:`Note`, and the
files beside them (:class:`ArticlesFiles`, :class:`GraphFiles`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Section:
    """A section of index.html: its anchor, heading and introduction."""

    key: str
    title: str
    intro: str = ""


@dataclass(frozen=True)
class Table:
    """A table written as CSV and Parquet under tables/, its first rows (of ``view``) shown."""

    frame: pd.DataFrame
    name: str
    title: str
    caption: str = ""
    view: pd.DataFrame | None = None
    show: int | None = None  # rows shown (default the run's top_n); 0 shows only the links


@dataclass(frozen=True)
class Figure:
    """A chart: ``plot(source, **options)`` draws it; ``data`` is the CSV saved beside it."""

    plot: Callable[..., Any]
    source: Any
    options: dict[str, Any]
    name: str
    title: str
    data: pd.DataFrame
    caption: str = ""


@dataclass(frozen=True)
class Note:
    """A sentence for the reader: ``kind`` "note", "missing" (thin data) or "failed"."""

    text: str
    kind: str = "note"


@dataclass(frozen=True)
class ArticlesFiles:
    """The articles frame, saved as articles.parquet and articles.csv at the top of the folder."""

    frame: pd.DataFrame


@dataclass(frozen=True)
class GraphFiles:
    """A graph exported under ``name``/ (GEXF, GraphML, node and edge CSVs), with a note."""

    graph: Any
    name: str
    text: str


Item = Table | Figure | Note | ArticlesFiles | GraphFiles


@dataclass
class StepResult:
    """What one step gives: its section (if it opens one), items, outputs and record values."""

    section: Section | None = None
    items: list[Item] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)
    record: dict[str, Any] = field(default_factory=dict)

    def add(self, *items: Item) -> None:
        self.items.extend(items)
