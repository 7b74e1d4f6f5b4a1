"""Validate the quotation gold set against today's extraction of the shared corpus.

    python tests/data/quotes/check_gold.py [--corpus ../shared/corpus/html]

The offsets of ``quotes_gold.jsonl`` refer to the text the annotator read (its
``text_sha256``). The extraction changes, so the annotated articles are extracted
again here (``toolkit.read_articles`` on their corpus pages) and every entry is
re-located by exact string, as ANNOTATION.md says: an unchanged text keeps its
offsets; otherwise the occurrence of ``quote`` nearest the old relative position, then
the occurrence of ``speaker`` nearest the old distance from the quote. An entry that
cannot be found verbatim is listed as lost (it needs a look by hand), never matched
fuzzily. Exit status 1 when an entry is malformed or lost.

``load_gold``, ``read_texts`` and ``relocate`` are imported by ``bench/quotes.py`` and
``tests/entities/test_quotes.py``.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "html"
KINDS = {"direct", "indirect", "mixed"}
LABELS = {"PERSON", "ORG", "GPE", "NORP", None}
KEYS = ["file", "text_sha256", "paragraph", "start", "end", "quote", "kind", "cue", "speaker",
        "speaker_start", "speaker_end", "entity", "label", "notes"]


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_gold() -> tuple[list[dict], list[dict]]:
    """The gold quotations and the annotated articles (each annotated completely)."""
    return _jsonl(HERE / "quotes_gold.jsonl"), _jsonl(HERE / "articles.jsonl")


def read_texts(corpus: Path = DEFAULT_CORPUS, files=None, workers: int = 1):
    """Extract the annotated pages again: the articles frame plus a ``file`` column."""
    import toolkit as tk

    files = sorted({a["file"] for a in load_gold()[1]}) if files is None else files
    paths = [str(Path(corpus) / name) for name in files]
    articles = tk.read_articles(paths, workers=workers, progress=False)
    articles["file"] = articles["source_uri"].map(lambda uri: Path(str(uri)).name)
    return articles


def _occurrences(text: str, needle: str) -> list[int]:
    found, at = [], text.find(needle)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def relocate(gold: list[dict], texts: dict[str, str], old_lengths: dict[str, int] | None = None):
    """Move every entry onto ``texts`` (file -> text); return (entries, lost entries)."""
    moved, lost = [], []
    for entry in gold:
        text = texts.get(entry["file"])
        if text is None:
            lost.append((entry, "article not extracted"))
            continue
        if sha(text) == entry["text_sha256"]:
            moved.append(entry)
            continue
        starts = _occurrences(text, entry["quote"])
        speakers = _occurrences(text, entry["speaker"])
        if not starts or not speakers:
            lost.append((entry, "quote not found" if not starts else "speaker not found"))
            continue
        old_length = (old_lengths or {}).get(entry["file"]) or len(text)
        target = entry["start"] / max(1, old_length) * len(text)
        start = min(starts, key=lambda i: abs(i - target))
        speaker_target = start + entry["speaker_start"] - entry["start"]
        speaker = min(speakers, key=lambda i: abs(i - speaker_target))
        moved.append(dict(
            entry, text_sha256=sha(text), start=start, end=start + len(entry["quote"]),
            paragraph=text.count("\n", 0, start), speaker_start=speaker,
            speaker_end=speaker + len(entry["speaker"]),
        ))
    return moved, lost


def problems(gold: list[dict], articles: list[dict]) -> list[str]:
    """What is malformed in the gold files themselves (independent of any text)."""
    errors = []
    per_file = collections.Counter(q["file"] for q in gold)
    for number, entry in enumerate(gold, 1):
        where = f"quotes_gold.jsonl:{number}"
        if sorted(entry) != sorted(KEYS):
            errors.append(f"{where}: keys {sorted(entry)}")
            continue
        if entry["end"] - entry["start"] != len(entry["quote"]):
            errors.append(f"{where}: end - start != len(quote)")
        if entry["speaker_end"] - entry["speaker_start"] != len(entry["speaker"]):
            errors.append(f"{where}: speaker offsets do not span the speaker")
        if entry["kind"] not in KINDS or entry["label"] not in LABELS:
            errors.append(f"{where}: kind {entry['kind']!r} or label {entry['label']!r}")
        if (entry["entity"] is None) != (entry["label"] is None):
            errors.append(f"{where}: entity and label must be null together")
    for article in articles:
        if article.get("complete") is not True:
            errors.append(f"articles.jsonl: {article['file']} is not complete")
        if article["n_quotes"] != per_file.get(article["file"], 0):
            errors.append(f"articles.jsonl: {article['file']} n_quotes does not match")
    return errors


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    gold, articles = load_gold()
    errors = problems(gold, articles)
    frame = read_texts(args.corpus)
    texts = dict(zip(frame["file"], frame["text"], strict=True))
    moved, lost = relocate(gold, texts)
    for entry, why in lost:
        errors.append(f"lost ({why}): {entry['file']} {entry['quote'][:60]!r}")
    changed = sum(texts.get(a["file"]) is not None and sha(texts[a["file"]]) != a["text_sha256"]
                  for a in articles)
    kinds = collections.Counter(q["kind"] for q in moved)
    print(f"{len(gold)} quotations in {len(articles)} articles; {changed} article text(s) changed "
          f"since annotation; {len(moved)} re-located, {len(lost)} lost; kinds {dict(kinds)}")
    print("\n".join(errors))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
