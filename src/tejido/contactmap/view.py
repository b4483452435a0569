"""The contact map as one viewer may see it: a snapshot with tie strengths and relation
classes, and the masks that consent draws for that viewer.

Consent, per tie (``Snapshot.level``, the lowest consent of the employees on the tie, and
the highest of the uploads that asserted it):

- **private**: the tie is used nowhere, except in the employee's own view of their network;
- **existence-only**: it counts in aggregates, and a path through it says that it exists
  and whom to ask, never who the contact is, nor the tie's details;
- **named**: analysts see everything.

Viewers: an **admin** or **analyst** sees named ties in full and existence-only ties as
existence; an **employee** (or **reviewer**) sees their own ties in full and, of everybody
else's, only that paths exist and whom to ask. Everybody sees their own ties in full.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal, TypeVar

import numpy as np
from numpy.typing import NDArray

from tejido.contactmap.relations import relation_classes
from tejido.contactmap.tie_strength import StrengthWeights, strength
from tejido.errors import BadInputError
from tejido.snapshot.model import LEVEL_EXISTENCE, LEVEL_NAMED, Snapshot

__all__ = ["ROLES", "ContactMap", "Role", "Viewer"]

Role = Literal["admin", "analyst", "reviewer", "employee"]
ROLES: tuple[Role, ...] = ("admin", "analyst", "reviewer", "employee")


_A = TypeVar("_A", bound=np.ndarray)


def _frozen(array: _A) -> _A:
    """Scores and consent masks are shared by every request: nobody may change them."""
    array.setflags(write=False)
    return array


@dataclass(frozen=True)
class Viewer:
    """Who is asking: a role, and the person behind it when they are an employee."""

    role: Role = "analyst"
    person_id: int | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise BadInputError(
                f"The 'role' parameter of Viewer must be one of {', '.join(ROLES)}. "
                f"Got {self.role!r} instead."
            )

    @property
    def sees_named_ties(self) -> bool:
        return self.role in ("admin", "analyst")


@dataclass
class _Scores:
    """What every viewer of one snapshot shares: strengths and classes."""

    strength: NDArray[np.float32]
    decaying: NDArray[np.bool_]  # peak - strength >= decaying_drop (the peak is not kept)
    relation: NDArray[np.int8]


class ContactMap:
    """A snapshot scored with ``weights`` as of ``as_of``, seen by ``viewer``.

    >>> import tempfile, pathlib
    >>> from tejido.snapshot.cache import SnapshotCache
    >>> from tejido.store.session import Store
    >>> cm = ContactMap(SnapshotCache(Store("sqlite://"), pathlib.Path(tempfile.mkdtemp())).get())
    >>> (cm.snap.n_edges, int(cm.visible.sum()))
    (0, 0)
    """

    def __init__(
        self,
        snap: Snapshot,
        *,
        weights: StrengthWeights | None = None,
        as_of: dt.date | None = None,
        viewer: Viewer | None = None,
        scores: _Scores | None = None,
    ) -> None:
        self.snap = snap
        self.weights = weights or StrengthWeights()
        self.as_of = as_of or dt.date.today()
        self.viewer = viewer or Viewer()
        if scores is None:
            now, peak = strength(snap, self.weights, as_of=self.as_of)
            decaying = _frozen((peak - now) >= self.weights.decaying_drop)
            scores = _Scores(_frozen(now), decaying, _frozen(relation_classes(snap)))
        self._scores = scores
        # Tables derived from this map and viewer, computed once (coverage, reach...).
        self.derived: dict[str, Any] = {}
        self.me = -1
        if self.viewer.person_id is not None:
            node = int(snap.index_of([self.viewer.person_id])[0])
            # Only an employee has ties of their own to see in full.
            self.me = node if node >= 0 and snap.consent[node] >= 0 else -1

    def for_viewer(self, viewer: Viewer) -> ContactMap:
        """The same map (sharing its scores) as ``viewer`` sees it."""
        return ContactMap(
            self.snap, weights=self.weights, as_of=self.as_of, viewer=viewer, scores=self._scores
        )

    @property
    def strength(self) -> NDArray[np.float32]:
        return self._scores.strength

    def peak_of(self, edges: Any) -> NDArray[np.float32]:
        """Strength without the recency decay, for ``edges`` (computed, not kept)."""
        from tejido.contactmap.tie_strength import peak_strength

        return peak_strength(self.snap, edges, self.weights, as_of=self.as_of)

    @property
    def relation(self) -> NDArray[np.int8]:
        return self._scores.relation

    # -- consent masks ------------------------------------------------------------------

    @cached_property
    def mine(self) -> NDArray[np.bool_]:
        """Edges the viewer is on."""
        if self.me < 0:
            return _frozen(np.zeros(self.snap.n_edges, dtype=bool))
        return _frozen((self.snap.u == self.me) | (self.snap.v == self.me))

    @cached_property
    def visible(self) -> NDArray[np.bool_]:
        """Edges that may be used at all for this viewer (paths, counts)."""
        return _frozen((np.asarray(self.snap.level) >= LEVEL_EXISTENCE) | self.mine)

    @cached_property
    def detailed(self) -> NDArray[np.bool_]:
        """Edges whose contact and details this viewer may see."""
        if self.viewer.sees_named_ties:
            return _frozen((np.asarray(self.snap.level) == LEVEL_NAMED) | self.mine)
        return self.mine

    @cached_property
    def node_detailed(self) -> NDArray[np.bool_]:
        """People this viewer may see named: employees, and contacts of a detailed tie."""
        snap = self.snap
        out = snap.consent >= 0
        d = self.detailed
        out[snap.u[d]] = True
        out[snap.v[d]] = True
        return _frozen(out)

    @cached_property
    def employees(self) -> NDArray[np.int64]:
        """Node indices of employees (sources of paths and of the company-centred map)."""
        return np.flatnonzero(self.snap.consent >= 0)

    @cached_property
    def entry_visible(self) -> NDArray[np.bool_]:
        """``visible`` for each CSR entry (parallel to ``snap.nbr``)."""
        return _frozen(self.visible[self.snap.eid])

    def decaying(self) -> NDArray[np.bool_]:
        """Edges whose strength fell at least ``decaying_drop`` below their peak."""
        return self._scores.decaying
