"""An ipywidgets explorer of the entity network: who is named with whom, and where.

    explorer = tk.entity_explorer(mentions, pairs, articles)
    explorer            # in a notebook cell: the widget

Pick an entity in the dropdown: the table lists its neighbours (the entities named
with it in the same window) with their association measures. Pick a neighbour: the
evidence sentences naming both are shown, the two names highlighted. The slider
sets the minimum co-occurrence count a neighbour needs to be listed.

The widget's state changes through plain methods (:meth:`EntityExplorer.show_neighbours`,
:meth:`EntityExplorer.show_evidence`) that the widget events call, so code and tests can
drive it by setting ``explorer.entity.value``, ``explorer.min_count.value`` and
``explorer.neighbour.value`` and reading ``explorer.neighbours_html.value`` and
``explorer.evidence_html.value``.

JupyterLab's own table style does not reach an HTML widget, so the neighbours table
carries its style (padding, numbers right-aligned), scoped to the explorer. The
dropdowns are as wide as their longest entry. A widget is not saved with the
notebook: reopened, JupyterLab shows "Error displaying widget: model not found", and
the explorer's output says under it to run the cell again (a text fallback in its
display data says the same where widgets do not render).
"""

from __future__ import annotations

import html
import logging
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
from IPython.display import display

from toolkit.report.tables import html_table, table_css
from toolkit.schema import string_ids, usable_articles

logger = logging.getLogger(__name__)

#: Columns of the neighbours table, in order.
NEIGHBOUR_COLUMNS = ["neighbour", "label", "count", "n_articles", "pmi", "npmi", "g2",
                     "jaccard", "dice"]
SORT_KEYS: tuple[str, ...] = ("count", "n_articles", "pmi", "npmi", "g2", "jaccard", "dice")
_PAIR_NEEDED = ("entity_a", "entity_b", "label_a", "label_b", "count")
#: Class of the explorer's box: scopes the table style and marks a live explorer.
CSS_CLASS = "toolkit-explorer"
#: Class of the note shown under an explorer whose widget did not come back.
STALE_CLASS = "toolkit-explorer-stale"
#: What to do when the widget is not there (a reopened notebook: widgets are not saved).
RERUN_HINT = (
    "The entity explorer is a live widget and is not saved with the notebook: "
    "run this cell to show it again."
)
#: Hides the note while the explorer renders in the output just before it
#: (JupyterLab, Notebook 7); where the note's style is stripped, the note stays visible.
_STALE_CSS = (
    f".jp-OutputArea-child:has(.{CSS_CLASS}) + .jp-OutputArea-child .{STALE_CLASS}"
    " { display: none; }"
    f" .{STALE_CLASS} {{ color: #555; font-style: italic; margin: .2rem 0; }}"
)
#: A dropdown as wide as its longest entry (ipywidgets fixes 300 px, cutting long names).
_FIT = {"width": "max-content", "max_width": "100%"}


def count_of(n: int, noun: str, plural: str | None = None) -> str:
    """``"1 mention"``, ``"3 mentions"`` (``plural`` when it is not ``noun + "s"``)."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def _check_inputs(mentions: pd.DataFrame, pairs: pd.DataFrame, articles: pd.DataFrame) -> None:
    missing = [c for c in _PAIR_NEEDED if c not in pairs.columns]
    if missing:
        raise ValueError(f"pairs needs the columns {missing} (from tk.cooccurrence)")
    if "period" in pairs.columns:
        raise ValueError(
            "pairs has a period column (time slices): pass one period, "
            "e.g. pairs[pairs['period'] == period].drop(columns='period')"
        )
    for name, frame, needed in (
        ("mentions", mentions, ("article_id", "start", "end", "entity")),
        ("articles", articles, ("article_id", "text")),
    ):
        absent = [c for c in needed if c not in frame.columns]
        if absent:
            raise ValueError(f"{name} needs the columns {absent}")


def neighbours(
    pairs: pd.DataFrame, entity: str, *, min_count: int = 1, sort: str = "count"
) -> pd.DataFrame:
    """Return the entities named together with ``entity``, with their measures.

    Parameters
    ----------
    pairs : pandas.DataFrame
        A pairs frame (``tk.cooccurrence``).
    entity : str
        The canonical entity name.
    min_count : int
        Leave out neighbours named with ``entity`` in fewer windows.
    sort : {"count", "n_articles", "pmi", "npmi", "g2", "jaccard", "dice"}
        Order of the rows (descending; ties by count, then name).

    Returns
    -------
    pandas.DataFrame
        Columns ``neighbour``, ``label`` (the neighbour's), ``count``, ``n_articles``,
        ``pmi``, ``npmi``, ``g2`` (signed: the most associated first),
        ``jaccard``, ``dice`` (those the pairs frame has).

    Raises
    ------
    ValueError
        For an unknown ``sort`` key.
    """
    if sort not in SORT_KEYS:
        raise ValueError(f"sort must be one of {', '.join(SORT_KEYS)}; got {sort!r}")
    side_a = pairs["entity_a"].eq(entity)
    side_b = pairs["entity_b"].eq(entity)
    chosen = pairs.loc[(side_a | side_b) & pairs["count"].ge(min_count)]
    is_a = side_a.loc[chosen.index].to_numpy()
    frame = chosen.assign(
        neighbour=np.where(is_a, chosen["entity_b"], chosen["entity_a"]),
        label=np.where(is_a, chosen["label_b"], chosen["label_a"]),
    )
    columns = [c for c in NEIGHBOUR_COLUMNS if c in frame.columns]
    keys = list(dict.fromkeys([sort if sort in frame.columns else "count", "count", "neighbour"]))
    ascending = [k == "neighbour" for k in keys]
    return frame[columns].sort_values(keys, ascending=ascending, kind="stable").reset_index(
        drop=True
    )


def _highlight(text: str, spans: list[tuple[int, int]]) -> str:
    """Escape ``text`` and wrap the non-overlapping ``spans`` (offsets into it) in <mark>."""
    parts, last = [], 0
    for start, end in sorted(spans):
        if start < last or start < 0 or end > len(text):
            continue
        parts.append(html.escape(text[last:start]))
        parts.append(f"<mark>{html.escape(text[start:end])}</mark>")
        last = end
    parts.append(html.escape(text[last:]))
    return "".join(parts)


def _table_html(frame: pd.DataFrame) -> str:
    """The neighbours as a table styled for the explorer (padding, numbers right-aligned)."""
    style = table_css(f".{CSS_CLASS} table.data")
    return f"<style>{style}</style>{html_table(frame, classes='data')}"


class EntityExplorer(widgets.VBox):
    """The explorer widget: entity dropdown, min-count slider, neighbours, evidence.

    Parameters
    ----------
    mentions : pandas.DataFrame
        The mentions frame (``tk.extract_entities``).
    pairs : pandas.DataFrame
        The pairs frame of those mentions (``tk.cooccurrence``), one period.
    articles : pandas.DataFrame
        The articles frame the mentions come from, or some of its rows (the
        evidence comes from those).
    window : {"sentence", "paragraph", "article"} or int, optional
        Window of the evidence; default the pairs' own (``pairs.attrs["window"]``).
    max_neighbours : int
        Rows shown in the neighbours table.
    max_evidence : int
        Evidence windows shown.

    Attributes
    ----------
    entity : ipywidgets.Dropdown
        The entity (values are canonical names, most mentioned first).
    min_count : ipywidgets.IntSlider
        Minimum co-occurrence count of a listed neighbour.
    sort : ipywidgets.Dropdown
        Measure that orders the neighbours.
    neighbour : ipywidgets.Dropdown
        The neighbour whose evidence is shown.
    neighbours_html, evidence_html : ipywidgets.HTML
        The rendered neighbours table and evidence.
    """

    def __init__(
        self,
        mentions: pd.DataFrame,
        pairs: pd.DataFrame,
        articles: pd.DataFrame,
        *,
        window: Any = None,
        max_neighbours: int = 30,
        max_evidence: int = 20,
    ) -> None:
        _check_inputs(mentions, pairs, articles)
        # str ids on both sides (a CSV may give numbers); a repeated article id fails here
        self.mentions = mentions.assign(article_id=string_ids(mentions["article_id"]))
        self.pairs = pairs
        self.articles = usable_articles(articles)
        self.window = window or pairs.attrs.get("window", "sentence")
        self.max_neighbours = max_neighbours
        self.max_evidence = max_evidence
        self.table = pd.DataFrame(columns=NEIGHBOUR_COLUMNS)
        self.evidence_rows = pd.DataFrame()
        self._quiet = False
        top_count = int(pairs["count"].max()) if not pairs.empty else 1
        self.entity = widgets.Dropdown(
            options=self._entity_options(), description="Entity", layout=_FIT
        )
        self.min_count = widgets.IntSlider(
            value=1, min=1, max=max(top_count, 1), description="Min count",
            continuous_update=False,
        )
        self.sort = widgets.Dropdown(options=list(SORT_KEYS), value="count", description="Sort by")
        self.neighbour = widgets.Dropdown(options=[], description="Neighbour", layout=_FIT)
        self.neighbours_html = widgets.HTML()
        self.evidence_html = widgets.HTML()
        for control in (self.entity, self.min_count, self.sort):
            control.observe(self._on_filter, names="value")
        self.neighbour.observe(self._on_neighbour, names="value")
        super().__init__(
            [
                widgets.HBox([self.entity, self.sort]),
                self.min_count,
                self.neighbours_html,
                self.neighbour,
                self.evidence_html,
            ]
        )
        self.add_class(CSS_CLASS)
        self.show_neighbours()

    # display --------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The widget, with a text and HTML fallback saying what it is and what to do."""
        bundle = super()._repr_mimebundle_(**kwargs)
        entities = count_of(len(self.entity.options), "entity", "entities")
        summary = f"Entity explorer ({entities}, {count_of(len(self.pairs), 'pair')})."
        bundle["text/plain"] = f"{summary} {RERUN_HINT}"
        bundle["text/html"] = f"<p><b>{html.escape(summary)}</b> {html.escape(RERUN_HINT)}</p>"
        return bundle

    def _ipython_display_(self) -> None:
        """Show the widget, then a note that shows only when the widget does not render.

        JupyterLab renders the widget part of the display data whenever it can: a
        reopened notebook's explorer reads "Error displaying widget: model not found"
        and never shows the fallback text, so the hint comes as a second output,
        hidden by CSS while the explorer is live.
        """
        display(self._repr_mimebundle_(), raw=True)
        display(
            {
                "text/html": f'<style>{_STALE_CSS}</style><p class="{STALE_CLASS}">'
                f"{html.escape(RERUN_HINT)}</p>",
            },
            raw=True,
        )

    # options --------------------------------------------------------------------------

    def _entity_options(self) -> list[tuple[str, str]]:
        """(label, name) of every entity of the pairs, most mentioned first."""
        names = pd.unique(pd.concat([self.pairs["entity_a"], self.pairs["entity_b"]]))
        counts = self.mentions["entity"].value_counts().reindex(names, fill_value=0)
        labels = self._labels()
        order = sorted(names, key=lambda n: (-int(counts[n]), str(n)))
        return [
            (f"{n} ({labels.get(n, '?')}, {count_of(int(counts[n]), 'mention')})", n)
            for n in order
        ]

    def _labels(self) -> dict[str, str]:
        sides = [
            self.pairs[[f"entity_{s}", f"label_{s}"]].set_axis(["entity", "label"], axis=1)
            for s in ("a", "b")
        ]
        both = pd.concat(sides).drop_duplicates("entity")
        return dict(zip(both["entity"], both["label"], strict=True))

    # state updates (called by the widget events; plain methods for code and tests) ------

    def _on_filter(self, _change: dict) -> None:
        self.show_neighbours()

    def _on_neighbour(self, _change: dict) -> None:
        if not self._quiet:
            self.show_evidence()

    def show_neighbours(self) -> pd.DataFrame:
        """Recompute the neighbours of the chosen entity and render them.

        Returns
        -------
        pandas.DataFrame
            The neighbours table (see :func:`neighbours`), also kept in ``self.table``.
        """
        entity = self.entity.value
        if entity is None:
            self.table = pd.DataFrame(columns=NEIGHBOUR_COLUMNS)
            self.neighbours_html.value = "<p><i>No two entities are named together.</i></p>"
        else:
            self.table = neighbours(
                self.pairs, entity, min_count=self.min_count.value, sort=self.sort.value
            )
            self.neighbours_html.value = self._neighbours_html(entity)
        names = list(self.table["neighbour"].head(self.max_neighbours))
        previous = self.neighbour.value
        # Setting the options fires value changes; render the evidence once, at the end.
        self._quiet = True
        try:
            self.neighbour.options = names
            self.neighbour.value = previous if previous in names else (names[0] if names else None)
        finally:
            self._quiet = False
        self.show_evidence()
        return self.table

    def _neighbours_html(self, entity: str) -> str:
        title = html.escape(entity)
        windows = html.escape(count_of(self.min_count.value, f"{self._window_name()} window"))
        if self.table.empty:
            return (
                f"<p><i>No entity is named with <b>{title}</b> in at least "
                f"{windows}.</i></p>"
            )
        shown = self.table.head(self.max_neighbours)
        more = len(self.table) - len(shown)
        tail = f"<p><i>… and {more} more: raise the minimum count.</i></p>" if more else ""
        found = count_of(len(self.table), "neighbour")
        return (
            f"<p><b>{found}</b> of <b>{title}</b> "
            f"(named together in at least {windows}, "
            f"sorted by {html.escape(self.sort.value)}):</p>{_table_html(shown)}{tail}"
        )

    def _window_name(self) -> str:
        """"sentence", "paragraph", "article" or "10-token" (a window of tokens)."""
        return f"{self.window}-token" if isinstance(self.window, int) else str(self.window)

    def show_evidence(self) -> pd.DataFrame:
        """Find and render the windows naming both the entity and the chosen neighbour.

        Returns
        -------
        pandas.DataFrame
            The evidence frame of ``tk.evidence`` (empty when no neighbour is chosen),
            also kept in ``self.evidence_rows``.
        """
        from toolkit.entities.passages import evidence

        entity, other = self.entity.value, self.neighbour.value
        if entity is None or other is None:
            self.evidence_rows = pd.DataFrame()
            self.evidence_html.value = ""
            return self.evidence_rows
        self.evidence_rows = evidence(
            self.mentions, self.articles, entity, other, window=self.window
        )
        self.evidence_html.value = self._evidence_html(entity, other)
        return self.evidence_rows

    def _evidence_html(self, entity: str, other: str) -> str:
        rows = self.evidence_rows
        head = (
            f"<p><b>{html.escape(count_of(len(rows), self._window_name() + ' window'))}</b> "
            f"naming both <b>{html.escape(entity)}</b> and <b>{html.escape(other)}</b>:</p>"
        )
        items = []
        for row in rows.head(self.max_evidence).itertuples(index=False):
            spans = self._spans(row, {entity, other})
            source = html.escape(str(row.title)) if isinstance(row.title, str) else row.article_id
            when = f", {row.date:%Y-%m-%d}" if isinstance(row.date, pd.Timestamp) else ""
            items.append(
                f"<li>{_highlight(row.text, spans)}<br><small>{source}{when}</small></li>"
            )
        return head + f"<ol>{''.join(items)}</ol>"

    def _spans(self, row: Any, names: set[str]) -> list[tuple[int, int]]:
        """Offsets (into the window's text) of the mentions of ``names`` in that window."""
        m = self.mentions
        inside = m.loc[
            m["article_id"].eq(row.article_id)
            & m["start"].ge(row.start)
            & m["end"].le(row.end)
            & m["entity"].isin(names)
        ]
        return [(int(s) - row.start, int(e) - row.start) for s, e in zip(inside["start"],
                                                                         inside["end"],
                                                                         strict=True)]


def entity_explorer(
    mentions: pd.DataFrame,
    pairs: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    window: Any = None,
    max_neighbours: int = 30,
    max_evidence: int = 20,
) -> EntityExplorer:
    """Return an ipywidgets explorer of the entities, their neighbours and the evidence.

    Parameters
    ----------
    mentions : pandas.DataFrame
        The mentions frame (``tk.extract_entities``).
    pairs : pandas.DataFrame
        Its pairs frame (``tk.cooccurrence``), one period.
    articles : pandas.DataFrame
        The articles frame (for the evidence sentences), or some of its rows.
    window : {"sentence", "paragraph", "article"} or int, optional
        Window of the evidence; default ``pairs.attrs["window"]``.
    max_neighbours, max_evidence : int
        Rows shown in the neighbours table and evidence list.

    Returns
    -------
    EntityExplorer
        An ``ipywidgets.VBox``: display it in a notebook cell.

    Raises
    ------
    ValueError
        When a frame lacks a needed column, ``pairs`` holds several periods, or an
        article id is repeated.
    """
    return EntityExplorer(
        mentions,
        pairs,
        articles,
        window=window,
        max_neighbours=max_neighbours,
        max_evidence=max_evidence,
    )
