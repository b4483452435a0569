"""Consent on the rows of an upload that are no tie of the map (one-way follows,
messages): the map applies consent to ties; analyses that read such rows apply it here,
by the same rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from tejido.snapshot.model import LEVEL_EXISTENCE, LEVEL_NAMED, LEVEL_PRIVATE

if TYPE_CHECKING:
    from tejido.contactmap.view import ContactMap

__all__ = ["row_levels"]


def row_levels(
    cm: ContactMap,
    owner_ids: NDArray[np.int64],
    src: NDArray[np.int64],
    dst: NDArray[np.int64],
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Per row: whether this viewer may use it, and see whom it names.

    A row is its upload owner's (``owner_ids``, person ids; ``src`` and ``dst`` are the
    snapshot nodes it joins): the owner's consent bounds it, and so does the consent of a
    colleague on either end (as for every tie of the map); the viewer's own rows are
    theirs to see. A row whose owner is no longer an employee is nobody's to use.
    """
    snap = cm.snap
    owner = snap.index_of(owner_ids)
    level = np.where(owner >= 0, snap.consent[np.maximum(owner, 0)], LEVEL_PRIVATE)
    level = np.where(level >= 0, level, LEVEL_PRIVATE)
    for end in (src, dst):
        other = np.where(end >= 0, snap.consent[np.maximum(end, 0)], -1)
        level = np.where(other >= 0, np.minimum(level, other), level)
    mine = ((src == cm.me) | (dst == cm.me)) & (cm.me >= 0)
    usable = (level >= LEVEL_EXISTENCE) | mine
    named = ((level == LEVEL_NAMED) & cm.viewer.sees_named_ties) | mine
    return np.asarray(usable, dtype=bool), np.asarray(named, dtype=bool)
