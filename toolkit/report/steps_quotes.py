"""The quotation step of a run: who is quoted, by which outlets, alongside whom."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolkit.report.config import UNKNOWN_OUTLET, RunConfig
from toolkit.report.results import Figure, Note, Section, StepResult, Table

QUOTES = Section(
    "quotes",
    "Quotations",
    "Who is quoted, how often, by which outlets. Direct quotations (between quote marks), "
    "indirect ones (“X said that …”, “according to X”) and mixed ones (reported speech "
    "holding quoted words), each with its reporting verb and speaker; the speaker is linked "
    "to the entity it names (pronouns to the person or organisation named before, “the "
    "ministry” to the ministry named before). Measured on a hand-annotated set of 412 "
    "quotations (tests/data/quotes): about nine in ten quotations found are right, three in "
    "four of the quotations there are found (bench/quotes.py).",
)


def quotes_step(inputs: Mapping[str, Any], config: RunConfig) -> StepResult:
    """Find the quotations of the articles the entities were found in; give ``quotes``."""
    from toolkit.entities.quote_tables import (
        coquotation,
        quote_counts,
        quote_evidence,
        quote_shares,
    )
    from toolkit.entities.quotes import extract_quotes
    from toolkit.plots import plot_quotes

    usable, mentions = inputs["usable"], inputs["mentions"]
    if usable.empty:
        return StepResult(outputs={"quotes": None})
    result = StepResult(QUOTES, outputs={"quotes": None})
    if mentions is None:
        result.add(Note("No entities were recognised: no speakers to link quotations to.",
                        kind="missing"))
        return result
    languages = config.ner_languages
    texts = usable if languages is None else usable.loc[
        usable["language"].isin(languages) | usable["language"].isna()]
    quotes = extract_quotes(texts, mentions=mentions, progress=False)
    result.outputs["quotes"] = quotes
    if quotes.empty:
        result.add(Note("No quotation was found in the readable articles.", kind="missing"))
        return result
    kinds = quotes["kind"].value_counts()
    result.record["quotes"] = {k: int(v) for k, v in kinds.items()}
    named = texts.assign(outlet=texts["outlet"].astype(str))
    counts = quote_counts(quotes, articles=named, by="outlet")
    counts = counts.loc[counts["outlet"] != UNKNOWN_OUTLET] if counts["outlet"].nunique() > 1 \
        else counts
    overall = quote_counts(quotes)
    result.add(
        Figure(plot_quotes, counts, {"n": 15}, "quotes_by_speaker",
               "Most quoted speakers, by outlet", data=counts,
               caption="Quotations per speaker (the entity their speaker names), each bar "
               "split by the outlets that quote them (the six with most quotations; the rest "
               "grey)."),
        Table(overall, "quote_counts", "Quotations per speaker",
              caption=f"Every speaker entity with its quotations by kind; "
              f"{overall.attrs['unresolved']} quotation(s) have a speaker that names no "
              "entity (“a source”, “I”, a description)."),
        Table(counts, "quote_counts_by_outlet", "Quotations per speaker and outlet", show=0),
        Table(quote_shares(quotes, articles=named, by="outlet"), "quote_shares",
              "Share of quotations by speaker type and outlet", show=30,
              caption="Which kinds of speaker each outlet quotes: people, organisations, "
              "places (governments), groups, or speakers that name no entity."),
        Table(quotes, "quotes", "Quotations", show=10,
              view=quotes[["kind", "cue", "speaker", "entity", "quote"]],
              caption="Every quotation with its offsets, kind, cue, speaker and entity; why a "
              "speaker is unresolved is in the why column."),
    )
    pairs = coquotation(quotes)
    if pairs.empty:
        result.add(Note("No article quotes two named speakers: no co-quotation pairs."))
    else:
        result.add(Table(pairs, "coquotation", "Quoted alongside each other",
                         caption="Pairs of speakers quoted in the same article, with the "
                         "measures of the co-occurrence pairs."))
    top = overall["entity"].iloc[0] if len(overall) else None
    if top is not None:
        rows = quote_evidence(quotes, named, top)
        result.add(Table(rows, "quotes_top_speaker", f"What {top} is quoted saying",
                         view=rows[["title", "kind", "quote"]], show=15,
                         caption="The quotations of the most quoted speaker, with their "
                         "article."))
    return result
