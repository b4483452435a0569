"""The contact map as a graph to draw: a sample of people, or organisations and departments
aggregated, for one viewer, as columns ready for JSON (the web app's map draws them).

Two modes:

- **people**: at most ``limit`` people (default 3,000, at most 50,000), taken in this
  order: the people asked for (``focus``), then employees (most ties first), then
  contacts by how many employees know them, then by their strongest tie, then by node
  order. Edges are the drawable ties between the people taken, at most
  ``EDGES_PER_NODE * limit`` and ``MAX_EDGES``: each person's strongest tie first, so
  that nobody taken hangs loose, then the strongest of the rest.
- **organisations**: one node per department of our company (``d<index>``, ``d-1`` for
  employees with no department) and one per organisation (``o<org id>``; the ``limit``
  with most ties), our own company aside. An edge's weight is the number of ties between
  the two groups (an employee's department and the contact's current organisation).

Consent is drawn with the masks every other view uses (``ContactMap``):

- an employee (any viewer who does not see named ties) sees their own ties only
  (``mine``), in both modes: their own network;
- a private employee is no node at all, unless they are the viewer;
- the people map draws detailed ties (the contact may be named) and ties between two
  employees (always named: they are whom to ask; such a tie is drawn as existence only,
  with no strength nor class, unless it is detailed). A tie the viewer may only know to
  exist is never drawn to its contact: it is counted on its employee (``hidden``), and a
  contact with no tie but those is not drawn. Drawing it to a named contact would tell
  who the contact is;
- the organisations map counts every tie the viewer may use (existence-only ties count
  in aggregates, as in coverage) and names nobody.

Filters: ``relation`` (a tie class), ``min_strength``, ``department`` (ties of its
employees) and ``org`` (ties to people who work there now). In the people map a class
or a strength can only be compared on detailed ties: a relation or strength filter
drops the others.

Initial positions are deterministic (``seed``): departments around a circle, employees
in a spiral around their department's place, contacts by the employees who know them,
organisations outside their main department. The browser's ForceAtlas2 starts from them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import select

from tejido.contactmap.lookup import org_labels
from tejido.contactmap.relations import TIE_RELATIONS
from tejido.contactmap.service import ContactMapService
from tejido.contactmap.view import ContactMap, Viewer
from tejido.errors import BadInputError, NotFoundError
from tejido.snapshot.model import LEVEL_PRIVATE, ORG_RELATIONS
from tejido.store.models import Person, table_of

__all__ = [
    "CONTACT",
    "DEFAULT_LIMIT",
    "DEPARTMENT",
    "EDGES_PER_NODE",
    "EMPLOYEE",
    "KINDS",
    "MAX_EDGES",
    "MAX_LIMIT",
    "MODES",
    "ORGANISATION",
    "GraphView",
    "graph_view",
    "map_graph",
]

Mode = Literal["people", "organisations"]
MODES: tuple[Mode, ...] = ("people", "organisations")
DEFAULT_LIMIT = 3_000
MAX_LIMIT = 50_000
EDGES_PER_NODE = 3
MAX_EDGES = 100_000  # what a browser without a GPU still redraws in about a second
KINDS = ("employee", "contact", "department", "organisation")
EMPLOYEE, CONTACT, DEPARTMENT, ORGANISATION = range(4)
_GOLDEN = math.pi * (3 - math.sqrt(5))

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]


@dataclass
class GraphView:
    """What to draw: parallel node and edge columns (positions into the node columns).

    ``node`` holds snapshot node indices (people), organisation indices (organisations)
    or department codes (departments, -1 for none), as ``kind`` says. ``relation``,
    ``department`` and ``organisation`` are codes into ``relation_keys``, the snapshot's
    departments and the snapshot's organisations (-1: none or not shown).
    """

    mode: Mode
    node: I64
    kind: NDArray[np.int8]
    x: F64
    y: F64
    size: F64
    relation: I64
    department: I64
    organisation: I64
    ties: I64  # people: drawable ties (filters applied); groups: ties counted
    employees: I64  # contacts and organisations: employees who know them; departments: members
    hidden: I64  # employees: ties to people the viewer may not see named
    source: I64
    target: I64
    weight: F64  # people: strength (NaN on a tie drawn as existence only); groups: ties
    edge_relation: I64
    edge_hidden: NDArray[np.bool_]
    relation_keys: tuple[str, ...]
    focus: I64  # positions of the focus nodes that were drawn
    totals: dict[str, int] = field(default_factory=dict)
    truncated: bool = False

    @property
    def n_nodes(self) -> int:
        return len(self.node)

    @property
    def n_edges(self) -> int:
        return len(self.source)


@dataclass(frozen=True)
class _Filters:
    relation: int  # tie class, -1: any
    department: int  # department index, -1: any
    org: int  # organisation index, -1: any
    min_strength: float

    @property
    def on_details(self) -> bool:
        """A filter only detailed ties can pass (class and strength are details)."""
        return self.relation >= 0 or self.min_strength > 0

    @property
    def any(self) -> bool:
        return self.on_details or self.department >= 0 or self.org >= 0


def _check(
    cm: ContactMap,
    mode: str,
    limit: int,
    relation: str | None,
    department: str | None,
    org: int | None,
    min_strength: float,
) -> _Filters:
    """The filters as indices, once every parameter is checked (one message template)."""

    def wrong(name: str, expected: str, got: object) -> BadInputError:
        return BadInputError(
            f"The '{name}' parameter of graph_view must be {expected}. Got {got!r} instead.",
            field=name,
        )

    if mode not in MODES:
        raise wrong("mode", f"one of {', '.join(MODES)}", mode)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise wrong("limit", f"an int in [1, {MAX_LIMIT}]", limit)
    ok = isinstance(min_strength, int | float) and not isinstance(min_strength, bool)
    if not ok or not math.isfinite(min_strength) or not 0 <= min_strength <= 1:
        raise wrong("min_strength", "a number in [0, 1]", min_strength)
    rel = -1
    if relation is not None:
        if relation not in TIE_RELATIONS:
            raise wrong("relation", f"one of {', '.join(TIE_RELATIONS)}", relation)
        rel = TIE_RELATIONS.index(relation)
    dep = -1
    if department is not None:
        if department not in cm.snap.departments:
            known = ", ".join(cm.snap.departments) or "none known"
            raise wrong("department", f"a department ({known})", department)
        dep = cm.snap.departments.index(department)
    o = -1
    if org is not None:
        if isinstance(org, bool) or not isinstance(org, int):
            raise wrong("org", "an organisation id (int) or None", org)
        o = int(cm.snap.org_index_of([org])[0])
        if o < 0:
            raise NotFoundError(f"organisation {org} is not in the contact map")
    return _Filters(rel, dep, o, float(min_strength))


def graph_view(
    cm: ContactMap,
    *,
    mode: str = "people",
    limit: int = DEFAULT_LIMIT,
    relation: str | None = None,
    department: str | None = None,
    org: int | None = None,
    min_strength: float = 0.0,
    focus: Any = (),
    seed: int = 0,
) -> GraphView:
    """The graph to draw of ``cm`` as its viewer may see it (see the module docstring).

    Parameters
    ----------
    cm : ContactMap
        The contact map as one viewer sees it (``ContactMapService.map(viewer)``).
    mode : {"people", "organisations"}
        A sample of people, or departments and organisations aggregated.
    limit : int, default 3000
        At most this many people (people mode) or organisations (organisations mode;
        departments come on top); at most 50,000.
    relation : str, optional
        Only ties of this class (``TIE_RELATIONS``).
    department : str, optional
        Only ties of this department's employees.
    org : int, optional
        An organisation id: only ties to people who work there now.
    min_strength : float, default 0.0
        Only ties at least this strong.
    focus : sequence of int, optional
        Snapshot node indices to draw first (people mode), when the viewer may.
    seed : int, default 0
        Seed of the initial positions' jitter.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from tejido.snapshot.cache import SnapshotCache
    >>> from tejido.store.session import Store
    >>> snap = SnapshotCache(Store("sqlite://"), pathlib.Path(tempfile.mkdtemp())).get()
    >>> view = graph_view(ContactMap(snap), limit=10)
    >>> (view.mode, view.n_nodes, view.n_edges, view.truncated)
    ('people', 0, 0, False)
    """
    filters = _check(cm, mode, limit, relation, department, org, min_strength)
    rng = np.random.default_rng(seed)
    if mode == "people":
        return _people(cm, filters, limit, np.asarray(focus, dtype=np.int64).ravel(), rng)
    return _organisations(cm, filters, limit, rng)


# -- what the viewer may draw --------------------------------------------------------------


@dataclass
class _Scope:
    u: I64
    v: I64
    employee: NDArray[np.bool_]  # per node
    barred: NDArray[np.bool_]  # per node: private employees but the viewer
    usable: NDArray[np.bool_]  # per edge: ties the viewer may use here at all


def _scope(cm: ContactMap) -> _Scope:
    snap = cm.snap
    u, v = snap.u.astype(np.int64), snap.v.astype(np.int64)
    employee = snap.consent >= 0
    barred = snap.consent == LEVEL_PRIVATE
    if cm.me >= 0:
        barred[cm.me] = False
    # An employee's map is their own network; an analyst's is every tie they may use.
    usable = cm.visible if cm.viewer.sees_named_ties else cm.mine
    usable = usable & ~barred[u] & ~barred[v]
    return _Scope(u, v, employee, barred, usable)


def _filtered(cm: ContactMap, s: _Scope, f: _Filters, keep: NDArray[np.bool_]) -> I64:
    snap = cm.snap
    if f.relation >= 0:
        keep &= cm.relation == f.relation
    if f.min_strength > 0:
        keep &= cm.strength >= f.min_strength
    if f.department >= 0:
        at = s.employee & (snap.department == f.department)
        keep &= at[s.u] | at[s.v]
    if f.org >= 0:
        at = snap.org == f.org
        keep &= at[s.u] | at[s.v]
    return np.flatnonzero(keep)


def _first_per_node(ends: I64, other: I64, rank: F64, n: int) -> I64:
    """For each node, the lowest ``other`` among its entries of lowest ``rank`` (-1: none).

    Two passes of ``ufunc.at`` instead of a sort: linear in the entries.
    """
    out = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    if len(ends):
        best = np.full(n, np.inf)
        np.minimum.at(best, ends, rank)
        hit = rank == best[ends]
        np.minimum.at(out, ends[hit], other[hit])
    out[out == np.iinfo(np.int64).max] = -1
    return out


def _top(score: F64, limit: int) -> I64:
    """Positions of the ``limit`` lowest scores, ties to the lower position, in order."""
    if len(score) > limit:
        kth = np.partition(score, limit - 1)[limit - 1]
        below = np.flatnonzero(score < kth)
        equal = np.flatnonzero(score == kth)[: limit - len(below)]
        chosen = np.concatenate([below, equal])
    else:
        chosen = np.arange(len(score), dtype=np.int64)
    return chosen[np.lexsort((chosen, score[chosen]))]


def _distinct(keys: I64) -> tuple[I64, I64]:
    """Sorted distinct values of ``keys`` and their counts (``np.unique`` hashes first,
    which is many times slower on a million keys)."""
    ordered = np.sort(keys)
    start = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(keys) else ordered
    counts = np.diff(np.r_[start, len(ordered)]).astype(np.int64)
    return ordered[start], counts


def _sizes(value: I64, low: float, high: float) -> F64:
    top = float(value.max()) if len(value) else 0.0
    scaled: F64 = np.sqrt(value / top) if top > 0 else np.zeros(len(value))
    return np.round(low + (high - low) * scaled, 2)


def _anchors(pu: I64, pv: I64, is_emp: NDArray[np.bool_], weight: F64) -> tuple[I64, I64]:
    """Per drawn node: its strongest drawn tie to an employee, and that employee (-1)."""
    k = len(is_emp)
    which = np.arange(len(pu), dtype=np.int64)
    to_u = is_emp[pu] & ~is_emp[pv]  # the contact is v
    to_v = is_emp[pv] & ~is_emp[pu]
    ends = np.concatenate([pv[to_u], pu[to_v]])
    edge = np.concatenate([which[to_u], which[to_v]])
    rank = -np.concatenate([weight[to_u], weight[to_v]])
    best = _first_per_node(ends, edge, rank, k)
    got = best >= 0
    employee = np.full(k, -1, dtype=np.int64)
    e = best[got]
    employee[got] = np.where(is_emp[pu[e]], pu[e], pv[e])
    return best, employee


def _circle(groups: I64, n_groups: int) -> tuple[F64, F64, float]:
    """Centres of the groups present, evenly around a unit circle, and a disc radius."""
    present = np.flatnonzero(np.bincount(groups, minlength=n_groups))
    angle = np.zeros(n_groups)
    angle[present] = 2 * np.pi * np.arange(len(present)) / max(len(present), 1)
    radius = 1.0 if len(present) > 1 else 0.0
    disc = min(0.45, np.pi / max(len(present), 1)) if len(present) > 1 else 0.6
    return radius * np.cos(angle), radius * np.sin(angle), disc


def _people_positions(
    pu: I64,
    pv: I64,
    is_emp: NDArray[np.bool_],
    department: I64,
    n_departments: int,
    rng: np.random.Generator,
) -> tuple[F64, F64]:
    """Employees in a spiral around their department's place; contacts by their employees."""
    k = len(is_emp)
    x, y = np.zeros(k), np.zeros(k)
    group = np.where(department >= 0, department, n_departments).astype(np.int64)
    staff = np.flatnonzero(is_emp)
    if len(staff):
        cx, cy, disc = _circle(group[staff], n_departments + 1)
        order = staff[np.lexsort((staff, group[staff]))]
        g = group[order]
        rank = np.arange(len(order)) - np.searchsorted(g, g)
        count = np.bincount(g, minlength=n_departments + 1)[g]
        r = disc * np.sqrt((rank + 0.5) / count)
        x[order] = cx[g] + r * np.cos(rank * _GOLDEN)
        y[order] = cy[g] + r * np.sin(rank * _GOLDEN)
    # A contact sits by the employees who know them, a little off (seeded).
    a, b = np.concatenate([pu, pv]), np.concatenate([pv, pu])
    m = ~is_emp[a] & is_emp[b]
    known = np.bincount(a[m], minlength=k)
    sx = np.bincount(a[m], weights=x[b[m]], minlength=k)
    sy = np.bincount(a[m], weights=y[b[m]], minlength=k)
    contacts = np.flatnonzero(~is_emp)
    angle = rng.uniform(0, 2 * np.pi, len(contacts))
    near = known[contacts] > 0
    r = np.where(near, rng.uniform(0.04, 0.16, len(contacts)), rng.uniform(1.5, 1.8, len(contacts)))
    base_x = np.where(near, sx[contacts] / np.maximum(known[contacts], 1), 0.0)
    base_y = np.where(near, sy[contacts] / np.maximum(known[contacts], 1), 0.0)
    x[contacts] = base_x + r * np.cos(angle)
    y[contacts] = base_y + r * np.sin(angle)
    return np.round(x, 4), np.round(y, 4)


# -- people ---------------------------------------------------------------------------------


def _people(
    cm: ContactMap, f: _Filters, limit: int, focus: I64, rng: np.random.Generator
) -> GraphView:
    snap, s = cm.snap, _scope(cm)
    n = snap.n_nodes
    u, v, emp = s.u, s.v, s.employee
    both = emp[u] & emp[v]
    drawable = s.usable & (cm.detailed | both)
    keep = drawable & cm.detailed if f.on_details else drawable.copy()
    edges = _filtered(cm, s, f, keep)
    eu, ev = u[edges], v[edges]

    # Candidates: people on a tie that passes; and, unfiltered, every employee in scope.
    candidate = np.zeros(n, dtype=bool)
    candidate[eu] = True
    candidate[ev] = True
    if not f.any:
        if cm.viewer.sees_named_ties:
            candidate |= emp & ~s.barred
        elif cm.me >= 0:
            candidate[cm.me] = True
    nodes = np.flatnonzero(candidate)

    # Rank: focus, employees (most ties), contacts (employees who know them, best tie).
    detailed = cm.detailed[edges]
    strength = np.where(detailed, cm.strength[edges], 0.0).astype(np.float64)
    degree = np.bincount(eu, minlength=n) + np.bincount(ev, minlength=n)
    one = emp[eu] ^ emp[ev]
    knows = np.bincount(np.where(emp[eu[one]], ev[one], eu[one]), minlength=n)
    best = np.zeros(n)
    np.maximum.at(best, eu, strength)
    np.maximum.at(best, ev, strength)
    tier = np.where(emp[nodes], 1.0, 2.0)
    focus = focus[(focus >= 0) & (focus < n)]
    tier[np.isin(nodes, focus)] = 0.0
    primary = np.where(emp[nodes], degree[nodes], knows[nodes] + 0.999 * best[nodes])
    chosen = nodes[_top(tier * 1e7 - primary, limit)]
    position = np.full(n, -1, dtype=np.int64)
    position[chosen] = np.arange(len(chosen))

    # Edges between the people taken; capped, each person's strongest tie kept first.
    inside = (position[eu] >= 0) & (position[ev] >= 0)
    e_in, pu, pv = edges[inside], position[eu[inside]], position[ev[inside]]
    w_in = strength[inside]
    cap = min(EDGES_PER_NODE * limit, MAX_EDGES)
    if len(e_in) > cap:
        ends = np.concatenate([pu, pv])
        which = np.tile(np.arange(len(e_in), dtype=np.int64), 2)
        must = _first_per_node(ends, which, -np.tile(w_in, 2), len(chosen))
        taken = np.zeros(len(e_in), dtype=bool)
        taken[must[must >= 0]] = True
        rest = np.flatnonzero(~taken)
        taken[rest[_top(-w_in[rest], max(cap - int(taken.sum()), 0))]] = True
        e_in, pu, pv, w_in = e_in[taken], pu[taken], pv[taken], w_in[taken]

    # A contact's anchor: the employee on their strongest drawn tie (department, class).
    k = len(chosen)
    is_emp = emp[chosen]
    anchor_edge, anchor = _anchors(pu, pv, is_emp, w_in)
    department = np.where(is_emp, snap.department[chosen], -1).astype(np.int64)
    department = np.where(~is_emp & (anchor >= 0), department[np.maximum(anchor, 0)], department)
    edge_class = np.where(cm.detailed[e_in], cm.relation[e_in], -1).astype(np.int64)
    relation = np.zeros(k, dtype=np.int64)  # 0: employee
    anchor_class = np.full(k, -1, dtype=np.int64)
    valid = anchor_edge >= 0
    anchor_class[valid] = edge_class[anchor_edge[valid]]
    relation[~is_emp] = np.where(anchor_class[~is_emp] >= 0, anchor_class[~is_emp] + 1, -1)

    hidden_tie = s.usable & ~drawable & (emp[u] | emp[v])
    hidden = np.bincount(u[hidden_tie & emp[u]], minlength=n) + np.bincount(
        v[hidden_tie & emp[v]], minlength=n
    )
    x, y = _people_positions(pu, pv, is_emp, department, len(snap.departments), rng)
    # Smaller dots when there are many: thousands of big ones would merge into one blot.
    big = 4 + 8 * min(1.0, math.sqrt(60 / max(int(is_emp.sum()), 1)))
    small = 2 + 3 * min(1.0, math.sqrt(2_000 / max(int((~is_emp).sum()), 1)))
    size = np.where(
        is_emp, _sizes(degree[chosen], min(3.0, big), big), _sizes(knows[chosen], 1.5, small)
    )
    order = np.argsort(e_in, kind="stable")
    weight = np.where(cm.detailed[e_in], cm.strength[e_in], np.nan).astype(np.float64)
    return GraphView(
        mode="people",
        node=chosen.astype(np.int64),
        kind=np.where(is_emp, EMPLOYEE, CONTACT).astype(np.int8),
        x=x,
        y=y,
        size=size,
        relation=relation,
        department=department,
        organisation=snap.org[chosen].astype(np.int64),
        ties=degree[chosen].astype(np.int64),
        employees=np.where(is_emp, 0, knows[chosen]).astype(np.int64),
        hidden=np.where(is_emp, hidden[chosen], 0).astype(np.int64),
        source=pu[order],
        target=pv[order],
        weight=np.round(weight[order], 3),
        edge_relation=np.where(edge_class[order] >= 0, edge_class[order] + 1, -1),
        edge_hidden=~cm.detailed[e_in][order],
        relation_keys=("employee", *TIE_RELATIONS),
        focus=np.flatnonzero(np.isin(chosen, focus)).astype(np.int64),
        totals={"nodes": len(nodes), "edges": len(edges), "hidden": int(hidden_tie.sum())},
        truncated=len(nodes) > len(chosen) or int(inside.sum()) > len(e_in),
    )


# -- organisations -------------------------------------------------------------------------


def _organisations(cm: ContactMap, f: _Filters, limit: int, rng: np.random.Generator) -> GraphView:
    snap, s = cm.snap, _scope(cm)
    n_orgs, nd = snap.n_orgs, len(snap.departments)
    D = nd + 1  # department groups: 0..nd-1, and nd for employees with no department
    edges = _filtered(cm, s, f, s.usable.copy())
    emp = s.employee
    org = snap.org.astype(np.int64)
    ours = snap.of_org(snap.org_is_ours, org, False)
    dept = np.where(snap.department >= 0, snap.department, nd).astype(np.int64)
    # Each person's group: their department (employees) or D + their organisation.
    group = np.where(emp, dept, np.where((org >= 0) & ~ours, D + org, -1))
    ga, gb = group[s.u[edges]], group[s.v[edges]]
    placed = (ga >= 0) & (gb >= 0)
    lo, hi = np.minimum(ga, gb)[placed], np.maximum(ga, gb)[placed]
    strength = cm.strength[edges[placed]].astype(np.float64)

    # Ties per group (a tie inside one group counts once), and per department x organisation.
    G = D + n_orgs
    ties = np.bincount(lo, minlength=G) + np.bincount(hi[hi != lo], minlength=G)
    power = np.bincount(lo, weights=strength, minlength=G)
    power += np.bincount(hi[hi != lo], weights=strength[hi != lo], minlength=G)
    d_o = (lo < D) & (hi >= D)
    matrix = np.bincount((hi[d_o] - D) * D + lo[d_o], minlength=n_orgs * D).reshape(n_orgs, D)
    # Employees who know someone there (a person is in one group: pairs are distinct ties).
    u_in, v_in = s.u[edges][placed], s.v[edges][placed]
    staff = np.where(emp[u_in], u_in, v_in)[d_o]
    pairs, _ = _distinct((hi[d_o] - D) * snap.n_nodes + staff)
    knowing = np.bincount(pairs // max(snap.n_nodes, 1), minlength=n_orgs)

    # Organisations with most ties first (then strength, then index); departments on top.
    org_ties, org_power = ties[D:], power[D:]
    candidates = np.flatnonzero(org_ties > 0)
    ranked = candidates[np.lexsort((candidates, -org_power[candidates], -org_ties[candidates]))]
    chosen_orgs = ranked[:limit]
    members = np.bincount(dept[emp & ~s.barred], minlength=D)
    if cm.viewer.sees_named_ties and not f.any:
        departments = np.flatnonzero((ties[:D] > 0) | (members > 0))
    else:
        departments = np.flatnonzero(ties[:D] > 0)
    chosen = np.concatenate([departments, D + chosen_orgs]).astype(np.int64)
    position = np.full(G, -1, dtype=np.int64)
    position[chosen] = np.arange(len(chosen))

    # Edges: pairs of drawn groups, weighted by their number of ties.
    pair = (lo != hi) & (position[lo] >= 0) & (position[hi] >= 0)
    keys, counts = _distinct(lo[pair] * G + hi[pair])
    source, target = position[keys // G], position[keys % G]

    is_dep = chosen < D
    k_dep = len(departments)
    main = np.where(matrix[chosen_orgs].sum(axis=1) > 0, matrix[chosen_orgs].argmax(axis=1), nd)
    department = np.concatenate([departments, main]).astype(np.int64)
    department[department == nd] = -1
    relation = np.concatenate(
        [np.zeros(k_dep, dtype=np.int64), snap.org_relation[chosen_orgs].astype(np.int64) + 1]
    )
    relation[k_dep:][snap.org_relation[chosen_orgs] < 0] = -1
    x, y = _org_positions(matrix[chosen_orgs], departments, org_ties[chosen_orgs], D, rng)
    size = np.concatenate([_sizes(ties[departments], 8, 18), _sizes(org_ties[chosen_orgs], 2, 14)])
    return GraphView(
        mode="organisations",
        node=np.where(is_dep, np.where(chosen == nd, -1, chosen), chosen - D).astype(np.int64),
        kind=np.where(is_dep, DEPARTMENT, ORGANISATION).astype(np.int8),
        x=x,
        y=y,
        size=size,
        relation=relation,
        department=department,
        organisation=np.where(is_dep, -1, chosen - D).astype(np.int64),
        ties=ties[chosen].astype(np.int64),
        employees=np.concatenate([members[departments], knowing[chosen_orgs]]).astype(np.int64),
        hidden=np.zeros(len(chosen), dtype=np.int64),
        source=source.astype(np.int64),
        target=target.astype(np.int64),
        weight=counts.astype(np.float64),
        edge_relation=np.full(len(keys), -1, dtype=np.int64),
        edge_hidden=np.zeros(len(keys), dtype=bool),
        relation_keys=("department", *ORG_RELATIONS),
        focus=np.zeros(0, dtype=np.int64),
        totals={
            "nodes": len(candidates) + len(departments),
            "edges": len(edges),
            "unplaced": int((~placed).sum()),
        },
        truncated=len(candidates) > len(chosen_orgs),
    )


def _org_positions(
    matrix: NDArray[np.int64],
    departments: I64,
    org_ties: I64,
    n_groups: int,
    rng: np.random.Generator,
) -> tuple[F64, F64]:
    """Departments on an inner circle; an organisation outside the departments that know
    it, the more ties the closer in."""
    cx, cy, _ = _circle(departments, n_groups)
    cx, cy = 0.4 * cx, 0.4 * cy
    weights = matrix.astype(np.float64)
    dx, dy = weights @ cx, weights @ cy
    angle = np.where(
        (dx != 0) | (dy != 0), np.arctan2(dy, dx), rng.uniform(0, 2 * np.pi, len(org_ties))
    )
    angle = angle + rng.normal(0, 0.25, len(org_ties))
    top = max(int(org_ties.max()), 1) if len(org_ties) else 1
    r = 0.8 + 0.9 * (1 - np.sqrt(org_ties / top)) + rng.uniform(0, 0.25, len(org_ties))
    x = np.concatenate([cx[departments], r * np.cos(angle)])
    y = np.concatenate([cy[departments], r * np.sin(angle)])
    return np.round(x, 4), np.round(y, 4)


# -- labels and JSON -------------------------------------------------------------------------


def _names(service: ContactMapService, person_ids: list[int]) -> dict[int, str]:
    """Display names only: ``lookup.person_labels`` also reads identifiers and employee
    rows, five times slower for the 50,000 people of a large map."""
    P = table_of(Person)
    out: dict[int, str] = {}
    with service.store.read() as conn:
        for i in range(0, len(person_ids), 900):
            part = person_ids[i : i + 900]
            out.update({int(k): str(v) for k, v in conn.execute(
                select(P.c.id, P.c.display_name).where(P.c.id.in_(part))).all()})  # fmt: skip
    return out


def _codes(values: I64, weights: I64) -> tuple[I64, list[int]]:
    """``values`` (>= 0, or -1) as codes into the distinct values, heaviest first."""
    present = values >= 0
    if not present.any():
        return np.full(len(values), -1, dtype=np.int64), []
    distinct, inverse = np.unique(values[present], return_inverse=True)
    total = np.bincount(inverse, weights=weights[present], minlength=len(distinct))
    order = np.lexsort((distinct, -total))
    code_of = np.empty(len(distinct), dtype=np.int64)
    code_of[order] = np.arange(len(distinct))
    out = np.full(len(values), -1, dtype=np.int64)
    out[present] = code_of[inverse]
    return out, distinct[order].tolist()


def map_graph(
    service: ContactMapService,
    viewer: Viewer | None = None,
    *,
    q: str | None = None,
    mode: str = "people",
    limit: int = DEFAULT_LIMIT,
    relation: str | None = None,
    department: str | None = None,
    org: int | None = None,
    min_strength: float = 0.0,
    seed: int = 0,
) -> dict[str, Any]:
    """``graph_view`` for ``viewer`` with names, as JSON-ready columns.

    ``q`` names people to draw first (as people search finds them, among those the viewer
    may see named); their positions are listed in ``focus``. Nodes are ``p<person id>``,
    ``o<organisation id>`` and ``d<department index>``; codes index into ``keys``.

    Examples
    --------
    >>> import tempfile
    >>> from tejido.workspace import Workspace
    >>> data = map_graph(Workspace(tempfile.mkdtemp()).contact_map)
    >>> (data["mode"], data["nodes"]["id"], data["keys"]["kind"])
    ('people', [], ['employee', 'contact', 'department', 'organisation'])
    """
    cm = service.map(viewer)
    snap = cm.snap
    focus: list[int] = []
    if q and q.strip() and mode == "people":
        found = service.search_people(viewer, q, limit=20)
        wanted = [int(p["id"]) for p in found if p.get("id") is not None]
        focus = [int(i) for i in snap.index_of(wanted) if i >= 0]
    view = graph_view(cm, mode=mode, limit=limit, relation=relation, department=department,
                      org=org, min_strength=min_strength, focus=focus, seed=seed)  # fmt: skip

    people = view.kind <= CONTACT
    pids = snap.person_id[view.node[people]].tolist()
    names = _names(service, pids)
    # Every person drawn may be named by construction; the mask is checked once more.
    named = (snap.consent[view.node[people]] >= 0) | cm.node_detailed[view.node[people]]
    organisation, org_keys = _codes(
        view.organisation,
        view.ties if view.mode == "organisations" else np.ones(view.n_nodes, dtype=np.int64),
    )
    org_ids = snap.org_id[np.asarray(org_keys, dtype=np.int64)].tolist() if org_keys else []
    with service.store.read() as conn:
        org_names = org_labels(conn, org_ids)

    ids: list[str] = []
    labels: list[str | None] = []
    person_at = iter(zip(pids, named.tolist(), strict=True))
    for kind, node in zip(view.kind.tolist(), view.node.tolist(), strict=True):
        if kind <= CONTACT:
            pid, ok = next(person_at)
            # Never a person id without their name: an unnamed person is a bare position.
            ids.append(f"p{pid}" if ok else f"h{len(ids)}")
            labels.append(names.get(pid, f"person {pid}") if ok else None)
        elif kind == DEPARTMENT:
            ids.append(f"d{node}")
            labels.append(snap.departments[node] if node >= 0 else None)
        else:
            oid = int(snap.org_id[node])
            ids.append(f"o{oid}")
            label = org_names.get(oid)
            labels.append(label.name if label else f"organisation {oid}")
    weight = [None if w != w else w for w in view.weight.tolist()]
    return {
        "mode": view.mode,
        "nodes": {
            "id": ids,
            "label": labels,
            "kind": view.kind.tolist(),
            "x": view.x.tolist(),
            "y": view.y.tolist(),
            "size": view.size.tolist(),
            "relation": view.relation.tolist(),
            "department": view.department.tolist(),
            "organisation": organisation.tolist(),
            "ties": view.ties.tolist(),
            "employees": view.employees.tolist(),
            "hidden": view.hidden.tolist(),
        },
        "edges": {
            "source": view.source.tolist(),
            "target": view.target.tolist(),
            "weight": weight,
            "relation": view.edge_relation.tolist(),
            "hidden": view.edge_hidden.tolist(),
        },
        "keys": {
            "kind": list(KINDS),
            "relation": list(view.relation_keys),
            "department": list(snap.departments),
            "organisation": [
                {"id": oid, "name": org_names[oid].name if oid in org_names else None}
                for oid in org_ids
            ],
        },
        "focus": view.focus.tolist(),
        "totals": view.totals,
        "truncated": view.truncated,
    }
