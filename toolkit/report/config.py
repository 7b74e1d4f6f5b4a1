"""One run's configuration: every option of ``toolkit run``, checked once and recorded.

The command line (or a script) builds a :class:`RunConfig` once; ``run_report``
and its steps read it and nothing else, and ``report.json`` records it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

from toolkit.extract.page import ExtractOptions
from toolkit.sources.fetch import FetchOptions
from toolkit.vocab import WINDOWS, check_choice, check_positive_int

TrendFreq = Literal["auto", "D", "W", "M", "Q", "Y"]
TREND_FREQS: tuple[str, ...] = ("auto", "D", "W", "M", "Q", "Y")
FIGURE_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
BACKENDS: tuple[str, ...] = ("auto", "spacy", "nltk")
TOPIC_METHODS: tuple[str, ...] = ("nmf", "lda")

#: Token options of the report's term tables: numbers and one-letter words are noise
#: in a first look at a corpus (page numbers, phone numbers, initials).
REPORT_TOKEN_OPTIONS: dict[str, Any] = {"numbers": "drop", "min_length": 2}
#: Words added to each language's stopword list by default: the reporting verbs and
#: fillers that top every English news corpus and say nothing about its subject.
NEWS_STOPWORDS: frozenset[str] = frozenset(
    {"said", "says", "say", "told", "also", "would", "could", "one"}
)
UNKNOWN_OUTLET = "(unknown outlet)"

#: Keywords ``RunConfig.build`` takes besides the fields: shorthands of the option objects.
SHORTHANDS: tuple[str, ...] = ("max_bytes", "favor", "fetch_options")


@dataclass(frozen=True)
class RunConfig:
    """The options of one ``toolkit run`` (checked when made; a bad one is a ``ValueError``).

    Attributes
    ----------
    workers : int
        Worker processes extracting pages, then recognising entities.
    timeout : float or None
        Seconds one page may take to load and extract.
    cache : bool
        Reuse page extractions and entity recognitions from the on-disk cache
        and store new ones there.
    extract : ExtractOptions
        How pages are extracted (as ``read_articles``).
    fetch : FetchOptions
        How URLs are fetched, and the size cap of every page.
    top_n : int
        Rows shown per table in index.html and bars in the top-terms charts.
    terms : tuple of str or None
        Terms to follow in the trends, dispersion and KWIC (the first); default
        the five most frequent terms.
    stopwords : str, set, tuple or None
        Stopwords of the term tables, as in ``term_counts``; default each
        article's language's list plus :data:`NEWS_STOPWORDS`.
    keyness_outlets : tuple of str or None
        The outlets keyness compares: one (against every other readable article)
        or two (the first against the second); default the two largest outlets,
        else the later against the earlier half of the dated articles.
    collocation_min_count : int
        Word pairs seen fewer times are left out of the collocations.
    window : {"sentence", "paragraph", "article"}
        Co-occurrence window.
    pair_min_count : int
        Entity pairs named together in fewer windows are left out of the pairs,
        the heatmap and the network.
    trend_freq : {"auto", "D", "W", "M", "Q", "Y"}
        Period of the trends; ``auto`` picks the finest that gives fewer than 60
        periods over the corpus' date range.
    network_top : int
        Edges drawn in the network chart (the exported graph holds every pair).
    backend : {"auto", "spacy", "nltk"}
        Entity recognition backend.
    model : str or None
        The spaCy pipeline to use (e.g. ``en_core_web_sm``); default the installed one.
    labels : tuple of str or None
        Entity labels kept (e.g. ``PERSON``, ``ORG``, ``GPE``); default every label.
    ner_languages : tuple of str or None
        Language codes of the articles given to entity recognition (default
        English, the language of the installed models; articles without a
        language are included); None gives it every article.
    formats : tuple of {"png", "svg", "pdf"}
        Chart formats; PNG is always written (index.html shows it).
    n_topics : int
        Topics of the topic model (fewer when there are too few articles).
    topic_method : {"nmf", "lda"}
        The topic model.
    """

    workers: int = 2
    timeout: float | None = 30.0
    cache: bool = False
    extract: ExtractOptions = field(default_factory=ExtractOptions)
    fetch: FetchOptions = field(default_factory=FetchOptions)
    top_n: int = 20
    terms: tuple[str, ...] | None = None
    stopwords: Any = ("auto", NEWS_STOPWORDS)
    keyness_outlets: tuple[str, ...] | None = None
    collocation_min_count: int = 2
    window: str = "sentence"
    pair_min_count: int = 1
    trend_freq: str = "auto"
    network_top: int = 40
    backend: str = "auto"
    model: str | None = None
    labels: tuple[str, ...] | None = None
    ner_languages: tuple[str, ...] | None = ("en",)
    formats: tuple[str, ...] = FIGURE_FORMATS
    n_topics: int = 8
    topic_method: str = "nmf"

    def __post_init__(self) -> None:
        from toolkit.text.tokens.stopwords import as_stopwords

        check_positive_int("workers", self.workers)
        timeout = self.timeout
        if timeout is not None and (
            isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0
        ):
            raise ValueError(
                f"timeout must be a positive number of seconds or None, got {timeout!r}"
            )
        if not isinstance(self.cache, bool):
            raise ValueError(f"cache must be True or False, got {self.cache!r}")
        if not isinstance(self.extract, ExtractOptions):
            raise ValueError(f"extract must be an ExtractOptions, got {self.extract!r}")
        if not isinstance(self.fetch, FetchOptions):
            raise ValueError(f"fetch must be a FetchOptions, got {self.fetch!r}")
        check_positive_int("top_n", self.top_n)
        check_positive_int("network_top", self.network_top)
        check_positive_int("collocation_min_count", self.collocation_min_count)
        check_positive_int("pair_min_count", self.pair_min_count)
        if self.model is not None and (not isinstance(self.model, str) or not self.model):
            raise ValueError(f"model must be a spaCy pipeline name or None, got {self.model!r}")
        names = {"keyness_outlets": self.keyness_outlets, "labels": self.labels}
        for name, value in names.items():
            if value is not None and (
                isinstance(value, str) or not all(isinstance(v, str) and v for v in value)
            ):
                raise ValueError(f"{name} must be a list of names or None, got {value!r}")
        groups = self.keyness_outlets
        if groups is not None and len(groups) not in (1, 2):
            raise ValueError(
                "keyness_outlets takes one outlet (against all the others) or two (the first "
                f"against the second), got {list(groups)!r}"
            )
        check_choice("window", self.window, WINDOWS)
        check_choice("trend_freq", self.trend_freq, TREND_FREQS)
        check_choice("backend", self.backend, BACKENDS)
        check_positive_int("n_topics", self.n_topics)
        check_choice("topic_method", self.topic_method, TOPIC_METHODS)
        terms = self.terms
        if terms is not None and (isinstance(terms, str) or not all(str(t).strip() for t in terms)):
            raise ValueError(f"terms must be a list of non-empty words or phrases, got {terms!r}")
        languages = self.ner_languages
        if isinstance(languages, str) or (
            languages is not None and not all(isinstance(c, str) for c in languages)
        ):
            raise ValueError(f"ner_languages must be a list of language codes or None, "
                             f"got {languages!r}; e.g. ['en']")
        if isinstance(self.formats, str):
            raise ValueError(f"formats must be a list such as ['png', 'svg'], got {self.formats!r}")
        formats = tuple(dict.fromkeys(["png", *self.formats]))
        for fmt in formats:
            check_choice("formats", fmt, FIGURE_FORMATS)
        as_stopwords(self.stopwords)  # a typo must fail now, not after the ingest
        object.__setattr__(self, "terms", tuple(terms) if terms else None)
        for name, value in names.items():
            object.__setattr__(self, name, None if value is None else tuple(value))
        object.__setattr__(self, "ner_languages", None if languages is None else tuple(languages))
        object.__setattr__(self, "formats", formats)

    @classmethod
    def build(cls, base: RunConfig | None = None, **options: Any) -> RunConfig:
        """A configuration from ``base`` (default the defaults) and keyword options.

        Parameters
        ----------
        base : RunConfig, optional
            Options already chosen; a keyword that contradicts one of them (a
            field ``base`` sets to other than its default) is a ``ValueError``.
        **options
            Fields of :class:`RunConfig`, and the shorthands ``max_bytes``,
            ``favor`` and ``fetch_options`` of ``read_articles``.

        Returns
        -------
        RunConfig
        """
        from toolkit.ingest.read import build_options

        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(options) - names - set(SHORTHANDS))
        if unknown:
            raise ValueError(
                f"unknown run option(s) {unknown}; valid: {sorted(names | set(SHORTHANDS))}"
            )
        if base is not None:
            if not isinstance(base, RunConfig):
                raise ValueError(f"config must be a RunConfig, got {type(base).__name__}")
            defaults = cls()
            for name, value in options.items():
                # a field the config left at its default is not a choice to contradict
                held = getattr(base, name) if name in names else None
                if name in names and held != getattr(defaults, name) and value != held:
                    raise ValueError(
                        f"{name}={value!r} conflicts with config.{name}="
                        f"{getattr(base, name)!r}; set it in one place"
                    )
        fields = {name: options[name] for name in names if name in options}
        shorthand = {k: options[k] for k in SHORTHANDS if k in options}
        if shorthand or "extract" in fields or "fetch" in fields:
            ingest = build_options(
                extract=fields.get("extract", base.extract if base else None),
                fetch=fields.get("fetch", base.fetch if base else None),
                **shorthand,
            )
            fields.update(extract=ingest.extract, fetch=ingest.fetch)
        if base is None:
            return cls(**fields)
        return dataclasses.replace(base, **fields)

    def ingest_kwargs(self) -> dict[str, Any]:
        """The keywords of ``read_articles`` this configuration sets."""
        return {
            "workers": self.workers,
            "timeout": self.timeout,
            "cache": self.cache,
            "extract": self.extract,
            "fetch": self.fetch,
        }

    def as_record(self) -> dict[str, Any]:
        """The options as JSON-ready values (for ``report.json``)."""
        record = {f.name: jsonable(getattr(self, f.name)) for f in dataclasses.fields(self)}
        record["extract"] = jsonable(dataclasses.asdict(self.extract))
        record["fetch"] = jsonable(dataclasses.asdict(self.fetch))
        return {
            **record,
            "stopwords": _stopwords_record(self.stopwords),
            "token_options": REPORT_TOKEN_OPTIONS,
        }

    def term_kwargs(self) -> dict[str, Any]:
        """The keywords of the term functions (stopwords and token options, no bars)."""
        return {"stopwords": self.stopwords, "progress": False, **REPORT_TOKEN_OPTIONS}


def _stopwords_record(spec: Any) -> Any:
    """A stopwords argument as JSON (sets sorted, so the record is stable)."""
    if spec is None or isinstance(spec, str):
        return spec
    if isinstance(spec, tuple):
        return [_stopwords_record(part) for part in spec]
    if isinstance(spec, set | frozenset | list):
        return sorted(map(str, spec))
    return repr(spec)


def jsonable(value: Any) -> Any:
    """``value`` as JSON-ready data: containers as lists and dicts, numpy scalars as numbers."""
    import numpy as np

    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
