"""The options of ``toolkit run`` and ``toolkit ingest``: one per ``RunConfig`` field.

Each field of :class:`~toolkit.report.config.RunConfig` has an option of the same name
(``top_n`` is ``--top-n``) and a key of the same name in a ``--config run.toml`` file
(:mod:`toolkit.report.config_file`). The fields of ``ExtractOptions`` and
``FetchOptions`` have shorthands here (``--favor``, ``--max-bytes``, ``--delay``,
``--ignore-robots``) and every key in the file's ``[extract]`` and ``[fetch]``
tables. An option given on the command line wins over the file; what neither sets
keeps its default.
"""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from toolkit.extract.page import ExtractOptions
from toolkit.report.config import BACKENDS, FIGURE_FORMATS, TOPIC_METHODS, TREND_FREQS, RunConfig
from toolkit.report.config_file import field_value, read_config_file
from toolkit.sources.fetch import FetchOptions
from toolkit.vocab import WINDOWS

DEFAULTS = RunConfig()


def _seconds(text: str) -> float | str:
    if text.lower() == "none":
        return "none"
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds or none, got {text!r}") from None


def _default(name: str) -> str:
    value = getattr(DEFAULTS, name)
    if value is None:
        return "none"
    if isinstance(value, tuple):
        return " ".join(map(str, value))
    return str(value)


#: The reading options (``toolkit ingest`` and ``toolkit run``): field -> argparse keywords.
INGEST_FIELDS: dict[str, dict[str, Any]] = {
    "workers": {"type": int, "metavar": "N", "help": "worker processes extracting pages"},
    "timeout": {
        "type": _seconds,
        "metavar": "SECONDS",
        "help": "seconds one page may take to load and extract (none: no limit)",
    },
    "cache": {
        "action": argparse.BooleanOptionalAction,
        "help": "reuse extractions (and entities) from the on-disk cache "
        "($TOOLKIT_CACHE_DIR; `toolkit cache clear`)",
    },
}

#: The analysis options (``toolkit run``): field -> argparse keywords.
ANALYSIS_FIELDS: dict[str, dict[str, Any]] = {
    "top_n": {"type": int, "metavar": "N", "help": "rows per table in index.html, bars per chart"},
    "terms": {
        "nargs": "+",
        "metavar": "TERM",
        "help": "terms to follow in the trends, dispersion and KWIC (the first); "
        "default the five most frequent",
    },
    "stopwords": {
        "nargs": "+",
        "metavar": "WORD",
        "help": "a language (english, german, ...), auto (each article's language) or none, "
        "then words to add to it: --stopwords auto said told (default: auto and "
        "said, says, say, told, also, would, could, one)",
    },
    "keyness_outlets": {
        "nargs": "+",
        "metavar": "OUTLET",
        "help": "keyness: one outlet against all the others, or the first of two against the "
        "second (default: the two largest outlets, else later vs earlier articles)",
    },
    "collocation_min_count": {
        "type": int,
        "metavar": "N",
        "help": "collocations: word pairs seen at least N times",
    },
    "trend_freq": {"choices": TREND_FREQS, "help": "period of the trends"},
    "window": {"choices": WINDOWS, "help": "co-occurrence window"},
    "pair_min_count": {
        "type": int,
        "metavar": "N",
        "help": "co-occurrence: entity pairs named together in at least N windows",
    },
    "network_top": {"type": int, "metavar": "N", "help": "edges drawn in the network chart"},
    "n_topics": {"type": int, "metavar": "K", "help": "topics of the topic model"},
    "topic_method": {"choices": TOPIC_METHODS, "help": "topic model: nmf or lda"},
    "backend": {"choices": BACKENDS, "help": "entity recognition backend"},
    "model": {"metavar": "NAME", "help": "spaCy pipeline, e.g. en_core_web_sm"},
    "labels": {
        "nargs": "+",
        "metavar": "LABEL",
        "help": "entity labels kept, e.g. PERSON ORG GPE (default every label)",
    },
    "ner_languages": {
        "nargs": "+",
        "metavar": "CODE",
        "help": "language codes of the articles given to entity recognition (all: every "
        "article)",
    },
    "formats": {
        "nargs": "+",
        "choices": FIGURE_FORMATS,
        "help": "chart formats besides PNG",
    },
}

#: Options that set a field of ``ExtractOptions`` or ``FetchOptions``: dest -> argparse keywords.
SHORTHANDS: dict[str, dict[str, Any]] = {
    "max_bytes": {"type": int, "metavar": "BYTES", "help": "page size cap (default 5000000)"},
    "favor": {
        "choices": ["balanced", "precision", "recall"],
        "help": "extraction trade-off (default balanced)",
    },
    "delay": {
        "type": float,
        "metavar": "SECONDS",
        "help": "seconds between requests to one host, per worker (default 0; a site's "
        "robots.txt Crawl-delay, up to 10 s, wins when longer)",
    },
    "ignore_robots": {
        "action": "store_true",
        "help": "fetch URLs that a site's robots.txt disallows (default: they get status "
        "blocked)",
    },
}


def _add(group: Any, name: str, keywords: dict[str, Any], *, default: str | None) -> None:
    keywords = dict(keywords)
    if default is not None and "default" not in keywords["help"]:
        keywords["help"] += f" (default {default})"
    group.add_argument(f"--{name.replace('_', '-')}", dest=name, default=argparse.SUPPRESS,
                       **keywords)


def add_ingest_options(parser: argparse.ArgumentParser) -> None:
    """The reading options, shared by ``toolkit ingest`` and ``toolkit run``."""
    group = parser.add_argument_group("reading the pages")
    for name, keywords in INGEST_FIELDS.items():
        _add(group, name, keywords, default=_default(name))
    for name, keywords in SHORTHANDS.items():
        _add(group, name, keywords, default=None)
    group.add_argument(
        "--no-progress", dest="progress", action="store_false", help="hide progress bars"
    )


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """The analysis options of ``toolkit run`` and its ``--config`` file."""
    group = parser.add_argument_group("the analysis")
    for name, keywords in ANALYSIS_FIELDS.items():
        default = None if name in ("stopwords", "keyness_outlets", "terms") else _default(name)
        _add(group, name, keywords, default=default)
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="a TOML file of these options (same names, e.g. top_n = 10; sources = [...]). "
        "Each report folder holds the run.toml of its run: --config reports/run.toml "
        "repeats it. Options given here win over the file.",
    )


def _cli_value(name: str, value: Any) -> Any:
    """A command-line value as a configuration file writes it."""
    if name == "stopwords":
        return value[0] if len(value) == 1 else [value[0], value[1:]]
    if name in ("ner_languages", "terms", "labels", "keyness_outlets") and value in (
        ["none"], ["all"]
    ):
        return value[0]
    return value


def run_config(args: argparse.Namespace) -> tuple[RunConfig, list[str] | None]:
    """The configuration the command line (and its ``--config`` file) asks for, and its sources.

    Built and checked once: a bad value is a ``ValueError`` naming what is valid.
    """
    config_file = getattr(args, "config", None)
    values, sources = read_config_file(config_file) if config_file else ({}, None)
    for name in [*INGEST_FIELDS, *ANALYSIS_FIELDS]:
        if hasattr(args, name):
            values[name] = field_value(name, _cli_value(name, getattr(args, name)))
    extract = values.pop("extract", None) or ExtractOptions()
    fetch = values.pop("fetch", None) or FetchOptions()
    if hasattr(args, "favor"):
        extract = dataclasses.replace(
            extract, favor_precision=args.favor == "precision", favor_recall=args.favor == "recall"
        )
    changes = {
        "max_bytes": ("max_bytes", getattr(args, "max_bytes", None)),
        "delay": ("min_delay", getattr(args, "delay", None)),
        "ignore_robots": ("respect_robots", not getattr(args, "ignore_robots", False)),
    }
    for dest, (field, value) in changes.items():
        if hasattr(args, dest):
            fetch = dataclasses.replace(fetch, **{field: value})
    return RunConfig.build(extract=extract, fetch=fetch, **values), sources
