"""A few pages in a fresh process: ``read_articles`` against trafilatura alone.

    python bench/first_page.py [--page data/sample/china-daily-g20-security.html] [--rounds 3]

Each round starts fresh interpreters (as a user's script does) that
- import trafilatura and extract the page (``bare_extraction``, metadata on): the floor;
- ``import toolkit``, ``read_articles([page])``: one page;
- ``read_articles`` of the page copied 5 times (a few pages, still small work).

Prints the median wall time and CPU time (the process and its children: the
workers) of each, and the toolkit's ratios to the floor. Target: one page in at
most 1.5 s where trafilatura alone takes 0.4 s, a ratio of at most 3.75 (before the
pool started small work without its fork server: about 10 by wall time; the fork
server was no child the script waited for, so its CPU time was not counted). Rounds are
interleaved, so a noisy neighbour hits all three alike; ratios, not seconds, are
the result.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FLOOR = (
    "import sys, trafilatura\n"
    "trafilatura.bare_extraction(open(sys.argv[1], 'rb').read(), with_metadata=True)\n"
)
TOOLKIT = (
    "import sys\n"
    "import toolkit as tk\n"
    "articles = tk.read_articles(sys.argv[1:], progress=False)\n"
    "assert (articles['status'] != 'error').all(), articles[['status', 'error']]\n"
)


def timed(code: str, args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (children included) of ``python -c code args`` in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True, cwd=ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default=str(ROOT / "data/sample/china-daily-g20-security.html"))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    page = Path(args.page).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        few = []
        for i in range(5):
            few.append(str(Path(tmp) / f"{i}-{page.name}"))
            shutil.copy(page, few[-1])
        runs: dict[str, list[tuple[float, float]]] = {"floor": [], "one": [], "five": []}
        for _ in range(args.rounds):
            runs["floor"].append(timed(FLOOR, [str(page)]))
            runs["one"].append(timed(TOOLKIT, [str(page)]))
            runs["five"].append(timed(TOOLKIT, few))
    median = {
        name: (statistics.median(w for w, _ in got), statistics.median(c for _, c in got))
        for name, got in runs.items()
    }
    floor_wall, floor_cpu = median["floor"]
    print(f"load average {os.getloadavg()[0]:.1f}; {args.rounds} rounds; medians")
    print(f"  trafilatura alone, one page: {floor_wall:.2f} s wall, {floor_cpu:.2f} s CPU")
    for name, label in (("one", "one page"), ("five", "five pages")):
        wall, cpu = median[name]
        print(
            f"  toolkit read_articles, {label}: {wall:.2f} s wall ({wall / floor_wall:.2f}x), "
            f"{cpu:.2f} s CPU ({cpu / floor_cpu:.2f}x)"
        )
    print("  target: one page <= 3.75x trafilatura alone (1.5 s where it takes 0.4 s)")


if __name__ == "__main__":
    main()
