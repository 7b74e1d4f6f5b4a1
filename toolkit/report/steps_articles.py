"""The first step of a run: read the sources into the articles frame."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from toolkit.report.config import UNKNOWN_OUTLET, RunConfig
from toolkit.report.results import ArticlesFiles, Note, Section, StepResult, Table

ARTICLES = Section(
    "articles",
    "Articles",
    "One row per input document. Only the rows with status ok are analysed; duplicates "
    "(exact or near copies of another page) are kept in the table but left out of the counts.",
)


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


def articles_step(inputs: Mapping[str, Any], config: RunConfig) -> StepResult:
    """Read ``inputs["sources"]``; give ``articles`` (with ``outlet``) and ``usable``."""
    from toolkit.ingest.read import read_articles
    from toolkit.schema import usable_articles

    articles = read_articles(
        inputs["sources"], progress=inputs["progress"], **config.ingest_kwargs()
    )
    articles = articles.assign(outlet=outlets(articles))
    usable = usable_articles(articles)
    result = StepResult(ARTICLES, outputs={"articles": articles, "usable": usable})
    result.add(ArticlesFiles(articles.drop(columns="outlet")))
    status = (
        articles["status"].value_counts().rename_axis("status").reset_index(name="documents")
    )
    result.add(Table(status, "status_counts", "Documents by status"))
    failed = articles.loc[~articles["status"].isin(["ok", "duplicate"])]
    if not failed.empty:
        result.add(Table(
            failed[["source_uri", "status", "error"]],
            "failed_inputs",
            "Inputs that could not be read",
            show=100,
            caption="Each of these documents has a row in articles.csv with its status and error.",
        ))
    if usable.empty:
        result.add(Note(
            "No document could be read (no row has status ok and some text): there are no "
            "terms, entities or networks below. See the failed inputs above.",
            kind="missing",
        ))
        return result
    columns = ["title", "outlet", "date", "date_source", "language", "n_words", "status"]
    view = articles[columns].assign(title=articles["title"].fillna(articles["source_uri"]))
    result.add(Table(
        articles[["article_id", *columns, "source_uri"]],
        "articles_overview",
        "Articles",
        view=view,
        show=50,
        caption="The full frame (text included) is in articles.parquet and articles.csv.",
    ))
    return result
