"""Helpers shared by the benchmark scripts: the corpus, copies of it, a memory sampler."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus" / "html"


def copy_pages(pages: list[Path], n_pages: int, folder: Path) -> list[Path]:
    """Copy ``pages`` round-robin into ``folder`` until there are ``n_pages`` distinct files."""
    copies = []
    for i in range(n_pages):
        source = pages[i % len(pages)]
        target = folder / f"{i:06d}-{source.name}"
        shutil.copyfile(source, target)
        copies.append(target)
    return copies


class PeakTreeRSS:
    """Sample the resident memory of this process and all its descendants until stopped.

    Attributes
    ----------
    peak : int
        The largest total seen, in bytes.
    """

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakTreeRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()
