"""Importing this module pays extraction's one-off costs in the importing process.

The extraction workers' fork server imports it once (see ``ingest.iter_rows``),
so every worker forked from it starts with trafilatura, the language model and
dateparser's locale patterns loaded, instead of paying seconds on its first
pages (which could trip the per-page time limit).
"""

from .extract import preload

preload()
