"""Reach by degree: company-centred (employees are the 1st degree, their contacts the 2nd,
contacts' contacts the 3rd) and person-centred (my contacts are my 1st degree), each
broken down by relation class, organisation, industry, country and department."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from tejido.contactmap.relations import TIE_RELATIONS
from tejido.contactmap.view import ContactMap

__all__ = ["DIMENSIONS", "company_degrees", "expand", "person_degrees", "reach_levels"]

DIMENSIONS = ("relation", "organisation", "industry", "country", "department")


def expand(cm: ContactMap, nodes: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Nodes tied to any of ``nodes`` through ties the viewer may use."""
    snap = cm.snap
    rows = np.repeat(nodes, np.diff(snap.indptr)) & cm.entry_visible
    out = np.zeros(snap.n_nodes, dtype=bool)
    out[snap.nbr[rows]] = True
    return out


def reach_levels(cm: ContactMap, start: NDArray[np.bool_], depth: int) -> NDArray[np.int8]:
    """Hops from ``start`` (0) for every node, up to ``depth``; -1 beyond."""
    level = np.full(cm.snap.n_nodes, -1, dtype=np.int8)
    level[start] = 0
    frontier = start.copy()
    for hop in range(1, depth + 1):
        frontier = expand(cm, frontier) & (level < 0)
        if not frontier.any():
            break
        level[frontier] = hop
    return level


def _best_relation(cm: ContactMap, contacts: NDArray[np.bool_]) -> NDArray[np.int64]:
    """For each node, the highest-priority class of its visible ties to employees (-1)."""
    snap = cm.snap
    emp = snap.consent >= 0
    use = cm.visible & (cm.relation >= 0)
    contact = np.where(emp[snap.u], snap.v, snap.u)
    best = np.full(snap.n_nodes, -1, dtype=np.int64)
    for cls in range(len(TIE_RELATIONS) - 1, -1, -1):  # lower index wins: write it last
        best[contact[use & (cm.relation == cls)]] = cls
    return np.where(contacts, best, -1)


def _counts(labels: NDArray[np.int64], names: list[str], none: str = "unknown") -> dict[str, int]:
    values = np.bincount(labels + 1, minlength=len(names) + 1)
    out = {none: int(values[0])} if values[0] else {}
    out.update({names[i]: int(c) for i, c in enumerate(values[1:].tolist()) if c})
    return out


def _breakdown(
    cm: ContactMap, members: NDArray[np.bool_], org_names: dict[int, str], top: int
) -> dict[str, dict[str, int]]:
    snap = cm.snap
    idx = np.flatnonzero(members)
    org = snap.org[idx].astype(np.int64)
    org_country = snap.of_org(snap.org_country, org, -1)
    country = np.where(snap.country[idx] >= 0, snap.country[idx], org_country)
    out: dict[str, dict[str, int]] = {
        "industry": _counts(snap.industry[idx].astype(np.int64), snap.industries),
        "country": _counts(country.astype(np.int64), snap.countries),
    }
    ids = snap.of_org(snap.org_id, org, -1)
    values, counts = np.unique(ids, return_counts=True)
    order = np.argsort(-counts, kind="stable")
    orgs: dict[str, int] = {}
    for k in order[:top].tolist():
        key = int(values[k])
        orgs[org_names.get(key, f"organisation {key}") if key >= 0 else "unknown"] = int(counts[k])
    rest = int(counts[order[top:]].sum())
    if rest:
        orgs["(other organisations)"] = rest
    out["organisation"] = orgs
    return out


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["degree", "dimension", "value", "count"])


def _department_reach(
    cm: ContactMap, members: NDArray[np.bool_], sources: NDArray[np.bool_]
) -> dict[str, int]:
    """Distinct ``members`` reached by each department's employees in ``sources``."""
    snap = cm.snap
    dept = snap.department
    out: dict[str, int] = {}
    for d, name in enumerate(snap.departments):
        reached = expand(cm, sources & (dept == d)) & members
        if reached.any():
            out[name] = int(reached.sum())
    return out


def company_degrees(
    cm: ContactMap, org_names: dict[int, str] | None = None, *, top: int = 20
) -> pd.DataFrame:
    """The company's reach: degree 1 (employees), 2 (their contacts), 3 (contacts' contacts).

    One row per (degree, dimension, value) with a count; dimension ``total`` gives each
    degree's size. Ties the viewer may not use count nowhere; an employee whose consent
    is private is counted as an employee and nothing else.
    """
    snap = cm.snap
    employees = np.zeros(snap.n_nodes, dtype=bool)
    employees[cm.employees] = True
    levels = reach_levels(cm, employees, 2)
    rows: list[dict[str, Any]] = []
    names = org_names or {}
    for degree, hop in ((1, 0), (2, 1), (3, 2)):
        members = levels == hop
        rows.append(
            {"degree": degree, "dimension": "total", "value": "", "count": int(members.sum())}
        )
        if degree == 1:
            dept = snap.department[members].astype(np.int64)
            split = {"department": _counts(dept, snap.departments)}
            split["consent"] = _counts(
                snap.consent[members].astype(np.int64), ["private", "existence_only", "named"]
            )
        else:
            split = _breakdown(cm, members, names, top)
            if degree == 2:
                best = _best_relation(cm, members)[members]
                split["relation"] = _counts(best, list(TIE_RELATIONS), none="no class")
                split["department"] = _department_reach(cm, members, employees)
        for dimension, counts in split.items():
            for value, count in counts.items():
                rows.append(
                    {"degree": degree, "dimension": dimension, "value": value, "count": count}
                )
    return _frame(rows)


def person_degrees(
    cm: ContactMap, node: int, org_names: dict[int, str] | None = None, *, top: int = 20
) -> pd.DataFrame:
    """One person's reach: their contacts (1st), contacts' contacts (2nd), and the 3rd."""
    snap = cm.snap
    start = np.zeros(snap.n_nodes, dtype=bool)
    start[node] = True
    levels = reach_levels(cm, start, 3)
    rows: list[dict[str, Any]] = []
    for degree in (1, 2, 3):
        members = levels == degree
        rows.append(
            {"degree": degree, "dimension": "total", "value": "", "count": int(members.sum())}
        )
        split = _breakdown(cm, members, org_names or {}, top)
        emp = members & (snap.consent >= 0)
        split["department"] = _counts(snap.department[emp].astype(np.int64), snap.departments)
        if degree == 1:
            mine = cm.visible & ((snap.u == node) | (snap.v == node))
            other = np.where(snap.u[mine] == node, snap.v[mine], snap.u[mine])
            rel = cm.relation[mine].astype(np.int64)
            best = np.full(snap.n_nodes, -1, dtype=np.int64)
            best[other] = rel
            split["relation"] = _counts(best[members], list(TIE_RELATIONS), none="no class")
        for dimension, counts in split.items():
            for value, count in counts.items():
                rows.append(
                    {"degree": degree, "dimension": dimension, "value": value, "count": count}
                )
    return _frame(rows)
