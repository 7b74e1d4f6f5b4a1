"""Split and normalise whole arrays of distinct tokens at once (the corpus path of the rules).

The rules are those of :func:`toolkit.text.tokens.rules.token_parts` and
:func:`toolkit.text.tokens.rules.normalise`, applied with Arrow compute to every
distinct raw token of a batch (:func:`expand_types`); :func:`expand_index`
then maps each token occurrence to its parts.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.text.tokens.options import TokenOptions
from toolkit.text.tokens.rules import (
    ABBREVIATIONS,
    ELISION_ARROW,
    JOINED,
    arrow_strings,
    bools,
    boundary_kinds,
    normalise,
    split_apostrophes,
)


@dataclass
class Expansion:
    """What each distinct raw token becomes: its parts are ``start[i] : start[i] + length[i]``."""

    start: np.ndarray
    length: np.ndarray
    term: np.ndarray  # term id of each part, -1 when removed
    stop: np.ndarray  # whether the part is a stopword
    boundary: np.ndarray  # whether a sentence ends after the part (1), after it when
    # the next token is capitalised (2), or not (0)
    upper: np.ndarray  # whether the part starts with an upper-case letter


def _written_parts(raw, english: bool) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`token_parts`: (number of parts, written parts) of each raw token.

    The written parts of token ``i`` are ``written[start[i] : start[i] + length[i]]``
    with ``start = cumsum(length) - length``. Only tokens with an apostrophe or
    a joined contraction (a few percent), or outside English with an elision, are
    split in Python.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(raw)
    stem = pc.utf8_slice_codeunits(raw, 0, -1)
    dotted = bools(pc.ends_with(raw, ".")) & bools(pc.greater(pc.utf8_length(raw), 1))
    dotted &= bools(pc.match_substring_regex(raw, r"[\p{L}\p{N}]"))
    keep_period = bools(pc.is_in(pc.utf8_lower(stem), value_set=_ABBREVIATION_SET()))
    keep_period |= bools(pc.match_substring_regex(stem, r"^(?:(?:\pL\.)+\pL|\p{Lu})$"))
    split = dotted & ~keep_period
    word = pc.if_else(pa.array(split), stem, raw)
    if english:
        contracted = bools(pc.match_substring_regex(word, "['’]"))
        contracted |= bools(pc.is_in(pc.utf8_lower(word), value_set=pa.array(list(JOINED))))
    else:
        contracted = bools(pc.match_substring_regex(word, ELISION_ARROW))
    words = pc.replace_substring(word, "’", "'").to_numpy(zero_copy_only=False)
    odd = np.flatnonzero(contracted)
    pieces = [split_apostrophes(w, english) for w in word.take(odd).to_pylist()]
    n_word = np.ones(n, dtype=np.int64)
    n_word[odd] = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    length = n_word + split
    start = np.cumsum(length) - length
    written = np.empty(int(length.sum()), dtype=object)
    written[start] = words
    for first, parts in zip(start[odd], pieces, strict=True):
        written[first : first + len(parts)] = [w for _, w in parts]
    written[(start + n_word)[split]] = "."
    return length, written


@functools.lru_cache(maxsize=1)
def _ABBREVIATION_SET():  # noqa: N802 - a cached constant
    import pyarrow as pa

    return pa.array(sorted(ABBREVIATIONS), type=pa.string())


def expand_types(
    raw_types, options: TokenOptions, language: str, vocab: dict[str, int]
) -> Expansion:
    """Split and normalise each distinct raw token, adding new terms to ``vocab``.

    The same rules as :func:`token_parts` and :func:`normalise`, applied to
    whole Arrow arrays of distinct tokens.

    Parameters
    ----------
    raw_types : list of str
        Distinct tokens found by the regex.
    options : TokenOptions
        Tokenizer options.
    language : str
        NLTK language of the text.
    vocab : dict
        Term -> id, shared by every language of one call (updated in place).

    Returns
    -------
    Expansion
    """

    length, written = _written_parts(arrow_strings(raw_types), language == "english")
    written = arrow_strings(written)
    terms, stop = normalise(written, options, language)
    return Expansion(
        np.cumsum(length) - length,
        length,
        _term_ids(terms, vocab),
        stop,
        *boundary_kinds(written),
    )


def _term_ids(terms, vocab: dict[str, int]) -> np.ndarray:
    """Ids of ``terms`` (Arrow strings, null -> -1); terms not yet in ``vocab`` are added."""
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = terms.dictionary_encode()
    distinct = encoded.dictionary
    found = np.full(len(distinct), -1, dtype=np.int64)
    if vocab and len(distinct):
        known = pc.index_in(distinct, value_set=arrow_strings(list(vocab)))
        found = np.asarray(pc.fill_null(known, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
    new = np.flatnonzero(found < 0)
    found[new] = np.arange(len(vocab), len(vocab) + len(new))
    vocab.update(zip(distinct.take(pa.array(new)).to_pylist(), found[new].tolist(), strict=True))
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return np.where(codes >= 0, found[np.maximum(codes, 0)], -1) if len(found) else codes


def expand_index(raw_ids: np.ndarray, expansion: Expansion) -> tuple[np.ndarray, np.ndarray]:
    """Return (part index, owner) for every part of every raw token in ``raw_ids``.

    ``owner[k]`` is the position in ``raw_ids`` that part ``k`` comes from, so
    any per-token array can follow the expansion with ``array[owner]``.
    """
    lengths = expansion.length[raw_ids]
    total = int(lengths.sum())
    before = np.cumsum(lengths) - lengths
    index = np.repeat(expansion.start[raw_ids] - before, lengths) + np.arange(total, dtype=np.int64)
    owner = np.repeat(np.arange(len(raw_ids), dtype=np.int64), lengths)
    return index, owner


def number_strings(strings: list[str]) -> tuple[np.ndarray, list[str]]:
    """Number distinct strings in order of first appearance.

    Returns
    -------
    (codes, uniques)
        ``uniques[codes[i]] == strings[i]``.
    """
    import pyarrow as pa

    try:
        # Arrow hashes in C++, about twice as fast as pandas.factorize on Python strings.
        encoded = pa.array(strings, type=pa.string()).dictionary_encode()
    except (pa.ArrowException, UnicodeEncodeError):
        codes, uniques = pd.factorize(pd.Series(strings, dtype="object"))
        return codes.astype(np.int64), list(uniques)
    return (
        encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64),
        encoded.dictionary.to_pylist(),
    )
