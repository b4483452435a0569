"""Compiled kernels over the CSR adjacency (numba), for what numpy cannot vectorise."""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

__all__ = ["common_neighbours"]


@njit(cache=True, nogil=True)
def _common(
    u: NDArray[np.int32],
    v: NDArray[np.int32],
    indptr: NDArray[np.int64],
    nbr: NDArray[np.int32],
    visible: NDArray[np.bool_],
    cap: int,
) -> NDArray[np.uint16]:
    out = np.zeros(len(u), dtype=np.uint16)
    for e in range(len(u)):
        a, b = u[e], v[e]
        # Walk the shorter list, binary-search the longer one: ties between an employee
        # with thousands of contacts and a contact with three cost three probes.
        if indptr[a + 1] - indptr[a] > indptr[b + 1] - indptr[b]:
            a, b = b, a
        lo_b, hi_b = indptr[b], indptr[b + 1]
        count = 0
        for k in range(indptr[a], indptr[a + 1]):
            if not visible[k]:
                continue
            w = nbr[k]
            lo, hi = lo_b, hi_b
            while lo < hi:
                mid = (lo + hi) >> 1
                if nbr[mid] < w:
                    lo = mid + 1
                else:
                    hi = mid
            if lo < hi_b and nbr[lo] == w and visible[lo]:
                count += 1
                if count >= cap:
                    break
        out[e] = count
    return out


def common_neighbours(
    u: NDArray[np.int32],
    v: NDArray[np.int32],
    indptr: NDArray[np.int64],
    nbr: NDArray[np.int32],
    visible: NDArray[np.bool_],
) -> NDArray[np.uint16]:
    """For each edge (u, v), how many nodes both are tied to through ``visible`` entries.

    ``visible`` flags CSR entries (parallel to ``nbr``); rows of ``nbr`` must be sorted.
    Counts stop at 65,535.

    >>> indptr = np.array([0, 2, 4, 6]); nbr = np.array([1, 2, 0, 2, 0, 1], dtype=np.int32)
    >>> ones = np.ones(6, dtype=bool)
    >>> common_neighbours(np.array([0], np.int32), np.array([1], np.int32), indptr, nbr, ones)
    array([1], dtype=uint16)
    """
    if len(u) == 0:
        return np.zeros(0, dtype=np.uint16)
    result: NDArray[np.uint16] = _common(
        u.astype(np.int32),
        v.astype(np.int32),
        indptr.astype(np.int64),
        nbr.astype(np.int32),
        visible.astype(np.bool_),
        65535,
    )
    return result
