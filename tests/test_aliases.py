"""Tests for toolkit.aliases: canonical names, short names, acronyms, the alias table, the log."""

from __future__ import annotations

import pandas as pd
import pytest

from toolkit.aliases import (
    alias_log,
    alias_table_from_log,
    canonical_name,
    initials,
    load_alias_table,
    resolve_aliases,
)
from toolkit.schema import conform_articles
from toolkit.segment import iter_sentences


def corpus(*docs: tuple[str, list[tuple[str, str]]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Articles and NER-like mentions: each doc is (text, [(surface, label), ...] in order)."""
    rows, articles = [], []
    for number, (text, found) in enumerate(docs):
        article_id = f"a{number}"
        articles.append({"article_id": article_id, "text": text, "status": "ok"})
        sentences = list(iter_sentences(text))
        position = 0
        for surface, label in found:
            start = text.index(surface, position)
            position = start + len(surface)
            index = max(i for i, (_, s, _) in enumerate(sentences) if s <= start)
            rows.append(
                {
                    "article_id": article_id,
                    "paragraph": sentences[index][0],
                    "sentence": index,
                    "start": start,
                    "end": position,
                    "text": surface,
                    "label": label,
                    "backend": "spacy",
                }
            )
    return pd.DataFrame(rows), conform_articles(pd.DataFrame(articles))


def entities_of(mentions: pd.DataFrame, surface: str) -> list[str]:
    return mentions.loc[mentions["text"] == surface, "entity"].tolist()


@pytest.mark.parametrize(
    ("text", "label", "name"),
    [
        ("the United Nations", "ORG", "United Nations"),
        ("The Hague", "GPE", "Hague"),
        ("China's", "GPE", "China"),
        ("China\u2019s", "GPE", "China"),
        ("President Xi Jinping", "PERSON", "Xi Jinping"),
        ("Foreign Minister Wang Yi", "PERSON", "Wang Yi"),
        ("Mr. Smith", "PERSON", "Smith"),
        ("Gen. Qiao Liang", "PERSON", "Qiao Liang"),
        ("Vice Premier Liu He", "PERSON", "Liu He"),
        ("General Motors", "ORG", "General Motors"),
        ("Vice Media", "ORG", "Vice Media"),
        ("Zhejiang province", "GPE", "Zhejiang"),
        ("Zhejiang Province", "LOC", "Zhejiang"),
        ("Hou  Le", "PERSON", "Hou Le"),
        ("President", "PERSON", "President"),
    ],
)
def test_canonical_name(text, label, name):
    assert canonical_name(text, label)[0] == name


def test_initials():
    assert initials("Ministry of Public Security") == ("MPS", "MOPS")
    assert initials("United Nations") == ("UN",)
    assert initials("China") == ()


def test_western_surname_found_by_scanning_the_text():
    mentions, articles = corpus(
        (
            "Thorsten Boelts, a liaison officer, spoke in Beijing.\n"
            "Boelts said the meeting went well. Later, Boelts left.",
            [("Thorsten Boelts", "PERSON"), ("Beijing", "GPE")],
        )
    )
    out, log = resolve_aliases(mentions, articles=articles, return_log=True)
    boelts = out[out["entity"] == "Thorsten Boelts"]
    assert boelts["text"].tolist() == ["Thorsten Boelts", "Boelts", "Boelts"]
    assert boelts["paragraph"].tolist() == [0, 1, 1]
    assert boelts["sentence"].tolist() == [0, 1, 2]
    assert set(boelts["label"]) == {"PERSON"}
    assert "short name (text scan)" in set(log["reason"])


def test_chinese_family_name_and_given_name_link():
    mentions, articles = corpus(
        (
            "Hou Le of the bureau spoke. Hou said more. Le smiled. Hou's remark stood.",
            [("Hou Le", "PERSON"), ("Hou", "PERSON")],
        )
    )
    out = resolve_aliases(mentions, articles=articles)
    assert out["text"].tolist() == ["Hou Le", "Hou", "Le", "Hou"]
    assert set(out["entity"]) == {"Hou Le"}


def test_no_link_when_ambiguous_before_the_full_name_or_another_person():
    mentions, articles = corpus(
        (
            "Smith arrived. John Smith and Mary Smith met Hou Yi. Smith spoke. Hou Yifan won. "
            "Later Hou left.",
            [
                ("John Smith", "PERSON"),
                ("Mary Smith", "PERSON"),
                ("Hou Yi", "PERSON"),
                ("Smith", "PERSON"),
            ],
        )
    )
    out = resolve_aliases(mentions, articles=articles)
    assert entities_of(out, "Smith") == ["Smith"]  # two Smiths: ambiguous, and no text scan
    hou = out[out["entity"] == "Hou Yi"]
    assert hou["text"].tolist() == ["Hou Yi", "Hou"]  # "Hou Yifan" is someone else
    assert "Yifan" not in set(out["text"])


def test_surname_taken_for_an_organisation_is_relinked_but_places_are_not():
    mentions, articles = corpus(
        (
            "George Washington crossed the river. Washington visited Washington. Boelts met "
            "Thorsten Boelts. Boelts left.",
            [
                ("George Washington", "PERSON"),
                ("Washington", "GPE"),
                ("Thorsten Boelts", "PERSON"),
                ("Boelts", "ORG"),
            ],
        )
    )
    out = resolve_aliases(mentions, articles=articles)
    # NER says "Washington" is a place here: no bare "Washington" becomes the person.
    assert entities_of(out, "Washington") == ["Washington"]
    boelts = out[out["text"] == "Boelts"]
    # The "Boelts" before the full name is not scanned; the ORG after it is a surname.
    assert boelts["entity"].tolist() == ["Thorsten Boelts"]
    assert boelts["label"].tolist() == ["PERSON"]


def test_acronyms_introduced_and_by_initials():
    mentions, articles = corpus(
        (
            "The Islamic State (IS) claimed it. The United Nations condemned it. IS denied. "
            "The UN said so.\nBREAKING NEWS FROM THE UN TODAY",
            [("The Islamic State", "ORG"), ("The United Nations", "ORG")],
        )
    )
    out, log = resolve_aliases(mentions, articles=articles, return_log=True)
    assert entities_of(out, "IS") == ["Islamic State", "Islamic State"]
    assert entities_of(out, "UN") == ["United Nations"]  # not the one in the caps headline
    assert {"acronym (introduced)", "acronym (initials)"} <= set(log["reason"])
    assert set(out.loc[out["text"].isin(["IS", "UN"]), "label"]) == {"ORG"}


def test_alias_table_csv_and_frame(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text(
        "alias,entity,label\nXi,Xi Jinping,PERSON\nPRC,China,GPE\n the G20 ,G20 summit,EVENT\n",
        encoding="utf-8",
    )
    table = load_alias_table(path)
    assert table.columns.tolist() == ["alias", "entity", "label"]
    assert table["alias"].tolist() == ["Xi", "PRC", "the G20"]
    mentions, articles = corpus(
        (
            "Xi spoke to the PRC delegation at the G20 in Hangzhou.",
            [("Xi", "PERSON"), ("PRC", "ORG"), ("the G20", "ORG"), ("Hangzhou", "GPE")],
        )
    )
    out, log = resolve_aliases(mentions, articles=articles, aliases=path, return_log=True)
    assert out["entity"].tolist() == ["Xi Jinping", "China", "G20 summit", "Hangzhou"]
    assert out["label"].tolist() == ["PERSON", "GPE", "EVENT", "GPE"]
    assert (log["reason"] == "alias table").sum() == 3
    same = resolve_aliases(mentions, articles=articles, aliases=table)
    pd.testing.assert_frame_equal(out, same)


def test_bad_alias_tables(tmp_path):
    with pytest.raises(ValueError, match="alias, entity"):
        load_alias_table(pd.DataFrame({"name": ["x"]}))
    with pytest.raises(ValueError, match="CSV path"):
        load_alias_table(42)
    assert load_alias_table(None).empty


def test_across_articles():
    mentions, articles = corpus(
        ("Barack Obama met leaders in CHINA.", [("Barack Obama", "PERSON"), ("CHINA", "GPE")]),
        (
            "Obama flew to China. China welcomed him.",
            [("Obama", "PERSON"), ("China", "GPE"), ("China", "ORG")],
        ),
    )
    out, log = resolve_aliases(mentions, articles=articles, return_log=True)
    assert entities_of(out, "Obama") == ["Barack Obama"]
    assert set(out.loc[out["text"].str.casefold() == "china", "entity"]) == {"China"}
    assert set(out.loc[out["entity"] == "China", "label"]) == {"GPE"}
    assert {"short name (corpus)", "spelling variant", "label vote"} <= set(log["reason"])
    local = resolve_aliases(mentions, articles=articles, across=False)
    assert entities_of(local, "Obama") == ["Obama"]


def test_log_contract_input_untouched_and_starter_table():
    mentions, articles = corpus(
        (
            "Hou Le spoke. Hou left the United States.",
            [("Hou Le", "PERSON"), ("the United States", "GPE")],
        )
    )
    before = mentions.copy()
    out = resolve_aliases(mentions, articles=articles)
    pd.testing.assert_frame_equal(mentions, before)
    log = alias_log(out)
    assert log.columns.tolist() == ["article_id", "alias", "entity", "label", "reason"]
    assert set(zip(log["alias"], log["entity"], strict=True)) == {
        ("Hou", "Hou Le"),
        ("the United States", "United States"),
    }
    starter = alias_table_from_log(log)
    assert starter.columns.tolist() == ["alias", "entity", "label"]
    assert starter["alias"].tolist() == ["Hou", "the United States"]


def test_without_articles_only_mentions_are_linked():
    mentions, _ = corpus(("Hou Le spoke. Hou left.", [("Hou Le", "PERSON"), ("Hou", "PERSON")]))
    out = resolve_aliases(mentions)
    assert out["entity"].tolist() == ["Hou Le", "Hou Le"]
    with pytest.raises(ValueError, match="lacks"):
        resolve_aliases(mentions.drop(columns="label"))
