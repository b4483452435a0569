"""Influence maximisation with a guarantee: IMM (Tang, Shi and Xiao, SIGMOD 2015).

Pick ``k`` seeds whose expected spread is at least ``(1 - 1/e - epsilon)`` times the best
possible, with probability at least ``1 - 1/n^ell``: sample RR sets until a lower bound of
the optimum is known (the sampling phase, doubling), then enough RR sets for that bound,
and take the ``k`` nodes that touch the most (greedy maximum coverage).

Two departures from the paper, both on the safe side: the final RR sets are drawn afresh
rather than reusing the sampling phase's (Chen, "An Issue in the Martingale Analysis of
the Influence Maximization Algorithm IMM", 2018, shows reuse breaks the independence the
bound needs), and ``ell`` is raised by ``log 2 / log n`` as the paper prescribes for the
two phases together. **Targeted** maximisation draws RR roots in proportion to target
weights (a segment: engineers at customer accounts, say): the estimate is then the
expected weight reached, and ``n`` in the bounds becomes the targets' total weight.
**Candidates** restrict who may be a seed (only employees who consented to share).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from numpy.typing import NDArray

from tejido.diffusion.rrsets import Reverse, RRSets, covered_by, greedy_cover, sample
from tejido.errors import BadInputError

if TYPE_CHECKING:
    from tejido.diffusion.cascade import Cascade

__all__ = ["Sampler", "Selection", "coverage_estimate", "imm"]


@dataclass
class Selection:
    """The seeds, the spread the RR sets estimate for them, and what it took."""

    seeds: list[int]
    estimate: float  # expected spread (or target weight reached), from the RR sets
    rr_sets: int  # RR sets in the final selection
    rr_sets_total: int  # RR sets drawn in all
    lower_bound: float  # IMM: of the optimum, from the sampling phase; OPIM-C: of the seeds' spread
    seconds: float
    epsilon: float
    ell: float
    phases: list[dict[str, float]] = field(default_factory=list)
    algorithm: str = "imm"
    ratio: float | None = None  # OPIM-C: the approximation ratio it could prove


class Sampler(Protocol):
    """Draws RR sets ``first .. first + count - 1`` of stream ``seed`` (``backends``)."""

    def sample(self, reverse: Reverse, first: int, count: int, seed: int) -> RRSets: ...


class _Threads:
    def __init__(self, workers: int | None) -> None:
        self.workers = workers

    def sample(self, reverse: Reverse, first: int, count: int, seed: int) -> RRSets:
        return sample(reverse, first, count, seed, self.workers)


def log_binom(n: int, k: int) -> float:
    """``log(n choose k)``."""
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def check(k: Any, epsilon: Any) -> None:
    if not (isinstance(k, int) and k >= 1):
        raise BadInputError(f"k must be an int >= 1; got {k!r}", field="k")
    if not (isinstance(epsilon, int | float) and 0 < epsilon < 1):
        raise BadInputError(f"epsilon must be in (0, 1); got {epsilon!r}", field="epsilon")


def allowed_mask(n: int, candidates: Any) -> NDArray[np.bool_] | None:
    """Who may be a seed, as a mask (None: anyone)."""
    if candidates is None:
        return None
    allowed = np.zeros(n, dtype=bool)
    allowed[np.asarray(candidates, dtype=np.int64)] = True
    return allowed


def imm(
    cascade: Cascade,
    k: int,
    *,
    epsilon: float = 0.1,
    ell: float = 1.0,
    seed: int = 0,
    targets: Any = None,
    candidates: Any = None,
    workers: int | None = None,
    backend: Sampler | None = None,
) -> Selection:
    """IMM: ``k`` seeds within ``1 - 1/e - epsilon`` of the best spread with probability
    ``1 - 1/n^ell``. ``targets``: a weight per node (None: every node 1); ``candidates``:
    who may be a seed (None: anyone); ``backend``: where RR sets are drawn (default: the
    machine's threads; ``backends.DaskBackend``: a cluster). The same ``seed`` gives the
    same answer on any backend."""
    n = cascade.n
    check(k, epsilon)
    allowed = allowed_mask(n, candidates)
    draw = backend or _Threads(workers)
    pool = int(allowed.sum()) if allowed is not None else n
    k = min(k, pool)
    started = time.perf_counter()
    reverse = Reverse.of(cascade, targets)
    total = reverse.total
    if n < 2 or k == 0 or total <= 0:
        return Selection([], 0.0, 0, 0, 0.0, time.perf_counter() - started, epsilon, ell)
    ell = ell * (1 + math.log(2) / math.log(n))
    log_n = math.log(n)
    log_choose = log_binom(pool, k)
    eps1 = math.sqrt(2) * epsilon
    lam1 = ((2 + 2 * eps1 / 3) * (log_choose + ell * log_n + math.log(max(math.log2(n), 1.0)))
            * total / eps1**2)  # fmt: skip
    alpha = math.sqrt(ell * log_n + math.log(2))
    beta = math.sqrt((1 - 1 / math.e) * (log_choose + ell * log_n + math.log(2)))
    lam_star = 2 * total * ((1 - 1 / math.e) * alpha + beta) ** 2 / epsilon**2
    sets = RRSets.empty()
    drawn = 0
    lower = 1.0
    phases = []
    for i in range(1, max(int(math.log2(max(total, 2))), 1)):
        x = total / 2**i
        theta = math.ceil(lam1 / x)
        if theta > sets.count:
            sets.extend(draw.sample(reverse, drawn, theta - sets.count, seed))
            drawn = sets.count
        chosen, covered = greedy_cover(sets, n, k, allowed)
        value = total * covered / sets.count
        phases.append({"x": x, "rr_sets": float(sets.count), "estimate": value})
        if value >= (1 + eps1) * x:
            lower = value / (1 + eps1)
            break
    theta = math.ceil(lam_star / lower)
    # Fresh RR sets for the final selection (Chen 2018), numbered after the first phase's.
    final = draw.sample(reverse, drawn, theta, seed)
    chosen, covered = greedy_cover(final, n, k, allowed)
    return Selection(
        seeds=[int(s) for s in chosen],
        estimate=total * covered / max(final.count, 1),
        rr_sets=final.count,
        rr_sets_total=drawn + final.count,
        lower_bound=lower,
        seconds=time.perf_counter() - started,
        epsilon=epsilon,
        ell=ell,
        phases=phases,
    )


def coverage_estimate(
    cascade: Cascade, seeds: Any, count: int = 100_000, seed: int = 1, targets: Any = None
) -> float:
    """The spread of ``seeds`` estimated from ``count`` fresh RR sets (a check; the
    benchmark measures spread by forward Monte-Carlo instead)."""
    reverse = Reverse.of(cascade, targets)
    sets = sample(reverse, 0, count, seed)
    return reverse.total * covered_by(sets, seeds, cascade.n) / max(sets.count, 1)
