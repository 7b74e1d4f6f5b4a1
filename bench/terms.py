"""Benchmark the term functions against scikit-learn's CountVectorizer.

Usage (from the repository root, NLTK_DATA pointing at the shared data):

    python bench/terms.py [--repeats 5] [--min-tokens 1000000]

The English pages of ../shared/corpus are extracted with trafilatura at run
time and repeated until the text holds at least ``--min-tokens`` word tokens.
Each round times, in turn, ``CountVectorizer().fit_transform`` and the
toolkit's ``term_counts``, ``tfidf`` and ``keyness`` on the same texts; rounds
are interleaved so machine noise hits both sides alike. Each toolkit call runs
"cold" (every tokenizer cache cleared first) and again "warm". The printed
ratios are medians over the rounds:

- term_counts speed = CountVectorizer time / term_counts time (target >= 1.0)
- tfidf, keyness cost = their time / CountVectorizer time (target <= 2.0)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TOOLKIT_SHARED", ROOT.parent / "shared"))
os.environ.setdefault("NLTK_DATA", str(SHARED / "nltk_data"))
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
import trafilatura  # noqa: E402
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer  # noqa: E402

import toolkit as tk  # noqa: E402
from toolkit.schema import conform_articles  # noqa: E402
from toolkit.text.tokens import tokenizer as tokens  # noqa: E402


def english_pages(corpus: Path) -> list[str]:
    """Main text of the corpus pages whose expected language is English."""
    texts = []
    for line in (corpus / "expected.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        if record.get("language") != "en":
            continue
        text = trafilatura.extract((corpus / record["file"]).read_bytes())
        if text:
            texts.append(text)
    return texts


def build_articles(pages: list[str], min_tokens: int) -> pd.DataFrame:
    """Repeat the pages until they hold ``min_tokens`` word tokens; one article each."""
    per_round = sum(len(tokens.WORD_RE.findall(t)) for t in pages)
    copies = -(-min_tokens // per_round)
    texts = pages * copies
    return conform_articles(
        pd.DataFrame(
            {
                "article_id": [f"a{i}" for i in range(len(texts))],
                "text": texts,
                "sitename": [f"site{i % len(pages) % 2}" for i in range(len(texts))],
                "language": "en",
                "status": "ok",
            }
        )
    )


def timed(func) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    func()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--min-tokens", type=int, default=1_000_000)
    args = parser.parse_args()

    pages = english_pages(SHARED / "corpus")
    articles = build_articles(pages, args.min_tokens)
    texts = articles["text"].tolist()
    n_tokens = int(tk.term_counts(articles, stopwords=None, progress=False)["count"].sum())
    n_cv = int(CountVectorizer().fit_transform(texts).sum())
    print(
        f"{len(pages)} English pages x {len(texts) // len(pages)} = {len(texts)} articles, "
        f"{sum(map(len, texts)) / 1e6:.1f} M characters; {n_tokens:,} word tokens "
        f"(toolkit, stopwords kept), {n_cv:,} (CountVectorizer's 2+ character tokens)"
    )
    target = articles["sitename"].eq("site0")
    jobs = {
        "term_counts": lambda: tk.term_counts(articles, progress=False),
        "tfidf": lambda: tk.tfidf(articles, progress=False),
        "keyness": lambda: tk.keyness(articles, target=target, progress=False),
    }
    names = ["cv", "tfidf_vectorizer"] + [f"{n} {s}" for n in jobs for s in ("cold", "warm")]
    wall: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}

    def record(name, func):
        w, c = timed(func)
        wall[name].append(w)
        cpu[name].append(c)

    for job in jobs.values():  # imports and one-off loading (NLTK's stopword list) happen here
        job()
    for _ in range(args.repeats):
        record("cv", lambda: CountVectorizer().fit_transform(texts))
        record("tfidf_vectorizer", lambda: TfidfVectorizer().fit_transform(texts))
        for name, job in jobs.items():
            tokens.clear_caches()
            record(f"{name} cold", job)
            record(f"{name} warm", job)

    print(f"\nmedian seconds over {args.repeats} interleaved rounds (wall / CPU):")
    for name in names:
        w, c = statistics.median(wall[name]), statistics.median(cpu[name])
        print(f"  {name:<18} {w:6.3f} / {c:6.3f} s   ({n_tokens / w / 1e6:5.2f} M tokens/s wall)")
    rows = [
        ("term_counts speed vs CountVectorizer (>= 1.0)", "term_counts", True),
        ("tfidf time / CountVectorizer time (<= 2.0)", "tfidf", False),
        ("keyness time / CountVectorizer time (<= 2.0)", "keyness", False),
    ]
    for clock, times in (("wall", wall), ("CPU", cpu)):
        print(f"\nratios by {clock} time (median of the per-round ratios; each round in brackets):")
        for label, name, speed in rows:
            for state in ("cold", "warm"):
                ours = times[f"{name} {state}"]
                ratios = [c / o if speed else o / c for c, o in zip(times["cv"], ours, strict=True)]
                shown = " ".join(f"{r:.2f}" for r in ratios)
                print(f"  {label} [{state}]: {statistics.median(ratios):.2f}  ({shown})")


if __name__ == "__main__":
    main()
