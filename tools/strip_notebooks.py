"""Remove outputs, execution counts and run metadata from notebooks before they are committed.

    python tools/strip_notebooks.py                  # strip notebooks/*.ipynb in place
    python tools/strip_notebooks.py a.ipynb b.ipynb  # strip these
    python tools/strip_notebooks.py --check          # list the unstripped ones, exit 1 if any

A stripped notebook has no outputs, ``execution_count`` null in every code cell, and no
papermill, execution-timing or widget-state metadata, so a diff shows only what changed
in its cells.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
#: Metadata written by running a notebook, not by writing it.
RUN_METADATA = ("papermill", "widgets", "execution")


def strip(notebook: dict) -> dict:
    """Return ``notebook`` (parsed .ipynb JSON) without outputs and run metadata."""
    cells = []
    for cell in notebook.get("cells", []):
        metadata = {k: v for k, v in cell.get("metadata", {}).items() if k not in RUN_METADATA}
        cell = {**cell, "metadata": metadata}
        if cell.get("cell_type") == "code":
            cell = {**cell, "outputs": [], "execution_count": None}
        cells.append(cell)
    metadata = {k: v for k, v in notebook.get("metadata", {}).items() if k not in RUN_METADATA}
    return {**notebook, "cells": cells, "metadata": metadata}


def text_of(notebook: dict) -> str:
    """Serialise as Jupyter does (one-space indent, sorted keys, trailing newline)."""
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Strip (or with ``--check`` only list) the notebooks; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if unstripped")
    args = parser.parse_args(argv)
    paths = args.paths or sorted(NOTEBOOKS.glob("*.ipynb"))
    unstripped = []
    for path in paths:
        notebook = json.loads(path.read_text("utf-8"))
        clean = strip(notebook)
        if clean != notebook:
            unstripped.append(path)
            if not args.check:
                path.write_text(text_of(clean), encoding="utf-8")
    verb = "has outputs or run metadata" if args.check else "stripped"
    for path in unstripped:
        print(f"{path}: {verb}")
    return 1 if args.check and unstripped else 0


if __name__ == "__main__":
    sys.exit(main())
