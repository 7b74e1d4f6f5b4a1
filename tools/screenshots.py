"""Screenshots of what users look at, taken in headless Chromium: the report and the explorer.

    python tools/screenshots.py                      # both, into reports/screenshots/
    python tools/screenshots.py report --report reports/   # an existing report folder
    python tools/screenshots.py explorer --out /tmp/shots

``report``: ``index.html`` of a report folder (made from ``data/sample`` with ``toolkit
run`` when none is given), the whole page at 1280 and 900 px wide
(``report-1280.png``, ``report-900.png``).

``explorer``: JupyterLab started on 127.0.0.1 with a token, in a scratch folder holding
a notebook that builds the entity explorer on ``data/sample``; the notebook is run in
the browser and the explorer photographed (``explorer.png``). Then the notebook is
saved, its kernel shut down and the notebook reopened, as a user reopening it later
would see it (``explorer-reopened.png``: the widget's "model not found" and the note
under it).

Each writes ``<name>.json`` beside the PNG: what was measured in the page (whether
short table cells stay on one line, the padding and alignment of the explorer's
table, whether the dropdown shows a whole entity name, ...), which
``tests/widgets/test_jupyterlab.py`` and ``tests/report/test_report.py`` check.

Needs Chromium (Debian: ``apt-get install chromium``; or ``$CHROMIUM``) and the
``playwright`` Python package (the ``dev`` extra), which drives that browser; nothing
is downloaded.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
#: Flags for a headless Chromium that makes no network call of its own.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
#: The entity the explorer screenshot picks: the longest name of the sample.
LONG_ENTITY = "East Turkestan Islamic Movement"


def chromium_path() -> str | None:
    """Return the Chromium to drive (``$CHROMIUM``, else chromium on the PATH), or None."""
    found = os.environ.get("CHROMIUM") or shutil.which("chromium")
    return found or shutil.which("chromium-browser") or shutil.which("google-chrome")


def missing() -> str | None:
    """Return why screenshots cannot be taken here (no Chromium, no playwright), or None."""
    if chromium_path() is None:
        return "no Chromium (apt-get install chromium, or set $CHROMIUM)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    return None


@contextlib.contextmanager
def browser_page(width: int = 1280, height: int = 900) -> Iterator[Any]:
    """Yield a playwright Page of a headless system Chromium ``width`` x ``height`` px wide."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=chromium_path(), headless=True, args=list(CHROMIUM_FLAGS[1:])
        )
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            yield page
        finally:
            browser.close()


# --------------------------------------------------------------------------- the report

#: Measured in index.html, on every table cell whatever its class: in the short cells
#: (at most 24 characters, toolkit.report.tables.SHORT_CELL), the words broken across
#: lines ("2016-04-|07", "duplicat|e"; a break between words is fine), and the
#: alignments of the cells that hold a number.
_TABLE_CELLS = """() => {
  const lines = (node, start, end) => {
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, end);
    return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
  };
  const cells = [...document.querySelectorAll('table td')];
  const short = cells.filter((c) => c.textContent.trim() && c.textContent.length <= 24
    && c.childNodes.length === 1 && c.firstChild.nodeType === Node.TEXT_NODE);
  const broken = [];
  for (const cell of short) {
    for (const word of cell.firstChild.data.matchAll(/\\S+/g)) {
      if (lines(cell.firstChild, word.index, word.index + word[0].length) > 1) {
        broken.push(word[0]);
      }
    }
  }
  const numbers = cells.filter((c) => /^-?[0-9][0-9,]*([.][0-9]+)?(e[+-]?[0-9]+)?$/
    .test(c.textContent.trim()));
  return {
    cells: cells.length,
    short_cells: short.length,
    broken_words: broken,
    number_alignment: [...new Set(numbers.map((c) => getComputedStyle(c).textAlign))],
  };
}"""


def shoot_report(report: Path, out: Path, widths: tuple[int, ...] = (1280, 900)) -> dict:
    """Screenshot ``report/index.html`` at each width; return what was measured, by width."""
    out.mkdir(parents=True, exist_ok=True)
    measured = {}
    for width in widths:
        with browser_page(width) as page:
            page.goto((report / "index.html").resolve().as_uri())
            page.wait_for_load_state("load")
            measured[str(width)] = page.evaluate(_TABLE_CELLS)
            page.screenshot(path=str(out / f"report-{width}.png"), full_page=True)
    (out / "report.json").write_text(json.dumps(measured, indent=1), "utf-8")
    return measured


def make_report(folder: Path) -> Path:
    """Run ``toolkit run data/sample`` into ``folder``; return the folder."""
    subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "run", str(SAMPLE), "--out", str(folder),
         "--workers", "1", "--no-progress"],
        check=True,
        stdout=subprocess.DEVNULL,  # the path of a folder that goes with the screenshots
    )
    return folder


# --------------------------------------------------------------------------- the explorer

EXPLORER_NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "build",
            "metadata": {},
            "outputs": [],
            "source": [
                "import toolkit as tk\n",
                f"articles = tk.read_articles([{str(SAMPLE)!r}], workers=1, progress=False)\n",
                "mentions = tk.extract_entities(articles, progress=False)\n",
                "pairs = tk.cooccurrence(mentions, window='sentence')",
            ],
        },
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "explore",
            "metadata": {},
            "outputs": [],
            "source": [
                "explorer = tk.entity_explorer(mentions, pairs, articles)\n",
                f"explorer.entity.value = {LONG_ENTITY!r}\n",
                "explorer",
            ],
        },
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}

#: Measured in JupyterLab around the explorer.
_EXPLORER_LOOK = """() => {
  // the explorer: the widget box around the neighbours table (an HTML widget)
  const box = document.querySelector('.widget-vbox .widget-html table')?.closest('.widget-vbox');
  const note = document.querySelector('.toolkit-explorer-stale');
  const shown = (el) => !!el && el.getClientRects().length > 0
    && getComputedStyle(el).display !== 'none';
  const result = {
    explorer: !!box,
    note_shown: shown(note),
    note_text: note ? note.textContent : null,
    errors: [...document.querySelectorAll('.jp-OutputArea-output')]
      .map((o) => o.textContent).filter((t) => t.includes('Error displaying widget')),
  };
  if (!box) return result;
  const table = box.querySelector('.widget-html table');
  const style = (el) => getComputedStyle(el);
  const ths = table ? [...table.querySelectorAll('th')] : [];
  result.headers = ths.map((th) => th.textContent);
  result.header_padding = ths.map((th) => parseFloat(style(th).paddingLeft)
    + parseFloat(style(th).paddingRight));
  result.num_alignment = table ? [...new Set([...table.querySelectorAll('td.num')]
    .map((td) => style(td).textAlign))] : [];
  // Gaps between the text of neighbouring header cells, in px.
  const textRect = (el) => { const r = document.createRange(); r.selectNodeContents(el);
                             return r.getBoundingClientRect(); };
  result.header_gaps = ths.slice(1).map((th, i) => textRect(th).left - textRect(ths[i]).right);
  // Does each dropdown show its whole chosen entry?
  result.dropdowns = [...box.querySelectorAll('select')].map((select) => {
    const text = select.options[select.selectedIndex]?.text ?? '';
    const probe = document.createElement('span');
    probe.style.font = style(select).font;
    probe.style.whiteSpace = 'pre';
    probe.textContent = text;
    document.body.appendChild(probe);
    const needed = probe.getBoundingClientRect().width;
    probe.remove();
    const s = style(select);
    const room = select.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    return {text, needed: Math.ceil(needed), room: Math.floor(room)};
  });
  result.option_texts = [...box.querySelectorAll('select option')].map((o) => o.text);
  return result;
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _api(base: str, token: str, path: str, method: str = "GET") -> Any:
    request = urllib.request.Request(
        f"{base}{path}", method=method, headers={"Authorization": f"token {token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        body = response.read()
    return json.loads(body) if body else None


@contextlib.contextmanager
def jupyter_lab(
    folder: Path, log_path: Path, timeout: float = 120.0
) -> Iterator[tuple[str, str]]:
    """Run JupyterLab on 127.0.0.1 in ``folder`` with a fresh token; yield (base URL, token).

    Its output goes to ``log_path``.
    """
    port, token = _free_port(), secrets.token_hex(16)
    settings = folder / ".jupyter"
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(settings / "config"),
        "JUPYTER_RUNTIME_DIR": str(settings / "runtime"),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    }
    # No "get notified about Jupyter news?" toast over the screenshots, no update check.
    notification = settings / "lab" / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True, exist_ok=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}), "utf-8"
    )
    log = log_path.open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
         f"--port={port}", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={folder}", f"--LabApp.user_settings_dir={settings / 'lab'}",
         f"--LabApp.workspaces_dir={settings / 'workspaces'}",
         "--LabApp.extension_manager=readonly",
         *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])],
        cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"jupyter lab exited: see {log_path}")
            with contextlib.suppress(OSError):
                _api(base, token, "/api/status")
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"jupyter lab did not answer in {timeout:.0f} s")
            time.sleep(0.5)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def _open_notebook(page: Any, base: str, token: str, name: str) -> None:
    page.goto(f"{base}/lab/tree/{name}?token={token}&reset")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    # the kernel is up when its status reads idle
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                           timeout=120_000)


#: True once the first cell has started (prompt "[*]:") or finished ("[1]:").
_STARTED = """() => /\\[(\\*|\\d+)\\]/.test(
  document.querySelector('.jp-Notebook .jp-InputArea-prompt')?.textContent ?? '')"""


def _menu(page: Any, menu: str, command: str) -> None:
    """Open the main menu ``menu`` and click its item that runs JupyterLab's ``command``."""
    page.get_by_role("menuitem", name=menu, exact=True).click()
    page.locator(f".lm-Menu-item[data-command='{command}']").first.click()


def _run_all(page: Any, tries: int = 3) -> None:
    """Run All Cells from the Run menu; again when no cell started (a kernel still busy
    connecting can swallow the command)."""
    for _ in range(tries):
        page.locator(".jp-Notebook .jp-Cell").first.click()
        _menu(page, "Run", "runmenu:run-all")
        try:
            page.wait_for_function(_STARTED, timeout=20_000)
            return
        except Exception:  # noqa: BLE001 - playwright's TimeoutError: try again
            page.keyboard.press("Escape")
    raise TimeoutError(f"Run All Cells started no cell in {tries} tries")


def _shoot_outputs(page: Any, path: Path) -> None:
    """Screenshot the notebook panel (cells and outputs) to ``path``."""
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)").first.screenshot(path=str(path))


def _live(page: Any, base: str, token: str, name: str, png: Path) -> dict:
    """Open the notebook, run it, measure and photograph the explorer; save the notebook."""
    _open_notebook(page, base, token, name)
    _run_all(page)
    page.wait_for_selector(".widget-vbox .widget-html table")
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    measured = page.evaluate(_EXPLORER_LOOK)
    page.locator(".widget-vbox").first.scroll_into_view_if_needed()
    _shoot_outputs(page, png)
    _save(page, base, token, name)
    return measured


def _save(page: Any, base: str, token: str, name: str, tries: int = 3) -> None:
    """Save the notebook from the File menu (JupyterLab signs it: its outputs stay trusted)
    and wait until the file on disk holds the explorer's output."""
    for _ in range(tries):
        _menu(page, "File", "docmanager:save")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                cells = _api(base, token, f"/api/contents/{name}")["content"]["cells"]
            except urllib.error.HTTPError:  # read while being written: "not JSON"
                cells = [{}]
            if cells[-1].get("outputs"):
                return
            time.sleep(0.5)
    raise TimeoutError(f"{name} was not saved with its outputs in {tries} tries")


def _reopened(page: Any, base: str, token: str, name: str, png: Path) -> dict:
    """Shut the kernel down, reopen the saved notebook, measure and photograph it."""
    for session in _api(base, token, "/api/sessions"):
        _api(base, token, f"/api/sessions/{session['id']}", method="DELETE")
    page.goto("about:blank")
    _open_notebook(page, base, token, name)
    # "Loading widget..." until the widget manager has restored (the kernel is up)
    page.get_by_text("Error displaying widget").first.wait_for()
    measured = page.evaluate(_EXPLORER_LOOK)
    _shoot_outputs(page, png)
    return measured


def shoot_explorer(out: Path, *, timeout: float = 300.0) -> dict:
    """Build the explorer in JupyterLab, photograph it live and after a reopen; return measures."""
    out.mkdir(parents=True, exist_ok=True)
    for stale in ("explorer-failed.png", "explorer-failed.txt"):
        (out / stale).unlink(missing_ok=True)
    measured: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="toolkit-lab-") as scratch:
        folder = Path(scratch)
        name = "explorer.ipynb"
        (folder / name).write_text(json.dumps(EXPLORER_NOTEBOOK, indent=1), "utf-8")
        lab = jupyter_lab(folder, out / "jupyter.log")
        with lab as (base, token), browser_page(1280, 1000) as page:
            page.set_default_timeout(timeout * 1000)
            try:
                measured["live"] = _live(page, base, token, name, out / "explorer.png")
                measured["reopened"] = _reopened(page, base, token, name,
                                                 out / "explorer-reopened.png")
            except Exception:
                page.screenshot(path=str(out / "explorer-failed.png"))
                (out / "explorer-failed.txt").write_text(traceback.format_exc(), "utf-8")
                raise
    (out / "explorer.json").write_text(json.dumps(measured, indent=1), "utf-8")
    return measured


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", nargs="?", choices=("all", "report", "explorer"), default="all")
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "screenshots",
                        help="folder of the PNGs (default reports/screenshots)")
    parser.add_argument("--report", type=Path,
                        help="a report folder to photograph (default: made from data/sample)")
    args = parser.parse_args(argv)
    reason = missing()
    if reason:
        print(f"screenshots: cannot take them here: {reason}", file=sys.stderr)
        return 2
    if args.what in ("all", "report"):
        with tempfile.TemporaryDirectory(prefix="toolkit-report-") as scratch:
            report = args.report or make_report(Path(scratch) / "report")
            shoot_report(report, args.out)
        print(f"report: {args.out / 'report-1280.png'}, {args.out / 'report-900.png'}")
    if args.what in ("all", "explorer"):
        shoot_explorer(args.out)
        print(f"explorer: {args.out / 'explorer.png'}, {args.out / 'explorer-reopened.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
