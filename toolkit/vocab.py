"""The small vocabularies every stage shares, and the checks of arguments drawn from them.

In: an argument a user passed. Out: nothing, or a ``ValueError`` that names the
valid values. Also the word lists two stages read alike (:data:`NAME_PARTICLES`).
Period codes (:data:`Freq`) are used by term tables, trends,
co-occurrence by period, the plots and the report; window kinds
(:data:`WindowKind`) by co-occurrence, evidence and the report. Defining them
once keeps the messages and the accepted values the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, get_args

import numpy as np

#: Lower-case words that may stand inside a person's name ("Ludwig van Beethoven",
#: "Ahmed bin Ali"): bylines keep them, the alias rules do not take them for names.
NAME_PARTICLES = frozenset(
    """
    de da di do del della der den des du la le van von bin ibn bint al el y dos das ter ten af zu
    """.split()
)
#: Period codes: day, week (starting Monday), calendar month, quarter and year.
Freq = Literal["D", "W", "M", "Q", "Y"]
FREQS: tuple[str, ...] = get_args(Freq)

#: Association measures of entity pairs (the pairs frame's columns after the counts).
PairMeasure = Literal["count", "n_articles", "pmi", "npmi", "g2", "jaccard", "dice"]
PAIR_MEASURES: tuple[str, ...] = get_args(PairMeasure)

#: Windows two mentions must share to co-occur (or a positive number of tokens).
WindowKind = Literal["sentence", "paragraph", "article"]
WINDOWS: tuple[str, ...] = get_args(WindowKind)


def check_choice(name: str, value: Any, valid: Sequence) -> None:
    """Raise ``ValueError`` naming the valid values when ``value`` is not one of them.

    Parameters
    ----------
    name : str
        The argument's name, for the message.
    value : object
        What was passed.
    valid : sequence
        The accepted values (``True``/``False`` never match, though ``True == 1``).
    """
    if isinstance(value, bool) or value not in valid:
        raise ValueError(f"{name}={value!r} is not valid; choose one of {tuple(valid)}")


def check_positive_int(name: str, value: Any) -> int:
    """Return ``value`` as an int, or raise ``ValueError`` unless it is an integer >= 1.

    Parameters
    ----------
    name : str
        The argument's name, for the message.
    value : object
        What was passed (a bool is not an integer here).

    Returns
    -------
    int
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def check_freq(freq: Any) -> None:
    """Raise ``ValueError`` unless ``freq`` is one of :data:`FREQS`."""
    check_choice("freq", freq, FREQS)


def check_window(window: Any) -> WindowKind | int:
    """Return ``window`` if it is a window kind or a positive number of tokens, else raise.

    Parameters
    ----------
    window : {"sentence", "paragraph", "article"} or int
        The co-occurrence window.

    Returns
    -------
    str or int
    """
    if isinstance(window, (int, np.integer)) and not isinstance(window, bool):
        if window < 1:
            raise ValueError(f"a token window must be a positive int, got {window}")
        return int(window)
    if window not in WINDOWS:
        raise ValueError(f"window={window!r} is not one of {list(WINDOWS)} or a positive int")
    return window
