"""How a worker process starts: forked from this process, or from the fork server.

Two ways, both without :class:`multiprocessing.Process`, whose ``start`` gets in the
way twice:

- it makes each new process import the script that started the work (its
  ``__main__``). A script read from standard input (``python - <<EOF``) cannot
  be imported (``FileNotFoundError: .../<stdin>`` in every worker), and a script
  without an ``if __name__ == "__main__":`` guard runs again in each worker,
  which tries to start workers of its own. The work functions of the toolkit
  live in its modules, so the workers here never import ``__main__``;
- it refuses to start children in a *daemonic* process, which is what the
  workers of a stock Dask cluster are. A fork (or the fork server, which is
  started as a plain subprocess) has no such rule.

``"fork"`` forks this very process: instant, and the child already holds every
module this process imported. ``"forkserver"`` asks multiprocessing's fork
server (started once per process, with the given modules imported) to fork a
child: it costs seconds once, then every worker starts warm, and it is safe with
threads in this process. ``"spawn"`` (platforms without ``fork``) starts a fresh
interpreter through multiprocessing, which imports ``__main__`` as before.

The handles use multiprocessing's ``Popen`` classes (one per start method), which
only need an object with a ``_bootstrap`` method to run in the child.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from multiprocessing import util
from multiprocessing.connection import Connection
from typing import Any

HAS_FORK = hasattr(os, "fork")

#: True in a worker forked from the caller for small work, while it imports its warm
#: modules: they should then pay only what every first task pays (the fork server,
#: which serves many workers, pays the rarer costs too).
LIGHT_WARM_UP = False


def light_warm_up() -> bool:
    """Whether the warm modules being imported are for a worker of small work."""
    return LIGHT_WARM_UP


def start_methods() -> tuple[str, ...]:
    """The start methods this platform offers (``fork`` and ``forkserver`` on POSIX)."""
    methods = multiprocessing.get_all_start_methods()
    return tuple(m for m in ("fork", "forkserver", "spawn") if m in methods)


class _Child:
    """What a new process runs: ``target(*args)``; the protocol of multiprocessing's Popen."""

    def __init__(
        self, target: Callable[..., Any], args: tuple, close: Sequence[Connection] = ()
    ) -> None:
        self.target = target
        self.args = args
        self.close = tuple(close)  # this process's ends of the pipes (a forked child's copies)

    def __getstate__(self) -> dict[str, Any]:
        return {"target": self.target, "args": self.args, "close": ()}

    def _bootstrap(self, parent_sentinel: Any = None) -> int:
        """Run in the new process; return its exit code."""
        for conn in self.close:
            conn.close()
        try:  # as multiprocessing does: a worker never reads the terminal
            sys.stdin.close()
            sys.stdin = open(os.devnull)  # noqa: SIM115 - lives as long as the process
        except (OSError, ValueError):
            pass
        try:
            self.target(*self.args)
            return 0
        except SystemExit as exc:
            return exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            traceback.print_exc()
            return 1
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except (AttributeError, OSError, ValueError):
                    pass


if HAS_FORK:
    from multiprocessing import popen_fork

    try:
        from multiprocessing import forkserver, popen_forkserver, spawn
        from multiprocessing.context import reduction, set_spawning_popen
    except ImportError:  # pragma: no cover - a POSIX without fd passing
        popen_forkserver = None
    else:

        class _ServerPopen(popen_forkserver.Popen):
            """``popen_forkserver.Popen`` that does not make the child import ``__main__``."""

            def _launch(self, process_obj: Any) -> None:
                prep_data = spawn.get_preparation_data("toolkit-worker")
                prep_data.pop("init_main_from_path", None)
                prep_data.pop("init_main_from_name", None)
                buf = io.BytesIO()
                set_spawning_popen(self)
                try:
                    reduction.dump(prep_data, buf)
                    reduction.dump(process_obj, buf)
                finally:
                    set_spawning_popen(None)
                self.sentinel, w = forkserver.connect_to_new_process(self._fds)
                # the child watches a copy of the data pipe's write end to see this process die
                parent_w = os.dup(w)
                self.finalizer = util.Finalize(self, util.close_fds, (parent_w, self.sentinel))
                with open(w, "wb", closefd=True) as f:
                    f.write(buf.getbuffer())
                self.pid = forkserver.read_signed(self.sentinel)


class ChildProcess:
    """A worker process: its exit code, a handle to wait on, and how to stop it."""

    def __init__(self, popen: Any) -> None:
        self._popen = popen

    @property
    def pid(self) -> int:
        return self._popen.pid

    @property
    def sentinel(self) -> Any:
        """Becomes ready (for ``multiprocessing.connection.wait``) when the process ends."""
        return self._popen.sentinel

    @property
    def exitcode(self) -> int | None:
        """None while it runs; else its exit code (negative: killed by that signal)."""
        return self._popen.poll()

    def is_alive(self) -> bool:
        return self.exitcode is None

    def join(self, timeout: float | None = None) -> int | None:
        """Wait up to ``timeout`` seconds for the process to end; return its exit code."""
        return self._popen.wait(timeout)

    def kill(self) -> None:
        if self.exitcode is None:
            self._popen.kill()

    def close(self) -> None:
        """Release the handle's pipes (the process must have ended)."""
        if self._popen.poll() is not None:
            self._popen.close()


def set_preload(modules: Sequence[str]) -> None:
    """Modules the fork server imports once when it starts (no effect once it runs)."""
    if HAS_FORK and popen_forkserver is not None:
        forkserver.set_forkserver_preload(list(modules))


def ensure_server() -> None:
    """Start this process's fork server now (its first worker then starts at once)."""
    if HAS_FORK and popen_forkserver is not None:
        forkserver.ensure_running()


def start_process(
    method: str,
    target: Callable[..., Any],
    args: tuple,
    *,
    close_in_child: Sequence[Connection] = (),
) -> ChildProcess:
    """Start ``target(*args)`` in a new process by ``method``; return its handle.

    Parameters
    ----------
    method : {"fork", "forkserver", "spawn"}
        See the module docstring.
    target : callable
        A module-level function (pickled by reference for ``forkserver`` and ``spawn``).
    args : tuple
        Its arguments; a ``Connection`` among them is handed to the child.
    close_in_child : sequence of Connection
        This process's ends of the child's pipes: a forked child closes its copies, so
        that it sees the end of the pipe when this process dies.
    """
    if method not in start_methods():
        raise ValueError(f"start_method must be one of {list(start_methods())}, got {method!r}")
    child = _Child(target, args, close_in_child)
    if method == "fork":
        return ChildProcess(popen_fork.Popen(child))
    if method == "forkserver":
        return ChildProcess(_ServerPopen(child))
    context = multiprocessing.get_context("spawn")
    process = context.Process(target=target, args=args, daemon=True)
    process.start()
    return ChildProcess(_SpawnedPopen(process))


class _SpawnedPopen:
    """The Popen interface over a ``multiprocessing.Process`` (the ``spawn`` fallback)."""

    def __init__(self, process: Any) -> None:
        self.process = process
        self.pid = process.pid
        self.sentinel = process.sentinel

    def poll(self) -> int | None:
        return self.process.exitcode

    def wait(self, timeout: float | None = None) -> int | None:
        self.process.join(timeout)
        return self.process.exitcode

    def kill(self) -> None:
        self.process.kill()

    def close(self) -> None:
        self.process.close()
