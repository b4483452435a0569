"""Diffusion: how content spreads through employees' networks, and whom to ask to share it.

Seed 002's back-of-envelope calculator beside the same assumptions on the real graph
(``calculator``); cascade models and their Monte-Carlo spread (``cascade``, ``timeline``,
``advocacy``); influence maximisation with a guarantee (``imm.imm``, ``opim.opim``: not
re-exported, as the modules bear the same names) on RR sets drawn by threads or a Dask
cluster (``backends``); probabilities learnt from share logs (``learning``); campaign
plans (``campaign``). docs/diffusion.md says how they fit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tejido._lazy import lazy_attributes

if TYPE_CHECKING:
    from tejido.diffusion.advocacy import AdvocacyNetwork, AdvocacyParams, advocacy_runs
    from tejido.diffusion.backends import DaskBackend, LocalBackend, backend_for
    from tejido.diffusion.calculator import Assumptions, blog_reach, graph_reach
    from tejido.diffusion.cascade import Cascade, exact_spread, reach_runs, spread_runs
    from tejido.diffusion.learning import learned_arcs
    from tejido.diffusion.timeline import summarise, timed_runs

__all__ = [
    "AdvocacyNetwork",
    "AdvocacyParams",
    "Assumptions",
    "Cascade",
    "DaskBackend",
    "LocalBackend",
    "advocacy_runs",
    "backend_for",
    "blog_reach",
    "exact_spread",
    "graph_reach",
    "learned_arcs",
    "reach_runs",
    "spread_runs",
    "summarise",
    "timed_runs",
]

__getattr__ = lazy_attributes(
    __name__,
    {
        "AdvocacyNetwork": "advocacy",
        "AdvocacyParams": "advocacy",
        "advocacy_runs": "advocacy",
        "DaskBackend": "backends",
        "LocalBackend": "backends",
        "backend_for": "backends",
        "Assumptions": "calculator",
        "blog_reach": "calculator",
        "graph_reach": "calculator",
        "Cascade": "cascade",
        "exact_spread": "cascade",
        "reach_runs": "cascade",
        "spread_runs": "cascade",
        "learned_arcs": "learning",
        "summarise": "timeline",
        "timed_runs": "timeline",
    },
)
