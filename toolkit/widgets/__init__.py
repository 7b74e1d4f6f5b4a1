"""Interactive explorers for JupyterLab (ipywidgets).

In: the mentions, pairs and articles frames. Out: a widget to pick an entity,
see its neighbours ranked by an association measure and read the evidence
sentences (:func:`entity_explorer`). The widget's methods can be called from code
and tests; nothing here computes what the frames do not already hold.
"""

from toolkit.lazy import exports

__all__, __getattr__, __dir__ = exports(
    __name__,
    {
        "entity_explorer": "explorer",
        "EntityExplorer": "explorer",
        "neighbours": "explorer",
    },
)
