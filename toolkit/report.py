"""The main job (``toolkit run``): the whole analysis of a corpus, written to one folder.

    index = tk.run_report(["data/sample"], out="reports")   # reports/index.html

The run reads the sources, then writes, under ``out``:

- ``articles.parquet``, ``articles.csv``: one row per input document;
- ``tables/``: every table as CSV and Parquet (statuses, top terms overall and per
  outlet, bigrams, tf-idf, keyness, collocations, KWIC, trends, dispersion, mentions,
  alias merges, entity counts, co-occurrence pairs, evidence of the strongest pair);
- ``network/``: the entity network as GEXF and GraphML, with node and edge CSVs;
- ``figures/``: every chart as PNG, SVG and PDF with the CSV that drew it;
- ``report.json``: the parameters, the NLP backend, the files and the notes;
- ``index.html``: the charts, the first rows of the key tables, the parameters,
  the NLP backend and resources, and what happened to every input.

Thin data never stops the run: a step that has nothing to work on (no dated
articles, one outlet, no entities, no readable page) leaves a note saying what is
missing and why, and the rest goes on. A step that fails unexpectedly is logged
and reported the same way, so ``index.html`` is always written.

The work is shared out: :mod:`toolkit.report_state` holds the options and the
frames the steps build, :mod:`toolkit.report_writer` writes the tables and
figures, :mod:`toolkit.report_terms` and :mod:`toolkit.report_entities` hold the
analysis steps, and :mod:`toolkit.report_page` writes ``report.json`` and
``index.html``. This module reads the articles and runs the steps in order.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from tqdm.auto import tqdm

from .fetch import FetchOptions
from .ingest import Favor, as_source_list, build_options
from .report_entities import _step_cooccurrence, _step_entities
from .report_page import _record, _remove_previous_run, _render
from .report_state import (
    FIGURE_FORMATS,
    NEWS_STOPWORDS,
    REPORT_TOKEN_OPTIONS,
    TREND_FREQS,
    UNKNOWN_OUTLET,
    WINDOWS,
    ReportOptions,
    TrendFreq,
    _check_positive_int,
    _Run,
    _source_names,
    ingest_kwargs,
)
from .report_terms import (
    MAX_PERIODS,
    _step_collocations,
    _step_keyness,
    _step_kwic,
    _step_terms,
    _step_tfidf,
    _step_trends,
)
from .report_writer import _Writer, html_table
from .tokens import as_stopwords, check_choice

__all__ = [
    "FIGURE_FORMATS",
    "MAX_PERIODS",
    "NEWS_STOPWORDS",
    "REPORT_TOKEN_OPTIONS",
    "STEPS",
    "TREND_FREQS",
    "UNKNOWN_OUTLET",
    "WINDOWS",
    "ReportOptions",
    "Step",
    "TrendFreq",
    "html_table",
    "outlets",
    "run_report",
]

logger = logging.getLogger(__name__)


def outlets(articles: pd.DataFrame) -> pd.Series:
    """Name each article's outlet: its ``sitename``, else its ``hostname``.

    Parameters
    ----------
    articles : pandas.DataFrame
        An articles frame.

    Returns
    -------
    pandas.Series
        Outlet names (str) aligned to ``articles``; ``"(unknown outlet)"`` when both
        are missing.
    """
    return articles["sitename"].fillna(articles["hostname"]).fillna(UNKNOWN_OUTLET).astype(str)


# --------------------------------------------------------------------------- steps


def _step_ingest(run: _Run, w: _Writer) -> None:
    opts = run.options
    from .ingest import read_articles
    from .schema import usable_articles
    from .store import save_articles

    articles = read_articles(run.sources, **ingest_kwargs(opts))
    articles = articles.assign(outlet=outlets(articles))
    run.articles = articles
    run.usable = usable_articles(articles)
    w.section(
        "articles",
        "Articles",
        "One row per input document. Only the rows with status ok are analysed; duplicates "
        "(exact or near copies of another page) are kept in the table but left out of the counts.",
    )
    for suffix in ("parquet", "csv"):
        path = save_articles(articles.drop(columns="outlet"), opts.out / f"articles.{suffix}")
        w.extra_file(path)
    status = (
        articles["status"].value_counts().rename_axis("status").reset_index(name="documents")
    )
    w.table(status, "status_counts", "Documents by status")
    failed = articles.loc[~articles["status"].isin(["ok", "duplicate"])]
    if not failed.empty:
        w.table(
            failed[["source_uri", "status", "error"]],
            "failed_inputs",
            "Inputs that could not be read",
            show=100,
            caption="Each of these documents has a row in articles.csv with its status and error.",
        )
    if run.usable.empty:
        w.note(
            "No document could be read (no row has status ok and some text): there are no "
            "terms, entities or networks below. See the failed inputs above.",
            kind="missing",
        )
        return
    columns = ["title", "outlet", "date", "date_source", "language", "n_words", "status"]
    view = articles[columns].assign(title=articles["title"].fillna(articles["source_uri"]))
    w.table(
        articles[["article_id", *columns, "source_uri"]],
        "articles_overview",
        "Articles",
        view=view,
        show=50,
        caption="The full frame (text included) is in articles.parquet and articles.csv.",
    )


Step = Callable[[_Run, _Writer], None]
STEPS: tuple[tuple[str, Step], ...] = (
    ("ingest", _step_ingest),
    ("terms", _step_terms),
    ("tf-idf", _step_tfidf),
    ("keyness", _step_keyness),
    ("collocations", _step_collocations),
    ("kwic", _step_kwic),
    ("trends", _step_trends),
    ("entities", _step_entities),
    ("co-occurrence", _step_cooccurrence),
)


def _run_steps(run: _Run, w: _Writer) -> None:
    bar = tqdm(STEPS, desc="toolkit run", unit="step", disable=not run.progress)
    for name, step in bar:
        bar.set_postfix_str(name)
        started = time.perf_counter()
        try:
            step(run, w)
        except Exception as exc:  # one failing step must not lose the others' output
            logger.exception("step %s failed", name)
            run.failures.append({"step": name, "error": f"{type(exc).__name__}: {exc}"})
            if not w.sections:
                w.section("articles", "Articles")
            w.note(f"The {name} step failed ({type(exc).__name__}: {exc}); the steps after "
                   "it went on with what was there. The log has the details.", kind="failed")
        run.timings[name] = round(time.perf_counter() - started, 2)
    bar.close()


# --------------------------------------------------------------------------- the entry point


def run_report(
    sources: Any,
    *,
    out: str | Path = "reports",
    workers: int = 2,
    timeout: float | None = 30.0,
    max_bytes: int = 5_000_000,
    favor: Favor = "balanced",
    cache: bool = False,
    progress: bool = True,
    fetch_options: FetchOptions | None = None,
    top_n: int = 20,
    terms: Sequence[str] | None = None,
    stopwords: Any = ("auto", NEWS_STOPWORDS),
    window: Literal["sentence", "paragraph", "article"] = "sentence",
    trend_freq: TrendFreq = "auto",
    network_top: int = 40,
    backend: Literal["auto", "spacy", "nltk"] = "auto",
    ner_languages: Sequence[str] | None = ("en",),
    formats: Sequence[str] = FIGURE_FORMATS,
) -> Path:
    """Run the whole analysis of ``sources`` and write its tables, charts and index.html.

    Parameters
    ----------
    sources : path, URL, DataFrame, or a list of them
        What :func:`toolkit.ingest.read_articles` reads (files, folders, globs,
        URLs, feeds, WARC, an articles file or frame).
    out : str or Path
        Output folder (created). The files an earlier run wrote there (those its
        ``report.json`` lists) and this run does not write again are deleted, so
        no table or chart of another corpus is left beside this run's; other
        files are left alone.
    workers, timeout, max_bytes, favor
        Ingestion options, as in ``read_articles``.
    cache : bool
        Reuse page extractions and entity recognitions from the on-disk cache
        (``toolkit.cache``) and store new ones there.
    progress : bool
        Show progress bars (the steps, ingestion and entity recognition).
    fetch_options : FetchOptions, optional
        How URLs are fetched (timeouts, robots.txt, delay between requests to a
        host), as in ``read_articles``.
    top_n : int
        Rows shown per table in index.html and bars in the top-terms charts.
    terms : sequence of str, optional
        Terms to follow in the trends, dispersion and KWIC (the first); default the
        five most frequent terms.
    stopwords : str, set, tuple or None
        Stopwords of the term tables, as in ``term_counts``; default each article's
        language's list plus :data:`NEWS_STOPWORDS` ("said", "also", ...).
    window : {"sentence", "paragraph", "article"}
        Co-occurrence window.
    trend_freq : {"auto", "D", "W", "M", "Q", "Y"}
        Period of the trends; ``auto`` picks the finest that gives fewer than 60
        periods over the corpus' date range.
    network_top : int
        Edges drawn in the network chart (the exported graph holds every pair).
    backend : {"auto", "spacy", "nltk"}
        Entity recognition backend.
    ner_languages : sequence of str or None
        Language codes of the articles given to entity recognition (default English,
        the language of the installed models; articles without a language are
        included); None gives it every article.
    formats : sequence of {"png", "svg", "pdf"}
        Chart formats (index.html shows the PNG, which is always written).

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
        (network.gexf, network.graphml, network_nodes.csv, network_edges.csv). A
        table or chart whose data is missing is not written; index.html says why.

    Raises
    ------
    ValueError
        For empty sources or an invalid option (before any work is done).
    """
    as_source_list(sources)
    build_options(max_bytes=max_bytes, favor=favor, fetch_options=fetch_options)
    _check_positive_int("workers", workers)
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0
    ):
        raise ValueError(f"timeout must be a positive number of seconds or None, got {timeout!r}")
    _check_positive_int("top_n", top_n)
    _check_positive_int("network_top", network_top)
    check_choice("window", window, WINDOWS)
    check_choice("trend_freq", trend_freq, TREND_FREQS)
    check_choice("backend", backend, ("auto", "spacy", "nltk"))
    chosen_formats = tuple(dict.fromkeys(["png", *formats]))
    for fmt in chosen_formats:
        check_choice("formats", fmt, FIGURE_FORMATS)
    if terms is not None and (isinstance(terms, str) or not all(str(t).strip() for t in terms)):
        raise ValueError(f"terms must be a list of non-empty words or phrases, got {terms!r}")
    if isinstance(ner_languages, str) or (
        ner_languages is not None and not all(isinstance(c, str) for c in ner_languages)
    ):
        raise ValueError(f"ner_languages must be a list of language codes or None, "
                         f"got {ner_languages!r}; e.g. ['en']")
    as_stopwords(stopwords)  # a typo must fail now, not after the ingest as a failed step
    out_dir = Path(out)
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"out must be a folder, but {str(out_dir)!r} is a file")
    options = ReportOptions(
        sources=_source_names(sources),
        out=out_dir,
        workers=workers,
        timeout=timeout,
        max_bytes=max_bytes,
        favor=favor,
        cache=cache,
        progress=progress,
        fetch_options=fetch_options,
        top_n=top_n,
        terms=tuple(terms) if terms else None,
        stopwords=stopwords,
        window=window,
        trend_freq=trend_freq,
        network_top=network_top,
        backend=backend,
        ner_languages=None if ner_languages is None else tuple(ner_languages),
        formats=chosen_formats,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    run = _Run(options, sources=sources)
    writer = _Writer(out_dir, top_n=top_n, formats=chosen_formats)
    _run_steps(run, writer)
    _remove_previous_run(out_dir, keep=set(writer.files))
    record = _record(run, writer)
    (out_dir / "report.json").write_text(
        json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    index = out_dir / "index.html"
    index.write_text(_render(run, writer, record), encoding="utf-8")
    logger.info("wrote %s", index)
    return index
