"""What the articles are about: topic models on the toolkit's own token counts.

:func:`topics` fits NMF (on tf-idf weights) or LDA (on counts) with scikit-learn to
the document-term matrix that :func:`toolkit.text.term_counts` would count (the same
tokenizer, stopwords and options), so a topic's terms are terms of the other tables.
scikit-learn is used because it is maintained, fast (NMF by multiplicative updates,
batch variational LDA) and deterministic for a ``random_state``.

- **Vocabulary**: terms in at least ``min_df`` articles and at most ``max_df`` of them
  (a term in most articles describes no topic), the ``max_terms`` most frequent.
- **Coherence**: NPMI of the top-10 terms of each topic over the corpus, with the
  article as the window: ``log(P(a, b) / (P(a) P(b))) / -log P(a, b)``, averaged
  over the pairs (a pair never seen together counts -1). 1 means the terms always
  come together, 0 independence.
- **Stability** (:func:`topic_stability`): the same model fitted with other seeds,
  each topic matched one to one (Hungarian) with the most similar topic of the other
  fit by the Jaccard overlap of their top terms. NMF starts from NNDSVDa (a
  randomized SVD: the seed matters little); LDA starts from random topics.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Literal, Unpack

import numpy as np
import pandas as pd
from scipy import sparse

from toolkit.text.termtable import corpus, count_matrix, period_start, str_series
from toolkit.text.tokens.tokenizer import StopwordSpec, TokenKwargs, document_options, token_options
from toolkit.vocab import check_choice, check_freq, check_positive_int

logger = logging.getLogger(__name__)

Method = Literal["nmf", "lda"]
METHODS: tuple[str, ...] = ("nmf", "lda")
#: Terms per topic in the coherence, the stability and the label.
TOP_TERMS = 10
LABEL_TERMS = 3


@dataclass
class Topics:
    """A fitted topic model (see :func:`topics`).

    Attributes
    ----------
    terms : pandas.DataFrame
        ``topic`` (int, from 0), ``term``, ``weight`` (float: the term's share of the
        topic's weight), ``rank`` (1 = heaviest); the ``n_terms`` top terms of each
        topic, by topic then rank.
    articles : pandas.DataFrame
        ``article_id``, ``topic``, ``weight`` (float: the topic's share of the
        article, each article's weights summing to 1); rows with weight 0 are left
        out, and so are articles with no term of the vocabulary.
    labels : pandas.DataFrame
        ``topic``, ``label`` (its top three terms), ``coherence`` (NPMI of its top
        ten terms), ``share`` (its share of all the articles' weight).
    method, k, seed : str, int, int
        How it was fitted.
    coherence : float
        The mean NPMI coherence of the topics.
    n_articles, n_terms : int
        Articles modelled and the size of the vocabulary.
    """

    terms: pd.DataFrame
    articles: pd.DataFrame
    labels: pd.DataFrame
    method: str
    k: int
    seed: int
    coherence: float
    n_articles: int
    n_terms: int
    attrs: dict = field(default_factory=dict)


@dataclass
class Matrix:
    """The document-term counts of the modelled articles."""

    counts: sparse.csr_matrix
    terms: np.ndarray
    article_ids: np.ndarray


def document_terms(
    articles: pd.DataFrame,
    *,
    text_col: str = "text",
    min_df: int = 2,
    max_df: float = 0.5,
    max_terms: int = 5000,
    progress: bool = True,
    options=None,
) -> Matrix:
    """Count the terms of each usable article, keeping the vocabulary :func:`topics` uses."""
    texts = corpus(articles, text_col=text_col)
    n = len(texts)
    counts, terms = count_matrix(
        texts.texts, options, groups=np.arange(n, dtype=np.int64), n_groups=n,
        languages=texts.languages, progress=progress,
    )
    df = np.asarray((counts > 0).sum(axis=0)).ravel()
    keep = (df >= min(min_df, max(n, 1))) & (df <= max(max_df * n, 1))
    total = np.asarray(counts.sum(axis=0)).ravel()
    chosen = np.flatnonzero(keep)
    if len(chosen) > max_terms:
        order = np.lexsort((chosen, -total[chosen]))
        chosen = np.sort(chosen[order[:max_terms]])
    ids = texts.frame["article_id"].astype(str).to_numpy()
    return Matrix(counts[:, chosen].tocsr(), terms[chosen], ids)


def npmi_coherence(counts: sparse.csr_matrix, top: list[np.ndarray]) -> np.ndarray:
    """Mean NPMI of the term pairs of each list of column indices, articles as windows."""
    present = (counts > 0).astype(np.float64).tocsc()
    n = counts.shape[0]
    out = np.zeros(len(top))
    for i, columns in enumerate(top):
        if len(columns) < 2 or n == 0:
            out[i] = np.nan
            continue
        sub = present[:, columns]
        joint = (sub.T @ sub).toarray() / n
        single = np.diag(joint).copy()
        upper = np.triu_indices(len(columns), 1)
        p_ab = joint[upper]
        p_a, p_b = single[upper[0]], single[upper[1]]
        with np.errstate(divide="ignore", invalid="ignore"):
            npmi = np.log(p_ab / (p_a * p_b)) / -np.log(p_ab)
        npmi = np.where(p_ab <= 0, -1.0, npmi)
        npmi = np.where(p_ab >= 1, 1.0, npmi)
        out[i] = float(np.nanmean(npmi))
    return out


def _fit(matrix: Matrix, k: int, method: str, seed: int) -> np.ndarray:
    """(document-topic, topic-term) weights of the model."""
    if method == "nmf":
        from sklearn.decomposition import NMF
        from sklearn.feature_extraction.text import TfidfTransformer

        weights = TfidfTransformer(sublinear_tf=True).fit_transform(matrix.counts)
        # multiplicative updates converge in tens of iterations here, where coordinate
        # descent takes hundreds (the same coherence, several times faster)
        model = NMF(n_components=k, init="nndsvda", solver="mu", random_state=seed,
                    max_iter=400)
        doc_topic = model.fit_transform(weights)
    else:
        from sklearn.decomposition import LatentDirichletAllocation

        model = LatentDirichletAllocation(
            n_components=k, random_state=seed, learning_method="batch", max_iter=30,
        )
        doc_topic = model.fit_transform(matrix.counts)
    return doc_topic, model.components_


def _check(k, method, seed, n_terms) -> None:
    check_positive_int("k", k)
    check_choice("method", method, METHODS)
    if not isinstance(seed, int | np.integer) or isinstance(seed, bool):
        raise ValueError(f"seed must be an int, got {seed!r}")
    check_positive_int("n_terms", n_terms)


@document_options
def topics(
    articles: pd.DataFrame,
    *,
    k: int = 10,
    method: Method = "nmf",
    seed: int = 0,
    n_terms: int = 10,
    min_df: int = 2,
    max_df: float = 0.5,
    max_terms: int = 5000,
    text_col: str = "text",
    stopwords: StopwordSpec = "english",
    progress: bool = True,
    **token_kwargs: Unpack[TokenKwargs],
) -> Topics:
    """Fit ``k`` topics to the usable articles.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles frame; its usable rows are modelled.
    k : int, default 10
        Number of topics (at most the number of articles and of terms kept).
    method : {"nmf", "lda"}, default "nmf"
        Non-negative matrix factorisation of the tf-idf weights (sublinear tf,
        NNDSVDa start, multiplicative updates), or latent Dirichlet allocation of
        the counts (batch variational Bayes, 30 passes).
    seed : int, default 0
        Random state: the same seed gives the same topics.
    n_terms : int, default 10
        Top terms listed per topic.
    min_df : int, default 2
        Keep terms found in at least this many articles.
    max_df : float, default 0.5
        Drop terms found in more than this share of the articles.
    max_terms : int, default 5000
        Keep at most this many terms (the most frequent).
    text_col : str
        Column holding the text.
    {ngram_stopwords}
    {token_kwargs}
    progress : bool, default True
        Show a progress bar while counting.

    Returns
    -------
    Topics
        ``terms`` (columns ``topic``, ``term``, ``weight``, ``rank``), ``articles``
        (``article_id``, ``topic``, ``weight``), ``labels`` (``topic``, ``label``,
        ``coherence``, ``share``), ``coherence`` (mean NPMI of the top-10 terms),
        ``method``, ``k``, ``seed``, ``n_articles``, ``n_terms``.

    Raises
    ------
    ValueError
        For a bad ``k``, ``method``, ``seed`` or tokenizer option, or when there
        are fewer articles or terms than ``k``.
    """
    _check(k, method, seed, n_terms)
    if not 0 < max_df <= 1:
        raise ValueError(f"max_df must be in (0, 1], got {max_df!r}")
    check_positive_int("min_df", min_df)
    check_positive_int("max_terms", max_terms)
    options = token_options(stopwords=stopwords, **token_kwargs)
    matrix = document_terms(articles, text_col=text_col, min_df=min_df, max_df=max_df,
                            max_terms=max_terms, progress=progress, options=options)
    n_docs, n_vocab = matrix.counts.shape
    if n_docs < k or n_vocab < k:
        raise ValueError(
            f"k={k} topics need at least {k} articles and {k} terms; there are {n_docs} "
            f"usable articles and {n_vocab} terms kept (lower min_df or k)"
        )
    return _model(matrix, k=k, method=method, seed=seed, n_terms=n_terms)


def _model(matrix: Matrix, *, k: int, method: str, seed: int, n_terms: int) -> Topics:
    doc_topic, topic_term = _fit(matrix, k, method, int(seed))
    term_order = np.argsort(-topic_term, axis=1, kind="stable")
    top = [term_order[t, :TOP_TERMS] for t in range(k)]
    coherence = npmi_coherence(matrix.counts, top)
    shown = term_order[:, :n_terms]
    totals = topic_term.sum(axis=1, keepdims=True)
    share = np.divide(topic_term, totals, out=np.zeros_like(topic_term), where=totals > 0)
    terms = pd.DataFrame({
        "topic": pd.Series(np.repeat(np.arange(k), shown.shape[1]), dtype="int64"),
        "term": str_series(matrix.terms[shown.ravel()]),
        "weight": pd.Series(np.take_along_axis(share, shown, axis=1).ravel(), dtype="float64"),
        "rank": pd.Series(np.tile(np.arange(1, shown.shape[1] + 1), k), dtype="int64"),
    })
    row_totals = doc_topic.sum(axis=1, keepdims=True)
    doc_share = np.divide(doc_topic, row_totals, out=np.zeros_like(doc_topic),
                          where=row_totals > 0)
    rows, cols = np.nonzero(doc_share > 0)
    per_article = pd.DataFrame({
        "article_id": str_series(matrix.article_ids[rows]),
        "topic": pd.Series(cols, dtype="int64"),
        "weight": pd.Series(doc_share[rows, cols], dtype="float64"),
    })
    weight_share = doc_share.sum(axis=0) / max(doc_share.sum(), 1e-12)
    labels = pd.DataFrame({
        "topic": pd.Series(np.arange(k), dtype="int64"),
        "label": str_series([
            f"{t}: " + ", ".join(matrix.terms[term_order[t, :LABEL_TERMS]]) for t in range(k)
        ]),
        "coherence": pd.Series(coherence, dtype="float64"),
        "share": pd.Series(weight_share, dtype="float64"),
    })
    logger.info("%s: %d topics of %d articles, coherence %.3f", method, k, len(matrix.article_ids),
                np.nanmean(coherence))
    return Topics(terms, per_article, labels, method, k, int(seed),
                  float(np.nanmean(coherence)), matrix.counts.shape[0], matrix.counts.shape[1])


def topic_stability(
    articles: pd.DataFrame,
    *,
    k: int = 10,
    method: Method = "nmf",
    seeds: tuple[int, ...] = (0, 1, 2),
    text_col: str = "text",
    stopwords: StopwordSpec = "english",
    progress: bool = False,
    **token_kwargs: Unpack[TokenKwargs],
) -> pd.DataFrame:
    """How much the topics change with the seed: each fit's topics matched to the first's.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles frame.
    k, method, text_col, stopwords, token_kwargs
        As in :func:`topics` (the other options at their defaults).
    seeds : tuple of int
        Seeds to fit with (two or more); the first is the reference.
    progress : bool
        Show a progress bar while counting.

    Returns
    -------
    pandas.DataFrame
        One row per topic of each other seed's fit: ``seed`` (the other fit's),
        ``topic`` (the reference fit's topic), ``match`` (the topic it is paired with
        in the other fit), ``jaccard`` (overlap of their top-10 terms). The mean
        ``jaccard`` is the stability (1: the same topics).
    """
    _check(k, method, 0, TOP_TERMS)
    if len(seeds) < 2 or not all(isinstance(s, int | np.integer) for s in seeds):
        raise ValueError(f"seeds must hold two or more ints, got {seeds!r}")
    from scipy.optimize import linear_sum_assignment

    options = token_options(stopwords=stopwords, **token_kwargs)
    matrix = document_terms(articles, text_col=text_col, progress=progress, options=options)
    if min(matrix.counts.shape) < k:
        raise ValueError(f"k={k} topics need at least {k} articles and {k} terms")
    fits = [_model(matrix, k=k, method=method, seed=int(s), n_terms=TOP_TERMS) for s in seeds]
    tops = [[set(f.terms.loc[f.terms["topic"] == t, "term"]) for t in range(k)] for f in fits]
    rows = []
    for seed, other in zip(seeds[1:], tops[1:], strict=True):
        similarity = np.array([[len(a & b) / len(a | b) for b in other] for a in tops[0]])
        left, right = linear_sum_assignment(-similarity)
        rows.extend({"seed": int(seed), "topic": int(a), "match": int(b),
                     "jaccard": float(similarity[a, b])} for a, b in zip(left, right,
                                                                           strict=True))
    return pd.DataFrame(rows).astype({"seed": "int64", "topic": "int64", "match": "int64",
                                      "jaccard": "float64"})


def topic_trends(
    articles: pd.DataFrame,
    *,
    model: Topics,
    freq: str = "M",
    by: str | None = None,
) -> pd.DataFrame:
    """Each topic's share of the articles per period (and group).

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles frame the model was fitted on (``article_id``, ``date``, and
        the ``by`` column).
    model : Topics
        The result of :func:`topics`.
    freq : {"D", "W", "M", "Q", "Y"}, default "M"
        Period length (weeks start on Monday).
    by : str, optional
        A column to group by as well (e.g. ``"sitename"``).

    Returns
    -------
    pandas.DataFrame
        Columns ``[by]``, ``period`` (the period start), ``topic``, ``label``,
        ``share`` (the topic's mean weight over the period's articles: the shares
        of a period sum to 1), ``n_articles`` (modelled articles of the period);
        one row per group, period and topic, sorted that way. Undated articles
        are left out (``attrs["undated_articles"]``).
    """
    if not isinstance(model, Topics):
        raise ValueError(f"model must be the Topics that topics() returns, got "
                         f"{type(model).__name__}")
    check_freq(freq)
    if by is not None and by not in articles.columns:
        raise ValueError(f"by={by!r} is not a column; columns are {list(articles.columns)}")
    if "date" not in articles.columns:
        raise ValueError("topic_trends needs the articles' date column")
    keys = ["article_id", "date"] + ([by] if by else [])
    meta = articles[keys].assign(article_id=articles["article_id"].astype(str))
    meta = meta.drop_duplicates("article_id")
    wide = model.articles.pivot_table(index="article_id", columns="topic", values="weight",
                                      fill_value=0.0).reindex(columns=range(model.k),
                                                              fill_value=0.0)
    meta = meta.loc[meta["article_id"].isin(wide.index)]
    undated = int(meta["date"].isna().sum())
    meta = meta.loc[meta["date"].notna()]
    meta = meta.assign(period=period_start(meta["date"], freq))
    groups = ([by] if by else []) + ["period"]
    weights = wide.loc[meta["article_id"]].to_numpy()
    frame = pd.DataFrame(weights, columns=range(model.k)).assign(
        **{g: meta[g].to_numpy() for g in groups}
    )
    grouped = frame.groupby(groups, sort=True, dropna=False)
    shares = grouped[list(range(model.k))].mean()
    sizes = grouped.size()
    long = shares.stack().rename("share").reset_index().rename(columns={f"level_{len(groups)}":
                                                                        "topic"})
    long["topic"] = long["topic"].astype("int64")
    long["n_articles"] = long.set_index(groups).index.map(sizes).astype("int64")
    long["label"] = long["topic"].map(model.labels.set_index("topic")["label"]).astype("str")
    out = long[[*groups[:-1], "period", "topic", "label", "share", "n_articles"]]
    out = out.sort_values([*groups, "topic"], kind="stable").reset_index(drop=True)
    out.attrs["undated_articles"] = undated
    out.attrs["freq"] = freq
    return out
