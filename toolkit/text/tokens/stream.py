"""Tokenize whole corpora into numpy arrays: unigram counts per group, token streams and n-grams.

Documents are handled in batches of one language (bounded memory); every
distinct token of a batch is split and normalised once
(:func:`toolkit.text.tokens.expand.expand_types`).

N-grams, like scikit-learn and quanteda, are made of the tokens that remain
after stopword and punctuation removal, within one sentence, so ``"security
for the summit"`` gives the bigram ``"security summit"``. ``padding=True``
(quanteda's ``padding``) makes n-grams stop at every removed token instead.
N-gram terms are their words joined by a space.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.text.tokens.expand import expand_index, expand_types, number_strings
from toolkit.text.tokens.options import TokenOptions
from toolkit.text.tokens.rules import TOKEN_RE, WORD_RE, punkt_sentences, sentence_ends


def language_partitions(
    n_docs: int, options: TokenOptions, languages: Sequence | None
) -> list[tuple[str, np.ndarray]]:
    """Group document positions by the NLTK language their terms are made in.

    Parameters
    ----------
    n_docs : int
        Number of documents.
    options : TokenOptions
        The options (their stopword list's language serves documents without one).
    languages : sequence of str or None
        Each document's language code (the articles' ``language`` column).

    Returns
    -------
    list of (str, numpy.ndarray)
        Language name and the document positions in it, in order.
    """
    if languages is None:
        return [(options.language_of(None), np.arange(n_docs, dtype=np.int64))]
    names = [options.language_of(code) for code in languages]
    codes, uniques = pd.factorize(pd.Series(names, dtype="object"))
    return [(name, np.flatnonzero(codes == i)) for i, name in enumerate(uniques)]


#: Documents are tokenized in batches of about this many characters, so memory
#: stays bounded however large the corpus is.
BATCH_CHARS = 20_000_000


def batches(
    texts: Sequence[str], options: TokenOptions, languages: Sequence | None
) -> Iterable[tuple[str, np.ndarray]]:
    """Yield ``(language, document positions)`` batches, each of one language."""
    for language, docs in language_partitions(len(texts), options, languages):
        sizes = np.fromiter((len(texts[d]) for d in docs), dtype=np.int64, count=len(docs))
        cut = np.cumsum(sizes) // BATCH_CHARS
        for number in np.unique(cut):
            yield language, docs[cut == number]


def _progress(iterable: Iterable, *, total: int, enabled: bool, desc: str) -> Iterable:
    if not enabled or total < 500:
        return iterable
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, leave=False, mininterval=0.5)


# ---------------------------------------------------------------------------
# Unigram counts: a Counter per group over regex tokens (C speed), then the
# per-type expansion.


def unigram_counts(
    texts: Sequence[str],
    options: TokenOptions,
    *,
    groups: np.ndarray,
    n_groups: int,
    languages: Sequence | None = None,
    vocab: dict[str, int] | None = None,
    progress: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, int]]:
    """Count the unigram terms of ``texts`` per group.

    Parameters
    ----------
    texts : sequence of str
        One text per document.
    options : TokenOptions
        Tokenizer options (``ngram`` is ignored: unigrams).
    groups : numpy.ndarray
        Group number (0 .. n_groups-1) of each document.
    n_groups : int
        Number of groups.
    languages : sequence of str, optional
        Each document's language code (how it is split and stemmed; its
        stopwords too with ``stopwords="auto"``).
    vocab : dict, optional
        Term -> id to extend (a new one by default).
    progress : bool
        Show a progress bar for long inputs.

    Returns
    -------
    (group, term, count, vocab)
        Arrays with one entry per (group, term) pair that occurs (duplicates
        possible, sum them), and the term vocabulary. Stopwords are left out.
    """
    vocab = {} if vocab is None else vocab
    pattern = TOKEN_RE if options.keep_punct else WORD_RE
    out_group, out_term, out_count = [], [], []
    for language, docs in batches(texts, options, languages):
        counters: dict[int, Counter] = {}
        for doc in _progress(docs, total=len(docs), enabled=progress, desc="counting"):
            group = int(groups[doc])
            counter = counters.get(group)
            if counter is None:
                counter = counters[group] = Counter()
            counter.update(pattern.findall(texts[doc]))
        sizes = np.fromiter(map(len, counters.values()), dtype=np.int64, count=len(counters))
        counts = np.fromiter(
            itertools.chain.from_iterable(c.values() for c in counters.values()),
            dtype=np.int64,
            count=int(sizes.sum()),
        )
        if len(counters) == 1:  # one group: its keys are already distinct
            raw_types = list(next(iter(counters.values())))
            raw_ids = np.arange(len(raw_types), dtype=np.int64)
        else:
            raw_ids, raw_types = number_strings(
                list(itertools.chain.from_iterable(counters.values()))
            )
        expansion = expand_types(raw_types, options, language, vocab)
        index, owner = expand_index(raw_ids, expansion)
        keep = (expansion.term[index] >= 0) & ~expansion.stop[index]
        group_of = np.repeat(np.fromiter(counters, dtype=np.int64, count=len(counters)), sizes)
        out_group.append(group_of[owner[keep]])
        out_term.append(expansion.term[index[keep]])
        out_count.append(counts[owner[keep]])
    return (
        np.concatenate(out_group) if out_group else np.zeros(0, np.int64),
        np.concatenate(out_term) if out_term else np.zeros(0, np.int64),
        np.concatenate(out_count) if out_count else np.zeros(0, np.int64),
        vocab,
    )


# ---------------------------------------------------------------------------
# Token streams: every token in order, for n-grams, positions and KWIC.


@dataclass
class TokenStream:
    """The terms of a list of documents, one entry per token, in text order.

    Tokens removed outright (punctuation, dropped numbers, too short) are not
    in the stream; stopwords are, flagged in ``stop``, so callers choose to
    drop them (counts) or to filter n-grams that hold one (collocations).
    """

    doc: np.ndarray  # document position of each token
    term: np.ndarray  # term id
    stop: np.ndarray  # stopword flag
    sentence: np.ndarray  # sentence number, unique through the whole stream
    position: np.ndarray  # index among all the document's tokens (removed ones too)
    terms: np.ndarray  # term id -> term (object array)
    n_docs: int

    def without_stopwords(self) -> TokenStream:
        """Return the stream without its stopword tokens."""
        keep = ~self.stop
        return TokenStream(
            self.doc[keep],
            self.term[keep],
            self.stop[keep],
            self.sentence[keep],
            self.position[keep],
            self.terms,
            self.n_docs,
        )


def _raw_tokens(texts, docs, options, progress) -> tuple[list[str], np.ndarray, list]:
    tokens: list[str] = []
    lengths = np.zeros(len(docs), dtype=np.int64)
    punkt: list[np.ndarray] = []
    for i, doc in enumerate(_progress(docs, total=len(docs), enabled=progress, desc="tokens")):
        text = texts[doc]
        if options.sentences == "punkt" and options.needs_sentences:
            matches = list(TOKEN_RE.finditer(text))
            found = [m.group() for m in matches]
            starts = np.fromiter((m.start() for m in matches), dtype=np.int64, count=len(found))
            punkt.append(punkt_sentences(text, starts))
        else:
            found = TOKEN_RE.findall(text)
        tokens.extend(found)
        lengths[i] = len(found)
    return tokens, lengths, punkt


def _stream_part(texts, docs, options, language, vocab, progress) -> dict[str, np.ndarray]:
    tokens, lengths, punkt = _raw_tokens(texts, docs, options, progress)
    raw_ids, raw_types = number_strings(tokens)
    del tokens
    expansion = expand_types(raw_types, options, language, vocab)
    index, owner = expand_index(raw_ids, expansion)
    token_doc = np.repeat(docs.astype(np.int64), lengths)
    doc = token_doc[owner]
    n_parts = np.bincount(np.repeat(np.arange(len(docs)), lengths)[owner], minlength=len(docs))
    position = np.arange(len(index), dtype=np.int64) - np.repeat(
        np.cumsum(n_parts) - n_parts, n_parts
    )
    if punkt:
        within = np.concatenate(punkt)[owner] if len(owner) else np.zeros(0, np.int64)
        first = np.r_[True, doc[1:] != doc[:-1]] | np.r_[True, within[1:] != within[:-1]]
        sentence = np.cumsum(first) - 1
    else:
        ends = sentence_ends(expansion.boundary[index], expansion.upper[index])
        starts_new = np.r_[True, ends[:-1] | (doc[1:] != doc[:-1])] if len(doc) else ends
        sentence = np.cumsum(starts_new) - 1
    term = expansion.term[index]
    keep = term >= 0
    return {
        "doc": doc[keep],
        "term": term[keep],
        "stop": expansion.stop[index][keep],
        "sentence": sentence[keep],
        "position": position[keep],
    }


def token_stream(
    texts: Sequence[str],
    options: TokenOptions,
    *,
    languages: Sequence | None = None,
    progress: bool = True,
) -> TokenStream:
    """Tokenize ``texts`` into a :class:`TokenStream`.

    Parameters
    ----------
    texts : sequence of str
        One text per document.
    options : TokenOptions
        Tokenizer options.
    languages : sequence of str, optional
        Each document's language code (how it is split and stemmed; its
        stopwords too with ``stopwords="auto"``).
    progress : bool
        Show a progress bar for long inputs.

    Returns
    -------
    TokenStream
        Tokens ordered by document, then by position.
    """
    vocab: dict[str, int] = {}
    parts = [
        _stream_part(texts, docs, options, language, vocab, progress)
        for language, docs in batches(texts, options, languages)
    ]
    # Sentence numbers restart in every batch: shift them to be unique.
    offsets = np.cumsum([0] + [int(p["sentence"].max(initial=-1)) + 1 for p in parts])
    for part, offset in zip(parts, offsets[:-1], strict=True):
        part["sentence"] = part["sentence"] + offset
    columns = {
        key: np.concatenate([p[key] for p in parts]) if parts else np.zeros(0, np.int64)
        for key in ("doc", "term", "stop", "sentence", "position")
    }
    if np.any(np.diff(columns["doc"]) < 0):  # several languages: back to document order
        order = np.lexsort((columns["position"], columns["doc"]))
        columns = {key: value[order] for key, value in columns.items()}
    terms = np.empty(len(vocab), dtype=object)
    terms[:] = list(vocab)
    return TokenStream(
        columns["doc"].astype(np.int64),
        columns["term"].astype(np.int64),
        columns["stop"].astype(bool),
        columns["sentence"].astype(np.int64),
        columns["position"].astype(np.int64),
        terms,
        len(texts),
    )


def ngram_starts(stream: TokenStream, n: int, *, padding: bool = False) -> np.ndarray:
    """Return the stream indices where an ``n``-token n-gram starts.

    An n-gram is ``n`` consecutive stream tokens of one sentence; with
    ``padding`` they must also be consecutive in the text (no token removed
    between them).

    Parameters
    ----------
    stream : TokenStream
        Usually without its stopwords.
    n : int
        Tokens per n-gram.
    padding : bool
        Stop n-grams at removed tokens.

    Returns
    -------
    numpy.ndarray
        Start indices, increasing.
    """
    m = len(stream.term) - n + 1
    if m <= 0:
        return np.zeros(0, dtype=np.int64)
    ok = stream.sentence[:m] == stream.sentence[n - 1 :]
    if padding:
        ok &= (stream.position[n - 1 :] - stream.position[:m]) == n - 1
    return np.flatnonzero(ok)


def ngram_ids(stream: TokenStream, starts: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Number the distinct n-grams that start at ``starts``.

    Returns
    -------
    (ids, names)
        ``ids[k]`` numbers the n-gram at ``starts[k]``; ``names[id]`` is its
        words joined by a space (object array).
    """
    if len(starts) == 0:
        return np.zeros(0, dtype=np.int64), np.empty(0, dtype=object)
    ids = stream.term[starts]
    size = max(len(stream.terms), 1)
    for k in range(1, n):
        # Pair the ids so far with the next word; ids < len(starts), so no overflow.
        _, ids = np.unique(ids * size + stream.term[starts + k], return_inverse=True)
        ids = ids.reshape(-1)
    _, first = np.unique(ids, return_index=True)
    names = pd.Series(stream.terms[stream.term[starts[first]]], dtype="object")
    for k in range(1, n):
        names = (
            names + " " + pd.Series(stream.terms[stream.term[starts[first] + k]], dtype="object")
        )
    return ids, names.to_numpy(dtype=object)
