"""Quotations: accuracy on the hand-annotated gold set next to textacy, and speed.

Accuracy (``tests/data/quotes/``: 412 quotations in 39 English corpus articles, each
article annotated completely). The articles are extracted again from the shared
corpus and the gold spans re-located by string (``check_gold.py``). Then, per article:

- **quote spans**: a found quotation matches a gold one when their character spans
  overlap by Jaccard >= 0.5 (one-to-one, best overlap first); "exact" when they are
  equal after stripping quote marks, spaces and trailing ``,.;:``. Precision over
  the quotations found, recall over the gold ones.
- **speaker**: a matched quotation whose speaker span overlaps the gold speaker span,
  or whose entity equals the gold entity. "quote+speaker" precision and recall
  count the quotations right in both.
- **entity**: of the matched quotations whose gold entity is set, the share whose
  entity equals it (case and full stops ignored); "lenient" also counts one name
  inside the other ("Michael Bloomberg" for "Michael R. Bloomberg", "Trump" for
  "Donald Trump"), which separates the speaker rules from alias resolution.

Peers on the same texts: textacy's ``direct_quotations`` (spaCy's dependency parse,
``en_core_web_sm*``), scored on the gold **direct** quotations against our direct
ones. Rows are printed for all articles and for the two halves of a fixed split by
file name (``dev``: the half the rules were tuned on; ``test``: the other).

Speed: ``extract_quotes`` (its own entity recognition included, ``mentions=None``)
and ``extract_quotes`` given the mentions, in articles/s, against ``extract_entities``
on the same articles (target >= 0.5x end to end). Best of ``--rounds``.

Usage::

    python bench/quotes.py [--rounds 3] [--json out.json] [--show-errors dev]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import re
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NLTK_DATA", str(SHARED / "nltk_data"))

from toolkit.entities import extract_entities  # noqa: E402
from toolkit.entities.quotes import extract_quotes  # noqa: E402

_STRIP = " \n\t,.;:\"'“”‘’«»「」"


def gold_module():
    spec = importlib.util.spec_from_file_location(
        "check_gold", ROOT / "tests" / "data" / "quotes" / "check_gold.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def half(file: str) -> str:
    """The fixed split: ``dev`` or ``test`` by the first byte of the name's sha256."""
    return "dev" if hashlib.sha256(file.encode()).digest()[0] % 2 == 0 else "test"


def _jaccard(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def _core(text: str, start: int, end: int) -> str:
    return text[start:end].strip(_STRIP)


def _same_entity(a, b) -> bool:
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    norm = lambda s: re.sub(r"[.\s]+", " ", s).strip().casefold()  # noqa: E731
    return norm(a) == norm(b)


def _same_entity_lenient(a, b) -> bool:
    """The same entity, or one name's words inside the other's ("Trump", "Donald Trump")."""
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    words_a = set(re.sub(r"[.’']s?\b", " ", a).casefold().split())
    words_b = set(re.sub(r"[.’']s?\b", " ", b).casefold().split())
    return bool(words_a) and bool(words_b) and (words_a <= words_b or words_b <= words_a)


def match(found: list[dict], gold: list[dict], text: str) -> list[tuple[dict, dict]]:
    """One-to-one pairs (found, gold) with Jaccard >= 0.5, best first."""
    candidates = sorted(
        ((_jaccard((f["start"], f["end"]), (g["start"], g["end"])), i, j)
         for i, f in enumerate(found) for j, g in enumerate(gold)),
        reverse=True,
    )
    used_f, used_g, pairs = set(), set(), []
    for score, i, j in candidates:
        if score < 0.5:
            break
        if i in used_f or j in used_g:
            continue
        used_f.add(i)
        used_g.add(j)
        pairs.append((found[i], gold[j]))
    return pairs


def speaker_right(found: dict, gold: dict) -> bool:
    if found.get("speaker_start") is not None and not pd.isna(found["speaker_start"]):
        span = (int(found["speaker_start"]), int(found["speaker_end"]))
        if min(span[1], gold["speaker_end"]) > max(span[0], gold["speaker_start"]):
            return True
    return _same_entity(found.get("entity"), gold["entity"])


def score(found_by_file: dict, gold_by_file: dict, texts: dict) -> dict:
    """Counts and precision/recall over the files of ``gold_by_file``."""
    n_found = n_gold = overlap = exact = speaker = entity_gold = entity_right = lenient = 0
    for file, gold in gold_by_file.items():
        found = found_by_file.get(file, [])
        text = texts[file]
        n_found += len(found)
        n_gold += len(gold)
        for f, g in match(found, gold, text):
            overlap += 1
            exact += _core(text, f["start"], f["end"]) == _core(text, g["start"], g["end"])
            speaker += speaker_right(f, g)
            if g["entity"] is not None:
                entity_gold += 1
                entity_right += _same_entity(f.get("entity"), g["entity"])
                lenient += _same_entity_lenient(f.get("entity"), g["entity"])

    def ratio(a, b):
        return round(a / b, 3) if b else None

    return {
        "gold": n_gold, "found": n_found,
        "span_precision": ratio(overlap, n_found), "span_recall": ratio(overlap, n_gold),
        "exact_precision": ratio(exact, n_found), "exact_recall": ratio(exact, n_gold),
        "speaker_precision": ratio(speaker, n_found), "speaker_recall": ratio(speaker, n_gold),
        "entity_accuracy": ratio(entity_right, entity_gold),
        "entity_lenient": ratio(lenient, entity_gold),
    }


def toolkit_quotes(articles: pd.DataFrame, mentions: pd.DataFrame) -> dict[str, list[dict]]:
    quotes = extract_quotes(articles, mentions=mentions, progress=False)
    files = dict(zip(articles["article_id"].astype(str), articles["file"], strict=True))
    out: dict[str, list[dict]] = {}
    for row in quotes.to_dict("records"):
        out.setdefault(files[row["article_id"]], []).append(row)
    return out


def textacy_quotes(articles: pd.DataFrame) -> tuple[dict[str, list[dict]], str]:
    """textacy's direct_quotations on each text (spaCy's full pipeline, parser included)."""
    import spacy
    from textacy.extract.triples import direct_quotations

    from toolkit.resources import find_spacy_model

    model = find_spacy_model()
    nlp = spacy.load(model.name)
    out: dict[str, list[dict]] = {}
    for file, text in zip(articles["file"], articles["text"], strict=True):
        doc = nlp(text)
        rows = []
        try:
            triples = list(direct_quotations(doc))
        except Exception as exc:  # textacy fails on some layouts; count it as nothing found
            print(f"  textacy failed on {file}: {type(exc).__name__}: {exc}")
            triples = []
        for triple in triples:
            content = triple.content
            start, end = content.start_char, content.end_char
            inner = text[start:end]
            start += len(inner) - len(inner.lstrip(_STRIP))
            end -= len(inner) - len(inner.rstrip(_STRIP))
            speaker = triple.speaker
            rows.append({
                "start": start, "end": end, "kind": "direct",
                "speaker_start": min(t.idx for t in speaker) if speaker else None,
                "speaker_end": max(t.idx + len(t) for t in speaker) if speaker else None,
                "entity": " ".join(t.text for t in speaker) if speaker else None,
            })
        out[file] = rows
    return out, f"textacy {__import__('textacy').__version__} + {model.name} {model.version}"


def accuracy(show_errors: str | None = None) -> dict:
    gold_tools = gold_module()
    gold, annotated = gold_tools.load_gold()
    articles = gold_tools.read_texts()
    texts = dict(zip(articles["file"], articles["text"], strict=True))
    moved, lost = gold_tools.relocate(gold, texts)
    if lost:
        print(f"{len(lost)} gold entries could not be re-located: they count as missed")
    by_file: dict[str, list[dict]] = {a["file"]: [] for a in annotated}
    for entry in moved:
        by_file[entry["file"]].append(entry)
    mentions = extract_entities(articles, progress=False)
    ours = toolkit_quotes(articles, mentions)
    peer, peer_name = textacy_quotes(articles)
    results = {"peer": peer_name, "rows": []}
    for part in ("all", "dev", "test"):
        files = {f: g for f, g in by_file.items() if part == "all" or half(f) == part}
        results["rows"].append({"part": part, "system": "toolkit", "kinds": "all",
                                **score(ours, files, texts)})
        direct_gold = {f: [g for g in q if g["kind"] == "direct"] for f, q in files.items()}
        direct_ours = {f: [q for q in qs if q["kind"] == "direct"] for f, qs in ours.items()}
        results["rows"].append({"part": part, "system": "toolkit", "kinds": "direct",
                                **score(direct_ours, direct_gold, texts)})
        results["rows"].append({"part": part, "system": "textacy", "kinds": "direct",
                                **score(peer, direct_gold, texts)})
        for kind in ("indirect", "mixed"):
            kind_gold = {f: [g for g in q if g["kind"] == kind] for f, q in files.items()}
            kind_ours = {f: [q for q in qs if q["kind"] == kind] for f, qs in ours.items()}
            results["rows"].append({"part": part, "system": "toolkit", "kinds": kind,
                                    **score(kind_ours, kind_gold, texts)})
    if show_errors:
        _print_errors(ours, by_file, texts, show_errors)
    return results


def _print_errors(ours, by_file, texts, part):
    for file, gold in by_file.items():
        if part != "all" and half(file) != part:
            continue
        found = ours.get(file, [])
        text = texts[file]
        pairs = match(found, gold, text)
        matched_f = {id(f) for f, _ in pairs}
        matched_g = {id(g) for _, g in pairs}
        for g in gold:
            if id(g) not in matched_g:
                print(f"MISSED {file} [{g['kind']} {g['cue']} | {g['speaker']}] "
                      f"{text[g['start']:g['end']][:110]!r}")
        for f in found:
            if id(f) not in matched_f:
                print(f"EXTRA  {file} [{f['kind']} {f['cue']} | {f['speaker']}] "
                      f"{text[f['start']:f['end']][:110]!r}")
        for f, g in pairs:
            if not speaker_right(f, g):
                print(f"SPEAKR {file} found {f['speaker']!r}->{f['entity']!r} gold "
                      f"{g['speaker']!r}->{g['entity']!r}: {text[g['start']:g['end']][:60]!r}")
            elif g["entity"] and not _same_entity(f["entity"], g["entity"]):
                print(f"ENTITY {file} found {f['speaker']!r}->{f['entity']!r} gold "
                      f"{g['speaker']!r}->{g['entity']!r}")


def speed(rounds: int) -> dict:
    gold_tools = gold_module()
    articles = gold_tools.read_texts(files=None)
    extract_entities(articles.head(2), progress=False)  # load the model once
    best = {"entities": float("inf"), "quotes": float("inf"), "quotes_given_mentions": float("inf")}
    mentions = None
    for _ in range(rounds):
        started = time.perf_counter()
        mentions = extract_entities(articles, progress=False)
        best["entities"] = min(best["entities"], time.perf_counter() - started)
        started = time.perf_counter()
        extract_quotes(articles, progress=False)
        best["quotes"] = min(best["quotes"], time.perf_counter() - started)
        started = time.perf_counter()
        extract_quotes(articles, mentions=mentions, progress=False)
        best["quotes_given_mentions"] = min(best["quotes_given_mentions"],
                                            time.perf_counter() - started)
    n = len(articles)
    rates = {k: round(n / v, 2) for k, v in best.items()}
    return {
        "articles": n, "articles_per_s": rates,
        "ratio_end_to_end": round(rates["quotes"] / rates["entities"], 3),
        "ratio_given_mentions": round(rates["quotes_given_mentions"] / rates["entities"], 3),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--show-errors", choices=["dev", "test", "all"])
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args(argv)
    results = accuracy(args.show_errors)
    table = pd.DataFrame(results["rows"])
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(f"peer: {results['peer']}")
        print(table.to_string(index=False))
    if not args.no_speed:
        results["speed"] = speed(args.rounds)
        print(json.dumps(results["speed"], indent=1))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
