"""The Dask add-on as the core sees it: found through the ``toolkit.addons`` entry point.

The core asks it for an executor when a user passes ``scheduler=``, and hands it
partitioned data (a Dask DataFrame, the path of a Parquet dataset) given to
``term_counts``, ``cooccurrence`` or ``load_articles(..., lazy=True)``. Nothing
here imports Dask until one of those calls.
"""

from __future__ import annotations

import sys
from typing import Any


class DaskAddon:
    """The methods ``toolkit.addons`` looks for (see that module)."""

    name = "dask"

    def executor(self, scheduler: Any):
        """A :class:`toolkit.dask.cluster.DaskExecutor` for a client, cluster or address."""
        from toolkit.dask.cluster import DaskExecutor

        if not _is_scheduler(scheduler):
            return None
        return DaskExecutor(scheduler)

    def claims(self, data: Any) -> bool:
        """Whether ``data`` is a Dask DataFrame or the path of a dataset."""
        import os

        from toolkit.dask.scale import is_dask_frame

        return is_dask_frame(data) or isinstance(data, (str, os.PathLike))

    def term_counts(self, data: Any, **options: Any):
        from toolkit.dask.scale import dask_term_counts

        return dask_term_counts(data, **options)

    def cooccurrence(self, data: Any, **options: Any):
        from toolkit.dask.scale import dask_cooccurrence

        return dask_cooccurrence(data, **options)

    def read_dataset(self, path: Any, **options: Any):
        from toolkit.dask.scale import read_dataset

        return read_dataset(path, **options)


def _is_scheduler(scheduler: Any) -> bool:
    """A ``distributed.Client``, a cluster (it has a scheduler address) or an address string."""
    distributed = sys.modules.get("distributed")
    if distributed is not None and isinstance(scheduler, distributed.Client):
        return True
    address = getattr(scheduler, "scheduler_address", scheduler)
    return isinstance(address, str) and bool(address)


#: The object the entry point names.
ADDON = DaskAddon()
