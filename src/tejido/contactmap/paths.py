"""Warm-introduction paths: the best chains of ties from the company to a person or an
organisation, ranked by the product of the ties' strengths.

Without a requester, a path starts at any employee and goes through people who are not
employees (a path through a colleague is never better than starting at that colleague):
``employee -> target`` or ``employee -> contact -> target``. With a requester (``source``),
paths start there and may go through anybody: ``me -> colleague -> target``.

The **introducer** of a path is the employee to ask: the first employee after the
requester (or the source employee itself). The same colleague is not proposed for every
introduction: each further path through an introducer already chosen has its score
multiplied by ``spread`` (and by ``spread ** load[introducer]`` when a load is given, so
that batches of queries share the work out).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from tejido.contactmap.view import ContactMap
from tejido.errors import BadInputError

__all__ = ["WarmPath", "warm_paths"]


@dataclass
class WarmPath:
    """One path: its nodes (source first, target last), edges, score and introducer."""

    nodes: list[int]
    edges: list[int]
    score: float
    introducer: int
    adjusted: float = 0.0  # the score after spreading the load, used for ranking
    strengths: list[float] = field(default_factory=list)

    @property
    def target(self) -> int:
        return self.nodes[-1]

    @property
    def hops(self) -> int:
        return len(self.edges)


def _check(name: str, value: object, ok: bool, expected: str) -> None:
    if not ok:
        raise BadInputError(
            f"The '{name}' parameter of warm_paths must be {expected}. Got {value!r} instead."
        )


def _neighbours(cm: ContactMap, node: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    nbrs, eids = cm.snap.neighbours(node)
    ok = cm.visible[eids]
    return nbrs[ok].astype(np.int64), eids[ok].astype(np.int64)


def _from_company(
    cm: ContactMap, targets: NDArray[np.int64], max_hops: int
) -> list[tuple[list[int], list[int]]]:
    """Paths employee -> (non-employees)* -> target, found backwards from the targets."""
    emp = cm.snap.consent >= 0
    target_set = set(targets.tolist())
    found: list[tuple[list[int], list[int]]] = []
    # Partial paths (nodes from an intermediate to the target, edges), grown backwards.
    frontier: list[tuple[list[int], list[int]]] = [([t], []) for t in targets.tolist()]
    for _ in range(max_hops):
        grown: list[tuple[list[int], list[int]]] = []
        for nodes, edges in frontier:
            nbrs, eids = _neighbours(cm, nodes[0])
            for x, e in zip(nbrs.tolist(), eids.tolist(), strict=True):
                if x in target_set or x in nodes:
                    continue
                if emp[x]:
                    found.append(([x, *nodes], [e, *edges]))
                else:
                    grown.append(([x, *nodes], [e, *edges]))
        frontier = grown
    return found


def _from_source(
    cm: ContactMap, source: int, targets: NDArray[np.int64], max_hops: int
) -> list[tuple[list[int], list[int]]]:
    """Simple paths source -> ... -> target of at most ``max_hops`` ties (up to 3)."""
    target_set = set(targets.tolist())
    found: list[tuple[list[int], list[int]]] = []
    s_nbrs, s_eids = _neighbours(cm, source)
    first = dict(zip(s_nbrs.tolist(), s_eids.tolist(), strict=True))
    for t in targets.tolist():
        if t == source:
            continue
        if t in first:
            found.append(([source, t], [first[t]]))
        if max_hops < 2:
            continue
        t_nbrs, t_eids = _neighbours(cm, t)
        for x, e in zip(t_nbrs.tolist(), t_eids.tolist(), strict=True):
            if x == source or x in target_set:
                continue
            if x in first:
                found.append(([source, x, t], [first[x], e]))
            if max_hops < 3:
                continue
            # source -> a -> x -> t: a among both source's and x's neighbours.
            x_nbrs, x_eids = _neighbours(cm, x)
            common, i_s, i_x = np.intersect1d(
                s_nbrs, x_nbrs, assume_unique=True, return_indices=True
            )
            for a, ea, eb in zip(
                common.tolist(), s_eids[i_s].tolist(), x_eids[i_x].tolist(), strict=True
            ):
                if a != t and a not in target_set:
                    found.append(([source, a, x, t], [ea, eb, e]))
    return found


def warm_paths(
    cm: ContactMap,
    targets: NDArray[np.int64] | list[int],
    *,
    k: int = 5,
    source: int | None = None,
    max_hops: int = 2,
    spread: float = 0.5,
    load: dict[int, int] | None = None,
) -> list[WarmPath]:
    """The ``k`` best paths to any of ``targets`` (node indices), load spread out.

    >>> import numpy as np
    >>> from tejido.contactmap.view import ContactMap
    >>> from tejido.snapshot.cache import SnapshotCache
    >>> from tejido.store.session import Store
    >>> import tempfile, pathlib
    >>> cm = ContactMap(SnapshotCache(Store("sqlite://"), pathlib.Path(tempfile.mkdtemp())).get())
    >>> warm_paths(cm, [], k=3)
    []
    """
    _check("k", k, isinstance(k, int) and not isinstance(k, bool) and k >= 1, "an int >= 1")
    _check("max_hops", max_hops, isinstance(max_hops, int) and 1 <= max_hops <= 3, "an int in 1..3")
    _check(
        "spread", spread, isinstance(spread, int | float) and 0 < spread <= 1, "a number in (0, 1]"
    )
    targets = np.unique(np.asarray(targets, dtype=np.int64))
    if len(targets) == 0:
        return []
    if source is None:
        raw = _from_company(cm, targets, max_hops)
    else:
        raw = _from_source(cm, source, targets, max_hops)
    emp = cm.snap.consent >= 0
    strength = cm.strength
    best: dict[tuple[int, int], WarmPath] = {}
    for nodes, edges in raw:
        s = [float(strength[e]) for e in edges]
        score = float(np.prod(s))
        start = 1 if source is not None else 0
        introducer = next((x for x in nodes[start:-1] if emp[x]), nodes[0])
        path = WarmPath(nodes, edges, score, introducer, strengths=s)
        # One path per (introducer, target): the best.
        key = (introducer, nodes[-1])
        if key not in best or score > best[key].score:
            best[key] = path
    return _spread(list(best.values()), k, spread, load)


def _spread(
    paths: list[WarmPath], k: int, spread: float, load: dict[int, int] | None
) -> list[WarmPath]:
    """Greedy choice of ``k`` paths; each pick lowers its introducer's other paths.

    ``load`` (introducer -> paths proposed before) counts as earlier picks, and is
    updated with this choice.
    """
    used: dict[int, int] = dict(load or {})
    heap = [
        (-p.score * spread ** used.get(p.introducer, 0), i, used.get(p.introducer, 0))
        for i, p in enumerate(paths)
    ]
    heapq.heapify(heap)
    chosen: list[WarmPath] = []
    while heap and len(chosen) < k:
        neg, i, seen = heapq.heappop(heap)
        path = paths[i]
        now = used.get(path.introducer, 0)
        if now != seen:  # its introducer was chosen meanwhile: re-rank it
            heapq.heappush(heap, (-path.score * spread**now, i, now))
            continue
        path.adjusted = -neg
        chosen.append(path)
        used[path.introducer] = now + 1
    if load is not None:
        for path in chosen:
            load[path.introducer] = load.get(path.introducer, 0) + 1
    return chosen
