"""The tokenizer: NLTK-grade tokens, the options, n-grams and sentences."""

from __future__ import annotations

import difflib
import json
import logging

import pandas as pd
import pytest
from nltk import word_tokenize
from nltk.corpus import stopwords as nltk_stopwords
from nltk.stem import WordNetLemmatizer
from nltk.stem.snowball import SnowballStemmer

from toolkit import resources
from toolkit.schema import conform_articles
from toolkit.text.tokens import expand as tokens_expand
from toolkit.text.tokens import rules as tokens_rules
from toolkit.text.tokens import tokenizer as tokens
from toolkit.text.tokens.tokenizer import Stopwords, token_spans, tokenize


def surfaces(text: str) -> list[str]:
    return [s[0] for s in token_spans(text)]


def nltk_tokens(text: str) -> list[str]:
    """word_tokenize per paragraph (the toolkit never joins paragraphs), quotes as written."""
    out = []
    for paragraph in text.split("\n"):
        out += ['"' if t in ("``", "''") else t for t in word_tokenize(paragraph)]
    return out


def agreement(ours: list[str], theirs: list[str]) -> tuple[int, int, int]:
    matcher = difflib.SequenceMatcher(None, ours, theirs, autojunk=False)
    return sum(b.size for b in matcher.get_matching_blocks()), len(ours), len(theirs)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Don't stop, we can't.", ["Do", "n't", "stop", ",", "we", "ca", "n't", "."]),
        (
            "John's officials' rock'n'roll O'Brien",
            ["John", "'s", "officials", "'", "rock'n'roll", "O'Brien"],
        ),
        (
            "I'm sure they've left; she'll see",
            ["I", "'m", "sure", "they", "'ve", "left", ";", "she", "'ll", "see"],
        ),
        ("You cannot, gonna", ["You", "can", "not", ",", "gon", "na"]),
        ("a large-scale G-20 summit", ["a", "large-scale", "G-20", "summit"]),
        (
            "It cost $1,000.50 (3.5%) at 10:30",
            ["It", "cost", "$", "1,000.50", "(", "3.5", "%", ")", "at", "10:30"],
        ),
        (
            "The U.S. and Mr. Smith met in Jan. 2016.",
            ["The", "U.S.", "and", "Mr.", "Smith", "met", "in", "Jan.", "2016", "."],
        ),
        ("They met at 5 p.m. today", ["They", "met", "at", "5", "p.m.", "today"]),
        ("Wait... what -- now?!", ["Wait", "...", "what", "--", "now", "?", "!"]),
        ("and/or 24/7", ["and/or", "24/7"]),
    ],
)
def test_tokens_match_nltk_conventions(text, expected):
    assert surfaces(text) == expected
    assert surfaces(text) == nltk_tokens(text)


@pytest.mark.parametrize(
    ("text", "ours", "nltk"),
    [
        # URLs and e-mail addresses stay whole.
        ("see https://example.com/a?b=1 now", ["see", "https://example.com/a?b=1", "now"], None),
        ("mail foo.bar@example.co.uk", ["mail", "foo.bar@example.co.uk"], None),
        # A sentence-final abbreviation keeps its period.
        (
            "He went to the U.S.",
            ["He", "went", "to", "the", "U.S."],
            ["He", "went", "to", "the", "U.S", "."],
        ),
        # The curly apostrophe splits contractions like the straight one.
        ("We don’t know", ["We", "do", "n’t", "know"], ["We", "don", "’", "t", "know"]),
    ],
)
def test_deliberate_differences_from_word_tokenize(text, ours, nltk):
    assert surfaces(text) == ours
    assert nltk_tokens(text) != ours
    if nltk is not None:
        assert nltk_tokens(text) == nltk


def assert_vectorised_splits_agree(text: str) -> int:
    """The Arrow path (used for counting) splits every distinct token as token_parts does."""
    import numpy as np

    types = sorted(set(tokens.TOKEN_RE.findall(text)))
    for english in (True, False):
        length, written = tokens_expand._written_parts(tokens.arrow_strings(types), english)
        start = np.cumsum(length) - length
        for raw, first, n in zip(types, start, length, strict=True):
            expected = [w for _, w in tokens.token_parts(raw, english)]
            assert list(written[first : first + n]) == expected, raw
    return len(types)


def test_vectorised_splits_agree_with_token_parts(seed_articles):
    tricky = (
        "Don’t can't WON'T Cannot gonna O'Brien officials' U.S. U.S.A. Ph.D. e.g. J. a. "
        "said. Mr. mr. Jan. 2016. 3.5. x.y.z. ... -- _. __init__. don't. it's. Ég. "
    )
    assert assert_vectorised_splits_agree(tricky + seed_articles["text"].iloc[0]) > 200


def test_offsets_index_the_text():
    text = "Mr. Smith didn't go.\nThe U.S. said: “no”."
    for surface, _, start, end in token_spans(text):
        assert text[start:end] == surface


def test_seed_tokens_equal_word_tokenize(seed_articles):
    text = seed_articles["text"].iloc[0]
    matched, ours, theirs = agreement(surfaces(text), nltk_tokens(text))
    assert ours == theirs == matched


@pytest.mark.slow
def test_corpus_agreement_with_word_tokenize(corpus_dir):
    """Measured agreement on the English corpus pages (documented in tokens_rules.py)."""
    import trafilatura

    totals = [0, 0, 0]
    for line in (corpus_dir / "expected.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        if record["language"] != "en":
            continue
        text = trafilatura.extract((corpus_dir / record["file"]).read_bytes()) or ""
        assert_vectorised_splits_agree(text)
        # Compare where the tokenizers should agree: curly apostrophes as straight ones.
        ours = [s.replace("’", "'") for s in surfaces(text)]
        theirs = nltk_tokens(text.replace("’", "'"))
        totals = [t + n for t, n in zip(totals, agreement(ours, theirs), strict=True)]
    matched, ours, theirs = totals
    print(
        f"word_tokenize agreement: {matched / ours:.4f} of ours, {matched / theirs:.4f} of NLTK's"
    )
    assert ours > 200_000
    assert matched / ours > 0.98
    assert matched / theirs > 0.98


def test_default_terms_lowercase_without_stopwords_or_punctuation():
    text = 'The Ministry of Public Security said: "We\'re facing a grim task."'
    assert tokenize(text) == ["ministry", "public", "security", "said", "facing", "grim", "task"]


def test_clitics_are_written_as_words():
    text = "We're sure they can't and won't; it's John's."
    expected = "we are sure they can not and will not it 's john 's".split()
    assert tokenize(text, stopwords=None) == expected


def test_options_change_terms():
    text = "In 2016 the G20 met 3 times, said Mr. Smith"
    assert tokenize(text, stopwords=None, lowercase=False)[:3] == ["In", "2016", "the"]
    assert "2016" not in tokenize(text, numbers="drop")
    assert tokenize(text, numbers="replace")[:3] == ["<num>", "g20", "met"]
    assert tokenize(text, stopwords=None, keep_punct=True)[-5:] == [
        "times",
        ",",
        "said",
        "mr.",
        "smith",
    ]
    assert "," in tokenize(text, keep_punct=True)
    assert tokenize(text, min_length=4) == ["2016", "times", "said", "smith"]


def test_stopword_specs():
    text = "Officials said the US and the U.S. will act"
    english = set(nltk_stopwords.words("english"))
    assert tokenize(text) == [w for w in tokenize(text, stopwords=None) if w not in english]
    assert "said" not in tokenize(text, stopwords=("english", {"said"}))
    assert "us" in tokenize(text, stopwords=("english", {"said"}, {"us"}))
    assert tokenize(text, stopwords=Stopwords("english", add=frozenset({"said"}))) == tokenize(
        text, stopwords=("english", {"said"})
    )
    assert tokenize(text, stopwords={"officials", "the"})[:2] == ["said", "us"]
    assert tokenize(text, stopwords=(None, {"officials"}))[0] == "said"


@pytest.mark.slow
def test_base_forms_use_snowball_and_wordnet():
    words = ["officials", "leaders", "meetings", "attacks", "was"]
    text = " ".join(words)
    stemmer = SnowballStemmer("english")
    assert tokenize(text, stopwords=None, base_form="stem") == [stemmer.stem(w) for w in words]
    lemmatizer = WordNetLemmatizer()
    assert tokenize(text, stopwords=None, base_form="lemma") == [
        lemmatizer.lemmatize(w) for w in words
    ]
    # Stopwords are tested before reduction: "was" goes, though its lemma is "wa".
    assert tokenize(text, base_form="lemma") == ["official", "leader", "meeting", "attack"]


def test_lemmas_degrade_without_wordnet(monkeypatch, caplog):
    real = resources.nltk_has
    monkeypatch.setattr(
        resources, "nltk_has", lambda name: False if name == "wordnet" else real(name)
    )
    monkeypatch.setattr(resources, "_warned", set())
    tokens.clear_caches()
    tokens_rules._lemmatizer.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="toolkit.resources"):
            assert tokenize("meetings attacks", base_form="lemma") == ["meetings", "attacks"]
        assert "wordnet" in caplog.text
    finally:
        monkeypatch.undo()
        tokens.clear_caches()
        tokens_rules._lemmatizer.cache_clear()
    assert tokenize("meetings", base_form="lemma") == ["meeting"]


def test_ngrams_stay_in_sentences_and_skip_removed_words():
    text = "Security for the summit. Police said\nNew rules"
    assert tokenize(text, ngram=2) == ["security summit", "police said", "new rules"]
    assert tokenize(text, ngram=2, padding=True) == ["police said", "new rules"]
    assert tokenize(text, ngram=(1, 2), stopwords=None)[:3] == ["security", "for", "the"]
    assert tokenize(text, ngram=3, stopwords=None) == ["security for the", "for the summit"]


def test_fast_sentences_agree_with_punkt_on_the_seed(seed_articles):
    text = seed_articles["text"].iloc[0]
    fast = tokenize(text, ngram=(2, 3), stopwords=None)
    punkt = tokenize(text, ngram=(2, 3), stopwords=None, sentences="punkt")
    assert fast == punkt
    assert len(fast) > 700


def test_abbreviations_do_not_end_sentences():
    assert tokenize("Mr. Smith met Dr. Jones", ngram=2, stopwords=None) == [
        "mr. smith",
        "smith met",
        "met dr.",
        "dr. jones",
    ]


def test_stopwords_follow_the_article_language():
    articles = conform_articles(
        pd.DataFrame(
            {
                "article_id": ["de", "en"],
                "text": ["Die Polizei und der Gipfel", "The police and the summit"],
                "language": ["de", "en"],
                "status": "ok",
            }
        )
    )
    frame = tokenize(articles, stopwords="auto")
    assert frame.dropna(subset=["term"])["term"].tolist() == [
        "polizei",
        "gipfel",
        "police",
        "summit",
    ]
    german = set(nltk_stopwords.words("german"))
    assert {"die", "und", "der"} <= german


def test_token_frame_columns_and_offsets(seed_articles):
    frame = tokenize(seed_articles)
    assert list(frame.columns) == "article_id sentence token_index start end token term".split()
    text = seed_articles["text"].iloc[0]
    assert all(
        text[s:e] == t for s, e, t in zip(frame["start"], frame["end"], frame["token"], strict=True)
    )
    assert frame["token_index"].tolist() == list(range(len(frame)))
    assert frame["term"].dropna().tolist() == tokenize(text)
    assert frame["sentence"].is_monotonic_increasing
    assert frame["sentence"].max() + 1 == 15  # Punkt finds 15 sentences in the seed too
    empty = tokenize(seed_articles.iloc[0:0])
    assert list(empty.columns) == list(frame.columns) and len(empty) == 0
    assert empty.dtypes.equals(frame.dtypes)


def test_empty_and_blank_text():
    assert tokenize("") == []
    assert tokenize(" \n ... ") == []
    assert tokenize("the and of") == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"ngram": 0}, "ngram"),
        ({"ngram": 4}, "ngram"),
        ({"ngram": (2, 1)}, "ngram"),
        ({"numbers": "round"}, "'keep', 'drop', 'replace'"),
        ({"base_form": "stems"}, "'none', 'stem', 'lemma'"),
        ({"sentences": "spacy"}, "'fast', 'punkt'"),
        ({"stopwords": "englsh"}, "english"),
        ({"min_length": 0}, "min_length"),
        ({"lowercase": "yes"}, "lowercase"),
        ({"colour": "red"}, "unknown tokenizer option"),
    ],
)
def test_bad_options_raise_naming_valid_values(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        tokenize("text", **kwargs)


def test_tokenize_rejects_other_input():
    with pytest.raises(ValueError, match="str or an articles DataFrame"):
        tokenize(42)


FRENCH = "L'Europe et l'État. Qu’il vienne d'Europe jusqu'à aujourd'hui, dit O'Brien."


def test_elisions_split_outside_english_and_contractions_stay_english():
    french = [s[0] for s in token_spans(FRENCH, english=False)]
    assert french == [
        "L'", "Europe", "et", "l'", "État", ".", "Qu’", "il", "vienne", "d'", "Europe",
        "jusqu'", "à", "aujourd'hui", ",", "dit", "O'Brien", ".",
    ]  # fmt: skip
    assert tokens.token_parts("Qu’il", False) == (("Qu’", "Qu'"), ("il", "il"))
    assert tokens.token_parts("dell'Italia", False) == (("dell'", "dell'"), ("Italia", "Italia"))
    assert tokens.token_parts("l'1", False) == (("l'1", "l'1"),)  # a letter must follow
    # English keeps an elision whole and splits its contractions, as before.
    assert "l'Europe" in surfaces("In l'Europe they don't.")
    assert surfaces("In l'Europe they don't.")[-3:] == ["do", "n't", "."]
    assert [s[0] for s in token_spans("don't", english=False)] == ["don't"]
    assert assert_vectorised_splits_agree(FRENCH + " Dell’Italia c'è un'altra s'il") == 15


def test_french_terms_by_stopword_language_and_article_language():
    assert tokenize(FRENCH, stopwords="french") == [
        "europe", "état", "vienne", "europe", "aujourd'hui", "dit", "o'brien",
    ]  # fmt: skip
    kept = ("french", set(), {"l'", "d'"})  # the French list without the two elisions
    assert tokenize("L'Europe, d’Europe", stopwords=kept) == ["l'", "europe", "d'", "europe"]
    assert tokenize("L'Europe, d'Europe", stopwords="english") == ["l'europe", "d'europe"]
    frame = conform_articles(
        pd.DataFrame(
            {
                "article_id": ["fr", "it", "en"],
                "text": ["L'Europe", "dell'Europa", "L'Oreal"],
                "language": ["fr", "it", "en"],
                "status": "ok",
            }
        )
    )
    tokens_frame = tokenize(frame, stopwords="auto")
    assert tokens_frame["token"].tolist() == ["L'", "Europe", "dell'", "Europa", "L'Oreal"]
    assert tokens_frame["term"].dropna().tolist() == ["europe", "europa", "l'oreal"]
