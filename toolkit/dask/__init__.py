"""The Dask add-on: the heavy steps on a cluster, and counting datasets larger than memory.

In: a ``scheduler=`` (a ``distributed.Client``, a cluster, a scheduler address)
given to ``read_articles`` or ``extract_entities``; a Dask DataFrame or the path of
a Parquet dataset given to ``term_counts``, ``cooccurrence`` or
``load_articles(..., lazy=True)``. Out: the same pandas frames the core gives for
the same rows. The core never imports this package: it finds it through the
``toolkit.addons`` entry point (``pyproject.toml``), and importing it registers it
too. Needs ``pip install 'toolkit[dask]'``.
"""

from toolkit import addons
from toolkit.dask.addon import ADDON
from toolkit.lazy import exports

addons.register(ADDON)

__all__, __getattr__, __dir__ = exports(
    __name__,
    {
        "DaskExecutor": "cluster",
        "get_client": "cluster",
        "client_for": "cluster",
        "local_cluster": "cluster",
        "dask_term_counts": "scale",
        "dask_cooccurrence": "scale",
        "read_dataset": "scale",
    },
)
