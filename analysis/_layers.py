"""What lets a layer's modules be reached as attributes (an.present.casualties) before anything imported them."""

from __future__ import annotations

import importlib


def submodule_getattr(package: str):
    """Return a module __getattr__ for a layer package that imports its submodules on first access."""

    def __getattr__(name: str):
        try:
            return importlib.import_module(f"{package}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{package}.{name}":  # a module of the layer failed to import: say so
                raise
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None

    return __getattr__
