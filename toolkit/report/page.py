"""What a run writes about itself: the record (``report.json``) and the page (``index.html``)."""

from __future__ import annotations

import html
import json
import logging
import platform
from datetime import UTC, datetime
from pathlib import Path
from string import Template
from typing import Any

from toolkit import __version__
from toolkit.report.config import RunConfig, jsonable
from toolkit.report.tables import table_css
from toolkit.report.writer import ReportWriter, ShownFigure, ShownNote, ShownTable

logger = logging.getLogger(__name__)

# --------------------------------------------------------------------------- index.html

_PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto;
       max-width: 1100px; padding: 1rem 2rem 4rem; color: #222; line-height: 1.45; }
nav { position: sticky; top: 0; background: #fff; padding: .5rem 0;
      border-bottom: 1px solid #ddd; z-index: 1; }
nav a { margin-right: 1rem; }
h1 { margin-bottom: .2rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid #333; }
h3 { margin-top: 1.8rem; }
.sub { color: #555; margin-top: 0; }
figure { margin: 1rem 0 2rem; }
figure img { max-width: 100%; max-height: 80vh; width: auto; height: auto;
       border: 1px solid #eee; }
figcaption, .caption { color: #555; font-size: .9rem; }
.files { font-size: .85rem; } .files a { margin-right: .6rem; }
.table-wrap { overflow-x: auto; max-height: 32rem; overflow-y: auto; }
$table_css
.note { padding: .5rem .8rem; border-left: 4px solid #999; background: #f7f7f7; }
.note.missing { border-color: #d08c00; background: #fff8e6; }
.note.failed { border-color: #c0392b; background: #fdecea; }
dl.params { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; }
dl.params dt { font-weight: 600; } dl.params dd { margin: 0; overflow-wrap: anywhere; }
</style>
</head>
<body>
<h1>$title</h1>
<p class="sub">$subtitle</p>
<nav>$nav</nav>
$body
</body>
</html>
""")


def _links(files: dict[str, str]) -> str:
    return " ".join(
        f'<a href="{html.escape(path)}">{html.escape(kind.upper())}</a>'
        for kind, path in files.items()
    )


def _render_item(item: ShownFigure | ShownTable | ShownNote) -> str:
    links = _links(item.files)
    if isinstance(item, ShownNote):
        tail = f': <span class="files">{links}</span>' if links else ""
        return f'<p class="note {item.kind}">{html.escape(item.text)}{tail}</p>'

    caption = f"{html.escape(item.caption)} " if item.caption else ""
    if isinstance(item, ShownFigure):
        png = html.escape(item.files["png"])
        return (
            f"<figure><h3>{html.escape(item.title)}</h3>"
            f'<a href="{png}"><img src="{png}" alt="{html.escape(item.title)}"></a>'
            f'<figcaption>{caption}<span class="files">Files: {links}</span></figcaption>'
            "</figure>"
        )
    files = f'<span class="files">Full table ({item.n_rows} rows): {links}</span>'
    if not item.html:
        return f"<h3>{html.escape(item.title)}</h3><p class=\"caption\">{caption}{files}</p>"
    count = (
        f"all {item.n_view} rows" if item.shown == item.n_view
        else f"the first {item.shown} of {item.n_view} rows"
    )
    return (
        f"<h3>{html.escape(item.title)}</h3>"
        f'<p class="caption">{caption}Showing {count}. {files}</p>'
        f'<div class="table-wrap">{item.html}</div>'
    )


def _render_run_section(log: Any, record: dict[str, Any]) -> str:
    params = "".join(
        f"<dt>{html.escape(str(k))}</dt><dd>{html.escape(json.dumps(v, ensure_ascii=False))}</dd>"
        for k, v in record["parameters"].items()
    )
    nlp = record["nlp"]
    backend = nlp.get("entities") or {}
    backend_text = (
        ", ".join(f"{k}: {v}" for k, v in backend.items() if k in _NLP_KEYS)
        or "not run (no readable article)"
    )
    resources = "".join(
        f"<li>{'present' if r['installed'] else 'MISSING'}: {html.escape(r['name'])} "
        f"({html.escape(r['purpose'])})</li>"
        for r in nlp.get("resources", [])
    )
    timings = ", ".join(f"{k} {v:.1f} s" for k, v in log.timings.items())
    failed = "".join(
        f'<p class="note failed">The {html.escape(f["step"])} step failed: '
        f"{html.escape(f['error'])}</p>"
        for f in log.failures
    ) + "".join(
        f'<p class="note failed">The {html.escape(f["step"])} step did not run: '
        f"{html.escape(f['reason'])}</p>"
        for f in log.skipped
    )
    return (
        '<h2 id="run">This run</h2>'
        f"{failed}"
        f'<dl class="params">{params}'
        f"<dt>entity backend</dt><dd>{html.escape(backend_text)}</dd>"
        f"<dt>time per step</dt><dd>{html.escape(timings)}</dd></dl>"
        f"<h3>NLP resources</h3><ul>{resources}</ul>"
        '<p class="caption">Machine-readable: <a href="report.json">report.json</a>.</p>'
    )


_NLP_KEYS = ("backend", "model", "model_version", "label_scheme", "merge_places")


def render_page(writer: ReportWriter, log: Any, record: dict[str, Any]) -> str:
    """The index.html of a run: its sections as the writer kept them, then the run itself."""
    nav = " ".join(
        f'<a href="#{s.section.key}">{html.escape(s.section.title)}</a>' for s in writer.sections
    ) + ' <a href="#run">This run</a>'
    body = []
    for shown in writer.sections:
        section = shown.section
        body.append(f'<h2 id="{section.key}">{html.escape(section.title)}</h2>')
        if section.intro:
            body.append(f"<p>{html.escape(section.intro)}</p>")
        body.extend(_render_item(item) for item in shown.items)
    body.append(_render_run_section(log, record))
    statuses = record["status_counts"]
    subtitle = (
        f"{sum(statuses.values())} documents ({', '.join(f'{k} {v}' for k, v in statuses.items())})"
        f" from {len(record['sources'])} source(s) · toolkit {__version__} · "
        f"{record['finished']}"
    )
    return _PAGE.substitute(
        title="News coverage report",
        subtitle=html.escape(subtitle),
        nav=nav,
        body="\n".join(body),
        table_css=table_css("table.data"),
    )


# --------------------------------------------------------------------------- report.json


def _nlp_record(nlp: dict[str, Any]) -> dict[str, Any]:
    from toolkit.resources import nltk_states, spacy_state

    states = [*nltk_states(), spacy_state()]
    return {
        "entities": {k: jsonable(v) for k, v in nlp.items()},
        "resources": [
            {"name": s.name, "installed": s.installed, "purpose": s.purpose} for s in states
        ],
    }


def record_of_run(
    config: RunConfig,
    sources: tuple[str, ...],
    articles: Any,
    log: Any,
    writer: ReportWriter,
) -> dict[str, Any]:
    """The content of report.json: configuration, statuses, NLP, timings, notes and files."""
    statuses = {} if articles is None else {
        str(k): int(v) for k, v in articles["status"].value_counts().items()
    }
    failed = [] if articles is None else [
        {"source_uri": r.source_uri, "status": r.status, "error": r.error}
        for r in articles.loc[~articles["status"].isin(["ok", "duplicate"])].itertuples()
    ]
    notes = [
        {"section": s.section.key, "kind": i.kind, "text": i.text}
        for s in writer.sections for i in s.items if isinstance(i, ShownNote)
    ]
    values = log.record
    return jsonable({
        "toolkit": __version__,
        "python": platform.python_version(),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "sources": list(sources),
        "parameters": {
            "sources": list(sources),
            "out": str(writer.out),
            **config.as_record(),
            "keyness_groups": values.get("keyness_groups"),
            "followed_terms": values.get("followed_terms", []),
            "followed_terms_from": values.get("followed_terms_from"),
            "general_reference": values.get("general_reference"),
            "trend_period": values.get("trend_period"),
        },
        "quotes": values.get("quotes"),
        "topics": values.get("topics"),
        "status_counts": statuses,
        "failed_inputs": failed,
        "nlp": _nlp_record(values.get("nlp", {})),
        "timings": log.timings,
        "failures": log.failures,
        "skipped": log.skipped,
        "notes": notes,
        "files": sorted(set(writer.files)),
    })


def remove_previous_run(out: Path, *, keep: set[str]) -> int:
    """Delete the files an earlier run wrote into ``out`` that this run did not write again.

    The earlier run's ``report.json`` lists its files; only regular files inside
    ``out`` that it names are deleted, never a file the toolkit did not write.
    Called once this run's files are written (and before its own ``report.json``
    replaces the earlier one), so an input read from the earlier run's output
    (``out/articles.parquet``) is read before anything goes.

    Parameters
    ----------
    out : Path
        The output folder.
    keep : set of str
        This run's files, relative to ``out`` (POSIX).

    Returns
    -------
    int
        How many files were deleted.
    """
    try:
        record = json.loads((out / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0  # no earlier run (or not one of ours)
    files = record.get("files") if isinstance(record, dict) and "toolkit" in record else None
    if not isinstance(files, list):
        return 0
    root = out.resolve()
    removed = 0
    for name in map(str, files):
        path = out / name
        if name in keep or path.is_symlink() or not path.is_file():
            continue
        if root not in path.resolve().parents:
            continue
        path.unlink()
        removed += 1
    logger.info("removed %d files of the previous run in %s", removed, out)
    return removed
