"""Package attributes imported on first use (PEP 562), so that ``import tejido`` stays
light: numba, igraph, networkit and scipy load only when an analysis needs them."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

__all__ = ["lazy_attributes"]


def lazy_attributes(package: str, where: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``name`` from ``package.<where[name]>``.

    >>> getattr_ = lazy_attributes("tejido", {"Settings": "config"})
    >>> getattr_("Settings").__name__
    'Settings'
    """

    def __getattr__(name: str) -> Any:
        if name in where:
            return getattr(import_module(f"{package}.{where[name]}"), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
