"""The state of one ``toolkit run``: its parameters, checked once and recorded, and the frames
its steps build from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from .fetch import FetchOptions

TrendFreq = Literal["auto", "D", "W", "M", "Q", "Y"]
TREND_FREQS: tuple[str, ...] = ("auto", "D", "W", "M", "Q", "Y")
WINDOWS: tuple[str, ...] = ("sentence", "paragraph", "article")
FIGURE_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")

#: Token options of the report's term tables: numbers and one-letter words are noise
#: in a first look at a corpus (page numbers, phone numbers, initials).
REPORT_TOKEN_OPTIONS: dict[str, Any] = {"numbers": "drop", "min_length": 2}
#: Words added to each language's stopword list by default: the reporting verbs and
#: fillers that top every English news corpus and say nothing about its subject.
NEWS_STOPWORDS: frozenset[str] = frozenset(
    {"said", "says", "say", "told", "also", "would", "could", "one"}
)
UNKNOWN_OUTLET = "(unknown outlet)"


# --------------------------------------------------------------------------- options


@dataclass(frozen=True)
class ReportOptions:
    """The parameters of one run (checked once, recorded in the report)."""

    sources: tuple[str, ...]
    out: Path
    workers: int
    timeout: float | None
    max_bytes: int
    favor: str
    cache: bool
    progress: bool
    fetch_options: FetchOptions | None
    top_n: int
    terms: tuple[str, ...] | None
    stopwords: Any
    window: str
    trend_freq: str
    network_top: int
    backend: str
    ner_languages: tuple[str, ...] | None
    formats: tuple[str, ...]

    def as_record(self) -> dict[str, Any]:
        """The options as JSON-ready values."""
        record = {f.name: _jsonable(getattr(self, f.name)) for f in fields(self)}
        del record["progress"]
        return {
            **record,
            "stopwords": _stopwords_record(self.stopwords),
            "token_options": REPORT_TOKEN_OPTIONS,
        }


def _stopwords_record(spec: Any) -> Any:
    """A stopwords argument as JSON (sets sorted, so the record is stable)."""
    if spec is None or isinstance(spec, str):
        return spec
    if isinstance(spec, tuple):
        return [_stopwords_record(part) for part in spec]
    if isinstance(spec, set | frozenset | list):
        return sorted(map(str, spec))
    return repr(spec)


def _check_positive_int(name: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def _source_names(sources: Any) -> tuple[str, ...]:
    items = sources if isinstance(sources, list | tuple) else [sources]
    if not items:
        raise ValueError("sources is empty: give at least one file, folder, glob or URL")
    return tuple(
        f"<DataFrame of {len(s)} rows>" if isinstance(s, pd.DataFrame) else str(s) for s in items
    )


#: The options of a run that :func:`toolkit.ingest.read_articles` takes, by name.
INGEST_OPTIONS: tuple[str, ...] = (
    "workers", "timeout", "max_bytes", "favor", "cache", "progress", "fetch_options"
)


def ingest_kwargs(options: Any) -> dict[str, Any]:
    """Return the ingestion keywords held by ``options``, for ``read_articles`` or ``run_report``.

    Parameters
    ----------
    options : ReportOptions or argparse.Namespace
        A run's options, or the ``toolkit`` command's arguments (same names).

    Returns
    -------
    dict
        ``workers``, ``timeout``, ``max_bytes``, ``favor``, ``cache``, ``progress``
        and ``fetch_options``.
    """
    return {name: getattr(options, name) for name in INGEST_OPTIONS}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


# --------------------------------------------------------------------------- the run state


@dataclass
class _Run:
    """The options and the frames one run builds, step by step."""

    options: ReportOptions
    sources: Any = None
    articles: pd.DataFrame | None = None
    usable: pd.DataFrame | None = None
    counts: pd.DataFrame | None = None
    terms: list[str] = field(default_factory=list)
    mentions: pd.DataFrame | None = None
    pairs: pd.DataFrame | None = None
    nlp: dict[str, Any] = field(default_factory=dict)
    keyness_groups: tuple[str, str] | None = None
    trend_period: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    failures: list[dict[str, str]] = field(default_factory=list)

    @property
    def progress(self) -> bool:
        return self.options.progress

    @property
    def term_kwargs(self) -> dict[str, Any]:
        return {"stopwords": self.options.stopwords, "progress": False, **REPORT_TOKEN_OPTIONS}


def _readable(run: _Run) -> bool:
    """Whether ingestion left any article to analyse (the Articles section says when not)."""
    return run.usable is not None and not run.usable.empty
