import os
import time

import pytest

from tests import worker_tasks
from toolkit.ingest.workers import TimeLimitedPool


def outcomes(pool, items):
    return sorted(pool.imap_unordered(items), key=lambda o: o.index)


def test_results_come_back_for_every_item():
    with TimeLimitedPool(worker_tasks.square, workers=2, timeout=10) as pool:
        got = outcomes(pool, range(20))
    assert [o.value for o in got] == [i * i for i in range(20)]
    assert {o.kind for o in got} == {"ok"}


def test_hanging_task_is_killed_and_the_run_goes_on():
    tasks = [("square", 3), ("sleepy", 60), ("square", 4), ("square", 5)]
    started = time.monotonic()
    with TimeLimitedPool(worker_tasks.run, workers=1, timeout=1.0) as pool:
        got = outcomes(pool, tasks)
    assert time.monotonic() - started < 30
    assert [o.kind for o in got] == ["ok", "timeout", "ok", "ok"]
    assert [o.value for o in got if o.kind == "ok"] == [9, 16, 25]
    assert "1 s time limit" in got[1].error


def test_a_large_task_behind_a_hanging_one_does_not_stall_the_time_limit():
    # 5 MB cannot wait in the pipe of a busy worker: sending it would block the
    # parent, and with it the clock of the hanging task, for the whole 60 s
    big = b"x" * 5_000_000
    tasks = [("sleepy", 60), ("size", big), ("square", 7)]
    started = time.monotonic()
    with TimeLimitedPool(worker_tasks.run, workers=1, timeout=1.0) as pool:
        got = outcomes(pool, tasks)
    assert time.monotonic() - started < 30
    assert [o.kind for o in got] == ["timeout", "ok", "ok"]
    assert [got[1].value, got[2].value] == [5_000_000, 49]


def test_the_task_waiting_behind_a_crash_runs_on_the_replacement():
    tasks = [("die", 9), ("square", 7), ("square", 8)]
    with TimeLimitedPool(worker_tasks.run, workers=1, timeout=10) as pool:
        got = outcomes(pool, tasks)
    assert [o.kind for o in got] == ["crashed", "ok", "ok"]
    assert "exit code 9" in got[0].error
    assert [got[1].value, got[2].value] == [49, 64]


def test_dead_worker_and_exception_become_outcomes():
    tasks = [("die", 3), ("fail", "bad page"), ("square", 6)]
    with TimeLimitedPool(worker_tasks.run, workers=2, timeout=10) as pool:
        got = outcomes(pool, tasks)
    assert got[0].kind == "crashed" and "exit code 3" in got[0].error
    assert got[1].kind == "raised" and got[1].error == "RuntimeError: bad page"
    assert got[2].kind == "ok" and got[2].value == 36


def test_workers_are_recycled_after_their_quota():
    with TimeLimitedPool(worker_tasks.pid, workers=1, timeout=10, tasks_per_worker=2) as pool:
        pids = [o.value for o in outcomes(pool, range(6))]
    assert len(set(pids)) == 3
    assert os.getpid() not in pids


def test_items_are_drawn_lazily():
    drawn = []

    def items():
        for i in range(100):
            drawn.append(i)
            yield i

    with TimeLimitedPool(worker_tasks.square, workers=2, timeout=10) as pool:
        stream = pool.imap_unordered(items())
        next(stream)
        # one running and one waiting per worker, and the refill after the first outcome
        assert len(drawn) <= 2 * 2 + 1


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"workers": 0}, "workers"),
        ({"timeout": -1}, "timeout"),
        ({"start_method": "x"}, "start_method"),
    ],
)
def test_bad_arguments_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TimeLimitedPool(worker_tasks.square, **kwargs)


def test_a_script_without_main_guard_gets_a_clear_error(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT

    script = tmp_path / "noguard.py"
    script.write_text(
        "from tests import worker_tasks\n"
        "from toolkit.ingest.workers import TimeLimitedPool\n"
        "with TimeLimitedPool(worker_tasks.square, workers=1, timeout=10) as pool:\n"
        "    print([o.value for o in pool.imap_unordered([2])])\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert done.returncode != 0
    assert 'if __name__ == \\"__main__\\"' in done.stderr or "__main__" in done.stderr
    assert "before it could take a task" in done.stderr
