"""How the core reaches code that lives above it (the Dask add-on) without importing it.

In: a ``scheduler=`` argument, or data that is not a pandas frame (a Dask
DataFrame, the path of a Parquet dataset). Out: the add-on that handles it, found
through the entry-point group ``toolkit.addons`` (``pyproject.toml`` declares the
Dask add-on there) or registered by an add-on module when it is imported. The
core never names an add-on module; an add-on imports the core freely.

An add-on is any object with some of these methods:

- ``executor(scheduler) -> Executor | None``: run work for ``scheduler=``
  (``read_articles``, ``extract_entities``); None when it does not know that
  scheduler;
- ``claims(data) -> bool``: whether it counts ``data`` partition by partition;
- ``term_counts(data, **options)``, ``cooccurrence(data, **options)``,
  ``read_dataset(path, **options)``: the partitioned counterparts of the core's
  functions, returning the same pandas frames.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from importlib.metadata import entry_points
from typing import Any, Protocol

import pandas as pd

logger = logging.getLogger(__name__)

GROUP = "toolkit.addons"
DASK_HINT = "pip install 'toolkit[dask]'"

_registered: list[Any] = []
_loaded = False


class Executor(Protocol):
    """Runs one function over many items somewhere else (worker processes, a cluster).

    ``map`` yields ``Outcome`` objects (``toolkit.ingest.workers.Outcome``: ``index``
    of the item, ``kind`` "ok" / "timeout" / "error", ``value``, ``error``) in the
    order they finish. ``fn`` must be importable by name (a module-level function).
    """

    def map(
        self,
        fn: Callable[[Any], Any],
        items: Iterable[Any],
        *,
        timeout: float | None,
        warm: tuple[str, ...] = (),
    ) -> Iterator[Any]: ...

    def close(self) -> None: ...


def register(addon: Any) -> None:
    """Make ``addon`` known to the core (an add-on module calls this when imported)."""
    if not any(a is addon for a in _registered):
        _registered.append(addon)


def _addons() -> list[Any]:
    global _loaded
    if not _loaded:
        _loaded = True
        for point in entry_points(group=GROUP):
            try:
                register(point.load())
            except ImportError as error:  # the add-on's own dependencies are missing
                logger.debug("add-on %s not available: %s", point.name, error)
    return list(_registered)


def executor_for(scheduler: Any) -> Executor:
    """Return the executor an add-on offers for ``scheduler``.

    Parameters
    ----------
    scheduler : object
        What the user passed as ``scheduler=`` (for the Dask add-on: a
        ``distributed.Client``, a cluster or a scheduler address).

    Returns
    -------
    Executor
        Close it after the work (``with contextlib.closing(...)``).

    Raises
    ------
    ValueError
        When no installed add-on knows ``scheduler``.
    """
    for addon in _addons():
        make = getattr(addon, "executor", None)
        executor = make(scheduler) if make else None
        if executor is not None:
            return executor
    raise ValueError(
        "scheduler must be a distributed.Client, a cluster (e.g. LocalCluster) or a scheduler "
        f"address such as 'tcp://host:8786', got {scheduler!r}; Dask support: {DASK_HINT}"
    )


def is_partitioned(data: Any) -> bool:
    """Whether ``data`` is for an add-on: not a pandas frame, but a path or a partitioned frame."""
    if isinstance(data, pd.DataFrame):
        return False
    return isinstance(data, (str, os.PathLike)) or hasattr(data, "npartitions")


def handler_for(data: Any, what: str) -> Any:
    """Return the add-on that claims ``data`` and provides ``what`` (a method name).

    Raises
    ------
    ValueError
        When none does (Dask not installed, or not a kind of data any add-on knows).
    """
    for addon in _addons():
        claims = getattr(addon, "claims", None)
        if claims is not None and claims(data) and hasattr(addon, what):
            return addon
    raise ValueError(
        f"{type(data).__name__} input needs the Dask add-on ({DASK_HINT}); "
        "otherwise pass a pandas DataFrame"
    )


def lazy_reader(what: str = "read_dataset") -> Any:
    """Return the add-on that opens datasets lazily (``load_articles(..., lazy=True)``)."""
    for addon in _addons():
        if hasattr(addon, what):
            return addon
    raise ValueError(f"reading a dataset lazily needs Dask: {DASK_HINT}")
