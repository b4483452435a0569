"""Reverse-reachable (RR) sets and greedy maximum coverage, in compiled code.

An RR set is the set of nodes that would have activated a root drawn at random (uniformly,
or in proportion to a target weight), found by walking the arcs backwards in one random
world: under IC each in-arc is live with its probability (a reverse breadth-first search),
under LT each node keeps one in-arc chosen by weight, or none (a reverse random walk). The
share of RR sets a seed set touches, times the total target weight, estimates its spread
without bias (Borgs et al. 2014).

RR sets are made in blocks by a kernel that releases the GIL, run on the machine's cores
by a thread pool; RR set ``i`` always uses the random stream ``(seed, i)``, so a seed gives
the same sets however they are split into blocks, threads or machines.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numba import njit
from numpy.typing import NDArray

from tejido.diffusion.cascade import _stream, _uniform
from tejido.errors import BadInputError

if TYPE_CHECKING:
    from tejido.diffusion.cascade import Cascade

__all__ = ["RRSets", "Reverse", "covered_by", "greedy_bound", "greedy_cover", "sample"]

_BLOCK = 4096  # RR sets per block handed to a thread


@dataclass(frozen=True)
class Reverse:
    """The in-arcs of every node (CSR), the root distribution, and the model."""

    n: int
    indptr: NDArray[np.int64]
    src: NDArray[np.int32]
    prob: NDArray[np.float64]
    lt: bool
    root_cdf: NDArray[np.float64]  # empty: uniform roots
    total: float  # the targets' total weight (n when uniform)
    # The probability (IC) or weight (LT) shared by all of a node's in-arcs, or -1 when
    # they differ: such a node is sampled without looking at every in-arc (see _block).
    common: NDArray[np.float64]

    @classmethod
    def of(cls, cascade: Cascade, targets: Any = None) -> Reverse:
        """``cascade``'s arcs reversed; ``targets`` (one weight >= 0 per node, or None for
        every node weighing 1) is where roots are drawn."""
        n = cascade.n
        src = np.repeat(np.arange(n, dtype=np.int64), np.diff(cascade.indptr))
        dst = cascade.dst.astype(np.int64)
        order = np.argsort(dst, kind="stable")
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.add.at(indptr, dst + 1, 1)
        if targets is None:
            cdf, total = np.zeros(0), float(n)
        else:
            w = np.asarray(targets, dtype=np.float64)
            cdf = np.cumsum(w)
            total = float(cdf[-1]) if cdf.size else 0.0
            cdf = cdf / total if total > 0 else cdf
        indptr = np.cumsum(indptr)
        prob = cascade.prob[order].astype(np.float64)
        return cls(n, indptr, src[order].astype(np.int32), prob, cascade.model == "lt", cdf,
                   total, _common(indptr, prob))  # fmt: skip

    def block(
        self, start: int, size: int, seed: int
    ) -> tuple[NDArray[np.int32], NDArray[np.int64]]:
        """RR sets ``start .. start + size - 1`` of stream ``seed``: their nodes, one set
        after another, and the offsets where each starts (``size + 1`` of them)."""
        key = np.uint64(seed & 0xFFFFFFFFFFFFFFFF)
        out: tuple[NDArray[np.int32], NDArray[np.int64]] = _block(
            self.indptr, self.src, self.prob, self.common, self.n, self.lt, self.root_cdf,
            start, size, key)  # fmt: skip
        return out


def _common(indptr: NDArray[np.int64], prob: NDArray[np.float64]) -> NDArray[np.float64]:
    """Each node's in-arc probability when all its in-arcs have the same, else -1."""
    out = np.full(indptr.size - 1, -1.0)
    has = indptr[1:] > indptr[:-1]
    out[~has] = 0.0
    if prob.size:
        starts = indptr[:-1][has]
        low, high = np.minimum.reduceat(prob, starts), np.maximum.reduceat(prob, starts)
        out[has] = np.where(low == high, low, -1.0)
    return out


@dataclass
class RRSets:
    """RR sets as one flat array of nodes and the offsets where each set starts."""

    nodes: NDArray[np.int32]
    offsets: NDArray[np.int64]  # len = count + 1

    @property
    def count(self) -> int:
        return int(self.offsets.size - 1)

    def extend(self, more: RRSets) -> None:
        self.nodes = np.concatenate([self.nodes, more.nodes])
        self.offsets = np.concatenate([self.offsets, self.offsets[-1] + more.offsets[1:]])

    @classmethod
    def empty(cls) -> RRSets:
        return cls(np.zeros(0, dtype=np.int32), np.zeros(1, dtype=np.int64))


def sample(
    reverse: Reverse, first: int, count: int, seed: int, workers: int | None = None
) -> RRSets:
    """RR sets number ``first`` .. ``first + count - 1`` of the stream ``seed``."""
    if count <= 0:
        return RRSets.empty()
    starts = list(range(first, first + count, _BLOCK))
    sizes = [min(_BLOCK, first + count - s) for s in starts]

    def block(args: tuple[int, int]) -> tuple[NDArray[np.int32], NDArray[np.int64]]:
        return reverse.block(args[0], args[1], seed)

    threads = workers or min(len(starts), os.cpu_count() or 1)
    if threads <= 1 or len(starts) == 1:
        parts = [block(a) for a in zip(starts, sizes, strict=True)]
    else:
        parts = list(_pool(threads).map(block, zip(starts, sizes, strict=True)))
    nodes = np.concatenate([p[0] for p in parts])
    lengths = np.concatenate([np.diff(p[1]) for p in parts])
    offsets = np.zeros(lengths.size + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return RRSets(nodes, offsets)


_POOLS: dict[int, ThreadPoolExecutor] = {}
_POOLS_LOCK = threading.Lock()


def _pool(threads: int) -> ThreadPoolExecutor:
    """A thread pool of ``threads``, made once and kept (starting threads for every call
    cost more than small samples take)."""
    with _POOLS_LOCK:
        pool = _POOLS.get(threads)
        if pool is None:
            pool = _POOLS[threads] = ThreadPoolExecutor(threads, thread_name_prefix="rrsets")
        return pool


@njit(cache=True, nogil=True)
def _root(state: np.uint64, n: int, cdf: NDArray[np.float64]) -> tuple[np.uint64, int]:
    state, x = _uniform(state)
    if cdf.size == 0:
        return state, min(int(x * n), n - 1)
    return state, min(int(np.searchsorted(cdf, x, side="right")), n - 1)


@njit(cache=True, nogil=True)
def _block(indptr, src, prob, common, n, lt, cdf, start, size, seed):  # type: ignore[no-untyped-def]
    """RR sets ``start .. start + size - 1``. A node whose in-arcs share one probability
    ``p`` (weighted cascade, uniform IC) skips ahead a geometric number of arcs to the next
    live one, one random draw per live arc instead of one per arc; under LT, a node whose
    in-arcs share one weight picks its live arc by one multiplication."""
    offsets = np.zeros(size + 1, dtype=np.int64)
    capacity = max(1024, size * 8, n)
    nodes = np.empty(capacity, dtype=np.int32)
    mark = np.zeros(n, dtype=np.int32)  # the last set (+1) that visited each node
    used = 0
    for i in range(size):
        if used + n > capacity:  # room for the largest set: the walk writes in place
            capacity = max(capacity * 2, used + n)
            grown = np.empty(capacity, dtype=np.int32)
            grown[:used] = nodes[:used]
            nodes = grown
        queue = nodes[used:]
        state = _stream(seed, start + i)
        state, root = _root(state, n, cdf)
        stamp = i + 1
        mark[root] = stamp
        queue[0] = root
        length = 1
        if lt:
            v = root
            while True:
                lo, hi = indptr[v], indptr[v + 1]
                if lo == hi:
                    break
                state, x = _uniform(state)
                chosen = -1
                w = common[v]
                if w > 0.0:
                    at = lo + int(x / w)
                    if at < hi:
                        chosen = at
                elif w < 0.0:
                    acc = 0.0
                    for k in range(lo, hi):
                        acc += prob[k]
                        if x < acc:
                            chosen = k
                            break
                if chosen < 0:
                    break
                u = src[chosen]
                if mark[u] == stamp:
                    break
                mark[u] = stamp
                queue[length] = u
                length += 1
                v = u
        else:
            head = 0
            while head < length:
                v = queue[head]
                head += 1
                lo, hi = indptr[v], indptr[v + 1]
                p = common[v]
                if p < 0.0:
                    for k in range(lo, hi):
                        u = src[k]
                        if mark[u] == stamp:
                            continue
                        state, x = _uniform(state)
                        if x < prob[k]:
                            mark[u] = stamp
                            queue[length] = u
                            length += 1
                elif p > 0.0:
                    # Geometric skips: the gap to the next live arc is floor(log U / log(1-p)).
                    scale = 1.0 / np.log1p(-p) if p < 1.0 else 0.0
                    k = lo
                    while True:
                        if p < 1.0:
                            state, x = _uniform(state)
                            gap = np.log(1.0 - x) * scale
                            if gap >= hi - k:
                                break
                            k += int(gap)
                        if k >= hi:
                            break
                        u = src[k]
                        if mark[u] != stamp:
                            mark[u] = stamp
                            queue[length] = u
                            length += 1
                        k += 1
        used += length
        offsets[i + 1] = used
    return nodes[:used].copy(), offsets


def greedy_cover(
    sets: RRSets, n: int, k: int, candidates: NDArray[np.bool_] | None = None
) -> tuple[NDArray[np.int64], int]:
    """The ``k`` nodes (among ``candidates``) that touch the most RR sets, chosen greedily
    (a 1 - 1/e approximation of the best), and how many sets they touch together."""
    seeds, covered, _bound = greedy_bound(sets, n, k, candidates, bound=False)
    return seeds, covered


def greedy_bound(
    sets: RRSets, n: int, k: int, candidates: NDArray[np.bool_] | None = None, *,
    bound: bool = True,
) -> tuple[NDArray[np.int64], int, int]:  # fmt: skip
    """``greedy_cover``, and an upper bound of the most sets any ``k`` candidates could
    touch: the least, over the greedy's steps, of the sets covered so far plus the ``k``
    largest marginal gains left (Tang et al. 2018, OPIM-C; tighter than ``covered / (1 -
    1/e)``). ``bound=False`` skips it (-1)."""
    if sets.count >= 2**31:
        raise BadInputError(f"{sets.count} RR sets: at most 2^31 - 1 fit one selection")
    allowed = np.ones(n, dtype=np.bool_) if candidates is None else np.array(candidates, bool)
    seeds, covered, upper = _greedy(sets.nodes, sets.offsets, n, k, allowed, bound)
    seeds = np.asarray(seeds, dtype=np.int64)
    return seeds[seeds >= 0], int(covered), int(upper)


@njit(cache=True, nogil=True)
def _top_sum(gain, allowed, k, buffer):  # type: ignore[no-untyped-def]
    """The sum of the ``k`` largest gains among the allowed nodes (``buffer``: room for
    every node; only positive gains are gathered, usually few)."""
    count = 0
    for v in range(gain.size):
        if allowed[v] and gain[v] > 0:
            buffer[count] = gain[v]
            count += 1
    if count <= k:
        return buffer[:count].sum()
    return np.partition(buffer[:count], count - k)[count - k :].sum()


@njit(cache=True, nogil=True)
def _greedy(nodes, offsets, n, k, allowed, bound):  # type: ignore[no-untyped-def]
    count = offsets.size - 1
    # Inverted index: for each node, the sets it is in (a counting sort by node).
    start = np.zeros(n + 1, dtype=np.int64)
    for x in nodes:
        start[x + 1] += 1
    for v in range(n):
        start[v + 1] += start[v]
    fill = start[:-1].copy()
    member = np.empty(nodes.size, dtype=np.int32)  # set numbers: fewer than 2^31
    for s in range(count):
        for e in range(offsets[s], offsets[s + 1]):
            x = nodes[e]
            member[fill[x]] = s
            fill[x] += 1
    gain = start[1:] - start[:-1]
    done = np.zeros(count, dtype=np.bool_)
    seeds = np.full(k, -1, dtype=np.int64)
    covered = 0
    upper = -1
    buffer = np.empty(n if bound else 0, dtype=np.int64)
    for j in range(k + 1):
        if bound:
            here = covered + _top_sum(gain, allowed, k, buffer)
            upper = here if upper < 0 else min(upper, here)
        if j == k:
            break
        best, best_gain = -1, -1
        for v in range(n):
            if allowed[v] and gain[v] > best_gain:
                best, best_gain = v, gain[v]
        if best < 0:
            break
        seeds[j] = best
        allowed[best] = False
        for e in range(start[best], start[best + 1]):
            s = member[e]
            if done[s]:
                continue
            done[s] = True
            covered += 1
            for f in range(offsets[s], offsets[s + 1]):
                gain[nodes[f]] -= 1
    return seeds, covered, upper


def covered_by(sets: RRSets, seeds: Any, n: int) -> int:
    """How many of ``sets`` the ``seeds`` touch."""
    hit = np.zeros(n, dtype=np.bool_)
    hit[np.asarray(seeds, dtype=np.int64)] = True
    return int(_covered(sets.nodes, sets.offsets, hit))


@njit(cache=True, nogil=True)
def _covered(nodes, offsets, hit):  # type: ignore[no-untyped-def]
    total = 0
    for s in range(offsets.size - 1):
        for e in range(offsets[s], offsets[s + 1]):
            if hit[nodes[e]]:
                total += 1
                break
    return total
