"""Where a relative path points, wherever Python was started: the project folder.

JupyterLab runs a notebook in the notebook's folder, papermill in the folder it was
started from, a script in the shell's: ``"data/sample"`` in a notebook's parameters
should name the same folder in all three. The project is the nearest folder, from
the working folder up, that holds ``pyproject.toml`` or ``.git``; else the checkout
the toolkit itself runs from (an editable install); else the working folder.

- an input (:func:`project_sources`) is looked for in the working folder first, then
  in the project; one found in neither stops here, saying where it was looked for;
- an output (:func:`project_path`) goes under the project.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

#: Sources that are not local paths: URLs (fetched) and file URLs (read as given).
URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
MARKERS = ("pyproject.toml", ".git")


def project_root() -> Path:
    """The project folder: see the module docstring.

    Returns
    -------
    pathlib.Path
        An absolute folder.
    """
    here = Path.cwd()
    for folder in (here, *here.parents):
        if any((folder / marker).exists() for marker in MARKERS):
            return folder
    checkout = Path(__file__).resolve().parents[2]  # .../toolkit/sources/project.py
    if (checkout / "pyproject.toml").is_file() and (checkout / "toolkit").is_dir():
        return checkout
    return here


def project_path(path: str | Path) -> Path:
    """Where an output goes: ``path`` itself when absolute, else under the project folder.

    Parameters
    ----------
    path : str or Path
        A file or folder to write (``"reports"``, ``"~/out"``, ``"/tmp/x"``).

    Returns
    -------
    pathlib.Path
        An absolute path.
    """
    if not isinstance(path, str | Path) or not str(path):
        raise ValueError(f"path must be a non-empty str or Path, got {path!r}")
    path = Path(path).expanduser()
    return path if path.is_absolute() else project_root() / path


def _found(path: Path) -> bool:
    return path.exists() or (glob.has_magic(str(path)) and bool(glob.glob(str(path))))


def project_sources(sources: Any) -> list[Any]:
    """The sources with each relative path made absolute; a path found nowhere stops here.

    Parameters
    ----------
    sources : path, URL, DataFrame, or a list of them
        What :func:`toolkit.read_articles` takes. URLs and DataFrames are kept as
        they are; a relative path or glob is taken from the working folder when it
        is there, else from the project folder.

    Returns
    -------
    list
        The sources, local paths absolute (as str).

    Raises
    ------
    ValueError
        When a path (or a glob) is in neither place: the message names both.
    """
    items = [sources] if isinstance(sources, str | Path | pd.DataFrame) else sources
    if not isinstance(items, Iterable):
        raise ValueError(
            f"sources must be a path, a URL, a DataFrame or a list of them, got {sources!r}"
        )
    resolved = []
    for item in items:
        if isinstance(item, pd.DataFrame) or (isinstance(item, str) and URL.match(item)):
            resolved.append(item)
            continue
        if not isinstance(item, str | Path) or not str(item).strip():
            raise ValueError(f"sources must be paths, URLs or DataFrames, got {item!r}")
        path = Path(item).expanduser()
        places = [path] if path.is_absolute() else [Path.cwd() / path, project_root() / path]
        found = next((place for place in places if _found(place)), None)
        if found is None:
            where = " nor ".join(str(place) for place in dict.fromkeys(places))
            raise ValueError(
                f"sources: {str(item)!r} matches no file or folder: neither {where} exists"
            )
        resolved.append(str(found))
    return resolved
