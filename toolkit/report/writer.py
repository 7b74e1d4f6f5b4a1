"""Writes what the steps return: tables and figures under ``out``, remembered by section.

The steps compute; this module draws the charts they describe, saves them with
their data, saves the tables as CSV and Parquet, and keeps what ``index.html``
shows of each (:class:`Page`), section by section.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from toolkit.ingest.formulas import csv_ready
from toolkit.report.results import (
    ArticlesFiles,
    Figure,
    GraphFiles,
    Item,
    Note,
    Section,
    StepResult,
    Table,
)
from toolkit.report.tables import html_table

logger = logging.getLogger(__name__)


@dataclass
class ShownFigure:
    title: str
    files: dict[str, str]
    caption: str


@dataclass
class ShownTable:
    title: str
    html: str
    files: dict[str, str]
    n_rows: int  # rows of the file
    n_view: int  # rows of what the page shows (a summary of the file, or the file)
    shown: int
    caption: str


@dataclass
class ShownNote:
    text: str
    kind: str = "note"
    files: dict[str, str] = field(default_factory=dict)


@dataclass
class PageSection:
    section: Section
    items: list[ShownFigure | ShownTable | ShownNote] = field(default_factory=list)


class ReportWriter:
    """Writes the items of step results under ``out`` and keeps what the page shows."""

    def __init__(self, out: Path, *, top_n: int, formats: tuple[str, ...]) -> None:
        self.out = out
        self.top_n = top_n
        self.formats = formats
        self.sections: list[PageSection] = []
        self.files: list[str] = []

    def open(self, section: Section) -> None:
        """Start a section of the page."""
        self.sections.append(PageSection(section))

    def write(self, result: StepResult, *, fallback: Section) -> None:
        """Write one step's items, in its own section or the current one.

        ``fallback`` is opened when the step opens no section and none is open yet.
        """
        if result.section is not None:
            self.open(result.section)
        elif not self.sections and result.items:
            self.open(fallback)
        for item in result.items:
            self._write_item(item)

    def note(self, text: str, *, kind: str = "note", section: Section | None = None) -> None:
        """Add a note to ``section`` (opened if it is not the current one) or the current one."""
        if section is not None and (not self.sections or self.sections[-1].section != section):
            self.open(section)
        self._write_item(Note(text, kind))

    def _write_item(self, item: Item) -> None:
        shown = self.sections[-1].items
        if isinstance(item, Note):
            logger.info("%s: %s", self.sections[-1].section.title, item.text)
            shown.append(ShownNote(item.text, item.kind))
        elif isinstance(item, Table):
            shown.append(self._table(item))
        elif isinstance(item, Figure):
            shown.append(self._figure(item))
        elif isinstance(item, ArticlesFiles):
            self._articles(item.frame)
        elif isinstance(item, GraphFiles):
            from toolkit.entities.graph import export_graph

            paths = export_graph(item.graph, self.out / item.name)
            files = {kind: self._relative(path) for kind, path in paths.items()}
            logger.info("%s: %s", self.sections[-1].section.title, item.text)
            shown.append(ShownNote(item.text, "note", files))
        else:  # pragma: no cover - a new item kind must be written here
            raise TypeError(f"cannot write {type(item).__name__}")

    def _relative(self, path: Path) -> str:
        rel = path.relative_to(self.out).as_posix()
        self.files.append(rel)
        return rel

    def _articles(self, frame: pd.DataFrame) -> None:
        from toolkit.ingest.store import save_articles

        for suffix in ("parquet", "csv"):
            self._relative(save_articles(frame, self.out / f"articles.{suffix}"))

    def _table(self, table: Table) -> ShownTable:
        base = self.out / "tables" / table.name
        base.parent.mkdir(parents=True, exist_ok=True)
        plain = table.frame.copy(deep=False)
        plain.attrs = {}  # run metadata, kept in report.json; Parquet would try to JSON it
        csv_ready(plain).to_csv(base.with_suffix(".csv"), index=False)
        plain.to_parquet(base.with_suffix(".parquet"), index=False)
        files = {s: self._relative(base.with_suffix(f".{s}")) for s in ("csv", "parquet")}
        view = table.frame if table.view is None else table.view
        shown = view.head(self.top_n if table.show is None else table.show)
        body = html_table(shown) if table.show != 0 else ""
        return ShownTable(table.title, body, files, len(table.frame), len(view), len(shown),
                          table.caption)

    def _figure(self, figure: Figure) -> ShownFigure:
        import matplotlib.pyplot as plt

        from toolkit.plots import save_figure

        ax = figure.plot(figure.source, **figure.options)
        try:
            paths = save_figure(ax.figure, figure.name, formats=self.formats, data=figure.data,
                                folder=self.out / "figures")
        finally:
            plt.close(ax.figure)
        files = {path.suffix.lstrip("."): self._relative(path) for path in paths}
        return ShownFigure(figure.title, files, figure.caption)
