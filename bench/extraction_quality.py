"""Score raw trafilatura and toolkit.extract_page on the shared extraction corpus.

Both run on the same page bytes with the same URL, in one process:

- raw: ``trafilatura.bare_extraction(html, url=url, with_metadata=True)``;
- toolkit: ``toolkit.extract.page.extract_page(html, url=url)``.

Scores (see ../shared/corpus/README.md for the annotations):

- snippets: trafilatura's own evaluation, whitespace-normalised substring
  matches of the ``with`` / ``without`` snippets of the 132 ``tf-*`` pages,
  summed into one confusion matrix -> precision, recall, accuracy, F1;
- body tokens: for the 68 ``moz-*`` pages with a ``body``, token-level
  (lowercased word multiset) precision, recall and F1, averaged over pages;
- title: exact match after whitespace normalisation, pages with a title;
- date: same ``YYYY-MM-DD`` prefix, pages with a non-null date (and, apart,
  how often both say "no date" where the annotation is null);
- authors: the same set of names (case, dots, "By" ignored), pages with an
  author; sitename: equal ignoring case, pages with a sitename;
- language: equal to the corpus's py3langid code of the expected text.

Usage::

    python bench/extraction_quality.py [--corpus ../shared/corpus] [--details]
    python bench/extraction_quality.py --speed [--rounds 3]

``--speed`` times both extractors page by page, alternating which runs first
to cancel noise, and prints toolkit time / trafilatura time.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
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
                "language": None}
    return {
        "title": doc.title,
        "authors": doc.author.split("; ") if doc.author else [],
        "date": doc.date,
        "sitename": doc.sitename,
        "text": doc.text or "",
        "language": doc.language,
    }


def run_toolkit(content: bytes, url: str | None) -> dict:
    """toolkit.extract.page.extract_page with default options."""
    from toolkit.extract.page import extract_page

    return extract_page(content, url=url)


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
    checks = {}
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
    for key, ok in checks.items():
        scores.add(key, ok)
        if details is not None and not ok:
            details.append((row["file"], name, key, got.get(key.replace("no date", "date"))))


def evaluate(corpus: Path = DEFAULT_CORPUS, *, sample: int | None = None,
             details: list | None = None) -> dict[str, Scores]:
    """Run both extractors over the corpus and return their scores by name."""
    rows = load_corpus(corpus, sample=sample)
    results = {"trafilatura": Scores(), "toolkit": Scores()}
    for row in rows:
        for name, runner in (("trafilatura", run_raw), ("toolkit", run_toolkit)):
            score_page(results[name], row, runner(row["content"], row.get("url")), details, name)
    return results


def format_table(results: dict[str, Scores]) -> str:
    """The scores side by side as a plain-text table."""
    names = list(results)
    lines = [f"{'metric':<28}" + "".join(f"{n:>14}" for n in names)]

    def add(label: str, values: list[str]) -> None:
        lines.append(f"{label:<28}" + "".join(f"{v:>14}" for v in values))

    for key in ("precision", "recall", "accuracy", "f1"):
        add(f"snippets {key}", [f"{results[n].snippet_scores()[key]:.3f}" for n in names])
    for key in ("p", "r", "f1"):
        add(f"moz body tokens {key}", [f"{results[n].body_scores()[key]:.3f}" for n in names])
    first = results[names[0]]
    for key in ("title", "date", "no date", "authors", "sitename", "language"):
        total = first.totals[key]
        add(f"{key} match (of {total})",
            [f"{results[n].hits[key]} ({results[n].hits[key] / total:.0%})" if total else "-"
             for n in names])
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
    results = evaluate(args.corpus, sample=args.sample, details=details)
    if details:
        for file, name, key, value in details:
            print(f"{file:<60} {name:<12} {key:<9} {str(value)[:80]!r}")
        print()
    print(format_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
