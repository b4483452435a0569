"""Planted share logs: posts re-shared along the ties with known probabilities (seed 002).

**The network** is every tie the workspace's map will hold after the import (a tie listed
in at least one uploaded LinkedIn export), each way: ``u -> v`` means that ``v`` sees what
``u`` shares.

**True probabilities.** ``v`` re-shares what ``u`` shared with probability

    w(u, v) = min(1, (0.05 + 0.95 * strength(u, v)) * (1.5 if same industry else 1))
    p(u, v) = 0.3 * w(u, v) * min(1, 2 / W(v)),    W(v) = sum of w(u', v) over v's in-arcs

``strength`` is the tie's truth strength (``truth/ties.csv``) and "same industry" compares
the industries of the two people's current organisations (ours is Software). The second
factor is ``v``'s attention: someone who sees the shares of many people (an employee with
hundreds of contacts) re-shares each of them less. It keeps every person's incoming
probabilities at most 0.6, so the cascades die out (the spectral radius of the arc
matrix is at most its largest column sum, 0.6): contacts who know one or two colleagues
re-share 1.5% to 30% of what those colleagues share, employees a fraction of a percent of
each contact's.

**Posts.** ``share_post_count`` posts of the company's approved content, between 5 January
and 30 October 2026. Each is shared first by one employee and, within the next 24 hours,
by a Poisson(1) number of colleagues more (seed 002: several ambassadors share the same
content), drawn in proportion to a lognormal activity (sigma 1.5: a few advocates share
most). Each sharer's sharing is an Independent Cascade: every out-arc is tried once, with
its probability; on success the neighbour would share after an exponential delay (mean
8 hours), and shares at the earliest such time (the first parent to reach them), once.

**Files.** ``shares.csv`` is the log as an advocacy tool exports it: ``post`` (a LinkedIn
activity URN), ``person`` (an employee's work e-mail, anyone else's LinkedIn profile URL),
``action`` (``share``) and ``at`` (ISO 8601, UTC), in time order. The truth is
``truth/share_probabilities.csv`` (every arc: both ends' truth ids and ``p``; the log
names a truth person by ``people.csv``'s ``employee_email``, else by its ``linkedin_slug``)
and ``truth/shares.csv`` (every line of the log: post, person and the parent whose share
reached them; blank for the sharers who started it).
"""

from __future__ import annotations

import csv
import datetime as dt
import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from tejido.demo.state import DemoWorld
from tejido.demo.variants import canonical_url

__all__ = [
    "SHARES_HEADER",
    "SHARE_PROBABILITIES_HEADER",
    "SHARE_TRUTH_HEADER",
    "SharePlant",
    "plant_shares",
    "share_post_count",
    "true_share_probabilities",
    "write_shares",
]

SHARES_HEADER = ("post", "person", "action", "at")
SHARE_PROBABILITIES_HEADER = ("source_person_id", "target_person_id", "p")
SHARE_TRUTH_HEADER = ("line", "post", "truth_person_id", "parent_person_id", "at")

P_MAX = 0.3  # the probability of the strongest tie, seen by someone with spare attention
FLOOR = 0.05  # w of the weakest tie
SAME_INDUSTRY = 1.5
ATTENTION = 2.0  # W(v) beyond which v's attention is shared out
DELAY_HOURS = 8.0  # mean of the exponential delay before a re-share
EXTRA_SHARERS = 1.0  # Poisson mean of the colleagues who also share a post
SPREAD_HOURS = 24.0  # the first sharers share within this many hours of each other
ACTIVITY_SIGMA = 1.5
_FIRST_POST = dt.datetime(2026, 1, 5)
_LAST_POST = dt.datetime(2026, 10, 30)
_EPOCH = dt.datetime(1970, 1, 1)


def share_post_count(n_employees: int) -> int:
    """How many posts the log holds: two per employee, between 100 and 4,000.

    >>> share_post_count(8), share_post_count(80), share_post_count(300)
    (100, 160, 600)
    """
    return int(np.clip(2 * n_employees, 100, 4000))


@dataclass(frozen=True)
class SharePlant:
    """The planted network, its probabilities and the shares drawn on it.

    Arcs ``src[k] -> dst[k]`` (person indices) with probability ``prob[k]``; one entry per
    share: its ``post`` (index into ``post_ids``), ``person``, time ``at`` (seconds since
    1970, UTC) and ``parent`` (whose share reached them; -1 for the first sharers), in the
    log's order (by time).
    """

    src: NDArray[np.int64]
    dst: NDArray[np.int64]
    prob: NDArray[np.float64]
    post: NDArray[np.int64]
    person: NDArray[np.int64]
    at: NDArray[np.int64]
    parent: NDArray[np.int64]
    post_ids: list[str]


def true_share_probabilities(
    w: DemoWorld,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """The arcs of the ties the map will hold, both ways, with their true probabilities
    (the module docstring's formula), sorted by (source, target)."""
    n = w.people.n_employees
    ties, emp = w.ties, w.emp
    colleague = ties.b < n
    listed = emp.has_zip[ties.a] | (colleague & emp.has_zip[np.minimum(ties.b, n - 1)])
    a, b, s = ties.a[listed], ties.b[listed], ties.strength[listed]
    industry = w.orgs.industry[w.people.org]
    boost = np.where(industry[a] == industry[b], SAME_INDUSTRY, 1.0)
    weight = np.minimum(1.0, (FLOOR + (1.0 - FLOOR) * s) * boost)
    src, dst, wt = np.r_[a, b], np.r_[b, a], np.r_[weight, weight]
    order = np.lexsort((dst, src))
    src, dst, wt = src[order], dst[order], wt[order]
    total = np.bincount(dst, weights=wt, minlength=len(w.people))
    prob = P_MAX * wt * np.minimum(1.0, ATTENTION / np.maximum(total[dst], 1e-12))
    return src.astype(np.int64), dst.astype(np.int64), prob


def plant_shares(w: DemoWorld, rng: np.random.Generator) -> SharePlant:
    """Draw the posts and their cascades (see the module docstring)."""
    src, dst, prob = true_share_probabilities(w)
    size = len(w.people)
    indptr = np.searchsorted(src, np.arange(size + 1))
    n = w.people.n_employees
    posts = share_post_count(n)
    on_network = np.flatnonzero(np.diff(indptr[: n + 1]) > 0)
    if not on_network.size:
        empty = np.zeros(0, dtype=np.int64)
        return SharePlant(src, dst, prob, empty, empty, empty, empty, [])
    activity = rng.lognormal(0.0, ACTIVITY_SIGMA, size=n)[on_network]
    chance = activity / activity.sum()
    span = (_LAST_POST - _FIRST_POST).total_seconds()
    first = (_FIRST_POST - _EPOCH).total_seconds()
    starts = first + np.sort(rng.random(posts)) * span
    post_ids = _post_ids(posts, rng)
    rows: list[tuple[float, int, int, int]] = []  # (time, post, person, parent)
    for k in range(posts):
        extra = int(rng.poisson(EXTRA_SHARERS))
        count = min(1 + extra, on_network.size)
        seeds = rng.choice(on_network, size=count, replace=False, p=chance).tolist()
        offsets = [0.0, *(rng.random(count - 1) * SPREAD_HOURS * 3600).tolist()]
        rows.extend(_cascade(k, seeds, starts[k], offsets, indptr, dst, prob, rng))
    rows.sort()
    table = np.array([(round(t), k, v, u) for t, k, v, u in rows], dtype=np.int64).reshape(-1, 4)
    return SharePlant(src, dst, prob, table[:, 1], table[:, 2], table[:, 0], table[:, 3],
                      post_ids)  # fmt: skip


def _cascade(
    post: int,
    seeds: list[int],
    start: float,
    offsets: list[float],
    indptr: NDArray[np.int64],
    dst: NDArray[np.int64],
    prob: NDArray[np.float64],
    rng: np.random.Generator,
) -> list[tuple[float, int, int, int]]:
    """One post's timed Independent Cascade: (time, post, person, parent) of each share."""
    when: dict[int, float] = {}
    parent: dict[int, int] = {}
    heap: list[tuple[float, int]] = []
    for seed, offset in zip(seeds, offsets, strict=True):
        when[seed], parent[seed] = start + offset, -1
        heap.append((start + offset, seed))
    heapq.heapify(heap)
    done: set[int] = set()
    out = []
    while heap:
        t, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        out.append((t, post, u, parent[u]))
        lo, hi = int(indptr[u]), int(indptr[u + 1])
        fires = rng.random(hi - lo) < prob[lo:hi]
        delays = rng.exponential(DELAY_HOURS * 3600, size=hi - lo)
        for v, d in zip(dst[lo:hi][fires].tolist(), delays[fires].tolist(), strict=True):
            if v not in done and t + d < when.get(v, np.inf):
                when[v], parent[v] = t + d, u
                heapq.heappush(heap, (t + d, v))
    return out


def _post_ids(count: int, rng: np.random.Generator) -> list[str]:
    """LinkedIn activity URNs (19 digits, starting with 7), all different."""
    ids: list[str] = []
    seen: set[int] = set()
    while len(ids) < count:
        number = 7 * 10**18 + int(rng.integers(0, 10**18))
        if number not in seen:
            seen.add(number)
            ids.append(f"urn:li:activity:{number}")
    return ids


def person_identifier(w: DemoWorld, person: int) -> str:
    """How the log names a person: an employee by work e-mail, anyone else by profile URL."""
    if person < w.people.n_employees:
        return w.emp.work_email[person]
    return canonical_url(w.people.slug[person])


def write_shares(out_dir: Path, truth_dir: Path, w: DemoWorld, plant: SharePlant) -> dict[str, int]:
    """``shares.csv`` and its truth files; their row counts."""
    named = np.unique(plant.person)
    names = np.empty(len(w.people), dtype=object)
    names[named] = [person_identifier(w, p) for p in named.tolist()]
    stamps = [
        (_EPOCH + dt.timedelta(seconds=s)).strftime("%Y-%m-%dT%H:%M:%SZ") for s in plant.at.tolist()
    ]
    posts = [plant.post_ids[k] for k in plant.post.tolist()]
    parents = ["" if u < 0 else str(u + 1) for u in plant.parent.tolist()]
    _write(
        out_dir / "shares.csv",
        SHARES_HEADER,
        zip(posts, names[plant.person], ["share"] * len(posts), stamps, strict=True),
    )
    _write(
        truth_dir / "shares.csv",
        SHARE_TRUTH_HEADER,
        zip(
            range(2, len(posts) + 2),
            posts,
            (plant.person + 1).tolist(),
            parents,
            stamps,
            strict=True,
        ),
    )
    _write(truth_dir / "share_probabilities.csv", SHARE_PROBABILITIES_HEADER,
           zip((plant.src + 1).tolist(), (plant.dst + 1).tolist(),
               np.char.mod("%.6g", plant.prob).tolist(), strict=True))  # fmt: skip
    return {"shares": len(posts), "share_posts": len(plant.post_ids),
            "share_arcs": int(plant.src.size)}  # fmt: skip


def _write(path: Path, header: tuple[str, ...], rows: Iterable[Iterable[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
