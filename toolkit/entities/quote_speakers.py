"""From a speaker as written to the entity it names, through the article's mentions.

The mentions are those of :func:`toolkit.entities.extract_entities`, so a speaker gets
the same canonical ``entity`` (and label) as the names it is made of. In order:

1. **A name in the phrase.** The mentions inside the speaker phrase: its last PERSON
   ("Foreign Ministry spokesman Lu Kang" is Lu Kang), else its first ORG, GPE or NORP
   ("a spokesperson for OpenAI" is OpenAI). A modifier after the person's name
   ("Hou from the Counterterrorism Bureau") is cut from the speaker as written.
2. **A pronoun.** he / she: the last PERSON quoted before it in the same paragraph or
   the three before (news goes on quoting the person it introduced), else the nearest
   PERSON named before it outside quotations; they: the same with ORG, PERSON, GPE or
   NORP; it: with ORG or GPE. I and we are left unresolved (first person).
3. **A definite description.** "the ministry" is the nearest organisation named before
   whose name holds the head noun (the Ministry of Public Security).
4. **A name the recogniser missed.** A capitalised speaker whose last word is a word of
   a PERSON (else ORG) entity of the article.

Otherwise the speaker stays unresolved and ``why`` says which rule had nothing to use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.entities.quote_cues import FIRST_PERSON, PRONOUNS
from toolkit.entities.quote_phrases import is_capitalised, words

#: Labels a speaker can have, in the order a phrase holding several picks them.
SPEAKER_LABELS: tuple[str, ...] = ("PERSON", "ORG", "GPE", "NORP")
#: How many paragraphs back a pronoun looks for its antecedent.
PRONOUN_REACH = 3

_POST_MODIFIER = re.compile(r"\s+(?:from|of|at|with)\s")

WHY_FIRST_PERSON = "first-person speaker"
WHY_PRONOUN = "pronoun with no fitting name before it"
WHY_DESCRIPTION = "description not linked to an organisation named before"
WHY_NO_NAME = "no named entity in the speaker"


@dataclass
class Resolution:
    entity: str | None
    label: str | None
    why: str | None
    end: int | None = None  # where the speaker as written ends, when a modifier is cut


class ArticleMentions:
    """One article's mentions (sorted by offset), with the spans that hold quoted words."""

    def __init__(self, mentions: pd.DataFrame, paragraph_of, quoted: list[tuple[int, int]]):
        mentions = mentions.sort_values("start", kind="stable")
        self.start = mentions["start"].to_numpy(dtype=np.int64)
        self.end = mentions["end"].to_numpy(dtype=np.int64)
        self.label = mentions["label"].astype(str).to_numpy()
        self.entity = mentions["entity"].astype(str).to_numpy()
        self.paragraph = mentions["paragraph"].to_numpy(dtype=np.int64)
        self.quoted = quoted
        self.paragraph_of = paragraph_of

    def _outside_quotes(self, i: int) -> bool:
        return not any(a <= self.start[i] and self.end[i] <= b for a, b in self.quoted)

    def inside(self, start: int, end: int) -> list[int]:
        return [i for i in range(np.searchsorted(self.start, start), len(self.start))
                if self.start[i] < end and self.end[i] <= end]

    def nearest_before(self, at: int, labels, *, reach: int | None = None,
                       head: str | None = None) -> int | None:
        lowest = None if reach is None else self.paragraph_of(at) - reach
        for i in range(np.searchsorted(self.end, at, side="right") - 1, -1, -1):
            if lowest is not None and self.paragraph[i] < lowest:
                return None
            if self.label[i] not in labels or self.end[i] > at:
                continue
            if head is not None and head not in self.entity[i].lower().split():
                continue
            if self._outside_quotes(i):
                return i
        return None

    def by_word(self, word: str) -> int | None:
        """The most mentioned PERSON (else ORG) entity of the article with ``word`` in its name."""
        for label in ("PERSON", "ORG"):
            hits = [i for i in range(len(self.entity)) if self.label[i] == label
                    and word.lower() in self.entity[i].lower().replace(".", "").split()]
            if hits:
                names = pd.Series(self.entity[hits])
                best = names.value_counts().index[0]
                return next(i for i in hits if self.entity[i] == best)
        return None


def _last_speaker(at: int, labels, mentions: ArticleMentions, speakers) -> tuple | None:
    """The speaker resolved last before ``at`` with a fitting label, within reach."""
    lowest = mentions.paragraph_of(at) - PRONOUN_REACH
    for start, entity, label in reversed(speakers):
        if start < at and label in labels and mentions.paragraph_of(start) >= lowest:
            return entity, label
    return None


def resolve_speaker(
    text: str, span: tuple[int, int], mentions: ArticleMentions, speakers: list | None = None
) -> Resolution:
    """The entity of the speaker ``text[span[0]:span[1]]`` (see the module docstring).

    ``speakers`` lists the ``(start, entity, label)`` of the speakers resolved before
    in the article; a pronoun goes to the last of them that fits, else to the nearest
    fitting name.
    """
    start, end = span
    phrase = text[start:end]
    inside = [i for i in mentions.inside(start, end) if mentions.label[i] in SPEAKER_LABELS]
    if inside:
        people = [i for i in inside if mentions.label[i] == "PERSON"]
        chosen = people[-1] if people else min(
            inside, key=lambda i: SPEAKER_LABELS.index(mentions.label[i])
        )
        # "Hou from the Counterterrorism Bureau" is written as Hou: the modifier is cut
        cut = None
        if people and _POST_MODIFIER.match(text, int(mentions.end[chosen]), end):
            cut = int(mentions.end[chosen])
        return Resolution(mentions.entity[chosen], mentions.label[chosen], None, cut)
    lower = phrase.lower()
    if lower in FIRST_PERSON:
        return Resolution(None, None, WHY_FIRST_PERSON)
    if lower in PRONOUNS:
        last = _last_speaker(start, PRONOUNS[lower], mentions, speakers or [])
        if last is not None:
            return Resolution(*last, None)
        found = mentions.nearest_before(start, PRONOUNS[lower], reach=PRONOUN_REACH)
        if found is None:
            return Resolution(None, None, WHY_PRONOUN)
        return Resolution(mentions.entity[found], mentions.label[found], None)
    tokens = words(text, start, end)
    if not tokens:
        return Resolution(None, None, WHY_NO_NAME)
    if not is_capitalised(tokens[0][2]) or tokens[0][2].lower() == "the":
        head = _head_noun(tokens)
        if head is not None:
            found = mentions.nearest_before(start, ("ORG",), head=head)
            if found is not None:
                return Resolution(mentions.entity[found], mentions.label[found], None)
        return Resolution(None, None, WHY_DESCRIPTION)
    capitals = [t[2] for t in tokens if is_capitalised(t[2])]
    found = mentions.by_word(capitals[-1].rstrip(".")) if capitals else None
    if found is not None:
        return Resolution(mentions.entity[found], mentions.label[found], None)
    return Resolution(None, None, WHY_NO_NAME)


def _head_noun(tokens) -> str | None:
    """The head of a description: its last word before "of"/"for"/"at" ("the ministry")."""
    head = None
    for _, _, word in tokens:
        if word.lower() in ("of", "for", "at", "from", "in"):
            break
        head = word.lower()
    if head is None or head in ("the", "a", "an"):
        return None
    return head.rstrip("s") if head.endswith("ies") is False and head.endswith("s") else head
