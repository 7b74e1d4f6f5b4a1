"""The ``toolkit`` command: ingest, run, setup, and how it refuses bad arguments."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from tests.conftest import SHARED
from tests.report.test_report import EMPTY_PAGE, PAGES, write_corpus
from toolkit.cli import main
from toolkit.resources import nltk_states


def test_ingest_writes_the_file_and_prints_a_summary(tmp_path, capsys):
    sources = write_corpus(tmp_path / "pages")
    output = tmp_path / "articles.parquet"
    status = main(["ingest", *sources, "-o", str(output), "--workers", "1", "--no-progress"])
    assert status == 0
    printed = capsys.readouterr().out
    articles = pd.read_parquet(output)
    assert len(articles) == len(PAGES) + 2
    assert f"{len(articles)} documents" in printed
    assert f"status: ok {len(PAGES)}" in printed
    assert EMPTY_PAGE in printed and "missing.html" in printed
    assert "top sites: Harbour Herald (2), Valley Times (2)" in printed
    assert f"wrote {output}" in printed


def test_ingest_to_csv_follows_the_suffix(tmp_path, capsys, seed_path):
    output = tmp_path / "out" / "articles.csv"
    assert main(["ingest", str(seed_path), "-o", str(output), "--workers", "1",
                 "--no-progress"]) == 0
    frame = pd.read_csv(output)
    assert frame.loc[0, "title"] == "Cooperation sought to ensure safe G20"
    assert "1 documents" in capsys.readouterr().out


@pytest.mark.slow
def test_run_writes_the_report_with_the_options_given(tmp_path, capsys, seed_path):
    out = tmp_path / "report"
    status = main([
        "run", str(seed_path), str(tmp_path / "missing.html"), "--out", str(out),
        "--workers", "1", "--timeout", "20", "--max-bytes", "2000000", "--favor", "precision",
        "--no-progress",
    ])
    assert status == 0
    assert capsys.readouterr().out.strip() == f"report: {out / 'index.html'}"
    record = json.loads((out / "report.json").read_text("utf-8"))
    parameters = record["parameters"]
    assert (parameters["workers"], parameters["timeout"]) == (1, 20.0)
    assert parameters["fetch"]["max_bytes"] == 2_000_000
    assert parameters["extract"]["favor_precision"] is True
    assert record["status_counts"] == {"ok": 1, "error": 1}
    assert (out / "figures" / "network.png").is_file()


def test_setup_without_download_reports_every_resource(capsys):
    assert main(["setup", "--no-download"]) == 0
    lines = capsys.readouterr().out.splitlines()
    marked = [line for line in lines if line.split()[0] in ("present", "MISSING")]
    assert len(marked) == len(nltk_states()) + 1  # the NLTK resources and the spaCy pipeline
    assert any("punkt" in line for line in marked)
    assert any("spaCy" in line for line in marked)
    if any(line.startswith("  MISSING") for line in marked):
        assert any(line.startswith("Missing, what the toolkit does without it") for line in lines)


def test_setup_lists_only_what_is_missing_with_its_cost(tmp_path, monkeypatch, capsys):
    # a data folder holding only punkt: a stopwords folder copied to its top level is not found
    from toolkit import resources

    shared = SHARED / "nltk_data"
    (tmp_path / "tokenizers").mkdir()
    shutil.copytree(shared / "tokenizers" / "punkt_tab", tmp_path / "tokenizers" / "punkt_tab")
    shutil.copytree(shared / "corpora" / "stopwords", tmp_path / "stopwords")
    monkeypatch.setattr(resources, "nltk_data_dirs", lambda: [tmp_path])
    assert main(["setup", "--no-download", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Missing, what the toolkit does without it, and how to install it:")
    assert "  stopwords: only English has stopwords (a built-in list)" in out
    assert "with a folder that holds corpora/stopwords" in out
    assert "punkt_tab:" not in out  # present: neither listed nor its degradation
    assert "untrained Punkt" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the following arguments are required"),
        (["bogus"], "invalid choice"),
        (["run"], "the following arguments are required: sources"),
        (["run", "x", "--favor", "fast"], "invalid choice: 'fast'"),
        (["run", "x", "--workers", "two"], "invalid int value"),
        (["ingest", "x"], "the following arguments are required: -o/--output"),
        (["cache", "drop"], "invalid choice"),
    ],
)
def test_bad_arguments_exit_with_status_2_and_say_why(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_a_bad_value_the_parser_cannot_check_is_status_2_not_a_traceback(tmp_path, capsys):
    status = main(["run", "x", "--out", str(tmp_path / "out"), "--workers", "0"])
    assert status == 2
    err = capsys.readouterr().err
    assert err.startswith("toolkit run: workers must be a positive integer")
    assert not (tmp_path / "out").exists()


def test_the_module_runs_as_a_program():
    done = subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "run", "x", "--max-bytes", "-5"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 2
    assert "max_bytes must be > 0, got -5" in done.stderr
    assert "Traceback" not in done.stderr
    helped = subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "--help"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert helped.returncode == 0
    assert all(command in helped.stdout for command in ("run", "ingest", "setup"))


def test_no_readable_input_exits_1_with_one_line_on_stderr_and_still_writes(tmp_path, capsys):
    missing = str(tmp_path / "missing.html")
    common = ["--workers", "1", "--no-progress"]
    output = tmp_path / "a.parquet"
    assert main(["ingest", missing, "-o", str(output), *common]) == 1
    err = capsys.readouterr().err
    assert err == f"toolkit ingest: no input gave a readable article (error 1); see {output}\n"
    assert len(pd.read_parquet(output)) == 1
    assert main(["ingest", missing, "-o", str(tmp_path / "dataset"), *common]) == 1
    assert "no input gave a readable article (error 1)" in capsys.readouterr().err
    assert main(["ingest", missing, "-o", str(tmp_path / "dataset"), *common]) == 0  # resumed
    assert main(["run", missing, "--out", str(tmp_path / "report"), *common]) == 1
    err = capsys.readouterr().err
    assert err.startswith("toolkit run: no input gave a readable article (error 1)")
    assert err.count("\n") == 1
    assert (tmp_path / "report" / "index.html").is_file()


def test_an_output_with_an_unknown_suffix_is_refused(tmp_path, capsys, seed_path):
    output = tmp_path / "out.xlsx"
    assert main(["ingest", str(seed_path), "-o", str(output), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"toolkit ingest: cannot write {str(output)!r}: an articles file ends "
                          "in .parquet, .pq, .csv, .jsonl, .ndjson")
    assert not output.exists()
