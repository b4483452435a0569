"""Who knows whom: colleagues, ex-colleagues, classmates, customers and the rest.

Employees' contact counts are heavy-tailed (sales and executives higher, engineers lower);
contacts are drawn with homophily (past employers, schools, industry, role, country) and
with heavy-tailed popularity, so that the same people turn up in many exports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tejido.demo.careers import EXPORT_MONTH, Employees
from tejido.demo.texts import DEPARTMENT_SHARES, DEPARTMENTS, ROLE_FAMILIES
from tejido.demo.world import Organisations, People

__all__ = [
    "EXPORT_DAY",
    "KINDS",
    "Ties",
    "build_ties",
    "contact_degrees",
    "day_bounds",
    "tie_kinds",
]

KINDS = (
    "colleague", "ex_colleague", "classmate", "customer", "prospect", "partner", "supplier",
    "competitor", "industry", "other",
)  # fmt: skip
EXPORT_DAY = (dt.date(2026, 11, 20) - dt.date(1970, 1, 1)).days
_FIRST_DAY = (dt.date(2004, 1, 1) - dt.date(1970, 1, 1)).days
_BASE = np.array([0.3, 0.4, 0.35, 0.35, 0.15, 0.3, 0.2, 0.15, 0.12, 0.08])
_DEGREE_MULT = {"sales": 2.0, "engineering": 0.5, "marketing": 1.1, "support": 0.7,
                "executives": 1.8}  # fmt: skip
# Share of contacts drawn by each reason: ex-colleague, classmate, CRM account, industry,
# role, country; the rest by popularity alone.
_MIX = {
    "sales": (0.14, 0.05, 0.20, 0.28, 0.08, 0.12),
    "engineering": (0.16, 0.07, 0.03, 0.30, 0.10, 0.14),
    "marketing": (0.14, 0.06, 0.06, 0.30, 0.08, 0.14),
    "support": (0.14, 0.05, 0.12, 0.30, 0.08, 0.13),
    "executives": (0.16, 0.06, 0.15, 0.28, 0.08, 0.12),
}
_PEER_ROLES = {"sales": ("procurement", "sales"), "engineering": ("engineering", "it"),
               "marketing": ("marketing",), "support": ("operations", "it"),
               "executives": ("executive", "finance")}  # fmt: skip


@dataclass
class Ties:
    """One entry per undirected tie; ``a`` is always an employee and ``a < b``."""

    a: NDArray[np.int64]
    b: NDArray[np.int64]
    kind: NDArray[np.int64]
    strength: NDArray[np.float64]
    day: NDArray[np.int64]
    messages: NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.a)

    def by_owner(self, n_employees: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """CSR (indptr, tie indices) of every employee's ties, in either position."""
        owner = np.concatenate([self.a, self.b])
        tie = np.concatenate([np.arange(len(self)), np.arange(len(self))])
        keep = owner < n_employees
        owner, tie = owner[keep], tie[keep]
        order = np.lexsort((tie, owner))
        ptr = np.zeros(n_employees + 1, dtype=np.int64)
        np.add.at(ptr, owner + 1, 1)
        return np.cumsum(ptr), tie[order].astype(np.int64)


class _Groups:
    """Members grouped by a key, sampled in proportion to a weight."""

    def __init__(self, keys: NDArray[np.int64], members: NDArray[np.int64], w: NDArray[np.float64]):
        order = np.argsort(keys, kind="stable")
        self.members: NDArray[np.int64] = members[order]
        self.ptr = np.searchsorted(keys[order], np.arange(int(keys.max(initial=0)) + 2))
        self.cum = np.concatenate([[0.0], np.cumsum(w[order])])

    def sample(self, key: int, k: int, rng: np.random.Generator) -> NDArray[np.int64]:
        if k <= 0 or key + 1 >= len(self.ptr):
            return np.empty(0, dtype=np.int64)
        lo, hi = int(self.ptr[key]), int(self.ptr[key + 1])
        if hi <= lo:
            return np.empty(0, dtype=np.int64)
        u = self.cum[lo] + rng.random(k) * (self.cum[hi] - self.cum[lo])
        pos = np.clip(np.searchsorted(self.cum, u, side="right") - 1, lo, hi - 1)
        out: NDArray[np.int64] = self.members[pos]
        return out


def contact_degrees(
    emp: Employees, mean_contacts: int, cap: int, rng: np.random.Generator
) -> NDArray[np.int64]:
    """Heavy-tailed target contact counts (lognormal, sigma 1.1) with mean ~ mean_contacts."""
    mult = np.array([_DEGREE_MULT[d] for d in emp.dept])
    norm = sum(s * _DEGREE_MULT[d] for d, s in zip(DEPARTMENTS, DEPARTMENT_SHARES, strict=True))
    mean = mean_contacts * mult / norm
    sigma = 1.1
    raw = rng.lognormal(np.log(mean) - sigma**2 / 2, sigma)
    return np.clip(np.round(raw), 10, max(10, cap)).astype(np.int64)


def build_ties(
    people: People,
    orgs: Organisations,
    emp: Employees,
    excluded: NDArray[np.int64],
    mean_contacts: int,
    rng: np.random.Generator,
) -> Ties:
    """Every employee's ties: a colleague graph plus homophilous draws from the pool."""
    n = people.n_employees
    cand = np.setdiff1d(np.arange(n, len(people)), excluded)
    degree = contact_degrees(emp, mean_contacts, int(0.6 * cand.size), rng)
    ca, cb = _colleague_graph(degree, emp, rng)
    coll_deg = np.bincount(np.concatenate([ca, cb]), minlength=n)
    w = people.popularity[cand]
    org_of = people.org[cand]
    relation = np.array([bool(r) for r in orgs.relation])
    groups = {
        "org": _Groups(org_of, cand, w),
        "school": _Groups(people.school[cand], cand, w),
        "industry": _Groups(orgs.industry[org_of], cand, w),
        "role": _Groups(people.role[cand], cand, w),
        "country": _Groups(people.country[cand], cand, w),
        "crm": _Groups(np.where(relation[org_of], 0, 1).astype(np.int64), cand, w),
        "all": _Groups(np.zeros(cand.size, dtype=np.int64), cand, w),
    }
    forced = _forced_homonyms(people, emp, rng)
    parts_b, parts_e = [cb], [ca]
    for e in range(n):
        m = max(5, int(degree[e]) - int(coll_deg[e]))
        picked = _draw_contacts(e, m, people, orgs, emp, groups, rng)
        extra = forced.get(e)
        if extra is not None:
            picked = np.union1d(picked, extra)
        parts_e.append(np.full(picked.size, e, dtype=np.int64))
        parts_b.append(picked)
    a = np.concatenate(parts_e)
    b = np.concatenate(parts_b)
    order = np.lexsort((b, a))
    a, b = a[order], b[order]
    kind = tie_kinds(a, b, people, orgs, emp)
    base = _BASE[kind]
    dept = np.array([DEPARTMENTS.index(d) for d in emp.dept])
    same_dept = (b < n) & (dept[a] == dept[np.minimum(b, n - 1)])
    base = np.where(same_dept, 0.5, base)
    strength = rng.beta(base * 5, (1 - base) * 5)
    day = _connected_on(a, b, kind, people, emp, rng)
    return Ties(a, b, kind.astype(np.int64), strength, day, np.zeros(a.size, dtype=np.int64))


def _colleague_graph(
    degree: NDArray[np.int64], emp: Employees, rng: np.random.Generator
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Chung-Lu graph among employees, denser inside a department."""
    n = len(degree)
    k = np.minimum(0.2 * degree, 0.7 * (n - 1)) + min(3, n - 1)
    dept = np.array([DEPARTMENTS.index(d) for d in emp.dept])
    boost = np.where(dept[:, None] == dept[None, :], 3.0, 1.0)
    p = np.outer(k, k) * boost
    np.fill_diagonal(p, 0.0)
    p *= k.sum() / p.sum()
    p = np.minimum(p, 0.95)
    hit = np.triu(rng.random((n, n)) < p, 1)
    a, b = np.nonzero(hit)
    return a.astype(np.int64), b.astype(np.int64)


def _forced_homonyms(
    people: People, emp: Employees, rng: np.random.Generator
) -> dict[int, NDArray[np.int64]]:
    """Same name, same organisation: put both twins in one export, or in two."""
    owners = np.flatnonzero(emp.has_zip)
    out: dict[int, list[int]] = {}
    for p, q in people.same_org_homonyms:
        e1, e2 = (int(x) for x in rng.choice(owners, size=2))
        out.setdefault(e1, []).append(p)
        out.setdefault(e1 if rng.random() < 0.5 else e2, []).append(q)
    return {e: np.array(sorted(v), dtype=np.int64) for e, v in out.items()}


def _draw_contacts(
    e: int,
    m: int,
    people: People,
    orgs: Organisations,
    emp: Employees,
    groups: dict[str, _Groups],
    rng: np.random.Generator,
) -> NDArray[np.int64]:
    dept = emp.dept[e]
    mix = _MIX[dept]
    counts = rng.multinomial(m, (*mix, 1.0 - sum(mix)))
    over = np.ceil(counts * 1.3).astype(int)
    past = [j.org for j in emp.jobs[e][1:]]
    inds = [int(emp.home_industry[e])] * len(past) + [int(orgs.industry[o]) for o in past]
    draws: list[NDArray[np.int64]] = []
    by_org = np.bincount(rng.choice(len(past), size=over[0]), minlength=len(past))
    for o, c in zip(past, by_org.tolist(), strict=True):
        draws.append(groups["org"].sample(o, c, rng))
    for s in emp.studies[e]:
        draws.append(groups["school"].sample(s.school, over[1] // len(emp.studies[e]) + 1, rng))
    draws.append(groups["crm"].sample(0, over[2], rng))
    by_ind = np.bincount(rng.choice(inds, size=over[3]))
    for ind in np.flatnonzero(by_ind).tolist():
        draws.append(groups["industry"].sample(ind, int(by_ind[ind]), rng))
    roles = [ROLE_FAMILIES.index(r) for r in _PEER_ROLES[dept]]
    for r in roles:
        draws.append(groups["role"].sample(r, over[4] // len(roles) + 1, rng))
    draws.append(groups["country"].sample(int(people.country[e]), over[5], rng))
    draws.append(groups["all"].sample(0, over[6], rng))
    picked = np.unique(np.concatenate(draws))
    for _ in range(4):
        if picked.size >= m:
            break
        more = groups["all"].sample(0, 2 * (m - picked.size), rng)
        picked = np.union1d(picked, more)
    if picked.size > m:
        picked = np.sort(rng.choice(picked, size=m, replace=False))
    return picked.astype(np.int64)


def tie_kinds(
    a: NDArray[np.int64],
    b: NDArray[np.int64],
    people: People,
    orgs: Organisations,
    emp: Employees,
) -> NDArray[np.int64]:
    """The truth kind of each tie, by priority: what the two people share."""
    n = people.n_employees
    rel_code = {r: KINDS.index(r) for r in KINDS[3:8]} | {"other": KINDS.index("other"), "": -1}
    rel = np.array([rel_code[r] for r in orgs.relation])
    kind = np.full(a.size, KINDS.index("other"), dtype=np.int64)
    org_b = people.org[b]
    order = np.argsort(a, kind="stable")
    ptr = np.searchsorted(a[order], np.arange(n + 1))
    for e in range(n):
        _kind_rows(e, order[ptr[e] : ptr[e + 1]], kind, b, org_b, rel, people, orgs, emp)
    kind[b < n] = 0
    return kind


def _kind_rows(
    e: int,
    sel: NDArray[np.int64],
    kind: NDArray[np.int64],
    b: NDArray[np.int64],
    org_b: NDArray[np.int64],
    rel: NDArray[np.int64],
    people: People,
    orgs: Organisations,
    emp: Employees,
) -> None:
    past = [j.org for j in emp.jobs[e][1:]]
    inds = [int(emp.home_industry[e])] + [int(orgs.industry[o]) for o in past]
    ob = org_b[sel]
    k = np.where(np.isin(orgs.industry[ob], inds), KINDS.index("industry"), KINDS.index("other"))
    r = rel[ob]
    k = np.where(r >= 0, r, k)
    k = np.where(np.isin(people.school[b[sel]], [s.school for s in emp.studies[e]]), 2, k)
    k = np.where(np.isin(ob, past), 1, k)
    kind[sel] = k


def day_bounds(
    a: NDArray[np.int64],
    b: NDArray[np.int64],
    kind: NDArray[np.int64],
    people: People,
    emp: Employees,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The days ``[lo, hi)`` within which each tie can have been made on LinkedIn.

    Colleagues: once the later of the two had joined us; ex-colleagues: while ``a`` worked
    at ``b``'s organisation (from 2004 on); everyone else: since ``a``'s career began.
    """
    lo, hi, _even = _bounds(a, b, kind, people, emp)
    return lo, hi


def _bounds(
    a: NDArray[np.int64],
    b: NDArray[np.int64],
    kind: NDArray[np.int64],
    people: People,
    emp: Employees,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_]]:
    """``day_bounds`` and whether the day is drawn evenly (else skewed to recent years)."""
    n = people.n_employees
    start_day = np.array([_month_day(j[0].start) for j in emp.jobs])
    join_day = np.maximum(_FIRST_DAY, np.array([_month_day(j[-1].start) for j in emp.jobs]))
    colleague = b < n
    lo = np.where(colleague, np.maximum(start_day[a], start_day[np.minimum(b, n - 1)]),
                  join_day[a]).astype(np.int64)  # fmt: skip
    hi = np.full(a.size, EXPORT_DAY - 1, dtype=np.int64)
    even = colleague.copy()
    tenure = [
        {j.org: (_month_day(j.start), _month_day(j.end or EXPORT_MONTH)) for j in jobs[1:]}
        for jobs in emp.jobs
    ]
    for i in np.flatnonzero(kind == 1).tolist():
        first, end = tenure[int(a[i])][int(people.org[b[i]])]
        first = max(first, _FIRST_DAY)
        if end > first:
            lo[i], hi[i], even[i] = first, end, True
    return lo, hi, even


def _connected_on(
    a: NDArray[np.int64],
    b: NDArray[np.int64],
    kind: NDArray[np.int64],
    people: People,
    emp: Employees,
    rng: np.random.Generator,
) -> NDArray[np.int64]:
    """Days since 1970 on which each tie was made on LinkedIn."""
    lo, hi, even = _bounds(a, b, kind, people, emp)
    u = rng.random(a.size)
    span = np.maximum(hi - lo, 1)
    day = lo + (span * np.where(even, u, u**0.6)).astype(np.int64)
    out: NDArray[np.int64] = np.minimum(day, EXPORT_DAY - 1).astype(np.int64)
    return out


def _month_day(month: int) -> int:
    return (dt.date(month // 12, month % 12 + 1, 1) - dt.date(1970, 1, 1)).days
