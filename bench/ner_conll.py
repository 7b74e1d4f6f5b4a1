"""Score toolkit.extract_entities on CoNLL-2003 dev against the same spaCy model run directly.

The data is read at run time from ../shared/ner/conll2003_dev.txt (never copy it).
Each sentence is detokenised to text (token offsets kept). Two granularities:

- **documents**: each ``-DOCSTART-`` document is one article whose paragraphs
  are its sentences, so the within-article rules (surnames, acronyms, one type
  per entity) can work, and the corpus rules see 216 articles;
- **sentences**: each sentence is an article of its own (no document context).

Systems, at each granularity:

- ``toolkit spacy``: ``extract_entities(articles, backend="spacy")`` (all rules on);
- ``toolkit spacy (no aliases)``: ``AliasOptions(link=False)`` (NER only, spans trimmed);
- ``toolkit spacy (no recasing)``: ``NEROptions(recase=False)`` (headlines fed as written);
- ``spacy direct``: ``spacy.load(model)`` (full pipeline) and ``nlp.pipe`` on the
  same texts (a document's text, or each sentence);
- ``toolkit nltk``: ``extract_entities(articles, backend="nltk")`` (binary
  chunker typed by the gazetteers when the typed chunker is not installed).

Labels map PERSON -> PER, ORG -> ORG, GPE/LOC -> LOC; others are ignored and
gold MISC is left out of the typed score: exact-span micro P/R/F1 over
PER/ORG/LOC. The untyped score counts a predicted span of any named label
(``NE`` included) that equals a gold span of any type (MISC included).

Usage::

    python bench/ner_conll.py [--data ../shared/ner/conll2003_dev.txt] [--limit N]
        [--skip-nltk] [--skip-sentences]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NLTK_DATA", str(ROOT.parent / "shared" / "nltk_data"))

from toolkit.entities import AliasOptions, NEROptions, extract_entities  # noqa: E402
from toolkit.entities.labels import NAMED_LABELS  # noqa: E402
from toolkit.resources import find_spacy_model  # noqa: E402
from toolkit.schema import conform_articles  # noqa: E402

TYPED = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}
NO_SPACE_BEFORE = {".", ",", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "n't", "'"}
NO_SPACE_AFTER = {"(", "[", "{", "$"}


@dataclass
class Document:
    """A CoNLL document: its text (sentences joined by newlines) and gold spans."""

    sentences: list[str] = field(default_factory=list)
    gold: set[tuple[int, int, str]] = field(default_factory=set)

    @property
    def text(self) -> str:
        return "\n".join(self.sentences)


def detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Join tokens as running text; return the text and each token's (start, end)."""
    text, spans, quote_open = "", [], False
    for index, token in enumerate(tokens):
        glue = index == 0 or token in NO_SPACE_BEFORE or tokens[index - 1] in NO_SPACE_AFTER
        if token == '"':
            glue = index == 0 or quote_open
            quote_open = not quote_open
        elif index and tokens[index - 1] == '"' and quote_open:
            glue = True  # right after an opening quote
        if not glue:
            text += " "
        spans.append((len(text), len(text) + len(token)))
        text += token
    return text, spans


def read_conll(path: Path) -> list[Document]:
    """Documents with gold (start, end, type) spans in document-text offsets (IOB2 tags)."""
    documents: list[Document] = []
    tokens: list[str] = []
    tags: list[str] = []

    def close_sentence() -> None:
        if not tokens:
            return
        if not documents:
            documents.append(Document())
        document = documents[-1]
        offset = len(document.text) + (1 if document.sentences else 0)
        sentence, spans = detokenize(tokens)
        document.sentences.append(sentence)
        start = kind = None
        for (token_start, _), tag, index in zip(spans, [*tags], range(len(tags)), strict=True):
            if tag.startswith("B-") or tag == "O":
                if kind is not None:
                    document.gold.add((offset + start, offset + spans[index - 1][1], kind))
                start, kind = (token_start, tag[2:]) if tag != "O" else (None, None)
        if kind is not None:
            document.gold.add((offset + start, offset + spans[-1][1], kind))
        tokens.clear()
        tags.clear()

    for line in path.read_text("utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            close_sentence()
            documents.append(Document())
        elif not line.strip():
            close_sentence()
        else:
            parts = line.split(" ")
            tokens.append(parts[0])
            tags.append(parts[-1])
    close_sentence()
    return [d for d in documents if d.sentences]


def score(predicted: set, gold: set) -> tuple[float, float, float]:
    hits = len(predicted & gold)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return 100 * precision, 100 * recall, 100 * f1


def evaluate(name: str, spans: set[tuple[int, int, int, str]], documents: list[Document]) -> dict:
    """Typed (PER/ORG/LOC) and untyped scores of (doc, start, end, label) predictions."""
    gold = {(i, s, e, k) for i, d in enumerate(documents) for s, e, k in d.gold}
    gold_typed = {g for g in gold if g[3] != "MISC"}
    typed = {(i, s, e, TYPED[label]) for i, s, e, label in spans if label in TYPED}
    untyped = {(i, s, e) for i, s, e, label in spans if label in NAMED_LABELS or label == "NE"}
    p, r, f = score(typed, gold_typed)
    up, ur, uf = score(untyped, {g[:3] for g in gold})
    return {
        "system": name,
        "typed_P": p,
        "typed_R": r,
        "typed_F1": f,
        "untyped_P": up,
        "untyped_R": ur,
        "untyped_F1": uf,
    }


def toolkit_spans(articles: pd.DataFrame, **options) -> set[tuple[int, int, int, str]]:
    labels = [*NAMED_LABELS, "NE"]
    mentions = extract_entities(articles, labels=labels, progress=False, **options)
    index = {a: i for i, a in enumerate(articles["article_id"])}
    return {
        (index[a], s, e, label)
        for a, s, e, label in zip(
            mentions["article_id"],
            mentions["start"],
            mentions["end"],
            mentions["label"],
            strict=True,
        )
    }


def direct_spans(documents: list[Document]) -> set[tuple[int, int, int, str]]:
    """spaCy's full pipeline run directly (``nlp.pipe``) on each document's text."""
    import spacy

    nlp = spacy.load(find_spacy_model().name)
    spans = set()
    for i, doc in enumerate(nlp.pipe(d.text for d in documents)):
        spans |= {(i, e.start_char, e.end_char, e.label_) for e in doc.ents}
    return spans


def sentence_documents(documents: list[Document]) -> list[Document]:
    """Each sentence of ``documents`` as a document of its own (gold spans moved with it)."""
    out = []
    for document in documents:
        offset = 0
        for sentence in document.sentences:
            end = offset + len(sentence)
            gold = {(s - offset, e - offset, k) for s, e, k in document.gold if offset <= s < end}
            out.append(Document([sentence], gold))
            offset = end + 1
    return out


def as_articles(documents: list[Document]) -> pd.DataFrame:
    return conform_articles(
        pd.DataFrame(
            {
                "article_id": [f"doc{i:05d}" for i in range(len(documents))],
                "text": [d.text for d in documents],
                "status": "ok",
            }
        )
    )


def systems(documents: list[Document], skip_nltk: bool) -> list[tuple[str, object]]:
    articles = as_articles(documents)
    runs = [
        ("toolkit spacy", lambda: toolkit_spans(articles, backend="spacy")),
        (
            "toolkit spacy (no aliases)",
            lambda: toolkit_spans(
                articles, backend="spacy", alias_options=AliasOptions(link=False)
            ),
        ),
        (
            "toolkit spacy (no recasing)",
            lambda: toolkit_spans(articles, ner=NEROptions(backend="spacy", recase=False)),
        ),
        ("spacy direct", lambda: direct_spans(documents)),
    ]
    if not skip_nltk:
        runs.append(("toolkit nltk", lambda: toolkit_spans(articles, backend="nltk")))
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/ner/conll2003_dev.txt")
    parser.add_argument("--limit", type=int, default=None, help="first N documents only")
    parser.add_argument("--skip-nltk", action="store_true")
    parser.add_argument("--skip-sentences", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    documents = read_conll(args.data)[: args.limit]
    n_sentences = sum(len(d.sentences) for d in documents)
    n_gold = sum(len(d.gold) for d in documents)
    print(f"{len(documents)} documents, {n_sentences} sentences, {n_gold} gold entities")
    print(f"spaCy model: {find_spacy_model()}")
    levels = [("documents", documents)]
    if not args.skip_sentences:
        levels.append(("sentences", sentence_documents(documents)))
    rows = []
    for level, docs in levels:
        for name, run in systems(docs, args.skip_nltk):
            began = time.perf_counter()
            spans = run()
            row = evaluate(name, spans, docs)
            row["level"] = level
            row["seconds"] = time.perf_counter() - began
            rows.append(row)
    table = pd.DataFrame(rows).set_index(["level", "system"])
    print(table.round(2).to_string())
    for level, _ in levels:
        ours = table.loc[(level, "toolkit spacy"), "typed_F1"]
        direct = table.loc[(level, "spacy direct"), "typed_F1"]
        print(
            f"{level}: typed F1 toolkit {ours:.2f} vs spaCy direct {direct:.2f} "
            f"(difference {ours - direct:+.2f})"
        )
    ours = table.loc[("documents", "toolkit spacy"), "typed_F1"]
    direct = table.loc[("documents", "spacy direct"), "typed_F1"]
    return 0 if ours >= direct - 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
