"""The topic step of a run: what the articles are about, and how that changes over time."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from toolkit.report.config import RunConfig
from toolkit.report.results import Figure, Note, Section, StepResult, Table
from toolkit.report.steps_terms import PERIOD_NAMES, choose_freq

TOPICS = Section(
    "topics",
    "Topics",
    "Groups of words that tend to occur in the same articles (a topic model fitted with "
    "scikit-learn to the same word counts as the term tables). Each topic is named by its "
    "three heaviest words; its coherence (NPMI of its ten top words over the articles: 1 "
    "when they always come together, 0 when independent) says how well they hang together.",
)
#: Fewest articles per topic: below it, the number of topics is lowered.
ARTICLES_PER_TOPIC = 3


def topics_step(inputs: Mapping[str, Any], config: RunConfig) -> StepResult:
    """Fit the topics of the usable articles; give ``topics``."""
    from toolkit.plots import plot_topic_terms, plot_topic_trends
    from toolkit.text.topic_models import topic_trends, topics

    usable = inputs["usable"]
    if usable.empty:
        return StepResult(outputs={"topics": None})
    result = StepResult(TOPICS, outputs={"topics": None})
    k = min(config.n_topics, len(usable) // ARTICLES_PER_TOPIC)
    if k < 2:
        result.add(Note(f"A topic model needs at least {2 * ARTICLES_PER_TOPIC} readable "
                        f"articles; there are {len(usable)}.", kind="missing"))
        return result
    try:
        model = topics(usable, k=k, method=config.topic_method, min_df=2,
                       **config.term_kwargs())
    except ValueError as error:  # too few shared words for k topics
        result.add(Note(f"No topic model: {error}.", kind="missing"))
        return result
    result.outputs["topics"] = model
    result.record["topics"] = {"method": model.method, "k": model.k, "seed": model.seed,
                               "coherence": round(model.coherence, 4),
                               "terms": model.n_terms, "articles": model.n_articles}
    if k < config.n_topics:
        result.add(Note(f"{k} topics instead of {config.n_topics}: at least "
                        f"{ARTICLES_PER_TOPIC} articles per topic."))
    result.add(
        Figure(plot_topic_terms, model.terms, {"labels": model.labels, "n": 8},
               "topic_terms", "Topics: their top terms", data=model.terms,
               caption=f"{model.k} topics ({model.method.upper()}, seed {model.seed}); each "
               "panel a topic's heaviest words, its share of the articles and its "
               f"coherence (mean NPMI {model.coherence:.2f})."),
        Table(model.labels, "topic_labels", "Topics",
              caption="Each topic's label (top three words), coherence and share."),
        Table(model.terms, "topic_terms", "Topic terms", show=0),
        Table(model.articles, "article_topics", "Topics of each article", show=0),
    )
    dates = usable["date"].dropna()
    if dates.nunique() < 2:
        result.add(Note("Fewer than two distinct dates: no topic trends over time."))
        return result
    freq = choose_freq(dates, config.trend_freq)
    trends = topic_trends(usable, model=model, freq=freq)
    result.add(
        Figure(plot_topic_trends, trends, {"title": f"Topic shares per {PERIOD_NAMES[freq]}"},
               "topic_trends", "Topic shares over time", data=trends,
               caption="Each topic's share of the articles published per "
               f"{PERIOD_NAMES[freq]} (numbers above: articles); a period with one article "
               "shows that article's topics."),
        Table(trends, "topic_trends", "Topic shares over time", show=0),
    )
    return result
