"""The pages bar of an ingest: a total as soon as it is known, and the mean rate."""

from __future__ import annotations

import re
import time

from tests.report.test_report import PAGES, write_corpus
from toolkit.ingest.progress import PagesBar
from toolkit.ingest.read import read_articles
from toolkit.sources.document import Document


def _page(i: int, content: bytes | None = None) -> Document:
    return Document(source_uri=f"file:///p{i}.html", kind="page", path=f"/p{i}.html",
                    content=content)


def test_the_total_is_known_from_the_start_for_files_and_urls():
    bar = PagesBar((_page(i) for i in range(5)), progress=True)
    assert bar.bar.total == 5
    assert len(list(bar.documents())) == 5
    bar.close()


def test_pages_held_in_memory_are_not_listed_ahead_and_the_total_comes_at_the_end():
    listed = []

    def documents():
        for i in range(3):
            listed.append(i)
            yield _page(i, content=b"<p>a page read from an archive</p>")

    bar = PagesBar(documents(), progress=True)
    assert bar.bar.total is None and listed == [0]  # one page's bytes, not the archive's
    assert len(list(bar.documents())) == 3
    assert bar.bar.total == 3
    bar.close()


def test_the_rate_is_the_mean_over_the_run_not_the_last_interval(capsys):
    # the workers take a while to start, then five pages come at once: the bar showed
    # "5/? [2.35s/page]" for five pages read in two seconds
    bar = PagesBar((_page(i) for i in range(5)), progress=True)
    list(bar.documents())
    time.sleep(1.0)
    for _ in range(5):
        bar.update()
    shown = bar.bar.format_dict
    text = str(bar.bar)
    bar.close()
    mean = shown["n"] / shown["elapsed"]
    assert text.startswith("pages: 100%") and "5/5" in text
    rate = re.search(r"([\d.]+)page/s", text)
    assert rate, text
    assert abs(float(rate.group(1)) - mean) / mean < 0.1, (text, mean)


def test_read_articles_shows_the_total(tmp_path, capsys):
    sources = write_corpus(tmp_path / "pages")
    articles = read_articles(sources, workers=1)
    err = capsys.readouterr().err
    n = len(articles)
    assert n == len(PAGES) + 2
    assert f"{n}/{n}" in err and "/?" not in err
