"""Run the heavy steps (page extraction, entity recognition) on a Dask cluster.

``read_articles(..., scheduler=client)`` and ``extract_entities(...,
scheduler=client)`` send batches of documents or articles to the cluster's
workers and get rows or entity spans back; everything else (duplicates,
alias resolution) happens on the client exactly as in a local run, so the
results are identical.

On each Dask worker process:

- pages are extracted in a child process of the worker, under the same
  per-page time limit as locally (a Dask task cannot be stopped; a child
  process can). The child is started once per worker thread and kept, so
  trafilatura loads once per worker, not per task;
- the spaCy pipeline (or NLTK chunker) is loaded once per worker process
  (``entities.get_recognizer`` is cached there) and never pickled.

Dask's worker processes are *daemonic* by default, and a daemonic process
may not start children; start workers with
``DASK_DISTRIBUTED__WORKER__DAEMON=False`` (or
``dask.config.set({"distributed.worker.daemon": False})`` before creating a
``LocalCluster``). ``local_cluster()`` does that for you.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing
import threading
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from tqdm.auto import tqdm

from .sources import Document

if TYPE_CHECKING:
    from distributed import Client

    from .ingest import IngestOptions

logger = logging.getLogger(__name__)

DAEMON_HINT = (
    "this Dask worker is a daemonic process, which may not start the child process that "
    "enforces the per-page time limit. Start the workers with "
    "DASK_DISTRIBUTED__WORKER__DAEMON=False (e.g. `DASK_DISTRIBUTED__WORKER__DAEMON=False "
    "dask worker tcp://scheduler:8786`), or create a LocalCluster inside "
    "`dask.config.set({'distributed.worker.daemon': False})` (toolkit.cluster.local_cluster does)"
)


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
    """Start a ``LocalCluster`` whose workers may run the toolkit's page time limit.

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
    import dask
    from distributed import LocalCluster

    kwargs.setdefault("threads_per_worker", 1)
    kwargs.setdefault("processes", True)
    with dask.config.set({"distributed.worker.daemon": False}):
        return LocalCluster(n_workers=n_workers, **kwargs)


# --------------------------------------------------------------------------- worker side
_pools = threading.local()


def _pool_for(timeout: float | None):
    """This worker thread's extraction pool (one child process), started on first use."""
    from .ingest import _run_task
    from .workers import TimeLimitedPool

    pool = getattr(_pools, "pool", None)
    if pool is not None and pool.timeout == timeout:
        return pool
    if pool is not None:
        pool.close()
    if multiprocessing.current_process().daemon:
        raise RuntimeError(DAEMON_HINT)
    pool = TimeLimitedPool(_run_task, workers=1, timeout=timeout).__enter__()
    atexit.register(pool.close)
    _pools.pool = pool
    return pool


def start_fork_server() -> None:
    """Start this Dask worker's fork server, which imports and warms the extraction code.

    Run on every worker (``client.run``) before the first batch, so the
    workers get ready in parallel and the first pages do not wait for it.
    """
    from multiprocessing import forkserver

    from .ingest import WARM_MODULES, _run_task

    if multiprocessing.current_process().daemon:
        raise RuntimeError(DAEMON_HINT)
    forkserver.set_forkserver_preload([_run_task.__module__, *WARM_MODULES])
    forkserver.ensure_running()


def process_batch(
    batch: list[tuple[int, Document]], options: IngestOptions, timeout: float | None
) -> list[tuple[int, dict]]:
    """Extract a batch of documents on a Dask worker; return ``(position, row)`` pairs.

    Runs as a Dask task. Each document goes through the worker thread's
    time-limited child process, so a page that hangs is killed after
    ``timeout`` seconds and becomes a ``timeout`` row, as in a local run.
    """
    from .ingest import failed_row, with_text_stats

    pool = _pool_for(timeout)
    positions = [position for position, _ in batch]
    docs = [doc for _, doc in batch]
    rows: list[tuple[int, dict]] = []
    for outcome in pool.imap_unordered((doc, options) for doc in docs):
        if outcome.kind == "ok":
            row = with_text_stats(outcome.value)
        else:
            row = failed_row(docs[outcome.index], outcome)
        rows.append((positions[outcome.index], row))
    return rows


def recognize_batch(backend: str, model: str | None, work: list, batch_size: int) -> dict:
    """Run entity recognition on a Dask worker (the model loads once per worker process)."""
    from .entities import _recognize, get_recognizer

    return _recognize(get_recognizer(backend, model=model), work, batch_size, False)


# --------------------------------------------------------------------------- client side
def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def iter_rows_on_cluster(
    documents: Iterable[Document],
    *,
    client: Client,
    options: IngestOptions,
    timeout: float | None,
    batch_size: int = 16,
    progress: bool = True,
) -> Iterator[tuple[int, dict]]:
    """Yield ``(position, row)`` for each document, extracted on the cluster.

    Documents are drawn lazily and sent in batches; at most two batches per
    worker thread are in flight, so memory on the client stays bounded.

    Parameters
    ----------
    documents : iterable of Document
        From ``sources.iter_documents`` (file documents carry only their path:
        the workers must see the same files, e.g. a shared file system).
    client : distributed.Client
        The cluster.
    options : IngestOptions
        Size cap, extraction and fetch settings.
    timeout : float or None
        Seconds per page.
    batch_size : int
        Documents per task.
    progress : bool
        Show a progress bar.
    """
    from distributed import as_completed

    client.run(start_fork_server)
    threads = max(1, sum(client.nthreads().values()))
    batches = _chunks(enumerate(documents), batch_size)
    pending = as_completed()
    for batch in islice(batches, 2 * threads):
        pending.add(client.submit(process_batch, batch, options, timeout, pure=False))
    bar = tqdm(desc="pages", unit="page", disable=not progress)
    try:
        for future in pending:
            rows = future.result()
            bar.update(len(rows))
            yield from rows
            future.release()
            for batch in islice(batches, 1):
                pending.add(client.submit(process_batch, batch, options, timeout, pure=False))
    finally:
        bar.close()


def recognize_on_cluster(
    client: Client,
    *,
    backend: str,
    model: str | None,
    work: list,
    batch_size: int,
    articles_per_task: int = 64,
) -> dict:
    """Recognise the entities of ``work`` on the cluster; return article_id -> spans."""
    futures = [
        client.submit(recognize_batch, backend, model, chunk, batch_size, pure=False)
        for chunk in _chunks(work, articles_per_task)
    ]
    found: dict = {}
    for part in client.gather(futures):
        found.update(part)
    return found
