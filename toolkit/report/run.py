"""``run_report``: read the sources, run the steps in order, write what they return.

    index = tk.run_report(["data/sample"], out="reports")   # reports/index.html

The run writes, under ``out``:

- ``articles.parquet``, ``articles.csv``: one row per input document;
- ``tables/``: every table as CSV and Parquet (statuses, top terms overall and per
  outlet, bigrams, tf-idf, keyness, collocations, KWIC, trends, dispersion, mentions,
  alias merges, entity counts, co-occurrence pairs, evidence of the strongest pair);
- ``network/``: the entity network as GEXF and GraphML, with node and edge CSVs;
- ``figures/``: every chart as PNG, SVG and PDF with the CSV that drew it;
- ``report.json``: the configuration, the NLP backend, the files and the notes;
- ``run.toml``: the sources and options, so that ``toolkit run --config run.toml``
  repeats the run;
- ``index.html``: the charts, the first rows of the key tables, the configuration,
  the NLP backend and resources, and what happened to every input.

Each step is a function of the frames the earlier steps gave and the
:class:`~toolkit.report.config.RunConfig`; it returns a
:class:`~toolkit.report.results.StepResult`. Thin data never stops the run: a step
that has nothing to work on (no dated articles, one outlet, no entities, no
readable page) says what is missing and why. A step that fails is logged and
reported as failed, and every step that needs one of its frames says it did not
run and why; the others go on, so ``index.html`` is always written.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from toolkit.report.config import RunConfig
from toolkit.report.config_file import config_to_toml
from toolkit.report.page import record_of_run, remove_previous_run, render_page
from toolkit.report.results import Section, StepResult
from toolkit.report.steps_articles import ARTICLES, articles_step, outlets
from toolkit.report.steps_entities import (
    ENTITIES,
    cooccurrence_section,
    cooccurrence_step,
    entities_step,
)
from toolkit.report.steps_quotes import QUOTES, quotes_step
from toolkit.report.steps_terms import (
    TERMS,
    collocations_step,
    keyness_step,
    kwic_step,
    terms_step,
    tfidf_step,
    trends_step,
)
from toolkit.report.steps_topics import TOPICS, topics_step
from toolkit.report.writer import ReportWriter

__all__ = ["STEPS", "RunConfig", "Step", "outlets", "run_report"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Step:
    """One step: its name, function, the frames it needs and gives, and its section."""

    name: str
    run: Callable[[Mapping[str, Any], RunConfig], StepResult]
    needs: tuple[str, ...]
    gives: tuple[str, ...]
    section: Callable[[RunConfig], Section]


STEPS: tuple[Step, ...] = (
    Step("ingest", articles_step, (), ("articles", "usable"), lambda c: ARTICLES),
    Step("terms", terms_step, ("usable",), ("counts", "terms"), lambda c: TERMS),
    Step("tf-idf", tfidf_step, ("usable", "counts"), (), lambda c: TERMS),
    Step("keyness", keyness_step, ("usable", "counts"), (), lambda c: TERMS),
    Step("collocations", collocations_step, ("usable", "counts"), (), lambda c: TERMS),
    Step("kwic", kwic_step, ("usable", "terms"), (), lambda c: TERMS),
    Step("trends", trends_step, ("usable", "terms"), (), lambda c: TERMS),
    Step("topics", topics_step, ("usable",), ("topics",), lambda c: TOPICS),
    Step("entities", entities_step, ("usable",), ("mentions",), lambda c: ENTITIES),
    Step("co-occurrence", cooccurrence_step, ("usable", "mentions"), ("pairs",),
         cooccurrence_section),
    Step("quotes", quotes_step, ("usable", "mentions"), ("quotes",), lambda c: QUOTES),
)


@dataclass
class RunLog:
    """What happened to the steps: their time, the failed ones and the ones not run."""

    timings: dict[str, float] = field(default_factory=dict)
    failures: list[dict[str, str]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    record: dict[str, Any] = field(default_factory=dict)


class _Stop(Exception):
    """What ``check`` raised: it stops the run (its cause is raised to the caller)."""


def run_steps(
    steps: tuple[Step, ...],
    inputs: dict[str, Any],
    config: RunConfig,
    writer: ReportWriter,
    *,
    progress: bool = True,
    check: Callable[[Step, StepResult], None] | None = None,
) -> tuple[dict[str, Any], RunLog]:
    """Run ``steps`` in order, writing each result; return the frames they gave and the log.

    ``check(step, result)`` sees each result before it is written; what it raises
    stops the run.
    """
    frames = dict(inputs)
    failed: dict[str, str] = {}  # frame -> the failed (or skipped) step that should have given it
    log = RunLog()
    bar = tqdm(steps, desc="toolkit run", unit="step", disable=not progress)
    for step in bar:
        bar.set_postfix_str(step.name)
        started = time.perf_counter()
        lost = [name for name in step.needs if name in failed]
        if lost:
            why = f"it needs the {lost[0]} of the {failed[lost[0]]} step, which did not finish"
            log.skipped.append({"step": step.name, "reason": why})
            writer.note(f"The {step.name} step did not run: {why}.", kind="failed",
                        section=step.section(config))
            failed.update(dict.fromkeys(step.gives, step.name))
            continue
        try:
            result = step.run(frames, config)
            if check is not None:
                try:
                    check(step, result)
                except Exception as exc:
                    raise _Stop from exc
            writer.write(result, fallback=step.section(config))
        except _Stop as stop:
            bar.close()
            raise stop.__cause__ from None
        except Exception as exc:  # one failing step must not lose the others' output
            logger.exception("step %s failed", step.name)
            error = f"{type(exc).__name__}: {exc}"
            log.failures.append({"step": step.name, "error": error})
            writer.note(f"The {step.name} step failed ({error}); the steps that need its "
                        "results say so, the others went on. The log has the details.",
                        kind="failed", section=step.section(config))
            failed.update(dict.fromkeys(step.gives, step.name))
        else:
            frames.update(result.outputs)
            log.record.update(result.record)
        log.timings[step.name] = round(time.perf_counter() - started, 2)
    bar.close()
    return frames, log


def _source_names(sources: Any) -> tuple[str, ...]:
    items = sources if isinstance(sources, list | tuple) else [sources]
    if not items:
        raise ValueError("sources is empty: give at least one file, folder, glob or URL")
    return tuple(
        f"<DataFrame of {len(s)} rows>" if isinstance(s, pd.DataFrame) else str(s) for s in items
    )


def _stop_unless_readable(step: Step, result: StepResult) -> None:
    """Raise NoReadableArticles after the ingest when no input gave a readable article."""
    from toolkit.ingest.summary import require_readable

    if "articles" in result.outputs:
        require_readable(result.outputs["articles"])


def _rerunnable(sources: Any) -> list[Any]:
    """The sources as a later run from another folder finds them: local paths absolute."""
    items = sources if isinstance(sources, list | tuple) else [sources]
    found = []
    for item in items:
        if isinstance(item, str | Path) and "://" not in str(item) and Path(item).exists():
            item = str(Path(item).resolve())
        found.append(item)
    return found


def run_report(
    sources: Any,
    *,
    out: str | Path = "reports",
    config: RunConfig | None = None,
    progress: bool = True,
    require_readable: bool = False,
    **options: Any,
) -> Path:
    """Run the whole analysis of ``sources`` and write its tables, charts and index.html.

    Parameters
    ----------
    sources : path, URL, DataFrame, or a list of them
        What :func:`toolkit.read_articles` reads (files, folders, globs, URLs,
        feeds, WARC, an articles file or frame).
    out : str or Path
        Output folder (created). The files an earlier run wrote there (those its
        ``report.json`` lists) and this run does not write again are deleted, so
        no table or chart of another corpus is left beside this run's; other
        files are left alone.
    config : RunConfig, optional
        Every option of the run (see :class:`~toolkit.report.config.RunConfig`:
        ingestion, terms, window, entity backend, chart formats...); default
        ``RunConfig()``.
    progress : bool
        Show progress bars (the steps, ingestion and entity recognition).
    require_readable : bool
        When no input gives a readable article, raise
        :class:`~toolkit.ingest.summary.NoReadableArticles` (saying why) and write
        nothing, instead of a report of the failed inputs.
    **options
        Fields of :class:`~toolkit.report.config.RunConfig` given one by one
        (``top_n=10``, ``window="paragraph"``, ...) and the shorthands
        ``max_bytes``, ``favor`` and ``fetch_options`` of ``read_articles``; one
        that contradicts ``config`` is a ``ValueError``.

    Returns
    -------
    pathlib.Path
        The path of ``out/index.html``. Beside it: ``articles.parquet`` and
        ``articles.csv``, ``report.json``, ``tables/`` (CSV and Parquet of:
        status_counts, failed_inputs, articles_overview, top_terms,
        top_terms_by_outlet, bigrams, tfidf_top, keyness, collocations, kwic,
        term_trends, dispersion, entity_labels, entity_counts, alias_merges, mentions,
        pairs, evidence_strongest_pair), ``figures/`` (top_terms, top_terms_by_outlet,
        top_bigrams, keyness, term_trends, dispersion, top_entities,
        cooccurrence_heatmap, network; PNG, SVG, PDF and CSV each) and ``network/``
        (network.gexf, network.graphml, network_nodes.csv, network_edges.csv), and
        ``run.toml`` (the sources and options: ``toolkit run --config run.toml``
        repeats the run). A table or chart whose data is missing is not written;
        index.html says why.

    Raises
    ------
    ValueError
        For empty sources or an invalid option (before any work is done).
    NoReadableArticles
        With ``require_readable``, when no input gave a readable article (a
        ``ValueError`` too; nothing is written).
    """
    from toolkit.ingest.read import as_source_list

    as_source_list(sources)
    names = _source_names(sources)
    config = RunConfig.build(config, **options)
    out_dir = Path(out)
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"out must be a folder, but {str(out_dir)!r} is a file")
    writer = ReportWriter(out_dir, top_n=config.top_n, formats=config.formats)
    frames, log = run_steps(
        STEPS, {"sources": sources, "progress": progress}, config, writer, progress=progress,
        check=_stop_unless_readable if require_readable else None,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "run.toml").write_text(
        config_to_toml(config, _rerunnable(sources)), encoding="utf-8"
    )
    writer.files.append("run.toml")
    remove_previous_run(out_dir, keep=set(writer.files))
    record = record_of_run(config, names, frames.get("articles"), log, writer)
    (out_dir / "report.json").write_text(
        json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    index = out_dir / "index.html"
    index.write_text(render_page(writer, log, record), encoding="utf-8")
    logger.info("wrote %s", index)
    return index
