"""Bounds shared by the hostile cases: each must end, in time and memory, whatever the input."""

from __future__ import annotations

import resource
import time
from contextlib import contextmanager

import pytest


@contextmanager
def bounded(seconds: float):
    """Assert that the block ends within ``seconds`` (loosely: the point is that it ends)."""
    started = time.monotonic()
    yield
    elapsed = time.monotonic() - started
    assert elapsed < seconds, f"took {elapsed:.1f} s, the bound is {seconds} s"


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.fixture()
def memory_bound():
    """Assert that a case grows this process's peak memory by less than the given MB."""
    before = peak_rss_mb()
    limits: list[float] = []
    yield limits.append
    for limit in limits:
        grown = peak_rss_mb() - before
        assert grown < limit, f"peak memory grew by {grown:.0f} MB, the bound is {limit} MB"
