"""Seed 002's calculator reproduces the blog's figures; the graph's version counts shared
audiences once."""

from __future__ import annotations

import numpy as np
import pytest

from tejido.diffusion.calculator import Assumptions, blog_reach, graph_reach
from tejido.errors import BadInputError
from tejido.influence.suspicious import follow_rows
from tejido.workspace import Workspace


def test_the_blogs_own_figures() -> None:
    r = blog_reach()
    assert r.corporate_visits == 50  # 5,000 followers x 1% clicks
    assert r.employee_audience == 20_000  # 10 employees x 2 networks x 1,000 contacts
    assert blog_reach(employees=100).employee_audience == 200_000
    assert r.curated_reach == 600_000  # x10 curation, x3 peers: "close to half a million"
    assert r.corporate_engaged_exposure == 250_000  # 5,000 x 5% x 1,000
    assert r.employee_engaged_exposure == 1_000_000
    assert r.curated_engaged_exposure >= 2_000_000  # "several millions"
    assert r.employee_visits == pytest.approx(600.0)  # 20,000 x 1% x 3


@pytest.mark.parametrize(("field", "value"), [("click_rate", 1.5), ("employees", -1),
                                              ("curation", "ten"), ("contacts", 2.5)])  # fmt: skip
def test_bad_assumptions_name_their_field(field: str, value: object) -> None:
    with pytest.raises(BadInputError) as err:
        blog_reach(**{field: value})
    assert err.value.field == field


def test_on_the_graph_shared_audiences_count_once(demo_map: Workspace) -> None:
    cm = demo_map.map()
    snap = cm.snap
    employees = np.flatnonzero(snap.consent == 2)
    degree = np.diff(np.asarray(snap.indptr))[employees]
    chosen = employees[np.argsort(-degree)[:10]]
    reach = graph_reach(cm, chosen)
    # The slow way: the set of neighbours on usable ties, LinkedIn either way.
    seen: list[set[int]] = []
    for e in chosen.tolist():
        lo, hi = snap.indptr[e], snap.indptr[e + 1]
        mine = set()
        for other, edge in zip(snap.nbr[lo:hi].tolist(), snap.eid[lo:hi].tolist(), strict=True):
            if cm.visible[edge]:
                mine.add(other)
        seen.append(mine)
    assert sorted(reach.audiences) == sorted(len(s) for s in seen)
    assert reach.distinct == len(set().union(*seen)) < reach.summed == sum(map(len, seen))
    assert reach.overlap == pytest.approx(1 - reach.distinct / reach.summed) and reach.overlap > 0
    assert abs(reach.blog.employee_audience - reach.summed) <= 10
    assert reach.visits == pytest.approx(reach.distinct * 0.01 * 3)
    with demo_map.store.read() as conn:
        follows = follow_rows(conn)
    with_x = graph_reach(cm, chosen, follows=follows)
    assert with_x.distinct >= reach.distinct and with_x.summed >= reach.summed
    with pytest.raises(BadInputError):
        graph_reach(cm, [snap.n_nodes + 5])
    assert Assumptions().networks == 2
