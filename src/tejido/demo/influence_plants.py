"""Planted influence truth: hidden hubs and bought followers.

**Hidden hubs** are colleagues with few LinkedIn connections, each in a different circle:
they know the colleague at the centre of every community of the company's network, and
nobody else. Their volume (degree) is among the lowest of the staff; their bridging among
the highest (seed 003: the best ambassadors are not the ones with the most contacts, and
may not know their own impact).

**Bought followers** are X accounts an employee paid for in an early campaign (seed 003):
accounts created in bursts of a few hours, that all followed the buyer within a short
while (a contiguous block of the follower list, which X writes newest first), never
followed back, with no profile anyone knows. Some were "aged" accounts created long before
the purchase, and some also follow a few colleagues of the buyer to look real.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from tejido.demo.careers import Employees
from tejido.demo.ties import EXPORT_DAY, Ties, day_bounds, tie_kinds
from tejido.demo.world import Organisations, People

if TYPE_CHECKING:
    from tejido.demo.state import XAccount

__all__ = [
    "BoughtFollowers",
    "HiddenHub",
    "bought_follower_count",
    "hidden_hub_count",
    "plant_bought_followers",
    "plant_hidden_hubs",
]

_TWITTER_EPOCH_MS = 1288834974657
_HUB_COMMUNITIES = 32  # a hidden hub knows the centre of each of the largest communities
_HUB_STRENGTH = (2.0, 4.0)  # beta parameters of a hidden hub's ties (mean 0.33)
_BUYERS = ("marketing", "executives", "sales")  # who bought followers, by preference
_BURST_HOURS = (2, 10)  # a burst of account creations lasts this many hours
_AGED = 0.12  # share of bought accounts created long before the purchase
_ALSO_FOLLOW = 0.35  # share of bought accounts that also follow a few colleagues


@dataclass(frozen=True)
class HiddenHub:
    """A planted hidden hub (an employee's person index) and the people they know."""

    person: int
    contacts: tuple[int, ...]


@dataclass(frozen=True)
class BoughtFollowers:
    """Planted bought followers: their X ids, who bought them, and whom else they follow.

    ``block[e]`` is the bought block of buyer ``e``'s follower list (newest first),
    ``extra[e]`` the bought accounts that also follow colleague ``e`` (a block too), and
    ``depth[e]`` where in ``e``'s list the block sits (0: newest, 1: oldest).
    """

    ids: list[str]
    created: dict[str, str]  # x id -> creation time (ISO)
    buyers: list[int]
    block: dict[int, list[str]]
    depth: dict[int, float]
    extra: dict[int, list[str]]  # colleague -> bought accounts that follow them too


def hidden_hub_count(n_employees: int) -> int:
    """How many hidden hubs a company of ``n_employees`` gets: one per 30, 3 to 10.

    >>> hidden_hub_count(20), hidden_hub_count(80), hidden_hub_count(300)
    (3, 3, 10)
    """
    return int(np.clip(n_employees // 30, 3, 10))


def bought_follower_count(n_employees: int) -> int:
    """How many followers were bought in all: 1.5 per employee, between 60 and 900.

    >>> bought_follower_count(8), bought_follower_count(80), bought_follower_count(300)
    (60, 120, 450)
    """
    return int(np.clip(round(1.5 * n_employees), 60, 900))


def plant_hidden_hubs(
    people: People,
    orgs: Organisations,
    emp: Employees,
    ties: Ties,
    excluded: NDArray[np.int64],
    rng: np.random.Generator,
) -> tuple[Ties, list[HiddenHub]]:
    """Rewire ``hidden_hub_count`` colleagues into hidden hubs.

    Each keeps none of their drawn ties; instead they know the colleague at the centre
    (the best connected) of each community of the world's ties (Leiden, weighted by
    strength; communities with at least three colleagues, the 32 largest at most), and
    nobody else. Hubs upload their LinkedIn export and let analysts see their network;
    ``excluded`` people (planted paths, twins, the best-connected colleagues, X archive
    owners) are never hubs.
    """
    n = people.n_employees
    blocked = np.zeros(n, dtype=bool)
    blocked[excluded[excluded < n]] = True
    named = np.array([c == "named" for c in emp.consent], dtype=bool)
    zipped = np.flatnonzero(emp.has_zip & named & ~blocked)
    count = min(hidden_hub_count(n), zipped.size // 4)
    if count == 0:
        return ties, []
    community = _communities(ties, len(people), int(rng.integers(1 << 30)))
    chosen = np.sort(rng.choice(zipped, size=count, replace=False))
    keep = ~np.isin(ties.a, chosen) & ~np.isin(ties.b, chosen)
    a, b = ties.a[keep], ties.b[keep]
    degree = np.bincount(np.concatenate([a, b]), minlength=len(people))
    staff = np.flatnonzero(emp.has_zip & ~np.isin(np.arange(n), chosen))
    sizes = np.bincount(community[staff], minlength=int(community.max()) + 1)
    order = [int(c) for c in np.argsort(-sizes, kind="stable")[:_HUB_COMMUNITIES]
             if sizes[c] >= 3]  # fmt: skip
    centres = []
    for c in order:
        members = staff[community[staff] == c]
        centres.append(int(members[np.lexsort((members, -degree[members]))][0]))
    hubs = [HiddenHub(int(e), tuple(sorted(centres))) for e in chosen.tolist()]
    na = [min(h.person, c) for h in hubs for c in h.contacts]
    nb = [max(h.person, c) for h in hubs for c in h.contacts]
    ea, eb = np.array(na, dtype=np.int64), np.array(nb, dtype=np.int64)
    kind = tie_kinds(ea, eb, people, orgs, emp)
    lo, hi = day_bounds(ea, eb, kind, people, emp)
    day = lo + (np.maximum(hi - lo, 1) * rng.random(ea.size)).astype(np.int64)
    strength = rng.beta(*_HUB_STRENGTH, size=ea.size)
    a, b = np.concatenate([a, ea]), np.concatenate([b, eb])
    at = np.lexsort((b, a))
    out = Ties(
        a[at],
        b[at],
        np.concatenate([ties.kind[keep], kind])[at],
        np.concatenate([ties.strength[keep], strength])[at],
        np.minimum(np.concatenate([ties.day[keep], day]), EXPORT_DAY - 1)[at],
        np.zeros(a.size, dtype=np.int64),
    )
    return out, hubs


def _communities(ties: Ties, size: int, seed: int) -> NDArray[np.int64]:
    """The communities of the whole world's ties (Leiden, weighted by tie strength)."""
    from tejido.influence.communities import detect
    from tejido.influence.graph import Network

    net = Network.from_edges(ties.a, ties.b, weight=ties.strength, n=size)
    return np.asarray(detect(net, "leiden", seed=seed).membership, dtype=np.int64)


def _snowflake(when: dt.datetime, low: int) -> str:
    ms = int((when - dt.datetime(1970, 1, 1)).total_seconds() * 1000) - _TWITTER_EPOCH_MS
    return str((ms << 22) | low)


def plant_bought_followers(
    n_employees: int,
    emp: Employees,
    x_accounts: dict[int, XAccount],
    taken: set[str],
    rng: np.random.Generator,
) -> BoughtFollowers:
    """Choose the buyers (one, two from 150 employees: marketing first, among employees
    who upload their archive and let analysts see it) and make their bought accounts;
    ``taken`` are X ids in use."""
    archived = [e for e, x in sorted(x_accounts.items()) if x.archive]
    open_ = [e for e in archived if emp.consent[e] == "named"] or archived
    if not archived:
        return BoughtFollowers([], {}, [], {}, {}, {})
    want = 2 if n_employees >= 150 else 1
    rank = {d: i for i, d in enumerate(_BUYERS)}
    keys = [(rank.get(emp.dept[e], len(rank)), float(rng.random())) for e in open_]
    buyers = [open_[i] for i in sorted(range(len(open_)), key=keys.__getitem__)[:want]]
    total = bought_follower_count(n_employees)
    sizes = np.diff(np.round(np.linspace(0, total, len(buyers) + 1)).astype(int))
    ids: list[str] = []
    created: dict[str, str] = {}
    block: dict[int, list[str]] = {}
    depth: dict[int, float] = {}
    for buyer, size in zip(buyers, sizes.tolist(), strict=True):
        bought = _bought_accounts(int(size), taken, created, rng)
        ids.extend(bought)
        # Delivered over a few hours in no particular order: one contiguous block.
        block[buyer] = [bought[int(i)] for i in rng.permutation(len(bought))]
        depth[buyer] = float(rng.uniform(0.2, 0.8))
    extra: dict[int, list[str]] = {}
    others = [e for e in archived if e not in buyers]
    if others:
        for x in ids:
            if rng.random() < _ALSO_FOLLOW:
                for e in rng.choice(others, size=min(len(others), 3), replace=False).tolist():
                    extra.setdefault(int(e), []).append(x)
        for e in sorted(extra):
            depth[e] = float(rng.uniform(0.2, 0.8))
    return BoughtFollowers(ids, created, buyers, block, depth, extra)


def _bought_accounts(
    size: int, taken: set[str], created: dict[str, str], rng: np.random.Generator
) -> list[str]:
    """``size`` new account ids: most made in one to three bursts, a few aged ones."""
    bursts = int(rng.integers(1, 4))
    start = dt.datetime(2013, 1, 1) + dt.timedelta(days=int(rng.integers(0, 5 * 365)))
    out = []
    for _ in range(size):
        if rng.random() < _AGED:
            seconds = int(rng.integers(0, 7 * 365 * 86400))
            when = dt.datetime(2010, 12, 1) + dt.timedelta(seconds=seconds)
        else:
            burst = int(rng.integers(bursts))
            hours = float(rng.uniform(*_BURST_HOURS))
            when = start - dt.timedelta(days=3 * burst, hours=float(rng.uniform(0, hours)))
        xid = _snowflake(when, int(rng.integers(0, 1 << 22)))
        while xid in taken:
            xid = str(int(xid) + 1)
        taken.add(xid)
        created[xid] = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        out.append(xid)
    return out
