"""Account coverage: for each organisation, who in the company knows whom there, how well.

An account is **covered** through direct ties (an employee knows someone there) and
**reachable** through a contact who knows someone there (a path of two ties). The
**bus factor** is the number of colleagues holding direct ties to the account: 1 means
the whole relationship hangs on one person. A prospect or customer with no path at all
is **uncovered**.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from tejido.contactmap.degrees import expand
from tejido.contactmap.relations import TIE_RELATIONS
from tejido.contactmap.view import ContactMap
from tejido.snapshot.model import ORG_RELATIONS

__all__ = ["AccountTies", "account_ties", "accounts", "org_members"]

STRONG = 0.5  # a tie at least this strong counts as strong
TARGETS = ("prospect", "customer")  # accounts whose lack of a path is worth a warning


def org_members(cm: ContactMap) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """CSR of organisations' current people: (indptr over org index, node indices)."""
    snap = cm.snap
    org = snap.org.astype(np.int64)
    has = np.flatnonzero(org >= 0)
    order = has[np.argsort(org[has], kind="stable")]
    ptr = np.zeros(snap.n_orgs + 1, dtype=np.int64)
    np.cumsum(np.bincount(org[has], minlength=snap.n_orgs), out=ptr[1:])
    return ptr, order


@dataclass
class _DirectTies:
    """Visible ties from an employee to a non-employee at a known organisation."""

    edge: NDArray[np.int64]
    employee: NDArray[np.int64]
    contact: NDArray[np.int64]
    org: NDArray[np.int64]


def _direct(cm: ContactMap) -> _DirectTies:
    snap = cm.snap
    emp = snap.consent >= 0
    eu, ev = emp[snap.u], emp[snap.v]
    one = cm.visible & (eu ^ ev)
    edge = np.flatnonzero(one)
    employee = np.where(eu[edge], snap.u[edge], snap.v[edge]).astype(np.int64)
    contact = np.where(eu[edge], snap.v[edge], snap.u[edge]).astype(np.int64)
    org = snap.org[contact].astype(np.int64)
    ours = snap.of_org(snap.org_is_ours, org, True)
    keep = (org >= 0) & ~ours
    return _DirectTies(edge[keep], employee[keep], contact[keep], org[keep])


def _distinct_per_org(
    org: NDArray[np.int64], who: NDArray[np.int64], n_orgs: int, n: int
) -> NDArray[np.int64]:
    if len(org) == 0:
        return np.zeros(n_orgs, dtype=np.int64)
    keys = np.unique(org * n + who)
    return np.bincount(keys // n, minlength=n_orgs)


class _Accounts:
    """Per-organisation figures of one contact map (computed once, then sliced)."""

    def __init__(self, cm: ContactMap) -> None:
        self.cm = cm

    @cached_property
    def direct(self) -> _DirectTies:
        return _direct(self.cm)

    @cached_property
    def table(self) -> pd.DataFrame:
        cm, snap, d = self.cm, self.cm.snap, self.direct
        n, k = snap.n_nodes, snap.n_orgs
        s = cm.strength[d.edge].astype(np.float64)
        strong = s >= STRONG
        decaying = cm.decaying()[d.edge]
        best = np.zeros(k)
        np.maximum.at(best, d.org, s)
        # Reachable in two ties: people at the account tied to a contact of an employee.
        employees = np.zeros(n, dtype=bool)
        employees[cm.employees] = True
        contacts = expand(cm, employees) & ~employees
        second = expand(cm, contacts) & ~employees & ~contacts
        org = snap.org.astype(np.int64)
        at = second & (org >= 0)
        indirect = np.bincount(org[at], minlength=k)
        relation = snap.org_relation.astype(np.int64)
        frame = pd.DataFrame(
            {
                "org_id": snap.org_id,
                "relation": [ORG_RELATIONS[r] if r >= 0 else None for r in relation.tolist()],
                "contacts": _distinct_per_org(d.org, d.contact, k, n),
                "employees": _distinct_per_org(d.org, d.employee, k, n),
                "ties": np.bincount(d.org, minlength=k),
                "strong_ties": np.bincount(d.org[strong], minlength=k),
                "strong_employees": _distinct_per_org(d.org[strong], d.employee[strong], k, n),
                "best_strength": best.round(3),
                "coverage": np.round(np.bincount(d.org, weights=s, minlength=k), 3),
                "decaying_ties": np.bincount(d.org[decaying], minlength=k),
                "reachable_via_contacts": indirect,
                "is_ours": snap.org_is_ours.astype(bool),
            }
        )
        frame["bus_factor"] = frame["employees"]
        frame["covered"] = (frame["contacts"] > 0) | (frame["reachable_via_contacts"] > 0)
        return frame[~frame["is_ours"]].drop(columns="is_ours").reset_index(drop=True)


def accounts(cm: ContactMap) -> pd.DataFrame:
    """One row per organisation: contacts, colleagues, ties, strength, bus factor, decay.

    Sorted by ``coverage`` (the sum of the strengths of the direct ties), best first.
    """
    table: pd.DataFrame = cm.derived.setdefault("accounts", _Accounts(cm)).table
    return table.sort_values(["coverage", "org_id"], ascending=[False, True]).reset_index(drop=True)


@dataclass
class AccountTies:
    """The direct ties of one account (one row each) and the two-tie paths into it."""

    org: int  # organisation index
    ties: pd.DataFrame  # employee, contact, edge, strength, peak, decaying, relation, level


def account_ties(cm: ContactMap, org: int) -> AccountTies:
    """Every visible tie from an employee to somebody at organisation index ``org``."""
    snap = cm.snap
    if "org_members" not in cm.derived:
        cm.derived["org_members"] = org_members(cm)
    ptr, members = cm.derived["org_members"]
    people = members[ptr[org] : ptr[org + 1]]
    emp = snap.consent >= 0
    rows_e, rows_c, rows_edge = [], [], []
    for c in people.tolist():
        if emp[c]:
            continue
        nbrs, eids = snap.neighbours(c)
        ok = cm.visible[eids] & emp[nbrs]
        rows_e.append(nbrs[ok].astype(np.int64))
        rows_c.append(np.full(int(ok.sum()), c, dtype=np.int64))
        rows_edge.append(eids[ok].astype(np.int64))
    edge = np.concatenate(rows_edge) if rows_edge else np.zeros(0, dtype=np.int64)
    employee = np.concatenate(rows_e) if rows_e else np.zeros(0, dtype=np.int64)
    contact = np.concatenate(rows_c) if rows_c else np.zeros(0, dtype=np.int64)
    rel = cm.relation[edge].astype(np.int64)
    frame = pd.DataFrame(
        {
            "employee": employee,
            "contact": contact,
            "edge": edge,
            "strength": cm.strength[edge].astype(np.float64).round(3),
            "peak": cm.peak_of(edge).astype(np.float64).round(3),
            "decaying": cm.decaying()[edge],
            "relation": [TIE_RELATIONS[r] if r >= 0 else None for r in rel.tolist()],
            "detailed": cm.detailed[edge],
        }
    )
    # Detailed ties by strength; the others after them, in no order their strength tells.
    frame["_rank"] = np.where(frame["detailed"], frame["strength"], -1.0)
    frame["_who"] = np.where(frame["detailed"], frame["edge"], frame["employee"])
    frame = frame.sort_values(["_rank", "_who", "edge"], ascending=[False, True, True])
    frame = frame.drop(columns=["_rank", "_who"]).reset_index(drop=True)
    return AccountTies(org, frame)
