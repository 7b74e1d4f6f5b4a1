"""The NLTK backend: the perceptron tagger and the maxent chunker, typed by the gazetteers.

``pos_tag`` and the maxent NE chunker are loaded once. The typed (multiclass)
chunker is used when installed and its labels mapped to spaCy's
(ORGANIZATION -> ORG, LOCATION -> LOC, FACILITY -> FAC, GSP -> GPE). Otherwise
the binary chunker finds the names and the gazetteers type them
(:func:`toolkit.entities.aliases.types.form_label`: institutions and companies
ORG, known places GPE or LOC, full names with a given name PERSON, acronyms
ORG); a name they say nothing of keeps the generic label ``NE``, and the alias
rules type it further (a surname of a person named in the article is that
person). ``attrs["label_scheme"]`` says which: ``spacy`` or ``gazetteer``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from typing import Any

from toolkit.entities.backends import Recognizer, Span
from toolkit.entities.labels import BINARY_LABEL, NLTK_LABELS
from toolkit.resources import nltk_has, nltk_missing_hint, warn_once

_WORD = re.compile(r"\w+(?:[-'\u2019.]\w+)*|[^\w\s]")


def _word_spans(sentence: str) -> list[tuple[int, int]]:
    from nltk.tokenize import TreebankWordTokenizer

    try:
        return list(TreebankWordTokenizer().span_tokenize(sentence))
    except ValueError:  # Treebank rewrote a token it cannot align again
        return [m.span() for m in _WORD.finditer(sentence)]


def _tagger_tokens(sentence: str, spans: list[tuple[int, int]]) -> list[str]:
    """Tokens as the tagger was trained on them (straight double quotes as `` and '')."""
    tokens = []
    for start, end in spans:
        token = sentence[start:end]
        if token == '"':
            token = "``" if start == 0 or sentence[start - 1].isspace() else "''"
        tokens.append(token)
    return tokens


def _tree_spans(tree: Any, spans: list[tuple[int, int]]) -> list[Span]:
    out = []
    index = 0
    for node in tree:
        if hasattr(node, "label"):
            size = len(node.leaves())
            label = NLTK_LABELS.get(node.label(), node.label())
            out.append((spans[index][0], spans[index + size - 1][1], label))
            index += size
        else:
            index += 1
    return out


@functools.lru_cache(maxsize=1)
def nltk_recognizer() -> Recognizer:
    """Return the NLTK NER backend: perceptron tagger + maxent chunker, loaded once.

    Returns
    -------
    Recognizer
    """
    needed = ["averaged_perceptron_tagger_eng", "maxent_ne_chunker_tab", "words"]
    missing = [name for name in needed if not nltk_has(name)]
    if missing:
        raise RuntimeError("; ".join(nltk_missing_hint(name) for name in missing))
    import nltk
    from nltk.chunk import ne_chunker
    from nltk.tag import PerceptronTagger

    typed = nltk_has("maxent_ne_chunker_tab (multiclass)")
    if not typed:
        warn_once(
            "nltk:ne_chunker:multiclass",
            "the typed NLTK NE chunker (maxent_ne_chunker_tab/english_ace_multiclass) is not "
            "installed: NLTK entities are typed by the gazetteers ('NE' when they do not say)",
        )
    chunker = ne_chunker(fmt="multiclass" if typed else "binary")
    tagger = PerceptronTagger()
    label = (lambda text, found: found) if typed else _gazetteer_typer()

    def recognize(texts: Iterable[str], batch_size: int) -> Iterator[list[Span]]:
        for sentence in texts:
            spans = _word_spans(sentence)
            if not spans:
                yield []
                continue
            tagged = tagger.tag(_tagger_tokens(sentence, spans))
            yield [
                (start, end, label(sentence[start:end], found))
                for start, end, found in _tree_spans(chunker.parse(tagged), spans)
            ]

    scheme = "spacy" if typed else "gazetteer"
    model = "maxent_ne_chunker_tab/" + ("english_ace_multiclass" if typed else "english_ace_binary")
    return Recognizer("nltk", model, nltk.__version__, scheme, "sentence", (), recognize)


def _gazetteer_typer():
    """``label(text, found)``: the gazetteers' type of a binary chunk, else ``NE`` (cached)."""
    from toolkit.entities.aliases.names import canonical_name
    from toolkit.entities.aliases.types import form_label
    from toolkit.entities.gazetteers import gazetteer

    gaz = gazetteer()

    @functools.lru_cache(maxsize=1 << 16)
    def label(text: str, found: str) -> str:
        name = canonical_name(text, BINARY_LABEL)[0]
        return form_label(name, gaz) or found

    return label

