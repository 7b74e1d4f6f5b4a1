"""The ``toolkit`` command: ``run``, ``ingest``, ``setup``, ``cache``."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

import pandas as pd

logger = logging.getLogger(__name__)


def summarize_articles(articles: pd.DataFrame) -> str:
    """Return a short plain-text summary of an articles frame (statuses, sites, dates).

    Parameters
    ----------
    articles : pandas.DataFrame
        An articles frame.

    Returns
    -------
    str
        Lines for a terminal.
    """
    lines = [f"{len(articles)} documents"]
    counts = articles["status"].value_counts()
    lines.append("  status: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    ok = articles[articles["status"].eq("ok")]
    if not ok.empty:
        lines.append(f"  words in ok articles: {int(ok['n_words'].sum())}")
        dates = ok["date"].dropna()
        if not dates.empty:
            lines.append(
                f"  dates: {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d} "
                f"({ok['date'].isna().sum()} undated)"
            )
        sites = ok["sitename"].fillna(ok["hostname"]).value_counts().head(5)
        if not sites.empty:
            lines.append("  top sites: " + ", ".join(f"{k} ({v})" for k, v in sites.items()))
        languages = ok["language"].value_counts().head(5)
        if not languages.empty:
            lines.append("  languages: " + ", ".join(f"{k} {v}" for k, v in languages.items()))
    failed = articles[~articles["status"].isin(["ok", "duplicate"])]
    for _, row in failed.head(10).iterrows():
        lines.append(f"  {row['status']:9} {row['source_uri']}: {row['error']}")
    if len(failed) > 10:
        lines.append(f"  ... and {len(failed) - 10} more not ok (see the status and error columns)")
    return "\n".join(lines)


def _read(args: argparse.Namespace) -> pd.DataFrame:
    from toolkit.cli.options import run_config
    from toolkit.ingest.read import read_articles

    config, _ = run_config(args)
    return read_articles(args.sources, progress=args.progress, **config.ingest_kwargs())


def _say_failures(command: str, counts: dict, reasons: list[str], where: object) -> int:
    """Say on stderr which inputs were not read and why; exit status 1 when none was."""
    from toolkit.ingest.summary import READ_STATUSES, status_line

    read = sum(counts.get(status, 0) for status in READ_STATUSES)
    if read and not reasons:
        return 0
    total = sum(counts.values())
    if read:
        head = f"{total - read} of {total} inputs were not read ({status_line(counts)})"
    else:
        head = f"no input gave a readable article ({status_line(counts)}){where}"
    print(f"toolkit {command}: {head}" + (":" if reasons else ""), file=sys.stderr)
    for reason in reasons:
        print(f"  {reason}", file=sys.stderr)
    return 0 if read else 1


def _cmd_ingest(args: argparse.Namespace) -> int:
    from pathlib import Path

    from toolkit.ingest.store import FORMATS, save_articles

    output = Path(args.output)
    if _is_dataset(args.output):
        return _ingest_dataset(args, output)
    if output.suffix.lower() not in FORMATS:
        raise ValueError(
            f"cannot write {str(output)!r}: an articles file ends in {', '.join(FORMATS)}; "
            "a name without a suffix is a folder for a partitioned Parquet dataset"
        )
    from toolkit.ingest.summary import failure_reasons

    articles = _read(args)
    path = save_articles(articles, output)
    print(summarize_articles(articles))
    print(f"wrote {path}")
    counts = articles["status"].value_counts().to_dict()
    return _say_failures("ingest", counts, failure_reasons(articles), f"; see {path}")


def _ingest_dataset(args: argparse.Namespace, output) -> int:
    from toolkit.cli.options import run_config
    from toolkit.ingest.dataset import ingest_to_dataset
    from toolkit.ingest.read import build_options

    config, _ = run_config(args)
    keys = tuple(k for k in args.partition_by.split(",") if k)
    summary = ingest_to_dataset(
        args.sources,
        output,
        partition_by=keys,
        batch_size=args.batch_size,
        workers=config.workers,
        timeout=config.timeout,
        options=build_options(extract=config.extract, fetch=config.fetch, cache=config.cache),
        progress=args.progress,
    )
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(summary.status_counts.items()))
    print(
        f"wrote {summary.written} rows in {len(summary.files)} files to {output} "
        f"({summary.skipped} already there){': ' + statuses if statuses else ''}"
    )
    if summary.skipped:  # inputs read by an earlier run
        return 0
    counts = summary.status_counts
    if not any(counts.get(status) for status in ("ok", "duplicate")):
        return _say_failures("ingest", counts, [], f"; see {output}")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from toolkit.cli.options import run_config
    from toolkit.ingest.summary import NoReadableArticles, failure_reasons
    from toolkit.report.run import run_report

    config, listed = run_config(args)
    sources = args.sources or listed
    if not sources:
        raise ValueError(
            "give the sources (files, folders, globs, URLs) or a --config file that lists them"
        )
    try:
        index = run_report(
            sources, out=args.out, config=config, progress=args.progress, require_readable=True
        )
    except NoReadableArticles as exc:
        return _say_failures("run", exc.counts, exc.reasons, "; no report was written")
    print(f"report: {index}")
    articles = pd.read_parquet(index.parent / "articles.parquet", columns=["source_uri", "status",
                                                                          "error"])
    counts = articles["status"].value_counts().to_dict()
    return _say_failures("run", counts, failure_reasons(articles), "")


def _cmd_setup(args: argparse.Namespace) -> int:
    from toolkit.cli.setup import format_report, setup

    result = setup(download=not args.no_download, nltk_from=args.nltk_from, target=args.nltk_dir)
    report = format_report(result, quiet=args.quiet)
    if report:
        print(report)
    return 0


def _cmd_cache(args: argparse.Namespace) -> int:
    from toolkit.ingest.cache import cache_info, clear_cache
    from toolkit.sources.fetch import describe_size

    if args.action == "clear":
        removed = clear_cache(args.namespace)  # an unknown namespace is a ValueError
        print(f"removed {removed} cached entries")
        return 0
    info = cache_info()
    print(
        f"{info['path']}: {info['entries']} entries, {describe_size(info['bytes'])} "
        f"of {describe_size(info['max_bytes'])} allowed ($TOOLKIT_CACHE_MAX_BYTES)"
    )
    for name, part in info["namespaces"].items():
        print(f"  {name}: {part['entries']} entries, {describe_size(part['bytes'])}")
    return 0


DESCRIPTION = """\
Analyse news coverage: read pages into an articles table, count terms, find who is
named with whom, and write charts, tables and a report.

  toolkit run PAGES... --out reports/      the whole analysis (open reports/index.html)
  toolkit ingest PAGES... -o articles.parquet
  toolkit setup                            install the NLP data where this Python finds it

PAGES are files, folders, globs, URLs, RSS/Atom feeds, sitemaps, WARC archives or
CSV/JSONL tables of articles. `toolkit COMMAND --help` lists a command's options.
Exit status: 0 done, 1 no input gave a readable article, 2 bad arguments,
130 interrupted."""


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``toolkit`` command."""
    from toolkit.cli.options import add_ingest_options, add_run_options

    parser = argparse.ArgumentParser(
        prog="toolkit",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="the whole analysis: charts and tables into --out",
        description="Read the pages and write the whole analysis (index.html, tables, charts, "
        "the entity network, run.toml) into --out. Every option can also come from a TOML "
        "file given with --config; each report holds the run.toml of its own run.",
    )
    run.add_argument(
        "sources", nargs="*", help="files, folders, globs, URLs, feeds, WARC (or from --config)"
    )
    run.add_argument("--out", default="reports", help="output folder (default reports/)")
    add_ingest_options(run)
    add_run_options(run)
    run.set_defaults(func=_cmd_run)

    ingest = commands.add_parser(
        "ingest",
        help="extract articles into a Parquet/CSV/JSONL file or a dataset folder",
        description="Read the pages into the articles table: one row per input, with a status.",
    )
    ingest.add_argument("sources", nargs="+", help="files, folders, globs, URLs, feeds, WARC")
    ingest.add_argument(
        "-o",
        "--output",
        required=True,
        help="an articles file (.parquet, .csv, .jsonl), or a folder: a partitioned Parquet "
        "dataset written in batches, which a rerun resumes",
    )
    ingest.add_argument(
        "--partition-by",
        default="month",
        help="dataset partitions: month, host or month,host (default month)",
    )
    ingest.add_argument("--batch-size", type=int, default=500, help="rows per dataset file (500)")
    add_ingest_options(ingest)
    ingest.set_defaults(func=_cmd_ingest)

    setup = commands.add_parser(
        "setup",
        help="install the NLP resources where this Python finds them, report the rest",
        description="Install the NLTK data the toolkit uses into this environment "
        "(<sys.prefix>/nltk_data, found by every program run with this Python, no NLTK_DATA "
        "needed): copied from --nltk-from, else downloaded when the internet is reachable. "
        "Then list what is still missing and what the toolkit does without it.",
    )
    setup.add_argument(
        "--nltk-from",
        metavar="FOLDER",
        help="a folder of NLTK data to copy from (offline machines), e.g. ../shared/nltk_data",
    )
    setup.add_argument(
        "--nltk-dir",
        metavar="FOLDER",
        help="install the NLTK data here instead (default <sys.prefix>/nltk_data, or "
        "~/nltk_data when that cannot be written)",
    )
    setup.add_argument("--no-download", action="store_true", help="do not try the internet")
    setup.add_argument("--quiet", action="store_true", help="print only what is missing")
    setup.set_defaults(func=_cmd_setup)

    cache = commands.add_parser("cache", help="show or clear the on-disk cache")
    cache.add_argument("action", choices=["info", "clear"])
    cache.add_argument(
        "namespace",
        nargs="?",
        default=None,
        help="with clear: only this part (extraction, entities); default everything",
    )
    cache.set_defaults(func=_cmd_cache)
    return parser


def _is_dataset(output: str) -> bool:
    """Whether ``toolkit ingest -o output`` writes a dataset folder (not one articles file)."""
    from pathlib import Path

    return Path(output).is_dir() or not Path(output).suffix


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``toolkit`` command; returns the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    from tqdm.contrib.logging import logging_redirect_tqdm

    try:
        with logging_redirect_tqdm():  # a warning prints above the progress bars, not inside
            return args.func(args)
    except ValueError as exc:
        print(f"toolkit {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        resume = ""
        if args.command == "ingest" and _is_dataset(args.output):
            resume = " (the batches already written are kept: run the same command to resume)"
        print(f"toolkit {args.command}: interrupted{resume}", file=sys.stderr)
        return 130

