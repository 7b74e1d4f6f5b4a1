"""The main job (``toolkit run``): the whole analysis of a corpus, written to one folder.

In: sources and one run configuration (:class:`RunConfig`). Out: a folder with
``index.html``, ``report.json``, the articles, every table (CSV and Parquet),
every chart (PNG/SVG/PDF with its CSV) and the entity network (GEXF, GraphML).
The steps (``steps_*``) take frames and return named frames, tables, charts and
notes; ``run`` runs them in order (a step whose input failed says so); the
``writer`` and ``page`` modules write what they returned (``tables`` renders a frame as
an HTML table).
"""

from toolkit.lazy import exports

__all__, __getattr__, __dir__ = exports(
    __name__,
    {
        "run_report": "run",
        "RunConfig": "config",
        "outlets": "run",
        "html_table": "tables",
    },
)
