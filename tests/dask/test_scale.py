"""Counting at scale: term_counts and cooccurrence of Dask frames on a LocalCluster equal pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from tests.entities.test_cooccurrence import random_corpus  # noqa: E402
from toolkit.dask.scale import dask_cooccurrence, dask_term_counts, read_dataset  # noqa: E402
from toolkit.entities.pairs import (  # noqa: E402
    combine_pair_counts,
    cooccurrence,
    pair_counts,
    pairs_table,
)
from toolkit.ingest.dataset import ingest_to_dataset  # noqa: E402
from toolkit.ingest.store import load_articles, save_articles  # noqa: E402
from toolkit.resources import find_spacy_model  # noqa: E402
from toolkit.schema import article_id_for, conform_articles  # noqa: E402
from toolkit.text.counts import term_counts  # noqa: E402

pytestmark = pytest.mark.slow  # starts a two-process cluster

SITES = [
    ("China Daily", "chinadaily.com.cn"),
    ("Reuters", "reuters.com"),
    ("Xinhua", "xinhuanet.com"),
    ("Deutsche Welle", "dw.com"),
    (None, None),
]
PEOPLE = ["Hou Le", "Xi Jinping", "Thorsten Boelts", "Angela Merkel", "Barack Obama"]
BODIES = [
    "the Ministry of Public Security",
    "Interpol",
    "the United Nations",
    "the Counterterrorism Bureau",
]
PLACES = ["Hangzhou", "Zhejiang province", "Beijing", "Germany", "Syria", "Afghanistan"]
SENTENCES = [
    "{person} said on {day} that {body} would send officers to {place} before the summit.",
    "Security in {place} was tightened as leaders arrived for the G20, {person} told reporters.",
    "{body} and police in {place} shared lists of suspects, according to {person}.",
    "Officials from {body} met {person} in {place} to discuss the threat of terrorism.",
]
GERMAN = [
    "Die Polizei in {place} hat die Sicherheit vor dem Gipfel verstärkt, sagte {person}.",
    "Nach Angaben von {body} arbeiten die Behörden mit der Polizei in {place} zusammen.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def generated_articles(seed_articles: pd.DataFrame, n: int = 60) -> pd.DataFrame:
    """The seed plus ``n`` news-like articles: several sites (one unnamed), English and German,
    dates over four months (some missing), duplicates, a failed page and an empty one."""
    rng = np.random.default_rng(7)
    seed_paragraphs = seed_articles["text"].iloc[0].split("\n")
    rows = []
    for i in range(n):
        sitename, host = SITES[i % len(SITES)]
        german = i % 9 == 4
        paragraphs = []
        for _ in range(rng.integers(2, 6)):
            templates = GERMAN if german else SENTENCES
            sentences = [
                templates[rng.integers(len(templates))].format(
                    person=PEOPLE[rng.integers(len(PEOPLE))],
                    body=BODIES[rng.integers(len(BODIES))],
                    place=PLACES[rng.integers(len(PLACES))],
                    day=DAYS[rng.integers(len(DAYS))],
                )
                for _ in range(rng.integers(1, 4))
            ]
            if not german and rng.random() < 0.3:
                sentences.append(seed_paragraphs[rng.integers(len(seed_paragraphs))])
            paragraphs.append(" ".join(sentences))
        url = f"https://www.{host or 'example.org'}/news/2016/{i:04d}.html"
        day = None if i % 11 == 3 else f"2016-{6 + i % 4:02d}-{1 + (i * 7) % 28:02d}T08:00"
        rows.append(
            {
                "article_id": article_id_for(url),
                "source_uri": url,
                "url": url,
                "hostname": host,
                "sitename": sitename,
                "title": f"Security report {i}",
                "authors": [PEOPLE[i % len(PEOPLE)]],
                "date": day,
                "language": "de" if german else "en",
                "text": "\n".join(paragraphs),
                "status": "ok",
            }
        )
    frame = conform_articles(pd.DataFrame(rows))
    copies = frame.iloc[[1, 2, 3]].assign(
        article_id=lambda f: f["article_id"] + "c",
        status="duplicate",
        duplicate_of=frame["article_id"].iloc[[1, 2, 3]].to_numpy(),
    )
    failed = frame.iloc[[5, 6]].assign(
        article_id=lambda f: f["article_id"] + "f",
        text=[None, ""],
        status=["error", "empty"],
    )
    out = pd.concat([seed_articles, frame, copies, failed], ignore_index=True)
    return out.sample(frac=1.0, random_state=3).reset_index(drop=True)


def split(frame: pd.DataFrame, sizes: list[int]):
    """A Dask frame whose partitions hold ``sizes`` rows in turn (the last takes the rest)."""
    bounds = np.cumsum([0, *sizes, len(frame)])
    bounds = np.minimum(bounds, len(frame))
    chunks = [frame.iloc[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    return dd.concat([dd.from_pandas(c, npartitions=1, sort=False) for c in chunks])


PARTITIONINGS = {
    "one": lambda f: dd.from_pandas(f, npartitions=1, sort=False),
    "even": lambda f: dd.from_pandas(f, npartitions=7, sort=False),
    "uneven": lambda f: split(f, [1, 0, len(f) // 2, 3]),
}


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            dashboard_address=":0",
            memory_limit="1GiB",
        ) as cluster,
        Client(cluster) as connected,
    ):
        yield connected


@pytest.fixture(scope="module")
def articles(seed_articles):
    return generated_articles(seed_articles)


@pytest.fixture(scope="module")
def mention_corpus():
    return random_corpus(11, n_articles=80)


@pytest.fixture
def plain_strings():
    """Keep pandas' dtypes in Dask frames (Dask would turn list columns into strings)."""
    with dask.config.set({"dataframe.convert-string": False}):
        yield


def assert_same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, expected)
    assert got.attrs == expected.attrs


@pytest.mark.parametrize("partitioning", sorted(PARTITIONINGS))
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"by": "sitename", "ngram": (1, 2), "stopwords": ("english", {"said"})},
        {"by": "date", "freq": "M", "min_count": 2},
        {"by": ["sitename", "language"], "stopwords": "auto", "base_form": "stem"},
    ],
    ids=["overall", "sites-bigrams", "months", "site-language-auto"],
)
def test_term_counts_equal_pandas(client, articles, plain_strings, partitioning, options):
    frame = PARTITIONINGS[partitioning](articles)
    got = dask_term_counts(frame, **options)
    expected = term_counts(frame.compute(), progress=False, **options)
    assert_same(got, expected)
    assert_same(got, term_counts(articles, progress=False, **options))
    assert len(got) > 100 and got["count"].sum() > 1000
    if "freq" in options:
        assert got.attrs["undated_articles"] > 0
        assert got["period"].isna().any()  # undated articles form the NaT period


def test_term_counts_with_dask_string_dtypes(client, articles):
    # Dask's default turns text columns into NA-valued strings: groups with no
    # site must still merge into one NA group, as pandas makes of the same rows.
    frame = dd.from_pandas(articles, npartitions=5, sort=False)
    options = {"by": "sitename", "min_count": 3}
    got = term_counts(frame, **options)  # term_counts hands a Dask frame to toolkit.dask.scale
    assert_same(got, term_counts(frame.compute(), progress=False, **options))
    assert got["sitename"].isna().any()
    assert got.groupby("sitename", dropna=False)["proportion"].sum().round(12).eq(1).all()


def test_duplicates_and_failed_pages_are_left_out(client, articles, plain_strings):
    usable = articles[articles["status"].eq("ok")]
    frame = dd.from_pandas(articles, npartitions=4, sort=False)
    got = dask_term_counts(frame, by="sitename", scheduler=client)
    assert_same(got, term_counts(usable, progress=False, by="sitename"))


def test_empty_input(client, articles, mention_corpus, plain_strings):
    frame = dd.from_pandas(articles, npartitions=3, sort=False)
    nothing = frame[frame["status"].eq("none")]
    for options in ({}, {"by": "sitename"}, {"by": "date", "freq": "W"}):
        got = dask_term_counts(nothing, **options)
        assert got.empty
        assert_same(got, term_counts(nothing.compute(), progress=False, **options))
    mentions = dd.from_pandas(mention_corpus[0], npartitions=3, sort=False)
    none = mentions[mentions["label"].eq("NONE")]
    assert_same(dask_cooccurrence(none), cooccurrence(none.compute()))
    assert dask_cooccurrence(mentions, labels=["WORK_OF_ART"]).empty


def test_bad_options_fail_before_any_work(client, articles):
    frame = dd.from_pandas(articles, npartitions=2, sort=False)
    with pytest.raises(ValueError, match="freq"):
        dask_term_counts(frame, freq="M")
    with pytest.raises(ValueError, match="min_count"):
        dask_term_counts(frame, min_count=0)
    with pytest.raises(ValueError, match="unknown tokenizer option"):
        dask_term_counts(frame, lowercas=False)
    with pytest.raises(ValueError, match="not in the articles"):
        dask_term_counts(frame, by="outlet")
    with pytest.raises(ValueError, match="dask.dataframe"):
        dask_term_counts(articles)


@pytest.mark.parametrize("partitioning", sorted(PARTITIONINGS))
@pytest.mark.parametrize("window", ["sentence", "paragraph", "article", 4])
def test_cooccurrence_equals_pandas(client, mention_corpus, partitioning, window):
    mentions, texts = mention_corpus
    frame = PARTITIONINGS[partitioning](mentions)  # articles are split across partitions
    got = cooccurrence(frame, window=window, articles=texts)
    assert_same(got, cooccurrence(frame.compute(), window=window, articles=texts))
    assert_same(got, cooccurrence(mentions, window=window, articles=texts))
    assert len(got) > 30 and got.attrs["n_windows"] > 70


def test_cooccurrence_labels_and_min_count(client, mention_corpus):
    mentions, _ = mention_corpus
    frame = dd.from_pandas(mentions, npartitions=6, sort=False)
    for options in ({"labels": "PLACE"}, {"labels": ["PERSON", "ORG"], "min_count": 3}):
        got = dask_cooccurrence(frame, window="paragraph", **options)
        assert_same(got, cooccurrence(mentions, window="paragraph", **options))
        assert not got.empty


def test_cooccurrence_without_shuffle(client, mention_corpus):
    mentions, _ = mention_corpus
    by_article = split(mentions, [0, 37, 1, 250])  # cuts inside articles
    with pytest.raises(ValueError, match="more than one partition"):
        dask_cooccurrence(by_article, shuffle=False)
    whole = mentions.assign(part=mentions["article_id"].str[-1].astype(int) % 3)
    grouped = dd.concat(
        [dd.from_pandas(g.drop(columns="part"), npartitions=1) for _, g in whole.groupby("part")]
    )
    assert_same(dask_cooccurrence(grouped, shuffle=False), cooccurrence(mentions))


def test_mentions_from_parquet(client, mention_corpus, tmp_path):
    mentions, texts = mention_corpus
    for number, start in enumerate(range(0, len(mentions), 400)):  # cuts inside articles
        mentions.iloc[start : start + 400].to_parquet(tmp_path / f"part-{number}.parquet")
    assert number >= 1
    for window in ("sentence", 5):
        got = cooccurrence(tmp_path, window=window, articles=texts)
        assert_same(got, cooccurrence(mentions, window=window, articles=texts))


def test_token_windows_need_pandas_articles(client, mention_corpus):
    mentions, texts = mention_corpus
    frame = dd.from_pandas(mentions, npartitions=2, sort=False)
    with pytest.raises(ValueError, match="pandas"):
        dask_cooccurrence(frame, window=3)
    with pytest.raises(ValueError, match="pandas"):
        dask_cooccurrence(frame, window=3, articles=dd.from_pandas(texts, npartitions=1))


def test_partial_counts_add_up_to_the_whole():
    mentions, _ = random_corpus(12, n_articles=50)
    groups = mentions["article_id"].str[-1].astype(int) % 4
    parts = [pair_counts(g, window="sentence") for _, g in mentions.groupby(groups)]
    whole = pairs_table(pair_counts(mentions, window="sentence"))
    assert_same(pairs_table(combine_pair_counts(parts)), whole)
    assert_same(pairs_table(combine_pair_counts(parts[::-1])), whole)
    assert_same(pairs_table(combine_pair_counts([parts[0]])), pairs_table(parts[0]))


@pytest.mark.skipif(find_spacy_model() is None, reason="no spaCy pipeline installed")
def test_entities_of_the_articles(client, articles):
    from toolkit.entities import extract_entities

    mentions = extract_entities(articles, backend="spacy", progress=False)
    frame = dd.from_pandas(mentions, npartitions=4, sort=False)
    for window in ("sentence", "article"):
        got = cooccurrence(frame, window=window, min_count=2)
        assert_same(got, cooccurrence(mentions, window=window, min_count=2))
    hou = got[(got["entity_a"] == "Counterterrorism Bureau") & (got["entity_b"] == "Hou Le")]
    assert hou["count"].item() >= 2


def test_dataset_read_lazily_and_counted(client, tmp_path, articles, plain_strings):
    records = articles[articles["status"].eq("ok")].drop(
        columns=["article_id", "source_uri", "status", "duplicate_of"]
    )
    ingest_to_dataset(
        records, tmp_path / "out", partition_by=("month", "host"), batch_size=100, progress=False
    )
    eager = load_articles(tmp_path / "out")
    files = list((tmp_path / "out").rglob("*.parquet"))
    assert read_dataset(tmp_path / "out").npartitions == 1  # small files are read together
    lazy = read_dataset(tmp_path / "out", partition_bytes=1)
    assert lazy.npartitions == len(files) > 10  # one per file: months x hosts
    assert "month" not in lazy.columns and "host" not in lazy.columns
    computed = lazy.compute()
    key = ["source_uri"]
    pd.testing.assert_frame_equal(
        computed.sort_values(key, ignore_index=True), eager.sort_values(key, ignore_index=True)
    )
    for options in ({"by": "hostname"}, {"by": "date", "freq": "M", "ngram": 2}):
        expected = term_counts(eager, progress=False, **options)
        assert_same(dask_term_counts(lazy, **options), expected)
    expected = term_counts(eager, progress=False, by="sitename")
    assert_same(term_counts(tmp_path / "out", by="sitename"), expected)
    single = save_articles(articles, tmp_path / "articles.parquet")
    pd.testing.assert_frame_equal(read_dataset(single).compute(), load_articles(single))
    (tmp_path / "nothing").mkdir()
    assert read_dataset(tmp_path / "nothing").compute().empty
    with pytest.raises(ValueError, match="no such"):
        read_dataset(tmp_path / "missing")
    with pytest.raises(ValueError, match="partition_bytes"):
        read_dataset(tmp_path / "out", partition_bytes=0)
