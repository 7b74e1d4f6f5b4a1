"""The ``toolkit`` command: ``run``, ``ingest``, ``setup`` and ``cache``.

In: command-line arguments (and a run configuration file). Out: the report
folder, an articles file or dataset, the resource summary; an exit status
(0 done, 1 no input gave an article, 2 bad arguments, 130 interrupted).
The command builds the option objects once and calls the public functions of
the stages below it; it holds no analysis of its own.
"""

from toolkit.cli.commands import main

__all__ = ["main"]
