"""The contact map on a real network: SNAP's email-Eu-core (1,005 people, 16,064 ties once
merged, 42 departments), imported as an edge list, checked against networkx and the
department labels."""

from __future__ import annotations

import gzip
import math
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from scipy.stats import mannwhitneyu
from sqlalchemy import select

from tejido.contactmap.degrees import reach_levels
from tejido.contactmap.paths import warm_paths
from tejido.contactmap.view import ContactMap
from tejido.store.models import PersonIdentifier, table_of
from tejido.workspace import Workspace

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "email-eu-core"


@pytest.fixture(scope="module")
def email(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ContactMap, dict[int, int]]]:
    if not DATA.exists():
        pytest.fail(f"the shared data set is missing: {DATA}")
    ws = Workspace(tmp_path_factory.mktemp("email") / "ws")
    ws.import_edges(DATA / "email-Eu-core.txt.gz", directed=True)
    PI = table_of(PersonIdentifier)
    with ws.store.read() as conn:
        rows = conn.execute(select(PI.c.person_id, PI.c.value).where(PI.c.kind == "external"))
        person_of = {int(value.split(":")[1]): int(pid) for pid, value in rows}
    cm = ws.map()
    node_of = {raw: int(cm.snap.index_of([pid])[0]) for raw, pid in person_of.items()}
    yield cm, node_of
    ws.close()


@pytest.fixture(scope="module")
def graph() -> nx.Graph:
    g = nx.Graph()
    with gzip.open(DATA / "email-Eu-core.txt.gz", "rt") as f:
        for line in f:
            if line.strip():
                a, b = map(int, line.split())
                if a != b:
                    g.add_edge(a, b)
    return g


def test_the_merged_ties_are_the_undirected_graph(email, graph: nx.Graph) -> None:
    cm, _ = email
    assert cm.snap.n_edges == graph.number_of_edges() == 16064


def test_reach_by_degree_equals_breadth_first_search(email, graph: nx.Graph) -> None:
    cm, node_of = email
    raw_of = {v: k for k, v in node_of.items()}
    for raw in (0, 17, 160, 434, 1004):
        start = np.zeros(cm.snap.n_nodes, dtype=bool)
        start[node_of[raw]] = True
        levels = reach_levels(cm, start, 3)
        mine = {raw_of[i]: int(levels[i]) for i in np.flatnonzero(levels >= 0)}
        theirs = nx.single_source_shortest_path_length(graph, raw, cutoff=3)
        assert mine == theirs


def test_warm_paths_are_the_strongest_of_all_short_paths(email, graph: nx.Graph) -> None:
    cm, node_of = email
    raw_of = {v: k for k, v in node_of.items()}
    snap, strength = cm.snap, cm.strength

    def s(a: int, b: int) -> float:
        return float(strength[snap.edge_between(node_of[a], node_of[b])])

    rng = np.random.default_rng(5)
    low = [n for n in graph if graph.degree(n) <= 8]
    checked = 0
    for _ in range(12):
        a, b = (int(x) for x in rng.choice(low, 2, replace=False))
        every = list(nx.all_simple_paths(graph, a, b, cutoff=3))
        found = warm_paths(cm, [node_of[b]], source=node_of[a], max_hops=3, k=3, spread=1.0)
        if not every:
            assert found == []
            continue
        best = max(math.prod(s(p[i], p[i + 1]) for i in range(len(p) - 1)) for p in every)
        assert found and found[0].score == pytest.approx(best, rel=1e-6)
        for path in found:
            raw = [raw_of[n] for n in path.nodes]
            assert raw[0] == a and raw[-1] == b and len(set(raw)) == len(raw)
            assert all(graph.has_edge(x, y) for x, y in pairwise(raw))
        checked += 1
    assert checked >= 6


def test_strength_is_higher_within_departments(email) -> None:
    """Ties inside a department should score higher than ties across (AUC >= 0.7):
    there are no messages here, so this checks the embeddedness signal on real data."""
    cm, node_of = email
    with gzip.open(DATA / "email-Eu-core-department-labels.txt.gz", "rt") as f:
        dept_of = dict(tuple(map(int, line.split())) for line in f if line.strip())
    dept = np.full(cm.snap.n_nodes, -1)
    for raw, node in node_of.items():
        dept[node] = dept_of[raw]
    same = dept[cm.snap.u] == dept[cm.snap.v]
    s = cm.strength.astype(float)
    auc = mannwhitneyu(s[same], s[~same]).statistic / (same.sum() * (~same).sum())
    print(f"AUC of strength for same-department ties: {auc:.3f}")
    assert auc >= 0.7
