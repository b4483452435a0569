"""The network content spreads on: who sees what whom shares, as the viewer may use it.

An arc ``u -> v`` means that what ``u`` shares reaches ``v``:

- a LinkedIn connection, an undirected edge-list row, and a mutual X follow: both ways;
- a directed edge-list row ``u v``: ``u -> v`` (the file's direction is the influence's,
  as in the published influence-maximisation data sets);
- an X follow (``v`` follows ``u``): ``u -> v``, from the followed to the follower. One-way
  follows are no tie of the map; they come from the archives' rows, with the same consent
  rule (``influence.consent.row_levels``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from tejido.snapshot.model import KIND_EDGE_AB, KIND_EDGE_BA, KIND_LINKEDIN

if TYPE_CHECKING:
    import pandas as pd

    from tejido.contactmap.view import ContactMap
    from tejido.diffusion.cascade import Cascade

__all__ = ["Arcs", "arcs"]


@dataclass(frozen=True)
class Arcs:
    """Arcs between vertices ``0..n-1``; vertex ``i`` is snapshot node ``nodes[i]``."""

    nodes: NDArray[np.int64]
    src: NDArray[np.int64]
    dst: NDArray[np.int64]

    @property
    def n(self) -> int:
        return int(self.nodes.size)

    def vertex_of(self, nodes: Any) -> NDArray[np.int64]:
        """Vertices of snapshot nodes (-1 for nodes on no arc)."""
        wanted = np.asarray(nodes, dtype=np.int64)
        at = np.searchsorted(self.nodes, wanted)
        at = np.minimum(at, max(self.n - 1, 0))
        ok = (self.n > 0) & (self.nodes[at] == wanted)
        return np.where(ok, at, -1).astype(np.int64)

    def cascade(self, model: str = "wc", p: float = 0.01) -> Cascade:
        from tejido.diffusion.cascade import Cascade

        return Cascade.from_arcs(self.src, self.dst, self.n, model=model, p=p)


def arcs(cm: ContactMap, follows: pd.DataFrame | None = None) -> Arcs:
    """The arcs of ``cm``'s usable ties, and of the one-way ``follows`` the viewer may
    use (``influence.suspicious.follow_rows``), each pair once, in order of (source,
    target)."""
    snap = cm.snap
    usable = np.flatnonzero(cm.visible)
    kinds = np.asarray(snap.kinds)[usable]
    u = np.asarray(snap.u, dtype=np.int64)[usable]
    v = np.asarray(snap.v, dtype=np.int64)[usable]
    # A tie of the map is undirected unless only directed edge-list rows state it (an X
    # follow is a tie only when mutual, or beside a LinkedIn connection).
    edge_dir = (kinds & (KIND_EDGE_AB | KIND_EDGE_BA)) != 0
    undirected = ~edge_dir | ((kinds & KIND_LINKEDIN) != 0)
    forward = undirected | ((kinds & KIND_EDGE_AB) != 0)
    backward = undirected | ((kinds & KIND_EDGE_BA) != 0)
    a = [u[forward], v[backward]]
    b = [v[forward], u[backward]]
    if follows is not None and len(follows):
        from tejido.influence.consent import row_levels

        fs = snap.index_of(follows["source_id"].to_numpy())
        ft = snap.index_of(follows["target_id"].to_numpy())
        ok, _named = row_levels(cm, follows["owner_id"].to_numpy(), fs, ft)
        ok &= (fs >= 0) & (ft >= 0)
        a.append(ft[ok])  # the followed ...
        b.append(fs[ok])  # ... reaches the follower
    src, dst = np.concatenate(a), np.concatenate(b)
    keep = src != dst
    src, dst = src[keep], dst[keep]
    # One arc per pair, however many ties and follow rows state it (a LinkedIn connection
    # and an X follow between the same two people, say).
    n = max(int(snap.n_nodes), 1)
    pairs = np.unique(src * n + dst)
    src, dst = pairs // n, pairs % n
    nodes = np.unique(np.concatenate([src, dst]))
    return Arcs(nodes, np.searchsorted(nodes, src).astype(np.int64),
                np.searchsorted(nodes, dst).astype(np.int64))  # fmt: skip
