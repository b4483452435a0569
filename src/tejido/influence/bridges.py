"""Bridges: the people multi-connected across communities (participation, structural holes).

A bridge ties communities that would otherwise hardly meet: their ties spread over many
communities (Guimerà–Amaral participation, communities reached) and their contacts do not
know each other (Burt's low constraint, high effective size). All measures are on the
undirected network (``net.undirected()``), vectorised with NumPy; the one step NumPy cannot
vectorise, the shared contacts of every tie, is a numba kernel over the CSR adjacency.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numba import njit
from numpy.typing import NDArray

from tejido.errors import BadInputError

if TYPE_CHECKING:
    import pandas as pd

    from tejido.influence.graph import Network

__all__ = ["bridges", "communities_reached", "constraint", "effective_size", "participation"]


# -- adjacency -------------------------------------------------------------------------------


class _Adjacency:
    """Both directions of every tie (half-edges), per-vertex sums, and the kernel's CSR."""

    def __init__(self, net: Network, weighted: bool) -> None:
        g = net.undirected()
        n, m = g.n, g.m
        self.n, self.m = n, m
        self.src, self.dst = g.src.astype(np.int32), g.dst.astype(np.int32)
        self.tie_w = np.asarray(g.weight, dtype=np.float64) if weighted else np.ones(m)
        # Half-edge h is tie h seen from src (h < m) or tie h - m seen from dst.
        self.ends = np.concatenate((self.src, self.dst))
        self.others = np.concatenate((self.dst, self.src))
        self.w = np.concatenate((self.tie_w, self.tie_w))
        self.degree = np.bincount(self.ends, minlength=n).astype(np.int64)
        self.strength = self.per_vertex(self.w)
        self.top = np.zeros(n)  # a vertex's strongest tie
        np.maximum.at(self.top, self.ends, self.w)

    def per_vertex(self, values: NDArray[np.float64]) -> NDArray[np.float64]:
        """Per vertex, the sum of ``values`` over its half-edges."""
        return np.bincount(self.ends, weights=values, minlength=self.n).astype(np.float64)

    def shared(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Per tie (i, j): sum over shared contacts q of w_iq w_jq / s_q, and of w_iq w_jq."""
        if self.m == 0:
            return np.zeros(0), np.zeros(0)
        # Each tie points from its less to its more connected end (ties broken by id): a
        # vertex then points to at most about sqrt(2m) others, hubs to few, and each
        # triangle is met once, from its least connected corner.
        d = self.degree
        du, dv = d[self.src], d[self.dst]
        up = (du < dv) | ((du == dv) & (self.src < self.dst))
        tail = np.where(up, self.src, self.dst)
        head = np.where(up, self.dst, self.src)
        order = np.argsort(tail)  # the order inside a row does not matter
        indptr = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(np.bincount(tail, minlength=self.n), out=indptr[1:])
        scaled, plain = _shared_contacts(
            self.m,
            indptr,
            head[order].astype(np.int32),
            self.tie_w[order],
            order.astype(np.int64),
            self.strength,
        )
        return scaled, plain


@njit(cache=True, nogil=True, error_model="numpy")
def _shared_contacts(
    n_edges: int,
    indptr: NDArray[np.int64],
    head: NDArray[np.int32],
    wt: NDArray[np.float64],
    eid: NDArray[np.int64],
    strength: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    scaled = np.zeros(n_edges)
    plain = np.zeros(n_edges)
    n = len(indptr) - 1
    at = np.zeros(n, dtype=np.int64)  # 1 + the CSR slot of a's tie to each head, else 0
    for a in range(n):
        lo, hi = indptr[a], indptr[a + 1]
        if hi - lo < 2:
            continue
        for k in range(lo, hi):
            at[head[k]] = k + 1
        for k in range(lo, hi):
            b = head[k]
            for j in range(indptr[b], indptr[b + 1]):
                t = at[head[j]]
                if t == 0:
                    continue
                # Triangle a, b, c: each side gets the third corner as a shared contact.
                c, ac = head[j], t - 1
                w_ab, w_ac, w_bc = wt[k], wt[ac], wt[j]
                x = w_ac * w_bc
                plain[eid[k]] += x
                scaled[eid[k]] += x / strength[c]
                x = w_ab * w_bc
                plain[eid[ac]] += x
                scaled[eid[ac]] += x / strength[b]
                x = w_ab * w_ac
                plain[eid[j]] += x
                scaled[eid[j]] += x / strength[a]
        for k in range(lo, hi):
            at[head[k]] = 0
    return scaled, plain


# -- Burt's structural holes -----------------------------------------------------------------


def _constraint(adj: _Adjacency, scaled: NDArray[np.float64]) -> NDArray[np.float64]:
    # p_ij = w_ij / s_i (networkx's mutual weight a_ij + a_ji is 2 w_ij on an undirected
    # graph; the 2 cancels), and sum_q p_iq p_qj = (sum_q w_iq w_qj / s_q) / s_i.
    s = adj.strength[adj.ends]
    local = ((adj.w + np.concatenate((scaled, scaled))) / s) ** 2
    out = adj.per_vertex(local)
    out[adj.degree == 0] = np.nan
    return out


def _effective_size(adj: _Adjacency, plain: NDArray[np.float64]) -> NDArray[np.float64]:
    # Redundancy of j for i: sum_q p_iq m_jq, with m_jq = w_jq / (j's strongest tie).
    both = np.concatenate((plain, plain))
    redundancy = both / (adj.strength[adj.ends] * adj.top[adj.others])
    out = adj.degree - adj.per_vertex(redundancy)
    out[adj.degree == 0] = np.nan
    return out


def constraint(net: Network, *, weighted: bool = True) -> NDArray[np.float64]:
    """Burt's constraint of each vertex, as ``nx.constraint`` defines it.

    c_i = sum_{j in N(i)} (p_ij + sum_q p_iq p_qj)^2 with p_ij = w_ij / s_i (s_i: i's
    strength; every weight 1 when ``weighted`` is false). NaN for isolated vertices.

    A triangle 0-1-2 with a pendant 3 on 2:

    >>> from tejido.influence.graph import Network
    >>> net = Network.from_edges([0, 0, 1, 2], [1, 2, 2, 3])
    >>> constraint(net, weighted=False).round(4).tolist()
    [1.0069, 1.0069, 0.6111, 1.0]
    """
    adj = _Adjacency(net, weighted)
    return _constraint(adj, adj.shared()[0])


def effective_size(net: Network, *, weighted: bool = True) -> NDArray[np.float64]:
    """Burt's effective size of each vertex, as ``nx.effective_size`` defines it.

    e_i = sum_{j in N(i)} (1 - sum_q p_iq m_jq) with p_iq = w_iq / s_i and
    m_jq = w_jq / max_k w_jk. Unweighted, this is Borgatti's n - 2t/n. NaN for isolated
    vertices.

    >>> from tejido.influence.graph import Network
    >>> net = Network.from_edges([0, 0, 1, 2], [1, 2, 2, 3])
    >>> effective_size(net, weighted=False).round(4).tolist()
    [1.0, 1.0, 2.3333, 1.0]
    """
    adj = _Adjacency(net, weighted)
    return _effective_size(adj, adj.shared()[1])


# -- communities -----------------------------------------------------------------------------


def _communities(
    adj: _Adjacency, membership: Any, caller: str
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Per (vertex, community it reaches): the vertex, and its ties' weight into it."""
    labels = np.asarray(membership)
    if labels.shape != (adj.n,) or (labels.size and labels.dtype.kind not in "iu"):
        raise BadInputError(
            f"The 'membership' parameter of {caller} must be an int array of one community "
            f"id per vertex ({adj.n}). Got shape {labels.shape}, dtype {labels.dtype} instead."
        )
    labels = labels.astype(np.int64)
    if labels.size and labels.min() < 0:
        raise BadInputError(
            f"The 'membership' parameter of {caller} must hold community ids >= 0. "
            f"Got {labels.min()} instead."
        )
    if adj.m == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    k = int(labels.max()) + 1
    key = adj.ends.astype(np.int64) * k + labels[adj.others]
    pairs, where = np.unique(key, return_inverse=True)
    into = np.bincount(where, weights=adj.w, minlength=len(pairs))
    return (pairs // k).astype(np.int64), into.astype(np.float64)


def _participation(
    adj: _Adjacency, owner: NDArray[np.int64], into: NDArray[np.float64]
) -> NDArray[np.float64]:
    # The total is summed from the same per-community sums, so a vertex tied into one
    # community gets exactly 1 - 1 = 0, not a rounding error away from it.
    total = np.bincount(owner, weights=into, minlength=adj.n)
    share = into / total[owner]
    out = 1.0 - np.bincount(owner, weights=share * share, minlength=adj.n)
    out[adj.degree == 0] = 0.0
    clipped: NDArray[np.float64] = np.clip(out, 0.0, 1.0)
    return clipped


def participation(net: Network, membership: Any, *, weighted: bool = True) -> NDArray[np.float64]:
    """Guimerà–Amaral participation coefficient: P_i = 1 - sum_c (k_ic / k_i)^2.

    k_ic is the weight of i's ties into community c (their number when ``weighted`` is
    false), k_i the weight of all of them; 0 for isolated vertices. 0 when all of a vertex's
    contacts are in one community, close to 1 when they spread evenly over many.

    >>> from tejido.influence.graph import Network
    >>> net = Network.from_edges([0, 0, 1, 2], [1, 2, 2, 3])
    >>> participation(net, [0, 0, 1, 1], weighted=False).round(4).tolist()
    [0.5, 0.5, 0.4444, 0.0]
    """
    adj = _Adjacency(net, weighted)
    owner, into = _communities(adj, membership, "participation")
    return _participation(adj, owner, into)


def communities_reached(net: Network, membership: Any) -> NDArray[np.int64]:
    """How many communities a vertex's contacts belong to (its own one included).

    >>> from tejido.influence.graph import Network
    >>> net = Network.from_edges([0, 0, 1, 2], [1, 2, 2, 3])
    >>> communities_reached(net, [0, 0, 1, 1]).tolist()
    [2, 2, 2, 1]
    """
    adj = _Adjacency(net, weighted=False)
    owner, _ = _communities(adj, membership, "communities_reached")
    return np.bincount(owner, minlength=adj.n).astype(np.int64)


# -- the table -------------------------------------------------------------------------------


def _share_below(x: NDArray[Any]) -> NDArray[np.float64]:
    """The share of all vertices with a strictly smaller value than each vertex's."""
    order = np.argsort(x)
    ranked = x[order]
    out = np.empty(len(x))
    # Searching the sorted values for themselves walks memory in order (fast); the answers
    # are then put back in vertex order.
    out[order] = np.searchsorted(ranked, ranked, side="left") / max(len(x), 1)
    return out


def bridges(net: Network, membership: Any, *, weighted: bool = True) -> pd.DataFrame:
    """One row per vertex: how much of a bridge between communities each person is.

    Columns: ``node`` (the snapshot node), ``participation``, ``communities_reached``,
    ``constraint``, ``effective_size``, ``degree`` and ``bridge_score``; the index is the
    vertex. ``weighted`` applies to participation, constraint and effective size.

    ``bridge_score`` is the geometric mean of three percentile scores, each the share of
    all vertices that the vertex strictly beats: higher participation, more communities
    reached, lower constraint (isolated vertices, NaN constraint, beat nobody). Why:

    - percentiles put three measures of different scales and skews on one footing and
      ignore outliers (a hub's effective size in the thousands would swamp a sum);
    - the geometric mean asks for all three at once: a person whose contacts all sit in
      one community (participation 0, one community reached) scores exactly 0 however
      large and loose their network, and a loose network alone (low constraint among
      people of one or two communities) does not make a bridge;
    - "strictly beats" gives ties at the floor (the many people with participation 0)
      a score of 0 rather than the middle of the tie, so the ranking is about the few.

    Effective size is reported but not scored: it grows with degree, which
    ``communities_reached`` already rewards. The score is in [0, 1); sort by it descending
    to list the bridges.

    >>> from tejido.influence.graph import Network
    >>> net = Network.from_edges([0, 0, 1, 2, 3, 3], [1, 2, 2, 3, 4, 5])
    >>> table = bridges(net, [0, 0, 0, 1, 1, 1], weighted=False)
    >>> table.sort_values("bridge_score", ascending=False).index[:2].tolist()
    [3, 2]
    """
    import pandas as pd

    adj = _Adjacency(net, weighted)
    owner, into = _communities(adj, membership, "bridges")
    part = _participation(adj, owner, into)
    reached = np.bincount(owner, minlength=adj.n).astype(np.int64)
    scaled, plain = adj.shared()
    burt = _constraint(adj, scaled)
    size = _effective_size(adj, plain)
    loose = _share_below(-np.where(np.isnan(burt), np.inf, burt))
    score = np.cbrt(_share_below(part) * _share_below(reached) * loose)
    return pd.DataFrame(
        {
            "node": np.asarray(net.nodes, dtype=np.int64),
            "participation": part,
            "communities_reached": reached,
            "constraint": burt,
            "effective_size": size,
            "degree": adj.degree,
            "bridge_score": score,
        },
        index=pd.RangeIndex(adj.n, name="vertex"),
    )
