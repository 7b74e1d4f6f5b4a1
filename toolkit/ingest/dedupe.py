"""Exact and near-duplicate articles: MinHash fingerprints, found with LSH.

Syndicated news is copied with small edits: a new headline or intro line, a
credit line, a trimmed last paragraph, a "Most read" list that the extractor
kept. Counting every copy inflates term and entity counts, so duplicates are
marked (``status="duplicate"``, ``duplicate_of``) and left out of the
analysis, never dropped from the frame.

Two texts are near-duplicates when the Jaccard similarity of their sets of
word 3-shingles is at least a threshold (0.8 by default: a copy that adds or
drops a fifth of the text still counts). Each text gets a MinHash signature
of 64 values (Broder 1997), whose share of equal values estimates that
similarity; signatures are compared only when they agree on one of 16 bands
of 4 values (locality-sensitive hashing), so finding the copies of one
article costs about the same however large the corpus is. The signature is
stored in the ``fingerprint`` column, so a resumed or streaming ingest
continues from the rows already written.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict

import numpy as np
import pandas as pd

_WORD = re.compile(r"\w+")
N_HASHES = 64
BANDS, ROWS = 16, 4  # P(candidate) = 1 - (1 - J**4)**16: 0.9998 at J=0.8, 0.12 at J=0.3
SHINGLE = 3

#: Texts shorter than this many words are only matched exactly: a few changed
#: words would decide their similarity.
MIN_WORDS_FOR_NEAR = 30

# Multiply-shift hashing (Dietzfelbinger et al.): h_i(x) = (a_i x + b_i) mod 2**64 >> 32,
# one odd a_i per signature value; fixed seeds so fingerprints agree across runs.
_RNG = np.random.default_rng(20160407)
_A = _RNG.integers(1, 2**63, size=N_HASHES, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _RNG.integers(0, 2**63, size=N_HASHES, dtype=np.uint64)
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)


def _shingle_hashes(text: str) -> np.ndarray:
    """64-bit hashes of the case-folded word 3-shingles of ``text`` (of the text, if shorter)."""
    words = _WORD.findall(text.casefold())
    vocabulary = {w: i for i, w in enumerate(dict.fromkeys(words))}
    digests = b"".join(hashlib.blake2b(w.encode(), digest_size=8).digest() for w in vocabulary)
    word_hashes = np.frombuffer(digests, dtype="<u8")[[vocabulary[w] for w in words]]
    if len(word_hashes) < SHINGLE:
        with np.errstate(over="ignore"):
            return np.array([np.bitwise_xor.reduce(word_hashes * _MIX[: len(word_hashes)])])
    n = len(word_hashes) - SHINGLE + 1
    with np.errstate(over="ignore"):  # the wrap-around mod 2**64 is part of the hash
        # a different multiplier per position makes "a b c" and "b a c" different shingles
        parts = [word_hashes[i : n + i] * _MIX[i] for i in range(SHINGLE)]
    return np.unique(parts[0] ^ parts[1] ^ parts[2])


def minhash(text: str) -> np.ndarray:
    """Return the MinHash signature of ``text``: 64 uint32 values.

    Parameters
    ----------
    text : str
        Article text (case and punctuation are ignored).

    Returns
    -------
    numpy.ndarray
        The smallest value of each of 64 hash functions over the text's word
        3-shingles; the share of equal values between two signatures
        estimates the Jaccard similarity of the texts' shingle sets.
    """
    shingles = _shingle_hashes(text)
    with np.errstate(over="ignore"):
        values = (shingles[:, None] * _A + _B) >> np.uint64(32)
    return values.min(axis=0).astype(np.uint32)


def fingerprint(text: str) -> str:
    """Return the MinHash signature of ``text`` as 512 hex characters (``fingerprint`` column)."""
    return minhash(text).astype(">u4").tobytes().hex()


def _signature(fingerprint_hex: str) -> np.ndarray:
    return np.frombuffer(bytes.fromhex(fingerprint_hex), dtype=">u4")


def similarity(fingerprint_a: str, fingerprint_b: str) -> float:
    """Estimate the Jaccard similarity of two texts from their fingerprints (0 to 1)."""
    return float(np.mean(_signature(fingerprint_a) == _signature(fingerprint_b)))


def check_threshold(threshold: float) -> float:
    """Return ``threshold`` if it is a valid near-duplicate threshold, else raise ValueError."""
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, (int, float))
        or not (0 < threshold <= 1)
    ):
        raise ValueError(
            "near_duplicates must be a similarity above 0 and at most 1 (1 marks exact "
            f"copies only; 0.8 is the default), got {threshold!r}"
        )
    return float(threshold)


class DuplicateIndex:
    """Fingerprints seen so far, to tell whether a new article copies one of them.

    Works incrementally, so a streaming ingest (or a resumed one, seeded from
    the rows already written) marks duplicates exactly as the in-memory path.

    Parameters
    ----------
    threshold : float
        Estimated Jaccard similarity of word 3-shingles at or above which a
        text of at least ``MIN_WORDS_FOR_NEAR`` words copies an earlier one;
        1.0 marks exact copies only. Shorter texts must match exactly.
    """

    def __init__(self, *, threshold: float = 0.8) -> None:
        self.threshold = check_threshold(threshold)
        self._exact: dict[str, str] = {}
        self._signatures: dict[str, np.ndarray] = {}
        self._bands: list[dict[bytes, list[str]]] = [defaultdict(list) for _ in range(BANDS)]

    def check_and_add(self, article_id: str, fingerprint_hex: str, n_words: int) -> str | None:
        """Return the id of the article this one copies, or None after remembering it."""
        match = self._exact.get(fingerprint_hex)
        near = self.threshold < 1 and n_words >= MIN_WORDS_FOR_NEAR
        signature = _signature(fingerprint_hex)
        if match is None and near:
            match = self._near(signature)
        if match is not None:
            return match
        self._exact[fingerprint_hex] = article_id
        if near:
            self._signatures[article_id] = signature
            for band, key in zip(self._bands, _band_keys(signature), strict=True):
                band[key].append(article_id)
        return None

    def _near(self, signature: np.ndarray) -> str | None:
        candidates = dict.fromkeys(
            other
            for band, key in zip(self._bands, _band_keys(signature), strict=True)
            for other in band.get(key, ())
        )
        best, best_score = None, self.threshold
        for other in candidates:  # first seen wins a tie
            score = float(np.mean(self._signatures[other] == signature))
            if score >= best_score and (best is None or score > best_score):
                best, best_score = other, score
        return best


def _band_keys(signature: np.ndarray) -> list[bytes]:
    return [signature[b * ROWS : (b + 1) * ROWS].tobytes() for b in range(BANDS)]


def find_duplicates(articles: pd.DataFrame, *, threshold: float = 0.8) -> pd.Series:
    """Return, for each row, the ``article_id`` of the article it duplicates, or NA.

    The original of a group of copies is the earliest dated one, then the first
    in frame order. Only rows with status ``ok`` and a fingerprint take part;
    see ``DuplicateIndex`` for what counts as a copy.

    Parameters
    ----------
    articles : pandas.DataFrame
        With ``article_id``, ``fingerprint``, ``n_words``, ``status`` and ``date``.
    threshold : float
        See ``DuplicateIndex``.

    Returns
    -------
    pandas.Series
        Aligned with ``articles``; dtype str, NA where the row is an original.
    """
    index = DuplicateIndex(threshold=threshold)
    result = pd.Series(pd.NA, index=articles.index, dtype="str")
    candidates = articles[articles["status"].eq("ok") & articles["fingerprint"].notna()]
    order = candidates.assign(_pos=np.arange(len(candidates))).sort_values(
        ["date", "_pos"], na_position="last", kind="stable"
    )
    for row, article_id, fp, n_words in zip(
        order.index, order["article_id"], order["fingerprint"], order["n_words"], strict=True
    ):
        result[row] = index.check_and_add(article_id, fp, int(n_words))
    return result


def mark_duplicates(articles: pd.DataFrame, *, threshold: float = 0.8) -> pd.DataFrame:
    """Return ``articles`` with ``duplicate_of`` filled and copies' status set to ``duplicate``.

    Parameters
    ----------
    articles : pandas.DataFrame
        An articles frame with fingerprints (as ``read_articles`` builds it).
    threshold : float
        See ``DuplicateIndex``.

    Returns
    -------
    pandas.DataFrame
        A new frame; the input is not modified.
    """
    duplicate_of = find_duplicates(articles, threshold=threshold)
    is_copy = duplicate_of.notna()
    return articles.assign(
        duplicate_of=duplicate_of,
        status=articles["status"].where(~is_copy, "duplicate"),
    )
