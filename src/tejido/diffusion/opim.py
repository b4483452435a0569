"""Influence maximisation that stops as soon as its guarantee is proven: OPIM-C (Tang,
Tang, Xiao and Yuan, "Online Processing Algorithms for Influence Maximization", SIGMOD
2018).

Two independent collections of RR sets: the seeds are chosen greedily on the first; the
first also bounds the best possible spread from above (the greedy's covered sets plus the
``k`` largest gains left, at its tightest step); the second, untouched by the choice,
bounds the chosen seeds' spread from below (martingale bounds). When the ratio of the two
reaches ``1 - 1/e - epsilon`` the answer carries the guarantee, with probability ``1 -
delta``; otherwise both collections double, up to the number IMM's worst case needs.

It usually needs far fewer RR sets than IMM, which sizes its sample for the worst case;
the price is a seed set chosen on fewer sets (a little less spread at the same epsilon).
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, Any

from tejido.diffusion.imm import Sampler, Selection, _Threads, allowed_mask, check, log_binom
from tejido.diffusion.rrsets import Reverse, covered_by, greedy_bound
from tejido.errors import BadInputError

if TYPE_CHECKING:
    from tejido.diffusion.cascade import Cascade

__all__ = ["opim"]

_SECOND = 0x5851F42D4C957F2D  # the second collection's stream: seed ^ this


def opim(
    cascade: Cascade,
    k: int,
    *,
    epsilon: float = 0.1,
    delta: float | None = None,
    seed: int = 0,
    targets: Any = None,
    candidates: Any = None,
    workers: int | None = None,
    backend: Sampler | None = None,
) -> Selection:
    """OPIM-C: ``k`` seeds within ``1 - 1/e - epsilon`` of the best spread with probability
    ``1 - delta`` (default ``1/n``, as IMM's ``ell = 1``); ``targets``, ``candidates``,
    ``backend`` as for ``imm``. ``ratio`` in the result is the approximation it proved."""
    n = cascade.n
    check(k, epsilon)
    allowed = allowed_mask(n, candidates)
    pool = int(allowed.sum()) if allowed is not None else n
    k = min(k, pool)
    draw = backend or _Threads(workers)
    started = time.perf_counter()
    reverse = Reverse.of(cascade, targets)
    total = reverse.total
    if n < 2 or k == 0 or total <= 0:
        return Selection([], 0.0, 0, 0, 0.0, time.perf_counter() - started, epsilon, 0.0,
                         algorithm="opim-c")  # fmt: skip
    delta = 1.0 / n if delta is None else delta
    if not 0 < delta < 1:
        raise BadInputError(f"delta must be in (0, 1); got {delta!r}", field="delta")
    e1 = 1 - 1 / math.e
    log_choose = log_binom(pool, k)
    theta_max = (2 * total * (e1 * math.sqrt(math.log(6 / delta))
                              + math.sqrt(e1 * (log_choose + math.log(6 / delta)))) ** 2
                 / (epsilon**2 * k))  # fmt: skip
    theta = max(math.ceil(theta_max * epsilon**2 * k / total), 1)
    rounds = max(math.ceil(math.log2(theta_max / theta)), 1)
    a1 = math.log(3 * rounds / delta) + log_choose
    a2 = math.log(3 * rounds / delta)
    second = (seed ^ _SECOND) & 0xFFFFFFFFFFFFFFFF
    first_sets = draw.sample(reverse, 0, theta, seed)
    second_sets = draw.sample(reverse, 0, theta, second)
    phases = []
    for i in range(1, rounds + 1):
        chosen, _covered, upper = greedy_bound(first_sets, n, k, allowed)
        hits = covered_by(second_sets, chosen, n)
        count = second_sets.count
        low = ((math.sqrt(hits + 2 * a2 / 9) - math.sqrt(a2 / 2)) ** 2 - a2 / 18) * total / count
        high = (math.sqrt(upper + a1 / 2) + math.sqrt(a1 / 2)) ** 2 * total / first_sets.count
        ratio = low / high if high > 0 else 0.0
        estimate = total * hits / count
        phases.append({"rr_sets": float(count), "estimate": estimate, "lower": low,
                       "upper_optimum": high, "ratio": ratio})  # fmt: skip
        if ratio >= e1 - epsilon or i == rounds:
            break
        first_sets.extend(draw.sample(reverse, first_sets.count, first_sets.count, seed))
        second_sets.extend(draw.sample(reverse, count, count, second))
    return Selection(
        seeds=[int(s) for s in chosen],
        estimate=estimate,
        rr_sets=first_sets.count,
        rr_sets_total=first_sets.count + second_sets.count,
        lower_bound=max(low, 0.0),
        seconds=time.perf_counter() - started,
        epsilon=epsilon,
        ell=math.log(1 / delta) / math.log(n),
        phases=phases,
        algorithm="opim-c",
        ratio=ratio,
    )
