"""Tokens: the one tokenizer and its options, shared by every term function.

In: text (a str, or the articles frame) and token options (stopwords per
language, n-gram sizes, numbers, base forms, sentence splitting). Out: terms,
token spans, or token streams of whole corpora (``stream``). The rules are in
``rules`` (tokens, splits, normalisation, sentences), ``stopwords``, ``options``
(checks and docs of the options), ``expand`` (the rules on arrays of distinct
tokens) and ``stream`` (counts and n-grams over corpora); ``tokenizer`` gathers
the names the term functions use.
"""

from toolkit.lazy import exports

__all__, __getattr__, __dir__ = exports(
    __name__,
    {
        "tokenize": "tokenizer",
        "token_spans": "tokenizer",
        "TokenOptions": "options",
        "token_options": "options",
        "Stopwords": "stopwords",
        "as_stopwords": "stopwords",
    },
)
