"""extract_quotes: every attribution pattern of issue 13 on small texts, the seed, the gold set."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pandas as pd
import pytest

from toolkit.entities.quote_marks import find_mark_spans
from toolkit.entities.quote_tables import coquotation, quote_counts, quote_evidence, quote_shares
from toolkit.entities.quotes import QUOTE_COLUMNS, extract_quotes
from toolkit.schema import conform_articles

ROOT = Path(__file__).resolve().parent.parent.parent


def articles(*texts, language="en", **columns) -> pd.DataFrame:
    frame = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(texts))],
                          "text": list(texts), "language": language})
    return conform_articles(frame.assign(status="ok", **columns))


def mentions_for(frame: pd.DataFrame, names: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """A mentions frame naming every occurrence of each name (name -> (label, entity))."""
    rows = []
    for article_id, text in zip(frame["article_id"], frame["text"], strict=True):
        for name, (label, entity) in names.items():
            bounded = rf"(?<!\w){re.escape(name)}(?!\w)" if name.isascii() else re.escape(name)
            for match in re.finditer(bounded, text):
                rows.append({"article_id": article_id, "paragraph": text.count("\n", 0,
                                                                                  match.start()),
                             "sentence": 0, "start": match.start(), "end": match.end(),
                             "text": name, "label": label, "entity": entity, "backend": "test"})
    columns = ["article_id", "paragraph", "sentence", "start", "end", "text", "label", "entity",
               "backend"]
    return pd.DataFrame(rows, columns=columns).sort_values(["article_id", "start"])


def quotes_of(text: str, names: dict[str, tuple[str, str]], **kwargs) -> pd.DataFrame:
    frame = articles(text, **kwargs)
    return extract_quotes(frame, mentions=mentions_for(frame, names), progress=False)


def one(quotes: pd.DataFrame, **wanted) -> pd.Series:
    rows = quotes
    for key, value in wanted.items():
        rows = rows.loc[rows[key] == value]
    assert len(rows) == 1, (wanted, quotes[["kind", "cue", "speaker", "quote"]])
    return rows.iloc[0]


PEOPLE = {
    "Hou Le": ("PERSON", "Hou Le"), "Hou": ("PERSON", "Hou Le"),
    "Lu Kang": ("PERSON", "Lu Kang"), "Foreign Ministry": ("ORG", "Foreign Ministry"),
    "Anna Berg": ("PERSON", "Anna Berg"), "Berg": ("PERSON", "Anna Berg"),
    "Ministry of Public Security": ("ORG", "Ministry of Public Security"),
    "Acme Corp": ("ORG", "Acme Corp"), "OpenAI": ("ORG", "OpenAI"),
}


def test_the_frame_contract_and_offsets():
    text = "“We will win,” Anna Berg said. Scare words such as “fake news” are not quotes."
    quotes = quotes_of(text, PEOPLE)
    assert list(quotes.columns) == list(QUOTE_COLUMNS)
    row = one(quotes, kind="direct")
    assert text[row["start"]:row["end"]] == row["quote"] == "We will win,"
    assert text[row["speaker_start"]:row["speaker_end"]] == row["speaker"] == "Anna Berg"
    assert (row["cue"], row["entity"], row["label"]) == ("said", "Anna Berg", "PERSON")
    assert pd.isna(row["why"])
    assert len(quotes) == 1  # the scare quote is not a quotation


@pytest.mark.parametrize("text, speaker, cue", [
    ("“We are ready,” said Anna Berg, the head of the club.", "Anna Berg", "said"),
    ("“We are ready,” Anna Berg said on Monday.", "Anna Berg", "said"),
    ("Anna Berg said: “We are ready for the season.”", "Anna Berg", "said"),
    ("Anna Berg told reporters, “We are ready for it.”", "Anna Berg", "told"),
    ("“We are ready,” Hou Le, a senior official from the ministry's bureau, said on Wednesday.",
     "Hou Le", "said"),
    ("“We are ready,” said Foreign Ministry spokesman Lu Kang.",
     "Foreign Ministry spokesman Lu Kang", "said"),
    ('"We are ready," Anna Berg has also said.', "Anna Berg", "said"),
], ids=["said-X", "X-said", "X-said-colon", "told-addressee", "apposition", "title", "straight"])
def test_direct_quote_with_the_speaker_before_or_after(text, speaker, cue):
    row = one(quotes_of(text, PEOPLE), kind="direct")
    assert (row["speaker"], row["cue"]) == (speaker, cue)
    assert row["quote"].startswith("We are ready")
    assert row["label"] == "PERSON" and row["entity"] in ("Anna Berg", "Hou Le", "Lu Kang")


def test_split_quote_shares_the_speaker_and_the_cue():
    quotes = quotes_of("“We are ready,” Berg said. “The team trained all winter.”", PEOPLE)
    assert list(quotes["quote"]) == ["We are ready,", "The team trained all winter."]
    assert set(quotes["entity"]) == {"Anna Berg"} and set(quotes["cue"]) == {"said"}


def test_a_quote_over_several_paragraphs_is_one_quotation():
    text = ("“The first paragraph goes on without a closing mark.\n"
            "“The second one does too.\n"
            "“And the third one closes,” Anna Berg said.")
    row = one(quotes_of(text, PEOPLE), kind="direct")
    assert row["quote"].startswith("The first paragraph") and row["quote"].endswith("closes,")
    assert row["quote"].count("\n") == 2 and row["entity"] == "Anna Berg"
    assert [(s.open, s.paragraphs) for s in find_mark_spans(text)] == [(0, 3)]


def test_speaker_in_the_neighbouring_sentence_or_paragraph():
    text = ("Anna Berg spoke after the match.\nShe added:\n"
            "“We never stopped believing in this team, not once.”\n"
            "“It was the best season of my life.”")
    quotes = quotes_of(text, PEOPLE)
    first = one(quotes, quote="We never stopped believing in this team, not once.")
    assert (first["speaker"], first["cue"], first["entity"]) == ("She", "added", "Anna Berg")
    second = one(quotes, quote="It was the best season of my life.")  # a later paragraph
    assert second["entity"] == "Anna Berg" and pd.isna(second["cue"])


def test_pronouns_go_to_the_nearest_fitting_name():
    text = ("Acme Corp sold its plant. Anna Berg runs it.\n"
            "“It was time,” she said.\n"
            "The company will expand, it said in a statement.")
    quotes = quotes_of(text, PEOPLE)
    assert one(quotes, speaker="she")["entity"] == "Anna Berg"
    it = one(quotes, speaker="it")
    assert (it["kind"], it["entity"], it["label"]) == ("indirect", "Acme Corp", "ORG")


def test_first_person_and_unnamed_speakers_say_why_they_are_unresolved():
    quotes = quotes_of("“It was late,” I said. “It was early,” a witness said.", PEOPLE)
    assert one(quotes, speaker="I")["why"] == "first-person speaker"
    row = one(quotes, speaker="a witness")
    assert pd.isna(row["entity"]) and row["why"] == "description not linked to an organisation " \
        "named before"


@pytest.mark.parametrize("text, quote", [
    ("Berg said that the club would move to a new stadium.",
     "the club would move to a new stadium"),
    ("Berg said the club would move to a new stadium.", "the club would move to a new stadium"),
    ("The club would move to a new stadium, Berg said.", "The club would move to a new stadium"),
    ("The club would move to a new stadium, said Anna Berg.",
     "The club would move to a new stadium"),
    ("In an interview, Berg said the club would move to a new stadium.",
     "the club would move to a new stadium"),
    ("Berg told reporters that the club would move to a new stadium.",
     "the club would move to a new stadium"),
], ids=["that", "zero-that", "postposed", "inverted", "adverbial-lead", "told-that"])
def test_indirect_speech(text, quote):
    row = one(quotes_of(text, PEOPLE), kind="indirect")
    assert row["quote"] == quote and row["entity"] == "Anna Berg"


def test_according_to_first_last_and_the_ministry_named_before():
    text = ("According to the Ministry of Public Security, the summit will be safe.\n"
            "Police will check every car, according to the ministry.")
    quotes = quotes_of(text, PEOPLE)
    first = one(quotes, speaker="the Ministry of Public Security")
    assert first["quote"] == "the summit will be safe" and first["cue"] == "according to"
    second = one(quotes, speaker="the ministry")
    assert second["quote"] == "Police will check every car"
    assert (second["entity"], second["label"]) == ("Ministry of Public Security", "ORG")


def test_reported_speech_with_quoted_words_is_mixed():
    quotes = quotes_of('Berg said the plan was "a disaster for everyone".', PEOPLE)
    row = one(quotes, kind="mixed")
    assert row["quote"] == 'the plan was "a disaster for everyone"'
    assert len(quotes) == 1  # the fragment is not a direct quotation of its own


def test_representatives_of_a_named_organisation_resolve_to_it():
    row = one(quotes_of("“It is safe,” a spokesperson for OpenAI said.", PEOPLE), kind="direct")
    assert (row["speaker"], row["entity"], row["label"]) == (
        "a spokesperson for OpenAI", "OpenAI", "ORG")


@pytest.mark.parametrize("text", [
    "Anna Berg a parlé. «Nous sommes prêts pour la saison», a déclaré Anna Berg.",
    "« Nous sommes prêts pour la saison », a déclaré Anna Berg.",
], ids=["guillemets-tight", "guillemets-spaced"])
def test_guillemets(text):
    row = one(quotes_of(text, PEOPLE, language="fr"), kind="direct")
    assert row["quote"].strip() == "Nous sommes prêts pour la saison"
    assert row["entity"] == "Anna Berg" and row["cue"] == "a déclaré"


@pytest.mark.parametrize("text", [
    "外交部发言人陆慷说：“中方愿意同各方加强合作。”",
    "外交部发言人陆慷说：「中方愿意同各方加强合作。」",
    "“中方愿意同各方加强合作。”陆慷说。",
], ids=["curly-before", "corner-before", "curly-after"])
def test_chinese_quote_marks(text):
    names = {"陆慷": ("PERSON", "Lu Kang")}
    row = one(quotes_of(text, names, language="zh"), kind="direct")
    assert row["quote"] == "中方愿意同各方加强合作。"
    assert row["entity"] == "Lu Kang" and row["cue"] == "说"


def test_no_text_and_bad_arguments():
    empty = extract_quotes(articles("No quotation at all here."), mentions=mentions_for(
        articles("x"), {}), progress=False)
    assert empty.empty and list(empty.columns) == list(QUOTE_COLUMNS)
    with pytest.raises(ValueError, match="not both"):
        extract_quotes(articles("x"), mentions=mentions_for(articles("x"), {}),
                       ner=object())
    with pytest.raises(ValueError, match="lacks column"):
        extract_quotes(articles("x"), mentions=pd.DataFrame({"article_id": []}))


# ---------------------------------------------------------------- the analyses
@pytest.fixture(scope="module")
def two_outlets():
    frame = articles(
        "“We are ready,” Anna Berg said. “We will expand,” Acme Corp said in a statement.",
        "Berg said the club would move to a new stadium. “No comment,” a witness said.",
        sitename=["Daily", "Weekly"], title=["One", "Two"],
    )
    return frame, extract_quotes(frame, mentions=mentions_for(frame, PEOPLE), progress=False)


def test_quote_counts_per_speaker_and_outlet(two_outlets):
    frame, quotes = two_outlets
    counts = quote_counts(quotes)
    berg = counts.set_index("entity").loc["Anna Berg"]
    assert (berg["quotes"], berg["direct"], berg["indirect"], berg["n_articles"]) == (2, 1, 1, 2)
    assert counts.attrs["unresolved"] == 1
    by_outlet = quote_counts(quotes, articles=frame, by="sitename")
    assert set(zip(by_outlet["sitename"], by_outlet["entity"], strict=True)) == {
        ("Daily", "Anna Berg"), ("Daily", "Acme Corp"), ("Weekly", "Anna Berg")}
    with pytest.raises(ValueError, match="articles="):
        quote_counts(quotes, by="sitename")


def test_quote_shares_by_entity_type(two_outlets):
    shares = quote_shares(two_outlets[1]).set_index("label")
    assert shares.loc["PERSON", "quotes"] == 2 and shares.loc["unresolved", "quotes"] == 1
    assert shares["share"].sum() == pytest.approx(1.0)


def test_coquotation_counts_speakers_quoted_in_the_same_article(two_outlets):
    pairs = coquotation(two_outlets[1])
    assert list(zip(pairs["entity_a"], pairs["entity_b"], pairs["count"], strict=True)) == [
        ("Acme Corp", "Anna Berg", 1)]
    with pytest.raises(ValueError, match="window"):
        coquotation(two_outlets[1], window="sentence")


def test_quote_evidence_lists_the_quotations_with_their_article(two_outlets):
    frame, quotes = two_outlets
    rows = quote_evidence(quotes, frame, "Anna Berg")
    assert list(rows["title"]) == ["One", "Two"] and set(rows["entity"]) == {"Anna Berg"}
    both = quote_evidence(quotes, frame, "Anna Berg", other="Acme Corp")
    assert list(both["entity"]) == ["Anna Berg", "Acme Corp"]
    with pytest.raises(ValueError, match="not among"):
        quote_evidence(quotes, frame, "Nobody")


# ---------------------------------------------------------------- the seed and the gold set
def test_seed_quotes(seed_articles, seed_expected):
    quotes = extract_quotes(seed_articles, progress=False)
    text = seed_articles["text"].iloc[0]
    for expected in seed_expected["quotes_expected"]["quotes"]:
        rows = quotes.loc[(quotes["paragraph"] == expected["paragraph"])
                          & (quotes["kind"] == expected["kind"])
                          & (quotes["cue"] == expected["cue"])]
        assert len(rows) == 1, expected
        row = rows.iloc[0]
        assert (row["speaker"], row["entity"], row["label"]) == (
            expected["speaker"], expected["entity"], expected["label"]), expected
        if "quote" in expected:
            assert row["quote"].rstrip(",") == expected["quote"]
        else:  # "according to" covers the sentence it ends
            sentence = text.split("\n")[expected["paragraph"]]
            assert row["quote"] in sentence and "according to" not in row["quote"]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_quotes", ROOT / "bench" / "quotes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_gold_set_precision_and_recall(corpus_dir):
    """The bounds sit a little under today's scores (bench/quotes.py prints them)."""
    bench = _bench()
    gold_tools = bench.gold_module()
    gold, annotated = gold_tools.load_gold()
    frame = gold_tools.read_texts(corpus_dir / "html")
    texts = dict(zip(frame["file"], frame["text"], strict=True))
    moved, lost = gold_tools.relocate(gold, texts)
    assert len(lost) <= 10, lost[:3]
    by_file = {a["file"]: [g for g in moved if g["file"] == a["file"]] for a in annotated}
    from toolkit.entities import extract_entities

    found = bench.toolkit_quotes(frame, extract_entities(frame, progress=False))
    scores = bench.score(found, by_file, texts)
    assert scores["span_precision"] >= 0.88 and scores["span_recall"] >= 0.70, scores
    assert scores["speaker_precision"] >= 0.85 and scores["speaker_recall"] >= 0.67, scores
    direct = bench.score(
        {f: [q for q in qs if q["kind"] == "direct"] for f, qs in found.items()},
        {f: [g for g in gs if g["kind"] == "direct"] for f, gs in by_file.items()}, texts)
    assert direct["span_precision"] >= 0.95 and direct["span_recall"] >= 0.82, direct


def test_bulleted_reports_after_said_colon():
    text = ("In the interview, Anna Berg also said:\n- The club will move to a new stadium.\n"
            "- The coach stays another year.\nThe season starts in May.")
    quotes = quotes_of(text, PEOPLE)
    assert list(quotes["quote"]) == ["The club will move to a new stadium",
                                     "The coach stays another year"]
    assert set(quotes["kind"]) == {"indirect"} and set(quotes["entity"]) == {"Anna Berg"}
