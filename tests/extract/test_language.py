"""toolkit.extract.language: detected language combined with what the page declares."""

from __future__ import annotations

import pytest

from toolkit.extract.language import classify_language, detect_language, normalize_language

ENGLISH = (
    "China is seeking assistance from the international community to ensure a safe G20 "
    "meeting in September, as the country faces what one official called the grim task."
)
GERMAN = (
    "China bittet die internationale Gemeinschaft um Hilfe, damit der G20-Gipfel im "
    "September sicher verläuft, denn das Land steht vor einer schweren Aufgabe."
)


@pytest.mark.parametrize(
    ("tag", "code"),
    [("en-US", "en"), ("de_DE", "de"), ("ZH-Hans", "zh"), ("fra", "fr"), ("ger", "de"),
     ("pt", "pt"), ("", None), (None, None), ("x", None), ("english", None)],
)
def test_normalize_language(tag, code):
    assert normalize_language(tag) == code


def test_detection_wins_over_a_wrong_declaration():
    # corpus pages declare html lang="de" on English text
    assert detect_language(ENGLISH, declared="de") == "en"
    assert detect_language(GERMAN, declared="en-GB") == "de"


def test_agreement_and_no_declaration():
    assert detect_language(ENGLISH, declared="en") == "en"
    assert detect_language(ENGLISH) == "en"
    assert detect_language(GERMAN) == "de"


def test_short_text_falls_back_to_the_declaration():
    assert detect_language("G20 Hangzhou", declared="fr") == "fr"
    assert detect_language("", declared="es-MX") == "es"
    assert detect_language(None) is None
    assert detect_language("12 345 678 -- !!", declared=None) is None


def test_classify_language_reads_a_bounded_prefix():
    lang, prob = classify_language(ENGLISH + " " + GERMAN * 50)
    assert lang == "en" and 0.5 < prob <= 1.0
    assert classify_language("1234 5678") is None
