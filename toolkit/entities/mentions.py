"""The mentions frame in one call: recognition, then alias resolution.

In: the articles frame. Out: the mentions frame (one row per name as written,
with its canonical ``entity``). :func:`extract_entities` is
:func:`toolkit.entities.recognize.recognize_entities` followed by
:func:`toolkit.entities.aliases.resolve_aliases`, sharing the sentence layouts
the first computed so the second does not segment the articles again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.entities.aliases.resolve import AliasOptions, resolve
from toolkit.entities.labels import PLACE_LABEL, PLACES, resolve_labels
from toolkit.entities.recognize import Backend, NEROptions, ner_options, recognize

logger = logging.getLogger(__name__)


def extract_entities(
    articles: pd.DataFrame,
    *,
    ner: NEROptions | None = None,
    aliases: str | Path | pd.DataFrame | None = None,
    alias_options: AliasOptions | None = None,
    labels: Sequence[str] | str | None = None,
    merge_places: bool = False,
    text_col: str = "text",
    cache: bool = False,
    progress: bool = True,
    scheduler: Any = None,
    backend: Backend | None = None,
    model: str | None = None,
) -> pd.DataFrame:
    """Find the named entities of every usable article and give each its canonical name.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles frame; rows with status "ok" (when there is a status) and
        some text are used.
    ner : NEROptions, optional
        Backend ("auto", "spacy", "nltk"), spaCy model, batch size and the
        longest text given to the backend at once.
    aliases : str, Path or DataFrame, optional
        An alias table (CSV: alias, entity, label) applied on top of the rules
        of :func:`toolkit.entities.aliases.resolve_aliases`; its rows replace
        the built-in entries for the same aliases.
    alias_options : AliasOptions, optional
        Which alias rules run (``AliasOptions(link=False)``: no linking, only
        normalised names; ``common=False``: not the built-in table of common
        abbreviations).
    labels : sequence of str, optional
        Labels to keep (spaCy names, any case; ``PLACE`` stands for GPE and
        LOC; see :func:`toolkit.entities.labels.resolve_labels`). Default the
        named ones: PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, PRODUCT,
        WORK_OF_ART, LAW (and ``NE`` for the binary NLTK chunker). An unknown
        label is a ``ValueError``.
    merge_places : bool
        Label GPE and LOC mentions ``PLACE``.
    text_col : str
        Text column of ``articles``.
    cache : bool
        Serve unchanged articles from the on-disk cache (``toolkit.ingest.cache``;
        keyed by text hash, backend, model and version, options, toolkit
        version) and store new results there.
    progress : bool
        Show a progress bar.
    scheduler : distributed.Client or str, optional
        Recognise on a Dask cluster (a client, a cluster or a scheduler
        address; needs the Dask add-on); the model loads once per worker
        process. Alias resolution and everything after it runs here, so the
        result equals a local run's.
    backend, model : str, optional
        Shorthands for ``ner.backend`` and ``ner.model``.

    Returns
    -------
    pandas.DataFrame
        The mentions frame: ``article_id``, ``paragraph``, ``sentence``
        (numbered as :func:`toolkit.text.segment` does), ``start``, ``end``
        (character offsets into the article text), ``text`` (as written),
        ``label``, ``entity`` (canonical name), ``backend``; sorted by article
        and offset. ``attrs``: ``backend``, ``model``, ``model_version``,
        ``label_scheme`` ("spacy", or "gazetteer" for the
        binary NLTK chunker typed by the gazetteers), ``labels``, ``merge_places``,
        ``components``, ``gazetteers`` (package -> version of the gazetteers
        used), ``dropped`` (junk mentions dropped, by reason) and ``alias_log``
        (records of article_id, alias, entity,
        label, reason; :func:`toolkit.entities.aliases.alias_log` makes them a frame).
    """
    resolve_labels(labels, strict=False)  # a bad type fails before the model loads
    options = ner_options(ner, backend=backend, model=model)
    alias_options = AliasOptions() if alias_options is None else alias_options
    if not isinstance(alias_options, AliasOptions):
        raise ValueError(
            f"alias_options must be an AliasOptions, got {type(alias_options).__name__}"
        )
    found = recognize(
        articles,
        ner=options,
        labels=labels,
        merge_places=merge_places,
        text_col=text_col,
        cache=cache,
        progress=progress,
        scheduler=scheduler,
    )
    mentions = resolve(
        found.mentions,
        articles=articles,
        aliases=aliases,
        options=alias_options,
        text_col=text_col,
        layouts=found.layouts,
        clean=False,  # recognition trimmed the spans already
    )
    resolved = mentions.attrs
    mentions = mentions[mentions["label"].isin(found.wanted)]
    if merge_places:
        mentions = mentions.assign(
            label=mentions["label"].mask(mentions["label"].isin(PLACES), PLACE_LABEL)
        )
    mentions = mentions.reset_index(drop=True)
    mentions.attrs = {
        **found.attrs(),
        "merge_places": merge_places,
        "gazetteers": resolved.get("gazetteers", {}),
        "dropped": resolved.get("dropped", {}),
        "alias_log": resolved.get("alias_log", []),
    }
    logger.info(
        "%d mentions in %d articles (%s)", len(mentions), found.n_articles, found.recognizer.model
    )
    return mentions
