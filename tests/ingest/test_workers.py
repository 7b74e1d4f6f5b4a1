import os
import subprocess
import sys
import time

import pytest

from tests import worker_tasks
from tests.conftest import ROOT
from toolkit.ingest.workers import SMALL_WORK, TimeLimitedPool

#: Workers forked from this process (small work), and from the fork server (big work).
METHODS = ["fork", "forkserver"]


def outcomes(pool, items):
    return sorted(pool.imap_unordered(items), key=lambda o: o.index)


@pytest.mark.parametrize("method", METHODS)
def test_results_come_back_for_every_item(method):
    with TimeLimitedPool(worker_tasks.square, workers=2, timeout=10, start_method=method) as pool:
        got = outcomes(pool, range(20))
    assert [o.value for o in got] == [i * i for i in range(20)]
    assert {o.kind for o in got} == {"ok"}


@pytest.mark.parametrize("method", METHODS)
def test_hanging_task_is_killed_and_the_run_goes_on(method):
    tasks = [("square", 3), ("sleepy", 60), ("square", 4), ("square", 5)]
    started = time.monotonic()
    with TimeLimitedPool(worker_tasks.run, workers=1, timeout=1.0, start_method=method) as pool:
        got = outcomes(pool, tasks)
    assert time.monotonic() - started < 30
    assert [o.kind for o in got] == ["ok", "timeout", "ok", "ok"]
    assert [o.value for o in got if o.kind == "ok"] == [9, 16, 25]
    assert "1 s time limit" in got[1].error


@pytest.mark.parametrize("method", METHODS)
def test_a_large_task_behind_a_hanging_one_does_not_stall_the_time_limit(method):
    # 5 MB cannot wait in the pipe of a busy worker: sending it would block the
    # parent, and with it the clock of the hanging task, for the whole 60 s
    big = b"x" * 5_000_000
    tasks = [("sleepy", 60), ("size", big), ("square", 7)]
    started = time.monotonic()
    with TimeLimitedPool(worker_tasks.run, workers=1, timeout=1.0, start_method=method) as pool:
        got = outcomes(pool, tasks)
    assert time.monotonic() - started < 30
    assert [o.kind for o in got] == ["timeout", "ok", "ok"]
    assert [got[1].value, got[2].value] == [5_000_000, 49]


@pytest.mark.parametrize("method", METHODS)
def test_the_task_waiting_behind_a_crash_runs_on_the_replacement(method):
    tasks = [("die", 9), ("square", 7), ("square", 8)]
    with TimeLimitedPool(worker_tasks.run, workers=1, timeout=10, start_method=method) as pool:
        got = outcomes(pool, tasks)
    assert [o.kind for o in got] == ["crashed", "ok", "ok"]
    assert "exit code 9" in got[0].error
    assert [got[1].value, got[2].value] == [49, 64]


@pytest.mark.parametrize("method", METHODS)
def test_dead_worker_and_exception_become_outcomes(method):
    tasks = [("die", 3), ("fail", "bad page"), ("square", 6)]
    with TimeLimitedPool(worker_tasks.run, workers=2, timeout=10, start_method=method) as pool:
        got = outcomes(pool, tasks)
    assert got[0].kind == "crashed" and "exit code 3" in got[0].error
    assert got[1].kind == "raised" and got[1].error == "RuntimeError: bad page"
    assert got[2].kind == "ok" and got[2].value == 36


@pytest.mark.parametrize("method", METHODS)
def test_workers_are_recycled_after_their_quota(method):
    with TimeLimitedPool(
        worker_tasks.pid, workers=1, timeout=10, tasks_per_worker=2, start_method=method
    ) as pool:
        pids = [o.value for o in outcomes(pool, range(6))]
    assert len(set(pids)) == 3
    assert os.getpid() not in pids


@pytest.mark.parametrize("method", [*METHODS, None])
def test_items_are_drawn_lazily(method):
    drawn = []

    def items():
        for i in range(100):
            drawn.append(i)
            yield i

    with TimeLimitedPool(worker_tasks.square, workers=2, timeout=10, start_method=method) as pool:
        stream = pool.imap_unordered(items())
        next(stream)
        # one running and one waiting per worker, and the refill after the first outcome;
        # by default, first a look at whether the work is small (SMALL_WORK items or fewer)
        assert len(drawn) <= (SMALL_WORK + 1 if method is None else 2 * 2 + 1)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"workers": 0}, "workers"),
        ({"timeout": -1}, "timeout"),
        ({"start_method": "x"}, "start_method"),
        ({"workers": True}, "workers"),
    ],
)
def test_bad_arguments_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TimeLimitedPool(worker_tasks.square, **kwargs)



POOL_SCRIPT = """\
from tests import worker_tasks
from toolkit.ingest.workers import TimeLimitedPool

with TimeLimitedPool(worker_tasks.square, workers=2, timeout=30) as pool:
    values = sorted(o.value for o in pool.imap_unordered(range({n})))
print(values[-1], pool.start_method)
"""


def _guarded(script: str) -> str:
    body = "".join(f"    {line}\n" for line in script.splitlines())
    return f'if __name__ == "__main__":\n{body}'


def _run_python(how: str, script: str, tmp_path) -> subprocess.CompletedProcess:
    """Run ``script`` the way a user would: from stdin, with -c, as a file, in IPython."""
    python = [sys.executable]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    stdin = None
    if how == "stdin":
        argv, stdin = [*python, "-"], script
    elif how == "-c":
        argv = [*python, "-c", script]
    elif how == "ipython":
        argv = [*python, "-m", "IPython", "--quick", "--no-banner", "--colors=NoColor",
                "-c", script]
    else:
        path = tmp_path / "job.py"
        path.write_text(_guarded(script) if how == "guarded script" else script)
        argv = [*python, str(path)]
    return subprocess.run(argv, input=stdin, capture_output=True, text=True, cwd=tmp_path,
                          env=env, timeout=300, check=False)


@pytest.mark.parametrize("how", ["stdin", "-c", "script", "guarded script", "ipython"])
@pytest.mark.parametrize(("n", "method"), [(3, "fork"), (SMALL_WORK + 12, "forkserver")])
def test_workers_start_from_every_kind_of_script(how, n, method, tmp_path):
    # stdin gave `FileNotFoundError: .../<stdin>` in every worker, a script without a main
    # guard ran again in each worker (157 lines of tracebacks): workers no longer import it
    done = _run_python(how, POOL_SCRIPT.format(n=n), tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split()[-2:] == [str((n - 1) ** 2), method]
    assert "Traceback" not in done.stderr and "Error" not in done.stderr, done.stderr[-3000:]


def test_read_articles_in_a_script_read_from_stdin(tmp_path, seed_path):
    script = (
        "import toolkit as tk\n"
        f"articles = tk.read_articles([{str(seed_path)!r}], workers=2, progress=False)\n"
        "print(articles.loc[0, 'status'], articles.loc[0, 'title'])\n"
    )
    done = _run_python("stdin", script, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "ok Cooperation sought to ensure safe G20"
    assert done.stderr == ""


def test_a_function_of_the_main_script_is_refused_with_the_reason():
    def local(x):
        return x

    local.__module__ = "__main__"
    with pytest.raises(ValueError, match="importable module"):
        TimeLimitedPool(local, workers=1)


def test_a_worker_that_cannot_start_is_one_short_error(tmp_path):
    # a task module that fails to import in the worker: one RuntimeError, not a cascade
    (tmp_path / "broken_task.py").write_text(
        "import os\n"
        "if os.getpid() != int(os.environ['PARENT_PID']):\n"
        "    raise ImportError('this module only imports in the parent')\n"
        "def task(x):\n"
        "    return x\n"
    )
    script = (
        "import os, sys\n"
        "os.environ['PARENT_PID'] = str(os.getpid())\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "import broken_task\n"
        "from toolkit.ingest.workers import TimeLimitedPool\n"
        "with TimeLimitedPool(broken_task.task, workers=1, start_method='forkserver') as pool:\n"
        "    list(pool.imap_unordered([1]))\n"
    )
    done = _run_python("stdin", script, tmp_path)
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("RuntimeError: a worker process exited (code 1) before it could take")
    assert done.stderr.count("Traceback") == 2  # the worker's import error, then this one
