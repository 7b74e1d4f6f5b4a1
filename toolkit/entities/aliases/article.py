"""Per-article mention lists that the within-article rules edit, split from and joined to the frame.

:class:`Article` holds one article's mentions (and text) as plain lists;
:class:`Layout` numbers the paragraph and sentence of mentions the rules add
or move when the frame is rebuilt.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from toolkit.entities.aliases.names import keep_longest
from toolkit.text.segments import iter_sentences

MENTION_COLUMNS = [
    "article_id",
    "paragraph",
    "sentence",
    "start",
    "end",
    "text",
    "label",
    "entity",
    "backend",
]

_INT_COLUMNS = frozenset({"paragraph", "sentence", "start", "end"})
#: Article attribute -> mentions column.
_ARTICLE_FIELDS = {
    "paragraph": "paragraph",
    "sentence": "sentence",
    "start": "start",
    "end": "end",
    "surface": "text",
    "label": "label",
    "entity": "entity",
}


@dataclass
class Layout:
    """Sentence starts and paragraph numbers of one text, to number new mentions."""

    starts: np.ndarray
    paragraphs: np.ndarray

    @classmethod
    def of(cls, text: str) -> Layout:
        spans = list(iter_sentences(text))
        return cls(
            np.array([s for _, s, _ in spans], dtype=np.int64),
            np.array([p for p, _, _ in spans], dtype=np.int64),
        )

    def locate(self, offsets: Any) -> tuple[np.ndarray, np.ndarray]:
        """Return (paragraph, sentence) of each character offset (the sentence it falls in)."""
        offsets = np.asarray(offsets, dtype=np.int64)
        if not len(self.starts):
            zeros = np.zeros(len(offsets), dtype=np.int64)
            return zeros, zeros
        sentence = np.clip(np.searchsorted(self.starts, offsets, side="right") - 1, 0, None)
        return self.paragraphs[sentence], sentence


@dataclass
class Article:
    """The mentions of one article as plain lists, edited in place by the rules."""

    article_id: str
    text: str | None
    backend: str
    paragraph: list[int] = field(default_factory=list)
    sentence: list[int] = field(default_factory=list)
    start: list[int] = field(default_factory=list)
    end: list[int] = field(default_factory=list)
    surface: list[str] = field(default_factory=list)
    label: list[str] = field(default_factory=list)
    entity: list[str] = field(default_factory=list)

    def spans(self) -> list[tuple[int, int]]:
        return sorted(zip(self.start, self.end, strict=True))

    def add(self, start: int, end: int, label: str, entity: str) -> None:
        """Add a mention NER missed (numbered when the frame is rebuilt)."""
        self.paragraph.append(-1)
        self.sentence.append(-1)
        self.start.append(start)
        self.end.append(end)
        self.surface.append(self.text[start:end])
        self.label.append(label)
        self.entity.append(entity)

    def drop_overlaps(self) -> None:
        """Of mentions overlapping each other (the rules may add some), keep the longest."""
        spans = sorted(zip(self.start, self.end, strict=True))
        if all(s >= e for (_, e), (s, _) in zip(spans, spans[1:], strict=False)):
            return
        kept = keep_longest(self.start, self.end)
        for attribute in _ARTICLE_FIELDS:
            values = getattr(self, attribute)
            setattr(self, attribute, [values[i] for i in kept])

    def move(self, index: int, start: int, end: int) -> None:
        self.start[index], self.end[index] = start, end
        self.surface[index] = self.text[start:end]
        self.paragraph[index] = self.sentence[index] = -1


def overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    index = bisect.bisect_left(spans, (end, -1))
    return any(s < end and start < e for s, e in spans[max(0, index - 3) : index])


def free(article: Article, start: int, end: int) -> bool:
    return not any(s < end and start < e for s, e in zip(article.start, article.end, strict=True))


# --------------------------------------------------------------------------- frame
def split_articles(frame: pd.DataFrame, texts: dict[str, str]) -> list[Article]:
    """One :class:`Article` per article of ``frame`` (then of ``texts``), rows in frame order."""
    ids = frame["article_id"].to_numpy()
    columns = {c: frame[c].to_numpy().tolist() for c in [*_ARTICLE_FIELDS.values(), "backend"]}
    out: dict[str, Article] = {}
    for row, article_id in enumerate(ids.tolist()):
        art = out.get(article_id)
        if art is None:
            art = out[article_id] = Article(
                article_id, texts.get(article_id), str(columns["backend"][row])
            )
        for attribute, column in _ARTICLE_FIELDS.items():
            getattr(art, attribute).append(columns[column][row])
    for article_id, text in texts.items():
        if article_id not in out:
            out[article_id] = Article(article_id, text, "")
    return list(out.values())


def join_articles(articles: list[Article], layouts: dict[str, Layout]) -> pd.DataFrame:
    """Rebuild the mentions frame from the edited articles (numbering new or moved mentions)."""
    rows: dict[str, list] = {c: [] for c in MENTION_COLUMNS}
    for art in articles:
        if not art.start:
            continue
        if -1 in art.sentence:
            layout = layouts.get(art.article_id) or Layout.of(art.text)
            art.paragraph, art.sentence = (v.tolist() for v in layout.locate(art.start))
        n = len(art.start)
        rows["article_id"].extend([art.article_id] * n)
        rows["paragraph"].extend(art.paragraph)
        rows["sentence"].extend(art.sentence)
        rows["start"].extend(art.start)
        rows["end"].extend(art.end)
        rows["text"].extend(art.surface)
        rows["label"].extend(art.label)
        rows["entity"].extend(art.entity)
        rows["backend"].extend([art.backend] * n)
    return pd.DataFrame(
        {c: pd.Series(v, dtype="int64" if c in _INT_COLUMNS else "str") for c, v in rows.items()}
    )
