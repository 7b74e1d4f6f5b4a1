"""Where the steps of a run put their work: tables and figures written under ``out`` and
remembered, section by section, for ``index.html``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)


@dataclass
class _Figure:
    title: str
    files: dict[str, str]
    caption: str


@dataclass
class _Table:
    title: str
    html: str
    files: dict[str, str]
    n_rows: int  # rows of the file
    n_view: int  # rows of what the page shows (a summary of the file, or the file)
    shown: int
    caption: str


@dataclass
class _Note:
    text: str
    kind: str = "note"
    files: dict[str, str] = field(default_factory=dict)


@dataclass
class _Section:
    key: str
    title: str
    intro: str
    items: list[_Figure | _Table | _Note] = field(default_factory=list)


class _Writer:
    """Writes tables and figures under ``out`` and remembers them for ``index.html``."""

    def __init__(self, out: Path, *, top_n: int, formats: tuple[str, ...]) -> None:
        self.out = out
        self.top_n = top_n
        self.formats = formats
        self.sections: list[_Section] = []
        self.files: list[str] = []

    @property
    def current(self) -> _Section:
        return self.sections[-1]

    def section(self, key: str, title: str, intro: str = "") -> None:
        """Start a section of the report."""
        self.sections.append(_Section(key, title, intro))

    def note(self, text: str, *, kind: str = "note", files: dict[str, str] | None = None) -> None:
        """Add a note (``kind`` "note", "missing" or "failed"), with links to ``files``."""
        logger.info("%s: %s", self.current.title, text)
        self.current.items.append(_Note(text, kind, files or {}))

    def _relative(self, path: Path) -> str:
        rel = path.relative_to(self.out).as_posix()
        self.files.append(rel)
        return rel

    def table(
        self,
        frame: pd.DataFrame,
        name: str,
        title: str,
        *,
        caption: str = "",
        view: pd.DataFrame | None = None,
        show: int | None = None,
    ) -> None:
        """Write ``frame`` as CSV and Parquet; show the first rows of ``view`` (default: frame).

        ``show`` rows are shown (default ``top_n``); 0 shows only the links to the files.
        """
        base = self.out / "tables" / name
        base.parent.mkdir(parents=True, exist_ok=True)
        plain = frame.copy(deep=False)
        plain.attrs = {}  # run metadata, kept in report.json; Parquet would try to JSON it
        plain.to_csv(base.with_suffix(".csv"), index=False)
        plain.to_parquet(base.with_suffix(".parquet"), index=False)
        files = {s: self._relative(base.with_suffix(f".{s}")) for s in ("csv", "parquet")}
        view = frame if view is None else view
        shown = view.head(self.top_n if show is None else show)
        body = html_table(shown) if show != 0 else ""
        self.current.items.append(
            _Table(title, body, files, len(frame), len(view), len(shown), caption)
        )

    def figure(self, ax: Any, name: str, title: str, *, data: pd.DataFrame, caption: str) -> None:
        """Save the chart of ``ax`` (and ``data``) under figures/ and close it."""
        import matplotlib.pyplot as plt

        from .plots import save_figure

        fig = ax.figure
        try:
            paths = save_figure(
                fig, name, formats=self.formats, data=data, folder=self.out / "figures"
            )
        finally:
            plt.close(fig)
        files = {path.suffix.lstrip("."): self._relative(path) for path in paths}
        self.current.items.append(_Figure(title, files, caption))

    def extra_file(self, path: Path) -> str:
        """Record a file written by someone else (the network exports)."""
        return self._relative(path)


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple | np.ndarray):
        return ", ".join(map(str, value))
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return value


def html_table(frame: pd.DataFrame) -> str:
    """Return ``frame`` as an escaped HTML table (lists joined, dates as days, floats short).

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows to show.

    Returns
    -------
    str
        A ``<table>`` element; every cell is HTML-escaped.
    """
    if frame.empty:
        return '<p class="empty">(no rows)</p>'
    shown = frame.copy()
    for column in shown.columns:
        if not pd.api.types.is_float_dtype(shown[column]):
            shown[column] = shown[column].astype(object).map(_cell)
    return shown.to_html(
        index=False,
        escape=True,
        na_rep="",
        border=0,
        classes="data",
        float_format=lambda x: f"{x:.3g}",
    )
