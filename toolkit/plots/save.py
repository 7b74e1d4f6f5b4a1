"""Write a chart to disk: the figure in several formats and the table that drew it."""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from toolkit.ingest.formulas import csv_ready
from toolkit.plots.base import glyphs_reported, plot_style

logger = logging.getLogger(__name__)

Format = Literal["png", "svg", "pdf"]
FORMATS: tuple[str, ...] = ("png", "svg", "pdf")

_UNSAFE = re.compile(r"[^\w.-]+")
_WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}
#: No timestamps in SVG/PDF, so saving the same chart twice gives the same bytes.
_METADATA: dict[str, dict[str, None]] = {
    "png": {},
    "svg": {"Date": None},
    "pdf": {"CreationDate": None},
}


def safe_name(name: str, *, max_length: int = 100) -> str:
    """Return ``name`` as a file stem that cannot leave its folder.

    Letters (any script), digits, ``_``, ``.`` and ``-`` are kept, every other run of
    characters (slashes, spaces, ``..``) becomes one ``-``, the result is lower-cased and
    stripped of leading/trailing dots and dashes, and a known figure or CSV suffix is
    dropped. An empty result becomes ``figure``.

    Examples
    --------
    >>> safe_name("../../etc/passwd")
    'etc-passwd'
    >>> safe_name("Top terms: China Daily.png")
    'top-terms-china-daily'
    """
    text = unicodedata.normalize("NFKC", str(name)).lower()
    text = re.sub(r"\.{2,}", "-", _UNSAFE.sub("-", text))
    stem, dot, suffix = text.rpartition(".")
    if dot and suffix in (*FORMATS, "csv"):
        text = stem
    text = re.sub(r"-{2,}", "-", text).strip(".-_ ")[:max_length].strip(".-_ ")
    if not text:
        return "figure"
    return f"figure-{text}" if text.split(".")[0] in _WINDOWS_RESERVED else text


def _formats(formats: str | Iterable[str]) -> list[str]:
    """Return the formats as lower-case names without dots, checked and de-duplicated."""
    chosen = [formats] if isinstance(formats, str) else list(formats)
    cleaned = list(dict.fromkeys(str(f).lower().lstrip(".") for f in chosen))
    bad = [f for f in cleaned if f not in FORMATS]
    if bad or not cleaned:
        raise ValueError(f"formats must be some of {list(FORMATS)}, not {bad or formats!r}")
    return cleaned


#: Where a bare name (no folder in it) is written.
DEFAULT_FOLDER = Path("reports/figures")
_SEPARATORS = tuple(sep for sep in (os.sep, os.altsep) if sep)


def figure_target(
    name: str | os.PathLike[str], folder: str | Path | None = None
) -> tuple[Path, str]:
    """Return the folder a figure called ``name`` goes to and its safe file stem.

    A bare name (``"top terms"``) goes into ``folder`` (default ``reports/figures``); a
    name with folders in it (``"out/top_terms"``, ``"/tmp/x"``, ``"~/charts/x"``) is a
    path, relative to ``folder`` when one is given, else to the working directory. Only
    the last part is made safe by :func:`safe_name`.

    Raises
    ------
    ValueError
        When ``name`` ends in a folder (``"out/"``, ``"out/.."``), or is an absolute path
        and ``folder`` is given too.
    """
    text = os.fspath(name)
    if not any(sep in text for sep in _SEPARATORS):
        return (DEFAULT_FOLDER if folder is None else Path(folder)), safe_name(text)
    path = Path(text).expanduser()
    if text.endswith(_SEPARATORS) or path.name in ("", ".", ".."):
        raise ValueError(
            f"name={text!r} names a folder, not a file: put the file's name after it "
            f"(e.g. {str(Path(text) / 'top_terms')!r})"
        )
    if folder is None:
        return path.parent, safe_name(path.name)
    if path.is_absolute():
        raise ValueError(
            f"name={text!r} is an absolute path and folder={str(folder)!r} is given too: "
            "pass the whole path as name, or a bare name with folder"
        )
    return Path(folder) / path.parent, safe_name(path.name)


def _inside(folder: Path, file_name: str) -> Path:
    path = folder / file_name
    if path.resolve().parent != folder.resolve():
        raise ValueError(f"refusing to write {path}: it is outside {folder}")
    return path


def _write_csv(data: pd.DataFrame | pd.Series, path: Path) -> None:
    frame = data.to_frame() if isinstance(data, pd.Series) else data
    # A default 0..n-1 index carries nothing; any other index (a pivot's) is data.
    keep_index = not isinstance(frame.index, pd.RangeIndex)
    csv_ready(frame).to_csv(path, index=keep_index)


def save_figure(
    fig: Figure | Axes,
    name: str | os.PathLike[str],
    *,
    formats: str | Iterable[Format] = FORMATS,
    data: pd.DataFrame | pd.Series | None = None,
    folder: str | Path | None = None,
    dpi: int = 200,
) -> list[Path]:
    """Write ``fig`` as ``<folder>/<name>.<format>`` for each format, and its data.

    A bare name (``"top terms"``) is written into ``folder``, by default
    ``reports/figures`` under the working directory. A name with folders in it is a
    path and goes where it says: ``"/tmp/charts/top"`` writes ``/tmp/charts/top.png``,
    ``"tour/top_terms"`` writes ``tour/top_terms.png`` (under ``folder`` when one is
    given). The file name itself is made safe by :func:`safe_name` (``"Top terms:
    China Daily"`` becomes ``top-terms-china-daily``; a known suffix such as ``.png`` is
    dropped). With ``data``, the table that drew the chart is written beside it as
    ``<name>.csv`` (its index too unless it is the default range). Missing folders are
    created. The figure is not closed (call ``plt.close(fig)`` when making many).

    Parameters
    ----------
    fig : matplotlib.figure.Figure or matplotlib.axes.Axes
        The figure, or an Axes of it (as returned by the ``plot_*`` functions).
    name : str or path-like
        Name of the files (any text; the part after the last folder is slugified), or
        a path ending in it.
    formats : str or iterable of {"png", "svg", "pdf"}
        Formats to write.
    data : pandas.DataFrame or pandas.Series, optional
        The table behind the chart, written as CSV.
    folder : str or pathlib.Path, optional
        Where to write a bare name (default ``reports/figures``); a relative path in
        ``name`` is taken from here.
    dpi : int
        Resolution of the PNG.

    Returns
    -------
    list of pathlib.Path
        The files written: one per format, in order, then the CSV.

    Raises
    ------
    ValueError
        When a format is not one of png, svg, pdf, ``dpi`` is not positive, ``name``
        ends in a folder, or ``name`` is an absolute path and ``folder`` is given.
    TypeError
        When ``fig`` is neither a Figure nor an Axes, or ``data`` is not a frame.

    Examples
    --------
    >>> save_figure(ax, "top terms")              # doctest: +SKIP
    [PosixPath('reports/figures/top-terms.png'), ...]
    >>> save_figure(ax, "/tmp/charts/top_terms")  # doctest: +SKIP
    [PosixPath('/tmp/charts/top_terms.png'), ...]
    """
    chosen = _formats(formats)
    if isinstance(fig, Axes):
        fig = fig.figure
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure or Axes, not {type(fig).__name__}")
    if data is not None and not isinstance(data, (pd.DataFrame, pd.Series)):
        raise TypeError(f"data must be a pandas DataFrame or Series, not {type(data).__name__}")
    if isinstance(dpi, bool) or not isinstance(dpi, (int, float)) or dpi <= 0:
        raise ValueError(f"dpi must be a positive number, not {dpi!r}")
    folder, stem = figure_target(name, folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with plot_style(), glyphs_reported():
        for fmt in chosen:
            path = _inside(folder, f"{stem}.{fmt}")
            fig.savefig(path, format=fmt, dpi=dpi, bbox_inches="tight", metadata=_METADATA[fmt])
            written.append(path)
    if data is not None:
        path = _inside(folder, f"{stem}.csv")
        _write_csv(data, path)
        written.append(path)
    logger.info("wrote %s", ", ".join(str(path) for path in written))
    return written
