"""The evidence behind a pair: the sentences (or windows) where both entities are named."""

from __future__ import annotations

import difflib
import logging

import numpy as np
import pandas as pd

from toolkit.entities.aliases.names import LEADING_THE
from toolkit.entities.aliases.resolve import alias_log
from toolkit.entities.pairs import windows_of
from toolkit.schema import string_ids, usable_articles
from toolkit.text.segments import segment
from toolkit.vocab import WindowKind, check_window

logger = logging.getLogger(__name__)

EVIDENCE_COLUMNS = [
    "article_id",
    "paragraph",
    "sentence",
    "start",
    "end",
    "text",
    "title",
    "date",
    "url",
]


def entities_named(mentions: pd.DataFrame, name: str) -> set[str]:
    """The canonical entities ``name`` stands for.

    ``name`` may be an entity, any spelling of one written in the text ("Hou",
    "the United Nations"), or an alias of the merge log; case is ignored when
    the exact spelling is unknown.

    Raises
    ------
    ValueError
        When nothing matches (the message lists close entity names).
    """
    entities = pd.Index(mentions["entity"].unique())
    if name in entities:
        return {name}
    # Spans hold no article ("the United Nations" is the mention "United Nations").
    folded = {name.casefold(), LEADING_THE.sub("", name.strip()).casefold()}
    found = set(entities[entities.str.casefold().isin(folded)])
    found |= set(mentions.loc[mentions["text"].str.casefold().isin(folded), "entity"])
    log = alias_log(mentions)
    if len(log):
        found |= set(log.loc[log["alias"].str.casefold().isin(folded), "entity"]) & set(entities)
    if not found:
        close = difflib.get_close_matches(name, list(entities), n=5)
        raise ValueError(f"no entity named {name!r} in the mentions; close names: {close}")
    return found


def _window_spans(
    texts: dict[str, str], segments: pd.DataFrame, window: WindowKind | int
) -> pd.DataFrame:
    """Sentence or paragraph spans (article_id, paragraph, sentence, start, end) to look up."""
    if window == "paragraph":
        return (
            segments.groupby(["article_id", "paragraph"], sort=False)
            .agg(sentence=("sentence", "min"), start=("start", "min"), end=("end", "max"))
            .reset_index()
        )
    return segments[["article_id", "paragraph", "sentence", "start", "end"]]


def _expand_to_sentences(segments: pd.DataFrame, ids, starts, ends) -> tuple[list, list]:
    """Widen each (start, end) of an article to the sentences it touches."""
    bounds = {
        key: (group["start"].to_numpy(), group["end"].to_numpy())
        for key, group in segments.groupby("article_id", sort=False)
    }
    out_start, out_end = [], []
    for article_id, start, end in zip(ids, starts, ends, strict=True):
        sentence_starts, sentence_ends = bounds[article_id]
        first = max(int(np.searchsorted(sentence_starts, start, side="right")) - 1, 0)
        last = max(int(np.searchsorted(sentence_starts, end - 1, side="right")) - 1, 0)
        out_start.append(int(min(sentence_starts[first], start)))
        out_end.append(int(max(sentence_ends[last], end)))
    return out_start, out_end


def _mentions_in(mentions: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """The mentions of ``articles`` (numbered 0..n-1, str article ids)."""
    frame = mentions.assign(article_id=string_ids(mentions["article_id"]))
    inside = frame["article_id"].isin(articles["article_id"])
    if len(frame) and not inside.any():
        logger.warning(
            "none of the %d articles given holds a mention (mention ids such as %r); "
            "pass the articles the mentions come from",
            len(articles),
            frame["article_id"].iloc[0],
        )
    return frame[inside].reset_index(drop=True)


def evidence(
    mentions: pd.DataFrame,
    articles: pd.DataFrame,
    a: str,
    b: str,
    *,
    window: WindowKind | int = "sentence",
    text_col: str = "text",
) -> pd.DataFrame:
    """Return the windows in which both ``a`` and ``b`` are named, with their article's metadata.

    Parameters
    ----------
    mentions : pandas.DataFrame
        The mentions frame.
    articles : pandas.DataFrame
        The articles frame the mentions come from, or some of its rows: the
        evidence comes from the articles given (numeric ids match the str ids
        of the mentions; a repeated id is a ``ValueError``).
    a, b : str
        Entities, or any alias of them (see :func:`entities_named`).
    window : {"sentence", "paragraph", "article"} or int
        As in :func:`toolkit.entities.pairs.cooccurrence`; a token window is
        widened to the sentences it touches.
    text_col : str
        Text column of ``articles``.

    Returns
    -------
    pandas.DataFrame
        Columns ``article_id``, ``paragraph``, ``sentence`` (of the window's
        start; for "article" windows the first sentence), ``start``, ``end``
        (character offsets), ``text`` (the window's text), ``title``, ``date``,
        ``url``; in article order, then by offset; one row per distinct span.
    """
    window = check_window(window)
    wanted_a, wanted_b = entities_named(mentions, a), entities_named(mentions, b)
    articles = usable_articles(articles, text_col=text_col)
    frame = _mentions_in(mentions, articles)
    windows = windows_of(frame, window, articles=articles, text_col=text_col)
    entity = frame["entity"].to_numpy()[windows.row]
    has_a = np.zeros(windows.n_windows, dtype=bool)
    has_b = np.zeros(windows.n_windows, dtype=bool)
    has_a[windows.window[np.isin(entity, list(wanted_a))]] = True
    has_b[windows.window[np.isin(entity, list(wanted_b))]] = True
    chosen = np.flatnonzero(has_a & has_b)
    meta = articles.set_index("article_id")
    ids = windows.article_ids[windows.article[chosen]]
    subset = articles[articles["article_id"].isin(set(ids))]
    segments = segment(subset, text_col=text_col)
    texts = dict(zip(subset["article_id"], subset[text_col], strict=True))
    rows = _rows(frame, windows, chosen, ids, segments, texts, window)
    out = rows.assign(
        title=rows["article_id"].map(meta["title"]) if "title" in meta else None,
        date=rows["article_id"].map(meta["date"]) if "date" in meta else pd.NaT,
        url=rows["article_id"].map(meta["url"]) if "url" in meta else None,
    )
    return out[EVIDENCE_COLUMNS].reset_index(drop=True)


def _rows(frame, windows, chosen, ids, segments, texts, window) -> pd.DataFrame:
    anchors = frame.iloc[windows.anchor[chosen]]
    if window in ("sentence", "paragraph"):
        spans = _window_spans(texts, segments, window)
        keys = pd.DataFrame({"article_id": ids, window: anchors[window].to_numpy()})
        rows = keys.merge(spans, on=["article_id", window], how="left")
    elif window == "article":
        first = segments.drop_duplicates("article_id").set_index("article_id")
        rows = pd.DataFrame(
            {
                "article_id": ids,
                "paragraph": first["paragraph"].reindex(ids).to_numpy(),
                "sentence": first["sentence"].reindex(ids).to_numpy(),
                "start": 0,
                "end": [len(texts[i]) for i in ids],
            }
        )
    else:
        member = pd.DataFrame(
            {
                "window": windows.window,
                "start": frame["start"].to_numpy()[windows.row],
                "end": frame["end"].to_numpy()[windows.row],
            }
        )
        extent = (
            member[member["window"].isin(chosen)]
            .groupby("window")
            .agg(start=("start", "min"), end=("end", "max"))
            .reindex(chosen)
        )
        starts, ends = _expand_to_sentences(segments, ids, extent["start"], extent["end"])
        rows = pd.DataFrame(
            {
                "article_id": ids,
                "paragraph": anchors["paragraph"].to_numpy(),
                "sentence": anchors["sentence"].to_numpy(),
                "start": starts,
                "end": ends,
            }
        )
    rows = rows.drop_duplicates(["article_id", "start", "end"])
    text = [
        texts[i][s:e]
        for i, s, e in zip(rows["article_id"], rows["start"], rows["end"], strict=True)
    ]
    return rows.assign(text=pd.Series(text, index=rows.index, dtype="str")).astype(
        {"paragraph": "int64", "sentence": "int64", "start": "int64", "end": "int64"}
    )
