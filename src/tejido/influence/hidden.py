"""Influence against volume: the hidden hubs whose structural rank is far above their
volume rank, and the employees whose reach into target accounts nobody else has (the
ambassadors who do not know their impact)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from tejido.contactmap.coverage import TARGETS
from tejido.snapshot.model import KIND_EDGE, LEVEL_PRIVATE, ORG_RELATIONS

if TYPE_CHECKING:
    from tejido.contactmap.view import ContactMap

__all__ = ["STRUCTURE", "hidden_hubs", "unique_reach", "whole_networks"]

# What a hidden hub has much of: ties into many communities, spread evenly, to people who
# do not know each other (seed 003's "multi-connected" people). Cheap at any size, unlike
# betweenness, which a caller can still ask for.
STRUCTURE = "bridge_score"


def hidden_hubs(
    frame: pd.DataFrame,
    *,
    structure: str = STRUCTURE,
    volume: str = "degree",
    top: int = 10,
    min_share: float = 0.5,
) -> pd.DataFrame:
    """People whose ``structure`` rank is far above their ``volume`` rank.

    ``frame`` has one row per person with both measures (as ``InfluenceService.measures``
    gives), for the people whose volume is known. Percentiles are within ``frame``.
    Candidates have more ``structure`` than ``min_share`` of the people; they are ordered
    by the gap between their percentile of ``structure`` and of ``volume``, largest
    first (ties: more structure first). Adds ``structure_pct``, ``volume_pct`` and ``gap``.

    >>> f = pd.DataFrame({"node": range(5), "betweenness": [0.5, 0.4, 0.0, 0.1, 0.0],
    ...                   "degree": [50, 3, 4, 20, 1]})
    >>> hidden_hubs(f, structure="betweenness", min_share=0.6)["node"].tolist()
    [1, 0]
    """
    out = frame.copy()
    out["structure_pct"] = out[structure].rank(pct=True, method="max")
    out["volume_pct"] = out[volume].rank(pct=True, method="max")
    out["gap"] = out["structure_pct"] - out["volume_pct"]
    candidates = out[(out["structure_pct"] > min_share) & (out[structure] > 0)]
    ordered = candidates.sort_values(["gap", structure, "node"], ascending=[False, False, True])
    return ordered.head(top).reset_index(drop=True)


def whole_networks(cm: ContactMap, nodes: NDArray[np.int64], owners: NDArray[np.int64]) -> Any:
    """Which of ``nodes`` have their whole network in the data, so that their volume is
    known: the employees whose own LinkedIn export or X archive was imported (``owners``,
    person ids) and who let others see it, and every node of an imported edge list.
    Everyone else's degree only counts the ties our people have with them."""
    snap = cm.snap
    mine = np.isin(snap.person_id[nodes], owners) & (snap.consent[nodes] > LEVEL_PRIVATE)
    edge = np.flatnonzero(cm.visible & ((np.asarray(snap.kinds) & KIND_EDGE) > 0))
    listed = np.zeros(snap.n_nodes, dtype=bool)
    listed[np.asarray(snap.u)[edge]] = True
    listed[np.asarray(snap.v)[edge]] = True
    return mine | listed[nodes]


def unique_reach(cm: ContactMap) -> pd.DataFrame:
    """Per employee: contacts at target accounts (prospects, customers) that they reach
    and no other employee does, and how many such accounts.

    Only ties the viewer may use count, as in coverage.
    """
    snap = cm.snap
    usable = np.flatnonzero(cm.visible)
    u = np.asarray(snap.u, dtype=np.int64)[usable]
    v = np.asarray(snap.v, dtype=np.int64)[usable]
    emp = snap.consent >= 0
    relation = snap.of_org(snap.org_relation, snap.org, -1)
    codes = [ORG_RELATIONS.index(r) for r in TARGETS]
    target = ~emp & np.isin(relation, codes)
    # Employee -> target contact ties, each contact with how many employees know them.
    e = np.r_[u[emp[u] & target[v]], v[emp[v] & target[u]]]
    c = np.r_[v[emp[u] & target[v]], u[emp[v] & target[u]]]
    known_by = np.bincount(c, minlength=snap.n_nodes)
    alone = known_by[c] == 1
    employees = np.flatnonzero(emp)
    contacts = np.bincount(e[alone], minlength=snap.n_nodes)[employees]
    reach = np.bincount(e, minlength=snap.n_nodes)[employees]
    orgs = pd.DataFrame({"e": e[alone], "org": snap.org[c[alone]]}).drop_duplicates()
    accounts = orgs.groupby("e").size().reindex(employees, fill_value=0).to_numpy()
    frame = pd.DataFrame({"node": employees, "unique_contacts": contacts,
                          "unique_accounts": accounts, "target_contacts": reach})  # fmt: skip
    return frame.sort_values(["unique_accounts", "unique_contacts", "node"],
                             ascending=[False, False, True]).reset_index(drop=True)  # fmt: skip
