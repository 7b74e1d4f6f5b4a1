"""Decide the language of an article from its text and what the page declares.

How the two combine (pages often declare wrongly: a German blog theme keeps
``<html lang="de">`` on English posts, CMS defaults say ``en-US`` on
everything):

- The declared code is normalised to ISO 639-1 (``"en-US"`` -> ``"en"``,
  ``"ger"`` -> ``"de"``); an unknown value counts as no declaration.
- Text shorter than ``MIN_CHARS`` letters is too little evidence: the declared
  language is returned (None when nothing is declared, unless py3langid is
  very sure).
- Otherwise py3langid classifies a bounded prefix (``SAMPLE_CHARS``). When it
  agrees with the declaration, its answer is taken; when nothing is declared,
  it is taken if its probability is at least ``UNDECLARED_CONFIDENCE`` (a
  sentence or two of English can come out as Afrikaans at p=0.1: no answer is
  better than that one, as the analyses then use their default).
  When they disagree, the detection wins if its normalised probability is at
  least ``OVERRIDE_CONFIDENCE``; otherwise the declaration stands.

The py3langid model is loaded once per process.
"""

from __future__ import annotations

import functools
import logging
import re

logger = logging.getLogger(__name__)

#: Letters of text needed before detection is trusted over a declaration.
MIN_CHARS = 30
#: How much of the text is classified (py3langid's cost is linear in it).
SAMPLE_CHARS = 200
#: Probability at which detection overrides a conflicting declaration.
OVERRIDE_CONFIDENCE = 0.9
#: Probability a detection needs on short text with nothing declared.
SHORT_TEXT_CONFIDENCE = 0.99
#: Probability a detection needs on longer text with nothing declared.
UNDECLARED_CONFIDENCE = 0.5

# ISO 639-2 codes pages use in lang attributes instead of 639-1
_ISO639_2 = {
    "eng": "en", "ger": "de", "deu": "de", "fre": "fr", "fra": "fr", "spa": "es",
    "ita": "it", "por": "pt", "dut": "nl", "nld": "nl", "chi": "zh", "zho": "zh",
    "jpn": "ja", "rus": "ru", "pol": "pl", "cze": "cs", "ces": "cs", "ara": "ar",
    "kor": "ko", "tur": "tr", "swe": "sv", "dan": "da", "nor": "no", "fin": "fi",
}
_LANG_TAG = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")
_LETTER = re.compile(r"[^\W\d_]")


def normalize_language(code: str | None) -> str | None:
    """Return the ISO 639-1 code of a language tag, or None.

    Parameters
    ----------
    code : str or None
        A BCP 47 tag or similar (``"en-US"``, ``"de_DE"``, ``"ZH-Hans"``,
        ``"fra"``).

    Returns
    -------
    str or None
        Two lowercase letters, or None for an empty or unrecognised tag.
    """
    if not code:
        return None
    match = _LANG_TAG.match(code)
    if match is None:
        return None
    primary = match.group(1).lower()
    if len(primary) == 3:
        return _ISO639_2.get(primary)
    return primary


@functools.lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    logger.debug("loading the py3langid model")
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def classify_language(text: str) -> tuple[str, float] | None:
    """Return py3langid's guess and its probability for a bounded prefix of ``text``.

    Parameters
    ----------
    text : str
        Any text; only the first ``SAMPLE_CHARS`` characters are read.

    Returns
    -------
    tuple of (str, float) or None
        The ISO 639-1 code and the normalised probability, or None for text
        without letters.
    """
    sample = text[:SAMPLE_CHARS]
    if not _LETTER.search(sample):
        return None
    return _classify(sample)


def _classify(sample: str) -> tuple[str, float]:
    lang, prob = _identifier().classify(sample)
    return normalize_language(lang) or lang, float(prob)


def detect_language(text: str | None, declared: str | None = None) -> str | None:
    """Return the language of ``text``, combining detection with ``declared``.

    Parameters
    ----------
    text : str or None
        The article text (the main text, not the whole page).
    declared : str or None
        What the page declares (``<html lang>``, ``og:locale``,
        ``Content-Language``), in any common form.

    Returns
    -------
    str or None
        An ISO 639-1 code, or None when there is neither enough text nor a
        declaration. See the module docstring for how the two combine.
    """
    declared_code = normalize_language(declared)
    sample = (text or "")[:SAMPLE_CHARS]
    # counting letters costs a regex pass: only short samples need it
    n_letters = len(_LETTER.findall(sample)) if len(sample) < 3 * MIN_CHARS else MIN_CHARS
    if n_letters == 0 or not _LETTER.search(sample):
        return declared_code
    lang, prob = _classify(sample)
    if n_letters < MIN_CHARS:
        if declared_code is None and prob >= SHORT_TEXT_CONFIDENCE:
            return lang
        return declared_code
    if declared_code is None:
        return lang if prob >= UNDECLARED_CONFIDENCE else None
    if lang == declared_code:
        return lang
    if prob >= OVERRIDE_CONFIDENCE:
        logger.debug("page declares %s but the text is %s (p=%.2f)", declared_code, lang, prob)
        return lang
    return declared_code
