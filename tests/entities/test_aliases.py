"""toolkit.entities.aliases: canonical names, short names, acronyms, the alias table, the log."""

from __future__ import annotations

import pandas as pd
import pytest

from toolkit.entities.aliases.resolve import (
    AliasOptions,
    alias_log,
    alias_table_from_log,
    canonical_name,
    initials,
    load_alias_table,
    resolve_aliases,
)
from toolkit.schema import conform_articles
from toolkit.text.segments import iter_sentences


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
    out = resolve_aliases(mentions, articles=articles)
    log = alias_log(out)
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
    out = resolve_aliases(mentions, articles=articles)
    log = alias_log(out)
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
    out = resolve_aliases(mentions, articles=articles, aliases=path)
    log = alias_log(out)
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
    out = resolve_aliases(mentions, articles=articles)
    log = alias_log(out)
    assert entities_of(out, "Obama") == ["Barack Obama"]
    assert set(out.loc[out["text"].str.casefold() == "china", "entity"]) == {"China"}
    assert set(out.loc[out["entity"] == "China", "label"]) == {"GPE"}
    assert {"short name (corpus)", "spelling variant", "label vote: majority"} <= set(log["reason"])
    local = resolve_aliases(mentions, articles=articles, options=AliasOptions(across=False))
    assert entities_of(local, "Obama") == ["Obama"]


def test_log_contract_input_untouched_and_starter_table():
    mentions, articles = corpus(
        (
            "Hou Le spoke. Hou left the United States with President Joe Biden.",
            [("Hou Le", "PERSON"), ("the United States", "GPE"), ("President Joe Biden", "PERSON")],
        )
    )
    before = mentions.copy()
    out = resolve_aliases(mentions, articles=articles)
    pd.testing.assert_frame_equal(mentions, before)
    # The article is not part of the name: the span is trimmed to it.
    assert "United States" in set(out["text"])
    log = alias_log(out)
    assert log.columns.tolist() == ["article_id", "alias", "entity", "label", "reason"]
    assert set(zip(log["alias"], log["entity"], strict=True)) == {
        ("Hou", "Hou Le"),
        ("President Joe Biden", "Joe Biden"),
    }
    starter = alias_table_from_log(log)
    assert starter.columns.tolist() == ["alias", "entity", "label"]
    assert starter["alias"].tolist() == ["Hou", "President Joe Biden"]


def test_without_articles_only_mentions_are_linked():
    mentions, _ = corpus(("Hou Le spoke. Hou left.", [("Hou Le", "PERSON"), ("Hou", "PERSON")]))
    out = resolve_aliases(mentions)
    assert out["entity"].tolist() == ["Hou Le", "Hou Le"]
    with pytest.raises(ValueError, match="lacks"):
        resolve_aliases(mentions.drop(columns="label"))


# --------------------------------------------------------------------------- review fixes
def test_spans_without_letters_are_dropped_and_edges_trimmed():
    text = 'Shares fell. | | said "Hou Le" on Monday; Hou agreed.\n• Tobias Harris met (Boelts.'
    rows = [
        ("| |", "PERSON"),
        ('"Hou Le"', "PERSON"),
        ("Monday;", "DATE"),
        ("• Tobias Harris", "PERSON"),
        ("(Boelts", "PERSON"),
    ]
    mentions, articles = corpus((text, rows))
    out = resolve_aliases(mentions, articles=articles)
    assert "| |" not in set(out["text"])
    assert out["text"].str.contains(r"[^\W\d_]").all()
    assert {"Hou Le", "Tobias Harris", "Boelts", "Monday"} <= set(out["text"])
    for row in out.itertuples():
        assert text[row.start : row.end] == row.text
    assert entities_of(out, "Hou") == ["Hou Le"]


def test_nested_and_overlapping_mentions_keep_the_longest():
    text = (
        "Members of the East Turkestan Islamic Movement trained in Syria. "
        "Islamic scholars met the New York Times reporters."
    )
    mentions, articles = corpus(
        (
            text,
            [
                ("East Turkestan Islamic Movement", "ORG"),
                ("Syria", "GPE"),
                ("Islamic", "NORP"),
                ("New York", "GPE"),
            ],
        )
    )
    # NER-like spans the helper cannot place: one nested in a name, one crossing another.
    islamic, times = text.index("Islamic"), text.index("York Times")
    extra = pd.concat(
        [
            mentions.iloc[[0]].assign(start=islamic, end=islamic + 7, text="Islamic", label="NORP"),
            mentions.iloc[[-1]].assign(start=times, end=times + 10, text="York Times", label="ORG"),
        ]
    )
    mentions = pd.concat([mentions, extra], ignore_index=True)
    out = resolve_aliases(mentions, articles=articles)
    assert out["text"].tolist() == [
        "East Turkestan Islamic Movement",
        "Syria",
        "Islamic",
        "York Times",  # the longer of two overlapping spans
    ]
    spans = sorted(zip(out["start"], out["end"], strict=True))
    assert all(e <= s for (_, e), (s, _) in zip(spans, spans[1:], strict=False))


def test_common_abbreviations_link_across_articles():
    mentions, articles = corpus(
        (
            "The U.S. and the U.K. met at the U.N. in New York; the EU watched.",
            [("U.S.", "GPE"), ("U.K.", "GPE"), ("U.N.", "ORG"), ("New York", "GPE"), ("EU", "ORG")],
        ),
        (
            "The United States and the US Army. USA! The UK and UN agreed.",
            [
                ("The United States", "GPE"),
                ("US", "GPE"),
                ("USA", "GPE"),
                ("UK", "GPE"),
                ("UN", "ORG"),
            ],
        ),
        ("US officials said. The U.S. said so.", [("US", "GPE"), ("U.S.", "GPE")]),
    )
    out = resolve_aliases(mentions, articles=articles)
    log = alias_log(out)
    wanted = {
        "U.S.": "United States",
        "US": "United States",
        "USA": "United States",
        "U.K.": "United Kingdom",
        "UK": "United Kingdom",
        "U.N.": "United Nations",
        "UN": "United Nations",
        "EU": "European Union",
    }
    for alias, entity in wanted.items():
        assert set(entities_of(out, alias)) == {entity}, alias
    # An alias maps to exactly one entity in the whole log.
    links = log[log["alias"] != log["entity"]]
    assert (links.groupby("alias")["entity"].nunique() == 1).all()
    assert "common abbreviation" in set(log["reason"])
    assert set(out.loc[out["entity"] == "United Nations", "label"]) == {"ORG"}


def test_common_abbreviations_keep_untyped_labels_untyped():
    mentions, articles = corpus(
        ("The U.S. and the UN met.", [("U.S.", "NE"), ("UN", "NE")]),
    )
    out = resolve_aliases(mentions, articles=articles)
    assert out["entity"].tolist() == ["United States", "United Nations"]
    assert set(out["label"]) == {"NE"}
    mentions, articles = corpus(
        ("The Islamic State group is a threat; IS recruits.", [("Islamic", "NE")]),
    )
    out = resolve_aliases(mentions, articles=articles)
    assert set(entities_of(out, "IS")) == {"Islamic State"}
    assert set(out["label"]) == {"NE"}
    mentions, articles = corpus(
        ("Members of the World Boxing Council (WBC) met Tyson. WBC rules.", [("Tyson", "NE")]),
    )
    out = resolve_aliases(mentions, articles=articles)
    assert set(entities_of(out, "WBC")) == {"World Boxing Council"}
    assert set(out["label"]) == {"NE"}


def test_the_users_table_overrides_the_common_abbreviations():
    mentions, articles = corpus(
        (
            "The U.S. and the US Army; the USA team. The UN met.",
            [("U.S.", "GPE"), ("US", "GPE"), ("USA", "GPE"), ("UN", "ORG")],
        )
    )
    table = pd.DataFrame({"alias": ["US", "UN"], "entity": ["America", "UN"], "label": ["GPE", ""]})
    out = resolve_aliases(mentions, articles=articles, aliases=table)
    # "US" in the user's table covers its dotted form too; "USA" keeps the built-in entry.
    assert set(entities_of(out, "U.S.")) == set(entities_of(out, "US")) == {"America"}
    assert entities_of(out, "USA") == ["United States"]
    assert entities_of(out, "UN") == ["UN"]  # mapped to itself: the built-in entry is off
    plain = resolve_aliases(mentions, articles=articles, options=AliasOptions(common=False))
    assert set(entities_of(plain, "US")) == set(entities_of(plain, "U.S.")) == {"U.S."}


def test_dotted_acronym_links_by_initials():
    mentions, articles = corpus(
        (
            "The Federal Bureau of Investigation opened a case. The F.B.I. said more. "
            "The FBI left.",
            [("The Federal Bureau of Investigation", "ORG"), ("F.B.I.", "ORG")],
        )
    )
    out = resolve_aliases(mentions, articles=articles)
    assert entities_of(out, "F.B.I.") == ["Federal Bureau of Investigation"]
    assert entities_of(out, "FBI") == ["Federal Bureau of Investigation"]


def test_spelling_variants_prefer_ordinary_case_over_capitals_and_lower_case():
    mentions, articles = corpus(
        ("THERESA VILLIERS SPEAKS. CONSTITUENCY NEWS.", [("THERESA VILLIERS", "PERSON")]),
        ("THERESA VILLIERS again.", [("THERESA VILLIERS", "PERSON")]),
        ("Theresa Villiers spoke. The devs left.", [("Theresa Villiers", "PERSON")]),
        ("Bosentan helps. bosentan, bosentan.", [("Bosentan", "ORG"), ("bosentan", "ORG")]),
        ("Then bosentan again.", [("bosentan", "ORG")]),
        (
            "U.S. CUSTOMS AND BORDER PROTECTION\nU.S. Customs and Border Protection said.",
            [
                ("U.S. CUSTOMS AND BORDER PROTECTION", "ORG"),
                ("U.S. Customs and Border Protection", "ORG"),
            ],
        ),
        ("U.S. CUSTOMS AND BORDER PROTECTION", [("U.S. CUSTOMS AND BORDER PROTECTION", "ORG")]),
    )
    out = resolve_aliases(mentions, articles=articles)
    assert set(out.loc[out["text"].str.startswith("U.S. C"), "entity"]) == {
        "U.S. Customs and Border Protection"
    }
    assert set(out.loc[out["text"].str.casefold() == "theresa villiers", "entity"]) == {
        "Theresa Villiers"
    }
    assert set(out.loc[out["text"].str.casefold() == "bosentan", "entity"]) == {"Bosentan"}


def test_initials_do_not_link_to_person_names_or_single_letters():
    mentions, articles = corpus(
        (
            "Marco Arment runs the show. Marco Arment again. MA is a state code. "
            "The Xbox One S runs a new OS.",
            [("Marco Arment", "PERSON"), ("Marco Arment", "ORG"), ("One S", "ORG")],
        )
    )
    out = resolve_aliases(mentions, articles=articles)
    assert "MA" not in set(out["text"]) and "OS" not in set(out["text"])


def test_bracketed_acronym_must_fit_the_name_else_the_phrase_before_it():
    mentions, articles = corpus(
        (
            "NAPA COUNTY, Calif. (KGO) -- A plan. The Green New Deal for Europe (GNDE) is bold. "
            "GNDE grows. The US Patent and Trademark Office (USPTO) ruled. The USPTO said so. "
            "The XMLHttpRequest (XHR) object. XHR works. Cadets of Royal Military Academy "
            "Sandhurst's (RMAS) course.",
            [
                ("Calif.", "GPE"),
                ("Europe", "LOC"),
                ("US", "GPE"),
                ("Trademark Office", "ORG"),
                ("XMLHttpRequest", "PRODUCT"),
            ],
        )
    )
    out = resolve_aliases(mentions, articles=articles)
    log = alias_log(out)
    assert "KGO" not in set(out["text"])
    assert set(entities_of(out, "GNDE")) == {"Green New Deal for Europe"}
    assert set(entities_of(out, "USPTO")) == {"US Patent and Trademark Office"}
    assert set(entities_of(out, "XHR")) == {"XMLHttpRequest"}
    assert set(entities_of(out, "RMAS")) == {"Royal Military Academy Sandhurst"}
    assert "US" not in set(out["text"])  # inside the office's name
    assert set(log.loc[log["alias"] == "US", "entity"]) <= {"United States"}
    for row in out.itertuples():
        assert articles["text"].iloc[0][row.start : row.end] == row.text


def test_short_names_only_link_to_person_shaped_full_names():
    mentions, articles = corpus(
        (
            "Fetch API calls work. The API returns JSON via C++ JSON. Tallon IV is far; "
            "Tallon waits. Santander UK said Santander grew.",
            [
                ("Fetch API", "PERSON"),
                ("API", "ORG"),
                ("C++ JSON", "PERSON"),
                ("Tallon IV", "PERSON"),
                ("Tallon", "PERSON"),
                ("Santander UK", "PERSON"),
                ("Santander", "ORG"),
            ],
        ),
        ("Ortonne N wrote it. N was right.", [("Ortonne N", "PERSON")]),
    )
    out = resolve_aliases(mentions, articles=articles)
    for short in ("API", "Tallon", "Santander"):
        assert entities_of(out, short) == [short], short
    assert "N" not in set(out["text"]) and "JSON" not in set(out["text"])


def test_across_articles_a_given_name_needs_evidence():
    mentions, articles = corpus(
        (
            "Morgan Tsvangirai spoke. Tsvangirai left.",
            [("Morgan Tsvangirai", "PERSON"), ("Tsvangirai", "PERSON")],
        ),
        ("Xi Jinping arrived. Xi spoke.", [("Xi Jinping", "PERSON"), ("Xi", "PERSON")]),
        ("Morgan said hello.", [("Morgan", "PERSON")]),
        ("Tsvangirai said so. Xi agreed.", [("Tsvangirai", "PERSON"), ("Xi", "PERSON")]),
    )
    out = resolve_aliases(mentions, articles=articles)
    assert entities_of(out, "Morgan") == ["Morgan"]  # a given name alone: someone else
    assert entities_of(out, "Tsvangirai") == ["Morgan Tsvangirai"] * 2  # a surname
    assert entities_of(out, "Xi") == ["Xi Jinping"] * 2  # used alone for him in a0


def test_text_scan_skips_common_words():
    mentions, articles = corpus(
        (
            "Skim Milk is sold here. Milk prices rose, and milk is cheap. "
            "David Green spoke (@green). Green left. Mail Green.david@example.com.",
            [("Skim Milk", "PERSON"), ("David Green", "PERSON")],
        )
    )
    out = resolve_aliases(mentions, articles=articles)
    assert "Milk" not in set(out["text"])
    # A handle in lower case does not make a name a common word; an address is no mention.
    assert entities_of(out, "Green") == ["David Green"]


def test_across_articles_words_ner_mostly_takes_for_things_are_not_surnames():
    mentions, articles = corpus(
        ("Performant Python is out. Python helps.", [("Performant Python", "PERSON")]),
        ("Python was slow. Python got fast.", [("Python", "PERSON"), ("Python", "ORG")]),
        ("Python 3 and Python 2.", [("Python", "ORG"), ("Python", "ORG")]),
        (
            "Joe Biden won. Biden spoke. Biden smiled.",
            [("Joe Biden", "PERSON"), ("Biden", "PERSON")],
        ),
        ("The Biden plan. Biden agreed.", [("Biden", "GPE"), ("Biden", "PERSON")]),
        ("Bradley Stoke spoke in Stoke-on-Trent. Stoke agreed.", [("Bradley Stoke", "PERSON")]),
    )
    out = resolve_aliases(mentions, articles=articles)
    assert set(out.loc[out["article_id"] != "a0", "entity"]) >= {"Python"}
    assert "Performant Python" not in set(out.loc[out["article_id"] != "a0", "entity"])
    # Written mostly for a person (linked within its article or not): a surname still.
    assert entities_of(out, "Biden")[-1] == "Joe Biden"
    stoke = out[out["entity"] == "Bradley Stoke"]
    assert stoke["text"].tolist() == ["Bradley Stoke", "Stoke"]  # not the one in Stoke-on-Trent


def test_middle_initials_merge_across_articles():
    mentions, articles = corpus(
        ("Michael R. Bloomberg spoke. Bloomberg left.", [("Michael R. Bloomberg", "PERSON")]),
        ("Michael Bloomberg ran. Bloomberg lost.", [("Michael Bloomberg", "PERSON")]),
        ("Richard M. Stallman wrote it.", [("Richard M. Stallman", "PERSON")]),
    )
    out = resolve_aliases(mentions, articles=articles)
    log = alias_log(out)
    assert set(out.loc[out["text"].str.contains("Bloomberg"), "entity"]) == {"Michael Bloomberg"}
    assert entities_of(out, "Richard M. Stallman") == ["Richard M. Stallman"]
    assert "middle initial" in set(log["reason"])


def test_starter_table_keeps_where_an_alias_ended():
    mentions, articles = corpus(
        (
            "Keith Mitchell spoke. Dr Mitchell agreed.",
            [("Keith Mitchell", "PERSON"), ("Dr Mitchell", "PERSON")],
        )
    )
    out = resolve_aliases(mentions, articles=articles)
    log = alias_log(out)
    assert entities_of(out, "Dr Mitchell") == ["Keith Mitchell"]
    starter = alias_table_from_log(log)
    assert starter.set_index("alias")["entity"]["Dr Mitchell"] == "Keith Mitchell"


@pytest.mark.parametrize("entity", ["Hou Le (official)", "HOU Le", "Le, Hou", "Le Hou"])
def test_a_table_renaming_a_full_name_keeps_its_short_names(entity):
    mentions, articles = corpus(
        (
            "Hou Le, an official, spoke. Hou said the police were ready. Later Hou left.",
            [("Hou Le", "PERSON"), ("Hou", "PERSON")],  # NER missed the last "Hou"
        ),
        ("Hou Le arrived in Hangzhou.", [("Hou Le", "PERSON"), ("Hangzhou", "GPE")]),
        ("Hou said more police would come.", [("Hou", "PERSON")]),
    )
    plain = resolve_aliases(mentions, articles=articles)
    assert entities_of(plain, "Hou") == ["Hou Le"] * 3
    table = pd.DataFrame({"alias": ["Hou Le"], "entity": [entity], "label": ["PERSON"]})
    out = resolve_aliases(mentions, articles=articles, aliases=table)
    log = alias_log(out)
    assert len(out) == len(plain)  # no mention lost
    assert out[["article_id", "start", "end"]].equals(plain[["article_id", "start", "end"]])
    assert entities_of(out, "Hou") == [entity] * 3  # within the article, scanned, across
    assert entities_of(out, "Hou Le") == [entity] * 2
    # Resolving resolved mentions again (entities recomputed from the text) gives the same.
    again = resolve_aliases(out, articles=articles, aliases=table)
    assert again["entity"].tolist() == out["entity"].tolist()
    assert {"alias table", "short name", "short name (text scan)"} <= set(log["reason"])
