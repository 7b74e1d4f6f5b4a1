"""A process pool that enforces a time limit on every task.

``concurrent.futures`` cannot stop one task that hangs (a pathological page can
keep lxml busy for minutes), and a ``signal.alarm`` only works in the main
thread of the main process. Here every worker is a process of its own with a
pipe; the parent watches each task's deadline, and kills and replaces a worker
whose task overruns or which dies (segfault, out of memory). The caller gets
one outcome per task, whatever happened.

Each worker holds its running task and, when it is small, the next one, so it
starts that one the moment it finishes instead of waiting for the parent to
wake up and send it (about 1 ms a page, 3% of a page's extraction). The next
task's clock starts when the parent receives the previous result; if the
worker is killed, the task it had not started goes to its replacement.

Workers start without importing the script that called the toolkit (see
``toolkit.ingest.launch``), so scripts read from standard input, ``python -c``,
notebooks and scripts without a ``__main__`` guard all work, and so do the daemonic
worker processes of a Dask cluster. Small work (a few items) runs in workers forked
from the calling process, which start at once; bigger work starts the fork server,
whose workers start warm (trafilatura and its models loaded once).
"""

from __future__ import annotations

import importlib
import itertools
import logging
import multiprocessing
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import ForkingPickler
from typing import Any, Literal

from toolkit.ingest import launch
from toolkit.ingest.launch import set_preload, start_methods, start_process

logger = logging.getLogger(__name__)

OutcomeKind = Literal["ok", "timeout", "crashed", "raised"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one task.

    Attributes
    ----------
    index : int
        Position of the task in the input iterable.
    kind : {"ok", "timeout", "crashed", "raised"}
        ``ok``: ``value`` holds the result. ``timeout``: the task overran and its
        worker was killed. ``crashed``: the worker process died. ``raised``: the
        function raised; ``error`` holds the exception summary.
    value : Any
        The function's return value when ``kind == "ok"``.
    error : str or None
        A readable message for the other kinds.
    """

    index: int
    kind: OutcomeKind
    value: Any = None
    error: str | None = None


_READY = "ready"

#: Tasks a worker holds at once: the running one and the next.
DEPTH = 2

#: A pickled task above this size is sent only to an idle worker: a busy worker
#: does not read its pipe, and a send that fills the pipe would block the parent
#: (and with it every deadline) until the running task ends.
LOOKAHEAD_BYTES = 32_768

#: Seconds a new worker may take to start (imports included) before it counts as crashed.
STARTUP_LIMIT = 300.0


#: Work of at most this many items runs in workers forked from the calling process, which
#: start at once; more starts the fork server (seconds once), whose workers start warm.
SMALL_WORK = 8

STARTUP_FAILURE = (
    "a worker process exited (code {code}) before it could take a task; its error is "
    "printed above"
)


def _worker_loop(conn: Connection, fn: Callable[[Any], Any], warm: tuple[str, ...] = ()) -> None:
    # Ctrl-C reaches the whole process group: the parent handles it (and stops the
    # workers), so a worker ignores it rather than print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if warm:  # a worker forked for small work: one-off costs before its first task's clock
        launch.LIGHT_WARM_UP = True
        for module in warm:
            importlib.import_module(module)
    # Unpickling ``fn`` imported its module before this line; say so, so that the
    # time limit of the first task does not include the worker's start-up.
    conn.send(_READY)
    while True:
        try:
            message = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if message is None:
            return
        index, item = message
        try:
            conn.send((index, "ok", fn(item), None))
        except Exception as exc:  # report, keep serving: one bad task must not stop the run
            conn.send((index, "raised", None, f"{type(exc).__name__}: {exc}"))


class _Worker:
    """One child process, its pipe, and the tasks it holds (running first)."""

    def __init__(
        self, method: str, fn: Callable[[Any], Any], timeout: float | None, warm: tuple[str, ...]
    ) -> None:
        self.conn, child = multiprocessing.Pipe(duplex=True)
        warm = warm if method == "fork" else ()  # the fork server imported them
        self.process = start_process(
            method, _worker_loop, (child, fn, warm), close_in_child=(self.conn,)
        )
        child.close()
        self.held: deque[tuple[int, Any, int]] = deque()  # (index, item, pickled size)
        self.ready = False
        self.timeout = timeout
        self.deadline = time.monotonic() + STARTUP_LIMIT
        self.done = 0

    @property
    def task(self) -> int | None:
        """Index of the running task (or the one it will run first), None when idle."""
        return self.held[0][0] if self.held else None

    def can_take(self, size: int) -> bool:
        """Whether a task of ``size`` pickled bytes may be sent now."""
        if not self.held:
            return True
        return len(self.held) < DEPTH and size <= LOOKAHEAD_BYTES

    def send(self, index: int, item: Any, payload: bytes) -> None:
        self.held.append((index, item, len(payload)))
        if len(self.held) == 1 and self.ready:
            self._start_clock()
        self.conn.send_bytes(payload)

    def finish(self) -> None:
        """The running task has ended: the next held one starts its clock."""
        self.held.popleft()
        self.done += 1
        if self.held:
            self._start_clock()

    def _start_clock(self) -> None:
        self.deadline = time.monotonic() + self.timeout if self.timeout else float("inf")

    def mark_ready(self) -> None:
        self.ready = True
        self._start_clock()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()
        self.process.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)
        self.conn.close()
        self.process.close()


class TimeLimitedPool:
    """Run ``fn(item)`` for each item in worker processes, each within ``timeout`` seconds.

    Parameters
    ----------
    fn : callable
        A module-level (picklable) function of one argument. It should catch its
        own errors; an exception it lets out becomes a ``raised`` outcome.
    workers : int
        Number of worker processes (at least 1).
    timeout : float or None
        Seconds one task may take; the worker running a task that overruns is
        killed and replaced. None means no limit.
    tasks_per_worker : int or None
        Replace a worker after this many tasks, which bounds the memory that
        parsers accumulate. None keeps workers for the whole run.
    start_method : {"fork", "forkserver", "spawn"}, optional
        How worker processes start (``toolkit.ingest.launch``). ``fork``: forked from
        this process, at once. ``forkserver``: forked from a server that imported
        ``fn``'s module and ``preload`` once, so workers start warm; safe with threads
        in this process. ``spawn``: a fresh interpreter (platforms without fork).
        Default: ``fork`` for work of at most :data:`SMALL_WORK` items, else
        ``forkserver`` (``spawn`` where there is no fork).
    preload : tuple of str
        More modules whose import pays one-off costs, imported before the first
        task's clock starts: once by the fork server (ignored when this process's
        fork server is already running), or by each worker forked from this
        process, with ``toolkit.ingest.launch.light_warm_up()`` true (they should
        then pay only what every first task would pay).

    Examples
    --------
    >>> with TimeLimitedPool(str.upper, workers=2, timeout=5) as pool:   # doctest: +SKIP
    ...     sorted(o.value for o in pool.imap_unordered(["a", "b"]))
    ['A', 'B']
    """

    def __init__(
        self,
        fn: Callable[[Any], Any],
        *,
        workers: int = 1,
        timeout: float | None = 60.0,
        tasks_per_worker: int | None = 1000,
        start_method: Literal["fork", "forkserver", "spawn"] | None = None,
        preload: tuple[str, ...] = (),
    ) -> None:
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ValueError(f"workers must be an integer >= 1, got {workers!r}")
        if timeout is not None and timeout <= 0:
            raise ValueError(
                f"timeout must be a positive number of seconds or None, got {timeout!r}"
            )
        if tasks_per_worker is not None and tasks_per_worker < 1:
            raise ValueError(f"tasks_per_worker must be >= 1 or None, got {tasks_per_worker!r}")
        methods = start_methods()
        if start_method is not None and start_method not in methods:
            raise ValueError(f"start_method must be one of {list(methods)}, got {start_method!r}")
        module = getattr(fn, "__module__", None) or "__main__"
        if module == "__main__" and start_method != "fork":
            raise ValueError(
                "fn must be a function of an importable module (worker processes do not "
                f"import the main script), got {fn!r}; or pass start_method='fork'"
            )
        self.fn = fn
        self.n_workers = workers
        self.timeout = timeout
        self.tasks_per_worker = tasks_per_worker
        self.start_method = start_method
        self.preload = (module, *preload)
        self._entered = False
        self._workers: list[_Worker] = []

    def __enter__(self) -> TimeLimitedPool:
        self._entered = True
        if self.start_method is not None:  # else started by the first imap_unordered
            self._start(self.start_method, self.n_workers)
        return self

    def _start(self, method: str, n: int) -> None:
        self.start_method = method
        if method == "forkserver":
            # The fork server imports the task's module once and forks warm workers from it.
            set_preload(self.preload)
        self._workers = [self._new_worker() for _ in range(n)]

    def _new_worker(self) -> _Worker:
        return _Worker(self.start_method, self.fn, self.timeout, self.preload[1:])

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """Stop every worker process."""
        for worker in self._workers:
            if worker.task is None:
                worker.stop()
            else:
                worker.kill()
        self._workers = []
        self._entered = False

    def _replace(self, worker: _Worker) -> _Worker:
        """A new worker in ``worker``'s place, given the tasks it held but had not started."""
        fresh = self._new_worker()
        self._workers[self._workers.index(worker)] = fresh
        for index, item, _ in list(worker.held)[1:]:
            fresh.send(index, item, bytes(ForkingPickler.dumps((index, item))))
        return fresh

    def imap_unordered(self, items: Iterable[Any]) -> Iterator[Outcome]:
        """Yield one ``Outcome`` per item, in the order the tasks finish.

        Items are drawn from ``items`` only when a worker can take them, so at
        most ``2 * workers`` of them are in flight (one running and one waiting
        per worker): a generator over a huge corpus is never read ahead.
        """
        if not self._entered:
            raise RuntimeError("use the pool inside a `with` block")
        items = iter(items)
        if not self._workers:
            # Peek: small work is not worth the fork server's start (seconds), and needs
            # no more workers than it has items.
            ahead = list(itertools.islice(items, SMALL_WORK + 1))
            items = itertools.chain(ahead, items)
            small = len(ahead) <= SMALL_WORK
            methods = start_methods()
            method = "fork" if small and "fork" in methods else (
                "forkserver" if "forkserver" in methods else methods[-1])
            self._start(method, max(1, min(self.n_workers, len(ahead))))
        source = enumerate(items)
        exhausted = False
        drawn: tuple[int, Any, bytes] | None = None  # drawn but too large for a busy worker

        def feed(worker: _Worker) -> None:
            nonlocal exhausted, drawn
            while not exhausted or drawn is not None:
                quota = self.tasks_per_worker
                if quota and worker.done + len(worker.held) >= quota:
                    if worker.held:
                        return  # it gets no more; replaced once its tasks are done
                    worker.stop()
                    worker = self._replace(worker)
                if len(worker.held) >= DEPTH:
                    return
                if drawn is None:
                    try:
                        index, item = next(source)
                    except StopIteration:
                        exhausted = True
                        return
                    drawn = (index, item, bytes(ForkingPickler.dumps((index, item))))
                if not worker.can_take(len(drawn[2])):
                    return
                worker.send(*drawn)
                drawn = None

        for worker in list(self._workers):
            feed(worker)
        while True:
            busy = [w for w in self._workers if w.task is not None]
            if not busy:
                return
            now = time.monotonic()
            wait_for = max(0.0, min(w.deadline for w in busy) - now)
            handles = [w.conn for w in busy] + [w.process.sentinel for w in busy]
            ready = set(wait(handles, timeout=None if wait_for == float("inf") else wait_for))
            for worker in busy:
                outcome = self._collect(worker, ready)
                if outcome is None:
                    continue
                if outcome.kind in ("timeout", "crashed"):
                    worker = self._replace(worker)
                else:
                    worker.finish()
                # The worker gets its next task before the caller sees this outcome, so
                # whatever the caller does with it overlaps with the worker's next task.
                feed(worker)
                yield outcome

    def _collect(self, worker: _Worker, ready: set) -> Outcome | None:
        """Return the outcome of ``worker``'s task if it has one now, else None."""
        index = worker.task
        if worker.conn in ready:
            try:
                message = worker.conn.recv()
            except (EOFError, OSError):
                pass  # died while sending: handled as a crash below
            else:
                if message == _READY:
                    worker.mark_ready()
                    return None
                got_index, kind, value, error = message
                return Outcome(got_index, kind, value, error)
        if worker.process.sentinel in ready or not worker.process.is_alive():
            code = worker.process.join(timeout=5)  # a forked child's status comes just after
            worker.kill()
            if not worker.ready:
                raise RuntimeError(STARTUP_FAILURE.format(code=code))
            logger.warning("worker process died on task %s (exit code %s)", index, code)
            return Outcome(index, "crashed", error=f"worker process died (exit code {code})")
        if time.monotonic() >= worker.deadline:
            worker.kill()
            if not worker.ready:
                return Outcome(index, "crashed", error="worker process did not start in time")
            logger.warning(
                "task %s exceeded the %s s time limit; worker replaced", index, self.timeout
            )
            return Outcome(
                index, "timeout", error=f"took longer than the {self.timeout:g} s time limit"
            )
        return None


class ProcessExecutor:
    """The local implementation of the core's executor interface (``toolkit.addons.Executor``).

    Each ``map`` runs its function in a :class:`TimeLimitedPool` of ``workers``
    processes; a Dask cluster is the other implementation (``toolkit.dask``).

    Parameters
    ----------
    workers : int
        Worker processes.
    """

    def __init__(self, workers: int = 1) -> None:
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ValueError(f"workers must be a positive integer, got {workers!r}")
        self.workers = workers

    def map(
        self,
        fn: Callable[[Any], Any],
        items: Iterable[Any],
        *,
        timeout: float | None,
        warm: tuple[str, ...] = (),
        finish: Callable[[Any], Any] | None = None,
    ) -> Iterator[Outcome]:
        """Yield one :class:`Outcome` per item of ``items``, in the order they finish.

        Parameters
        ----------
        fn : callable
            A module-level function of one item.
        items : iterable
            Drawn lazily (at most two per worker in flight).
        timeout : float or None
            Seconds one item may take.
        warm : tuple of str
            Modules the workers import once before their first item.
        finish : callable, optional
            Applied here to each ``ok`` value (work that belongs where results are gathered).
        """
        with TimeLimitedPool(fn, workers=self.workers, timeout=timeout, preload=warm) as pool:
            for outcome in pool.imap_unordered(items):
                if finish is not None and outcome.kind == "ok":
                    outcome = Outcome(outcome.index, "ok", finish(outcome.value))
                yield outcome

    def close(self) -> None:
        """Nothing to release: each ``map`` stops its own pool."""


def make_executor(scheduler: Any = None, *, workers: int = 1) -> Any:
    """The executor for ``scheduler=``: local worker processes when it is None, else an add-on's.

    Parameters
    ----------
    scheduler : object, optional
        None, or what an add-on accepts (the Dask add-on: a client, cluster or address).
    workers : int
        Local worker processes (ignored with a scheduler).

    Returns
    -------
    ProcessExecutor or the add-on's executor
        Close it after the work.
    """
    if scheduler is None:
        return ProcessExecutor(workers)
    from toolkit import addons

    return addons.executor_for(scheduler)
