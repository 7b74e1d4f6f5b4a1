"""The core reaches the Dask add-on only through toolkit.addons: executors and partitioned data."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from tests import worker_tasks
from tests.conftest import ROOT
from toolkit import addons
from toolkit.ingest.workers import ProcessExecutor, make_executor


def test_the_local_executor_maps_in_worker_processes_and_finishes_here():
    executor = make_executor(workers=2)
    assert isinstance(executor, ProcessExecutor)
    outcomes = list(executor.map(worker_tasks.square, range(6), timeout=10, finish=str))
    assert sorted((o.index, o.kind, o.value) for o in outcomes) == [
        (i, "ok", str(i * i)) for i in range(6)
    ]


def test_the_local_executor_keeps_the_time_limit():
    outcomes = list(ProcessExecutor(1).map(worker_tasks.run, [("sleepy", 30)], timeout=1.0))
    assert [o.kind for o in outcomes] == ["timeout"]


def test_a_scheduler_no_addon_knows_is_a_value_error():
    with pytest.raises(ValueError, match="scheduler must be a distributed.Client"):
        addons.executor_for(12345)


def test_pandas_frames_stay_in_the_core_and_paths_go_to_the_addon(tmp_path):
    assert not addons.is_partitioned(pd.DataFrame({"text": ["a"]}))
    assert addons.is_partitioned(tmp_path) and addons.is_partitioned(str(tmp_path))
    with pytest.raises(ValueError, match="needs the Dask add-on"):
        addons.handler_for(object(), "term_counts")


def test_the_addon_is_found_through_its_entry_point_without_importing_it_first():
    """A fresh process that never imports toolkit.dask still counts a dataset on Dask."""
    script = (
        "import sys\n"
        "from toolkit import addons\n"
        "handler = addons.handler_for(sys.argv[1], 'term_counts')\n"
        "print(type(handler).__module__)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(ROOT)], capture_output=True,
                          text=True, timeout=120, check=False, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "toolkit.dask.addon"
