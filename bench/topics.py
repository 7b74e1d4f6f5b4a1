"""Topic models: coherence and time of ``tk.topics`` against gensim's LDA, same k, same input.

Usage (from the repository root)::

    python bench/topics.py [--k 10] [--big 10000] [--passes 5] [--json out.json]

Corpora:

- **shared**: the usable articles of ``../shared/corpus/html`` (all languages), read
  with ``tk.read_articles``;
- **big**: ``--big`` pseudo-articles made from the shared corpus' English articles,
  each six random paragraphs of one article and two of another (seeded), so the
  topics of the real articles are there, ten thousand times over.

Both models get the *same* document-term matrix: the toolkit's own counts
(``toolkit.text.topic_models.document_terms``: the tokens and stopwords of ``term_counts``,
stopwords "auto" plus the news fillers, terms in >= 2 articles and <= half of them,
the 5,000 most frequent). gensim's ``LdaModel`` reads it through
``gensim.matutils.Sparse2Corpus`` with ``num_topics=k``, ``passes=--passes``,
``iterations=50``, ``chunksize=2000``, ``random_state=0``. Every fit runs with BLAS
limited to one thread (threadpoolctl), on the same footing.
The toolkit fits NMF (its default) and, on the shared corpus only, LDA (scikit-learn,
batch, 30 passes). NMF's time is the best of ``--rounds``, the others run once.

Coherence: the mean NPMI of each topic's top-10 terms over the articles
(``toolkit.text.topic_models.npmi_coherence``, the article as the window), the same function
for every model. Time: the fit alone (counting is shared), best of ``--rounds``; and
the toolkit's end to end (``tk.topics``: counting + fit) against counting + gensim.
Targets: NMF coherence >= gensim's, NMF >= 3x faster than gensim.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TOOLKIT_SHARED", ROOT.parent / "shared"))
os.environ.setdefault("NLTK_DATA", str(SHARED / "nltk_data"))
sys.path.insert(0, str(ROOT))

import toolkit as tk  # noqa: E402
from toolkit.report.config import NEWS_STOPWORDS, REPORT_TOKEN_OPTIONS  # noqa: E402
from toolkit.schema import conform_articles, usable_articles  # noqa: E402
from toolkit.text.tokens.tokenizer import token_options  # noqa: E402
from toolkit.text.topic_models import _fit, document_terms, npmi_coherence  # noqa: E402

STOPWORDS = ("auto", NEWS_STOPWORDS)
#: Largest corpus the toolkit's (batch) LDA is timed on; the big one is NMF and gensim only.
MAX_TOOLKIT_LDA = 2000


def shared_articles() -> pd.DataFrame:
    articles = tk.read_articles([str(SHARED / "corpus" / "html")], workers=2, progress=False)
    return usable_articles(articles)


def big_articles(shared: pd.DataFrame, n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` pseudo-articles: six paragraphs of one English article and two of another."""
    rng = np.random.default_rng(seed)
    english = shared.loc[shared["language"].eq("en"), "text"]
    paragraphs = [[p for p in t.split("\n") if len(p.split()) >= 5] for t in english]
    paragraphs = [p for p in paragraphs if len(p) >= 2]
    texts = []
    for _ in range(n):
        first, second = rng.choice(len(paragraphs), size=2, replace=False)
        own = rng.choice(paragraphs[first], size=min(6, len(paragraphs[first])), replace=False)
        other = rng.choice(paragraphs[second], size=min(2, len(paragraphs[second])),
                           replace=False)
        texts.append("\n".join([*own, *other]))
    frame = pd.DataFrame({"article_id": [f"big{i}" for i in range(n)], "text": texts,
                          "language": "en", "status": "ok"})
    return conform_articles(frame)


def gensim_lda(counts, k: int, passes: int):
    from gensim.matutils import Sparse2Corpus
    from gensim.models import LdaModel

    corpus = Sparse2Corpus(counts, documents_columns=False)
    id2word = {i: str(i) for i in range(counts.shape[1])}
    model = LdaModel(corpus, num_topics=k, id2word=id2word, passes=passes, iterations=50,
                     chunksize=2000, random_state=0)
    return model.get_topics()  # topics x terms


def _best(fn, rounds: int):
    from threadpoolctl import threadpool_limits

    best, result = float("inf"), None
    for _ in range(rounds):
        with threadpool_limits(1):  # one core each: the same footing, and no BLAS thrashing
            started = time.perf_counter()
            result = fn()
            best = min(best, time.perf_counter() - started)
    return best, result


def compare(name: str, articles: pd.DataFrame, *, k: int, passes: int, rounds: int) -> dict:
    options = token_options(stopwords=STOPWORDS, **REPORT_TOKEN_OPTIONS)
    count_time, matrix = _best(lambda: document_terms(articles, progress=False,
                                                      options=options), 1)
    counts = matrix.counts.astype(np.float64)
    rows = {"corpus": name, "articles": counts.shape[0], "terms": counts.shape[1], "k": k,
            "count_s": round(count_time, 2)}

    def coherence(topic_term):
        top = [np.argsort(-topic_term[t])[:10] for t in range(k)]
        return float(np.nanmean(npmi_coherence(matrix.counts, top)))

    fits = {
        "toolkit_nmf": lambda: _fit(matrix, k, "nmf", 0)[1],
        "toolkit_lda": lambda: _fit(matrix, k, "lda", 0)[1],
        "gensim_lda": lambda: gensim_lda(counts.tocsr(), k, passes),
    }
    if counts.shape[0] > MAX_TOOLKIT_LDA:
        del fits["toolkit_lda"]  # batch LDA over every article 30 times: minutes, not the point
    for model, fit in fits.items():
        seconds, topic_term = _best(fit, rounds if model == "toolkit_nmf" else 1)
        rows[f"{model}_fit_s"] = round(seconds, 2)
        rows[f"{model}_npmi"] = round(coherence(topic_term), 4)
    rows["nmf_speedup_fit"] = round(rows["gensim_lda_fit_s"] / rows["toolkit_nmf_fit_s"], 2)
    rows["nmf_speedup_end_to_end"] = round(
        (count_time + rows["gensim_lda_fit_s"]) / (count_time + rows["toolkit_nmf_fit_s"]), 2)
    end_to_end, _ = _best(lambda: tk.topics(articles, k=k, stopwords=STOPWORDS,
                                            progress=False, **REPORT_TOKEN_OPTIONS), 1)
    rows["tk_topics_end_to_end_s"] = round(end_to_end, 2)
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--big", type=int, default=10_000)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    shared = shared_articles()
    results = [compare("shared", shared, k=args.k, passes=args.passes, rounds=args.rounds)]
    print(json.dumps(results[-1], indent=1), flush=True)
    big = big_articles(shared, args.big)
    results.append(compare(f"big ({args.big})", big, k=args.k, passes=args.passes,
                           rounds=args.rounds))
    print(json.dumps(results[-1], indent=1), flush=True)
    with pd.option_context("display.width", 250, "display.max_columns", 30):
        print(pd.DataFrame(results).T.to_string())
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
