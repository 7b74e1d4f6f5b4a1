"""A dataset folder on a shared machine: the user's files stay, two runs cannot double it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from tests.conftest import ROOT
from tests.hostile.conftest import bounded
from tests.pageserver import PageServer, Reply, html_page, rss
from toolkit.cli import main
from toolkit.ingest.dataset import ingest_to_dataset, read_done
from toolkit.ingest.store import load_articles


def _pages(folder, n):
    folder.mkdir(exist_ok=True)
    for i in range(n):
        page = html_page(f"Report {i}", [f"Report number {i} from the desk.", "More words here."])
        date = f'<meta property="article:published_time" content="2016-0{4 + i % 3}-02">'
        page = page.replace("<head>", f"<head>{date}")
        (folder / f"p{i:03d}.html").write_text(page, encoding="utf-8")
    return folder


def _command(pages, out, *extra):
    return [
        sys.executable, "-m", "toolkit.cli", "ingest", str(pages), "-o", str(out),
        "--workers", "1", "--no-progress", *extra,
    ]


def test_ingesting_into_a_folder_keeps_the_users_files(tmp_path):
    out = tmp_path / "d"
    (out / "sub").mkdir(parents=True)
    mine = [out / ".notes.tmp", out / "sub" / ".editor-swap.tmp", out / "README.txt"]
    for path in mine:
        path.write_text("mine")
    ingest_to_dataset(_pages(tmp_path / "in", 3), out, progress=False)
    ingest_to_dataset(_pages(tmp_path / "in", 4), out, progress=False)  # a rerun too
    assert all(path.read_text() == "mine" for path in mine)
    assert len(load_articles(out)) == 4


def test_an_unrelated_parquet_file_is_named_not_a_fieldref_error(tmp_path, capsys):
    import pandas as pd

    out = tmp_path / "d"
    out.mkdir()
    pd.DataFrame({"x": [1, 2]}).to_parquet(out / "budget.parquet")
    code = main(["ingest", str(_pages(tmp_path / "in", 2)), "-o", str(out), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2
    assert "holds Parquet files the toolkit did not write (budget.parquet)" in err
    assert "FieldRef" not in err
    assert (out / "budget.parquet").exists()


def test_a_rerun_with_other_partition_keys_is_refused(tmp_path):
    pages = _pages(tmp_path / "in", 2)
    ingest_to_dataset(pages, tmp_path / "d", partition_by=("month",), progress=False)
    with pytest.raises(ValueError, match="partitioned by month"):
        ingest_to_dataset(pages, tmp_path / "d", partition_by=("host",), progress=False)


class _Held(Reply):
    """A reply that waits for ``gate`` before it is sent (``delay`` is read as it is served)."""

    gate = threading.Event()

    @property
    def delay(self) -> float:
        self.gate.wait(120)
        return 0.0

    @delay.setter
    def delay(self, value: float) -> None:
        pass


@pytest.mark.slow
def test_two_concurrent_ingests_do_not_double_the_dataset(tmp_path):
    # the feed's first articles come at once, the rest are held until the second run is
    # over, so the first run is surely still writing while the second one starts
    _Held.gate.clear()
    site = PageServer()
    for i in range(20):
        page = html_page(f"Report {i}", [f"Report number {i} from the desk."])
        site.routes[f"/a{i}.html"] = Reply(page) if i < 4 else _Held(page)
    out = tmp_path / "ds"
    # the code under test first (bench/hostile.py runs the suite on other code too)
    paths = [os.environ.get("PYTHONPATH", ""), str(ROOT)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    release = threading.Timer(90, _Held.gate.set)  # broken code: both runs go on, later
    with site:
        site.add("/feed.rss", Reply(rss([site.url(f"/a{i}.html") for i in range(20)])))
        command = _command(site.url("/feed.rss"), out, "--batch-size", "2", "--ignore-robots")
        # run outside the worktree: `python -m` puts the working directory first on the path
        first = subprocess.Popen(
            command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline and len(read_done(out)) < 2 and first.poll() is None:
                time.sleep(0.05)
            assert first.poll() is None, "the first run ended before the second could start"
            release.start()
            with bounded(240):
                second = subprocess.run(
                    command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600
                )
        finally:
            _Held.gate.set()
            release.cancel()
            first.wait(timeout=600)
    assert first.returncode == 0, first.stderr.read()
    assert second.returncode == 2, second.stdout
    assert "another run is writing the dataset" in second.stderr
    articles = load_articles(out)
    assert len(articles) == 20 and articles["source_uri"].is_unique


@pytest.mark.slow
def test_a_completed_run_leaves_at_most_two_files_per_partition(tmp_path):
    out = tmp_path / "ds"
    summary = ingest_to_dataset(_pages(tmp_path / "in", 30), out, batch_size=2, progress=False)
    partitions = [p for p in out.iterdir() if p.is_dir()]
    assert len(partitions) == 3
    for partition in partitions:
        assert len(list(partition.glob("*.parquet"))) <= 2
    assert len(summary.files) == 3 and all(f.exists() for f in summary.files)
    articles = load_articles(out)
    assert len(articles) == 30 and articles["source_uri"].is_unique


def test_a_compaction_killed_halfway_loses_and_repeats_nothing(tmp_path, monkeypatch):
    from toolkit.ingest import compact

    out = tmp_path / "ds"
    pages = _pages(tmp_path / "in", 12)
    ingest_to_dataset(pages, out, batch_size=2, progress=False, compact=False)
    real_unlink = type(out).unlink
    calls = []

    def dies_after_the_rename(self, *args, **kwargs):  # killed between rename and deletions
        if self.name.startswith("part-") and compact.JOURNAL in os.listdir(out):
            calls.append(self)
            if len(calls) == 2:
                raise KeyboardInterrupt
        return real_unlink(self, *args, **kwargs)

    monkeypatch.setattr(type(out), "unlink", dies_after_the_rename)
    with pytest.raises(KeyboardInterrupt):
        ingest_to_dataset(pages, out, batch_size=2, progress=False)
    monkeypatch.undo()
    assert (out / compact.JOURNAL).exists()
    summary = ingest_to_dataset(pages, out, batch_size=2, progress=False)  # recovers
    assert summary.written == 0 and summary.skipped == 12
    articles = load_articles(out)
    assert len(articles) == 12 and articles["source_uri"].is_unique
    assert not (out / compact.JOURNAL).exists()
