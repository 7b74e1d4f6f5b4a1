"""Exact and near-duplicate articles: SimHash fingerprints and their grouping.

Syndicated news is copied with small edits (a different intro line, a
byline, a trailing link list). Counting every copy inflates term and entity
counts, so duplicates are marked (``status="duplicate"``, ``duplicate_of``)
and left out of the analysis, never dropped from the frame.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict

import numpy as np
import pandas as pd

_WORD = re.compile(r"\w+")
_BITS = np.arange(64, dtype=np.uint64)
_BANDS = 4  # Hamming distance <= 3 means at least one of 4 16-bit bands is identical

#: Texts shorter than this many words are only matched exactly: their
#: fingerprints are too coarse to call two short notices near-duplicates.
MIN_WORDS_FOR_NEAR = 30


def _shingle_hashes(words: list[str], size: int = 3) -> np.ndarray:
    if len(words) < size:
        shingles = [" ".join(words)]
    else:
        shingles = [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]
    digests = b"".join(hashlib.blake2b(s.encode(), digest_size=8).digest() for s in shingles)
    return np.frombuffer(digests, dtype="<u8")


def simhash(text: str) -> int:
    """Return the 64-bit SimHash of ``text`` (word 3-shingles, case-folded).

    Two texts that differ by a few sentences have fingerprints a few bits
    apart (Charikar 2002; Manku et al. 2007 use 64 bits and distance <= 3).

    Parameters
    ----------
    text : str
        Article text.

    Returns
    -------
    int
        The fingerprint, 0 for a text without words.
    """
    words = _WORD.findall(text.casefold())
    if not words:
        return 0
    hashes = _shingle_hashes(words)
    bits = (hashes[:, None] >> _BITS) & np.uint64(1)
    votes = bits.sum(axis=0, dtype=np.int64) * 2 - len(hashes)
    return int(np.sum(np.left_shift(np.uint64(1), _BITS[votes > 0]), dtype=np.uint64))


def fingerprint(text: str) -> str:
    """Return ``simhash(text)`` as 16 hex characters (the articles ``fingerprint`` column)."""
    return f"{simhash(text):016x}"


class DuplicateIndex:
    """Fingerprints seen so far, to tell whether a new article copies one of them.

    Works incrementally, so a streaming ingest (or a resumed one, seeded from
    the rows already written) marks duplicates exactly as the in-memory path.
    Texts of at least ``MIN_WORDS_FOR_NEAR`` words match when their
    fingerprints are at most ``max_distance`` bits apart; shorter texts only
    when the fingerprints are equal (the same words, case and spacing aside).

    Parameters
    ----------
    max_distance : int
        0 to 3 bits; 0 finds exact copies only.
    """

    def __init__(self, *, max_distance: int = 3) -> None:
        if max_distance not in (0, 1, 2, 3):
            raise ValueError(f"max_distance must be 0, 1, 2 or 3 (bits), got {max_distance!r}")
        self.max_distance = max_distance
        self._exact: dict[int, str] = {}
        # Pigeonhole: fingerprints <= 3 bits apart share at least one of 4 16-bit bands.
        self._bands: list[dict[int, list[tuple[int, str]]]] = [
            defaultdict(list) for _ in range(_BANDS)
        ]

    def check_and_add(self, article_id: str, fingerprint_hex: str, n_words: int) -> str | None:
        """Return the id of the article this one copies, or None after remembering it."""
        value = int(fingerprint_hex, 16)
        near = self.max_distance > 0 and n_words >= MIN_WORDS_FOR_NEAR
        match = self._exact.get(value)
        if match is None and near:
            match = self._near(value)
        if match is not None:
            return match
        self._exact[value] = article_id
        if near:
            for band, part in zip(self._bands, _band_values(value), strict=True):
                band[part].append((value, article_id))
        return None

    def _near(self, value: int) -> str | None:
        for band, part in zip(self._bands, _band_values(value), strict=True):
            for other, article_id in band.get(part, ()):
                if (value ^ other).bit_count() <= self.max_distance:
                    return article_id
        return None


def _band_values(value: int) -> list[int]:
    return [(value >> (16 * b)) & 0xFFFF for b in range(_BANDS)]


def find_duplicates(articles: pd.DataFrame, *, max_distance: int = 3) -> pd.Series:
    """Return, for each row, the ``article_id`` of the article it duplicates, or NA.

    The original of a group of copies is the earliest dated one, then the first
    in frame order. Only rows with status ``ok`` and a fingerprint take part;
    see ``DuplicateIndex`` for what counts as a copy.

    Parameters
    ----------
    articles : pandas.DataFrame
        With ``article_id``, ``fingerprint``, ``n_words``, ``status`` and ``date``.
    max_distance : int
        Largest Hamming distance (0 to 3) between fingerprints of
        near-duplicates; 0 finds exact duplicates only.

    Returns
    -------
    pandas.Series
        Aligned with ``articles``; dtype str, NA where the row is an original.
    """
    index = DuplicateIndex(max_distance=max_distance)
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


def mark_duplicates(articles: pd.DataFrame, *, max_distance: int = 3) -> pd.DataFrame:
    """Return ``articles`` with ``duplicate_of`` filled and copies' status set to ``duplicate``.

    Parameters
    ----------
    articles : pandas.DataFrame
        An articles frame with fingerprints (as ``read_articles`` builds it).
    max_distance : int
        See ``find_duplicates``.

    Returns
    -------
    pandas.DataFrame
        A new frame; the input is not modified.
    """
    duplicate_of = find_duplicates(articles, max_distance=max_distance)
    is_copy = duplicate_of.notna()
    return articles.assign(
        duplicate_of=duplicate_of,
        status=articles["status"].where(~is_copy, "duplicate"),
    )
