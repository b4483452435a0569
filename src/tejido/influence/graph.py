"""The network an influence analysis runs on: a viewer's usable ties as a graph.

Vertices are the snapshot's people that have at least one tie the viewer may use (private
employees' ties never count); ties are weighted by their strength. A network is directed
when the ties say who follows (X) or who wrote to whom (a directed edge list): a tie with
a direction becomes that arc (both arcs when it goes both ways), a LinkedIn connection
becomes both arcs. The same network is handed to igraph or networkit without copying
more than the edge columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from tejido.snapshot.model import KIND_EDGE_AB, KIND_EDGE_BA, KIND_X_AB, KIND_X_BA

if TYPE_CHECKING:
    from tejido.contactmap.view import ContactMap

__all__ = ["AB", "BA", "Network", "network"]

AB = KIND_X_AB | KIND_EDGE_AB  # u -> v
BA = KIND_X_BA | KIND_EDGE_BA  # v -> u


@dataclass(frozen=True, eq=False)
class Network:
    """A graph of ``n`` vertices; vertex ``i`` is snapshot node ``nodes[i]``.

    Undirected: one row per tie, ``src < dst``. Directed: one row per arc ``src -> dst``.
    ``edge`` is the snapshot tie of each row; ``weight`` its strength (0-1].
    """

    nodes: NDArray[np.int64]
    src: NDArray[np.int32]
    dst: NDArray[np.int32]
    weight: NDArray[np.float64]
    edge: NDArray[np.int64]
    directed: bool
    # Views and engine graphs made once (building igraph's takes ~0.6 s per million ties).
    _made: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def n(self) -> int:
        return len(self.nodes)

    @property
    def m(self) -> int:
        return len(self.src)

    @classmethod
    def from_edges(
        cls, src: Any, dst: Any, *, directed: bool = False, weight: Any = None, n: int | None = None
    ) -> Network:
        """A network from plain vertex pairs (tests, and graphs read straight from files).

        Undirected pairs are folded to ``src < dst`` and repeated pairs kept once;
        self-loops are dropped, as the snapshot drops them.
        """
        a, b = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
        w = np.ones(len(a)) if weight is None else np.asarray(weight, dtype=np.float64)
        keep = a != b
        a, b, w = a[keep], b[keep], w[keep]
        if not directed:
            a, b = np.minimum(a, b), np.maximum(a, b)
        size = int(max(a.max(initial=-1), b.max(initial=-1)) + 1) if n is None else n
        key = a * size + b
        _, first = np.unique(key, return_index=True)
        first.sort()
        return cls(nodes=np.arange(size, dtype=np.int64), src=a[first].astype(np.int32),
                   dst=b[first].astype(np.int32), weight=w[first],
                   edge=first.astype(np.int64), directed=directed)  # fmt: skip

    # -- views ---------------------------------------------------------------------------

    def undirected(self) -> Network:
        """The same people, each pair once (a pair's weight: the stronger of its arcs)."""
        if not self.directed:
            return self
        if "undirected" not in self._made:
            self._made["undirected"] = self._fold()
        folded: Network = self._made["undirected"]
        return folded

    def _fold(self) -> Network:
        a = np.minimum(self.src, self.dst).astype(np.int64)
        b = np.maximum(self.src, self.dst).astype(np.int64)
        order = np.argsort(a * max(self.n, 1) + b, kind="stable")
        a, b = a[order], b[order]
        starts = np.flatnonzero(np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1])])
        weight = np.maximum.reduceat(self.weight[order], starts) if len(a) else self.weight
        return Network(self.nodes, a[starts].astype(np.int32), b[starts].astype(np.int32),
                       weight, self.edge[order][starts], False)  # fmt: skip

    @cached_property
    def degree(self) -> NDArray[np.int64]:
        """Ties per vertex (an undirected pair counts once)."""
        g = self.undirected()
        return np.bincount(np.r_[g.src, g.dst], minlength=self.n).astype(np.int64)

    def igraph(self) -> Any:
        """The network as an ``igraph.Graph`` (edge attribute ``weight``), made once:
        treat it as read-only."""
        if "igraph" not in self._made:
            import igraph as ig

            g = ig.Graph(n=self.n, edges=np.column_stack((self.src, self.dst)),
                         directed=self.directed)  # fmt: skip
            g.es["weight"] = self.weight
            self._made["igraph"] = g
        return self._made["igraph"]

    def networkit(self, *, weighted: bool = True) -> Any:
        """The network as a ``networkit.Graph``."""
        import networkit as nk

        g = nk.Graph(self.n, weighted=weighted, directed=self.directed)
        if weighted:
            g.addEdges((self.weight, (self.src.astype(np.uint64), self.dst.astype(np.uint64))))
        else:
            g.addEdges((self.src.astype(np.uint64), self.dst.astype(np.uint64)))
        return g

    def networkx(self) -> Any:
        """The network as a networkx graph (small graphs: checks and exports)."""
        import networkx as nx

        g = nx.DiGraph() if self.directed else nx.Graph()
        g.add_nodes_from(range(self.n))
        g.add_weighted_edges_from(zip(self.src.tolist(), self.dst.tolist(),
                                      self.weight.tolist(), strict=True))  # fmt: skip
        return g


def network(cm: ContactMap, *, directed: bool | None = None) -> Network:
    """The ties ``cm``'s viewer may use, as a network (directed when the ties say so)."""
    snap = cm.snap
    usable = np.flatnonzero(cm.visible)
    kinds = np.asarray(snap.kinds)[usable]
    if directed is None:
        directed = bool(np.any(kinds & (AB | BA)))
    u = np.asarray(snap.u, dtype=np.int64)[usable]
    v = np.asarray(snap.v, dtype=np.int64)[usable]
    w = np.asarray(cm.strength, dtype=np.float64)[usable]
    if directed:
        pointed = (kinds & (AB | BA)) != 0
        ab = ~pointed | ((kinds & AB) != 0)
        ba = ~pointed | ((kinds & BA) != 0)
        a = np.r_[u[ab], v[ba]]
        b = np.r_[v[ab], u[ba]]
        weight, edge = np.r_[w[ab], w[ba]], np.r_[usable[ab], usable[ba]]
    else:
        a, b, weight, edge = u, v, w, usable
    nodes = np.unique(np.r_[a, b])
    src = np.asarray(np.searchsorted(nodes, a), dtype=np.int32)
    dst = np.asarray(np.searchsorted(nodes, b), dtype=np.int32)
    return Network(nodes, src, dst, weight, edge.astype(np.int64), directed)
