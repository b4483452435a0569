"""Planted warm introduction paths: a target, the one colleague who truly knows them, decoys.

Each target works at a prospect or customer account. One introducer knows them well: an
old connection, from a shared past employer where possible, with many recent messages
both ways. A few of our best-connected colleagues are tied to the target too, but only
lately and without a word, so that ranking by degree picks a decoy and only tie strength
picks the introducer. A requester in another department is close to the introducer and
does not know the target.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from tejido.demo.careers import Employees
from tejido.demo.ties import EXPORT_DAY, KINDS, Ties, day_bounds, tie_kinds
from tejido.demo.world import Organisations, People

__all__ = [
    "DECOY_STRENGTH",
    "INTRODUCER_STRENGTH",
    "REQUESTER_STRENGTH",
    "WarmPath",
    "WarmPlant",
    "plant_warm_paths",
    "warm_path_count",
]

INTRODUCER_STRENGTH = 0.97
REQUESTER_STRENGTH = 0.95
DECOY_STRENGTH = 0.03
_RELATIONS = ("prospect", "customer")
_EAGER = ("sales", "executives")  # departments introducers come from when they can
_HUBS = 5  # the best-connected colleagues are kept free to be decoys
_OLD = 3 * 365  # an introducer met the target at least this many days before the export
_RECENT = 365  # a decoy met the target at most this many days before the export
_LONG_AGO, _LATELY, _ANY = 0, 1, 2  # when a planted tie was made

_T = TypeVar("_T")


@dataclass(frozen=True)
class WarmPath:
    """One planted path, as person indices: requester → introducer → target."""

    target: int
    org: int
    introducer: int
    requester: int
    decoys: tuple[int, ...]


@dataclass(frozen=True)
class WarmPlant:
    """The planted paths, and the tie indices whose messages ``build_inbox`` must force."""

    paths: list[WarmPath]
    warm: list[int]  # introducer–target and requester–introducer: many recent messages
    silent: list[int]  # decoy–target: none


def warm_path_count(n_employees: int) -> int:
    """How many paths a company of ``n_employees`` gets: one per 60, between 3 and 8.

    >>> warm_path_count(30), warm_path_count(300), warm_path_count(1000)
    (3, 5, 8)
    """
    return int(np.clip(round(n_employees / 60), 3, 8))


def plant_warm_paths(
    people: People,
    orgs: Organisations,
    emp: Employees,
    ties: Ties,
    excluded: NDArray[np.int64],
    rng: np.random.Generator,
) -> tuple[Ties, WarmPlant]:
    """Choose the paths and rewire the ties around them; ``excluded`` are never targets.

    A target keeps only its ties to the introducer and the decoys. Kinds follow the same
    rules as every other tie; days stay within the windows those rules allow.
    """
    n = people.n_employees
    zipped = np.flatnonzero(emp.has_zip)
    degree = np.bincount(np.concatenate([ties.a, ties.b[ties.b < n]]), minlength=n)
    by_degree = zipped[np.lexsort((zipped, -degree[zipped]))].tolist()
    hubs = set(by_degree[: max(0, min(_HUBS, len(by_degree) - 2))])
    picks = _targets(people, orgs, emp, excluded, by_degree, hubs, rng)
    if not picks:
        return ties, WarmPlant([], [], [])
    introducers = {e for e, _ in picks}
    requesters = _requesters(picks, emp, ties, by_degree, hubs, introducers, rng)
    roles = introducers | set(requesters)
    paths = []
    for (e, t), r in zip(picks, requesters, strict=True):
        decoys = _decoys(e, r, t, people, emp, by_degree, roles, rng)
        paths.append(WarmPath(t, int(people.org[t]), e, r, decoys))
    paths.sort(key=lambda p: p.target)
    return _rewire(paths, people, orgs, emp, ties, rng)


def _best(options: Sequence[_T], keys: Sequence[tuple[int, ...]], rng: np.random.Generator) -> _T:
    """One of the options with the smallest key (the most preferred), at random."""
    low = min(keys)
    tied = [o for o, k in zip(options, keys, strict=True) if k == low]
    return tied[int(rng.integers(len(tied)))]


def _targets(
    people: People,
    orgs: Organisations,
    emp: Employees,
    excluded: NDArray[np.int64],
    by_degree: list[int],
    hubs: set[int],
    rng: np.random.Generator,
) -> list[tuple[int, int]]:
    """(introducer, target) pairs, targets at distinct accounts where possible."""
    n = people.n_employees
    twins = {x for pair in people.same_org_homonyms for x in pair}
    wanted = np.isin(np.array(orgs.relation), _RELATIONS)
    pool = np.setdiff1d(np.arange(n, len(people)), excluded)
    pool = pool[wanted[people.org[pool]]]
    pool_list = [int(p) for p in pool.tolist() if p not in twins]
    by_org: dict[int, list[int]] = {}
    for p in pool_list:
        by_org.setdefault(int(people.org[p]), []).append(p)
    staff = [e for e in by_degree if e not in hubs] or by_degree
    # Person n stands for anyone outside who shares nothing with the employee: the window
    # of a plain tie, which starts with the employee's career.
    other = np.full(len(staff), KINDS.index("other"), dtype=np.int64)
    career, _ = day_bounds(np.array(staff), np.full(len(staff), n), other, people, emp)
    short = {e: int(lo > EXPORT_DAY - _OLD) for e, lo in zip(staff, career.tolist(), strict=True)}
    pairs = [(e, j.org) for e in staff for j in emp.jobs[e][1:] if j.org in by_org]
    if pairs:
        # An ex-colleague tie was made during the shared tenure: it must leave room for an
        # old one.
        a = np.array([e for e, _ in pairs])
        b = np.array([by_org[o][0] for _, o in pairs])
        lo, hi = day_bounds(a, b, np.ones(a.size, dtype=np.int64), people, emp)
        room = np.minimum(hi, EXPORT_DAY - _OLD) - lo >= 30
        pairs = [p for p, ok in zip(pairs, room.tolist(), strict=True) if ok]
    uses: Counter[int] = Counter()
    used_orgs: set[int] = set()
    picks: list[tuple[int, int]] = []
    for _ in range(warm_path_count(n)):
        options = [(e, o) for e, o in pairs if o not in used_orgs] + [(e, -1) for e in staff]
        keys = [(emp.dept[x] not in _EAGER, uses[x], o < 0, short[x]) for x, o in options]
        e, o = _best(options, keys, rng)
        if o >= 0:
            free = by_org[o]
        else:
            taken = {t for _, t in picks}
            free = [p for p in pool_list if int(people.org[p]) not in used_orgs]
            free = free or [p for p in pool_list if p not in taken]
        if not free:
            break
        t = free[int(rng.integers(len(free)))]
        uses[e] += 1
        used_orgs.add(int(people.org[t]))
        picks.append((e, t))
    return picks


def _requesters(
    picks: list[tuple[int, int]],
    emp: Employees,
    ties: Ties,
    by_degree: list[int],
    hubs: set[int],
    introducers: set[int],
    rng: np.random.Generator,
) -> list[int]:
    """For each introducer, a colleague in another department, already tied if possible."""
    n = len(emp)
    inner = ties.b < n
    tied = set(zip(ties.a[inner].tolist(), ties.b[inner].tolist(), strict=True))
    uses: Counter[int] = Counter()
    out = []
    for e, _ in picks:
        staff = [r for r in by_degree if r != e] or [r for r in range(n) if r != e]
        keys = [
            (x in hubs, x in introducers, emp.dept[x] == emp.dept[e], uses[x],
             (min(x, e), max(x, e)) not in tied)
            for x in staff
        ]  # fmt: skip
        r = _best(staff, keys, rng)
        uses[r] += 1
        out.append(r)
    return out


def _decoys(
    e: int,
    r: int,
    t: int,
    people: People,
    emp: Employees,
    by_degree: list[int],
    roles: set[int],
    rng: np.random.Generator,
) -> tuple[int, ...]:
    """3-5 of the best-connected colleagues who share neither employer nor school with t."""
    org, school = int(people.org[t]), int(people.school[t])
    # Nobody who worked at the target's organisation: their tie would be an ex-colleague
    # tie, made back then, not lately.
    staff = [d for d in by_degree if d not in (e, r) and all(j.org != org for j in emp.jobs[d][1:])]
    staff.sort(key=lambda d: (d in roles, any(s.school == school for s in emp.studies[d])))
    return tuple(sorted(staff[: int(rng.integers(3, 6))]))


def _rewire(
    paths: list[WarmPath],
    people: People,
    orgs: Organisations,
    emp: Employees,
    ties: Ties,
    rng: np.random.Generator,
) -> tuple[Ties, WarmPlant]:
    """Drop the targets' ties, add the planted ones, keep ties sorted by (a, b)."""
    size = len(people)
    keep = ~np.isin(ties.b, [p.target for p in paths])
    a, b, kind, day = ties.a[keep], ties.b[keep], ties.kind[keep], ties.day[keep]
    strength = ties.strength[keep]
    key = a * size + b  # increasing: ties are sorted by (a, b)
    new: dict[tuple[int, int], tuple[float, int]] = {}
    warm, silent = [], []
    for p in paths:
        new[(p.introducer, p.target)] = (INTRODUCER_STRENGTH, _LONG_AGO)
        warm.append((p.introducer, p.target))
        for d in p.decoys:
            new[(d, p.target)] = (DECOY_STRENGTH, _LATELY)
            silent.append((d, p.target))
        pair = (min(p.introducer, p.requester), max(p.introducer, p.requester))
        warm.append(pair)
        at = int(np.searchsorted(key, pair[0] * size + pair[1]))
        if at < key.size and key[at] == pair[0] * size + pair[1]:
            strength[at] = REQUESTER_STRENGTH
        else:
            new[pair] = (REQUESTER_STRENGTH, _ANY)
    na = np.array([x for x, _ in new], dtype=np.int64)
    nb = np.array([y for _, y in new], dtype=np.int64)
    when = np.array([w for _, w in new.values()])
    nkind = tie_kinds(na, nb, people, orgs, emp)
    lo, hi = day_bounds(na, nb, nkind, people, emp)
    lo = np.where(when == _LATELY, np.maximum(lo, EXPORT_DAY - _RECENT), lo)
    hi = np.where(when == _LONG_AGO, np.minimum(hi, EXPORT_DAY - _OLD), hi)
    nday = lo + (np.maximum(hi - lo, 1) * rng.random(na.size)).astype(np.int64)
    a, b = np.concatenate([a, na]), np.concatenate([b, nb])
    order = np.lexsort((b, a))
    out = Ties(
        a[order],
        b[order],
        np.concatenate([kind, nkind])[order],
        np.concatenate([strength, [s for s, _ in new.values()]])[order],
        np.minimum(np.concatenate([day, nday]), EXPORT_DAY - 1)[order],
        np.zeros(a.size, dtype=np.int64),
    )
    key = out.a * size + out.b

    def where(pairs: list[tuple[int, int]]) -> list[int]:
        at = np.searchsorted(key, [x * size + y for x, y in pairs])
        return sorted(set(at.tolist()))

    return out, WarmPlant(paths, where(warm), where(silent))
