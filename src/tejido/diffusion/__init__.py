"""Diffusion: how content spreads through employees' networks, and whom to ask to share it.

Seed 002's back-of-envelope calculator beside the same assumptions on the real graph
(``calculator``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tejido._lazy import lazy_attributes

if TYPE_CHECKING:
    from tejido.diffusion.calculator import Assumptions, blog_reach, graph_reach

__all__ = ["Assumptions", "blog_reach", "graph_reach"]

__getattr__ = lazy_attributes(
    __name__, {"Assumptions": "calculator", "blog_reach": "calculator", "graph_reach": "calculator"}
)
