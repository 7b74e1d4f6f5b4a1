"""The hostile suite as a benchmark: each case of tests/hostile/, its time and peak memory.

    python bench/hostile.py [--timeout 300] [--code DIR] [-k EXPR] [--out results.json]

Runs ``tests/hostile`` (slow cases included) under pytest and prints, per case,
whether it passed, its wall-clock time and the peak resident memory of the
whole process tree (this process and its workers) while it ran. ``--code DIR``
runs the same cases against another copy of the package (e.g. the code before
a fix: ``git archive <commit> toolkit | tar -x -C DIR``), put first on the
import path of this process and its children. ``--timeout`` stops a case that
does not end (pytest-timeout); it is then reported as ``timeout``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


class Measure:
    """A pytest plugin: time and peak tree memory of each test's call phase."""

    def __init__(self) -> None:
        self.results: dict[str, dict] = {}

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):  # noqa: D102 - a pytest hook
        from benchlib import PeakTreeRSS

        sampler = PeakTreeRSS(interval=0.05)
        started = time.perf_counter()
        with sampler:
            yield
        self.results[item.nodeid] = {
            "seconds": time.perf_counter() - started,
            "peak_mb": sampler.peak / 1e6,
        }

    def pytest_runtest_logreport(self, report):  # noqa: D102 - a pytest hook
        entry = self.results.setdefault(report.nodeid, {"seconds": 0.0, "peak_mb": 0.0})
        if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
            outcome = report.outcome
            if outcome == "failed" and "Timeout" in str(report.longrepr)[-2000:]:
                outcome = "timeout"
            entry["outcome"] = outcome
            if report.outcome == "failed":
                entry["why"] = str(report.longrepr).strip().splitlines()[-1][:160]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per case (300)")
    parser.add_argument("--code", type=Path, help="a folder holding another `toolkit` package")
    parser.add_argument("-k", dest="keyword", help="only the cases matching this expression")
    parser.add_argument("--out", type=Path, help="also write the results as JSON here")
    args = parser.parse_args()
    if args.code is not None:
        code = str(args.code.resolve())
        sys.path.insert(0, code)
        os.environ["PYTHONPATH"] = os.pathsep.join(
            p for p in (code, os.environ.get("PYTHONPATH", "")) if p
        )
    sys.path.append(str(HERE))  # benchlib
    sys.path.append(str(ROOT))  # tests (after --code, whose toolkit must win)
    os.environ.setdefault("MPLBACKEND", "Agg")
    import toolkit

    print(f"toolkit from {Path(toolkit.__file__).parent}")
    plugin = Measure()
    pytest_args = [
        str(ROOT / "tests" / "hostile"), "-q", "-p", "no:cacheprovider", "-o", "addopts=",
        "--import-mode=append",
        f"--timeout={args.timeout:g}", "-rN",
    ]
    if args.keyword:
        pytest_args += ["-k", args.keyword]
    pytest.main(pytest_args, plugins=[plugin])
    print(f"\n{'case':70} {'result':8} {'time':>8} {'peak MB':>8}")
    for nodeid, entry in plugin.results.items():
        name = nodeid.split("tests/hostile/", 1)[-1]
        print(f"{name[:70]:70} {entry.get('outcome', '?'):8} {entry['seconds']:7.1f}s "
              f"{entry['peak_mb']:8.0f}")
    if args.out:
        args.out.write_text(json.dumps(plugin.results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
