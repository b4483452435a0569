"""Cascade models: Monte-Carlo spread equals the exact expected spread (every live-arc
world enumerated) on small graphs; runs are reproducible by seed, on any thread count."""

from __future__ import annotations

import numba
import numpy as np
import pytest

from tejido.diffusion.cascade import Cascade, exact_spread, spread_runs
from tejido.errors import BadInputError

# A small directed graph with a cycle, two paths into node 4 and a dead end.
SRC = [0, 0, 1, 2, 3, 1, 4, 5, 2]
DST = [1, 2, 3, 3, 4, 4, 0, 6, 5]
RUNS = 200_000


def _within(cascade: Cascade, seeds: list[int]) -> tuple[float, float]:
    runs = spread_runs(cascade, seeds, RUNS, seed=3)
    exact = exact_spread(cascade, seeds)
    error = 4 * runs.std() / np.sqrt(RUNS)  # four standard errors
    return abs(runs.mean() - exact), max(error, 1e-9)


@pytest.mark.parametrize("model", ["ic", "wc", "lt"])
@pytest.mark.parametrize("seeds", [[0], [2, 6], [0, 5]])
def test_monte_carlo_equals_the_exact_spread(model: str, seeds: list[int]) -> None:
    cascade = Cascade.from_arcs(SRC, DST, 7, model=model, p=0.35)
    gap, error = _within(cascade, seeds)
    assert gap <= error, (model, seeds, gap, error)


def test_given_probabilities_and_lt_weights() -> None:
    prob = [0.9, 0.1, 0.5, 0.5, 0.3, 0.7, 0.2, 0.6, 0.4]
    gap, error = _within(Cascade.from_arcs(SRC, DST, 7, model="ic", prob=prob), [0])
    assert gap <= error
    weights = [0.9, 0.8, 0.3, 0.4, 0.2, 0.5, 0.6, 0.9, 0.1]  # into 3: 0.7, into 4: 0.7
    gap, error = _within(Cascade.from_arcs(SRC, DST, 7, model="lt", prob=weights), [0])
    assert gap <= error


def test_weighted_cascade_is_one_over_in_degree() -> None:
    c = Cascade.from_arcs(SRC, DST, 7, model="wc")
    indeg = np.bincount(DST, minlength=7)
    src = np.repeat(np.arange(7), np.diff(c.indptr))
    assert np.allclose(c.prob, 1 / indeg[c.dst]) and sorted(zip(src.tolist(), c.dst.tolist(),
                                                               strict=True)) == sorted(
        zip(SRC, DST, strict=True))  # fmt: skip


def test_the_same_seed_gives_the_same_runs_on_any_thread_count() -> None:
    rng = np.random.default_rng(5)
    src, dst = rng.integers(0, 300, 3000), rng.integers(0, 300, 3000)
    c = Cascade.from_arcs(src, dst, 300, model="ic", p=0.05)
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = spread_runs(c, [1, 2, 3], 500, seed=42)
        numba.set_num_threads(max(before, 2))
        two = spread_runs(c, [1, 2, 3], 500, seed=42)
    finally:
        numba.set_num_threads(before)
    assert np.array_equal(one, two)
    assert not np.array_equal(one, spread_runs(c, [1, 2, 3], 500, seed=43))


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"model": "sir"}, "model"), ({"model": "ic", "p": 1.5}, "p"),
    ({"model": "ic", "prob": [2.0] * 9}, "prob"), ({"model": "lt", "prob": [1.0] * 9}, "prob"),
])  # fmt: skip
def test_bad_models_and_probabilities(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(BadInputError) as err:
        Cascade.from_arcs(SRC, DST, 7, **kwargs)  # type: ignore[arg-type]
    assert err.value.field == field


def test_bad_seeds_and_arcs() -> None:
    c = Cascade.from_arcs(SRC, DST, 7)
    with pytest.raises(BadInputError):
        spread_runs(c, [7])
    with pytest.raises(BadInputError):
        spread_runs(c, [0], runs=0)
    with pytest.raises(BadInputError):
        Cascade.from_arcs([0], [9], 7)
