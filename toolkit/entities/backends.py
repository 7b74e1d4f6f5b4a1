"""What every NER backend gives: a :class:`Recognizer` and its spans (shared by the backends)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

#: A recognised span: (start, end, label) in the text given to the backend.
Span = tuple[int, int, str]


@dataclass(frozen=True)
class Recognizer:
    """A loaded NER backend.

    Attributes
    ----------
    backend : str
        ``spacy`` or ``nltk``.
    model : str
        Pipeline package (spaCy) or chunker (``maxent_ne_chunker_tab/binary``...).
    version : str
        Its version.
    label_scheme : str
        ``spacy`` (OntoNotes labels), ``binary`` (NLTK's ``NE`` only) or
        ``gazetteer`` (NLTK's chunks typed by the gazetteers, ``NE`` when they
        do not say).
    unit : str
        What is fed to ``recognize``: ``paragraph`` (spaCy) or ``sentence`` (NLTK).
    components : tuple of str
        The spaCy components that run (empty for NLTK).
    recognize : callable
        ``recognize(texts, batch_size)`` yields one list of (start, end, label) per text.
    labels : tuple of str
        The labels its NER gives, when it says (a spaCy pipeline's may go beyond
        :data:`SPACY_LABELS`).
    """

    backend: str
    model: str
    version: str
    label_scheme: str
    unit: str
    components: tuple[str, ...]
    recognize: Callable[[Iterable[str], int], Iterator[list[Span]]]
    labels: tuple[str, ...] = ()

