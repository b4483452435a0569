"""The advocacy model and timed cascades: Monte-Carlo means equal expectations worked out
by hand on stars and chains; delays land in the right hours; homophily and tie strength
push the right way; segments count only themselves; runs are reproducible by seed on any
thread count; and the model runs on a real workspace's map."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numba
import numpy as np
import pytest

from tejido.diffusion.advocacy import (
    ROLE_FAMILIES,
    AdvocacyNetwork,
    AdvocacyParams,
    advocacy_runs,
    arc_attributes,
    map_network,
    role_family,
    stage_probabilities,
)
from tejido.diffusion.cascade import Cascade, exact_spread, spread_runs
from tejido.diffusion.timeline import Delay, TimedRuns, summarise, timed_runs
from tejido.errors import BadInputError
from tejido.workspace import Workspace

RUNS = 200_000
# Rates far from the defaults, so that every stage happens often enough to be measured.
PARAMS = AdvocacyParams(click_rate=0.1, peer_factor=2.0, engage_rate=0.3, seen=0.6,
                        activity_seen=0.4, reshare_share=0.5)  # fmt: skip
S, C, E, R, A = 0.6, 0.2, 0.3, 0.5, 0.4  # seen, click, engage, reshare, activity_seen


def _close(values: Any, expected: float, k: float = 4.0) -> None:
    """The mean of ``values`` is within ``k`` standard errors of ``expected``."""
    v = np.asarray(values, dtype=np.float64)
    error = k * max(float(v.std()), 1e-12) / math.sqrt(v.size)
    assert abs(float(v.mean()) - expected) <= error, (float(v.mean()), expected, error)


def test_a_star_gives_the_expected_counts() -> None:
    leaves = 5
    net = AdvocacyNetwork.from_arcs([0] * leaves, range(1, leaves + 1), leaves + 1,
                                    params=PARAMS)  # fmt: skip
    r = advocacy_runs(net, [0], runs=RUNS, seed=7)
    _close(r.exposed, leaves * S)
    _close(r.clicked, leaves * S * C)
    _close(r.engaged, leaves * S * E)
    _close(r.reshared, leaves * S * E * R)
    nobody = (1 - S * E) ** leaves  # no leaf engages: the tree is the seed alone
    _close(r.depth, 1 - nobody)
    _close(r.size, 1 + leaves * S * E)
    _close(r.breadth, leaves * S * E + nobody)  # max(1, engaged leaves)
    assert (r.engaged <= r.exposed).all() and (r.reshared <= r.engaged).all()


@pytest.mark.parametrize("both_ways", [False, True])
def test_a_chain_gives_the_expected_rounds(both_ways: bool) -> None:
    # 0 -> 1 -> 2 -> 3. Arcs back to someone who engaged (or posted) change nothing, so
    # the chain with arcs both ways has the same expectations.
    src, dst = [0, 1, 2], [1, 2, 3]
    if both_ways:
        src, dst = src + dst, dst + src
    r = advocacy_runs(AdvocacyNetwork.from_arcs(src, dst, 4, params=PARAMS), [0], runs=RUNS,
                      seed=11)  # fmt: skip
    q = E * S * (R + (1 - R) * A)  # one round: engage, then be seen (a re-share or a like)
    seen = [S * q**j for j in range(3)]  # node j + 1 sees the post
    _close(r.exposed, sum(seen))
    _close(r.clicked, C * sum(seen))
    _close(r.engaged, E * sum(seen))
    _close(r.reshared, E * R * sum(seen))
    _close(r.depth, E * sum(seen))  # depth >= j when node j engaged
    _close(r.size, 1 + E * sum(seen))


def test_delays_put_exposures_in_the_right_hours() -> None:
    params = replace(PARAMS, seen=1.0, exposure_delay=Delay(2.0, 0.8))
    bins = [0.5, 1, 2, 4, 8]
    r = advocacy_runs(AdvocacyNetwork.from_arcs([0], [1], 2, params=params), [0], runs=RUNS,
                      seed=3, bins=bins)  # fmt: skip
    for j, hours in enumerate(bins):  # lognormal: P(delay <= h) = Phi(log(h / 2) / 0.8)
        expected = 0.5 * (1 + math.erf(math.log(hours / 2.0) / 0.8 / math.sqrt(2)))
        _close(r.exposed_by[:, j], expected)


def test_fixed_delays_add_up_along_a_chain() -> None:
    params = AdvocacyParams(
        click_rate=0.0,
        engage_rate=1.0,
        seen=1.0,
        reshare_share=1.0,
        exposure_delay=Delay(2.0, 0.0),
        engage_delay=Delay(0.5, 0.0),
    )
    net = AdvocacyNetwork.from_arcs([0, 1], [1, 2], 3, params=params)
    r = advocacy_runs(net, [0], runs=3, bins=[1, 2, 3, 4.5, 5])
    # 1 sees it at 2 h and re-shares at 2.5; 2 sees it at 4.5 and re-shares at 5.
    assert r.exposed_by.tolist() == [[0.0, 1.0, 1.0, 2.0, 2.0]] * 3
    assert r.t50.tolist() == [2.5] * 3 and r.t90.tolist() == [5.0] * 3
    assert r.depth.tolist() == [2] * 3 and r.breadth.tolist() == [1] * 3


def test_growth_is_monotone_and_ends_at_the_final_counts() -> None:
    rng = np.random.default_rng(2)
    src, dst = rng.integers(0, 200, 2000), rng.integers(0, 200, 2000)
    net = AdvocacyNetwork.from_arcs(src, dst, 200, params=PARAMS)
    r = advocacy_runs(net, [0, 1], runs=2000, seed=5, bins=[1, 4, 24, 168, 1e12])
    assert (np.diff(r.exposed_by, axis=1) >= 0).all() and (np.diff(r.clicked_by, axis=1) >= 0).all()
    assert np.array_equal(r.exposed_by[:, -1], r.exposed)
    assert np.array_equal(r.clicked_by[:, -1], r.clicked)
    assert (r.t50 <= r.t90).all() and r.exposed.mean() > 10  # the cascades do spread
    growth = summarise(r)["growth"]
    assert [g["hours"] for g in growth] == [1, 4, 24, 168, 1e12]
    assert growth[-1]["exposed"] == round(float(r.exposed.mean()), 2)


def test_homophily_and_strength_raise_clicks_and_engagement() -> None:
    base = stage_probabilities([0.0], [False], [False])
    for strength, industry, role in [(0.5, False, False), (0.0, True, False),
                                     (0.0, False, True), (1.0, True, True)]:  # fmt: skip
        s = stage_probabilities([strength], [industry], [role])
        assert s.click[0] > base.click[0] and s.engage[0] > base.engage[0]
        assert s.seen[0] == base.seen[0] and s.reshare[0] == base.reshare[0]
    p = AdvocacyParams()
    assert base.click[0] == pytest.approx(p.click_rate * p.peer_factor)
    assert stage_probabilities([1.0], [True], [True]).engage[0] == pytest.approx(
        p.engage_rate * (1 + p.strength_gain) * p.same_industry * p.same_role
    )
    assert stage_probabilities([1.0], [True], [True],
                               AdvocacyParams(engage_rate=0.5)).engage[0] == 1.0  # fmt: skip
    # ... and so the simulated engagement, on a star of strong, like-minded ties.
    star = ([0] * 50, list(range(1, 51)), 51)
    weak = advocacy_runs(AdvocacyNetwork.from_arcs(*star), [0], runs=20_000, seed=1)
    close = AdvocacyNetwork.from_arcs(*star, strength=np.ones(50), same_role=np.ones(50, bool))
    strong = advocacy_runs(close, [0], runs=20_000, seed=1)
    assert strong.engaged.mean() > 4 * weak.engaged.mean()
    assert strong.clicked.mean() > 4 * weak.clicked.mean()
    assert strong.exposed.mean() == pytest.approx(weak.exposed.mean(), rel=0.05)


def test_segment_weights_count_only_the_segment() -> None:
    rng = np.random.default_rng(4)
    src, dst = rng.integers(0, 150, 1500), rng.integers(0, 150, 1500)
    net = AdvocacyNetwork.from_arcs(src, dst, 150, params=PARAMS)
    segment = (np.arange(150) % 3 == 0).astype(float)
    inside = advocacy_runs(net, [1, 2], segment, runs=500, seed=9)
    outside = advocacy_runs(net, [1, 2], 1 - segment, runs=500, seed=9)
    everyone = advocacy_runs(net, [1, 2], None, runs=500, seed=9)
    for name in ("exposed", "clicked", "engaged", "reshared", "exposed_by", "clicked_by"):
        got = getattr(inside, name) + getattr(outside, name)
        assert np.array_equal(got, getattr(everyone, name)), name
    assert 0 < inside.exposed.mean() < everyone.exposed.mean()
    assert np.array_equal(inside.size, everyone.size)  # the tree is not weighted
    # With everyone seeing it, exactly the segment's people count.
    star = AdvocacyNetwork.from_arcs([0] * 9, range(1, 10), 10, params=replace(PARAMS, seen=1))
    weights = np.zeros(10)
    weights[[2, 5, 7]] = 1
    assert advocacy_runs(star, [0], weights, runs=50).exposed.tolist() == [3.0] * 50


def _random_network() -> AdvocacyNetwork:
    rng = np.random.default_rng(5)
    src, dst = rng.integers(0, 300, 3000), rng.integers(0, 300, 3000)
    return AdvocacyNetwork.from_arcs(src, dst, 300, strength=rng.random(3000),
                                     same_role=rng.random(3000) < 0.3, params=PARAMS)  # fmt: skip


def _same(a: TimedRuns, b: TimedRuns) -> bool:
    names = ("exposed", "clicked", "engaged", "reshared", "size", "depth", "breadth", "t50",
             "t90", "exposed_by", "clicked_by")  # fmt: skip
    return all(np.array_equal(getattr(a, n), getattr(b, n)) for n in names)


def test_the_same_seed_gives_the_same_runs_on_any_thread_count() -> None:
    net = _random_network()
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = advocacy_runs(net, [1, 2, 3], runs=300, seed=42)
        numba.set_num_threads(max(before, 2))
        two = advocacy_runs(net, [1, 2, 3], runs=300, seed=42)
    finally:
        numba.set_num_threads(before)
    assert _same(one, two) and one.exposed.std() > 0
    assert not np.array_equal(one.exposed, advocacy_runs(net, [1, 2, 3], runs=300,
                                                         seed=43).exposed)  # fmt: skip
    # Runs split in two (on two machines, say) are the same runs.
    head = advocacy_runs(net, [1, 2, 3], runs=100, seed=42)
    tail = advocacy_runs(net, [1, 2, 3], runs=200, seed=42, first=100)
    assert np.array_equal(np.r_[head.t90, tail.t90], one.t90)
    assert np.array_equal(np.r_[head.exposed, tail.exposed], one.exposed)


def test_a_timed_cascade_spreads_as_the_untimed_one() -> None:
    src, dst = [0, 0, 1, 2, 3, 1, 4, 5, 2], [1, 2, 3, 3, 4, 4, 0, 6, 5]
    cascade = Cascade.from_arcs(src, dst, 7, model="ic", p=0.35)
    r = timed_runs(cascade, [0], runs=RUNS, seed=8)
    _close(r.size, exact_spread(cascade, [0]))
    assert np.array_equal(r.size - 1, r.exposed) and np.array_equal(r.engaged, r.exposed)
    assert not r.clicked.any() and (r.t90 > 0).any()
    rng = np.random.default_rng(1)
    big = Cascade.from_arcs(rng.integers(0, 300, 3000), rng.integers(0, 300, 3000), 300,
                            model="wc")  # fmt: skip
    timed = timed_runs(big, [1, 2], runs=20_000, seed=1).size
    untimed = spread_runs(big, [1, 2], 20_000, seed=2)
    error = 4 * math.hypot(timed.std(), untimed.std()) / math.sqrt(20_000)
    assert abs(timed.mean() - untimed.mean()) <= error


@pytest.mark.parametrize(("make", "field"), [
    (lambda: AdvocacyParams(click_rate=1.5), "click_rate"),
    (lambda: AdvocacyParams(same_role=-1.0), "same_role"),
    (lambda: AdvocacyParams(exposure_delay=3.0), "exposure_delay"),  # type: ignore[arg-type]
    (lambda: Delay(-1.0), "median_hours"),
    (lambda: stage_probabilities([1.5], [False], [False]), "strength"),
    (lambda: AdvocacyNetwork.from_arcs([0], [3], 2), "arcs"),
    (lambda: advocacy_runs(_random_network(), [300]), "seeds"),
    (lambda: advocacy_runs(_random_network(), [1], runs=0), "runs"),
    (lambda: advocacy_runs(_random_network(), [1], np.ones(3)), "weights"),
    (lambda: advocacy_runs(_random_network(), [1], bins=[4, 2]), "bins"),
    (lambda: timed_runs(Cascade.from_arcs([0], [1], 2, model="lt"), [0]), "model"),
])  # fmt: skip
def test_bad_input_names_its_field(make: Any, field: str) -> None:
    with pytest.raises(BadInputError) as err:
        make()
    assert err.value.field == field


def test_every_demo_title_has_its_role_family() -> None:
    from tejido.demo.texts import DEPARTMENT_ROLE, DEPARTMENT_TITLES, DEPARTMENTS, TITLES

    for family, (spanish, english) in TITLES.items():
        for title in spanish + english:
            assert role_family(title) == ROLE_FAMILIES.index(family), (title, family)
    for department in DEPARTMENTS:
        assert role_family(department) == ROLE_FAMILIES.index(DEPARTMENT_ROLE[department])
        if department != "executives":  # a CFO is finance as well as an executive
            for title in DEPARTMENT_TITLES[department]:
                expected = ROLE_FAMILIES.index(DEPARTMENT_ROLE[department])
                assert role_family(title) == expected, title
    assert role_family("") == role_family("Astronaut") == -1


def test_on_a_workspace_map(demo_map: Workspace) -> None:
    from tejido.diffusion.segments import segment_weights

    service = demo_map.diffusion_service
    cm, net = service.maps.map(), service.arcs()
    at = arc_attributes(cm, net)
    assert at.strength.shape == at.same_role.shape == net.src.shape
    assert at.same_industry.any() and at.same_role.any() and not at.same_role.all()
    a, b = net.nodes[net.src], net.nodes[net.dst]
    for k in range(0, net.src.size, max(net.src.size // 50, 1)):  # the tie's own strength
        edge = cm.snap.edge_between(int(a[k]), int(b[k]))
        usable = edge >= 0 and cm.visible[edge]
        expected = cm.strength[edge] if usable else cm.weights.base
        assert at.strength[k] == pytest.approx(float(expected)), k
    network = map_network(cm, net)
    assert network.n == net.n and network.m == np.unique(net.src * net.n + net.dst).size
    assert network.stages.engage.max() > AdvocacyParams().engage_rate  # strong, alike ties
    employees = net.vertex_of(cm.employees)
    seeds = employees[employees >= 0][:10]
    customers = segment_weights(cm, net, relation="customer")
    r = advocacy_runs(network, seeds, runs=300, seed=1)
    aimed = advocacy_runs(network, seeds, customers, runs=300, seed=1)
    assert r.exposed.mean() > 50 and (r.size > len(seeds)).any()
    assert 0 < aimed.exposed.mean() < r.exposed.mean()
    summary = summarise(r)
    assert summary["exposed"]["low"] <= summary["exposed"]["mean"] <= summary["exposed"]["high"]
    assert summary["engaged"]["mean"] <= summary["exposed"]["mean"]
