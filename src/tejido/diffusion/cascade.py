"""Cascade models on a directed graph, and their Monte-Carlo spread.

An arc ``u -> v`` means that what ``u`` shares reaches ``v``: a LinkedIn connection is an
arc each way, an X follow an arc from the followed to the follower. Models:

- **Independent Cascade** (IC): each newly active ``u`` activates each inactive
  out-neighbour ``v`` once, with probability ``p(u, v)``: uniform (``ic``), weighted cascade
  (``wc``: ``1 / in-degree(v)``), or given per arc;
- **Linear Threshold** (LT): ``v`` draws a threshold uniformly in [0, 1] and becomes active
  when the weights of its active in-neighbours reach it; weights ``1 / in-degree(v)``
  (or given, summing to at most 1 per node).

The Monte-Carlo kernels run in compiled code (numba), in parallel over runs. Each run has
its own random stream, derived from ``(seed, run)`` by SplitMix64, so a seed gives the
same spreads on any number of threads, or split across machines by runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numba import njit, prange
from numpy.typing import NDArray

from tejido.errors import BadInputError

__all__ = ["MODELS", "Cascade", "exact_spread", "reach_runs", "spread_runs"]

MODELS = ("ic", "wc", "lt")
_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)


@dataclass(frozen=True)
class Cascade:
    """A directed graph in CSR (out-arcs of each node) with a probability or weight per arc.

    ``model`` is ``"ic"`` (``prob`` is the activation probability of each arc) or
    ``"lt"`` (``prob`` is the arc's weight; a node's incoming weights sum to at most 1).
    """

    n: int
    indptr: NDArray[np.int64]
    dst: NDArray[np.int32]
    prob: NDArray[np.float64]
    model: str

    @classmethod
    def from_arcs(
        cls, src: Any, dst: Any, n: int, *, model: str = "wc", p: float = 0.01,
        prob: Any = None,
    ) -> Cascade:  # fmt: skip
        """A cascade over arcs ``src -> dst`` on ``n`` nodes. ``model``: ``ic`` (uniform
        ``p``, or ``prob`` per arc), ``wc`` (``1 / in-degree``), ``lt`` (weights ``1 /
        in-degree``, or ``prob`` per arc). Repeated arcs are kept once; self-loops dropped.

        >>> c = Cascade.from_arcs([0, 0, 1], [1, 2, 2], 3, model="wc")
        >>> c.prob.tolist()
        [1.0, 0.5, 0.5]
        """
        if model not in MODELS:
            raise BadInputError(f"no cascade model {model!r}; known: {', '.join(MODELS)}",
                                field="model")  # fmt: skip
        a = np.asarray(src, dtype=np.int64)
        b = np.asarray(dst, dtype=np.int64)
        w = None if prob is None else np.asarray(prob, dtype=np.float64)
        if a.shape != b.shape or (w is not None and w.shape != a.shape):
            raise BadInputError("src, dst (and prob) must have one value per arc", field="arcs")
        if a.size and (min(a.min(), b.min()) < 0 or max(a.max(), b.max()) >= n):
            raise BadInputError(f"arcs must join nodes 0..{n - 1}", field="arcs")
        keep = a != b
        a, b = a[keep], b[keep]
        w = w[keep] if w is not None else None
        key = a * n + b
        key, first = np.unique(key, return_index=True)
        a, b = key // n, key % n
        w = w[first] if w is not None else None
        indeg = np.bincount(b, minlength=n).astype(np.float64)
        if model == "ic":
            if w is None:
                if not 0 <= p <= 1:
                    raise BadInputError(f"p must be in [0, 1]; got {p!r}", field="p")
                w = np.full(a.size, float(p))
        elif model == "wc" or w is None:
            w = 1.0 / indeg[b]
        if w.size and (np.nanmin(w) < 0 or np.nanmax(w) > 1 or np.isnan(w).any()):
            raise BadInputError("arc probabilities must be in [0, 1]", field="prob")
        if model == "lt" and w.size:
            incoming = np.bincount(b, weights=w, minlength=n)
            if incoming.max() > 1 + 1e-9:
                raise BadInputError("LT weights into a node must sum to at most 1", field="prob")
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.add.at(indptr, a + 1, 1)
        return cls(n, np.cumsum(indptr), b.astype(np.int32), w.astype(np.float64),
                   "lt" if model == "lt" else "ic")  # fmt: skip

    @property
    def m(self) -> int:
        return int(self.dst.size)


def _seeds(cascade: Cascade, seeds: Any) -> NDArray[np.int64]:
    s = np.unique(np.asarray(seeds, dtype=np.int64))
    if s.size and (s.min() < 0 or s.max() >= cascade.n):
        raise BadInputError(f"seeds must be nodes 0..{cascade.n - 1}", field="seeds")
    return s


def spread_runs(
    cascade: Cascade, seeds: Any, runs: int = 10_000, seed: int = 0
) -> NDArray[np.int64]:
    """How many nodes each of ``runs`` simulated cascades from ``seeds`` activates (the
    seeds included), in parallel over runs; the same ``seed`` gives the same runs."""
    values = reach_runs(cascade, seeds, None, runs, seed)
    return np.rint(values).astype(np.int64)


def reach_runs(
    cascade: Cascade, seeds: Any, weights: Any = None, runs: int = 10_000, seed: int = 0
) -> NDArray[np.float64]:
    """Like ``spread_runs``, but each activated node counts its weight (a segment: 1 for
    the people aimed at, 0 for the rest); ``weights=None`` counts every node once."""
    if not (isinstance(runs, int) and runs >= 1):
        raise BadInputError(f"runs must be an int >= 1; got {runs!r}", field="runs")
    s = _seeds(cascade, seeds)
    w = np.ones(cascade.n) if weights is None else np.asarray(weights, dtype=np.float64)
    if w.shape != (cascade.n,):
        raise BadInputError(f"weights must have one value per node ({cascade.n})",
                            field="weights")  # fmt: skip
    out: NDArray[np.float64] = _runs(cascade.indptr, cascade.dst, cascade.prob, cascade.n, s,
                                     w, cascade.model == "lt", 0, runs,
                                     np.uint64(seed) & _MASK)  # fmt: skip
    return out


# -- random streams ------------------------------------------------------------------------


@njit(cache=True, inline="always")
def _splitmix(state: np.uint64) -> tuple[np.uint64, np.uint64]:
    state = state + np.uint64(0x9E3779B97F4A7C15)
    z = state
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return state, z ^ (z >> np.uint64(31))


@njit(cache=True, inline="always")
def _uniform(state: np.uint64) -> tuple[np.uint64, float]:
    state, z = _splitmix(state)
    return state, float(z >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(cache=True)
def _stream(seed: np.uint64, run: np.int64) -> np.uint64:
    """The start of run ``run``'s stream: independent of which thread runs it."""
    _, z = _splitmix(seed ^ (np.uint64(run) * np.uint64(0xD1B54A32D192ED03)))
    return z


# -- kernels -------------------------------------------------------------------------------


@njit(cache=True, parallel=True)
def _runs(indptr, dst, prob, n, seeds, weight, lt, first, runs, seed):  # type: ignore[no-untyped-def]
    """Each run: a breadth-first cascade from ``seeds``. IC: an arc fires with ``prob``;
    LT (``lt``): ``prob`` are weights, and a node joins once the weights of its active
    in-neighbours reach its threshold (drawn first, uniform). Returns each run's total
    ``weight`` of the active nodes."""
    out = np.zeros(runs, dtype=np.float64)
    for r in prange(runs):
        state = _stream(seed, first + r)
        threshold = np.empty(n if lt else 0)
        for v in range(threshold.size):
            state, threshold[v] = _uniform(state)
        pressure = np.zeros(n if lt else 0)
        active = np.zeros(n, dtype=np.bool_)
        queue = np.empty(n, dtype=np.int64)
        size = 0
        for s in seeds:
            active[s] = True
            queue[size] = s
            size += 1
        head = 0
        while head < size:
            u = queue[head]
            head += 1
            for k in range(indptr[u], indptr[u + 1]):
                v = dst[k]
                if active[v]:
                    continue
                if lt:
                    pressure[v] += prob[k]
                    joins = pressure[v] >= threshold[v]
                else:
                    state, x = _uniform(state)
                    joins = x < prob[k]
                if joins:
                    active[v] = True
                    queue[size] = v
                    size += 1
        total = 0.0
        for j in range(size):
            total += weight[queue[j]]
        out[r] = total
    return out


# -- exact, for small graphs ---------------------------------------------------------------


def exact_spread(cascade: Cascade, seeds: Any) -> float:
    """The expected spread by enumerating every live-arc world (IC: each arc live with
    its probability; LT: each node keeps at most one in-arc, arc ``k`` with its weight):
    for tests on graphs of up to about 20 arcs."""
    s = _seeds(cascade, seeds)
    src = np.repeat(np.arange(cascade.n), np.diff(cascade.indptr))
    dst, p = cascade.dst.astype(np.int64), cascade.prob
    if cascade.model == "ic":
        if cascade.m > 22:
            raise BadInputError("exact_spread enumerates 2^arcs worlds: 22 arcs at most")
        total = 0.0
        for mask in range(1 << cascade.m):
            live = np.array([(mask >> k) & 1 for k in range(cascade.m)], dtype=bool)
            weight = float(np.prod(np.where(live, p, 1 - p)))
            if weight:
                total += weight * _reached(cascade.n, src[live], dst[live], s)
        return total
    # LT: a live-arc world picks, for each node, one in-arc (with its weight) or none.
    choices = []
    for v in range(cascade.n):
        arcs = np.flatnonzero(dst == v)
        options = [(int(k), float(p[k])) for k in arcs]
        options.append((-1, 1.0 - float(p[arcs].sum())))
        choices.append(options)
    import itertools

    total = 0.0
    for world in itertools.product(*choices):
        weight = float(np.prod([w for _k, w in world]))
        if weight > 0:
            live = np.array([k for k, _w in world if k >= 0], dtype=np.int64)
            total += weight * _reached(cascade.n, src[live], dst[live], s)
    return total


def _reached(n: int, src: NDArray[np.int64], dst: NDArray[np.int64], seeds: Any) -> int:
    active = np.zeros(n, dtype=bool)
    active[seeds] = True
    frontier = list(np.flatnonzero(active))
    while frontier:
        u = frontier.pop()
        for v in dst[src == u].tolist():
            if not active[v]:
                active[v] = True
                frontier.append(v)
    return int(active.sum())
