"""Compiled kernels over the CSR adjacency (numba), for what numpy cannot vectorise."""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

__all__ = ["common_neighbours"]


@njit(cache=True, nogil=True)
def _common(
    n_edges: int,
    indptr: NDArray[np.int64],
    nbr: NDArray[np.int32],
    eid: NDArray[np.int32],
    visible: NDArray[np.bool_],
    cap: int,
) -> NDArray[np.uint16]:
    out = np.zeros(n_edges, dtype=np.uint16)
    n = len(indptr) - 1
    stamp = np.full(n, -1, dtype=np.int64)
    for a in range(n):
        lo, hi = indptr[a], indptr[a + 1]
        da = hi - lo
        if da == 0:
            continue
        # Mark a's neighbours; then each tie a owns (a is its busier end) walks the other
        # end's list once: an employee with thousands of contacts and a contact with three
        # cost three look-ups, two colleagues with a thousand each cost a thousand.
        for k in range(lo, hi):
            if visible[k]:
                stamp[nbr[k]] = a
        for k in range(lo, hi):
            b = nbr[k]
            db = indptr[b + 1] - indptr[b]
            if da > db or (da == db and a > b):
                count = 0
                for j in range(indptr[b], indptr[b + 1]):
                    if visible[j] and stamp[nbr[j]] == a:
                        count += 1
                out[eid[k]] = min(count, cap)
    return out


def common_neighbours(
    u: NDArray[np.int32],
    v: NDArray[np.int32],
    indptr: NDArray[np.int64],
    nbr: NDArray[np.int32],
    eid: NDArray[np.int32],
    visible: NDArray[np.bool_],
) -> NDArray[np.uint16]:
    """For each edge (u, v), how many nodes both are tied to through ``visible`` entries.

    ``visible`` flags CSR entries (parallel to ``nbr``); rows of ``nbr`` must be sorted.
    Counts stop at 65,535.

    A triangle 0-1-2 (edges 0: 0-1, 1: 0-2, 2: 1-2) and a pendant 2-3 (edge 3):

    >>> indptr = np.array([0, 2, 4, 7, 8])
    >>> nbr = np.array([1, 2, 0, 2, 0, 1, 3, 2], dtype=np.int32)
    >>> eid = np.array([0, 1, 0, 2, 1, 2, 3, 3], dtype=np.int32)
    >>> u, v = np.array([0, 0, 1, 2], np.int32), np.array([1, 2, 2, 3], np.int32)
    >>> common_neighbours(u, v, indptr, nbr, eid, np.ones(8, dtype=bool))
    array([1, 1, 1, 0], dtype=uint16)
    """
    if len(u) == 0:
        return np.zeros(0, dtype=np.uint16)
    result: NDArray[np.uint16] = _common(
        len(u),
        indptr.astype(np.int64),
        nbr.astype(np.int32),
        eid.astype(np.int32),
        visible.astype(np.bool_),
        65535,
    )
    return result
