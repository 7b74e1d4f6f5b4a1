"""Charts of the toolkit's frames, in one style, and a safe way to save them.

In: a frame (term table, keyness table, trends, dispersion, pairs, quote counts,
topic terms and trends) or an entity graph. Out: a matplotlib Axes (``plot_*``),
and PNG/SVG/PDF files with the CSV that drew them (:func:`save_figure`).

Every ``plot_*`` function takes a frame first and keyword-only options, draws into
``ax`` (a new figure of a sensible size when None), and returns the Axes; it never
shows or saves. The look comes from the package style sheet ``toolkit.mplstyle``,
applied only while a chart draws (:func:`plot_style`), so importing the toolkit
changes no global matplotlib setting. Empty input draws a centred message; a missing
column raises ValueError naming the needed ones.

    ax = plot_top_terms(counts, n=20)
    save_figure(ax, "top terms", data=counts)   # reports/figures/top-terms.{png,svg,pdf,csv}

Fonts: DejaVu Sans (bundled with matplotlib) draws Latin, Greek, Cyrillic and Arabic.
Installed CJK fonts (Noto Sans CJK, Source Han Sans, WenQuanYi, ...) are added as
per-glyph fallbacks; without one, Chinese labels draw as boxes and nothing fails.
Matplotlib then warns once per missing character when a figure is shown;
:func:`save_figure` gathers those into one log warning that says how to fix it.

Choices: a term table with several groups draws as small multiples (one panel per
group; pass ``group=`` to draw one group into a given Axes); keyness shows up to ``n``
significant terms per side; the heatmap takes the entities of the strongest pairs,
grouped in connected blocks; the network draws only the ``top`` edges, lays out each
connected component on its own (deterministic, no overlapping nodes) and writes each
name next to its own node (a dotted leader line when it had to move), the ten
biggest always, the others where they fit; term trends label their periods by the
``freq`` that ``term_trends`` records (day, week, month, quarter, year).

:func:`plot_style` restores every rcParam after a chart but the interactive flag:
pyplot turns it on with the first figure in a Jupyter kernel, and every later chart
needs it to show without ``%matplotlib inline``.
"""

from __future__ import annotations

from toolkit.plots.base import LABEL_COLORS, plot_style, style_path
from toolkit.plots.distinctive import plot_distinctive_terms
from toolkit.plots.entities import plot_cooccurrence_heatmap
from toolkit.plots.network import plot_network
from toolkit.plots.quotes import plot_quotes
from toolkit.plots.save import FORMATS, safe_name, save_figure
from toolkit.plots.terms import plot_keyness, plot_top_terms
from toolkit.plots.topics import plot_topic_terms, plot_topic_trends
from toolkit.plots.trends import plot_dispersion, plot_term_trends

__all__ = [
    "FORMATS",
    "LABEL_COLORS",
    "plot_cooccurrence_heatmap",
    "plot_dispersion",
    "plot_distinctive_terms",
    "plot_keyness",
    "plot_network",
    "plot_quotes",
    "plot_style",
    "plot_term_trends",
    "plot_topic_terms",
    "plot_topic_trends",
    "plot_top_terms",
    "safe_name",
    "save_figure",
    "style_path",
]
