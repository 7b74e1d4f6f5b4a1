"""When no input was read: a stop that says why (counts by status, the first reasons)."""

from __future__ import annotations

import pandas as pd
import pytest

from toolkit.ingest.read import read_articles
from toolkit.ingest.summary import (
    NoReadableArticles,
    failure_reasons,
    require_readable,
    status_line,
)
from toolkit.schema import conform_articles


def _rows(*rows) -> pd.DataFrame:
    return conform_articles(pd.DataFrame([
        {"article_id": f"a{i}", "source_uri": uri, "status": status, "error": error,
         "text": "Some text." if status == "ok" else None}
        for i, (uri, status, error) in enumerate(rows)
    ]))


def test_a_frame_with_a_readable_article_passes_through():
    articles = _rows(("a.html", "ok", None), ("b.html", "error", "file not found: b.html"))
    assert require_readable(articles) is articles


def test_nothing_readable_raises_with_the_counts_and_the_first_reasons(tmp_path):
    missing = [str(tmp_path / f"m{i}.html") for i in range(4)]
    (tmp_path / "empty.html").write_bytes(b"")
    articles = read_articles([str(tmp_path / "empty.html"), *missing], progress=False)
    with pytest.raises(NoReadableArticles) as error:
        require_readable(articles)
    assert isinstance(error.value, ValueError)
    assert error.value.counts == {"error": 4, "empty": 1}
    assert str(error.value).startswith(
        "no input gave a readable article (empty 1, error 4): "
        f"file://{tmp_path / 'empty.html'}: empty: "
    )
    assert error.value.reasons[1] == f"{missing[0]}: error: file not found: {missing[0]}"
    assert error.value.reasons[-1] == "... and 2 more (see the status and error columns)"


def test_an_empty_frame_has_no_documents():
    with pytest.raises(NoReadableArticles, match=r"\(no documents\)$"):
        require_readable(_rows())


def test_status_line_and_reasons():
    assert status_line({"ok": 2, "error": 1}) == "error 1, ok 2"
    articles = _rows(("a.html", "duplicate", None), ("b.html", "timeout", "took too long"))
    assert failure_reasons(articles) == ["b.html: timeout: took too long"]
