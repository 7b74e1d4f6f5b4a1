"""Importing this module pays extraction's one-off costs in the importing process.

The extraction workers' fork server imports it once (see ``ingest.iter_rows``),
so every worker forked from it starts with trafilatura, the language model and
dateparser's locale patterns loaded, instead of paying seconds on its first
pages (which could trip the per-page time limit).
"""

import gc

from toolkit.extract.page import preload

preload()

# Everything loaded so far lives as long as the workers: move it out of the cyclic
# garbage collector's reach, so collections in the workers stay cheap and do not
# touch (and copy) the pages they share with this fork server.
gc.freeze()
