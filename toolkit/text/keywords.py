"""Which terms a set of articles uses more (or less) than a reference: ``keyness``.

For a term counted ``a`` times in the target (``c`` tokens in all) and ``b``
times in the reference (``d`` tokens):

- ``g2``: Rayson & Garside's (2000) log-likelihood,
  ``2 * (a ln(a / E1) + b ln(b / E2))`` with ``E1 = c (a + b) / (c + d)`` and
  ``E2 = d (a + b) / (c + d)`` (a zero count adds nothing). It is never
  negative; its direction is the sign of ``log_ratio``.
- ``p_value``: the chi-squared (1 degree of freedom) upper tail of ``g2``.
- ``log_ratio``: Hardie's (2014) effect size, ``log2((a / c) / (b / d))``; a
  zero count is replaced by 0.5 so the ratio stays finite. Positive means
  overused in the target; each unit doubles the relative frequency.
- ``q``: the Benjamini–Hochberg (1995) adjusted p-value over all the terms of the
  table, so that "significant" (``q < 0.05``) keeps the expected share of false
  discoveries among the terms called key under 5 %; with thousands of terms tested
  at once, ``p_value < 0.05`` alone would call hundreds of chance differences key.

The reference is other articles, an external frequency table, or general language
(``reference="general"``: word frequencies of ``wordfreq`` in each article's
language, see :mod:`toolkit.text.general`), which is what makes a corpus's own
vocabulary stand out from the words every text uses.
"""

from __future__ import annotations

import logging
import re
from typing import Unpack

import numpy as np
import pandas as pd
from scipy import sparse, stats

from toolkit.text.general import REFERENCE_TOKENS, general_shares, language_code
from toolkit.text.termtable import corpus, count_matrix, str_series, term_rank
from toolkit.text.tokens.tokenizer import (
    NLTK_LANGUAGES,
    StopwordSpec,
    TokenKwargs,
    document_options,
    token_options,
)
from toolkit.vocab import check_positive_int

logger = logging.getLogger(__name__)

KEYNESS_COLUMNS: tuple[str, ...] = (
    "term",
    "count_target",
    "count_reference",
    "total_target",
    "total_reference",
    "g2",
    "log_ratio",
    "p_value",
    "q",
)
#: Numbers have no general-language rate of their own (wordfreq pools them by digits).
_NUMBER = re.compile(r"[\d.,:/%-]+")
#: The ``reference=`` words that name a reference instead of giving one.
REFERENCES: tuple[str, ...] = ("general",)

#: The count that replaces zero in the log ratio (Hardie 2014).
ZERO_COUNT = 0.5


def log_likelihood(a, b, c, d) -> np.ndarray:
    """Rayson & Garside's G² for counts ``a``, ``b`` out of totals ``c``, ``d`` (arrays)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    c, d = np.asarray(c, dtype=np.float64), np.asarray(d, dtype=np.float64)
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        left = np.where(a > 0, a * np.log(a / e1), 0.0)
        right = np.where(b > 0, b * np.log(b / e2), 0.0)
    return 2.0 * (left + right)


def log_ratio(a, b, c, d) -> np.ndarray:
    """Hardie's log ratio ``log2((a / c) / (b / d))``, zero counts taken as 0.5."""
    a = np.where(np.asarray(a) == 0, ZERO_COUNT, a).astype(np.float64)
    b = np.where(np.asarray(b) == 0, ZERO_COUNT, b).astype(np.float64)
    return np.log2((a / np.asarray(c, dtype=np.float64)) / (b / np.asarray(d, dtype=np.float64)))


def _row_mask(articles: pd.DataFrame, value, name: str) -> np.ndarray:
    """Turn a mask argument into a boolean array over the rows of ``articles``, by position.

    A list or array is positional. A Series is aligned by index: it must carry the
    articles' own index (as ``articles["sitename"] == "X"`` does, repeated labels
    included), or the same unique labels in another order.
    """
    if isinstance(value, pd.Series):
        index = articles.index
        if value.index.equals(index):
            values = value.to_numpy()
        elif (
            value.index.is_unique
            and index.is_unique
            and len(value) == len(index)
            and value.index.isin(index).all()
        ):
            values = value.reindex(index).to_numpy()
        else:
            raise ValueError(
                f"{name} is a Series whose index is not aligned to the articles' index "
                f"({len(value)} values for {len(articles)} rows): build it from the same "
                f"frame (e.g. articles['sitename'] == 'X'), or pass a list or array, "
                "which is aligned by position"
            )
        dtype = value.dtype
    else:
        if len(value) != len(articles):
            raise ValueError(
                f"{name} has {len(value)} values but the articles have {len(articles)} rows"
            )
        values = np.asarray(value)
        dtype = values.dtype if len(values) else np.dtype(bool)
    if not pd.api.types.is_bool_dtype(dtype):
        raise ValueError(f"{name} must be boolean (a mask over the articles), got {dtype}")
    # a nullable boolean mask's missing values select nothing
    return pd.array(values, dtype="boolean").fillna(False).to_numpy(dtype=bool)


def _mask(frame: pd.DataFrame, articles: pd.DataFrame, value, by: str | None, name: str):
    """Turn a target/reference argument into a boolean array over ``frame``'s rows.

    ``frame`` holds the usable rows of ``articles`` indexed by their position in it.
    """
    if isinstance(value, (pd.Series, np.ndarray, list, tuple)):
        return _row_mask(articles, value, name)[frame.index.to_numpy()]
    if by is None:
        raise ValueError(
            f"{name}={value!r} is a group value: say which column holds it with by=..., "
            "or pass a boolean mask"
        )
    values = frame[by]
    if value not in set(articles[by].dropna()):
        raise ValueError(f"{name}={value!r} is not a value of column {by!r}")
    return values.eq(value).fillna(False).to_numpy(dtype=bool)


def _sides(frame, articles, target, reference, by) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``frame`` to count and their side: 0 target, 1 reference (rest by default).

    An article in both target and reference is counted on both sides (and logged).
    """
    in_target = _mask(frame, articles, target, by, "target")
    if reference is None:
        in_reference = ~in_target
    else:
        in_reference = _mask(frame, articles, reference, by, "reference")
    both = in_target & in_reference
    if both.any():
        logger.warning("%d article(s) are in both target and reference", both.sum())
    docs = np.r_[np.flatnonzero(in_target), np.flatnonzero(in_reference)]
    groups = np.r_[np.zeros(in_target.sum(), np.int64), np.ones(in_reference.sum(), np.int64)]
    return docs, groups


def _reference_table(reference: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    missing = [c for c in ("term", "count") if c not in reference.columns]
    if missing:
        raise ValueError(
            f"a reference frequency table needs columns 'term' and 'count'; lacks {missing}"
        )
    table = reference.groupby(reference["term"].astype("str"), sort=False)["count"].sum()
    counts = table.to_numpy(dtype=np.int64)
    if (counts < 0).any():
        raise ValueError("reference counts must not be negative")
    terms = np.empty(len(table), dtype=object)
    terms[:] = table.index.tolist()
    return terms, counts


def _empty() -> pd.DataFrame:
    return _frame(np.empty(0, dtype=object), *(np.zeros(0, np.int64),) * 4)


def benjamini_hochberg(p_values) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q) of ``p_values``, in their order."""
    p_values = np.asarray(p_values, dtype=np.float64)
    if not len(p_values):
        return np.zeros(0)
    return stats.false_discovery_control(p_values, method="bh")


def _frame(terms, a, b, c, d) -> pd.DataFrame:
    g2 = log_likelihood(a, b, c, d) if len(terms) else np.zeros(0)
    ratio = log_ratio(a, b, c, d) if len(terms) else np.zeros(0)
    p = stats.chi2.sf(g2, 1) if len(terms) else np.zeros(0)
    q = benjamini_hochberg(p)
    order = np.lexsort((term_rank(terms), -g2))
    return pd.DataFrame(
        {
            "term": str_series(terms[order]),
            "count_target": pd.Series(np.asarray(a)[order], dtype="int64"),
            "count_reference": pd.Series(np.asarray(b)[order], dtype="int64"),
            "total_target": pd.Series(np.broadcast_to(c, len(terms)), dtype="int64"),
            "total_reference": pd.Series(np.broadcast_to(d, len(terms)), dtype="int64"),
            "g2": pd.Series(g2[order], dtype="float64"),
            "log_ratio": pd.Series(ratio[order], dtype="float64"),
            "p_value": pd.Series(p[order], dtype="float64"),
            "q": pd.Series(q[order], dtype="float64"),
        }
    )


@document_options
def keyness(
    articles: pd.DataFrame,
    *,
    target=None,
    reference=None,
    by: str | None = None,
    text_col: str = "text",
    ngram: int | tuple[int, int] = 1,
    stopwords: StopwordSpec = "english",
    min_count: int = 1,
    progress: bool = True,
    **token_kwargs: Unpack[TokenKwargs],
) -> pd.DataFrame:
    """Compare the terms of target articles with a reference corpus.

    Parameters
    ----------
    articles : pandas.DataFrame
        Articles frame; only its usable rows are counted.
    target : boolean Series/array, a value of ``by``, or None
        The target articles: a mask over the rows of ``articles``, or a value
        of column ``by`` (e.g. ``target="China Daily", by="sitename"``). A
        list or array is aligned by position; a Series by index, so it must
        come from ``articles`` itself (``articles["sitename"] == "X"`` works
        even when the index repeats labels, as after ``pd.concat``) or carry
        the same unique labels. None (only with ``reference="general"`` or a
        reference frame): every usable article.
    reference : None, boolean mask, value of ``by``, DataFrame or "general"
        None: every other usable article. A mask or a value of ``by``: those
        articles. A frame with ``term`` and ``count`` columns (for instance
        ``term_counts`` of another corpus, made with the same options): an
        external frequency list whose total is its count sum. ``"general"``:
        general language, from ``wordfreq``'s frequencies in each article's
        language (unigrams only, numbers left out; articles in a language
        wordfreq lacks are left out, ``attrs["left_out"]`` counts them by language);
        ``count_reference`` is then the term's expected count in a notional
        corpus of ``total_reference`` = 10⁹ words.
    by : str, optional
        Column whose values ``target`` / ``reference`` name.
    text_col : str
        Column holding the text.
    {ngram_stopwords}
    {token_kwargs}
    min_count : int, default 1
        Leave out terms counted fewer times in target and reference together.
    progress : bool, default True
        Show a progress bar on long inputs.

    Returns
    -------
    pandas.DataFrame
        Columns ``term``, ``count_target``, ``count_reference``,
        ``total_target``, ``total_reference`` (int64: token totals after
        stopword removal), ``g2``, ``log_ratio``, ``p_value``, ``q`` (float64:
        the Benjamini–Hochberg adjusted p-value; "significant" means
        ``q < 0.05``); every term found on either side (with
        ``reference="general"``: every term of the target), sorted by ``g2``
        descending, then ``term``. Filter ``log_ratio > 0`` for the terms the
        target overuses. ``attrs["reference"]`` describes the reference.

    Raises
    ------
    ValueError
        For a bad mask, an unknown group value or column, a reference table
        without ``term``/``count``, or a bad tokenizer option.
    """
    options = token_options(ngram=ngram, stopwords=stopwords, **token_kwargs)
    check_positive_int("min_count", min_count)
    general = isinstance(reference, str) and reference in REFERENCES
    if isinstance(reference, str) and by is None and not general:
        raise ValueError(
            f"reference={reference!r} is not valid: give None, a mask, a value of by (with "
            f"by=...), a frequency frame, or one of {list(REFERENCES)}"
        )
    if general and by is not None and by in articles.columns and (
        articles[by] == reference
    ).any():
        raise ValueError(
            f"reference={reference!r} is both general language and a value of {by!r}: pass "
            f"a mask (articles[{by!r}] == {reference!r}) for the articles"
        )
    if general and options.ngram != (1, 1):
        raise ValueError("reference='general' compares single words: use ngram=1")
    # number the rows so a mask lines up by position, whatever the index holds
    texts = corpus(articles.set_axis(pd.RangeIndex(len(articles))), text_col=text_col)
    if by is not None and by not in articles.columns:
        raise ValueError(f"by={by!r} is not a column; columns are {list(articles.columns)}")
    if target is None and not (general or isinstance(reference, pd.DataFrame)):
        raise ValueError(
            "target is needed to compare articles with other articles; target=None means "
            "every article only with reference='general' or a reference frame"
        )
    if target is None:
        target = np.ones(len(articles), dtype=bool)
    if general:
        in_target = _mask(texts.frame, articles, target, by, "target")
        table = general_keyness(texts, np.flatnonzero(in_target), options, progress=progress)
        attrs = table.attrs
        if len(table):
            table = table.loc[table["count_target"] >= min_count].reset_index(drop=True)
        table.attrs = attrs
        return table
    external = isinstance(reference, pd.DataFrame)
    if external:
        ref_terms, ref_counts = _reference_table(reference)
    docs, groups = _sides(texts.frame, articles, target, None if external else reference, by)
    if external:
        docs, groups = docs[groups == 0], groups[groups == 0]
    matrix, terms = count_matrix(
        [texts.texts[i] for i in docs],
        options,
        groups=groups,
        n_groups=2,
        languages=None if texts.languages is None else [texts.languages[i] for i in docs],
        progress=progress,
    )
    if external:
        matrix, terms = _with_external(matrix[0], terms, ref_terms, ref_counts)
    dense = matrix.toarray()
    a, b = dense[0], dense[1]
    c, d = int(a.sum()), int(b.sum())
    if c == 0 or d == 0:
        logger.warning("keyness: the %s has no tokens", "target" if c == 0 else "reference")
        return _empty()
    keep = (a + b) >= min_count
    table = _frame(terms[keep], a[keep], b[keep], c, d)
    table.attrs["reference"] = "external table" if external else "articles"
    return table


def general_keyness(texts, docs: np.ndarray, options, *, progress: bool = True) -> pd.DataFrame:
    """Keyness of the documents ``docs`` of ``texts`` against general language (wordfreq)."""
    from importlib.metadata import version

    languages = texts.languages or [None] * len(texts)
    fallback = next(
        (code for code, name in NLTK_LANGUAGES.items()
         if name == options.language_of(None)), "en",
    )
    codes = [language_code(languages[i]) or (fallback if languages[i] is None else None)
             for i in docs]
    left_out = pd.Series([languages[i] for i, c in zip(docs, codes, strict=True) if c is None],
                         dtype="object").fillna("unknown").value_counts().to_dict()
    if left_out:
        logger.warning("keyness: wordfreq has no frequencies for %s; those articles are left "
                       "out", left_out)
    kept = [(i, c) for i, c in zip(docs, codes, strict=True) if c is not None]
    names = sorted({c for _, c in kept})
    attrs = {"reference": f"general language (wordfreq {version('wordfreq')}, "
             f"languages {', '.join(names) or 'none'})", "left_out": left_out}
    if not kept:
        table = _empty()
        table.attrs = attrs
        return table
    matrix, terms = count_matrix(
        [texts.texts[i] for i, _ in kept], options,
        groups=np.array([names.index(c) for _, c in kept], dtype=np.int64),
        n_groups=len(names), languages=[languages[i] for i, _ in kept], progress=progress,
    )
    per_language = matrix.toarray()
    a = per_language.sum(axis=0)
    c = int(a.sum())
    if c == 0:
        table = _empty()
        table.attrs = attrs
        return table
    shares = np.zeros(len(terms))
    for row, code in enumerate(names):
        weight = per_language[row].sum() / c
        stop = frozenset(options.stopwords.for_language(options.language_of(code)))
        # a stopword of this language is never counted in it, so it expects nothing here
        counted = np.fromiter((t not in stop for t in terms), dtype=bool, count=len(terms))
        shares += weight * general_shares(terms, code, stop) * counted
    b = np.rint(shares * REFERENCE_TOKENS).astype(np.int64)
    numbers = np.fromiter((bool(_NUMBER.fullmatch(str(t))) for t in terms), dtype=bool,
                          count=len(terms))
    keep = (a > 0) & ~numbers
    table = _frame(terms[keep], a[keep], b[keep], c, REFERENCE_TOKENS)
    table.attrs = attrs
    return table


def _with_external(
    target: sparse.csr_matrix, terms: np.ndarray, ref_terms: np.ndarray, ref_counts: np.ndarray
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Stack the target's counts and an external table's over their joint vocabulary."""
    joint, codes = np.unique(np.r_[terms.astype(str), ref_terms.astype(str)], return_inverse=True)
    cols = codes[: len(terms)]
    ref_cols = codes[len(terms) :]
    a = np.zeros(len(joint), dtype=np.int64)
    a[cols] = target.toarray().ravel()
    b = np.zeros(len(joint), dtype=np.int64)
    np.add.at(b, ref_cols, ref_counts)
    out = np.empty(len(joint), dtype=object)
    out[:] = joint.tolist()
    return sparse.csr_matrix(np.vstack([a, b])), out
