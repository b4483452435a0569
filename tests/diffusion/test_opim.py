"""OPIM-C: within (1 - 1/e - epsilon) of the exhaustive optimum, with the ratio it proves
holding; its greedy upper bound is a true bound; RR sets are unbiased on every sampling
path (geometric skips for shared probabilities, arc by arc otherwise)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from tejido.diffusion.cascade import Cascade, exact_spread
from tejido.diffusion.imm import imm
from tejido.diffusion.opim import opim
from tejido.diffusion.rrsets import Reverse, RRSets, covered_by, greedy_bound, sample
from tejido.errors import BadInputError

SRC = [0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 3]
DST = [1, 2, 3, 2, 3, 4, 5, 6, 7, 8, 0]
# Per-arc probabilities that differ into a node (node 2 and 3 take two arcs each).
PROB = [0.9, 0.2, 0.5, 0.6, 0.3, 0.7, 0.4, 0.8, 0.5, 0.6, 0.35]


def _cascades() -> list[Cascade]:
    return [
        Cascade.from_arcs(SRC, DST, 9, model="wc"),
        Cascade.from_arcs(SRC, DST, 9, model="ic", p=0.4),
        Cascade.from_arcs(SRC, DST, 9, model="ic", prob=PROB),
        Cascade.from_arcs(SRC, DST, 9, model="lt"),
        Cascade.from_arcs(SRC, DST, 9, model="lt", prob=np.asarray(PROB) / 2),
    ]


@pytest.mark.parametrize("index", range(5))
def test_rr_sets_estimate_every_single_seed_spread(index: int) -> None:
    cascade = _cascades()[index]
    sets = sample(Reverse.of(cascade), 0, 200_000, seed=4)
    for v in range(cascade.n):
        exact = exact_spread(cascade, [v])
        estimate = cascade.n * covered_by(sets, [v], cascade.n) / sets.count
        assert estimate == pytest.approx(exact, abs=0.03 + 0.01 * exact), (index, v)


def test_shared_probabilities_take_the_fast_path() -> None:
    wc = Reverse.of(_cascades()[0])
    mixed = Reverse.of(_cascades()[2])
    assert (wc.common >= 0).all()
    assert mixed.common[2] == -1 and mixed.common[3] == -1 and mixed.common[1] == 0.9


@pytest.mark.parametrize(("index", "k"), [(0, 2), (1, 2), (2, 3), (3, 2), (4, 2)])
def test_within_the_bound_of_the_exhaustive_optimum(index: int, k: int) -> None:
    cascade = _cascades()[index]
    best = max(exact_spread(cascade, list(c)) for c in itertools.combinations(range(9), k))
    result = opim(cascade, k, epsilon=0.1, seed=5)
    got = exact_spread(cascade, result.seeds)
    assert len(result.seeds) == k and result.algorithm == "opim-c"
    assert got >= (1 - 1 / math.e - 0.1) * best
    assert result.ratio is not None and result.ratio > 0
    # What it proves holds: the lower bound is below the seeds' spread.
    assert result.lower_bound <= got + 1e-9


def test_greedy_upper_bound_is_a_bound() -> None:
    rng = np.random.default_rng(3)
    lengths = rng.integers(1, 4, 300)
    nodes = rng.integers(0, 12, lengths.sum()).astype(np.int32)
    sets = RRSets(nodes, np.r_[0, np.cumsum(lengths)].astype(np.int64))
    for k in (1, 2, 3):
        seeds, covered, upper = greedy_bound(sets, 12, k)
        best = max(covered_by(sets, c, 12) for c in itertools.combinations(range(12), k))
        assert covered <= best <= upper
        assert covered == covered_by(sets, seeds, 12)


def test_candidates_targets_reproducible_and_close_to_imm() -> None:
    rng = np.random.default_rng(8)
    src, dst = rng.integers(0, 3000, 15000), rng.integers(0, 3000, 15000)
    cascade = Cascade.from_arcs(src, dst, 3000, model="wc")
    a = opim(cascade, 10, seed=2)
    b = opim(cascade, 10, seed=2, workers=1)
    assert a.seeds == b.seeds and a.estimate == b.estimate
    full = imm(cascade, 10, seed=2)
    assert a.estimate >= 0.9 * full.estimate
    allowed = np.arange(0, 3000, 3)
    only = opim(cascade, 5, candidates=allowed, seed=1)
    assert set(only.seeds) <= set(allowed.tolist())
    targets = np.zeros(3000)
    targets[:100] = 1.0
    aimed = opim(cascade, 3, targets=targets, seed=1)
    assert 0 < aimed.estimate <= 100


def test_bad_parameters() -> None:
    cascade = Cascade.from_arcs(SRC, DST, 9)
    with pytest.raises(BadInputError):
        opim(cascade, 2, delta=2.0)
    with pytest.raises(BadInputError):
        opim(cascade, 0)
