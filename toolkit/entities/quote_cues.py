"""The words that attribute a quotation: reporting verbs, pronouns, titles, by language.

Only lexicons and the regular expressions made of them live here; the rules that use
them are in :mod:`toolkit.entities.quote_attribution`. A language without its own
lexicon is read with the English one (the quote marks still work; cues rarely match).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

#: English verbs of communication (rule 3 of tests/data/quotes/ANNOTATION.md) as written.
ENGLISH_CUES: tuple[str, ...] = (
    "said", "says", "say", "saying", "told", "tells", "tell", "telling",
    "added", "adds", "adding", "explained", "explains", "explaining",
    "noted", "notes", "noting", "argued", "argues", "arguing", "claimed", "claims",
    "insisted", "insists", "insisting", "warned", "warns", "announced", "announces",
    "acknowledged", "acknowledges", "admitted", "admits", "asked", "asks", "wrote", "writes",
    "tweeted", "stated", "states", "suggested", "suggests", "concluded", "concludes",
    "continued", "continues", "countered", "replied", "replies", "responded", "recalled",
    "recalls", "remarked", "reported", "reports", "confirmed", "confirms", "denied", "denies",
    "declared", "declares", "revealed", "reveals", "estimated", "estimates", "stressed",
    "stresses", "emphasised", "emphasized", "observed", "predicted", "predicts", "promised",
    "conceded", "concedes", "complained", "agreed", "disclosed", "divulged", "maintained",
    "maintains", "contended", "contends", "testified", "theorized", "theorised", "demanded",
    "vowed", "vows", "hinted", "hinting", "cautioned",
    "pointed out", "points out", "summed up",
)

#: Words between a speaker and its verb ("has said", "also told", "later added").
ENGLISH_AUXILIARIES: tuple[str, ...] = (
    "has", "have", "had", "also", "later", "then", "again", "further", "previously",
    "recently", "once", "earlier", "separately", "simply", "flatly", "repeatedly", "would",
    "will", "often", "just", "has also", "had also", "publicly", "privately", "openly",
)

#: What "according to" is in each language (the speaker follows it).
ACCORDING: dict[str, tuple[str, ...]] = {
    "en": ("according to",),
    "fr": ("selon", "d'après", "d’après"),
    "de": ("laut", "nach Angaben von", "zufolge"),
    "es": ("según",),
    "zh": ("据",),
}

#: Reporting verbs of the other languages with a lexicon (third person, as in news).
OTHER_CUES: dict[str, tuple[str, ...]] = {
    "fr": ("a déclaré", "a dit", "a affirmé", "a expliqué", "a ajouté", "a indiqué",
           "a souligné", "a estimé", "a précisé", "déclare", "dit", "affirme", "explique",
           "ajoute", "indique", "souligne", "estime", "précise", "assure", "a assuré"),
    "de": ("sagte", "sagt", "erklärte", "erklärt", "betonte", "betont", "so", "meinte",
           "fügte hinzu", "teilte mit"),
    "es": ("dijo", "afirmó", "declaró", "explicó", "añadió", "señaló", "aseguró", "indicó"),
    "zh": ("表示", "说", "称", "指出", "强调", "介绍", "透露", "坦言", "告诉", "回答"),
}

#: Pronouns a speaker can be written as, with the labels of the entities they can stand for.
PRONOUNS: dict[str, tuple[str, ...]] = {
    "he": ("PERSON",), "she": ("PERSON",), "him": ("PERSON",), "her": ("PERSON",),
    "they": ("ORG", "PERSON", "GPE", "NORP"), "it": ("ORG", "GPE"),
    "il": ("PERSON",), "elle": ("PERSON",), "er": ("PERSON",), "sie": ("PERSON",),
    "él": ("PERSON",), "ella": ("PERSON",), "他": ("PERSON",), "她": ("PERSON",),
}
#: First-person speakers: the writer or an interviewee the text does not name.
FIRST_PERSON = frozenset({"i", "we", "je", "nous", "ich", "wir", "yo", "我", "我们"})

#: Words that open a speaker description ("the ministry", "a spokesperson for X").
DETERMINERS = frozenset({
    "the", "a", "an", "one", "his", "her", "their", "its", "our", "some", "many", "several",
    "two", "three", "other", "another", "both", "most", "few", "these", "those", "this",
    "that", "officials", "police", "experts", "analysts", "researchers", "scientists",
    "critics", "sources", "residents", "authorities", "prosecutors", "investigators",
    "officers", "lawyers", "doctors", "economists", "witnesses", "organisers", "organizers",
    "others", "people", "students", "teachers", "parents", "users", "voters",
    "observers", "insiders", "aides", "allies", "opponents", "supporters",
})

#: Lower-case words allowed inside a speaker phrase before its verb ("Supervisor X of Y").
SPEAKER_LINKS = frozenset({
    "of", "for", "at", "from", "in", "de", "and", "the", "von", "van", "der", "da", "al",
    "bin", "le", "la", "du", "des", "di",
})

#: Lower-case words that end a speaker phrase after its verb ("said X on Monday").
SPEAKER_STOPS = frozenset({
    "on", "in", "at", "during", "after", "before", "when", "while", "who", "which", "that",
    "last", "yesterday", "today", "tonight", "as", "adding", "according", "to", "with",
    "about", "earlier", "later", "recently", "this", "told", "said", "by",
    "but", "and", "because", "since", "if", "than", "whose", "where", "via", "through",
    "under", "into", "over", "also",
})

#: Words that end a clause when scanning back from a verb for its subject.
CLAUSE_OPENERS = frozenset({
    "and", "but", "or", "as", "while", "when", "because", "although", "though", "so", "yet",
    "that", "which", "who", "where", "if", "since", "after", "before", "whereas", "meanwhile",
    "however", "also", "then", "now", "still",
})


@dataclass(frozen=True)
class Lexicon:
    """The compiled cue patterns of one language."""

    language: str
    cue: re.Pattern
    according: re.Pattern
    auxiliaries: frozenset[str]


def _alternation(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len,
                                                                          reverse=True))


@functools.lru_cache(maxsize=16)
def lexicon(language: str | None) -> Lexicon:
    """The cue patterns for ``language`` (an ISO 639-1 code; English when unknown or None)."""
    code = (language or "en").lower()[:2]
    code = code if code in OTHER_CUES else "en"
    words = ENGLISH_CUES if code == "en" else OTHER_CUES[code]
    if code == "zh":  # no word boundaries in Chinese
        cue = re.compile(f"(?:{_alternation(words)})")
        according = re.compile(f"(?:{_alternation(ACCORDING[code])})")
    else:
        # case-sensitive and lower case: "United States", "Added Banners" are no cues
        cue = re.compile(rf"(?<![\w'’-])(?:{_alternation(words)})(?![\w'’-])")
        according = re.compile(
            rf"(?<![\w-])(?:{_alternation(ACCORDING[code])})(?![\w-])", re.IGNORECASE
        )
    auxiliaries = frozenset(ENGLISH_AUXILIARIES) if code == "en" else frozenset()
    return Lexicon(code, cue, according, auxiliaries)
