"""Shared fixtures: where the shared test data lives, and small real frames."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TOOLKIT_SHARED", ROOT.parent / "shared")).resolve()

# NLTK data: `make install` runs `toolkit setup --nltk-from ../shared/nltk_data`, which puts
# it where this Python finds it, so the tests run as users do, with no NLTK_DATA.
# matplotlib draws off-screen.
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder beside the repository (skips when absent; fails in CI)."""
    if not SHARED.is_dir():
        _missing(f"shared test data not found at {SHARED}")
    return SHARED


def _missing(reason: str) -> None:
    """Skip a test whose shared data is absent, except in CI (``CI=true``), where it fails."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI must run with ../shared beside the repository")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def seed_path(shared_dir) -> Path:
    """The founding article as a plain-text dump of its web page."""
    return shared_dir / "seed" / "000_dbba2803771f8658.txt"


@pytest.fixture(scope="session")
def seed_expected(shared_dir) -> dict:
    """What a correct extraction and entity analysis of the seed gives."""
    return json.loads((shared_dir / "seed" / "expected.json").read_text("utf-8"))


@pytest.fixture(scope="session")
def corpus_dir(shared_dir) -> Path:
    """The 200-page extraction corpus (pages in html/, expectations in expected.jsonl)."""
    path = shared_dir / "corpus"
    if not (path / "html").is_dir():
        _missing("shared corpus not found")
    return path


@pytest.fixture(scope="session")
def seed_articles(seed_expected) -> pd.DataFrame:
    """A one-row articles frame holding the seed's expected title, date, authors and body."""
    from toolkit.schema import article_id_for, conform_articles

    uri = "file:///shared/seed/000_dbba2803771f8658.txt"
    text = "\n".join(seed_expected["body_paragraphs"])
    row = {
        "article_id": article_id_for(uri),
        "source_uri": uri,
        "title": seed_expected["title"],
        "authors": seed_expected["authors"],
        "date": seed_expected["datetime"],
        "date_source": "header",
        "sitename": seed_expected["sitename"],
        "language": "en",
        "text": text,
        "n_words": len(text.split()),
        "status": "ok",
    }
    return conform_articles(pd.DataFrame([row]))
