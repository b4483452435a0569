"""Small snapshots built by hand, for unit tests of the formulas and rules."""

from __future__ import annotations

from typing import Any

import numpy as np

from tejido.snapshot.model import KIND_LINKEDIN, KIND_MET_AT_WORK, ORG_RELATIONS, Snapshot

__all__ = ["ties"]


def ties(rows: list[dict[str, Any]], orgs: list[tuple[str | None, bool]] | None = None) -> Snapshot:
    """A snapshot of independent two-person ties (``u`` = 2i, ``v`` = 2i + 1).

    Row keys: signals (``uv``, ``vu``, ``group``, ``last``, ``connected``, ``shared``,
    ``overlap``, ``met``, ``schools``, ``mutual``), and for classes ``u_consent`` /
    ``v_consent`` (-1: not an employee), ``u_active`` / ``v_active``, ``v_org`` (index
    into ``orgs``: (CRM relation, is ours)) and ``override`` (a class index).
    """
    orgs = orgs or []
    n = 2 * len(rows)
    e = len(rows)
    u = np.arange(0, n, 2, dtype=np.int32)
    v = u + 1

    def col(name: str, dtype: Any, default: int = 0) -> Any:
        return np.array([r.get(name, default) for r in rows], dtype=dtype)

    has_msg = [i for i, r in enumerate(rows) if r.get("uv") or r.get("vu") or r.get("group")]

    def pick(name: str) -> Any:
        return np.array([rows[i].get(name, 0) for i in has_msg], dtype=np.uint16)

    nbr = np.concatenate([[x + 1, x] for x in u]).astype(np.int32)

    def ends(name: str, default: Any, dtype: Any) -> Any:
        out = np.empty(n, dtype=dtype)
        out[0::2] = [r.get(f"u_{name}", default) for r in rows]
        out[1::2] = [r.get(f"v_{name}", default) for r in rows]
        return out

    relation = [ORG_RELATIONS.index(r) if r else -1 for r, _ in orgs]
    return Snapshot(
        person_id=np.arange(n, dtype=np.int64), org=ends("org", -1, np.int32),
        consent=ends("consent", -1, np.int8), active=ends("active", True, bool),
        department=np.full(n, -1, np.int16), country=np.full(n, -1, np.int16),
        industry=np.full(n, -1, np.int16), position=np.full(n, -1, np.int32),
        org_id=np.arange(len(orgs), dtype=np.int64), org_relation=np.array(relation, np.int8),
        org_country=np.full(len(orgs), -1, np.int16),
        org_industry=np.full(len(orgs), -1, np.int16),
        org_is_ours=np.array([ours for _, ours in orgs], dtype=bool),
        u=u, v=v, level=np.full(e, 2, np.uint8),
        kinds=np.where(col("met", bool), KIND_LINKEDIN | KIND_MET_AT_WORK, KIND_LINKEDIN)
        .astype(np.uint8),
        connected=col("connected", np.uint16), shared_orgs=col("shared", np.uint8),
        overlap=col("overlap", np.int16, -1), shared_schools=col("schools", np.uint8),
        mutual=col("mutual", np.uint16), override=col("override", np.int8, -1),
        msg_edge=np.array(has_msg, dtype=np.int32), msg_uv=pick("uv"), msg_vu=pick("vu"),
        msg_group=pick("group"), msg_last=pick("last"),
        indptr=np.arange(0, n + 1, dtype=np.int64), nbr=nbr,
        eid=np.repeat(np.arange(e), 2).astype(np.int32),
    )  # fmt: skip
