"""The Dask executor: the core's executor interface (``toolkit.addons.Executor``) on a cluster.

``read_articles(..., scheduler=client)`` and ``extract_entities(...,
scheduler=client)`` hand their work function and items to :class:`DaskExecutor`,
which sends them to the cluster's workers in batches and yields one outcome per
item; everything else (duplicates, alias resolution) happens on the client
exactly as in a local run, so the results are identical.

On each Dask worker process:

- work with a time limit (page extraction) runs in a child process of the
  worker, under the same per-item limit as locally (a Dask task cannot be
  stopped; a child process can). The child is forked from a fork server
  started once per worker process (``toolkit.ingest.launch``, which uses no
  ``multiprocessing.Process``), so it works on the daemonic worker processes of
  any stock cluster (``LocalCluster()``, ``dask worker``), and is kept per worker
  thread, so trafilatura loads once per worker, not per task;
- work without one (entity recognition) runs in the worker itself, so a model
  the work function caches (``get_recognizer``) loads once per worker process.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from distributed import Client

logger = logging.getLogger(__name__)

def get_client(scheduler: Any) -> Client:
    """Return a ``distributed.Client`` for ``scheduler``.

    Parameters
    ----------
    scheduler : distributed.Client, cluster or str
        A connected client, a cluster object (``LocalCluster``, any object with
        a ``scheduler_address``), or the address of a running scheduler
        (``"tcp://10.0.0.5:8786"``). Use :func:`client_for` to have a client
        made here closed after use.

    Returns
    -------
    distributed.Client
    """
    from distributed import Client

    if isinstance(scheduler, Client):
        return scheduler
    address = getattr(scheduler, "scheduler_address", scheduler)
    if isinstance(address, str) and address:
        return Client(address)
    raise ValueError(
        "scheduler must be a distributed.Client, a cluster (e.g. LocalCluster) or a "
        f"scheduler address such as 'tcp://host:8786', got {scheduler!r}"
    )


@contextlib.contextmanager
def client_for(scheduler: Any) -> Iterator[Client]:
    """:func:`get_client` for one piece of work: a client made from an address is closed after.

    A client the caller passed stays open (it is theirs). Closing ours matters:
    left open, it keeps trying to reach a scheduler that has shut down, and
    logs errors and delays the interpreter's exit by half a minute.
    """
    client = get_client(scheduler)
    try:
        yield client
    finally:
        if client is not scheduler:
            client.close()


def local_cluster(n_workers: int = 2, **kwargs: Any):
    """Start a ``LocalCluster`` of ``n_workers`` processes with one thread each.

    Any cluster serves (the per-page time limit works on daemonic workers too);
    this one gives each worker process one thread, as the toolkit's work is
    CPU-bound Python.

    Parameters
    ----------
    n_workers : int
        Worker processes (one thread each unless ``threads_per_worker`` is given).
    **kwargs
        Passed to ``distributed.LocalCluster``.

    Returns
    -------
    distributed.LocalCluster
        Use it as a context manager, and ``distributed.Client(cluster)``.
    """
    from distributed import LocalCluster

    kwargs.setdefault("threads_per_worker", 1)
    kwargs.setdefault("processes", True)
    return LocalCluster(n_workers=n_workers, **kwargs)


# --------------------------------------------------------------------------- worker side
_pools = threading.local()


def _pool_for(fn: Callable[[Any], Any], timeout: float | None, warm: tuple[str, ...]):
    """This worker thread's time-limited pool (one child process) for ``fn``, started once."""
    from toolkit.ingest.workers import TimeLimitedPool

    pool = getattr(_pools, "pool", None)
    if pool is not None and pool.fn is fn and pool.timeout == timeout:
        return pool
    if pool is not None:
        pool.close()
    # The fork server, not a fork of this worker: it has threads (Dask's event loop).
    pool = TimeLimitedPool(
        fn, workers=1, timeout=timeout, preload=warm, start_method="forkserver"
    ).__enter__()
    atexit.register(pool.close)
    _pools.pool = pool
    return pool


def start_fork_server(module: str, warm: tuple[str, ...]) -> None:
    """Start this Dask worker's fork server, which imports ``module`` and ``warm`` once.

    Run on every worker (``client.run``) before the first batch, so the
    workers get ready in parallel and the first items do not wait for it.
    """
    from toolkit.ingest.launch import ensure_server, set_preload

    set_preload([module, *warm])
    ensure_server()


def run_batch(
    fn: Callable[[Any], Any],
    batch: list[tuple[int, Any]],
    timeout: float | None,
    warm: tuple[str, ...],
    finish: Callable[[Any], Any] | None,
) -> list[Any]:
    """Run ``fn`` over a batch of ``(position, item)`` on a Dask worker; return its outcomes.

    With a ``timeout``, each item goes through the worker thread's
    time-limited child process (an item that hangs is killed and becomes a
    ``timeout`` outcome, as locally); without one, items run in the worker.
    """
    from toolkit.ingest.workers import Outcome

    positions = [position for position, _ in batch]
    items = [item for _, item in batch]
    if timeout is None:
        outcomes = []
        for index, item in enumerate(items):
            try:
                outcomes.append(Outcome(index, "ok", fn(item)))
            except Exception as exc:  # as a worker process reports it
                outcomes.append(Outcome(index, "raised", error=f"{type(exc).__name__}: {exc}"))
    else:
        outcomes = list(_pool_for(fn, timeout, warm).imap_unordered(items))
    done = []
    for outcome in outcomes:
        value = outcome.value
        if finish is not None and outcome.kind == "ok":
            value = finish(value)
        done.append(Outcome(positions[outcome.index], outcome.kind, value, outcome.error))
    return done


# --------------------------------------------------------------------------- client side
def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class DaskExecutor:
    """Runs a work function over items on a Dask cluster (``toolkit.addons.Executor``).

    Parameters
    ----------
    scheduler : distributed.Client, cluster or str
        As for :func:`get_client`; a client made here is closed by :meth:`close`.
    batch_size : int
        Items per Dask task.
    """

    def __init__(self, scheduler: Any, *, batch_size: int = 16) -> None:
        self.client = get_client(scheduler)
        self._owned = self.client is not scheduler
        self.batch_size = batch_size

    def map(
        self,
        fn: Callable[[Any], Any],
        items: Iterable[Any],
        *,
        timeout: float | None,
        warm: tuple[str, ...] = (),
        finish: Callable[[Any], Any] | None = None,
    ) -> Iterator[Any]:
        """Yield one outcome per item, as batches finish.

        Items are drawn lazily and sent in batches; at most two batches per
        worker thread are in flight, so memory on the client stays bounded.
        """
        from distributed import as_completed

        if timeout is not None:
            self.client.run(start_fork_server, fn.__module__, tuple(warm))
        threads = max(1, sum(self.client.nthreads().values()))
        batches = _chunks(enumerate(items), self.batch_size)
        args = (timeout, tuple(warm), finish)
        pending = as_completed()
        for batch in islice(batches, 2 * threads):
            pending.add(self.client.submit(run_batch, fn, batch, *args, pure=False))
        for future in pending:
            outcomes = future.result()
            future.release()
            for batch in islice(batches, 1):
                pending.add(self.client.submit(run_batch, fn, batch, *args, pure=False))
            yield from outcomes

    def close(self) -> None:
        """Close the client if it was made here (a client the caller passed stays open)."""
        if self._owned:
            self.client.close()
