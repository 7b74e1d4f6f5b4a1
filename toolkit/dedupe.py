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


def _text_key(text: str) -> str:
    return hashlib.sha1(" ".join(text.split()).casefold().encode()).hexdigest()


def find_duplicates(
    articles: pd.DataFrame, *, max_distance: int = 3
) -> pd.Series:
    """Return, for each row, the ``article_id`` of the article it duplicates, or NA.

    The original of a group of copies is the earliest dated one, then the first
    in frame order. Exact duplicates have the same whitespace- and
    case-normalised text; near-duplicates have SimHash fingerprints at most
    ``max_distance`` bits apart (and at least ``MIN_WORDS_FOR_NEAR`` words).
    Only rows with status ``ok`` and a text take part.

    Parameters
    ----------
    articles : pandas.DataFrame
        With ``article_id``, ``text``, ``fingerprint``, ``status`` and ``date``.
    max_distance : int
        Largest Hamming distance (0 to 3) between fingerprints of
        near-duplicates; 0 finds exact duplicates only.

    Returns
    -------
    pandas.Series
        Aligned with ``articles``; dtype str, NA where the row is an original.
    """
    if not 0 <= max_distance <= 3:
        raise ValueError(f"max_distance must be 0, 1, 2 or 3 (bits), got {max_distance!r}")
    result = pd.Series(pd.NA, index=articles.index, dtype="str")
    candidates = articles[articles["status"].eq("ok") & articles["text"].notna()]
    if candidates.empty:
        return result
    order = candidates.assign(_pos=np.arange(len(candidates))).sort_values(
        ["date", "_pos"], na_position="last", kind="stable"
    )
    originals: dict[str, str] = {}  # text key -> article_id of the first copy
    bands: list[dict[int, list[tuple[int, str]]]] = [defaultdict(list) for _ in range(_BANDS)]
    for index, article_id, text, fp in zip(
        order.index, order["article_id"], order["text"], order["fingerprint"], strict=True
    ):
        key = _text_key(text)
        if key in originals:
            result[index] = originals[key]
            continue
        match = None
        if max_distance and isinstance(fp, str) and len(text.split()) >= MIN_WORDS_FOR_NEAR:
            match = _near_match(int(fp, 16), bands, max_distance)
            if match is None:
                _index_fingerprint(int(fp, 16), article_id, bands)
        if match is not None:
            result[index] = match
        else:
            originals[key] = article_id
    return result


def _band_values(value: int) -> list[int]:
    return [(value >> (16 * b)) & 0xFFFF for b in range(_BANDS)]


def _index_fingerprint(value: int, article_id: str, bands) -> None:
    for band, part in zip(bands, _band_values(value), strict=True):
        band[part].append((value, article_id))


def _near_match(value: int, bands, max_distance: int) -> str | None:
    for band, part in zip(bands, _band_values(value), strict=True):
        for other, article_id in band.get(part, ()):
            if (value ^ other).bit_count() <= max_distance:
                return article_id
    return None


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
