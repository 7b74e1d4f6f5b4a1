"""Scale: pages/s on 1 and 2 workers (local pool and Dask LocalCluster), streaming memory, resume,
and the files of a dataset and their read time.

    python bench/scale.py [--corpus ../shared/corpus/html] [--sizes 2000 10000] [--batch-size 500]
    python bench/scale.py --only files [--file-sizes 1000 10000]

Prints:
- pages/s of ``read_articles`` on the corpus with a local pool of 1 and 2 workers and on a
  LocalCluster of 1 and 2 workers, and the 2-worker / 1-worker ratios;
- peak RSS of the whole process tree while ``ingest_to_dataset`` streams N pages (the corpus
  copied N/200 times) into partitioned Parquet, for each N in ``--sizes``: it must stay flat
  as N grows (memory is one batch, not the corpus);
- resume overhead: the time of a rerun that finds every page already written, as a share of
  the full run (and the time to resume a run cut at half the pages, against half a full run).

- dataset files: for each N in ``--file-sizes``, the files per partition and the time to
  read the dataset back (``load_articles`` and a pyarrow dataset scan) after a completed
  ``ingest_to_dataset`` of N articles (the corpus extracted once, its articles repeated
  as JSONL records), without compaction (one file per batch per partition, as before)
  and with it (the default).

Ratios, not seconds, are the result: the machines are shared.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd
from benchlib import DEFAULT_CORPUS, PeakTreeRSS, copy_pages
from distributed import Client

import toolkit as tk
from toolkit.dask.cluster import local_cluster
from toolkit.ingest.dataset import ingest_to_dataset
from toolkit.schema import conform_articles


def rate(pages: list[Path], **kwargs) -> float:
    """Pages per second of one ``read_articles`` call."""
    started = time.perf_counter()
    articles = tk.read_articles(pages, progress=False, **kwargs)
    assert len(articles) == len(pages)
    return len(pages) / (time.perf_counter() - started)


def throughput(pages: list[Path]) -> None:
    """Print pages/s for local pools and LocalClusters of 1 and 2 workers."""
    rates = {}
    tk.read_articles(pages[:4], workers=2, progress=False)  # start the fork server once
    for workers in (1, 2):
        rates[f"local x{workers}"] = rate(pages, workers=workers)
    for workers in (1, 2):
        with local_cluster(n_workers=workers, dashboard_address=":0") as cluster:
            with Client(cluster) as client:
                tk.read_articles(pages[:4], scheduler=client, progress=False)  # warm the workers
                rates[f"dask x{workers}"] = rate(pages, scheduler=client)
    for name, value in rates.items():
        print(f"{name:8} {value:6.1f} pages/s")
    print(f"local pool: 2 workers / 1 worker = {rates['local x2'] / rates['local x1']:.2f}")
    print(f"LocalCluster: 2 workers / 1 worker = {rates['dask x2'] / rates['dask x1']:.2f}")
    print(f"LocalCluster x2 / local pool x2 = {rates['dask x2'] / rates['local x2']:.2f}")


def streaming(pages: list[Path], sizes: list[int], batch_size: int) -> None:
    """Print peak memory of streaming ingests of growing size, and the resume overhead."""
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="toolkit-scale-") as tmp:
            inputs = Path(tmp) / "in"
            inputs.mkdir()
            copies = copy_pages(pages, size, inputs)
            out = Path(tmp) / "out"
            started = time.perf_counter()
            with PeakTreeRSS() as sampler:
                summary = ingest_to_dataset([inputs], out, batch_size=batch_size, workers=2,
                                            progress=False)
            full = time.perf_counter() - started
            print(f"{size:6d} pages: peak RSS {sampler.peak / 1e9:.2f} GB, {summary.written} rows "
                  f"in {len(summary.files)} files, {size / full:.1f} pages/s")
            started = time.perf_counter()
            again = ingest_to_dataset([inputs], out, batch_size=batch_size, workers=2,
                                      progress=False)
            rerun = time.perf_counter() - started
            assert again.written == 0 and again.skipped == size
            print(f"  rerun with everything done: {rerun:.1f} s = {rerun / full:.1%} of the run")
            if size == sizes[0]:
                resume_half(copies, out, full, batch_size)


def resume_half(copies: list[Path], out: Path, full: float, batch_size: int) -> None:
    """Time resuming a run that stopped after the first half of the pages."""
    shutil.rmtree(out)
    half = len(copies) // 2
    ingest_to_dataset(copies[:half], out, batch_size=batch_size, workers=2, progress=False)
    started = time.perf_counter()
    summary = ingest_to_dataset(copies, out, batch_size=batch_size, workers=2, progress=False)
    resumed = time.perf_counter() - started
    assert summary.skipped == half and summary.written == len(copies) - half
    print(f"  resuming at half: {resumed:.1f} s against {full / 2:.1f} s for half a run "
          f"(overhead {resumed / (full / 2) - 1:+.1%})")


def _read_times(out: Path) -> tuple[float, float]:
    """Seconds to read the dataset with ``load_articles`` and with a pyarrow dataset scan."""
    import pyarrow.dataset as ds

    started = time.perf_counter()
    frame = tk.load_articles(out)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
    scanned = time.perf_counter() - started
    assert len(frame) == table.num_rows
    return loaded, scanned


def _file_counts(out: Path) -> tuple[int, int, int]:
    """Data files, partitions, and the most files in one partition."""
    per_folder: dict[str, int] = {}
    for folder, _, files in os.walk(out):
        n = sum(1 for f in files if f.endswith(".parquet"))
        if n:
            per_folder[folder] = n
    return sum(per_folder.values()), len(per_folder), max(per_folder.values(), default=0)


def _records(pages: list[Path], n_rows: int, path: Path) -> Path:
    """A JSONL file of ``n_rows`` extracted articles: the corpus read once, its rows repeated.

    The dataset's layout and read time depend on its rows, not on how they were
    extracted, so the corpus is extracted once and its articles copied (each copy
    with its own URL), which keeps the 10,000-page case to minutes.
    """
    articles = tk.read_articles(pages, workers=2, progress=False)
    articles = articles[articles["status"].eq("ok")]
    copies = []
    for i in range(n_rows):
        row = articles.iloc[i % len(articles)].to_dict()
        row["url"] = f"{row['url'] or 'https://copy.example/'}?copy={i}"
        copies.append(row)
    frame = conform_articles(pd.DataFrame(copies)).drop(columns=["article_id", "source_uri"])
    tk.save_articles(frame, path)
    return path


def dataset_files(pages: list[Path], sizes: list[int], batch_size: int) -> None:
    """Print files per partition and read times of datasets of N pages, compacted or not."""
    print(f"{'pages':>6} {'compact':>7} {'files':>6} {'partitions':>10} {'max/partition':>13} "
          f"{'load_articles':>13} {'pyarrow scan':>12} {'ingest':>8}")
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="toolkit-files-") as tmp:
            records = _records(pages, size, Path(tmp) / "articles.jsonl")
            for compact in (False, True):
                out = Path(tmp) / f"out-{compact}"
                started = time.perf_counter()
                ingest_to_dataset([records], out, batch_size=batch_size, workers=2,
                                  progress=False, compact=compact)
                took = time.perf_counter() - started
                files, partitions, most = _file_counts(out)
                loaded, scanned = _read_times(out)
                print(f"{size:6d} {str(compact):>7} {files:6d} {partitions:10d} {most:13d} "
                      f"{loaded:12.2f}s {scanned:11.2f}s {took:7.0f}s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sizes", type=int, nargs="*", default=[2000, 10000])
    parser.add_argument("--file-sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--only", choices=["throughput", "streaming", "files"])
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    pages = sorted(args.corpus.glob("*.html"))
    if not pages:
        raise SystemExit(f"no pages in {args.corpus}")
    if args.only in (None, "throughput") and not args.skip_throughput:
        throughput(pages)
    if args.only in (None, "streaming"):
        streaming(pages, args.sizes, args.batch_size)
    if args.only in (None, "files"):
        dataset_files(pages, args.file_sizes, args.batch_size)


if __name__ == "__main__":
    main()
