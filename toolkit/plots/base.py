"""What every chart shares: the style, new axes, input checks and the empty message."""

from __future__ import annotations

import contextlib
import difflib
import functools
import logging
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib import resources
from typing import Any, TypeVar

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.font_manager import fontManager
from matplotlib.ticker import MaxNLocator

from toolkit.resources import warn_once

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

#: Families tried, in order, for glyphs DejaVu Sans lacks (Chinese, Japanese, Korean).
#: Only the installed ones are used, so a missing font never logs "font not found".
FALLBACK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Arial Unicode MS",
)

#: Entity label -> colour, shared by every entity chart so a label keeps its colour.
LABEL_COLORS: dict[str, str] = {
    "PERSON": "#0072B2",
    "ORG": "#E69F00",
    "GPE": "#009E73",
    "LOC": "#56B4E9",
    "PLACE": "#009E73",
    "NORP": "#CC79A7",
    "FAC": "#D55E00",
    "EVENT": "#F0E442",
}
OTHER_LABEL_COLORS: tuple[str, ...] = ("#999999", "#6A3D9A", "#B15928", "#1B9E77", "#666666")

MUTED = "#777777"


def style_path() -> str:
    """Return the path of the package style sheet ``toolkit.mplstyle``."""
    return str(resources.files("toolkit").joinpath("toolkit.mplstyle"))


@functools.lru_cache(maxsize=1)
def font_families() -> tuple[str, ...]:
    """Return DejaVu Sans followed by the installed fallback fonts for other scripts.

    Matplotlib (>= 3.6) falls back glyph by glyph along ``font.family``; listing only
    installed families keeps it from logging a warning per text for the others. Without
    any, Chinese text still draws (as boxes) and matplotlib warns about missing glyphs.
    """
    installed = {font.name for font in fontManager.ttflist}
    fallbacks = tuple(name for name in FALLBACK_FONTS if name in installed)
    if not fallbacks:
        logger.debug("no CJK font installed; Chinese/Japanese/Korean text draws as boxes")
    return ("DejaVu Sans", *fallbacks)


@contextlib.contextmanager
def plot_style() -> Iterator[None]:
    """Apply the toolkit style inside a ``with`` block; rcParams are restored after it.

    All but one: the interactive flag keeps the value it has at the end of the block.
    In a Jupyter kernel without ``%matplotlib inline``, pyplot turns interactive mode
    on when it creates the first figure (inside the first chart); restoring the old
    ``False`` would stop every later figure from being shown.

    Examples
    --------
    >>> with plot_style():  # doctest: +SKIP
    ...     fig, ax = plt.subplots()
    """
    interactive = mpl.is_interactive()
    try:
        with mpl.style.context([style_path(), {"font.family": list(font_families())}]):
            try:
                yield
            finally:
                interactive = mpl.is_interactive()
    finally:
        mpl.interactive(interactive)


_MISSING_GLYPH = re.compile(r"Glyph (\d+) .*missing from font")


@contextlib.contextmanager
def glyphs_reported() -> Iterator[None]:
    """Turn matplotlib's warning per missing glyph into one log warning per process.

    Without a CJK font, each Chinese character in a label makes matplotlib warn once
    (hundreds for a Chinese corpus) and draws a box. Inside this block those warnings
    are collected and reported once, with the fix; other warnings pass through.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    missing = []
    for warning in caught:
        match = _MISSING_GLYPH.search(str(warning.message))
        if match:
            missing.append(chr(int(match.group(1))))
            continue
        warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    if missing:
        sample = "".join(dict.fromkeys(missing))[:10]
        warn_once(
            "plots:glyphs",
            f"characters such as {sample!r} have no glyph in the installed fonts "
            f"({', '.join(font_families())}) and are drawn as boxes; install a font for "
            "them (e.g. fonts-noto-cjk, then remove matplotlib's fontlist cache) and "
            "toolkit.plots will use it",
        )


def styled(function: F) -> F:
    """Decorate a ``plot_*`` function so it draws inside :func:`plot_style`."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with plot_style():
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def new_axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """Return ``ax`` in the package style, or the Axes of a new ``figsize`` figure if None."""
    if ax is not None:
        return adopt_style(ax)
    _, created = plt.subplots(figsize=figsize)
    return created


def adopt_style(ax: Axes) -> Axes:
    """Give an Axes made outside :func:`plot_style` the style's colours, spines and grid.

    Matplotlib reads these when an Axes (or its ticks) is created, so an Axes from the
    caller's own ``plt.subplots()`` would otherwise keep the default look.
    """
    rc = mpl.rcParams
    ax.set_prop_cycle(rc["axes.prop_cycle"])
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(rc[f"axes.spines.{side}"])
        ax.spines[side].set_edgecolor(rc["axes.edgecolor"])
    ax.set_axisbelow(rc["axes.axisbelow"])
    ax.grid(rc["axes.grid"], color=rc["grid.color"], linewidth=rc["grid.linewidth"])
    ax.tick_params(axis="x", labelsize=rc["xtick.labelsize"], colors=rc["xtick.color"])
    ax.tick_params(axis="y", labelsize=rc["ytick.labelsize"], colors=rc["ytick.color"])
    return ax


def require_columns(frame: pd.DataFrame, needed: Sequence[str], *, what: str) -> None:
    """Raise ValueError naming every column of ``needed`` that ``frame`` lacks.

    A frame with no columns and no rows (``pd.DataFrame()``) passes: it is empty
    input, which the charts draw as a message.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame, not {type(frame).__name__}")
    if frame.columns.empty and frame.empty:
        return
    missing = [column for column in needed if column not in frame.columns]
    if missing:
        raise ValueError(
            f"{what} needs the columns {list(needed)}; missing {missing} "
            f"(it has {list(frame.columns)})"
        )


def draw_empty(ax: Axes, message: str, *, title: str, xlabel: str, ylabel: str = "") -> Axes:
    """Write ``message`` in the middle of ``ax`` (keeping its title and labels) and return it."""
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    ax.text(
        0.5,
        0.5,
        message,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize="large",
        color=MUTED,
        wrap=True,
    )
    logger.info("%s: %s", title, message)
    return ax


def largest_first(values: pd.Series) -> list[Any]:
    """Return the index of ``values``, the largest value first and ties by name.

    The one ranking every chart uses (groups, terms, entities, labels), so a chart
    does not depend on the order of its input.
    """
    return sorted(values.index, key=lambda key: (-float(values[key]), str(key)))


def count_locator(nbins: int | str = "auto") -> MaxNLocator:
    """Return a tick locator for counts: whole numbers in steps of 1, 2 or 5 (times 10ⁿ).

    Matplotlib's default integer ticks may step by 8 or 15 (0, 8, 16, 24...), which
    is hard to read off.
    """
    return MaxNLocator(nbins=nbins, integer=True, steps=[1, 2, 5, 10])


def shorten(text: Any, width: int = 32) -> str:
    """Return ``text`` as a one-line label of at most ``width`` characters, drawn as written.

    Labels come from the data (terms, outlet and entity names), so their ``$``
    are escaped (:func:`plain_text`): matplotlib never reads them as math.
    """
    flat = " ".join(str(text).split())
    return plain_text(flat if len(flat) <= width else flat[: width - 1].rstrip() + "…")


def plain_text(text: Any) -> str:
    """Return ``text`` with its ``$`` escaped, so matplotlib draws it as written.

    Matplotlib reads a string with two ``$`` as mathtext: a site named
    ``Dollar $\\undefinedcmd{$ Times`` would raise when drawn (and an outlet
    named ``$5 and $10`` would lose its dollars). Every label from the data
    goes through this (``shorten`` does it); titles written in code do not,
    so they may still use math on purpose.
    """
    return str(text).replace("$", r"\$")


def label_colors(labels: Iterable[Any]) -> dict[str, str]:
    """Map each distinct label to its colour: known NER labels keep theirs, others cycle."""
    mapping: dict[str, str] = {}
    spare = iter(OTHER_LABEL_COLORS * 10)
    for label in sorted({str(label) for label in labels}):
        mapping[label] = LABEL_COLORS.get(label.upper()) or next(spare, MUTED)
    return mapping


def _shown_value(value: Any) -> str:
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return repr(str(value.date()))
    return repr(value.item() if isinstance(value, np.generic) else value)


def valid_values(values: Sequence[Any], most: int = 8) -> str:
    """Return a few of ``values`` for an error message, with their number when there are more.

    ``"'a', 'b', 'c'"`` or ``"'a', 'b', ... (12 in all)"``.
    """
    shown = ", ".join(_shown_value(value) for value in values[:most])
    return f"{shown}, ... ({len(values)} in all)" if len(values) > most else shown


def unknown_value(name: str, value: Any, valid: Sequence[Any], *, where: str) -> ValueError:
    """Return the ValueError for a ``name=value`` that is not one of ``valid``.

    It names a few valid values and, for a near miss in a name (``"China daily"``),
    the closest.
    """
    names = [str(v) for v in valid]
    close = (
        difflib.get_close_matches(str(value), names, n=1, cutoff=0.6)
        if isinstance(value, (str, tuple))
        else []
    )
    guess = f"did you mean {_shown_value(valid[names.index(close[0])])}? " if close else ""
    return ValueError(f"{name}={value!r} is not {where}; {guess}valid: {valid_values(valid)}")


def period_slice(pairs: pd.DataFrame, period: Any, *, what: str) -> pd.DataFrame:
    """Return the rows of one time slice of a pairs frame that has a ``period`` column.

    Without a ``period`` column the frame is returned unchanged (and ``period`` must be
    None); with one, ``period`` picks the slice, and may be None only when there is one.
    A ``period`` that is not in the frame raises ValueError naming the valid ones.
    """
    if "period" not in pairs.columns:
        if period is not None:
            raise ValueError(f"period={period!r} given but {what} has no 'period' column")
        return pairs
    periods = pairs["period"].drop_duplicates().sort_values().tolist()
    if period is None:
        if len(periods) > 1:
            raise ValueError(
                f"{what} holds {len(periods)} periods; pass period=... "
                f"(one of {valid_values(periods, 5)})"
            )
        return pairs
    wanted = pd.Timestamp(period) if isinstance(periods[0], pd.Timestamp) else period
    rows = pairs.loc[pairs["period"] == wanted]
    if rows.empty:
        raise unknown_value("period", period, periods, where=f"a period of {what}")
    return rows


def scale(values: pd.Series | np.ndarray, low: float, high: float) -> np.ndarray:
    """Map ``values`` linearly onto ``[low, high]`` (all ``high`` when they are all equal)."""
    array = np.asarray(values, dtype=float)
    if array.size == 0:
        return array
    span = np.nanmax(array) - np.nanmin(array)
    if not np.isfinite(span) or span == 0:
        return np.full(array.shape, high)
    return low + (array - np.nanmin(array)) / span * (high - low)
