"""Centralities equal networkx's on real graphs; betweenness's sampling keeps its bound."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from realgraphs import CA_GRQC, EMAIL_EU, pairs

from tejido.errors import BadInputError
from tejido.influence import centrality
from tejido.influence.graph import Network


@pytest.fixture(scope="module")
def email_eu() -> Network:
    e = pairs(EMAIL_EU)
    rng = np.random.default_rng(7)
    return Network.from_edges(e[:, 0], e[:, 1], directed=True, weight=rng.uniform(0.05, 1, len(e)))


@pytest.fixture(scope="module")
def grqc() -> Network:
    e = pairs(CA_GRQC)
    return Network.from_edges(e[:, 0], e[:, 1], directed=False)


def by_vertex(values: dict[int, float], n: int) -> np.ndarray:
    return np.array([values.get(i, 0.0) for i in range(n)])


def test_pagerank_equals_networkx_directed_and_weighted(email_eu: Network) -> None:
    g = email_eu.networkx()
    ours = centrality.pagerank(email_eu)
    theirs = by_vertex(nx.pagerank(g, alpha=0.85, weight="weight", tol=1e-12), email_eu.n)
    assert np.allclose(ours, theirs, atol=1e-8) and ours.sum() == pytest.approx(1.0)
    plain = by_vertex(nx.pagerank(g, alpha=0.85, weight=None, tol=1e-12), email_eu.n)
    assert np.allclose(centrality.pagerank(email_eu, weighted=False), plain, atol=1e-8)
    assert not np.allclose(ours, plain, atol=1e-4)  # the weights matter


def test_pagerank_of_an_undirected_real_graph(grqc: Network) -> None:
    theirs = by_vertex(nx.pagerank(grqc.networkx(), weight=None, tol=1e-12), grqc.n)
    assert np.allclose(centrality.pagerank(grqc, weighted=False), theirs, atol=1e-8)


def test_coreness_equals_networkx(grqc: Network, email_eu: Network) -> None:
    for net in (grqc, email_eu.undirected()):
        g = net.networkx()
        theirs = by_vertex({k: float(v) for k, v in nx.core_number(g).items()}, net.n)
        assert np.array_equal(centrality.coreness(net), theirs)
    assert centrality.coreness(grqc).max() == 43  # the GR-QC collaboration's densest core


def test_exact_betweenness_equals_networkx() -> None:
    e = pairs(EMAIL_EU)
    part = e[(e[:, 0] < 400) & (e[:, 1] < 400)]  # networkx's Brandes is slow on all of it
    for directed in (True, False):
        net = Network.from_edges(part[:, 0], part[:, 1], directed=directed, n=400)
        b = centrality.betweenness(net)
        assert b.exact and b.describe() == "exact (Brandes)"
        theirs = by_vertex(nx.betweenness_centrality(net.networkx(), normalized=True), net.n)
        assert np.allclose(b.values, theirs, atol=1e-12)
    karate = nx.karate_club_graph()
    net = Network.from_edges([a for a, _ in karate.edges], [b for _, b in karate.edges])
    theirs = by_vertex(nx.betweenness_centrality(karate, normalized=True), net.n)
    assert np.allclose(centrality.betweenness(net).values, theirs, atol=1e-12)


def test_sampled_betweenness_stays_within_its_stated_bound(email_eu: Network) -> None:
    und = email_eu.undirected()
    for net in (email_eu, und):  # sampled by Riondato-Kornaropoulos, then by KADABRA
        truth = centrality.betweenness(net).values
        sampled = centrality.betweenness(net, exact_up_to=0, epsilon=0.02, delta=0.1, seed=3)
        assert not sampled.exact and sampled.samples > 100
        assert 0.009 < sampled.epsilon < 0.021  # stated in the values' own units
        assert f"within {sampled.epsilon}" in sampled.describe()
        assert np.max(np.abs(sampled.values - truth)) <= sampled.epsilon
        top = set(np.argsort(-truth)[:5].tolist())
        assert len(top & set(np.argsort(-sampled.values)[:10].tolist())) >= 4
    with pytest.raises(BadInputError):
        centrality.betweenness(email_eu, exact_up_to=0, epsilon=1.5)


def test_eigenvector_and_volume(email_eu: Network) -> None:
    karate = nx.karate_club_graph()  # connected: networkx's eigenvector is defined
    rng = np.random.default_rng(3)
    for a, b in karate.edges:
        karate[a][b]["weight"] = float(rng.uniform(0.05, 1))
    net = Network.from_edges([a for a, _ in karate.edges], [b for _, b in karate.edges],
                             weight=[w for *_e, w in karate.edges(data="weight")])  # fmt: skip
    expected = by_vertex(nx.eigenvector_centrality_numpy(karate, weight="weight"), net.n)
    assert np.allclose(centrality.eigenvector(net), expected / expected.max(), atol=1e-6)
    g, und = email_eu.networkx(), email_eu.undirected()
    assert np.array_equal(
        centrality.followers(email_eu), by_vertex(dict(g.in_degree()), g.number_of_nodes())
    )
    assert np.array_equal(
        centrality.degree(email_eu), by_vertex(dict(und.networkx().degree()), und.n)
    )


def test_unknown_measures_are_refused(email_eu: Network) -> None:
    with pytest.raises(BadInputError, match="no measure 'fame'"):
        centrality.compute(email_eu, "fame")
