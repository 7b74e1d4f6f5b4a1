"""Score the toolkit's extraction against main's, raw trafilatura and readability-lxml.

All run on the same page bytes with the same URL, in one invocation:

- ``toolkit``: ``toolkit.extract.page.extract_page(html, url=url)`` of this tree;
- ``main`` (with ``--old REF``, default ``main``): the same function of the git
  revision ``REF``, its ``toolkit/`` exported with ``git archive`` into a temporary
  folder and run in a child process (the extraction the branch replaces);
- ``trafilatura``: ``trafilatura.bare_extraction(html, url=url, with_metadata=True)``;
- ``readability``: readability-lxml's ``Document(html).summary()`` as text, and its
  ``short_title()`` (it has no other metadata).

Scores (see ../shared/corpus/README.md for the annotations):

- snippets: trafilatura's own evaluation, whitespace-normalised substring
  matches of the ``with`` / ``without`` snippets of the 132 ``tf-*`` pages,
  summed into one confusion matrix -> precision, recall, accuracy, F1;
- body tokens: for the 68 ``moz-*`` pages with a ``body`` (Readability's
  expected text), token-level (lowercased word multiset) precision, recall and
  F1, averaged over pages;
- starts with headline: pages whose text begins with the headline (the
  annotated title, or the extractor's own), which counts every headline word
  twice; the target is 0;
- title: exact match after whitespace normalisation, pages with a title;
- date: same ``YYYY-MM-DD`` prefix, pages with a non-null date (and, apart,
  how often both say "no date" where the annotation is null);
- authors: the same set of names (case, dots, "By" ignored), pages with an
  author; sitename: equal ignoring case, pages with a sitename;
- language: equal to the corpus's py3langid code of the expected text;
- not ok: pages whose status is not ``ok`` (``empty``, ``thin``, ...).

The corpus is split by site into two halves (``site_half``: a hash of the
host, so every page of a site is on one side): rules are tuned on ``tune`` and
checked on ``check``; both are printed, then all pages.

Usage::

    python bench/extraction_quality.py [--corpus ../shared/corpus] [--old main] [--details]
    python bench/extraction_quality.py --speed [--rounds 3]

``--old ''`` leaves main out. ``--speed`` times trafilatura and the toolkit
page by page, alternating which runs first to cancel noise, and prints toolkit
time / trafilatura time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
_WS = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+")


def norm(text: str | None) -> str:
    """Whitespace-normalise as trafilatura's evaluation does."""
    return _WS.sub(" ", text or "").strip()


def load_corpus(corpus: Path = DEFAULT_CORPUS, *, sample: int | None = None) -> list[dict]:
    """Read expected.jsonl and each page's bytes (``sample``: every n-th page only)."""
    rows = [json.loads(line) for line in (corpus / "expected.jsonl").read_text("utf-8").splitlines()
            if line.strip()]
    if sample:
        rows = rows[::sample]
    for row in rows:
        row["content"] = (corpus / row["file"]).read_bytes()
    return rows


def run_raw(content: bytes, url: str | None) -> dict:
    """Raw trafilatura, fields mapped to extract_page's names."""
    from trafilatura import bare_extraction

    doc = bare_extraction(content, url=url, with_metadata=True)
    if doc is None:
        return {"title": None, "authors": [], "date": None, "sitename": None, "text": "",
                "language": None, "status": "empty"}
    return {
        "title": doc.title,
        "authors": doc.author.split("; ") if doc.author else [],
        "date": doc.date,
        "sitename": doc.sitename,
        "text": doc.text or "",
        "language": doc.language,
        "status": "ok" if doc.text else "empty",
    }


def run_readability(content: bytes, url: str | None) -> dict:
    """readability-lxml: the summary's text (one line per block) and its short title."""
    from lxml import html as lxml_html
    from readability import Document

    from toolkit.extract.blocks import element_text

    try:
        doc = Document(content, url=url)
        summary = doc.summary(html_partial=True)
        text = element_text(lxml_html.fromstring(summary)) if summary.strip() else ""
        title = doc.short_title()
    except Exception:  # readability gives up on some pages: an empty result, as for a user
        text, title = "", None
    return {"title": title, "authors": [], "date": None, "sitename": None, "text": text,
            "language": None, "status": "ok" if text else "empty"}


def run_toolkit(content: bytes, url: str | None) -> dict:
    """toolkit.extract.page.extract_page with default options."""
    from toolkit.extract.page import extract_page

    return extract_page(content, url=url)


_OLD_RUNNER = """
import json, logging, sys
logging.disable(logging.CRITICAL)
from toolkit.extract.page import extract_page
corpus = sys.argv[1]
for line in sys.stdin:
    row = json.loads(line)
    with open(corpus + "/" + row["file"], "rb") as f:
        got = extract_page(f.read(), url=row.get("url"))
    got["date"] = None if got.get("date") is None else str(got["date"])
    print(json.dumps({k: got.get(k) for k in
                      ("title", "authors", "date", "sitename", "text", "language", "status")}))
"""


def run_old(rows: list[dict], corpus: Path, ref: str) -> list[dict]:
    """``extract_page`` of git revision ``ref`` on ``rows``, in a child process.

    ``git archive REF toolkit`` is unpacked into a temporary folder placed first on
    the child's ``PYTHONPATH``, so the child imports that revision's package (the
    editable install of this tree is found after ``sys.path``).
    """
    with tempfile.TemporaryDirectory(prefix="toolkit-old-") as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "toolkit"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        env = {**os.environ, "PYTHONPATH": tmp}
        lines = "".join(json.dumps({"file": r["file"], "url": r.get("url")}) + "\n" for r in rows)
        out = subprocess.run([sys.executable, "-c", _OLD_RUNNER, str(corpus)], input=lines,
                             capture_output=True, text=True, env=env, check=True, cwd=tmp)
    results = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    if len(results) != len(rows):
        raise RuntimeError(f"the {ref} run returned {len(results)} of {len(rows)} pages")
    return results


def site_of(row: dict) -> str:
    """The page's site: the URL's host, else the host in the file name, else the page name."""
    url = row.get("url")
    if url:
        host = re.sub(r"^https?://(?:www\.)?", "", url).split("/")[0]
        if host:
            return host.lower()
    name = Path(row["file"]).stem
    parts = name.split("-")
    if parts[0] == "tf" and len(parts) > 3:
        return (parts[3] if parts[2] == "nonurl" else parts[2]).lower()
    return re.sub(r"-\d+$", "", name.removeprefix("moz-"))


def site_half(row: dict) -> str:
    """``"tune"`` or ``"check"``: a fixed split of the corpus by site (a hash of the host)."""
    digest = hashlib.sha1(site_of(row).encode("utf-8")).digest()
    return "tune" if digest[0] % 2 == 0 else "check"


def snippet_counts(item: dict, text: str | None) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) of one page's with/without snippets, as upstream counts them."""
    resn = norm(text)
    tp = sum(1 for w in item["with"] if norm(w) in resn) if text else 0
    fp = sum(1 for w in item["without"] if norm(w) in resn) if text else 0
    return tp, fp, len(item["with"]) - tp, len(item["without"]) - fp


def token_prf(expected: str, got: str | None) -> tuple[float, float, float]:
    """Token-level precision, recall, F1 of ``got`` against ``expected`` (lowercased words)."""
    exp = Counter(t.lower() for t in _TOKEN.findall(expected))
    out = Counter(t.lower() for t in _TOKEN.findall(got or ""))
    common = sum((exp & out).values())
    p = common / sum(out.values()) if out else 0.0
    r = common / sum(exp.values()) if exp else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def starts_with_headline(text: str | None, *titles: str | None) -> bool:
    """Whether ``text`` begins with one of ``titles`` (case and spacing ignored)."""
    start = norm(text).casefold()
    return bool(start) and any(
        (title := norm(t).casefold()) and len(title) >= 8 and start.startswith(title)
        for t in titles
    )


def _author_set(value) -> frozenset[str]:
    if not value:
        return frozenset()
    items = value if isinstance(value, list) else re.split(r";|,|/|&|\band\b", str(value))
    names = set()
    for item in items:
        name = re.sub(r"^\s*by\s+", "", str(item).strip(), flags=re.IGNORECASE)
        name = re.sub(r"[.\s]+", " ", name).strip().casefold()
        if name:
            names.add(name)
    return frozenset(names)


def _day(value) -> str | None:
    if value is None or value == "":
        return None
    return str(value)[:10]


@dataclass
class Scores:
    """Running totals for one extractor."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    body: list = field(default_factory=list)
    hits: Counter = field(default_factory=Counter)
    totals: Counter = field(default_factory=Counter)

    def add(self, field_name: str, ok: bool) -> None:
        self.totals[field_name] += 1
        self.hits[field_name] += int(ok)

    def snippet_scores(self) -> dict[str, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        total = self.tp + self.fp + self.fn + self.tn
        return {
            "precision": p,
            "recall": r,
            "accuracy": (self.tp + self.tn) / total if total else 0.0,
            "f1": 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0,
        }

    def body_scores(self) -> dict[str, float]:
        n = len(self.body) or 1
        return {k: sum(b[i] for b in self.body) / n for i, k in enumerate(("p", "r", "f1"))}


#: Fields each extractor states; the others are not scored for it ("-" in the table).
METADATA = {"readability": ("title",)}


def score_page(scores: Scores, row: dict, got: dict, details: list | None, name: str) -> None:
    """Add one page's extraction ``got`` to ``scores``."""
    text = got.get("text") or ""
    if "with" in row:
        tp, fp, fn, tn = snippet_counts(row, text)
        scores.tp += tp
        scores.fp += fp
        scores.fn += fn
        scores.tn += tn
    if row.get("body"):
        scores.body.append(token_prf(row["body"], text))
    checks = {"starts with headline": starts_with_headline(text, row.get("title"),
                                                           got.get("title")),
              "not ok": got.get("status", "ok") != "ok"}
    if row.get("title"):
        checks["title"] = norm(got.get("title")) == norm(row["title"])
    if "date" in row:
        if row["date"]:
            checks["date"] = _day(got.get("date")) == _day(row["date"])
        else:
            checks["no date"] = got.get("date") is None
    if row.get("author"):
        checks["authors"] = _author_set(got.get("authors")) == _author_set(row["author"])
    if row.get("sitename"):
        expected = norm(row["sitename"]).casefold()
        checks["sitename"] = norm(got.get("sitename")).casefold() == expected
    if row.get("language"):
        checks["language"] = got.get("language") == row["language"]
    stated = METADATA.get(name)
    for key, ok in checks.items():
        if stated is not None and key in _FIELDS and key not in stated:
            continue
        scores.add(key, ok)
        bad = ok if key in ("starts with headline", "not ok") else not ok
        if details is not None and bad:
            value = got.get({"no date": "date", "starts with headline": "text",
                             "not ok": "status"}.get(key, key))
            details.append((row["file"], name, key, value))


_FIELDS = ("title", "date", "no date", "authors", "sitename", "language")
EXTRACTORS = {"toolkit": run_toolkit, "trafilatura": run_raw, "readability": run_readability}


def evaluate(corpus: Path = DEFAULT_CORPUS, *, sample: int | None = None,
             details: list | None = None, old: str | None = None,
             names: tuple[str, ...] = ("toolkit", "trafilatura")) -> dict[str, dict[str, Scores]]:
    """Run the extractors over the corpus; return ``{half: {extractor: Scores}}``.

    ``half`` is ``"tune"``, ``"check"`` and ``"all"``; ``old`` (a git revision)
    adds its extraction as ``"main"``.
    """
    rows = load_corpus(corpus, sample=sample)
    outputs: dict[str, list[dict]] = {}
    if old:
        outputs["main"] = run_old(rows, corpus, old)
    for name in names:
        outputs[name] = [EXTRACTORS[name](row["content"], row.get("url")) for row in rows]
    order = [n for n in ("main", *names) if n in outputs]
    results = {half: {n: Scores() for n in order} for half in ("tune", "check", "all")}
    for i, row in enumerate(rows):
        for name in order:
            got = outputs[name][i]
            score_page(results["all"][name], row, got, details, name)
            score_page(results[site_half(row)][name], row, got, None, name)
    return results


def format_table(results: dict[str, Scores]) -> str:
    """The scores side by side as a plain-text table."""
    names = list(results)
    lines = [f"{'metric':<30}" + "".join(f"{n:>14}" for n in names)]

    def add(label: str, values: list[str]) -> None:
        lines.append(f"{label:<30}" + "".join(f"{v:>14}" for v in values))

    for key in ("precision", "recall", "accuracy", "f1"):
        add(f"snippets {key}", [f"{results[n].snippet_scores()[key]:.3f}" for n in names])
    for key in ("p", "r", "f1"):
        add(f"moz body tokens {key}", [f"{results[n].body_scores()[key]:.3f}" for n in names])
    for key in ("starts with headline", "not ok", *_FIELDS):
        total = max(results[n].totals[key] for n in names)
        add(f"{key} (of {total})",
            [f"{results[n].hits[key]} ({results[n].hits[key] / total:.0%})"
             if total and results[n].totals[key] else "-" for n in names])
    return "\n".join(lines)


def speed(corpus: Path = DEFAULT_CORPUS, *, rounds: int = 3) -> float:
    """Time both extractors page by page, alternating order; return toolkit/trafilatura time.

    CPU time of this process (``time.process_time``) is measured, so other
    processes on a shared machine disturb the ratio less than wall time. One
    untimed round of both first pays the one-off costs (imports, the
    language model, regexes that htmldate compiles on first use).
    """
    from trafilatura import bare_extraction

    from toolkit.extract.page import extract_page

    rows = load_corpus(corpus)
    for row in rows:
        bare_extraction(row["content"], with_metadata=True)
        extract_page(row["content"])
    t_raw = t_ours = 0.0
    for r in range(rounds):
        for i, row in enumerate(rows):
            pair = [("raw", lambda c=row["content"]: bare_extraction(c, with_metadata=True)),
                    ("ours", lambda c=row["content"]: extract_page(c))]
            if (i + r) % 2:
                pair.reverse()
            for name, fn in pair:
                start = time.process_time()
                fn()
                elapsed = time.process_time() - start
                if name == "raw":
                    t_raw += elapsed
                else:
                    t_ours += elapsed
        print(f"round {r + 1}: trafilatura {t_raw:.2f} s, toolkit {t_ours:.2f} s (cumulative CPU)")
    n = len(rows) * rounds
    print(f"trafilatura.bare_extraction: {n / t_raw:.1f} pages/s; extract_page: {n / t_ours:.1f} "
          f"pages/s; time ratio toolkit/trafilatura = {t_ours / t_raw:.3f} "
          f"(speed ratio {t_raw / t_ours:.3f})")
    return t_ours / t_raw


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sample", type=int, default=None, help="score every n-th page only")
    parser.add_argument("--old", default="main",
                        help="git revision whose extraction is scored as 'main' ('' for none)")
    parser.add_argument("--no-readability", action="store_true",
                        help="leave readability-lxml out (it is the slowest)")
    parser.add_argument("--details", action="store_true", help="list every mismatch")
    parser.add_argument("--speed", action="store_true", help="time instead of scoring")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.CRITICAL)
    if not (args.corpus / "expected.jsonl").is_file():
        print(f"corpus not found at {args.corpus}", file=sys.stderr)
        return 2
    if args.speed:
        speed(args.corpus, rounds=args.rounds)
        return 0
    details: list | None = [] if args.details else None
    names = ("toolkit", "trafilatura") + (() if args.no_readability else ("readability",))
    results = evaluate(args.corpus, sample=args.sample, details=details, old=args.old or None,
                       names=names)
    if details:
        for file, name, key, value in details:
            print(f"{file:<60} {name:<12} {key:<9} {str(value)[:80]!r}")
        print()
    for half, label in (("tune", "tuning half (sites hashed even)"),
                        ("check", "check half (sites hashed odd)"), ("all", "all pages")):
        n = max(s.totals["not ok"] for s in results[half].values())
        print(f"== {label}: {n} pages ==")
        print(format_table(results[half]))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
