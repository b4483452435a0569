"""The snapshot: the store turned into compact arrays that every analysis runs on.

Nodes are people (index ``i`` is ``person_id[i]``, ids sorted), organisations have their
own index, and ties are undirected edges ``u < v`` with their signals as columns. The
adjacency is a symmetric CSR (``indptr``, ``nbr``, ``eid``): the neighbours of ``i`` are
``nbr[indptr[i]:indptr[i+1]]`` (sorted) and ``eid`` names the edge of each entry.
Messages are sparse (most ties carry none): one row per edge that has any, sorted by edge.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from tejido.errors import NotFoundError
from tejido.store.models import RelationType, TieRelation

__all__ = [
    "FORMAT",
    "KIND_EDGE",
    "KIND_EDGE_AB",
    "KIND_EDGE_BA",
    "KIND_LINKEDIN",
    "KIND_MET_AT_WORK",
    "KIND_X_AB",
    "KIND_X_BA",
    "LEVEL_EXISTENCE",
    "LEVEL_NAMED",
    "LEVEL_PRIVATE",
    "ORG_RELATIONS",
    "TIE_RELATIONS",
    "Snapshot",
]

# Codes of Snapshot.org_relation and Snapshot.override (and of the classes of ties).
ORG_RELATIONS = tuple(r.value for r in RelationType)
TIE_RELATIONS = tuple(r.value for r in TieRelation)

FORMAT = 1  # bump when the arrays change meaning: older caches are then rebuilt

# Bits of ``Snapshot.kinds``: what asserted the tie, and hints about it.
KIND_LINKEDIN = 1  # a LinkedIn connection
KIND_EDGE = 4  # a row of an imported edge list
KIND_MET_AT_WORK = 8  # connected while one worked where the other works
KIND_EDGE_AB = 16  # a directed edge list row u -> v
KIND_EDGE_BA = 32  # ... v -> u
KIND_X_AB = 64  # u follows v on X
KIND_X_BA = 128  # v follows u on X

# ``Snapshot.level``: what the employees' consent lets others see of a tie.
LEVEL_PRIVATE = 0  # nobody but the employee on the tie
LEVEL_EXISTENCE = 1  # that it exists and whom to ask; no details of the contact
LEVEL_NAMED = 2  # everything


@dataclass
class Snapshot:
    """Compact arrays of one version of the store (see the module docstring)."""

    # -- nodes (people) --
    person_id: NDArray[np.int64]
    org: NDArray[np.int32]  # organisation index, -1 unknown
    consent: NDArray[np.int8]  # -1 not an employee; else a LEVEL_* of their consent
    active: NDArray[np.bool_]  # employees still with us (roster)
    department: NDArray[np.int16]  # index into ``departments``, -1
    country: NDArray[np.int16]  # index into ``countries`` (ISO 3166 alpha-2), -1
    industry: NDArray[np.int16]  # index into ``industries``, -1
    position: NDArray[np.int32]  # index into ``positions`` (job title as last stated), -1
    # -- organisations --
    org_id: NDArray[np.int64]
    org_relation: NDArray[np.int8]  # index into ORG_RELATIONS, -1 none
    org_country: NDArray[np.int16]
    org_industry: NDArray[np.int16]
    org_is_ours: NDArray[np.bool_]
    # -- edges (ties), u < v --
    u: NDArray[np.int32]
    v: NDArray[np.int32]
    level: NDArray[np.uint8]
    kinds: NDArray[np.uint8]
    connected: NDArray[np.uint16]  # day connected (days since 1970), 0 unknown
    shared_orgs: NDArray[np.uint8]  # employers both worked at (past or present)
    overlap: NDArray[np.int16]  # months both worked there at once, -1 unknown
    shared_schools: NDArray[np.uint8]
    mutual: NDArray[np.uint16]  # common neighbours among ties others may see
    override: NDArray[np.int8]  # manual relation class (TieRelation index), -1 none
    # -- messages, one row per edge that has any, sorted by edge --
    msg_edge: NDArray[np.int32]
    msg_uv: NDArray[np.uint16]  # one-to-one messages u -> v
    msg_vu: NDArray[np.uint16]
    msg_group: NDArray[np.uint16]  # messages between them in group conversations
    msg_last: NDArray[np.uint16]  # day of the last message
    # -- symmetric CSR adjacency --
    indptr: NDArray[np.int64]
    nbr: NDArray[np.int32]
    eid: NDArray[np.int32]
    # -- meta --
    version: int = 0
    built_at: str = ""
    departments: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    positions: list[str] = field(default_factory=list)

    META: ClassVar[tuple[str, ...]] = (
        "version",
        "built_at",
        "departments",
        "countries",
        "industries",
        "positions",
    )

    # -- sizes --------------------------------------------------------------------------

    @property
    def n_nodes(self) -> int:
        return len(self.person_id)

    @property
    def n_edges(self) -> int:
        return len(self.u)

    @property
    def n_orgs(self) -> int:
        return len(self.org_id)

    def arrays(self) -> dict[str, NDArray[Any]]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in self.META}

    def nbytes(self) -> int:
        """Bytes the arrays take (the string tables aside)."""
        return sum(int(a.nbytes) for a in self.arrays().values())

    # -- look-ups -----------------------------------------------------------------------

    def index_of(self, person_ids: Any) -> NDArray[np.int64]:
        """Node indices of store person ids; -1 for ids the snapshot does not hold."""
        ids = np.asarray(person_ids, dtype=np.int64)
        pos = np.searchsorted(self.person_id, ids)
        pos = np.minimum(pos, max(self.n_nodes - 1, 0))
        found = self.n_nodes > 0 and (self.person_id[pos] == ids)
        return np.where(found, pos, -1).astype(np.int64)

    def node(self, person_id: int) -> int:
        i = int(self.index_of([person_id])[0])
        if i < 0:
            raise NotFoundError(f"person {person_id} is not in the contact map")
        return i

    def org_index_of(self, org_ids: Any) -> NDArray[np.int64]:
        ids = np.asarray(org_ids, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.org_id, ids), max(self.n_orgs - 1, 0))
        found = self.n_orgs > 0 and (self.org_id[pos] == ids)
        return np.where(found, pos, -1).astype(np.int64)

    @cached_property
    def visible_degree(self) -> NDArray[np.int64]:
        """Ties of each person that others may see (consent above private)."""
        seen = np.asarray(self.level) >= LEVEL_EXISTENCE
        n = self.n_nodes
        out: NDArray[np.int64] = np.bincount(self.u[seen], minlength=n) + np.bincount(
            self.v[seen], minlength=n
        )
        return out

    def of_org(self, column: NDArray[Any], org: Any, default: Any) -> NDArray[Any]:
        """``column[org]`` for organisation indices ``org``, ``default`` where it is -1."""
        org = np.asarray(org)
        if self.n_orgs == 0:
            return np.full(org.shape, default, dtype=np.asarray(column).dtype)
        out: NDArray[Any] = np.where(org >= 0, column[np.maximum(org, 0)], default)
        return out

    def neighbours(self, i: int) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
        """Neighbour nodes of ``i`` and the edges that lead to them."""
        lo, hi = int(self.indptr[i]), int(self.indptr[i + 1])
        return self.nbr[lo:hi], self.eid[lo:hi]

    def edge_between(self, a: int, b: int) -> int:
        """The edge joining nodes ``a`` and ``b``, or -1."""
        nbrs, eids = self.neighbours(a)
        k = int(np.searchsorted(nbrs, b))
        return int(eids[k]) if k < len(nbrs) and int(nbrs[k]) == b else -1

    def messages_of(self, edges: NDArray[Any]) -> dict[str, NDArray[Any]]:
        """Message columns for ``edges`` (zeros where an edge has none)."""
        edges = np.asarray(edges, dtype=np.int64)
        if len(self.msg_edge) == 0:
            return {
                name: np.zeros(len(edges), dtype=np.uint16)
                for name in ("uv", "vu", "group", "last")
            }
        k = np.minimum(np.searchsorted(self.msg_edge, edges), len(self.msg_edge) - 1)
        has = self.msg_edge[k] == edges
        return {
            name: np.where(has, getattr(self, f"msg_{name}")[k], 0)
            for name in ("uv", "vu", "group", "last")
        }

    def is_employee(self) -> NDArray[np.bool_]:
        out: NDArray[np.bool_] = self.consent >= 0
        return out

    # -- files --------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        """One ``.npy`` file per array (memory-mapped on load) and ``meta.json``."""
        folder.mkdir(parents=True, exist_ok=True)
        for name, array in self.arrays().items():
            np.save(folder / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
        meta = {name: getattr(self, name) for name in self.META} | {"format": FORMAT}
        (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, *, mmap: bool = True) -> Snapshot:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise NotFoundError(f"{folder} holds a snapshot of another format")
        mode: Any = "r" if mmap else None
        # Plain ndarray views of the mapped files: np.memmap's Python-level indexing
        # costs a microsecond per look-up, which queries make thousands of.
        arrays: dict[str, Any] = {
            f.name: np.asarray(np.load(folder / f"{f.name}.npy", mmap_mode=mode))
            for f in fields(cls)
            if f.name not in cls.META
        }
        return cls(**arrays, **{name: meta[name] for name in cls.META})
