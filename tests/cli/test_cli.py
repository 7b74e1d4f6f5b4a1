"""The ``toolkit`` command: ingest, run, setup, and how it refuses bad arguments."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from tests.conftest import SHARED
from tests.report.test_report import EMPTY_PAGE, PAGES, write_corpus
from toolkit.cli import main
from toolkit.cli.commands import build_parser
from toolkit.report import config_file
from toolkit.report.config import RunConfig
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
        (["run", "x", "--top-n", "many"], "invalid int value"),
        (["run", "x", "--timeout", "soon"], "expected seconds or none"),
        (["run", "x", "--window", "page"], "invalid choice: 'page'"),
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


@pytest.mark.slow
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


def test_no_readable_input_exits_1_says_why_and_run_writes_no_report(tmp_path, capsys):
    missing = str(tmp_path / "missing.html")
    common = ["--workers", "1", "--no-progress"]
    output = tmp_path / "a.parquet"
    assert main(["ingest", missing, "-o", str(output), *common]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"toolkit ingest: no input gave a readable article (error 1); see {output}:\n"
        f"  {missing}: error: file not found: {missing}\n"
    )
    assert len(pd.read_parquet(output)) == 1
    assert main(["ingest", missing, "-o", str(tmp_path / "dataset"), *common]) == 1
    assert "no input gave a readable article (error 1)" in capsys.readouterr().err
    assert main(["ingest", missing, "-o", str(tmp_path / "dataset"), *common]) == 0  # resumed
    # `toolkit run /nonexistent/folder` wrote a report of nothing and said only "see index.html"
    assert main(["run", "/nonexistent/folder", missing, "--out", str(tmp_path / "report"),
                 *common]) == 1
    assert capsys.readouterr().err == (
        "toolkit run: no input gave a readable article (error 2); no report was written:\n"
        "  /nonexistent/folder: error: file not found: /nonexistent/folder\n"
        f"  {missing}: error: file not found: {missing}\n"
    )
    assert not (tmp_path / "report").exists()


@pytest.mark.slow
def test_run_says_on_stderr_which_inputs_failed_and_why(tmp_path, capsys, seed_path):
    missing = [str(tmp_path / f"missing{i}.html") for i in range(5)]
    out = tmp_path / "report"
    assert main(["run", str(seed_path), *missing, "--out", str(out), "--workers", "1",
                 "--no-progress", "--formats", "png"]) == 0
    captured = capsys.readouterr()
    assert captured.out == f"report: {out / 'index.html'}\n"
    lines = captured.err.splitlines()
    assert lines[0] == "toolkit run: 5 of 6 inputs were not read (error 5, ok 1):"
    assert lines[1:4] == [f"  {m}: error: file not found: {m}" for m in missing[:3]]
    assert lines[4] == "  ... and 2 more (see the status and error columns)"


def test_help_is_plain_text():
    parser = build_parser()
    texts = [parser.format_help()]
    texts += [sub.format_help() for action in parser._subparsers._group_actions
              for sub in action.choices.values()]
    for text in texts:
        assert "``" not in text and ":func:" not in text and ":class:" not in text


def test_every_run_option_is_a_field_of_run_config():
    fields = {f.name for f in dataclasses.fields(RunConfig)} - {"extract", "fetch"}
    run = build_parser()._subparsers._group_actions[0].choices["run"]
    dests = {a.dest for a in run._actions}
    assert fields <= dests, f"no option for {sorted(fields - dests)}"
    assert set(config_file.field_names()) - {"sources", "extract", "fetch"} == fields


@pytest.mark.slow
def test_the_analysis_options_reach_the_report(tmp_path, capsys):
    sources = write_corpus(tmp_path / "pages")
    out = tmp_path / "report"
    status = main([
        "run", *sources, "--out", str(out), "--workers", "1", "--no-progress",
        "--top-n", "7", "--terms", "harbour", "ferry", "--stopwords", "english", "ferry",
        "--keyness-outlets", "Harbour Herald", "--collocation-min-count", "1",
        "--window", "paragraph", "--pair-min-count", "1", "--network-top", "5",
        "--labels", "PERSON", "GPE", "--ner-languages", "all", "--formats", "png",
        "--timeout", "none", "--trend-freq", "M", "--no-cache",
    ])
    assert status == 0, capsys.readouterr().err
    record = json.loads((out / "report.json").read_text("utf-8"))
    parameters = record["parameters"]
    assert parameters["top_n"] == 7 and parameters["terms"] == ["harbour", "ferry"]
    assert parameters["stopwords"] == ["english", ["ferry"]]
    assert parameters["keyness_outlets"] == ["Harbour Herald"]
    assert parameters["window"] == "paragraph" and parameters["network_top"] == 5
    assert parameters["labels"] == ["PERSON", "GPE"] and parameters["ner_languages"] is None
    assert parameters["timeout"] is None and parameters["formats"] == ["png"]
    assert parameters["collocation_min_count"] == 1 and parameters["trend_freq"] == "M"
    assert parameters["keyness_groups"] == ["Harbour Herald", "the other outlets"]
    mentions = pd.read_csv(out / "tables" / "mentions.csv")
    assert set(mentions["label"]) <= {"PERSON", "GPE"}
    assert not list((out / "figures").glob("*.svg"))
    terms = pd.read_csv(out / "tables" / "top_terms.csv")
    assert "ferry" not in set(terms["term"])
    assert pd.read_csv(out / "tables" / "kwic.csv")["keyword"].str.lower().eq("harbour").all()


@pytest.mark.slow
def test_a_config_file_repeats_a_run_and_the_command_line_wins(tmp_path, capsys):
    sources = write_corpus(tmp_path / "pages")
    first = tmp_path / "first"
    assert main(["run", *sources, "--out", str(first), "--workers", "1", "--no-progress",
                 "--top-n", "4", "--window", "paragraph", "--favor", "precision",
                 "--max-bytes", "3000000", "--formats", "png"]) == 0
    written = (first / "run.toml").read_text("utf-8")
    assert "top_n = 4" in written and 'window = "paragraph"' in written
    second = tmp_path / "second"
    assert main(["run", "--config", str(first / "run.toml"), "--out", str(second),
                 "--no-progress"]) == 0
    one, two = (json.loads((d / "report.json").read_text("utf-8")) for d in (first, second))
    assert {**one["parameters"], "out": ""} == {**two["parameters"], "out": ""}
    assert one["sources"] == two["sources"]
    for name in ("top_terms", "pairs"):
        pd.testing.assert_frame_equal(pd.read_csv(first / "tables" / f"{name}.csv"),
                                      pd.read_csv(second / "tables" / f"{name}.csv"))
    third = tmp_path / "third"
    assert main(["run", "--config", str(first / "run.toml"), "--out", str(third),
                 "--no-progress", "--top-n", "9", "--favor", "balanced"]) == 0
    parameters = json.loads((third / "report.json").read_text("utf-8"))["parameters"]
    assert parameters["top_n"] == 9 and parameters["window"] == "paragraph"
    assert parameters["extract"]["favor_precision"] is False
    assert parameters["fetch"]["max_bytes"] == 3_000_000
    capsys.readouterr()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("top_n = 5\nwindoww = 'x'\n", "unknown key(s) ['windoww']"),
        ("top_n = 0\n", "top_n must be"),
        ("[fetch]\nmax_byte = 3\n", "unknown key(s) ['max_byte'] in [fetch]"),
        ("top_n = \n", "is not valid TOML"),
        ("stopwords = 3\n", "stopwords must be a language name"),
    ],
)
def test_a_bad_config_file_is_status_2_naming_what_is_valid(text, message, tmp_path, capsys):
    path = tmp_path / "run.toml"
    path.write_text(text)
    assert main(["run", "x", "--config", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("toolkit run: ") and message in err
    assert not (tmp_path / "out").exists()


def test_run_without_sources_names_both_ways_to_give_them(tmp_path, capsys):
    assert main(["run", "--out", str(tmp_path / "out")]) == 2
    assert "give the sources (files, folders, globs, URLs) or a --config file" in (
        capsys.readouterr().err
    )


def test_an_output_with_an_unknown_suffix_is_refused(tmp_path, capsys, seed_path):
    output = tmp_path / "out.xlsx"
    assert main(["ingest", str(seed_path), "-o", str(output), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"toolkit ingest: cannot write {str(output)!r}: an articles file ends "
                          "in .parquet, .pq, .csv, .jsonl, .ndjson")
    assert not output.exists()
