"""Write a chart to disk: the figure in several formats and the table that drew it."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

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


def _inside(folder: Path, file_name: str) -> Path:
    path = folder / file_name
    if path.resolve().parent != folder.resolve():
        raise ValueError(f"refusing to write {path}: it is outside {folder}")
    return path


def _write_csv(data: pd.DataFrame | pd.Series, path: Path) -> None:
    frame = data.to_frame() if isinstance(data, pd.Series) else data
    # A default 0..n-1 index carries nothing; any other index (a pivot's) is data.
    keep_index = not isinstance(frame.index, pd.RangeIndex)
    frame.to_csv(path, index=keep_index)


def save_figure(
    fig: Figure | Axes,
    name: str,
    *,
    formats: str | Iterable[Format] = FORMATS,
    data: pd.DataFrame | pd.Series | None = None,
    folder: str | Path = "reports/figures",
    dpi: int = 200,
) -> list[Path]:
    """Write ``fig`` as ``<folder>/<safe name>.<format>`` for each format, and its data.

    The name is made safe by :func:`safe_name`, so a title such as
    ``"../../etc/x"`` or ``"/abs/path"`` is written inside ``folder``. With ``data``,
    the table that drew the chart is written beside it as ``<safe name>.csv`` (its index
    too unless it is the default range). The folder is created when missing. The
    figure is not closed (call ``plt.close(fig)`` when making many).

    Parameters
    ----------
    fig : matplotlib.figure.Figure or matplotlib.axes.Axes
        The figure, or an Axes of it (as returned by the ``plot_*`` functions).
    name : str
        Name of the files (any text; it is slugified).
    formats : str or iterable of {"png", "svg", "pdf"}
        Formats to write.
    data : pandas.DataFrame or pandas.Series, optional
        The table behind the chart, written as CSV.
    folder : str or pathlib.Path
        Where to write.
    dpi : int
        Resolution of the PNG.

    Returns
    -------
    list of pathlib.Path
        The files written: one per format, in order, then the CSV.

    Raises
    ------
    ValueError
        When a format is not one of png, svg, pdf, or ``dpi`` is not positive.
    TypeError
        When ``fig`` is neither a Figure nor an Axes, or ``data`` is not a frame.
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
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = safe_name(name)
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
