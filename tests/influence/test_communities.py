"""Communities: the four methods on a real network with department labels, determinism,
resolution, and the community graph."""

from __future__ import annotations

import numpy as np
import pytest
from realgraphs import EMAIL_EU, email_eu_departments, pairs
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from tejido.errors import BadInputError
from tejido.influence.communities import METHODS, community_graph, detect
from tejido.influence.graph import Network


@pytest.fixture(scope="module")
def email_eu() -> Network:
    e = pairs(EMAIL_EU)
    return Network.from_edges(e[:, 0], e[:, 1], directed=True, n=1005)


def scores(net: Network, method: str, seed: int) -> tuple[float, float]:
    truth = email_eu_departments()
    found = detect(net, method, seed=seed, weighted=False)
    tied = net.degree > 0  # people with no tie but to themselves have no community to find
    return (normalized_mutual_info_score(truth[tied], found.membership[tied]),
            adjusted_rand_score(truth[tied], found.membership[tied]))  # fmt: skip


def test_departments_are_recovered_as_measured(email_eu: Network) -> None:
    """Medians of 3 seeds; docs/influence.md has the full comparison (5 seeds)."""
    med = {m: np.median([scores(email_eu, m, s) for s in (1, 2, 3)], axis=0) for m in METHODS}
    assert med["leiden"][0] >= 0.55 and med["leiden"][1] >= 0.30
    assert med["louvain"][0] >= 0.53
    assert med["infomap"][0] >= 0.60
    # Label propagation floods this dense graph with one label: it finds nothing.
    assert med["label_propagation"][0] < 0.1


def test_same_seed_same_communities_and_resolution_moves_their_number(email_eu: Network) -> None:
    a = detect(email_eu, "leiden", seed=5)
    b = detect(email_eu, "leiden", seed=5)
    assert np.array_equal(a.membership, b.membership) and a.modularity == b.modularity
    assert list(a.sizes) == sorted(a.sizes, reverse=True)  # community 0 is the largest
    fine = detect(email_eu, "leiden", seed=5, resolution=3.0)
    coarse = detect(email_eu, "leiden", seed=5, resolution=0.3)
    assert coarse.count < a.count < fine.count
    with pytest.raises(BadInputError):
        detect(email_eu, "leiden", resolution=0)
    with pytest.raises(BadInputError, match="no method 'kmeans'"):
        detect(email_eu, "kmeans")


def test_the_community_graph_accounts_for_every_tie(email_eu: Network) -> None:
    found = detect(email_eu, "leiden", seed=1)
    links = community_graph(email_eu, found)
    und = email_eu.undirected()
    assert links["inside"].sum() + links["ties"].sum() == und.m
    assert np.all(links["pairs"][:, 0] < links["pairs"][:, 1])
    assert links["strength"].sum() == pytest.approx(
        und.weight.sum() - sum(und.weight[(found.membership[und.src] == found.membership[und.dst])])
    )
