"""Cascades in time: who sees, clicks, engages with and re-shares a post, and when.

One Monte-Carlo kernel serves every timed model. An arc ``u -> v`` (``u``'s activity
reaches ``v``) carries four probabilities; when ``u`` posts or re-shares, ``v`` sees it
with ``seen`` (a like or comment of ``u``'s is seen ``activity`` times as often), after an
exposure delay. Each time ``v`` sees the post, in time order, ``v`` may click it (``click``,
once at most) and may engage with it (``engage``, once at most); an engagement is a re-share
with ``reshare``, else a like or comment, and after an engagement delay it shows the post
to ``v``'s own contacts: the next round. Someone who has engaged decides nothing more; the
seeds posted it, so they are never exposed to it again.

The people who engaged, with the seeds, form the cascade tree (the analogue of a retweet
tree): its size, depth (rounds), largest generation (breadth) and the hours by which half
and 90% of it had acted. The exposures and clicks are counted over time bins, for reach
over hours and days.

A timed Independent Cascade is the special case ``seen = p(u, v)``, ``engage = reshare =
1``, no click, one delay per arc (``timed_runs``): the same spread as ``cascade.spread_runs``
(tested), with times.

The runs are compiled (numba) and run in parallel; run ``r`` uses the random stream
``(seed, first + r)`` of ``cascade``, so a seed gives the same runs on any number of
threads, or split across machines.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
from numba import njit, prange
from numpy.typing import NDArray

from tejido.diffusion.cascade import _MASK, Cascade, _stream, _uniform
from tejido.errors import BadInputError

__all__ = ["ARC_DELAY", "HOURS", "Delay", "TimedRuns", "summarise", "timed_runs"]

# Cumulative reach is read at these hours: the first day hour by hour, then days, a week.
HOURS = (1.0, 2.0, 4.0, 8.0, 12.0, 24.0, 48.0, 72.0, 168.0)
_CHUNK = 64  # runs per block of work buffers: fewer allocations, any thread count


@dataclass(frozen=True)
class Delay:
    """A lognormal delay in hours: ``median_hours * exp(sigma * z)``, ``z`` standard normal.
    ``sigma = 0`` is a fixed delay, ``median_hours = 0`` no delay.

    >>> Delay.fit([1.0, 4.0, 16.0])
    Delay(median_hours=4.0, sigma=1.1319)
    """

    median_hours: float
    sigma: float = 1.0

    def __post_init__(self) -> None:
        for name in ("median_hours", "sigma"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
                raise BadInputError(f"The {name!r} parameter of Delay must be a number >= 0. "
                                    f"Got {value!r} instead.", field=name)  # fmt: skip

    @classmethod
    def fit(cls, hours: Any) -> Delay:
        """The lognormal of positive ``hours`` (their geometric mean and log deviation)."""
        h = np.asarray(hours, dtype=np.float64)
        logs = np.log(h[h > 0])
        if not logs.size:
            raise BadInputError("no positive delays to fit", field="hours")
        return cls(round(float(np.exp(logs.mean())), 4), round(float(logs.std()), 4))


# What Twitter16's parent -> child delays give (``shapes.read_twitter16``: 0.85 h, 2.54):
# the delay a timed cascade uses when none is given. Heavy-tailed: most reactions come
# within the hour, a tenth after a day.
ARC_DELAY = Delay(0.85, 2.54)


@dataclass(frozen=True)
class TimedRuns:
    """Per run: the weighted counts of people (the seeds aside) who saw, clicked, engaged
    and re-shared; the cascade tree (the seeds and those who engaged): ``size``, ``depth``
    (rounds), ``breadth`` (largest generation), ``t50`` and ``t90`` (hours by which half
    and 90% of it had acted); and ``exposed_by`` and ``clicked_by`` (runs x bins): the
    weighted people who had seen or clicked by each of ``bins`` (hours)."""

    exposed: NDArray[np.float64]
    clicked: NDArray[np.float64]
    engaged: NDArray[np.float64]
    reshared: NDArray[np.float64]
    size: NDArray[np.int64]
    depth: NDArray[np.int64]
    breadth: NDArray[np.int64]
    t50: NDArray[np.float64]
    t90: NDArray[np.float64]
    exposed_by: NDArray[np.float64]
    clicked_by: NDArray[np.float64]
    bins: NDArray[np.float64]

    @property
    def runs(self) -> int:
        return int(self.size.size)

    @classmethod
    def concat(cls, parts: list[TimedRuns]) -> TimedRuns:
        """Consecutive ranges of runs as one (the bins of the first)."""
        names = [f.name for f in fields(cls) if f.name != "bins"]
        joined = {name: np.concatenate([getattr(p, name) for p in parts]) for name in names}
        return cls(**joined, bins=parts[0].bins)


def timed_runs(
    cascade: Cascade,
    seeds: Any,
    weights: Any = None,
    runs: int = 10_000,
    seed: int = 0,
    *,
    delay: Delay = ARC_DELAY,
    bins: Any = HOURS,
    first: int = 0,
) -> TimedRuns:
    """Independent Cascade (``ic`` or ``wc``) with a ``delay`` on every arc: an activated
    node is exposed, engaged and re-shared at once, so ``exposed`` is the spread without
    the seeds and ``size`` the spread with them (``spread_runs``'s distribution).

    >>> c = Cascade.from_arcs([0, 1], [1, 2], 3, model="ic", p=1.0)
    >>> r = timed_runs(c, [0], runs=2, delay=Delay(1.5, 0.0), bins=[1, 2, 3])
    >>> r.size.tolist(), r.depth.tolist(), r.exposed_by[0].tolist(), r.t90.tolist()
    ([3, 3], [2, 2], [0.0, 1.0, 2.0], [3.0, 3.0])
    """
    if cascade.model != "ic":
        raise BadInputError("timed_runs runs Independent Cascades (ic, wc); got lt",
                            field="model")  # fmt: skip
    m = cascade.m
    zero, one = np.zeros(m), np.ones(m)
    src = np.repeat(np.arange(cascade.n, dtype=np.int64), np.diff(cascade.indptr))
    delays = np.array([[delay.median_hours, delay.sigma], [0.0, 0.0], [0.0, 0.0]])
    return simulate(cascade.indptr, cascade.dst, src, cascade.prob, zero, one, one, 1.0,
                    delays, seeds, weights, runs, seed, bins, first)  # fmt: skip


def simulate(
    indptr: NDArray[np.int64],
    dst: NDArray[Any],
    src: NDArray[np.int64],
    seen: NDArray[np.float64],
    click: NDArray[np.float64],
    engage: NDArray[np.float64],
    reshare: NDArray[np.float64],
    activity: float,
    delays: NDArray[np.float64],
    seeds: Any,
    weights: Any,
    runs: int,
    seed: int,
    bins: Any,
    first: int,
) -> TimedRuns:
    """Check the inputs and run the kernel (arcs in CSR order; ``delays`` rows: exposure,
    click, engagement, as ``(median_hours, sigma)``)."""
    n = indptr.size - 1
    if not (isinstance(runs, int) and runs >= 1):
        raise BadInputError(f"runs must be an int >= 1; got {runs!r}", field="runs")
    if not (isinstance(first, int) and first >= 0):
        raise BadInputError(f"first must be an int >= 0; got {first!r}", field="first")
    s = np.unique(np.asarray(seeds, dtype=np.int64))
    if s.size and (s.min() < 0 or s.max() >= n):
        raise BadInputError(f"seeds must be nodes 0..{n - 1}", field="seeds")
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    if w.shape != (n,):
        raise BadInputError(f"weights must have one value per node ({n})", field="weights")
    b = np.asarray(bins, dtype=np.float64).reshape(-1)
    if not b.size or np.isnan(b).any() or b.min() <= 0 or (np.diff(b) <= 0).any():
        raise BadInputError(f"bins must be increasing hours > 0; got {bins!r}", field="bins")
    out = _funnel(indptr, dst, src, seen, click, engage, reshare, float(activity), s, w,
                  delays, b, first, runs, np.uint64(seed) & _MASK, _CHUNK)  # fmt: skip
    counts, shape, times, curves = out
    return TimedRuns(counts[:, 0], counts[:, 1], counts[:, 2], counts[:, 3], shape[:, 0],
                     shape[:, 1], shape[:, 2], times[:, 0], times[:, 1], curves[:, 0],
                     curves[:, 1], b)  # fmt: skip


def summarise(result: TimedRuns) -> dict[str, Any]:
    """Means with 95% intervals (1.96 standard errors), 10th, 50th and 90th percentiles of
    every count and shape, and the growth of reach: mean exposures and clicks by each bin.

    >>> c = Cascade.from_arcs([0], [1], 2, model="ic", p=1.0)
    >>> s = summarise(timed_runs(c, [0], runs=3, delay=Delay(1.0, 0.0), bins=[0.5, 2]))
    >>> s["exposed"]["mean"], [g["exposed"] for g in s["growth"]]
    (1.0, [0.0, 1.0])
    """
    out: dict[str, Any] = {"runs": result.runs}
    for name in ("exposed", "clicked", "engaged", "reshared", "size", "depth", "breadth",
                 "t50", "t90"):  # fmt: skip
        out[name] = _describe(np.asarray(getattr(result, name), dtype=np.float64))
    growth = []
    for j, hours in enumerate(result.bins.tolist()):
        seen = _describe(result.exposed_by[:, j])
        growth.append({"hours": hours, "exposed": seen["mean"], "low": seen["low"],
                       "high": seen["high"],
                       "clicked": round(float(result.clicked_by[:, j].mean()), 2)})  # fmt: skip
    out["growth"] = growth
    return out


def _describe(values: NDArray[np.float64]) -> dict[str, float]:
    mean = float(values.mean())
    half = 1.96 * float(values.std(ddof=1)) / math.sqrt(values.size) if values.size > 1 else 0.0
    p10, p50, p90 = (float(x) for x in np.percentile(values, [10, 50, 90]))
    return {"mean": round(mean, 2), "low": round(mean - half, 2), "high": round(mean + half, 2),
            "p10": round(p10, 2), "p50": round(p50, 2), "p90": round(p90, 2)}  # fmt: skip


# -- kernel --------------------------------------------------------------------------------


# Acklam's rational approximation of the inverse normal distribution (relative error below
# 1.2e-9): one uniform per normal and no logarithm in the central 95%, where Box-Muller
# spends two uniforms, a logarithm, a root and a cosine; delays were half the kernel's time.
_A = (-3.969683028665376e01, 2.209460984245205e02, -2.759285104469687e02,
      1.383577518672690e02, -3.066479806614716e01, 2.506628277459239e00)  # fmt: skip
_B = (-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02,
      6.680131188771972e01, -1.328068155288572e01)  # fmt: skip
_C = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e00,
      -2.549732539343734e00, 4.374664141464968e00, 2.938163982698783e00)  # fmt: skip
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00,
      3.754408661907416e00)  # fmt: skip


@njit(cache=True, inline="always")
def _normal(p: float) -> float:
    """The standard normal quantile of ``p`` in (0, 1)."""
    if p < 0.02425 or p > 0.97575:
        q = math.sqrt(-2.0 * math.log(min(p, 1.0 - p)))
        x = (((((_C[0] * q + _C[1]) * q + _C[2]) * q + _C[3]) * q + _C[4]) * q + _C[5]) / (
            (((_D[0] * q + _D[1]) * q + _D[2]) * q + _D[3]) * q + 1.0
        )
        return x if p < 0.5 else -x
    q = p - 0.5
    r = q * q
    return ((((((_A[0] * r + _A[1]) * r + _A[2]) * r + _A[3]) * r + _A[4]) * r + _A[5]) * q) / (
        ((((_B[0] * r + _B[1]) * r + _B[2]) * r + _B[3]) * r + _B[4]) * r + 1.0
    )


@njit(cache=True, inline="always")
def _delay(state: np.uint64, median: float, sigma: float) -> tuple[np.uint64, float]:
    """A lognormal delay; no draw at all when it is fixed or zero."""
    if median <= 0.0:
        return state, 0.0
    if sigma <= 0.0:
        return state, median
    state, u = _uniform(state)
    u += 0.5 / 9007199254740992.0  # the middle of its 2^-53 step: never 0 nor 1
    return state, median * math.exp(sigma * _normal(u))


@njit(cache=True)
def _push(ht, hc, size, t, code):  # type: ignore[no-untyped-def]
    """Push event ``(t, code)`` on the binary min-heap of times; its new size. The heap
    never grows: an array reassigned in the loops costs reference counting on every arc,
    which made the kernel six times slower."""
    i = size
    while i > 0:
        parent = (i - 1) // 2
        if ht[parent] <= t:
            break
        ht[i], hc[i] = ht[parent], hc[parent]
        i = parent
    ht[i], hc[i] = t, code
    return size + 1


@njit(cache=True)
def _pop(ht, hc, size):  # type: ignore[no-untyped-def]
    """The earliest event, and the heap's new size."""
    t, code = ht[0], hc[0]
    size -= 1
    if size > 0:
        last_t, last_c = ht[size], hc[size]
        i = 0
        while True:
            c = 2 * i + 1
            if c >= size:
                break
            if c + 1 < size and ht[c + 1] < ht[c]:
                c += 1
            if ht[c] >= last_t:
                break
            ht[i], hc[i] = ht[c], hc[c]
            i = c
        ht[i], hc[i] = last_t, last_c
    return t, code, size


@njit(cache=True, parallel=True)
def _funnel(indptr, dst, src, seen, click, engage, reshare, activity, seeds, weight,  # type: ignore[no-untyped-def]
            delays, bins, first, runs, seed, chunk):  # fmt: skip
    """Every run as in the module docstring. Events on one heap, in time order: an
    exposure (code ``k >= 0``: ``dst[k]`` sees it through arc ``k``) or an engagement
    (code ``-1 - v``: ``v`` shows the post to its contacts). Work buffers are made once
    per block of ``chunk`` runs and cleaned after each run through the people it touched."""
    n = indptr.size - 1
    nb = bins.size
    counts = np.zeros((runs, 4))
    shape = np.zeros((runs, 3), dtype=np.int64)
    times = np.zeros((runs, 2))
    curves = np.zeros((runs, 2, nb))
    inf = np.inf
    for c in prange((runs + chunk - 1) // chunk):
        t_seen = np.full(n, inf)
        t_click = np.full(n, inf)
        engaged = np.zeros(n, dtype=np.bool_)
        shared = np.zeros(n, dtype=np.bool_)
        gen = np.zeros(n, dtype=np.int64)
        per_gen = np.zeros(n + 1, dtype=np.int64)
        touched = np.empty(n, dtype=np.int64)
        act_t = np.empty(n)
        act_v = np.empty(n, dtype=np.int64)
        # Each node engages once, so each arc exposes once at most: m + n events in all.
        ht = np.empty(dst.size + n + 1)
        hc = np.empty(dst.size + n + 1, dtype=np.int64)
        for r in range(c * chunk, min(runs, (c + 1) * chunk)):
            state = _stream(seed, first + r)
            size = 0
            n_seen = 0
            n_acts = 0
            for s in seeds:
                engaged[s] = True
                shared[s] = True  # a post is seen as a re-share is
                size = _push(ht, hc, size, 0.0, -1 - s)
            while size > 0:
                t, k, size = _pop(ht, hc, size)
                if k < 0:  # v engaged: its contacts may see it
                    v = -1 - k
                    act_t[n_acts] = t
                    act_v[n_acts] = v
                    n_acts += 1
                    shown = 1.0 if shared[v] else activity
                    for kk in range(indptr[v], indptr[v + 1]):
                        w = dst[kk]
                        if engaged[w]:
                            continue
                        state, x = _uniform(state)
                        if x < seen[kk] * shown:
                            state, d = _delay(state, delays[0, 0], delays[0, 1])
                            size = _push(ht, hc, size, t + d, kk)
                    continue
                v = dst[k]
                if engaged[v]:
                    continue
                if t_seen[v] == inf:
                    t_seen[v] = t
                    touched[n_seen] = v
                    n_seen += 1
                # no draw for a certain outcome: a timed IC has no clicks, and engages surely
                if t_click[v] == inf and click[k] > 0.0:
                    state, x = _uniform(state)
                    if x < click[k]:
                        state, d = _delay(state, delays[1, 0], delays[1, 1])
                        t_click[v] = t + d
                x = 0.0
                if engage[k] < 1.0:
                    state, x = _uniform(state)
                if x < engage[k]:
                    engaged[v] = True
                    x = 0.0
                    if reshare[k] < 1.0:
                        state, x = _uniform(state)
                    shared[v] = x < reshare[k]
                    gen[v] = gen[src[k]] + 1
                    state, d = _delay(state, delays[2, 0], delays[2, 1])
                    size = _push(ht, hc, size, t + d, -1 - v)
            # counts and the growth of reach
            for j in range(n_seen):
                v = touched[j]
                wv = weight[v]
                counts[r, 0] += wv
                clicked = t_click[v] < inf
                if clicked:
                    counts[r, 1] += wv
                if engaged[v]:
                    counts[r, 2] += wv
                    if shared[v]:
                        counts[r, 3] += wv
                for b in range(nb):
                    if t_seen[v] <= bins[b]:
                        curves[r, 0, b] += wv
                    if clicked and t_click[v] <= bins[b]:
                        curves[r, 1, b] += wv
            # the tree: engagements were popped in time order, so act_t is sorted
            depth = 0
            for j in range(n_acts):
                g = gen[act_v[j]]
                per_gen[g] += 1
                depth = max(depth, g)
            breadth = 0
            for g in range(depth + 1):
                breadth = max(breadth, per_gen[g])
                per_gen[g] = 0
            shape[r, 0], shape[r, 1], shape[r, 2] = n_acts, depth, breadth
            # the ceil(q * size)-th to act, in integers (0.9 * 10 is not 9 in floats)
            if n_acts:
                times[r, 0] = act_t[(n_acts + 1) // 2 - 1]
                times[r, 1] = act_t[(9 * n_acts + 9) // 10 - 1]
            for j in range(n_seen):
                v = touched[j]
                t_seen[v] = inf
                t_click[v] = inf
                engaged[v] = False
                shared[v] = False
                gen[v] = 0
            for s in seeds:
                engaged[s] = False
                shared[s] = False
    return counts, shape, times, curves
