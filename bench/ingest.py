"""Ingestion speed and memory against raw trafilatura, in one run.

    python bench/ingest.py [--corpus ../shared/corpus/html] [--rounds 3] [--memory-pages 2000]

Prints, on the corpus pages:
- toolkit single-process pages/s / a plain ``trafilatura.bare_extraction`` loop (target >= 0.9),
- toolkit ``workers=2`` pages/s / toolkit single-process pages/s (target >= 1.7),
- peak RSS of the whole process tree (main + workers) while ingesting ``--memory-pages``
  pages (the corpus copied as many times as needed into a temporary folder; target < 1.5 GB).

Rounds are interleaved (bare, toolkit x1, toolkit x2, bare, ...) and the median of each is
used, so a noisy neighbour on the machine hits all three alike. Each round of the plain
loop runs in a freshly forked process, as the toolkit's workers do, so that neither reuses
the per-page memoisation caches that earlier rounds over the same pages filled. Ratios,
not seconds, are the result: the machines are shared. The single-process ratio is also
given by CPU time (the loop's process; the toolkit's whole process tree), which other
load on the machine disturbs much less than wall-clock time.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import statistics
import tempfile
import time
from pathlib import Path

import psutil
import trafilatura
from benchlib import DEFAULT_CORPUS, PeakTreeRSS, copy_pages

import toolkit as tk
from toolkit.extract.page import preload


def cpu_seconds() -> float:
    """CPU time of this process tree, finished processes included.

    The pool's workers are children of the fork server, which reaps them, so
    their time shows in the fork server's ``children_*`` times.
    """
    me = psutil.Process()
    total = 0.0
    for proc in [me, *me.children(recursive=True)]:
        try:
            times = proc.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def _bare_loop_in_child(pages: list[Path], conn) -> None:
    started, cpu = time.perf_counter(), time.process_time()
    for page in pages:
        trafilatura.bare_extraction(page.read_bytes(), with_metadata=True)
    conn.send((time.perf_counter() - started, time.process_time() - cpu))


def bare_loop(pages: list[Path]) -> tuple[float, float]:
    """Wall and CPU seconds of a plain loop of trafilatura.bare_extraction over ``pages``.

    Each round runs in a new process forked from this one (trafilatura imported and
    its one-off tables built, nothing extracted from the corpus yet), as the
    toolkit's workers are forked fresh for each call from a server in the same
    state: neither side reuses the memoisation caches (htmldate's, trafilatura's)
    that earlier rounds over the same pages filled.
    """
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_bare_loop_in_child, args=(pages, send))
    child.start()
    result = receive.recv()
    child.join()
    return result


WARM_UP_PAGE = (
    "<html><head><title>Warm-up</title><meta name='date' content='2016-04-07'></head><body>"
    "<article><h1>Warm-up page</h1>"
    + "<p>Police in the city stepped up patrols before the summit, officials said.</p>" * 8
    + "</article></body></html>"
).encode()


def toolkit_run(pages: list[Path], workers: int) -> tuple[float, float]:
    """Wall and CPU seconds of ``read_articles`` over ``pages`` (worker start-up included)."""
    started, cpu = time.perf_counter(), cpu_seconds()
    articles = tk.read_articles(pages, workers=workers, progress=False)
    elapsed = time.perf_counter() - started
    assert len(articles) == len(pages), (len(articles), len(pages))
    return elapsed, cpu_seconds() - cpu


def memory_run(pages: list[Path], n_pages: int, workers: int) -> tuple[float, int]:
    """Ingest ``n_pages`` distinct files (copies of ``pages``); return (peak GB, rows)."""
    with tempfile.TemporaryDirectory(prefix="toolkit-bench-") as tmp:
        copies = copy_pages(pages, n_pages, Path(tmp))
        with PeakTreeRSS() as sampler:
            articles = tk.read_articles(copies, workers=workers, progress=False)
        return sampler.peak / 1e9, len(articles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory-pages", type=int, default=2000)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    pages = sorted(args.corpus.glob("*.html"))
    if not pages:
        raise SystemExit(f"no pages in {args.corpus}")

    runs = {"bare": lambda: bare_loop(pages), "tk1": lambda: toolkit_run(pages, workers=1),
            "tk2": lambda: toolkit_run(pages, workers=2)}
    wall: dict[str, list[float]] = {k: [] for k in runs}
    cpu: dict[str, list[float]] = {k: [] for k in runs}
    # One-off library costs (imports, htmldate/dateparser tables) paid here for the plain
    # loop's forked rounds, as the toolkit's fork server pays them once; no corpus page.
    trafilatura.bare_extraction(WARM_UP_PAGE, with_metadata=True)
    preload()
    toolkit_run(pages[:20], workers=2)  # start the fork server (a once-per-session cost)
    for round_number in range(args.rounds):
        for name, run in runs.items():
            seconds, cpu_time = run()
            wall[name].append(seconds)
            cpu[name].append(cpu_time)
        print(
            f"round {round_number + 1}: "
            + ", ".join(f"{k} {len(pages) / v[-1]:.1f} pages/s" for k, v in wall.items())
        )
    rate = {k: len(pages) / statistics.median(v) for k, v in wall.items()}
    cpu_cost = {k: statistics.median(v) for k, v in cpu.items()}
    print(f"pages: {len(pages)}; median pages/s: "
          + ", ".join(f"{k} {v:.1f}" for k, v in rate.items()))
    print(f"toolkit single-process / bare_extraction loop: {rate['tk1'] / rate['bare']:.2f}"
          f"  (target >= 0.9; by CPU time: {cpu_cost['bare'] / cpu_cost['tk1']:.2f})")
    print(f"toolkit workers=2 / toolkit single-process:   {rate['tk2'] / rate['tk1']:.2f}"
          "  (target >= 1.7)")
    if args.memory_pages:
        peak, rows = memory_run(pages, args.memory_pages, workers=2)
        print(f"peak RSS, main + workers, {rows} pages with workers=2: {peak:.2f} GB"
              "  (target < 1.5)")


if __name__ == "__main__":
    main()
