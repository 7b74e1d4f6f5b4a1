"""Text analysis of the articles frame.

In: the articles frame (its usable rows: status ``ok`` and some text). Out: tidy
tables: segments (paragraphs and sentences with offsets), tokens, term counts by
any group or period, tf-idf weights, keyness between two groups, collocations,
keyword-in-context lines, term trends over time, lexical dispersion, keyness against
general language (``keyness(reference="general")``, wordfreq) and topic models
(``topics``: NMF or LDA on the same counts, with coherence, stability and trends). Every
function shares one tokenizer (``tokens``) and one set of token options
(stopwords per language, n-grams, base forms), so the tables agree with each
other. Term tables sort ties by ``(-count, term)``.
"""

from toolkit.lazy import exports

__all__, __getattr__, __dir__ = exports(
    __name__,
    {
        "segment": "segments",
        "iter_sentences": "segments",
        "tokenize": "tokens",
        "TokenOptions": "tokens",
        "term_counts": "counts",
        "tfidf": "weights",
        "keyness": "keywords",
        "collocations": "phrases",
        "kwic": "concordance",
        "term_trends": "trends",
        "dispersion": "trends",
        "topics": "topic_models",
        "topic_trends": "topic_models",
        "topic_stability": "topic_models",
        "Topics": "topic_models",
    },
)
