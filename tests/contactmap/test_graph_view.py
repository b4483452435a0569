"""The graph the map draws: limits, the sampling rule, consent, aggregation and filters,
on the 80-employee demo company."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tejido.contactmap.graph_view import (
    CONTACT,
    DEPARTMENT,
    EDGES_PER_NODE,
    EMPLOYEE,
    ORGANISATION,
    GraphView,
    graph_view,
    map_graph,
)
from tejido.contactmap.lookup import person_labels
from tejido.contactmap.relations import TIE_RELATIONS
from tejido.contactmap.view import ContactMap, Viewer
from tejido.errors import BadInputError, NotFoundError
from tejido.snapshot.model import LEVEL_EXISTENCE
from tejido.workspace import Workspace


@pytest.fixture(scope="module")
def cm(demo_map: Workspace) -> ContactMap:
    return demo_map.contact_map.map()


def _edges(cm: ContactMap, view: GraphView) -> np.ndarray:
    """The snapshot edge behind each drawn people edge."""
    a, b = view.node[view.source], view.node[view.target]
    return np.array([cm.snap.edge_between(int(x), int(y)) for x, y in zip(a, b, strict=True)])


def _only_through(cm: ContactMap, level: int) -> int:
    """A contact whose every tie is of one consent level (test_consent's cases)."""
    snap = cm.snap
    lv = np.asarray(snap.level)
    lowest = np.full(snap.n_nodes, 9)
    highest = np.full(snap.n_nodes, -1)
    for end in (snap.u, snap.v):
        np.minimum.at(lowest, end, lv)
        np.maximum.at(highest, end, lv)
    ok = (snap.consent < 0) & (lowest == level) & (highest == level)
    assert ok.any()
    return int(np.flatnonzero(ok)[0])


def _counted(view: GraphView) -> int:
    """Ties an organisations view places: on its edges, or inside one department."""
    ends = np.r_[view.source, view.target]
    weight = np.bincount(ends, weights=np.r_[view.weight, view.weight], minlength=view.n_nodes)
    deps = view.kind == DEPARTMENT
    return int(view.weight.sum() + view.ties[deps].sum() - weight[deps].sum())


# -- people: limits and the sampling rule --------------------------------------------------


@pytest.mark.parametrize("limit", [1, 10, 100, 1_000, 50_000])
def test_limits_are_honoured(cm: ContactMap, limit: int) -> None:
    view = graph_view(cm, limit=limit)
    assert view.n_nodes <= limit and view.n_edges <= EDGES_PER_NODE * limit
    assert len(np.unique(view.node)) == view.n_nodes
    assert view.truncated == (view.totals["nodes"] > view.n_nodes or view.n_edges < len(
        np.flatnonzero(_inside(cm, view))))  # fmt: skip
    for column in (view.kind, view.x, view.y, view.size, view.relation, view.ties):
        assert len(column) == view.n_nodes
    for column in (view.target, view.weight, view.edge_relation, view.edge_hidden):
        assert len(column) == view.n_edges
    assert (view.source < view.n_nodes).all() and (view.target < view.n_nodes).all()


def _inside(cm: ContactMap, view: GraphView) -> np.ndarray:
    """Drawable ties between the people drawn (before the edge cap)."""
    snap = cm.snap
    drawn = np.zeros(snap.n_nodes, dtype=bool)
    drawn[view.node] = True
    emp = snap.consent >= 0
    drawable = cm.visible & (cm.detailed | (emp[snap.u] & emp[snap.v]))
    return drawable & drawn[snap.u] & drawn[snap.v]


def test_employees_come_first_then_the_contacts_most_colleagues_know(cm: ContactMap) -> None:
    snap = cm.snap
    full = graph_view(cm, limit=50_000)
    assert not full.truncated and full.n_nodes == full.totals["nodes"]
    staff = np.flatnonzero(snap.consent > 0)  # employees who did not choose private
    view = graph_view(cm, limit=len(staff) + 200)
    assert set(staff) <= set(view.node.tolist())
    assert (view.kind[: len(staff)] == EMPLOYEE).all()
    # Every contact left out is known by no more colleagues than any contact drawn.
    drawn = view.node[view.kind == CONTACT]
    knows = dict(zip(full.node.tolist(), full.employees.tolist(), strict=True))
    left_out = set(full.node[full.kind == CONTACT].tolist()) - set(drawn.tolist())
    assert left_out and min(knows[int(n)] for n in drawn) >= max(knows[n] for n in left_out)
    # ... and the drawn ones come most-known first.
    in_order = [knows[int(n)] for n in drawn]
    assert in_order == sorted(in_order, reverse=True)


def test_nobody_drawn_hangs_loose_when_edges_are_capped(cm: ContactMap) -> None:
    view = graph_view(cm, limit=300)
    assert view.n_edges == EDGES_PER_NODE * 300  # the cap bites on this map
    degree = np.bincount(np.r_[view.source, view.target], minlength=view.n_nodes)
    inside = _inside(cm, view)
    snap = cm.snap
    has_tie = np.isin(view.node, np.r_[snap.u[inside], snap.v[inside]])
    assert (degree[has_tie] > 0).all()


def test_positions_are_seeded(cm: ContactMap) -> None:
    one, same = graph_view(cm, limit=500, seed=1), graph_view(cm, limit=500, seed=1)
    other = graph_view(cm, limit=500, seed=2)
    assert np.array_equal(one.x, same.x) and np.array_equal(one.y, same.y)
    assert not np.array_equal(one.x, other.x)
    assert np.array_equal(one.node, other.node)


def test_people_asked_for_are_drawn_first(cm: ContactMap) -> None:
    view = graph_view(cm, limit=50_000)
    last = int(view.node[-1])  # the least known contact drawn
    focused = graph_view(cm, limit=5, focus=[last])
    assert int(focused.node[0]) == last and focused.focus.tolist() == [0]


# -- consent --------------------------------------------------------------------------------


def test_an_analyst_sees_named_ties_and_ties_between_colleagues_only(cm: ContactMap) -> None:
    snap = cm.snap
    view = graph_view(cm, limit=50_000)
    assert not (snap.consent[view.node] == 0).any(), "a private employee is drawn"
    edges = _edges(cm, view)
    assert (edges >= 0).all() and cm.visible[edges].all()
    emp = snap.consent >= 0
    both = emp[snap.u[edges]] & emp[snap.v[edges]]
    assert (cm.detailed[edges] | both).all()
    assert np.array_equal(view.edge_hidden, ~cm.detailed[edges])
    assert np.isnan(view.weight[view.edge_hidden]).all()
    assert (view.edge_relation[view.edge_hidden] == -1).all()
    # Every contact drawn is named through a tie drawn in full.
    for pos in np.flatnonzero(view.kind == CONTACT):
        on = (view.source == pos) | (view.target == pos)
        assert on.any() and not view.edge_hidden[on].all()
        assert cm.node_detailed[view.node[pos]]
    # Ties that may only be known to exist are counted on their employees, not drawn.
    hidden = cm.visible & ~cm.detailed & ~(emp[snap.u] & emp[snap.v])
    assert view.totals["hidden"] == int(hidden.sum()) > 0
    assert view.hidden.sum() == int(hidden.sum())


@pytest.mark.parametrize("level", [0, LEVEL_EXISTENCE])
def test_a_contact_known_only_through_private_or_existence_ties_is_never_drawn(
    demo_map: Workspace, cm: ContactMap, level: int
) -> None:
    node = _only_through(cm, level)
    pid = int(cm.snap.person_id[node])
    with demo_map.store.read() as conn:
        label = person_labels(conn, [pid])[pid]
    for mode in ("people", "organisations"):
        view = graph_view(cm, mode=mode, limit=50_000)
        assert node not in set(view.node[view.kind <= CONTACT].tolist())
        text = json.dumps(map_graph(demo_map.contact_map, mode=mode, limit=50_000))
        assert label.name not in text and f'"p{pid}"' not in text
    private = cm.snap.person_id[cm.snap.consent == 0].tolist()
    text = json.dumps(map_graph(demo_map.contact_map, limit=50_000))
    assert not [p for p in private if f'"p{p}"' in text]


def test_an_employee_sees_their_own_network_only(demo_map: Workspace, cm: ContactMap) -> None:
    snap = cm.snap
    for consent in (2, 0):  # a named and a private employee: both see their own ties
        me = int(np.flatnonzero(snap.consent == consent)[0])
        mine = demo_map.contact_map.map(Viewer("employee", int(snap.person_id[me])))
        view = graph_view(mine, limit=50_000)
        nbrs, _ = snap.neighbours(me)
        nbrs = nbrs[snap.consent[nbrs] != 0]  # a private colleague is nobody's node
        assert set(view.node.tolist()) == {me, *nbrs.tolist()}
        edges = _edges(mine, view)
        assert mine.mine[edges].all() and not view.edge_hidden.any()
        assert view.totals["hidden"] == 0
        groups = graph_view(mine, mode="organisations", limit=50_000)
        assert groups.totals["edges"] == len(nbrs)
        assert _counted(groups) + groups.totals["unplaced"] == len(nbrs)


# -- organisations --------------------------------------------------------------------------


def test_organisation_figures_are_the_sums_of_their_ties(
    demo_map: Workspace, cm: ContactMap
) -> None:
    view = graph_view(cm, mode="organisations", limit=50_000)
    assert not view.truncated
    orgs = view.kind == ORGANISATION
    deps = view.kind == DEPARTMENT
    assert (view.kind[: deps.sum()] == DEPARTMENT).all()
    # The same figures as coverage: ties and colleagues who know someone there.
    table = demo_map.coverage(limit=None).set_index("org_id")
    for o, ties, knowing in zip(
        view.node[orgs], view.ties[orgs], view.employees[orgs], strict=True
    ):
        row = table.loc[int(cm.snap.org_id[o])]
        assert (ties, knowing) == (row["ties"], row["employees"])
    # An organisation's ties are the weights of its edges (no contact–contact ties here).
    pos = np.flatnonzero(orgs)
    weight = np.bincount(np.r_[view.source, view.target], weights=np.r_[view.weight, view.weight],
                         minlength=view.n_nodes)  # fmt: skip
    assert np.array_equal(weight[pos], view.ties[pos])
    # Every tie counted is on an edge or inside one department, or could not be placed.
    assert _counted(view) + view.totals["unplaced"] == view.totals["edges"]
    assert view.totals["edges"] == int(cm.visible.sum())


def test_organisations_are_ranked_by_ties(cm: ContactMap) -> None:
    full = graph_view(cm, mode="organisations", limit=50_000)
    top = graph_view(cm, mode="organisations", limit=20)
    assert top.truncated and (top.kind == ORGANISATION).sum() == 20
    orgs = top.ties[top.kind == ORGANISATION]
    assert list(orgs) == sorted(orgs, reverse=True)
    assert orgs.min() >= np.sort(full.ties[full.kind == ORGANISATION])[::-1][20]


# -- filters -------------------------------------------------------------------------------


def test_filters(cm: ContactMap) -> None:
    snap = cm.snap
    customer = TIE_RELATIONS.index("customer")
    view = graph_view(cm, relation="customer", limit=50_000)
    assert (
        view.n_edges and (view.edge_relation == customer + 1).all() and not view.edge_hidden.any()
    )
    assert set(view.relation[view.kind == CONTACT].tolist()) == {customer + 1}

    view = graph_view(cm, min_strength=0.4, limit=50_000)
    assert view.n_edges and (view.weight >= 0.4).all()

    sales = snap.departments.index("sales")
    view = graph_view(cm, department="sales", limit=50_000)
    edges = _edges(cm, view)
    at = (snap.consent >= 0) & (snap.department == sales)
    assert view.n_edges and (at[snap.u[edges]] | at[snap.v[edges]]).all()

    org_id = int(snap.org_id[np.bincount(snap.org[snap.org >= 0]).argmax()])
    o = int(snap.org_index_of([org_id])[0])
    view = graph_view(cm, org=org_id, limit=50_000)
    edges = _edges(cm, view)
    assert view.n_edges and ((snap.org[snap.u[edges]] == o) | (snap.org[snap.v[edges]] == o)).all()
    groups = graph_view(cm, mode="organisations", org=org_id, limit=50_000)
    assert groups.node[groups.kind == ORGANISATION].tolist() == [o]


@pytest.mark.parametrize(
    ("options", "error", "words"),
    [
        ({"mode": "cities"}, BadInputError, "'mode' parameter of graph_view must be one of"),
        ({"limit": 0}, BadInputError, "an int in [1, 50000]. Got 0 instead"),
        ({"limit": 50_001}, BadInputError, "Got 50001 instead"),
        ({"relation": "friend"}, BadInputError, "one of colleague"),
        ({"department": "nowhere"}, BadInputError, "a department (engineering"),
        ({"min_strength": -0.1}, BadInputError, "a number in [0, 1]"),
        ({"org": 10**9}, NotFoundError, "is not in the contact map"),
    ],
)
def test_wrong_options_are_refused(cm: ContactMap, options: dict, error: type, words: str) -> None:
    with pytest.raises(error) as info:
        graph_view(cm, **options)
    assert words in str(info.value)
