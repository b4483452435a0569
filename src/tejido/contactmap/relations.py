"""Relation classes of employee–contact ties: colleague, ex-colleague, classmate, the CRM's
customer / prospect / partner / supplier / competitor, or other.

A tie gets the first class that holds, in this order (``TIE_RELATIONS``):

1. **colleague**: both are our employees, or the contact works at our company now;
   a tie to an employee who has left is an ex-colleague;
2. **ex_colleague**: they worked at the same employer (the employee's Positions.csv holds
   the contact's organisation, or both careers share one, with dates that overlap when
   both are known);
3. **classmate**: a school both went to (known when both uploaded their education);
4. the CRM relation of the contact's organisation: **customer**, **prospect**,
   **partner**, **supplier**, **competitor**;
5. **other**.

A manual override (``RelationOverride``) wins over all of them. Ties between two people
who are not employees (a contact's own contacts) have no class (-1).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from tejido.snapshot.model import ORG_RELATIONS, TIE_RELATIONS, Snapshot

__all__ = ["TIE_RELATIONS", "all_classes", "relation_classes"]

_R = {name: i for i, name in enumerate(TIE_RELATIONS)}
# The CRM's organisation relation -> the tie class (the CRM's "other" is just other).
_FROM_ORG = np.array([_R.get(name, _R["other"]) for name in ORG_RELATIONS], dtype=np.int8)


def _contact_side(snap: Snapshot) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """For each edge the node on the contact side, and whether the edge has an employee."""
    emp = snap.consent >= 0
    eu, ev = emp[snap.u], emp[snap.v]
    contact = np.where(eu, snap.v, snap.u).astype(np.int64)
    return contact, eu | ev


def all_classes(snap: Snapshot) -> NDArray[np.uint16]:
    """Every class that holds for each edge, as bits (1 << class index); 0 for no class."""
    contact, has_employee = _contact_side(snap)
    emp = snap.consent >= 0
    both = emp[snap.u] & emp[snap.v]
    org = snap.org[contact]
    ours = snap.of_org(snap.org_is_ours, org, False)
    both_active = snap.active[snap.u] & snap.active[snap.v]
    bits = np.zeros(snap.n_edges, dtype=np.uint16)

    def flag(name: str, mask: NDArray[np.bool_]) -> None:
        bits[mask] |= np.uint16(1 << _R[name])

    flag("colleague", (both & both_active) | (~both & ours))
    # A shared employer makes ex-colleagues, unless both careers are known and their
    # dates there never overlapped (overlap 0; -1 means the dates are not known).
    worked_together = (snap.shared_orgs > 0) & (np.asarray(snap.overlap) != 0)
    flag("ex_colleague", (both & ~both_active) | (worked_together & ~ours & ~both))
    flag("classmate", snap.shared_schools > 0)
    rel = snap.of_org(snap.org_relation, org, -1)
    for code, cls in enumerate(_FROM_ORG.tolist()):
        flag(TIE_RELATIONS[cls], (rel == code) & ~both)
    flag("other", bits == 0)
    bits[~has_employee] = 0
    return bits


def relation_classes(snap: Snapshot) -> NDArray[np.int8]:
    """The class of each edge (index into ``TIE_RELATIONS``), -1 without an employee.

    The first class that holds, in ``TIE_RELATIONS`` order; a manual override wins.
    """
    bits = all_classes(snap)
    # Lowest set bit = highest-priority class.
    low = bits & (~bits + np.uint16(1))
    cls = np.where(bits > 0, np.log2(np.maximum(low, 1)).astype(np.int8), -1).astype(np.int8)
    override = np.asarray(snap.override)
    out: NDArray[np.int8] = np.where((override >= 0) & (bits > 0), override, cls).astype(np.int8)
    return out
