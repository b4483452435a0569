"""Bridges: participation and communities reached checked by hand and by plain loops; Burt's
constraint and effective size checked against networkx on Zachary's karate club and on
SNAP's email-Eu-core (1,005 people, 16,064 ties once merged, 19 left isolated)."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from tejido.errors import BadInputError
from tejido.influence.bridges import (
    bridges,
    communities_reached,
    constraint,
    effective_size,
    participation,
)
from tejido.influence.graph import Network

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "email-eu-core"


def _weighted(g: nx.Graph, seed: int) -> Network:
    """``g`` with a random weight in (0, 1] on every tie."""
    src, dst = np.array(g.edges()).T
    weight = 1.0 - np.random.default_rng(seed).random(len(src))  # in (0, 1]
    return Network.from_edges(src, dst, directed=False, weight=weight, n=g.number_of_nodes())


@pytest.fixture(scope="module")
def karate() -> Network:
    return _weighted(nx.karate_club_graph(), seed=3)


@pytest.fixture(scope="module")
def email() -> Network:
    path = DATA / "email-Eu-core.txt.gz"
    if not path.exists():
        pytest.fail(f"the shared data set is missing: {path}")
    with gzip.open(path) as f:
        pairs = np.array(f.read().split(), dtype=np.int64).reshape(-1, 2)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]  # self-loops dropped
    weight = 1.0 - np.random.default_rng(7).random(len(pairs))
    return Network.from_edges(pairs[:, 0], pairs[:, 1], directed=False, weight=weight, n=1005)


@pytest.fixture(scope="module")
def departments() -> NDArray[np.int64]:
    with gzip.open(DATA / "email-Eu-core-department-labels.txt.gz") as f:
        rows = np.array(f.read().split(), dtype=np.int64).reshape(-1, 2)
    labels = np.zeros(1005, dtype=np.int64)
    labels[rows[:, 0]] = rows[:, 1]
    return labels


def _array(values: dict[Any, float], n: int) -> NDArray[np.float64]:
    return np.array([values[v] for v in range(n)], dtype=np.float64)


def _same(ours: NDArray[np.float64], theirs: NDArray[np.float64]) -> None:
    assert ours.shape == theirs.shape
    assert np.array_equal(np.isnan(ours), np.isnan(theirs))
    assert np.allclose(ours, theirs, rtol=1e-9, atol=1e-12, equal_nan=True)


# -- Burt's measures against networkx --------------------------------------------------------


@pytest.mark.parametrize("graph", ["karate", "email"])
@pytest.mark.parametrize("weighted", [True, False])
def test_constraint_equals_networkx(graph: str, weighted: bool, request: Any) -> None:
    net: Network = request.getfixturevalue(graph)
    g = net.networkx()
    theirs = _array(nx.constraint(g, weight="weight" if weighted else None), net.n)
    _same(constraint(net, weighted=weighted), theirs)
    if graph == "email":
        assert np.isnan(theirs).sum() == 19  # the people who only wrote to themselves


@pytest.mark.parametrize("weighted", [True, False])
def test_constraint_equals_networkx_node_by_node(karate: Network, weighted: bool) -> None:
    g = karate.networkx()
    theirs = nx.constraint(g, nodes=list(g), weight="weight" if weighted else None)
    _same(constraint(karate, weighted=weighted), _array(theirs, karate.n))


@pytest.mark.parametrize("graph", ["karate", "email"])
def test_effective_size_unweighted_equals_networkx(graph: str, request: Any) -> None:
    net: Network = request.getfixturevalue(graph)
    theirs = _array(nx.effective_size(net.networkx(), weight=None), net.n)
    _same(effective_size(net, weighted=False), theirs)


def test_effective_size_weighted_equals_networkx(karate: Network, email: Network) -> None:
    # networkx's all-nodes fast path (3.6) divides each column, not each row, by its
    # maximum when weighted (networkx PR #8906), so it disagrees with its own definition and
    # with its node-by-node path; the node-by-node path is the reference here.
    g = karate.networkx()
    theirs = nx.effective_size(g, nodes=list(g), weight="weight")
    _same(effective_size(karate), _array(theirs, karate.n))

    # On email-Eu-core the node-by-node path is slow at hubs: the isolated people and a
    # sample of people with few ties (their contacts may have many).
    g = email.networkx()
    degree = email.degree
    rng = np.random.default_rng(11)
    few = rng.choice(np.flatnonzero((degree > 0) & (degree <= 12)), 25, replace=False)
    sample = np.r_[np.flatnonzero(degree == 0), few].tolist()
    theirs = nx.effective_size(g, nodes=sample, weight="weight")
    ours = effective_size(email)
    _same(ours[sample], np.array([theirs[v] for v in sample]))


def _dense_reference(net: Network) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Burt's formulas written out over the dense weight matrix (small graphs only)."""
    n = net.n
    W = np.zeros((n, n))
    W[net.src, net.dst] = net.weight
    W[net.dst, net.src] = net.weight
    with np.errstate(invalid="ignore", divide="ignore"):
        p = W / W.sum(axis=1, keepdims=True)  # p_ij = w_ij / s_i
        m = W / W.max(axis=1, keepdims=True)  # m_jq = w_jq / max_k w_jk
    p, m = np.nan_to_num(p), np.nan_to_num(m)
    tied = W > 0
    local = (p + p @ p) ** 2
    burt = np.where(tied, local, 0.0).sum(axis=1)
    size = np.where(tied, 1.0 - p @ m.T, 0.0).sum(axis=1)
    isolated = ~tied.any(axis=1)
    burt[isolated] = size[isolated] = np.nan
    return burt, size


def test_weighted_measures_equal_the_written_out_formulas(email: Network) -> None:
    burt, size = _dense_reference(email)
    _same(constraint(email), burt)
    _same(effective_size(email), size)


def test_small_graph_by_hand() -> None:
    # A triangle 0-1-2, a pendant 3 on 2, an isolated 4. Unweighted, p_ij = 1 / deg(i).
    net = Network.from_edges([0, 0, 1, 2], [1, 2, 2, 3], n=5)
    # c_0: the tie to 1 is also reached through 2 (p_02 p_21), the tie to 2 through 1.
    c0 = (1 / 2 + 1 / 2 * 1 / 3) ** 2 + (1 / 2 + 1 / 2 * 1 / 2) ** 2
    c2 = (1 / 3 + 1 / 3 * 1 / 2) ** 2 * 2 + (1 / 3) ** 2
    _same(constraint(net, weighted=False), np.array([c0, c0, c2, 1.0, np.nan]))
    # Borgatti: n - 2t/n; 2 has three contacts with one tie among them.
    _same(effective_size(net, weighted=False), np.array([1.0, 1.0, 3 - 2 / 3, 1.0, np.nan]))


def test_directed_network_is_measured_undirected(email: Network) -> None:
    # 500 ties made mutual, the way back weaker: the stronger arc is the pair's weight.
    src, dst = np.r_[email.src, email.dst[:500]], np.r_[email.dst, email.src[:500]]
    weight = np.r_[email.weight, email.weight[:500] / 2]
    flipped = Network.from_edges(src, dst, directed=True, weight=weight, n=email.n)
    _same(constraint(flipped), constraint(email))
    _same(effective_size(flipped), effective_size(email))


# -- communities -----------------------------------------------------------------------------


def test_participation_by_hand() -> None:
    # 0-1 (1.0), 0-2 (0.5), 1-2 (0.25), 2-3 (0.25); 4 isolated. Communities {0, 1, 4}, {2, 3}.
    net = Network.from_edges([0, 0, 1, 2], [1, 2, 2, 3], weight=[1.0, 0.5, 0.25, 0.25], n=5)
    membership = np.array([0, 0, 1, 1, 0])
    # 0: 1.0 of 1.5 in its own community; 1: 1.0 of 1.25; 2: 0.75 of 1.0.
    weighted = [1 - (2 / 3) ** 2 - (1 / 3) ** 2, 1 - 0.8**2 - 0.2**2, 1 - 0.75**2 - 0.25**2, 0, 0]
    assert np.allclose(participation(net, membership), weighted)
    assert np.allclose(participation(net, membership, weighted=False), [0.5, 0.5, 4 / 9, 0, 0])
    assert communities_reached(net, membership).tolist() == [2, 2, 2, 1, 0]
    # The community ids are labels: renaming them changes nothing.
    assert np.allclose(participation(net, [7, 7, 3, 3, 9]), weighted)


def _loop_reference(
    g: nx.Graph, membership: NDArray[np.int64], weighted: bool
) -> tuple[list[float], list[int]]:
    shares, reached = [], []
    for v in range(g.number_of_nodes()):
        into: dict[int, float] = {}
        for u, data in g[v].items():
            c = int(membership[u])
            into[c] = into.get(c, 0.0) + (data["weight"] if weighted else 1.0)
        total = sum(into.values())
        shares.append(1.0 - sum((k / total) ** 2 for k in into.values()) if total else 0.0)
        reached.append(len(into))
    return shares, reached


@pytest.mark.parametrize("weighted", [True, False])
def test_communities_equal_a_plain_loop_on_karate(karate: Network, weighted: bool) -> None:
    g = karate.networkx()
    membership = np.zeros(karate.n, dtype=np.int64)
    for c, members in enumerate(nx.community.louvain_communities(g, seed=1)):
        membership[list(members)] = c
    assert membership.max() >= 2
    shares, reached = _loop_reference(g, membership, weighted)
    assert np.allclose(participation(karate, membership, weighted=weighted), shares)
    assert communities_reached(karate, membership).tolist() == reached


def test_communities_equal_a_plain_loop_on_email(email: Network, departments: Any) -> None:
    shares, reached = _loop_reference(email.networkx(), departments, weighted=True)
    assert np.allclose(participation(email, departments), shares)
    assert communities_reached(email, departments).tolist() == reached


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 60), k=st.integers(1, 6))
def test_one_community_around_means_no_participation(seed: int, n: int, k: int) -> None:
    rng = np.random.default_rng(seed)
    src, dst = rng.integers(0, n, 3 * n), rng.integers(0, n, 3 * n)
    net = Network.from_edges(src, dst, weight=1.0 - rng.random(3 * n), n=n)
    membership = rng.integers(0, k, n)
    # Put every contact of one vertex into one community (a fresh one, or its own).
    v = int(rng.integers(n))
    contacts = np.r_[net.dst[net.src == v], net.src[net.dst == v]]
    membership[contacts] = k if seed % 2 else membership[v]
    shares = participation(net, membership)
    reached = communities_reached(net, membership)
    table = bridges(net, membership)
    assert shares[v] == 0.0 and table.bridge_score[v] == 0.0
    assert reached[v] == (1 if len(contacts) else 0)
    # And in general: no participation exactly when at most one community is reached.
    assert np.array_equal(shares == 0.0, reached <= 1)
    assert np.all((shares >= 0.0) & (shares < 1.0))
    assert np.all(shares <= 1.0 - 1.0 / np.maximum(reached, 1) + 1e-12)


BAD_MEMBERSHIPS = [
    ([0, 1, 0], "Got shape (3,), dtype int64"),
    ([0.5] * 5, "dtype float64"),
    ([0, 1, -1, 0, 0], "Got -1"),
]


@pytest.mark.parametrize(("membership", "got"), BAD_MEMBERSHIPS)
def test_bad_membership_is_refused(membership: list[float], got: str) -> None:
    net = Network.from_edges([0, 0, 1, 2], [1, 2, 2, 3], n=5)
    with pytest.raises(BadInputError, match="The 'membership' parameter of participation") as e:
        participation(net, membership)
    assert got in e.value.message


# -- the table -------------------------------------------------------------------------------


def test_bridges_table(email: Network, departments: Any) -> None:
    table = bridges(email, departments)
    columns = ["node", "participation", "communities_reached", "constraint", "effective_size"]
    assert table.columns.tolist() == [*columns, "degree", "bridge_score"]
    assert len(table) == email.n and table.index.name == "vertex"
    assert np.allclose(table.participation, participation(email, departments))
    assert table.communities_reached.tolist() == communities_reached(email, departments).tolist()
    _same(table.constraint.to_numpy(), constraint(email))
    _same(table.effective_size.to_numpy(), effective_size(email))
    assert table.degree.tolist() == email.degree.tolist()
    score = table.bridge_score
    assert score.between(0.0, 1.0, inclusive="left").all()
    assert (score[table.participation == 0] == 0).all()
    assert (score[table.degree == 0] == 0).all()
    # The top bridges reach many departments through loose networks.
    top = table.nlargest(20, "bridge_score")
    assert top.communities_reached.min() > table.communities_reached.median()
    assert top.constraint.max() < table.constraint.median()


def test_bridge_score_prefers_the_broker() -> None:
    # Two cliques {0, 1, 2} and {3, 4, 5} joined by 2-3, and 6 hanging off 3 and 0. 2 and 3
    # both reach two communities; 3's contacts do not know each other, 2's do.
    net = Network.from_edges([0, 0, 1, 2, 3, 3, 4, 3, 6], [1, 2, 2, 3, 4, 5, 5, 6, 0])
    table = bridges(net, [0, 0, 0, 1, 1, 1, 2], weighted=False)
    ranking = table.sort_values("bridge_score", ascending=False).index.tolist()
    assert ranking[0] == 3
    assert table.bridge_score[1] == table.bridge_score[4] == table.bridge_score[5] == 0


def test_no_ties() -> None:
    net = Network.from_edges(np.zeros(0), np.zeros(0), n=3)
    table = bridges(net, [0, 1, 2])
    assert table.participation.tolist() == [0.0] * 3
    assert table.communities_reached.tolist() == [0] * 3
    assert table.constraint.isna().all() and table.effective_size.isna().all()
    assert table.bridge_score.tolist() == [0.0] * 3
