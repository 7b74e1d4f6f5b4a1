"""Counting at scale: pandas against Dask (LocalCluster, 2 worker processes), same numbers.

The corpus: ``--articles`` news articles made of real sentences, those of the
CoNLL-2003 dev set (../shared/ner, read at run time), drawn at random, about
15 per article in 5 paragraphs, with dates over 2016 and 12 outlets. The
mentions are the gold CoNLL entities of those sentences (PER -> PERSON,
LOC -> GPE, ORG, MISC -> NORP), placed at their offsets in the article text.

Timed, each the best of ``--rounds`` runs (the machine is shared):

1. ``term_counts`` by outlet (unigrams) and by month (bigrams): pandas on the
   in-memory frame, against Dask on the same frame persisted on the workers
   in ``--partitions`` partitions (the counting alone); then pandas reading
   a Parquet dataset written as ``ingest_to_dataset`` does (batches of 500
   by month) and counting (``load_articles`` + ``term_counts``), against
   Dask reading it lazily in ``--partitions`` partitions and counting.
2. ``cooccurrence`` for every window kind: pandas against Dask on the
   mentions persisted on the workers, with the shuffle by article (any
   partitioning) and without it (mentions already partitioned by article).

Every Dask result is checked equal to pandas (``assert_frame_equal``).
Ratios are pandas time / Dask time (above 1: Dask is faster).

Usage::

    python bench/scale_counts.py [--articles 20000] [--partitions 8] [--rounds 3] [--workers 2]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("NLTK_DATA", str(SHARED / "nltk_data"))

import dask  # noqa: E402
import dask.dataframe as dd  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402
from ner_conll import read_conll  # noqa: E402

from toolkit.dask.scale import dask_cooccurrence, dask_term_counts, read_dataset  # noqa: E402
from toolkit.entities.pairs import cooccurrence  # noqa: E402
from toolkit.ingest.dataset import write_batch  # noqa: E402
from toolkit.ingest.store import load_articles  # noqa: E402
from toolkit.schema import conform_articles  # noqa: E402
from toolkit.text.counts import term_counts  # noqa: E402

LABELS = {"PER": "PERSON", "LOC": "GPE", "ORG": "ORG", "MISC": "NORP"}
OUTLETS = [
    ("China Daily", "chinadaily.com.cn"),
    ("Reuters", "reuters.com"),
    ("Xinhua", "xinhuanet.com"),
    ("Deutsche Welle", "dw.com"),
    ("BBC News", "bbc.co.uk"),
    ("The Guardian", "theguardian.com"),
    ("Associated Press", "apnews.com"),
    ("Al Jazeera", "aljazeera.com"),
    ("South China Morning Post", "scmp.com"),
    ("Le Monde", "lemonde.fr"),
    ("The Hindu", "thehindu.com"),
    ("NHK World", "nhk.or.jp"),
]


def conll_sentences() -> tuple[list[str], list[list[tuple[int, int, str]]]]:
    """Every CoNLL dev sentence and its gold spans (start, end, label), in sentence offsets."""
    texts, spans = [], []
    for document in read_conll(SHARED / "ner" / "conll2003_dev.txt"):
        offset, bounds = 0, []
        for sentence in document.sentences:
            bounds.append((offset, offset + len(sentence)))
            offset += len(sentence) + 1
        gold = sorted(document.gold)
        for begin, end in bounds:
            texts.append(document.text[begin:end])
            spans.append([(s - begin, e - begin, k) for s, e, k in gold if begin <= s < end])
    return texts, spans


def corpus(n_articles: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Articles of random CoNLL sentences and their gold mentions (see the module docstring)."""
    rng = np.random.default_rng(seed)
    sentences, spans = conll_sentences()
    long_enough = [i for i, s in enumerate(sentences) if len(s.split()) >= 5]
    articles, mentions = [], []
    for number in range(n_articles):
        article_id = f"a{number:06d}"
        chosen = rng.choice(long_enough, size=int(rng.integers(8, 23)))
        breaks = set(rng.choice(np.arange(1, len(chosen)), size=4, replace=False).tolist())
        text, paragraph = "", 0
        for position, index in enumerate(chosen):
            if position in breaks:
                text, paragraph = text + "\n", paragraph + 1
            elif position:
                text += " "
            for start, end, kind in spans[index]:
                mentions.append(
                    (article_id, paragraph, position, len(text) + start, len(text) + end,
                     sentences[index][start:end], LABELS[kind])
                )
            text += sentences[index]
        sitename, host = OUTLETS[int(rng.integers(len(OUTLETS)))]
        articles.append(
            {
                "article_id": article_id,
                "url": f"https://www.{host}/news/{article_id}.html",
                "hostname": host,
                "sitename": sitename,
                "date": pd.Timestamp("2016-01-01") + pd.Timedelta(days=int(rng.integers(366))),
                "language": "en",
                "text": text,
                "status": "ok",
            }
        )
    columns = ["article_id", "paragraph", "sentence", "start", "end", "text", "label"]
    frame = pd.DataFrame(mentions, columns=columns)
    frame = frame.assign(entity=frame["text"], backend="conll-gold")
    return conform_articles(pd.DataFrame(articles)), frame


def best(rounds: int, function, *args, **kwargs) -> tuple[float, object]:
    """The shortest time of ``rounds`` runs and the last result."""
    times, result = [], None
    for _ in range(rounds):
        began = time.perf_counter()
        result = function(*args, **kwargs)
        times.append(time.perf_counter() - began)
    return min(times), result


def by_article(mentions: pd.DataFrame, partitions: int):
    """Mentions in ``partitions`` partitions, each article whole in one of them."""
    codes = pd.factorize(mentions["article_id"])[0] % partitions
    parts = [mentions[codes == p] for p in range(partitions)]
    return dd.concat([dd.from_pandas(p, npartitions=1, sort=False) for p in parts])


def report(name: str, pandas_time: float, dask_time: float, check) -> None:
    pd.testing.assert_frame_equal(*check)
    print(
        f"{name:44} pandas {pandas_time:7.2f} s   dask {dask_time:7.2f} s   "
        f"ratio {pandas_time / dask_time:5.2f}x   equal",
        flush=True,
    )


def bench_terms(client, articles: pd.DataFrame, partitions: int, rounds: int) -> None:
    persisted = client.persist(dd.from_pandas(articles, npartitions=partitions, sort=False))
    cases = {
        "by outlet, unigrams": {"by": "sitename"},
        "by month, bigrams": {"by": "date", "freq": "M", "ngram": 2},
    }
    for name, options in cases.items():
        local, expected = best(rounds, term_counts, articles, progress=False, **options)
        remote, got = best(rounds, dask_term_counts, persisted, **options)
        report(f"term_counts {name}", local, remote, (got, expected))
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "dataset"
        for number, start in enumerate(range(0, len(articles), 500)):  # as ingest_to_dataset
            write_batch(articles.iloc[start : start + 500], out, partition_by=("month",),
                        batch_number=number)
        files = list(out.rglob("*.parquet"))
        size = sum(f.stat().st_size for f in files) // partitions + 1
        options = cases["by outlet, unigrams"]

        def eager():
            return term_counts(load_articles(out), progress=False, **options)

        def lazy():
            return dask_term_counts(read_dataset(out, partition_bytes=size), **options)

        local, expected = best(rounds, eager)
        remote, got = best(rounds, lazy)
        report(f"read + term_counts by outlet ({len(files)} files)", local, remote, (got, expected))


def bench_pairs(client, articles, mentions: pd.DataFrame, partitions: int, rounds: int) -> None:
    shuffled = client.persist(dd.from_pandas(mentions, npartitions=partitions, sort=False))
    grouped = client.persist(by_article(mentions, partitions))
    for window in ("sentence", "paragraph", "article", 10):
        local, expected = best(rounds, cooccurrence, mentions, window=window, articles=articles)
        for name, frame, shuffle in (("shuffle", shuffled, True), ("by article", grouped, False)):
            remote, got = best(
                rounds, dask_cooccurrence, frame, window=window, articles=articles,
                shuffle=shuffle,
            )
            report(f"cooccurrence window={window} ({name})", local, remote, (got, expected))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    began = time.perf_counter()
    articles, mentions = corpus(args.articles)
    words = int(articles["text"].str.split().str.len().sum())
    print(
        f"{len(articles):,} articles ({words:,} words), {len(mentions):,} mentions "
        f"(built in {time.perf_counter() - began:.1f} s); {args.partitions} partitions, "
        f"{args.workers} workers, best of {args.rounds}"
    )
    with (
        dask.config.set({"dataframe.convert-string": False}),
        LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        dask_term_counts(client.persist(dd.from_pandas(articles.head(50), npartitions=2)))
        bench_terms(client, articles, args.partitions, args.rounds)
        bench_pairs(client, articles, mentions, args.partitions, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
