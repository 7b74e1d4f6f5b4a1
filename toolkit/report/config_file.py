"""A run's configuration as a TOML file: ``toolkit run --config run.toml``.

The keys are the fields of :class:`~toolkit.report.config.RunConfig` (the options of
``toolkit run``, with ``_`` for ``-``), plus ``sources``; ``[extract]`` and ``[fetch]``
hold the fields of ``ExtractOptions`` and ``FetchOptions``. TOML has no null: the
string ``"none"`` stands for None (``timeout = "none"``: no time limit;
``ner_languages = "none"`` or ``"all"``: every article). ``stopwords`` is a language
name, ``"auto"`` or ``"none"``; a list of words; or ``[base, [added words], [removed
words]]``. Every run writes its own ``run.toml`` into the report folder, so that
``toolkit run --config reports/run.toml`` repeats it.
"""

from __future__ import annotations

import dataclasses
import json
import math
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from toolkit.extract.page import ExtractOptions
from toolkit.report.config import RunConfig
from toolkit.sources.fetch import FetchOptions

NONE = "none"
#: The fields None is a value of (besides its default meaning).
OPTIONAL = ("timeout", "terms", "stopwords", "keyness_outlets", "model", "labels", "ner_languages")
NESTED = {"extract": ExtractOptions, "fetch": FetchOptions}
HEADER = """\
# toolkit run: the options of one run. `toolkit run --config run.toml` repeats it; options
# given on the command line win over this file. "none" stands for no value.
"""


def field_names() -> list[str]:
    """The keys a configuration file takes (``sources`` and the ``RunConfig`` fields)."""
    return ["sources", *(f.name for f in dataclasses.fields(RunConfig))]


def stopwords_value(value: Any) -> Any:
    """A ``stopwords`` value of a file (or the command line) as ``term_counts`` takes it."""
    if isinstance(value, str):
        return None if value.lower() == NONE else value
    if isinstance(value, list) and value and isinstance(value[0], str) and len(value) in (2, 3) \
            and all(isinstance(part, list) for part in value[1:]):
        base = stopwords_value(value[0])
        return (base, *(frozenset(part) for part in value[1:]))
    if isinstance(value, list) and all(isinstance(word, str) for word in value):
        return frozenset(value)
    raise ValueError(
        "stopwords must be a language name, 'auto' or 'none', a list of words, or "
        f"[base, [added words], [removed words]], got {value!r}"
    )


def field_value(name: str, value: Any) -> Any:
    """The ``RunConfig`` value of a configuration-file (or command-line) value of ``name``."""
    if name == "stopwords":
        return stopwords_value(value)
    if name in NESTED:
        return nested_options(name, value)
    text = value.lower() if isinstance(value, str) else None
    if name in OPTIONAL and text == NONE:
        return None
    if name == "ner_languages" and (text == "all" or value == ["all"]):
        return None
    return tuple(value) if isinstance(value, list) else value


def nested_options(name: str, table: Any) -> ExtractOptions | FetchOptions:
    """The ``[extract]`` or ``[fetch]`` table as its options object."""
    kind = NESTED[name]
    valid = [f.name for f in dataclasses.fields(kind)]
    if not isinstance(table, dict):
        raise ValueError(f"{name} must be a table ([{name}]) of {valid}, got {table!r}")
    unknown = sorted(set(table) - set(valid))
    if unknown:
        raise ValueError(f"unknown key(s) {unknown} in [{name}]; valid: {valid}")
    return kind(**table)


def read_config_file(path: str | Path) -> tuple[dict[str, Any], list[str] | None]:
    """Read a run configuration file.

    Parameters
    ----------
    path : str or Path
        A TOML file (see the module docstring).

    Returns
    -------
    tuple
        The ``RunConfig`` field values it sets (for ``RunConfig.build``), and its
        ``sources`` (None when it has none).

    Raises
    ------
    ValueError
        For a missing or malformed file, an unknown key or a bad value.
    """
    try:
        data = tomllib.loads(Path(path).read_text("utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot read the configuration file {str(path)!r}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path} is not valid TOML: {exc}") from exc
    unknown = sorted(set(data) - set(field_names()))
    if unknown:
        raise ValueError(f"unknown key(s) {unknown} in {path}; valid: {field_names()}")
    sources = data.pop("sources", None)
    if isinstance(sources, str):
        sources = [sources]
    if sources is not None and not all(isinstance(s, str) for s in sources):
        raise ValueError(f"sources in {path} must be a list of paths or URLs, got {sources!r}")
    return {name: field_value(name, value) for name, value in data.items()}, sources


def toml_value(value: Any) -> str:
    """``value`` written in TOML (None as ``"none"``, sets sorted)."""
    if value is None:
        return json.dumps(NONE)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, set | frozenset):
        value = sorted(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise ValueError(f"cannot write {value!r} in TOML")


def _stopwords_toml(spec: Any) -> Any:
    if isinstance(spec, tuple):
        return [NONE if spec[0] is None else _stopwords_toml(spec[0]), *map(sorted, spec[1:])]
    return spec


def config_to_toml(config: RunConfig, sources: Sequence[Any] | None = None) -> str:
    """The configuration file of ``config`` (and ``sources``): what :func:`read_config_file` reads.

    Parameters
    ----------
    config : RunConfig
        The run's options.
    sources : sequence, optional
        The run's sources; paths are written as given (make them absolute to rerun
        from anywhere), DataFrames are left out with a comment.

    Returns
    -------
    str
        TOML text.
    """
    lines = [HEADER]
    if sources is not None:
        named = [str(s) for s in sources if isinstance(s, str | Path)]
        if len(named) < len(sources):
            lines.append("# (sources given as DataFrames are not written here)\n")
        lines.append(f"sources = {toml_value(named)}\n")
    tables = []
    for f in dataclasses.fields(config):
        value = getattr(config, f.name)
        if f.name in NESTED:
            body = "".join(f"{k} = {toml_value(v)}\n"
                           for k, v in dataclasses.asdict(value).items() if v is not None)
            tables.append(f"\n[{f.name}]\n{body}")
            continue
        if f.name == "stopwords":
            value = _stopwords_toml(value)
        try:
            lines.append(f"{f.name} = {toml_value(value)}\n")
        except ValueError:
            lines.append(f"# {f.name}: {value!r} cannot be written in TOML\n")
    return "".join(lines + tables)
