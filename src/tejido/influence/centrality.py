"""Centralities of a network's people: volume (degree, followers) beside structure
(PageRank, eigenvector, coreness, betweenness), computed by igraph and networkit.

Betweenness is exact (igraph, Brandes) up to ``EXACT_BETWEENNESS`` vertices; above, it is
networkit's adaptive sampling (KADABRA, Borassi and Natale 2016), whose every value is
within ``epsilon`` of the exact normalised betweenness with probability ``1 - delta``.
(Riondato and Kornaropoulos' fixed-size sampling gives the same guarantee; on
ego-Facebook at epsilon 0.01 it took 73 s where KADABRA took 0.9 s.)
Betweenness counts hops (a tie's strength is a similarity, not a length); the other
measures weigh ties by strength. All values are normalised the way networkx does, so
they compare with it directly.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tejido.errors import BadInputError
from tejido.influence.graph import Network

__all__ = [
    "EXACT_BETWEENNESS",
    "MEASURES",
    "Betweenness",
    "betweenness",
    "coreness",
    "degree",
    "eigenvector",
    "followers",
    "pagerank",
]

F64 = NDArray[np.float64]
MEASURES = ("degree", "followers", "pagerank", "eigenvector", "coreness", "betweenness")
EXACT_BETWEENNESS = 5_000  # vertices; Brandes is O(n m): ~1 s at 5k vertices, 100k ties


def degree(net: Network) -> F64:
    """Ties per person: the volume baseline (an undirected pair counts once)."""
    return net.degree.astype(np.float64)


def followers(net: Network) -> F64:
    """Arcs pointing at each person (followers on X, senders to them); the degree when
    the network is undirected."""
    if not net.directed:
        return degree(net)
    return np.bincount(net.dst, minlength=net.n).astype(np.float64)


def pagerank(net: Network, *, damping: float = 0.85, weighted: bool = True) -> F64:
    """PageRank, along arcs when directed (a follow passes standing to the followed),
    weighted by tie strength; sums to 1."""
    if net.n == 0:
        return np.zeros(0)
    g = net.igraph()
    values = g.pagerank(directed=net.directed, damping=damping,
                        weights="weight" if weighted else None)  # fmt: skip
    return np.asarray(values, dtype=np.float64)


def eigenvector(net: Network, *, weighted: bool = True) -> F64:
    """Eigenvector centrality of the undirected network (scaled so the largest is 1);
    on a directed network, of its undirected view (a follow graph's leading eigenvector
    is ill-defined when it is not strongly connected). On a disconnected network, people
    outside the component of the leading eigenvector score near 0."""
    if net.n == 0:
        return np.zeros(0)
    g = net.undirected().igraph()
    with warnings.catch_warnings():  # igraph warns on disconnected networks: documented
        warnings.simplefilter("ignore", RuntimeWarning)
        values = g.eigenvector_centrality(scale=True, weights="weight" if weighted else None)
    return np.asarray(values, dtype=np.float64)


def coreness(net: Network) -> F64:
    """The k-core each person belongs to (undirected ties)."""
    if net.n == 0:
        return np.zeros(0)
    return np.asarray(net.undirected().igraph().coreness(mode="all"), dtype=np.float64)


@dataclass(frozen=True)
class Betweenness:
    """Normalised betweenness and how it was computed."""

    values: F64
    exact: bool
    epsilon: float = 0.0  # every value within epsilon of the exact one...
    delta: float = 0.0  # ...with probability 1 - delta
    samples: int = 0

    def describe(self) -> str:
        if self.exact:
            return "exact (Brandes)"
        return (f"sampled: within {self.epsilon} of the exact value with probability "
                f"{1 - self.delta:.0%} ({self.samples:,} shortest paths)")  # fmt: skip


def betweenness(
    net: Network,
    *,
    exact_up_to: int = EXACT_BETWEENNESS,
    epsilon: float = 0.01,
    delta: float = 0.1,
    seed: int = 1,
) -> Betweenness:
    """Normalised betweenness (as networkx's ``normalized=True``), exact on small networks,
    sampled with a stated error bound on large ones."""
    n = net.n
    if n < 3:
        return Betweenness(np.zeros(n), exact=True)
    if not 0 < epsilon < 1 or not 0 < delta < 1:
        raise BadInputError("epsilon and delta must be between 0 and 1", field="epsilon")
    scale = 1.0 / ((n - 1) * (n - 2))  # networkx: directed pairs
    if n <= exact_up_to:
        g = net.igraph()
        raw = np.asarray(g.betweenness(directed=net.directed, weights=None), dtype=np.float64)
        return Betweenness(raw * scale * (1 if net.directed else 2), exact=True)
    import networkit as nk

    nk.engineering.setSeed(seed, useThreadId=False)
    g = net.networkit(weighted=False)
    # Both report fractions of pairs' shortest paths: of the n(n-1) ordered pairs
    # (Riondato-Kornaropoulos), of the n(n-1)/2 unordered ones (KADABRA, undirected only:
    # it needs the diameter, which networkit computes only for undirected graphs).
    if net.directed:
        approx: Any = nk.centrality.ApproxBetweenness(g, epsilon=epsilon, delta=delta)
        approx.run()
        samples, unit = int(approx.numberOfSamples()), n * (n - 1) * scale
    else:
        approx = nk.centrality.KadabraBetweenness(g, epsilon, delta)
        approx.run()
        samples, unit = int(approx.getNumberOfIterations()), n * (n - 1) / 2 * scale
    values = np.asarray(approx.scores(), dtype=np.float64) * unit
    # The bound, in the same units as the values.
    return Betweenness(values, exact=False, epsilon=round(epsilon * unit, 6), delta=delta,
                       samples=samples)  # fmt: skip


def compute(net: Network, measure: str, **options: Any) -> F64:
    """One measure by name (see ``MEASURES``)."""
    if measure == "betweenness":
        return betweenness(net, **options).values
    functions = {"degree": degree, "followers": followers, "pagerank": pagerank,
                 "eigenvector": eigenvector, "coreness": coreness}  # fmt: skip
    if measure not in functions:
        raise BadInputError(f"no measure {measure!r}; known: {', '.join(MEASURES)}",
                            field="measure")  # fmt: skip
    return functions[measure](net, **options)
