"""The term steps of a run: term counts, tf-idf, keyness, collocations, KWIC and trends."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .report_state import UNKNOWN_OUTLET, _readable, _Run
from .report_writer import _Writer

#: Most periods a trend chart should hold; ``trend_freq="auto"`` picks the finest
#: period length that stays under it.
MAX_PERIODS = 60
#: Period length -> approximate days, finest first.
_PERIOD_DAYS: dict[str, float] = {"D": 1, "W": 7, "M": 30.44, "Q": 91.3, "Y": 365.25}
_PERIOD_NAMES: dict[str, str] = {
    "D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year",
}


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
