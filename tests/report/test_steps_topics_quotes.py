"""The topic and quotation steps on their own: what they show, and what they say when thin."""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.report.config import RunConfig
from toolkit.report.results import Figure, Note, Table
from toolkit.report.steps_quotes import quotes_step
from toolkit.report.steps_topics import topics_step
from toolkit.schema import conform_articles

WORDS = ("goal striker referee stadium league penalty coach fans match keeper pitch",
         "shares investors stocks bond inflation dividend trader earnings index rally yields",
         "rain storm forecast temperature wind snow flood drought humidity cloud frost")


def usable(n_per_topic: int = 6) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    rows = [{"article_id": f"t{t}-{i}", "text": " ".join(rng.choice(words.split(), 25)),
             "date": pd.Timestamp(2021, 1 + i, 1), "sitename": "Daily"}
            for t, words in enumerate(WORDS) for i in range(n_per_topic)]
    frame = conform_articles(pd.DataFrame(rows).assign(status="ok", language="en"))
    return frame.assign(outlet=frame["sitename"])


def names(result) -> dict[str, list[str]]:
    return {kind.__name__: [i.name for i in result.items if isinstance(i, kind)]
            for kind in (Figure, Table)}


def test_topics_step_shows_the_topics_and_their_trend():
    result = topics_step({"usable": usable()}, RunConfig(n_topics=3))
    shown = names(result)
    assert shown["Figure"] == ["topic_terms", "topic_trends"]
    assert shown["Table"] == ["topic_labels", "topic_terms", "article_topics", "topic_trends"]
    model = result.outputs["topics"]
    assert model.k == 3 and result.record["topics"]["method"] == "nmf"


def test_topics_step_lowers_k_or_says_why_there_are_none():
    result = topics_step({"usable": usable(2)}, RunConfig(n_topics=8))
    assert result.outputs["topics"].k == 2  # 6 articles, three per topic
    assert any("2 topics instead of 8" in i.text for i in result.items if isinstance(i, Note))
    few = topics_step({"usable": usable(1)}, RunConfig())
    assert few.outputs["topics"] is None
    assert [i.kind for i in few.items if isinstance(i, Note)] == ["missing"]


def test_quotes_step_without_entities_says_so():
    result = quotes_step({"usable": usable(), "mentions": None}, RunConfig())
    assert result.outputs["quotes"] is None
    assert [i.kind for i in result.items] == ["missing"]
