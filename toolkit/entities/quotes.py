"""Who said what: the quotes frame of an articles frame (:func:`extract_quotes`).

The rules are rule-based and read only the text and the mentions: quote marks
(:mod:`~toolkit.entities.quote_marks`), reporting verbs and speaker phrases
(:mod:`~toolkit.entities.quote_attribution`, :mod:`~toolkit.entities.quote_phrases`),
and the entity behind each speaker (:mod:`~toolkit.entities.quote_speakers`). No
parser runs, so quotations cost little next to the entity recognition they build on.
"""

from __future__ import annotations

import bisect
import logging

import pandas as pd
from tqdm.auto import tqdm

from toolkit.entities.mentions import extract_entities
from toolkit.entities.pairs import check_mentions
from toolkit.entities.quote_attribution import read_quotes
from toolkit.entities.quote_marks import paragraph_spans
from toolkit.entities.quote_speakers import ArticleMentions, resolve_speaker
from toolkit.entities.recognize import NEROptions
from toolkit.schema import string_ids, usable_articles
from toolkit.text.segments import iter_sentences

logger = logging.getLogger(__name__)

QUOTE_COLUMNS: tuple[str, ...] = (
    "article_id", "paragraph", "sentence", "start", "end", "quote", "kind", "cue", "speaker",
    "speaker_start", "speaker_end", "entity", "label", "why",
)
KINDS: tuple[str, ...] = ("direct", "indirect", "mixed")
_DTYPES = {
    "article_id": "str", "paragraph": "int64", "sentence": "int64", "start": "int64",
    "end": "int64", "quote": "str", "kind": "str", "cue": "str", "speaker": "str",
    "speaker_start": "Int64", "speaker_end": "Int64", "entity": "str", "label": "str",
    "why": "str",
}


def empty_quotes() -> pd.DataFrame:
    """A quotes frame with no rows (the columns and dtypes of :func:`extract_quotes`)."""
    return pd.DataFrame({c: pd.Series([], dtype=_DTYPES[c]) for c in QUOTE_COLUMNS})


def _article_rows(article_id: str, text: str, language, mentions: pd.DataFrame) -> list[dict]:
    layout = list(iter_sentences(text))
    sentences = [(start, end) for _, start, end in layout]
    found = read_quotes(text, sentences, language)
    if not found:
        return []
    starts = [start for start, _ in sentences]
    paragraph_starts = [start for start, _ in paragraph_spans(text)]

    def sentence_of(at: int) -> tuple[int, int]:
        return paragraph_of(at), max(bisect.bisect_right(starts, at) - 1, 0)

    def paragraph_of(at: int) -> int:
        return max(bisect.bisect_right(paragraph_starts, at) - 1, 0)

    quoted = [(q.start, q.end) for q in found]
    article_mentions = ArticleMentions(mentions, paragraph_of, quoted)
    resolved: dict[tuple[int, int], object] = {}
    speakers: list[tuple[int, str, str]] = []
    for span in sorted({q.speaker for q in found if q.speaker is not None}):
        resolved[span] = resolve_speaker(text, span, article_mentions, speakers)
        if resolved[span].entity is not None:
            speakers.append((span[0], resolved[span].entity, resolved[span].label))
    rows = []
    for quote in found:
        paragraph, sentence = sentence_of(quote.start)
        row = {
            "article_id": article_id, "paragraph": paragraph, "sentence": sentence,
            "start": quote.start, "end": quote.end, "quote": text[quote.start:quote.end],
            "kind": quote.kind, "cue": quote.cue, "speaker": None, "speaker_start": None,
            "speaker_end": None, "entity": None, "label": None, "why": None,
        }
        if quote.speaker is None:
            row["why"] = "no speaker found"
        else:
            start, end = quote.speaker
            found_entity = resolved[quote.speaker]
            end = found_entity.end or end
            row.update(speaker=text[start:end], speaker_start=start, speaker_end=end,
                       entity=found_entity.entity, label=found_entity.label,
                       why=found_entity.why)
        rows.append(row)
    return rows


def extract_quotes(
    articles: pd.DataFrame,
    *,
    mentions: pd.DataFrame | None = None,
    ner: NEROptions | None = None,
    text_col: str = "text",
    progress: bool = True,
) -> pd.DataFrame:
    """Find the quotations of every usable article: what was said, by whom, how.

    Direct quotations (between quote marks: curly, straight, guillemets, 「」 and
    “” in Chinese text, over several paragraphs), indirect ones ("X said (that) …",
    "according to X, …") and mixed ones (reported speech holding quoted words). Each
    gets its reporting verb (``cue``), the speaker as written and the entity it
    names, through the same alias resolution as the mentions: names, titles and
    appositions, pronouns (the nearest fitting PERSON or ORG named before) and
    definite descriptions ("the ministry": the ministry named before). Scare quotes
    around a word or short phrase are not quotations.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles frame; its usable rows are read (status ``ok``, some text).
        ``language`` (when present) picks the reporting verbs of each article.
    mentions : pandas.DataFrame, optional
        The mentions frame of these articles (:func:`extract_entities`); without
        it, :func:`extract_entities` runs first (with ``ner``).
    ner : NEROptions, optional
        The entity backend used when ``mentions`` is None; giving both is a
        ``ValueError``.
    text_col : str
        Text column of ``articles``.
    progress : bool
        Show a progress bar.

    Returns
    -------
    pandas.DataFrame
        The quotes frame, one row per quotation in article and text order:
        ``article_id``, ``paragraph``, ``sentence`` (numbered as
        :func:`toolkit.text.segment` does), ``start``, ``end`` (offsets of the
        quoted words in the text, without the quote marks), ``quote`` (the
        words), ``kind`` (``direct``, ``indirect``, ``mixed``), ``cue`` (the
        reporting verb or phrase in lower case, e.g. ``said``, ``according to``;
        NA for a quotation that goes on from the one before without a verb of its
        own), ``speaker`` (as written, e.g. ``he``, ``the ministry``),
        ``speaker_start``, ``speaker_end`` (its offsets; NA without a speaker),
        ``entity`` (canonical name, as in the mentions frame), ``label``
        (``PERSON``, ``ORG``, ``GPE``, ``NORP``), ``why`` (NA when ``entity`` is
        set; otherwise why it is not: a first-person speaker, a pronoun with no
        fitting name before it, a description not linked to an organisation, no
        named entity in the speaker). ``attrs`` carries the mentions' ``backend``
        and ``model``.

    Raises
    ------
    ValueError
        When ``articles`` is not an articles frame or lacks ``text_col``, when
        ``mentions`` lacks a mentions column, or when both ``mentions`` and
        ``ner`` are given.
    """
    usable = usable_articles(articles, text_col=text_col)
    if mentions is not None and ner is not None:
        raise ValueError("give mentions= or ner= (the backend used to find them), not both")
    if mentions is None:
        mentions = extract_entities(usable, ner=ner, text_col=text_col, progress=progress)
    check_mentions(mentions)
    attrs = {k: mentions.attrs[k] for k in ("backend", "model") if k in mentions.attrs}
    # the columns used, without attrs: pandas deep-copies attrs (the alias log) on every step
    columns = {c: mentions[c].to_numpy() for c in ("start", "end", "label", "entity",
                                                     "paragraph")}
    lean = pd.DataFrame(columns).assign(article_id=string_ids(mentions["article_id"]).to_numpy())
    by_article = dict(tuple(lean.groupby("article_id", sort=False)))
    none = lean.iloc[0:0]
    languages = usable["language"] if "language" in usable.columns else [None] * len(usable)
    rows: list[dict] = []
    for article_id, text, language in tqdm(
        zip(string_ids(usable["article_id"]), usable[text_col], languages, strict=True),
        total=len(usable), desc="quotes", unit="article", disable=not progress,
    ):
        language = language if isinstance(language, str) else None
        rows.extend(_article_rows(article_id, text, language, by_article.get(article_id, none)))
    frame = pd.DataFrame(rows, columns=list(QUOTE_COLUMNS)) if rows else empty_quotes()
    frame = frame.astype(_DTYPES)
    frame.attrs = attrs
    logger.info("%d quotations in %d articles", len(frame), frame["article_id"].nunique())
    return frame
