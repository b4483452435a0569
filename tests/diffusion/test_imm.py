"""IMM: within (1 - 1/e - epsilon) of the exhaustive optimum on small graphs; targeted,
restricted to candidates, reproducible by seed; beats top-degree on a real graph."""

from __future__ import annotations

import gzip
import itertools
import math
from pathlib import Path

import numpy as np
import pytest

from tejido.diffusion.cascade import Cascade, exact_spread, spread_runs
from tejido.diffusion.imm import coverage_estimate, imm
from tejido.diffusion.rrsets import Reverse, RRSets, greedy_cover, sample
from tejido.errors import BadInputError

# Two groups joined by one arc, a hub in the first, a chain in the second: 9 nodes, 11 arcs.
SRC = [0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 3]
DST = [1, 2, 3, 2, 3, 4, 5, 6, 7, 8, 0]


def _optimum(cascade: Cascade, k: int, allowed: list[int] | None = None,
             targets: list[float] | None = None) -> float:  # fmt: skip
    pool = allowed if allowed is not None else range(cascade.n)
    best = 0.0
    for chosen in itertools.combinations(pool, k):
        value = _value(cascade, list(chosen), targets)
        best = max(best, value)
    return best


def _value(cascade: Cascade, seeds: list[int], targets: list[float] | None = None) -> float:
    if targets is None:
        return exact_spread(cascade, seeds)
    # The expected target weight reached: by linearity, sum of each node's reach chance.
    total = 0.0
    for v, w in enumerate(targets):
        if w:
            chance = _reach_chance(cascade, seeds, v)
            total += w * chance
    return total


def _reach_chance(cascade: Cascade, seeds: list[int], v: int) -> float:
    src = np.repeat(np.arange(cascade.n), np.diff(cascade.indptr))
    p, dst = cascade.prob, cascade.dst.astype(np.int64)
    chance = 0.0
    for mask in range(1 << cascade.m):
        live = np.array([(mask >> j) & 1 for j in range(cascade.m)], dtype=bool)
        weight = float(np.prod(np.where(live, p, 1 - p)))
        active = set(seeds)
        frontier = list(seeds)
        while frontier:
            u = frontier.pop()
            for x in dst[live & (src == u)].tolist():
                if x not in active:
                    active.add(x)
                    frontier.append(x)
        chance += weight * (v in active)
    return chance


@pytest.mark.parametrize(("model", "k"), [("ic", 2), ("wc", 2), ("lt", 2), ("ic", 3)])
def test_within_the_bound_of_the_exhaustive_optimum(model: str, k: int) -> None:
    cascade = Cascade.from_arcs(SRC, DST, 9, model=model, p=0.4)
    best = _optimum(cascade, k)
    for epsilon in (0.1, 0.3):
        result = imm(cascade, k, epsilon=epsilon, seed=7)
        got = exact_spread(cascade, result.seeds)
        assert len(result.seeds) == k
        assert got >= (1 - 1 / math.e - epsilon) * best, (model, k, epsilon, got, best)
        assert abs(result.estimate - got) <= epsilon * best


def test_candidates_and_targets() -> None:
    cascade = Cascade.from_arcs(SRC, DST, 9, model="ic", p=0.4)
    allowed = [1, 2, 5, 6, 8]
    result = imm(cascade, 2, candidates=allowed, seed=3)
    assert set(result.seeds) <= set(allowed)
    got = exact_spread(cascade, result.seeds)
    assert got >= (1 - 1 / math.e - 0.1) * _optimum(cascade, 2, allowed)
    # Only the chain's end counts: the seeds go where reaching it is likeliest.
    targets = [0.0] * 8 + [1.0]
    aimed = imm(cascade, 1, targets=targets, seed=3)
    best = _optimum(cascade, 1, targets=targets)
    assert _value(cascade, aimed.seeds, targets) >= (1 - 1 / math.e - 0.1) * best
    assert aimed.seeds == [8] and aimed.estimate == pytest.approx(1.0)


def test_reproducible_by_seed_and_by_blocks() -> None:
    rng = np.random.default_rng(2)
    src, dst = rng.integers(0, 2000, 12000), rng.integers(0, 2000, 12000)
    cascade = Cascade.from_arcs(src, dst, 2000, model="wc")
    a = imm(cascade, 10, epsilon=0.3, seed=11)
    b = imm(cascade, 10, epsilon=0.3, seed=11, workers=1)
    assert a.seeds == b.seeds and a.estimate == b.estimate and a.rr_sets == b.rr_sets
    reverse = Reverse.of(cascade)
    whole = sample(reverse, 0, 10_000, seed=5)
    parts = sample(reverse, 0, 4_000, seed=5)
    parts.extend(sample(reverse, 4_000, 6_000, seed=5))
    assert np.array_equal(whole.nodes, parts.nodes) and np.array_equal(whole.offsets, parts.offsets)


def test_greedy_cover_counts_sets_once() -> None:
    # Sets {0, 1}, {1}, {2, 3}, {3}, {4}.
    sets = RRSets(np.array([0, 1, 1, 2, 3, 3, 4], dtype=np.int32),
                  np.array([0, 2, 3, 5, 6, 7], dtype=np.int64))  # fmt: skip
    seeds, covered = greedy_cover(sets, 5, 2)
    assert seeds.tolist() == [1, 3] and covered == 4
    only, hit = greedy_cover(sets, 5, 2, np.array([False, False, False, True, True]))
    assert only.tolist() == [3, 4] and hit == 3


def test_beats_top_degree_on_ego_facebook() -> None:
    path = Path(__file__).resolve().parents[3] / "shared" / "data" / "ego-facebook"
    with gzip.open(path / "facebook_combined.txt.gz") as f:
        pairs = np.loadtxt(f, dtype=np.int64)
    n = int(pairs.max()) + 1
    src, dst = np.r_[pairs[:, 0], pairs[:, 1]], np.r_[pairs[:, 1], pairs[:, 0]]
    cascade = Cascade.from_arcs(src, dst, n, model="wc")
    result = imm(cascade, 20, epsilon=0.2, seed=1)
    degree = np.argsort(-np.bincount(src, minlength=n), kind="stable")[:20]
    ours = spread_runs(cascade, result.seeds, 4000, seed=9).mean()
    theirs = spread_runs(cascade, degree, 4000, seed=9).mean()
    assert ours > theirs * 1.05
    assert abs(coverage_estimate(cascade, result.seeds, 50_000) - ours) < 0.05 * ours


def test_bad_parameters() -> None:
    cascade = Cascade.from_arcs(SRC, DST, 9)
    for kwargs in ({"k": 0}, {"k": 2, "epsilon": 1.5}):
        with pytest.raises(BadInputError):
            imm(cascade, **kwargs)  # type: ignore[arg-type]
