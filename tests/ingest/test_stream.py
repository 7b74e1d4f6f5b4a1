"""Streaming ingest into partitioned Parquet, and resuming a run killed midway."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pyarrow.dataset as ds
import pytest

from tests.conftest import ROOT
from tests.pageserver import html_page
from toolkit.ingest.dataset import ingest_to_dataset, read_done
from toolkit.ingest.store import load_articles


def _corpus(folder, seed_expected, n):
    """``n`` distinct dated pages plus a missing file and an empty one."""
    body = seed_expected["body_paragraphs"]
    for i in range(n):
        # two paragraphs each: with every third paragraph, page i+3 was page i less its first
        # paragraph, a near-duplicate once the headline is no longer part of the text
        paragraphs = [f"Report number {i} from the G20 security desk."] + body[i % 11 :: 3][:2]
        month = 4 + i % 3
        page = html_page(f"Security report {i}", paragraphs).replace(
            "<head>",
            f'<head><meta property="article:published_time" content="2016-0{month}-0{1 + i % 9}">',
        )
        (folder / f"page{i:03d}.html").write_text(page, encoding="utf-8")
    (folder / "empty.html").write_bytes(b"")
    return [folder, folder / "missing.html"]


def test_dataset_is_partitioned_and_loads_back(tmp_path, seed_expected):
    (tmp_path / "in").mkdir()
    sources = _corpus(tmp_path / "in", seed_expected, 11)
    summary = ingest_to_dataset(
        sources, tmp_path / "out", partition_by=("month",), batch_size=5, progress=False
    )
    assert summary.written == 13 and summary.skipped == 0
    months = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "month=undated" in months and "month=2016-04" in months
    articles = load_articles(tmp_path / "out")
    assert len(articles) == 13
    assert "month" not in articles.columns
    assert articles["source_uri"].is_unique
    assert articles["status"].value_counts().to_dict() == {"ok": 11, "empty": 1, "error": 1}
    assert articles["authors"].map(type).eq(list).all()
    again = ingest_to_dataset(sources, tmp_path / "out", batch_size=5, progress=False)
    assert again.written == 0 and again.skipped == 13


#: Pages of the kill-and-resume test.
PAGES = 160


@pytest.mark.slow
@pytest.mark.parametrize("stop", ["SIGKILL", "Ctrl-C"])
def test_killed_run_resumes_without_loss_or_repeats(tmp_path, seed_expected, stop):
    (tmp_path / "in").mkdir()
    # enough pages that the run is still going when the signal comes on a loaded machine
    _corpus(tmp_path / "in", seed_expected, PAGES)
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "toolkit.cli",
        "ingest",
        str(tmp_path / "in"),
        "-o",
        str(out),
        "--batch-size",
        "4",
        "--workers",
        "1",
        "--no-progress",
        "--partition-by",
        "month,host",
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's job
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(read_done(out)) < 8:
        time.sleep(0.05)
    if stop == "SIGKILL":
        first.send_signal(signal.SIGKILL)
        first.wait()
    else:  # Ctrl-C in a terminal: SIGINT to the whole process group, workers included
        os.killpg(first.pid, signal.SIGINT)
        _, errors = first.communicate(timeout=60)
        assert first.returncode == 130
        assert "interrupted" in errors and "run the same command to resume" in errors
        assert "Traceback" not in errors, errors
    written_before = len(read_done(out))
    assert 8 <= written_before < PAGES + 1, "the first run should have been killed midway"
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"{written_before} already" in done.stdout
    articles = load_articles(out)
    assert len(articles) == PAGES + 1  # the pages + the empty one, each exactly once
    assert articles["source_uri"].is_unique
    assert not list(out.rglob(".*.tmp"))
    # the rerun completed: the batch files of both runs are merged, partition by partition
    partitions = {p.parent for p in out.rglob("*.parquet")}
    assert partitions and all(len(list(p.glob("*.parquet"))) <= 2 for p in partitions)


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="partition_by"):
        ingest_to_dataset([tmp_path], tmp_path / "o", partition_by=("year",))
    with pytest.raises(ValueError, match="batch_size"):
        ingest_to_dataset([tmp_path], tmp_path / "o", batch_size=0)
    with pytest.raises(ValueError, match="compact must be True or False"):
        ingest_to_dataset([tmp_path], tmp_path / "o", compact="yes")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValueError, match="folder"):
        ingest_to_dataset([tmp_path], tmp_path / "file")


def test_duplicates_across_batches_and_runs_point_at_the_first_copy(tmp_path, seed_expected):
    body = seed_expected["body_paragraphs"]
    (tmp_path / "a.html").write_text(html_page("G20 security", body))
    ingest_to_dataset([tmp_path / "a.html"], tmp_path / "out", progress=False)
    (tmp_path / "b.html").write_text(
        html_page("G20 security (wire copy)", ["By wire services."] + body)
    )
    ingest_to_dataset([tmp_path / "a.html", tmp_path / "b.html"], tmp_path / "out", progress=False)
    articles = load_articles(tmp_path / "out").sort_values("source_uri")
    assert articles["status"].tolist() == ["ok", "duplicate"]
    assert articles["duplicate_of"].iloc[1] == articles["article_id"].iloc[0]
    assert pd.isna(articles["duplicate_of"].iloc[0])


def test_partition_keys_follow_the_order_given(tmp_path):
    frame = pd.DataFrame(
        {
            "url": ["https://www.chinadaily.com.cn/a", "https://example.org/b"],
            "date": ["2016-04-07", "2016-05-01"],
            "text": ["Security was tight in Hangzhou.", "Police patrolled the lake."],
        }
    )
    out = tmp_path / "out"
    ingest_to_dataset(frame, out, partition_by=("host", "month"), progress=False)
    folders = sorted(p.relative_to(out).parent.as_posix() for p in out.rglob("*.parquet"))
    assert folders == ["host=chinadaily.com.cn/month=2016-04", "host=example.org/month=2016-05"]
    table = ds.dataset(out, partitioning="hive").to_table().to_pandas()
    assert table["host"].astype(str).tolist() == table["hostname"].tolist()
    assert table["month"].astype(str).tolist() == table["date"].dt.strftime("%Y-%m").tolist()
    lazy = load_articles(out, lazy=True).compute().sort_values("hostname")
    assert lazy["hostname"].tolist() == ["chinadaily.com.cn", "example.org"]
    assert "host" not in lazy.columns
