"""Lazy re-exports for the front module of each package.

A front module names its public functions and the module of its package that
defines each; the module is imported on first use. So ``import toolkit.text``
(or importing one module of a package, which runs the package's front) loads
nothing heavy, and ``dir()`` lists the public names only.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def exports(
    package: str, names: dict[str, str]
) -> tuple[list[str], Callable[[str], Any], Callable[[], list[str]]]:
    """Return ``__all__``, ``__getattr__`` and ``__dir__`` for a front module.

    Parameters
    ----------
    package : str
        The front module's ``__name__``.
    names : dict
        Public name -> module that defines it (relative to ``package``).

    Returns
    -------
    tuple
        ``(__all__, __getattr__, __dir__)``, to assign in the front module.
    """
    public = sorted(names)

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    def __dir__() -> list[str]:
        return list(public)

    return public, __getattr__, __dir__
