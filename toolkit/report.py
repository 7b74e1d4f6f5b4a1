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
"""

from __future__ import annotations

import html
import json
import logging
import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from string import Template
from typing import Any, Literal

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from . import __version__
from .ingest import Favor, build_options
from .tokens import check_choice

logger = logging.getLogger(__name__)

TrendFreq = Literal["auto", "D", "W", "M", "Q", "Y"]
TREND_FREQS: tuple[str, ...] = ("auto", "D", "W", "M", "Q", "Y")
WINDOWS: tuple[str, ...] = ("sentence", "paragraph", "article")
FIGURE_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")

#: Most periods a trend chart should hold; ``trend_freq="auto"`` picks the finest
#: period length that stays under it.
MAX_PERIODS = 60
#: Period length -> approximate days, finest first.
_PERIOD_DAYS: dict[str, float] = {"D": 1, "W": 7, "M": 30.44, "Q": 91.3, "Y": 365.25}
_PERIOD_NAMES: dict[str, str] = {
    "D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year",
}
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


# --------------------------------------------------------------------------- output


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


def _readable(run: _Run) -> bool:
    """Whether ingestion left any article to analyse (the Articles section says when not)."""
    return run.usable is not None and not run.usable.empty


def _step_ingest(run: _Run, w: _Writer) -> None:
    opts = run.options
    from .ingest import read_articles
    from .schema import usable_articles
    from .store import save_articles

    articles = read_articles(
        run.sources,
        workers=opts.workers,
        timeout=opts.timeout,
        max_bytes=opts.max_bytes,
        favor=opts.favor,
        cache=opts.cache,
        progress=opts.progress,
    )
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


def _step_terms(run: _Run, w: _Writer) -> None:
    from .counts import term_counts
    from .plots import plot_top_terms

    if not _readable(run):
        return
    w.section(
        "terms",
        "Terms",
        "Words counted in the readable articles, without stopwords (the list of each "
        "article's language, plus reporting verbs and fillers such as “said” and “also”), "
        "numbers and one-letter words. A term's proportion is its share of the counted words.",
    )
    counts = term_counts(run.usable, **run.term_kwargs)
    run.counts = counts
    if counts.empty:
        w.note("The readable articles hold no countable words.", kind="missing")
        return
    run.terms = list(run.options.terms or counts["term"].head(5))
    ax = plot_top_terms(counts, n=run.options.top_n, title="Most frequent terms")
    w.figure(ax, "top_terms", "Most frequent terms", data=counts.head(run.options.top_n),
             caption="The most frequent words of the whole corpus.")
    w.table(counts, "top_terms", "Top terms")
    by_outlet = term_counts(run.usable, by="outlet", **run.term_kwargs)
    named = by_outlet.loc[by_outlet["outlet"].ne(UNKNOWN_OUTLET)]
    if named["outlet"].nunique() > 1:
        ax = plot_top_terms(named, n=10, title="Most frequent terms by outlet")
        w.figure(ax, "top_terms_by_outlet", "Most frequent terms by outlet",
                 data=named.groupby("outlet", sort=False).head(10),
                 caption="One panel per outlet (at most six: the outlets with the most "
                 "words).")
    else:
        w.note("The readable articles do not come from two or more named outlets: "
               "no comparison between outlets.")
    unnamed = int(run.usable["outlet"].eq(UNKNOWN_OUTLET).sum())
    if unnamed:
        w.note(f"{unnamed} readable article(s) name no outlet (no site name, no URL): they are "
               f"grouped as {UNKNOWN_OUTLET} in the tables and left out of the outlet "
               "comparisons.")
    w.table(by_outlet, "top_terms_by_outlet", "Top terms by outlet",
            view=_largest_groups_first(by_outlet.groupby("outlet", sort=False).head(5)),
            show=60, caption="The five most frequent terms of each outlet, the outlets with "
            "the most words first.")
    # padding: a bigram never joins two words that had a stopword between them.
    bigrams = term_counts(run.usable, ngram=2, padding=True, **run.term_kwargs)
    if not bigrams.empty:
        ax = plot_top_terms(bigrams, n=run.options.top_n, title="Most frequent bigrams")
        w.figure(ax, "top_bigrams", "Most frequent bigrams",
                 data=bigrams.head(run.options.top_n),
                 caption="Pairs of adjacent words within a sentence (no stopword in or "
                 "between them).")
    w.table(bigrams, "bigrams", "Top bigrams")


def _largest_groups_first(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a by-outlet term table, outlets by their words (unknown outlet last)."""
    totals = table.groupby("outlet")["count"].sum().drop(UNKNOWN_OUTLET, errors="ignore")
    order = [*totals.sort_index().sort_values(ascending=False, kind="stable").index]
    rank = {outlet: i for i, outlet in enumerate(order)}
    return table.sort_values("outlet", key=lambda s: s.map(rank).fillna(len(rank)), kind="stable")


def _step_tfidf(run: _Run, w: _Writer) -> None:
    from .tfidf import tfidf

    if run.counts is None or run.counts.empty:
        return
    weights = tfidf(run.usable, **run.term_kwargs)
    top = weights.groupby("article_id", sort=False).head(5)
    meta = run.usable[["article_id", "title", "outlet"]]
    top = meta.merge(top, on="article_id", how="inner")
    view = (
        top.groupby(["article_id", "title", "outlet"], sort=False, dropna=False)["term"]
        .agg(", ".join)
        .reset_index(name="distinctive terms")
        .drop(columns="article_id")
    )
    w.table(top, "tfidf_top", "Distinctive terms per article (tf-idf)", view=view, show=30,
            caption="The five terms with the highest tf-idf in each article: frequent there, "
            "rare in the other articles.")
    if len(run.usable) == 1:
        w.note("With one article, tf-idf ranks terms by their count only (every idf is equal).")


def _keyness_split(run: _Run) -> tuple[pd.Series, pd.Series, str, str] | None:
    """Target and reference masks with their names, or None when there is one article.

    The two largest named outlets when both have at least two articles (one article
    is one voice, not an outlet's vocabulary); else the later and the earlier half of
    the dated articles; else the second and the first half of the articles.
    """
    usable = run.usable
    sizes = usable["outlet"].value_counts().drop(UNKNOWN_OUTLET, errors="ignore")
    sizes = sizes.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    if len(sizes) >= 2 and sizes.iloc[1] >= 2:
        first, second = sizes.index[:2]
        return usable["outlet"].eq(first), usable["outlet"].eq(second), first, second
    dated = usable["date"].dropna().sort_values(kind="stable")
    if dated.nunique() >= 2:
        n_early = (len(dated) + 1) // 2
        early = usable.index.isin(dated.index[:n_early])
        late = usable.index.isin(dated.index[n_early:])
        return (
            pd.Series(late, index=usable.index),
            pd.Series(early, index=usable.index),
            _date_range(dated.iloc[n_early:]),
            _date_range(dated.iloc[:n_early]),
        )
    if len(usable) >= 2:
        second_half = pd.Series(np.arange(len(usable)) >= len(usable) // 2, index=usable.index)
        return second_half, ~second_half, "second half of the articles", "first half"
    return None


def _date_range(dates: pd.Series) -> str:
    first, last = f"{dates.min():%Y-%m-%d}", f"{dates.max():%Y-%m-%d}"
    return first if first == last else f"{first} to {last}"


def _step_keyness(run: _Run, w: _Writer) -> None:
    from .keyness import keyness
    from .plots import plot_keyness

    if run.counts is None or run.counts.empty:
        return
    split = _keyness_split(run)
    if split is None:
        w.note("Keyness compares two groups of articles; this corpus has one article.",
               kind="missing")
        return
    target, reference, target_name, reference_name = split
    run.keyness_groups = (target_name, reference_name)
    table = keyness(run.usable, target=target, reference=reference, **run.term_kwargs)
    ax = plot_keyness(table, n=15, target_label=target_name, reference_label=reference_name)
    sizes = f"{int(target.sum())} and {int(reference.sum())} articles"
    w.figure(ax, "keyness", f"Key terms: {target_name} vs {reference_name}",
             data=table.loc[table["p_value"] < 0.05],
             caption=f"Terms used more in {target_name} (right) or {reference_name} (left; "
             f"{sizes}) than chance would give (log-likelihood G², p < 0.05); bar length is "
             "the log₂ ratio of their relative frequencies. The groups are the two largest "
             "outlets when both have two articles or more, else the later and earlier half "
             "of the dated articles.")
    w.table(table, "keyness", f"Keyness: {target_name} vs {reference_name}",
            caption=f"Target: {target_name}; reference: {reference_name}. Positive log_ratio: "
            "overused in the target.")


def _step_collocations(run: _Run, w: _Writer) -> None:
    from .collocations import collocations

    if run.counts is None or run.counts.empty:
        return
    table = collocations(run.usable, measure="g2", min_count=2, **run.term_kwargs)
    if table.empty:
        w.note("No pair of words occurs together twice: no collocations.", kind="missing")
    w.table(table, "collocations", "Collocations (log-likelihood)",
            caption="Adjacent word pairs seen at least twice, ranked by how much more often "
            "they occur together than their own frequencies predict.")


def _step_kwic(run: _Run, w: _Writer) -> None:
    from .kwic import kwic

    if not run.terms:
        return
    term = run.terms[0]
    lines = kwic(run.usable, term, width=8)
    titles = run.usable[["article_id", "title"]]
    lines = lines.merge(titles, on="article_id", how="left")
    w.table(lines, "kwic", f"Keyword in context: “{term}”",
            view=lines[["title", "left", "keyword", "right"]], show=25,
            caption=f"Every occurrence of the most frequent term, “{term}”, with eight words "
            "on each side.")


def _choose_freq(dates: pd.Series, wanted: str) -> str:
    if wanted != "auto":
        return wanted
    span_days = max((dates.max() - dates.min()).total_seconds() / 86400, 0.0)
    for freq, days in _PERIOD_DAYS.items():
        if span_days / days < MAX_PERIODS:
            return freq
    return "Y"


def _step_trends(run: _Run, w: _Writer) -> None:
    from .plots import plot_dispersion, plot_term_trends
    from .trends import dispersion, term_trends

    if not run.terms:
        return
    dates = run.usable["date"].dropna()
    if dates.empty:
        w.note("No readable article has a date: no trends over time.", kind="missing")
    else:
        freq = _choose_freq(dates, run.options.trend_freq)
        run.trend_period = freq
        trends = term_trends(run.usable, run.terms, freq=freq, progress=False)
        ax = plot_term_trends(trends, title=f"Top terms per {_PERIOD_NAMES[freq]}")
        w.figure(ax, "term_trends", "Top terms over time", data=trends,
                 caption=f"Each term's share of the words published per {_PERIOD_NAMES[freq]}; "
                 "grey bars: the number of dated articles in that period.")
        w.table(trends, "term_trends", "Trends", view=trends.loc[trends["count"] > 0],
                caption="The periods in which each term occurs (the file has every period).")
        undated = trends.attrs.get("undated_articles", 0)
        if undated:
            w.note(f"{undated} readable article(s) have no date and are left out of the trends.")
        if dates.nunique() == 1:
            w.note("Every dated article has the same date: the trend is a single period.")
    positions = dispersion(run.usable, run.terms, progress=False)
    ax = plot_dispersion(positions, terms=run.terms)
    w.figure(ax, "dispersion", "Lexical dispersion", data=positions,
             caption="Where each top term occurs, the articles laid end to end in table order "
             "(faint lines: article starts).")
    w.table(positions, "dispersion", "Dispersion", show=0,
            caption="Each occurrence of the top terms with its token position.")


def _step_entities(run: _Run, w: _Writer) -> None:
    from .entities import extract_entities
    from .plots import plot_top_terms

    if not _readable(run):
        return
    w.section(
        "entities",
        "Entities",
        "People, organisations, places and other names found by named-entity recognition; "
        "short names and acronyms are merged into the full name they stand for.",
    )
    texts = _ner_articles(run, w)
    if texts.empty:
        return
    mentions, log = extract_entities(
        texts,
        backend=run.options.backend,
        cache=run.options.cache,
        progress=run.progress,
        return_log=True,
    )
    run.mentions = mentions
    run.nlp = {k: v for k, v in mentions.attrs.items() if k != "alias_log"}
    if mentions.empty:
        w.note("No entity was found in the readable articles.", kind="missing")
        w.table(mentions, "mentions", "Mentions")
        return
    counts = (
        mentions.groupby(["label", "entity"])
        .agg(mentions=("entity", "size"), articles=("article_id", "nunique"))
        .reset_index()
        .sort_values(["label", "mentions", "entity"], ascending=[True, False, True])
    )
    by_label = (
        counts.groupby("label")
        .agg(entities=("entity", "size"), mentions=("mentions", "sum"))
        .reset_index()
        .sort_values(["mentions", "label"], ascending=[False, True])
    )
    w.table(by_label, "entity_labels", "Entities by type")
    chart = counts.rename(columns={"entity": "term", "mentions": "count"})[
        ["label", "term", "count"]
    ]
    chart = chart.set_index("label").loc[by_label["label"]].reset_index()
    ax = plot_top_terms(chart, n=10, title="Most named entities by type", ylabel="entity")
    w.figure(ax, "top_entities", "Most named entities by type", data=chart,
             caption="Mentions of each entity (after alias merging), one panel per entity type.")
    w.table(counts.sort_values(["mentions", "entity"], ascending=[False, True]),
            "entity_counts", "Entities", caption="Every entity with its mentions and articles.")
    w.table(log, "alias_merges", "Alias merges", view=_merge_summary(log),
            caption="Each written form merged into another name, and why (one row per form and "
            "reason, the links between names first, then the spelling normalisations).")
    w.table(mentions, "mentions", "Mentions", show=10)


def _ner_articles(run: _Run, w: _Writer) -> pd.DataFrame:
    """The readable articles in ``ner_languages`` (all of them when it is None)."""
    languages = run.options.ner_languages
    if languages is None:
        return run.usable
    language = run.usable["language"]
    keep = language.isin(languages) | language.isna()
    skipped = language.loc[~keep].value_counts()
    if not skipped.empty:
        listed = ", ".join(f"{k} {v}" for k, v in skipped.items())
        w.note(f"{int(skipped.sum())} readable article(s) in other languages ({listed}) are "
               f"left out of entity recognition: its model reads {', '.join(languages)}. "
               "Pass ner_languages=None to run it on every article.")
    if not keep.any():
        w.note("No readable article is in a language the entity model reads: no entities.",
               kind="missing")
    return run.usable.loc[keep]


def _merge_summary(log: pd.DataFrame) -> pd.DataFrame:
    """One row per (alias, entity, reason) with its number of articles; links first."""
    if log.empty:
        return log
    summary = (
        log.groupby(["alias", "entity", "label", "reason"], dropna=False)["article_id"]
        .nunique()
        .reset_index(name="articles")
    )
    spelling = summary["reason"].astype(str).str.startswith("normalised")
    return (
        summary.assign(_spelling=spelling)
        .sort_values(["_spelling", "articles", "entity", "alias"],
                     ascending=[True, False, True, True])
        .drop(columns="_spelling")
    )


def _step_cooccurrence(run: _Run, w: _Writer) -> None:
    from .cooccurrence import cooccurrence
    from .plots import plot_cooccurrence_heatmap

    if not _readable(run):
        return
    w.section(
        "cooccurrence",
        "Co-occurrence",
        f"Pairs of entities named in the same {run.options.window}, with association "
        "measures: count (windows holding both), n_articles, PMI and NPMI, G², Jaccard, Dice.",
    )
    if run.mentions is None or run.mentions.empty:
        w.note("No entities: no co-occurrence pairs, heatmap or network.", kind="missing")
        return
    pairs = cooccurrence(run.mentions, window=run.options.window)
    run.pairs = pairs
    if pairs.empty:
        w.note(f"No two entities are named in the same {run.options.window}: no pairs, "
               "heatmap or network.", kind="missing")
        return
    ax = plot_cooccurrence_heatmap(pairs, n=15)
    w.figure(ax, "cooccurrence_heatmap", "Co-occurrence of the top entities",
             data=pairs.head(200),
             caption=f"Number of {run.options.window}s naming both entities, for the "
             "entities of the strongest pairs.")
    w.table(pairs, "pairs", "Co-occurring pairs")
    _network(run, w)
    _strongest_evidence(run, w)


def _network(run: _Run, w: _Writer) -> None:
    from .graph import export_graph, to_graph
    from .plots import plot_network

    graph = to_graph(run.pairs, mentions=run.mentions)
    ax = plot_network(graph, top=run.options.network_top)
    w.figure(ax, "network", "Entity network", data=run.pairs.head(run.options.network_top),
             caption=f"The {run.options.network_top} strongest pairs: node size by mentions, "
             "edge width by count, colour by entity type.")
    paths = export_graph(graph, run.options.out / "network")
    w.note(f"The whole network ({graph.number_of_nodes()} entities, {graph.number_of_edges()} "
           "pairs) for Gephi", files={kind: w.extra_file(path) for kind, path in paths.items()})


def _strongest_evidence(run: _Run, w: _Writer) -> None:
    from .evidence import evidence

    best = run.pairs.sort_values(
        ["count", "g2", "entity_a", "entity_b"], ascending=[False, False, True, True]
    ).iloc[0]
    rows = evidence(run.mentions, run.usable, best["entity_a"], best["entity_b"],
                    window=run.options.window)
    w.table(rows, "evidence_strongest_pair",
            f"Evidence: {best['entity_a']} and {best['entity_b']}",
            view=rows[["title", "date", "text"]], show=20,
            caption="The sentences naming both entities of the most frequent pair.")


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


# --------------------------------------------------------------------------- index.html

_PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto;
       max-width: 1100px; padding: 1rem 2rem 4rem; color: #222; line-height: 1.45; }
nav { position: sticky; top: 0; background: #fff; padding: .5rem 0;
      border-bottom: 1px solid #ddd; z-index: 1; }
nav a { margin-right: 1rem; }
h1 { margin-bottom: .2rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid #333; }
h3 { margin-top: 1.8rem; }
.sub { color: #555; margin-top: 0; }
figure { margin: 1rem 0 2rem; }
figure img { max-width: 100%; max-height: 80vh; width: auto; height: auto;
       border: 1px solid #eee; }
figcaption, .caption { color: #555; font-size: .9rem; }
.files { font-size: .85rem; } .files a { margin-right: .6rem; }
.table-wrap { overflow-x: auto; max-height: 32rem; overflow-y: auto; }
table.data { border-collapse: collapse; font-size: .85rem; }
table.data th, table.data td { padding: .2rem .6rem; border-bottom: 1px solid #e5e5e5;
       text-align: left; vertical-align: top; }
table.data th { position: sticky; top: 0; background: #f4f4f4; }
table.data td { max-width: 36rem; overflow-wrap: anywhere; }
.note { padding: .5rem .8rem; border-left: 4px solid #999; background: #f7f7f7; }
.note.missing { border-color: #d08c00; background: #fff8e6; }
.note.failed { border-color: #c0392b; background: #fdecea; }
dl.params { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; }
dl.params dt { font-weight: 600; } dl.params dd { margin: 0; overflow-wrap: anywhere; }
</style>
</head>
<body>
<h1>$title</h1>
<p class="sub">$subtitle</p>
<nav>$nav</nav>
$body
</body>
</html>
""")


def _links(files: dict[str, str]) -> str:
    return " ".join(
        f'<a href="{html.escape(path)}">{html.escape(kind.upper())}</a>'
        for kind, path in files.items()
    )


def _render_item(item: _Figure | _Table | _Note) -> str:
    links = _links(item.files)
    if isinstance(item, _Note):
        tail = f': <span class="files">{links}</span>' if links else ""
        return f'<p class="note {item.kind}">{html.escape(item.text)}{tail}</p>'

    caption = f"{html.escape(item.caption)} " if item.caption else ""
    if isinstance(item, _Figure):
        png = html.escape(item.files["png"])
        return (
            f"<figure><h3>{html.escape(item.title)}</h3>"
            f'<a href="{png}"><img src="{png}" alt="{html.escape(item.title)}"></a>'
            f'<figcaption>{caption}<span class="files">Files: {links}</span></figcaption>'
            "</figure>"
        )
    files = f'<span class="files">Full table ({item.n_rows} rows): {links}</span>'
    if not item.html:
        return f"<h3>{html.escape(item.title)}</h3><p class=\"caption\">{caption}{files}</p>"
    count = (
        f"all {item.n_view} rows" if item.shown == item.n_view
        else f"the first {item.shown} of {item.n_view} rows"
    )
    return (
        f"<h3>{html.escape(item.title)}</h3>"
        f'<p class="caption">{caption}Showing {count}. {files}</p>'
        f'<div class="table-wrap">{item.html}</div>'
    )


def _render_run_section(run: _Run, record: dict[str, Any]) -> str:
    params = "".join(
        f"<dt>{html.escape(str(k))}</dt><dd>{html.escape(json.dumps(v, ensure_ascii=False))}</dd>"
        for k, v in record["parameters"].items()
    )
    nlp = record["nlp"]
    backend = nlp.get("entities") or {}
    backend_text = (
        ", ".join(f"{k}: {v}" for k, v in backend.items() if k in _NLP_KEYS)
        or "not run (no readable article)"
    )
    resources = "".join(
        f"<li>{'present' if r['installed'] else 'MISSING'}: {html.escape(r['name'])} "
        f"({html.escape(r['purpose'])})</li>"
        for r in nlp.get("resources", [])
    )
    timings = ", ".join(f"{k} {v:.1f} s" for k, v in run.timings.items())
    failed = "".join(
        f'<p class="note failed">The {html.escape(f["step"])} step failed: '
        f"{html.escape(f['error'])}</p>"
        for f in run.failures
    )
    return (
        '<h2 id="run">This run</h2>'
        f"{failed}"
        f'<dl class="params">{params}'
        f"<dt>entity backend</dt><dd>{html.escape(backend_text)}</dd>"
        f"<dt>time per step</dt><dd>{html.escape(timings)}</dd></dl>"
        f"<h3>NLP resources</h3><ul>{resources}</ul>"
        '<p class="caption">Machine-readable: <a href="report.json">report.json</a>.</p>'
    )


_NLP_KEYS = ("backend", "model", "model_version", "label_scheme", "merge_places")


def _render(run: _Run, w: _Writer, record: dict[str, Any]) -> str:
    nav = " ".join(
        f'<a href="#{s.key}">{html.escape(s.title)}</a>' for s in w.sections
    ) + ' <a href="#run">This run</a>'
    body = []
    for section in w.sections:
        body.append(f'<h2 id="{section.key}">{html.escape(section.title)}</h2>')
        if section.intro:
            body.append(f"<p>{html.escape(section.intro)}</p>")
        body.extend(_render_item(item) for item in section.items)
    body.append(_render_run_section(run, record))
    statuses = record["status_counts"]
    subtitle = (
        f"{sum(statuses.values())} documents ({', '.join(f'{k} {v}' for k, v in statuses.items())})"
        f" from {len(run.options.sources)} source(s) · toolkit {__version__} · "
        f"{record['finished']}"
    )
    return _PAGE.substitute(
        title="News coverage report",
        subtitle=html.escape(subtitle),
        nav=nav,
        body="\n".join(body),
    )


def _nlp_record(run: _Run) -> dict[str, Any]:
    from .nlp_setup import nltk_states, spacy_state

    states = [*nltk_states(), spacy_state()]
    return {
        "entities": {k: _jsonable(v) for k, v in run.nlp.items()},
        "resources": [
            {"name": s.name, "installed": s.installed, "purpose": s.purpose} for s in states
        ],
    }


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


def _record(run: _Run, w: _Writer) -> dict[str, Any]:
    articles = run.articles
    statuses = {} if articles is None else {
        str(k): int(v) for k, v in articles["status"].value_counts().items()
    }
    failed = [] if articles is None else [
        {"source_uri": r.source_uri, "status": r.status, "error": r.error}
        for r in articles.loc[~articles["status"].isin(["ok", "duplicate"])].itertuples()
    ]
    notes = [
        {"section": s.key, "kind": i.kind, "text": i.text}
        for s in w.sections for i in s.items if isinstance(i, _Note)
    ]
    return _jsonable({
        "toolkit": __version__,
        "python": platform.python_version(),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "parameters": {
            **run.options.as_record(),
            "keyness_groups": list(run.keyness_groups) if run.keyness_groups else None,
            "followed_terms": run.terms,
            "trend_period": run.trend_period,
        },
        "status_counts": statuses,
        "failed_inputs": failed,
        "nlp": _nlp_record(run),
        "timings": run.timings,
        "failures": run.failures,
        "notes": notes,
        "files": sorted(set(w.files)),
    })


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
        Output folder (created; files of an earlier run with the same names are
        overwritten, others are left alone).
    workers, timeout, max_bytes, favor
        Ingestion options, as in ``read_articles``.
    cache : bool
        Reuse page extractions and entity recognitions from the on-disk cache
        (``toolkit.cache``) and store new ones there.
    progress : bool
        Show progress bars (the steps, ingestion and entity recognition).
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
    build_options(max_bytes=max_bytes, favor=favor)
    _check_positive_int("workers", workers)
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
    if isinstance(ner_languages, str):
        raise ValueError(f"ner_languages must be a list of language codes or None, "
                         f"got {ner_languages!r}; e.g. ['en']")
    out_dir = Path(out)
    options = ReportOptions(
        sources=_source_names(sources),
        out=out_dir,
        workers=workers,
        timeout=timeout,
        max_bytes=max_bytes,
        favor=favor,
        cache=cache,
        progress=progress,
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
    record = _record(run, writer)
    (out_dir / "report.json").write_text(
        json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    index = out_dir / "index.html"
    index.write_text(_render(run, writer, record), encoding="utf-8")
    logger.info("wrote %s", index)
    return index
