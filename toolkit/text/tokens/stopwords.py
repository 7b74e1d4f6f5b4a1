"""What counts as a stopword: the ``stopwords=`` argument and the languages behind it.

A ``stopwords=`` argument (an NLTK language, ``"auto"``, a set of words or a
``(base, add[, remove])`` tuple) becomes a :class:`Stopwords` through
:func:`as_stopwords`; :meth:`Stopwords.for_language` gives the lower-case words
for one article's language. The stopword test itself is applied in
:func:`toolkit.text.tokens.rules.normalise`.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from toolkit import resources

#: Stopwords added to the English list: the clitics NLTK's list holds only
#: without their apostrophe (``s``, ``d``).
ENGLISH_CLITIC_STOPWORDS: frozenset[str] = frozenset({"'s", "'d"})

#: Elided words (French, Italian, Catalan, ...) that the tokenizer splits off the
#: next word outside English (``l'Europe`` -> ``l'`` + ``Europe``, see
#: :mod:`toolkit.text.tokens.rules`). All are articles, pronouns, prepositions or
#: conjunctions, so they are stopwords with any list but English (NLTK's lists hold
#: some of them without their apostrophe: ``l``, ``qu``).
ELISIONS: frozenset[str] = frozenset(
    """
    l' d' j' m' n' s' t' c' qu' jusqu' lorsqu' puisqu' quoiqu'
    un' all' dall' dell' nell' sull' quest' quell'
    """.split()
)

#: ISO 639-1 code -> NLTK language name (stopword lists and Snowball stemmers).
NLTK_LANGUAGES: dict[str, str] = {
    "ar": "arabic",
    "az": "azerbaijani",
    "eu": "basque",
    "bn": "bengali",
    "ca": "catalan",
    "zh": "chinese",
    "da": "danish",
    "nl": "dutch",
    "en": "english",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "el": "greek",
    "he": "hebrew",
    "hu": "hungarian",
    "id": "indonesian",
    "it": "italian",
    "kk": "kazakh",
    "ne": "nepali",
    "no": "norwegian",
    "nb": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sl": "slovene",
    "es": "spanish",
    "sv": "swedish",
    "tg": "tajik",
    "tr": "turkish",
}


@dataclass(frozen=True)
class Stopwords:
    """Which words count as stopwords.

    Parameters
    ----------
    language : str or None
        An NLTK stopword list (``"english"``, ``"german"``, ...), ``"auto"``
        for each article's list (from its ``language`` column, English when
        unknown), or None for no list.
    words : frozenset of str
        Extra base words (used with or instead of a list).
    add : frozenset of str
        Words added to the list.
    remove : frozenset of str
        Words taken out of the list.

    Examples
    --------
    ``Stopwords("english", add={"said"}, remove={"us"})`` is the English list
    with ``said`` and without ``us``; the tuple ``("english", {"said"}, {"us"})``
    means the same wherever a ``stopwords=`` argument is taken.
    """

    language: str | None = "english"
    words: frozenset[str] = frozenset()
    add: frozenset[str] = frozenset()
    remove: frozenset[str] = frozenset()

    def for_language(self, language: str) -> frozenset[str]:
        """Return the lower-case stopwords for an article in ``language``."""
        base: frozenset[str] = frozenset()
        if self.language is not None:
            name = language if self.language == "auto" else self.language
            base = resources.stopword_list(name)
            # the clitics of the text's own language ("'s" or "l'") go with any list
            base = base | (ENGLISH_CLITIC_STOPWORDS if language == "english" else ELISIONS)
        words = {w.lower() for w in (base | self.words | self.add)}
        return frozenset(words - {w.lower() for w in self.remove})

    @property
    def empty(self) -> bool:
        """Whether no word can be a stopword."""
        return self.language is None and not self.words and not self.add


#: What a ``stopwords=`` argument accepts (see :func:`as_stopwords`).
StopwordSpec = Stopwords | str | Collection[str] | tuple | None


def _word_set(value, name: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValueError(f"{name} must be a collection of words, got {value!r}")
    return frozenset(str(w).lower() for w in value)


@functools.lru_cache(maxsize=1)
def _stopword_languages() -> tuple[str, ...]:
    if resources.nltk_has("stopwords"):
        from nltk.corpus import stopwords

        return tuple(sorted(stopwords.fileids()))
    return ("english",)


def _check_language(language: str) -> str:
    valid = _stopword_languages()
    if language != "auto" and language not in valid:
        raise ValueError(
            f"unknown stopword language {language!r}; valid: 'auto', None, or one of {valid}"
        )
    return language


def as_stopwords(spec: StopwordSpec) -> Stopwords:
    """Turn a ``stopwords=`` argument into a :class:`Stopwords`.

    Parameters
    ----------
    spec : Stopwords, str, collection of str, tuple or None
        ``None`` keeps every word; a language name (``"english"``) or
        ``"auto"`` (each article's language) uses NLTK's list; a set or list of
        words is used as it is; a tuple ``(base, add)`` or
        ``(base, add, remove)`` changes a base (a language, None or a set), e.g.
        ``("english", {"said"}, {"us"})``.

    Returns
    -------
    Stopwords
    """
    if spec is None:
        return Stopwords(None)
    if isinstance(spec, Stopwords):
        if spec.language is not None:
            _check_language(spec.language)
        return spec
    if isinstance(spec, str):
        return Stopwords(_check_language(spec))
    if (
        isinstance(spec, tuple)
        and len(spec) in (2, 3)
        and (spec[0] is None or isinstance(spec[0], (str, Collection)))
        and all(not isinstance(part, str) for part in spec[1:])
    ):
        base = as_stopwords(spec[0])
        add = _word_set(spec[1], "stopwords additions")
        remove = _word_set(spec[2] if len(spec) == 3 else None, "stopwords removals")
        return Stopwords(base.language, base.words, base.add | add, base.remove | remove)
    if isinstance(spec, Collection):
        return Stopwords(None, _word_set(spec, "stopwords"))
    raise ValueError(
        "stopwords must be None, a language name (e.g. 'english'), 'auto', a set of words, "
        f"a (base, add[, remove]) tuple or a Stopwords; got {spec!r}"
    )
