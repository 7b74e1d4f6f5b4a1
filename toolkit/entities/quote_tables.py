"""What the quotes frame says in tables: who is quoted, by whom, with whom.

- :func:`quote_counts`: quotations per speaker entity (and per outlet or any article
  column), split by kind;
- :func:`quote_shares`: the share of quotations by the speaker's entity type;
- :func:`coquotation`: speakers quoted in the same article (or paragraph), with the
  association measures of :func:`toolkit.entities.cooccurrence`, which counts them;
- :func:`quote_evidence`: the quotations of one speaker (or of two quoted together),
  with their article's title, date and outlet.
"""

from __future__ import annotations

import pandas as pd

from toolkit.entities.pairs import cooccurrence
from toolkit.entities.quotes import KINDS, QUOTE_COLUMNS
from toolkit.vocab import check_choice, check_positive_int

#: The label of the quotations whose speaker names no entity.
UNRESOLVED = "unresolved"
#: Windows a co-quotation can be counted in.
QUOTE_WINDOWS: tuple[str, ...] = ("article", "paragraph")


def _check_quotes(quotes) -> None:
    if not isinstance(quotes, pd.DataFrame):
        raise ValueError(f"expected the quotes frame of extract_quotes, got "
                         f"{type(quotes).__name__}")
    missing = [c for c in QUOTE_COLUMNS if c not in quotes.columns]
    if missing:
        raise ValueError(f"the quotes frame lacks column(s) {missing} (see extract_quotes)")


def _with_group(quotes: pd.DataFrame, articles: pd.DataFrame | None, by: str | None):
    """The quotes with the article column ``by`` joined on (None: no group)."""
    if by is None:
        return quotes, []
    if articles is None:
        raise ValueError(f"by={by!r} names an article column: pass articles= too")
    if by not in articles.columns:
        raise ValueError(f"by={by!r} is not a column of the articles; columns are "
                         f"{list(articles.columns)}")
    if by in quotes.columns:
        raise ValueError(f"by={by!r} is already a column of the quotes frame")
    first = articles.drop_duplicates("article_id")
    values = first.set_index(first["article_id"].astype(str))[by]
    return quotes.assign(**{by: quotes["article_id"].astype(str).map(values)}), [by]


def quote_counts(
    quotes: pd.DataFrame, *, articles: pd.DataFrame | None = None, by: str | None = None
) -> pd.DataFrame:
    """Count the quotations of each speaker entity, overall or per article group.

    Parameters
    ----------
    quotes : pandas.DataFrame
        The quotes frame (:func:`toolkit.entities.extract_quotes`).
    articles : pandas.DataFrame, optional
        The articles frame; needed with ``by``.
    by : str, optional
        An article column to count within (``"sitename"``: quotations per outlet).

    Returns
    -------
    pandas.DataFrame
        Columns ``[by]``, ``entity``, ``label``, ``quotes``, ``direct``,
        ``indirect``, ``mixed`` (int64), ``n_articles`` (articles quoting them);
        quotations whose speaker names no entity are left out (their number is
        ``attrs["unresolved"]``). Sorted by group, then ``-quotes``, then entity.
    """
    _check_quotes(quotes)
    frame, groups = _with_group(quotes, articles, by)
    resolved = frame.loc[frame["entity"].notna()]
    keys = [*groups, "entity", "label"]
    kinds = pd.crosstab([resolved[k] for k in keys], resolved["kind"]).reindex(
        columns=list(KINDS), fill_value=0)
    table = kinds.assign(
        quotes=kinds.sum(axis=1),
        n_articles=resolved.groupby(keys)["article_id"].nunique(),
    ).reset_index()
    table = table[[*keys, "quotes", *KINDS, "n_articles"]].astype(
        {c: "int64" for c in ("quotes", *KINDS, "n_articles")})
    table = table.sort_values([*groups, "quotes", "entity"],
                              ascending=[*[True] * len(groups), False, True], kind="stable")
    table = table.reset_index(drop=True)
    table.columns.name = None
    table.attrs["unresolved"] = int(frame["entity"].isna().sum())
    return table


def quote_shares(
    quotes: pd.DataFrame, *, articles: pd.DataFrame | None = None, by: str | None = None
) -> pd.DataFrame:
    """The share of quotations by the type of their speaker (person, organisation, ...).

    Parameters
    ----------
    quotes : pandas.DataFrame
        The quotes frame.
    articles : pandas.DataFrame, optional
        The articles frame; needed with ``by``.
    by : str, optional
        An article column to compute the shares within.

    Returns
    -------
    pandas.DataFrame
        Columns ``[by]``, ``label`` (``PERSON``, ``ORG``, ``GPE``, ``NORP`` or
        ``unresolved``), ``quotes`` (int64), ``share`` (of the group's quotations);
        sorted by group, then ``-quotes``, then label.
    """
    _check_quotes(quotes)
    frame, groups = _with_group(quotes, articles, by)
    frame = frame.assign(label=frame["label"].fillna(UNRESOLVED).astype(str))
    table = frame.groupby([*groups, "label"], dropna=False).size().rename("quotes").reset_index()
    totals = table.groupby(groups)["quotes"].transform("sum") if groups else table["quotes"].sum()
    table = table.assign(share=table["quotes"] / totals)
    table = table.sort_values([*groups, "quotes", "label"],
                              ascending=[*[True] * len(groups), False, True], kind="stable")
    return table.astype({"quotes": "int64", "share": "float64"}).reset_index(drop=True)


def coquotation(
    quotes: pd.DataFrame, *, window: str = "article", min_count: int = 1
) -> pd.DataFrame:
    """Who is quoted alongside whom: pairs of speakers quoted in the same article.

    Each resolved speaker of each quotation is a mention at its attribution; the
    pairs and their measures are those of :func:`toolkit.entities.cooccurrence`
    on those mentions.

    Parameters
    ----------
    quotes : pandas.DataFrame
        The quotes frame.
    window : {"article", "paragraph"}, default "article"
        Quoted in the same article, or in the same paragraph.
    min_count : int, default 1
        Keep pairs quoted together in at least this many windows.

    Returns
    -------
    pandas.DataFrame
        The pairs frame of :func:`toolkit.entities.cooccurrence`: ``entity_a`` <
        ``entity_b``, ``label_a``, ``label_b``, ``count`` (windows quoting both),
        ``n_articles``, ``pmi``, ``npmi``, ``g2``, ``jaccard``, ``dice``.
    """
    _check_quotes(quotes)
    check_choice("window", window, QUOTE_WINDOWS)
    check_positive_int("min_count", min_count)
    speakers = quotes.loc[quotes["entity"].notna()]
    start = speakers["speaker_start"].fillna(speakers["start"]).astype("int64")
    mentions = pd.DataFrame({
        "article_id": speakers["article_id"].astype(str),
        "paragraph": speakers["paragraph"].astype("int64"),
        "sentence": speakers["sentence"].astype("int64"),
        "start": start,
        "end": speakers["speaker_end"].fillna(speakers["end"]).astype("int64"),
        "label": speakers["label"].astype(str),
        "entity": speakers["entity"].astype(str),
    }).sort_values(["article_id", "start"], kind="stable").reset_index(drop=True)
    return cooccurrence(mentions, window=window, min_count=min_count)


def quote_evidence(
    quotes: pd.DataFrame, articles: pd.DataFrame, entity: str, *, other: str | None = None
) -> pd.DataFrame:
    """The quotations of ``entity`` (with ``other``: of both, in the articles quoting both).

    Parameters
    ----------
    quotes : pandas.DataFrame
        The quotes frame.
    articles : pandas.DataFrame
        The articles frame (``title``, ``date``, ``sitename``, ``url`` are joined on
        when present).
    entity : str
        A speaker entity (as in the ``entity`` column).
    other : str, optional
        A second entity: only the articles quoting both, and the quotations of both.

    Returns
    -------
    pandas.DataFrame
        Columns ``article_id``, ``title``, ``date``, ``sitename``, ``url``,
        ``paragraph``, ``entity``, ``speaker``, ``kind``, ``cue``, ``quote``; in
        article order, then by offset.
    """
    _check_quotes(quotes)
    wanted = [entity] if other is None else [entity, other]
    known = set(quotes["entity"].dropna())
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise ValueError(f"{unknown} not among the quoted entities (the entity column)")
    rows = quotes.loc[quotes["entity"].isin(wanted)]
    if other is not None:
        both = rows.groupby("article_id")["entity"].nunique()
        rows = rows.loc[rows["article_id"].isin(both.index[both == 2])]
    meta_columns = [c for c in ("title", "date", "sitename", "url") if c in articles.columns]
    meta = articles.drop_duplicates("article_id")
    meta = meta[["article_id", *meta_columns]].assign(article_id=meta["article_id"].astype(str))
    out = rows.assign(article_id=rows["article_id"].astype(str)).merge(
        meta, on="article_id", how="left")
    for column in ("title", "date", "sitename", "url"):
        if column not in out.columns:
            out[column] = None
    out = out.sort_values(["article_id", "start"], kind="stable")
    return out[["article_id", "title", "date", "sitename", "url", "paragraph", "entity",
                "speaker", "kind", "cue", "quote"]].reset_index(drop=True)
