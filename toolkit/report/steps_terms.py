"""The term steps of a run: term counts, tf-idf, keyness, collocations, KWIC and trends."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from toolkit.report.config import UNKNOWN_OUTLET, RunConfig
from toolkit.report.results import Figure, Note, Section, StepResult, Table

#: Most periods a trend chart should hold; ``trend_freq="auto"`` picks the finest
#: period length that stays under it.
MAX_PERIODS = 60
#: Period length -> approximate days, finest first.
PERIOD_DAYS: dict[str, float] = {"D": 1, "W": 7, "M": 30.44, "Q": 91.3, "Y": 365.25}
PERIOD_NAMES: dict[str, str] = {
    "D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year",
}

TERMS = Section(
    "terms",
    "Terms",
    "This section leads with the distinctive terms: the words these articles use far more "
    "often than general language does (keyness against word frequencies of the articles' "
    "own languages, from wordfreq), which say what the corpus is about. The most frequent "
    "terms come next, beside them: raw counts put everyday words (“like”, “new”, “time”) "
    "first. Words are counted without stopwords (the list of each article's language, plus "
    "reporting verbs and fillers such as “said” and “also”), numbers and one-letter words. "
    "The terms followed over time are the most distinctive ones.",
)
#: How many distinctive terms are followed over time (and in KWIC) by default.
FOLLOWED = 5


def distinctive_terms(keyness: pd.DataFrame, n: int = FOLLOWED) -> list[str]:
    """The ``n`` terms most overused against general language (q < 0.05, largest G²).

    Only terms seen at least twice qualify, so a single odd token is not followed
    over time.
    """
    if keyness.empty:
        return []
    rows = keyness.loc[(keyness["log_ratio"] > 0) & (keyness["q"] < 0.05)
                       & (keyness["count_target"] >= 2)]
    rows = rows.sort_values(["g2", "term"], ascending=[False, True], kind="stable")
    return list(rows["term"].head(n))


def terms_step(inputs: Mapping[str, Any], config: RunConfig) -> StepResult:
    """Distinctive terms, then term counts overall, by outlet and as bigrams.

    Gives ``counts`` and the followed ``terms`` (``config.terms``, else the most
    distinctive terms, else the most frequent ones).
    """
    from toolkit.plots import plot_distinctive_terms, plot_top_terms
    from toolkit.text.counts import term_counts
    from toolkit.text.keywords import keyness

    usable = inputs["usable"]
    if usable.empty:
        return StepResult(outputs={"counts": None, "terms": []})
    result = StepResult(TERMS)
    counts = term_counts(usable, **config.term_kwargs())
    if counts.empty:
        result.add(Note("The readable articles hold no countable words.", kind="missing"))
        result.outputs.update(counts=counts, terms=[])
        return result
    top_n = config.top_n
    general = keyness(usable, reference="general", **config.term_kwargs())
    distinctive = distinctive_terms(general)
    terms = list(config.terms or distinctive or counts["term"].head(FOLLOWED))
    result.outputs.update(counts=counts, terms=terms)
    result.record["followed_terms"] = terms
    result.record["followed_terms_from"] = (
        "config" if config.terms else "distinctive" if distinctive else "most frequent")
    result.record["general_reference"] = general.attrs.get("reference")
    if general.empty:
        result.add(Note("No article is in a language with general word frequencies "
                        "(wordfreq): no distinctive terms.", kind="missing"))
    else:
        overused = general.loc[general["log_ratio"] > 0]
        result.add(
            Figure(plot_distinctive_terms, general, {"n": top_n}, "distinctive_terms",
                   "Distinctive terms (against general language)",
                   data=overused.head(top_n),
                   caption="Left: the words used most above their rate in general language "
                   "(log-likelihood G², significant at Benjamini–Hochberg q < 0.05), the bar "
                   "the log₂ ratio of the two rates (each unit doubles it), the count after "
                   "it. Right: the most frequent words, by raw count; grey ones are not "
                   "distinctive."),
            Table(overused, "distinctive_terms", "Distinctive terms",
                  view=overused[["term", "count_target", "count_reference", "log_ratio", "g2",
                                 "q"]],
                  caption="Words overused against general language, by G²: count_target is "
                  "the raw count here, count_reference the expected count in 10⁹ words of "
                  f"general text ({general.attrs.get('reference', 'wordfreq')})."),
        )
        left_out = general.attrs.get("left_out") or {}
        if left_out:
            listed = ", ".join(f"{k} {v}" for k, v in left_out.items())
            result.add(Note(f"Articles in languages without general word frequencies "
                            f"({listed}) are left out of the distinctive terms."))
    result.add(
        Figure(plot_top_terms, counts, {"n": top_n, "title": "Most frequent terms"},
               "top_terms", "Most frequent terms", data=counts.head(top_n),
               caption="The most frequent words of the whole corpus, by raw count (everyday "
               "words included: compare with the distinctive terms above)."),
        Table(counts, "top_terms", "Top terms"),
    )
    by_outlet = term_counts(usable, by="outlet", **config.term_kwargs())
    named = by_outlet.loc[by_outlet["outlet"].ne(UNKNOWN_OUTLET)]
    if named["outlet"].nunique() > 1:
        result.add(Figure(
            plot_top_terms, named, {"n": 10, "title": "Most frequent terms by outlet"},
            "top_terms_by_outlet", "Most frequent terms by outlet",
            data=named.groupby("outlet", sort=False).head(10),
            caption="One panel per outlet (at most six: the outlets with the most words).",
        ))
    else:
        result.add(Note("The readable articles do not come from two or more named outlets: "
                        "no comparison between outlets."))
    unnamed = int(usable["outlet"].eq(UNKNOWN_OUTLET).sum())
    if unnamed:
        result.add(Note(
            f"{unnamed} readable article(s) name no outlet (no site name, no URL): they are "
            f"grouped as {UNKNOWN_OUTLET} in the tables and left out of the outlet comparisons."
        ))
    result.add(Table(
        by_outlet, "top_terms_by_outlet", "Top terms by outlet",
        view=_largest_groups_first(by_outlet.groupby("outlet", sort=False).head(5)),
        show=60, caption="The five most frequent terms of each outlet, the outlets with the "
        "most words first.",
    ))
    # padding: a bigram never joins two words that had a stopword between them.
    bigrams = term_counts(usable, ngram=2, padding=True, **config.term_kwargs())
    if not bigrams.empty:
        result.add(Figure(
            plot_top_terms, bigrams, {"n": top_n, "title": "Most frequent bigrams"},
            "top_bigrams", "Most frequent bigrams", data=bigrams.head(top_n),
            caption="Pairs of adjacent words within a sentence (no stopword in or between them).",
        ))
    result.add(Table(bigrams, "bigrams", "Top bigrams"))
    return result


def _largest_groups_first(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a by-outlet term table, outlets by their words (unknown outlet last)."""
    totals = table.groupby("outlet")["count"].sum().drop(UNKNOWN_OUTLET, errors="ignore")
    order = [*totals.sort_index().sort_values(ascending=False, kind="stable").index]
    rank = {outlet: i for i, outlet in enumerate(order)}
    return table.sort_values("outlet", key=lambda s: s.map(rank).fillna(len(rank)), kind="stable")


def _has_counts(inputs: Mapping[str, Any]) -> bool:
    counts = inputs["counts"]
    return counts is not None and not counts.empty


def tfidf_step(inputs: Mapping[str, Any], config: RunConfig) -> StepResult:
    """The five terms of each article with the highest tf-idf."""
    from toolkit.text.weights import tfidf

    result = StepResult()
    if not _has_counts(inputs):
        return result
    usable = inputs["usable"]
    weights = tfidf(usable, **config.term_kwargs())
    top = weights.groupby("article_id", sort=False).head(5)
    meta = usable[["article_id", "title", "outlet"]]
    top = meta.merge(top, on="article_id", how="inner")
    view = (
        top.groupby(["article_id", "title", "outlet"], sort=False, dropna=False)["term"]
        .agg(", ".join)
        .reset_index(name="distinctive terms")
        .drop(columns="article_id")
    )
    result.add(Table(top, "tfidf_top", "Distinctive terms per article (tf-idf)", view=view,
                     show=30, caption="The five terms with the highest tf-idf in each article: "
                     "frequent there, rare in the other articles."))
    if len(usable) == 1:
        result.add(Note("With one article, tf-idf ranks terms by their count only (every idf "
                        "is equal)."))
    return result


def groups_problem(usable: pd.DataFrame, groups: tuple[str, ...] | None) -> str | None:
    """Why the outlets of ``RunConfig.keyness_outlets`` cannot be compared, or None."""
    if not groups:
        return None
    named = usable["outlet"]
    absent = [g for g in groups if not named.eq(g).any()]
    if absent:
        known = ", ".join(sorted(named.unique())[:10])
        return f"no readable article is from {absent[0]!r} (keyness_outlets); outlets: {known}"
    if len(groups) == 1 and named.eq(groups[0]).all():
        return f"every readable article is from {groups[0]!r}: there is nothing to compare"
    return None


def keyness_split(
    usable: pd.DataFrame, groups: tuple[str, ...] | None = None
) -> tuple[pd.Series, pd.Series, str, str] | None:
    """Target and reference masks with their names, or None when there is one article.

    ``groups`` (``RunConfig.keyness_outlets``, checked by :func:`groups_problem`): one
    outlet against every other article, or the first outlet against the second. Else
    the two largest named outlets when both have at least two articles (one article
    is one voice, not an outlet's vocabulary); else the later and the earlier half of
    the dated articles; else the second and the first half of the articles.
    """
    if groups:
        target = usable["outlet"].eq(groups[0])
        if len(groups) == 2:
            return target, usable["outlet"].eq(groups[1]), groups[0], groups[1]
        return target, ~target, groups[0], "the other outlets"
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


def keyness_step(inputs: Mapping[str, Any], config: RunConfig) -> StepResult:
    """Key terms of one group of articles against another (outlets, else periods)."""
    from toolkit.plots import plot_keyness
    from toolkit.text.keywords import keyness

    result = StepResult()
    if not _has_counts(inputs):
        return result
    usable = inputs["usable"]
    problem = groups_problem(usable, config.keyness_outlets)
    split = None if problem else keyness_split(usable, config.keyness_outlets)
    if split is None:
        why = problem or "this corpus has one article"
        result.add(Note(f"Keyness compares two groups of articles; {why}.", kind="missing"))
        return result
    target, reference, target_name, reference_name = split
    result.record["keyness_groups"] = [target_name, reference_name]
    table = keyness(usable, target=target, reference=reference, **config.term_kwargs())
    sizes = f"{int(target.sum())} and {int(reference.sum())} articles"
    result.add(
        Figure(
            plot_keyness, table,
            {"n": 15, "target_label": target_name, "reference_label": reference_name},
            "keyness", f"Key terms: {target_name} vs {reference_name}",
            data=table.loc[table["q"] < 0.05],
            caption=f"Terms used more in {target_name} (right) or {reference_name} (left; "
            f"{sizes}) than chance would give (log-likelihood G², significant at "
            "Benjamini–Hochberg q < 0.05 over all the terms compared); bar length is "
            "the log₂ ratio of their relative frequencies. The groups are the outlets "
            "chosen (keyness_outlets), else the two largest outlets when both have two "
            "articles or more, else the later and earlier half of the dated articles.",
        ),
        Table(table, "keyness", f"Keyness: {target_name} vs {reference_name}",
              caption=f"Target: {target_name}; reference: {reference_name}. Positive "
              "log_ratio: overused in the target."),
    )
    return result


def collocations_step(inputs: Mapping[str, Any], config: RunConfig) -> StepResult:
    """Adjacent word pairs ranked by log-likelihood."""
    from toolkit.text.phrases import collocations

    result = StepResult()
    if not _has_counts(inputs):
        return result
    least = config.collocation_min_count
    times = {1: "once", 2: "twice"}.get(least, f"{least} times")
    table = collocations(inputs["usable"], measure="g2", min_count=least, **config.term_kwargs())
    if table.empty:
        result.add(Note(f"No pair of words occurs together {times}: no collocations.",
                        kind="missing"))
    result.add(Table(table, "collocations", "Collocations (log-likelihood)",
                     caption=f"Adjacent word pairs seen at least {times}, ranked by how much "
                     "more often they occur together than their own frequencies predict."))
    return result


def kwic_step(inputs: Mapping[str, Any], config: RunConfig) -> StepResult:
    """Every occurrence of the first followed term, in context."""
    from toolkit.text.concordance import kwic

    result = StepResult()
    if not inputs["terms"]:
        return result
    usable = inputs["usable"]
    term = inputs["terms"][0]
    lines = kwic(usable, term, width=8)
    lines = lines.merge(usable[["article_id", "title"]], on="article_id", how="left")
    result.add(Table(lines, "kwic", f"Keyword in context: “{term}”",
                     view=lines[["title", "left", "keyword", "right"]], show=25,
                     caption=f"Every occurrence of the first followed term (the most "
                     f"distinctive unless terms were chosen), “{term}”, with eight words on "
                     "each side."))
    return result


def choose_freq(dates: pd.Series, wanted: str) -> str:
    """``wanted``, or for "auto" the finest period giving fewer than MAX_PERIODS periods."""
    if wanted != "auto":
        return wanted
    span_days = max((dates.max() - dates.min()).total_seconds() / 86400, 0.0)
    for freq, days in PERIOD_DAYS.items():
        if span_days / days < MAX_PERIODS:
            return freq
    return "Y"


def trends_step(inputs: Mapping[str, Any], config: RunConfig) -> StepResult:
    """The followed terms over time, and where they occur in the corpus."""
    from toolkit.plots import plot_dispersion, plot_term_trends
    from toolkit.text.trends import dispersion, term_trends

    result = StepResult()
    terms = inputs["terms"]
    if not terms:
        return result
    usable = inputs["usable"]
    dates = usable["date"].dropna()
    if dates.empty:
        result.add(Note("No readable article has a date: no trends over time.", kind="missing"))
    else:
        freq = choose_freq(dates, config.trend_freq)
        result.record["trend_period"] = freq
        trends = term_trends(usable, terms, freq=freq, progress=False)
        result.add(
            Figure(plot_term_trends, trends,
                   {"title": f"Distinctive terms per {PERIOD_NAMES[freq]}"},
                   "term_trends", "Distinctive terms over time", data=trends,
                   caption=f"Each term's share of the words published per {PERIOD_NAMES[freq]}; "
                   "grey bars: the number of dated articles in that period."),
            Table(trends, "term_trends", "Trends", view=trends.loc[trends["count"] > 0],
                  caption="The periods in which each term occurs (the file has every period)."),
        )
        undated = trends.attrs.get("undated_articles", 0)
        if undated:
            result.add(Note(f"{undated} readable article(s) have no date and are left out of "
                            "the trends."))
        if dates.nunique() == 1:
            result.add(Note("Every dated article has the same date: the trend is a single "
                            "period."))
    positions = dispersion(usable, terms, progress=False)
    result.add(
        Figure(plot_dispersion, positions, {"terms": terms}, "dispersion", "Lexical dispersion",
               data=positions, caption="Where each followed term occurs, the articles laid end to "
               "end in table order (faint lines: article starts)."),
        Table(positions, "dispersion", "Dispersion", show=0,
              caption="Each occurrence of the followed terms with its token position."),
    )
    return result
