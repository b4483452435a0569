"""Building a snapshot from the store's columns: merge assertions into ties, apply consent,
attach message, career, school and embeddedness signals, and lay out the CSR adjacency."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from tejido.snapshot.kernels import common_neighbours
from tejido.snapshot.model import (
    KIND_EDGE,
    KIND_EDGE_AB,
    KIND_EDGE_BA,
    KIND_LINKEDIN,
    KIND_MET_AT_WORK,
    KIND_X_AB,
    KIND_X_BA,
    LEVEL_EXISTENCE,
    LEVEL_NAMED,
    LEVEL_PRIVATE,
    ORG_RELATIONS,
    TIE_RELATIONS,
    Snapshot,
)
from tejido.snapshot.places import country_code
from tejido.snapshot.read import KIND_CODES, StoreTables
from tejido.store.models import ConsentLevel

__all__ = ["ORG_RELATIONS", "TIE_RELATIONS", "build_snapshot"]

CONSENT_LEVELS = {
    ConsentLevel.PRIVATE.value: LEVEL_PRIVATE,
    ConsentLevel.EXISTENCE_ONLY.value: LEVEL_EXISTENCE,
    ConsentLevel.NAMED.value: LEVEL_NAMED,
}
_NO_DAY = np.iinfo(np.uint16).max


def _codes(values: list[str | None]) -> tuple[NDArray[np.int64], list[str]]:
    """Dictionary-encode strings: codes (-1 for blank) and the sorted distinct values."""
    cleaned = [v.strip() if isinstance(v, str) and v.strip() else None for v in values]
    codes, uniques = pd.factorize(pd.Series(cleaned, dtype=object), sort=True)
    return codes.astype(np.int64), [str(u) for u in uniques]


def _lookup(sorted_ids: NDArray[np.int64], ids: NDArray[np.int64]) -> NDArray[np.int64]:
    """Positions of ``ids`` in ``sorted_ids``, -1 where absent."""
    if len(sorted_ids) == 0:
        return np.full(len(ids), -1, dtype=np.int64)
    pos = np.minimum(np.searchsorted(sorted_ids, ids), len(sorted_ids) - 1)
    return np.where(sorted_ids[pos] == ids, pos, -1).astype(np.int64)


def build_snapshot(t: StoreTables) -> Snapshot:
    """The snapshot of the store read into ``t``."""
    order = np.argsort(t.person_id, kind="stable")
    person_id = t.person_id[order]
    n = len(person_id)
    org_ids = t.org_id
    m = len(org_ids)
    org = _lookup(org_ids, t.person_org[order]).astype(np.int32)

    nodes = _node_columns(t, order, person_id, org)
    consent = nodes["consent"]
    upload_level = _upload_levels(t, person_id, consent)
    owner_nodes = dict(
        zip(t.upload_id.tolist(), _lookup(person_id, t.upload_owner).tolist(), strict=True)
    )

    u, v, level, kinds, connected = _merge_ties(t, person_id, upload_level, consent)
    indptr, nbr, eid = _csr(n, u, v)
    messages = _messages(t, person_id, u, v, owner_nodes, consent)
    visible = level[eid] >= LEVEL_EXISTENCE
    mutual = common_neighbours(u, v, indptr, nbr, eid, visible)
    shared, overlap, met = _careers(t, person_id, org_ids, org, u, v, connected)
    kinds |= np.where(met, KIND_MET_AT_WORK, 0).astype(np.uint8)
    schools = _schools(t, person_id, u, v)
    override = _overrides(t, person_id, u, v)

    org_country_codes, countries = _org_countries(t, org_ids, nodes["country_names"])
    index = {c: i for i, c in enumerate(countries)}
    own = np.array([index[c] if c else -1 for c in nodes["country_names"]], dtype=np.int64)
    via_org = np.where(org >= 0, org_country_codes[np.maximum(org, 0)], -1) if m else -1
    nodes["country"] = np.where(own >= 0, own, via_org)
    return Snapshot(
        person_id=person_id,
        org=org,
        consent=consent,
        active=nodes["active"],
        department=nodes["department"].astype(np.int16),
        country=nodes["country"].astype(np.int16),
        industry=nodes["industry"].astype(np.int16),
        position=nodes["position"].astype(np.int32),
        org_id=org_ids,
        org_relation=np.array(
            [ORG_RELATIONS.index(r) if r in ORG_RELATIONS else -1 for r in t.org_relation],
            dtype=np.int8,
        ).reshape(m),
        org_country=org_country_codes.astype(np.int16),
        org_industry=nodes["org_industry"].astype(np.int16),
        org_is_ours=t.org_is_ours.astype(bool).reshape(m),
        u=u,
        v=v,
        level=level,
        kinds=kinds,
        connected=connected,
        shared_orgs=shared,
        overlap=overlap,
        shared_schools=schools,
        mutual=mutual,
        override=override,
        msg_edge=messages["edge"],
        msg_uv=messages["uv"],
        msg_vu=messages["vu"],
        msg_group=messages["group"],
        msg_last=messages["last"],
        indptr=indptr,
        nbr=nbr,
        eid=eid,
        version=t.version,
        built_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        departments=nodes["departments"],
        countries=countries,
        industries=nodes["industries"],
        positions=nodes["positions"],
    )


def _node_columns(
    t: StoreTables, order: NDArray[np.int64], person_id: NDArray[np.int64], org: NDArray[np.int32]
) -> dict[str, Any]:
    n = len(person_id)
    emp = _lookup(person_id, t.emp_person)
    consent = np.full(n, -1, dtype=np.int8)
    active = np.zeros(n, dtype=bool)
    department = np.full(n, -1, dtype=np.int64)
    dept_codes, departments = _codes(list(t.emp_department))
    keep = emp >= 0
    consent[emp[keep]] = [
        CONSENT_LEVELS.get(c, LEVEL_PRIVATE) for c, k in zip(t.emp_consent, keep, strict=True) if k
    ]
    active[emp[keep]] = t.emp_active[keep]
    department[emp[keep]] = dept_codes[keep]

    # Countries: the person's own location (their Profile.csv), else their organisation's.
    person_country = [country_code(t.person_location[i]) for i in order.tolist()]
    # One table of industries for people (Profile.csv) and organisations (CRM) alike; a
    # person's industry is their organisation's when the CRM gave one, else their own.
    n_orgs = len(t.org_industry)
    codes, industries = _codes(list(t.org_industry) + [t.person_industry[i] for i in order])
    org_ind, person_ind = codes[:n_orgs], codes[n_orgs:]
    via_org = org_ind[np.maximum(org, 0)] if n_orgs else np.full(n, -1, dtype=np.int64)
    industry = np.where((org >= 0) & (via_org >= 0), via_org, person_ind)
    pos_codes, positions = _codes([t.person_position[i] for i in order.tolist()])
    return {
        "consent": consent,
        "active": active,
        "department": department,
        "departments": departments,
        "country_names": person_country,
        "industry": industry,
        "industries": industries,
        "org_industry": org_ind,
        "position": pos_codes,
        "positions": positions,
    }


def _org_countries(
    t: StoreTables, org_ids: NDArray[np.int64], person_countries: list[str | None]
) -> tuple[NDArray[np.int64], list[str]]:
    """Each organisation's country: the CRM's, else where the jobs there were (Positions)."""
    codes: list[str | None] = [country_code(c) for c in t.org_country]
    votes: dict[int, Counter[str]] = {}
    org_of_pos = _lookup(org_ids, t.pos_org)
    for o, place in zip(org_of_pos.tolist(), t.pos_location, strict=True):
        code = country_code(place)
        if o >= 0 and code and codes[o] is None:
            votes.setdefault(o, Counter())[code] += 1
    for o, counter in votes.items():
        codes[o] = counter.most_common(1)[0][0]
    countries = sorted({c for c in codes if c} | {c for c in person_countries if c})
    index = {c: i for i, c in enumerate(countries)}
    return np.array([index[c] if c else -1 for c in codes], dtype=np.int64), countries


def _upload_levels(
    t: StoreTables, person_id: NDArray[np.int64], consent: NDArray[np.int8]
) -> dict[int, int]:
    """What each upload's owner lets others see; company uploads (CRM, edges) are named."""
    owner = _lookup(person_id, t.upload_owner)
    levels: dict[int, int] = {}
    for uid, raw_owner, node in zip(
        t.upload_id.tolist(), t.upload_owner.tolist(), owner.tolist(), strict=True
    ):
        if raw_owner < 0:
            levels[uid] = LEVEL_NAMED
        else:
            # An owner who is no longer an employee consented to nothing any more.
            levels[uid] = int(consent[node]) if node >= 0 and consent[node] >= 0 else LEVEL_PRIVATE
    return levels


def _merge_ties(
    t: StoreTables,
    person_id: NDArray[np.int64],
    upload_level: dict[int, int],
    consent: NDArray[np.int8],
) -> tuple[
    NDArray[np.int32], NDArray[np.int32], NDArray[np.uint8], NDArray[np.uint8], NDArray[np.uint16]
]:
    """One undirected tie per pair from all its assertions; one-way X follows are no tie."""
    n = len(person_id)
    s = _lookup(person_id, t.conn_source)
    d = _lookup(person_id, t.conn_target)
    keep = (s >= 0) & (d >= 0) & (s != d)
    s, d = s[keep], d[keep]
    kind = t.conn_kind[keep]
    directed = t.conn_directed[keep]
    day = t.conn_day[keep]
    uids = t.conn_upload[keep]
    a, b = np.minimum(s, d), np.maximum(s, d)
    forward = s == a
    x = kind == KIND_CODES["x_follow"]
    bits = np.where(x, np.where(forward, KIND_X_AB, KIND_X_BA), kind).astype(np.uint8)
    edge_dir = (kind == KIND_EDGE) & directed
    bits |= np.where(edge_dir, np.where(forward, KIND_EDGE_AB, KIND_EDGE_BA), 0).astype(np.uint8)
    if upload_level:
        ids = np.fromiter(upload_level.keys(), dtype=np.int64)
        lv = np.fromiter(upload_level.values(), dtype=np.int64)
        sorter = np.argsort(ids)
        pos = _lookup(ids[sorter], uids)
        level = np.where(pos >= 0, lv[sorter][np.maximum(pos, 0)], LEVEL_PRIVATE)
    else:
        level = np.full(len(a), LEVEL_PRIVATE, dtype=np.int64)
    key = a * n + b
    order = np.argsort(key, kind="stable")
    key = key[order]
    if len(key) == 0:
        empty32 = np.zeros(0, dtype=np.int32)
        return (
            empty32,
            empty32,
            np.zeros(0, np.uint8),
            np.zeros(0, np.uint8),
            np.zeros(0, np.uint16),
        )
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    kinds = np.bitwise_or.reduceat(bits[order], starts)
    best = np.maximum.reduceat(level[order], starts)
    days = np.where(day[order] > 0, day[order], _NO_DAY)
    first = np.minimum.reduceat(np.minimum(days, _NO_DAY), starts)
    pair = key[starts]
    mutual_x = ((kinds & KIND_X_AB) > 0) & ((kinds & KIND_X_BA) > 0)
    tie = ((kinds & (KIND_LINKEDIN | KIND_EDGE)) > 0) | mutual_x
    pair, kinds, best, first = pair[tie], kinds[tie], best[tie], first[tie]
    u = (pair // n).astype(np.int32)
    v = (pair % n).astype(np.int32)
    # An employee's consent bounds every tie they are on, whoever asserted it.
    cu = np.where(consent[u] >= 0, consent[u], LEVEL_NAMED)
    cv = np.where(consent[v] >= 0, consent[v], LEVEL_NAMED)
    level_out = np.minimum(best, np.minimum(cu, cv)).astype(np.uint8)
    connected = np.where(first == _NO_DAY, 0, first).astype(np.uint16)
    return u, v, level_out, kinds.astype(np.uint8), connected


def _csr(
    n: int, u: NDArray[np.int32], v: NDArray[np.int32]
) -> tuple[NDArray[np.int64], NDArray[np.int32], NDArray[np.int32]]:
    src = np.concatenate([u, v]).astype(np.int64)
    dst = np.concatenate([v, u]).astype(np.int64)
    edge = np.concatenate([np.arange(len(u)), np.arange(len(u))])
    order = np.lexsort((dst, src))
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    return indptr, dst[order].astype(np.int32), edge[order].astype(np.int32)


def _edge_of(
    n: int, u: NDArray[np.int32], v: NDArray[np.int32], a: NDArray[np.int64], b: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Edge ids of node pairs (either order), -1 where the pair is no tie."""
    keys = u.astype(np.int64) * n + v
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    ok = (a >= 0) & (b >= 0)
    out = _lookup(keys, np.where(ok, lo * n + hi, -1))
    return np.where(ok, out, -1)


def _messages(
    t: StoreTables,
    person_id: NDArray[np.int64],
    u: NDArray[np.int32],
    v: NDArray[np.int32],
    upload_owner: dict[int, int],
    consent: NDArray[np.int8],
) -> dict[str, NDArray[Any]]:
    """Messages per tie: one-to-one each way, in groups, and the day of the last one.

    A message stated by two uploads (both people exported it) counts once: rows are told
    apart by direction, group or not, and second. An upload whose owner keeps their
    network private says nothing here about ties its owner is not on.
    """
    n = len(person_id)
    s = _lookup(person_id, t.msg_source)
    d = _lookup(person_id, t.msg_target)
    ids = np.fromiter(upload_owner.keys(), dtype=np.int64, count=len(upload_owner))
    owners = np.fromiter(upload_owner.values(), dtype=np.int64, count=len(upload_owner))
    sorter = np.argsort(ids)
    at = _lookup(ids[sorter], t.msg_upload)
    owner = np.where(at >= 0, owners[sorter][np.maximum(at, 0)], -1)
    private = (owner >= 0) & (consent[np.maximum(owner, 0)] == LEVEL_PRIVATE)
    allowed = ~private | (owner == s) | (owner == d)
    edge = _edge_of(n, u, v, s, d)
    keep = (edge >= 0) & allowed & (t.msg_at >= 0)
    edge, forward = edge[keep], (s == u[np.maximum(edge, 0)])[keep]
    group, seconds = t.msg_group[keep], t.msg_at[keep]
    # Kind of message on its tie: 0 one-to-one u->v, 1 v->u, 2 in a group.
    kind = np.where(group, 2, np.where(forward, 0, 1)).astype(np.int64)
    order = np.lexsort((seconds, kind, edge))
    edge, kind, seconds = edge[order], kind[order], seconds[order]
    first = np.ones(len(edge), dtype=bool)
    first[1:] = (edge[1:] != edge[:-1]) | (kind[1:] != kind[:-1]) | (seconds[1:] != seconds[:-1])
    edge, kind, seconds = edge[first], kind[first], seconds[first]
    edges, inv = np.unique(edge, return_inverse=True)
    k = len(edges)
    cap = np.iinfo(np.uint16).max
    counts = np.zeros((3, k), dtype=np.int64)
    np.add.at(counts, (kind, inv), 1)
    latest = np.zeros(k, dtype=np.int64)
    np.maximum.at(latest, inv, seconds // 86400)
    return {
        "edge": edges.astype(np.int32),
        "uv": np.minimum(counts[0], cap).astype(np.uint16),
        "vu": np.minimum(counts[1], cap).astype(np.uint16),
        "group": np.minimum(counts[2], cap).astype(np.uint16),
        "last": np.clip(latest, 0, cap).astype(np.uint16),
    }


def _careers(
    t: StoreTables,
    person_id: NDArray[np.int64],
    org_ids: NDArray[np.int64],
    org: NDArray[np.int32],
    u: NDArray[np.int32],
    v: NDArray[np.int32],
    connected: NDArray[np.uint16],
) -> tuple[NDArray[np.uint8], NDArray[np.int16], NDArray[np.bool_]]:
    """Shared employers of each tie, months worked there at once, and met-at-work hints.

    Careers are known only for people whose export was imported (Positions.csv); for the
    others only their current organisation is known.
    """
    n, m, e = len(person_id), max(len(org_ids), 1), len(u)
    shared = np.zeros(e, dtype=np.int64)
    overlap = np.full(e, -1, dtype=np.int64)
    met = np.zeros(e, dtype=bool)
    node = _lookup(person_id, t.pos_person)
    porg = _lookup(org_ids, t.pos_org)
    ok = (node >= 0) & (porg >= 0)
    node, porg = node[ok], porg[ok]
    start, end = t.pos_start[ok], t.pos_end[ok]
    has = np.zeros(n, dtype=bool)
    has[node] = True
    hu, hv = has[u], has[v]
    # Neither side's career known: their current organisations, when the same.
    same = (org[u] == org[v]) & (org[u] >= 0)
    shared[same & ~hu & ~hv] = 1
    # One side's career known: is the other's current organisation in it?
    order = np.lexsort((start, node * m + porg))
    keys = (node * m + porg)[order]
    start_o, end_o = start[order], end[order]
    month = np.where(connected > 0, _day_month(connected), -1)
    for known, other in ((u, v), (v, u)):
        sel = np.flatnonzero(has[known] & ~has[other] & (org[other] >= 0))
        probe = known[sel].astype(np.int64) * m + org[other][sel]
        at = _lookup(keys, probe)
        hit = at >= 0
        sel, at = sel[hit], at[hit]
        shared[sel] = 1
        lo, hi = start_o[at], np.where(end_o[at] < 0, 1 << 30, end_o[at])
        met[sel] = (month[sel] >= 0) & (month[sel] >= lo) & (month[sel] <= hi)
    # Both careers known (mostly colleagues): compare the two lists.
    both = np.flatnonzero(hu & hv)
    if len(both):
        jobs: dict[int, list[tuple[int, int, int]]] = {}
        for i, o, a, z in zip(
            node.tolist(), porg.tolist(), start.tolist(), end.tolist(), strict=True
        ):
            jobs.setdefault(i, []).append((o, a, z))
        today = dt.date.today()
        now = today.year * 12 + today.month - 1
        for k in both.tolist():
            s, o_, w = _compare_careers(jobs[int(u[k])], jobs[int(v[k])], int(month[k]), now)
            shared[k], overlap[k], met[k] = s, o_, w
    return (
        np.minimum(shared, 255).astype(np.uint8),
        np.clip(overlap, -1, np.iinfo(np.int16).max).astype(np.int16),
        met,
    )


def _day_month(days: NDArray[np.uint16]) -> NDArray[np.int64]:
    """Months (year * 12 + month - 1) of day numbers."""
    dates = np.datetime64("1970-01-01", "D") + days.astype("timedelta64[D]")
    months = dates.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    return months + 1970 * 12


def _compare_careers(
    a: list[tuple[int, int, int]], b: list[tuple[int, int, int]], month: int, now: int
) -> tuple[int, int, bool]:
    """Shared employers, months both were there (-1 unknown), and whether they connected
    while both were there. Months are ``year * 12 + month - 1``; a current job ends ``now``."""
    orgs = {o for o, _, _ in a} & {o for o, _, _ in b}
    together, known, met = 0, False, False
    for o in orgs:
        for _, s1, e1 in (j for j in a if j[0] == o):
            for _, s2, e2 in (j for j in b if j[0] == o):
                if s1 < 0 or s2 < 0:
                    continue
                known = True
                lo, hi = max(s1, s2), min(e1 if e1 >= 0 else now, e2 if e2 >= 0 else now)
                if hi >= lo:
                    together += hi - lo + 1
                    met = met or (month > 0 and lo <= month <= hi)
    return len(orgs), (together if known else -1), met


def _schools(
    t: StoreTables, person_id: NDArray[np.int64], u: NDArray[np.int32], v: NDArray[np.int32]
) -> NDArray[np.uint8]:
    """Schools both sides went to (known only when both uploaded their education)."""
    out = np.zeros(len(u), dtype=np.uint8)
    node = _lookup(person_id, t.edu_person)
    schools: dict[int, set[str]] = {}
    for i, school in zip(node.tolist(), t.edu_school, strict=True):
        if i >= 0 and school:
            schools.setdefault(i, set()).add(school)
    if not schools:
        return out
    has = np.zeros(len(person_id), dtype=bool)
    has[list(schools)] = True
    for k in np.flatnonzero(has[u] & has[v]).tolist():
        out[k] = min(255, len(schools[int(u[k])] & schools[int(v[k])]))
    return out


def _overrides(
    t: StoreTables, person_id: NDArray[np.int64], u: NDArray[np.int32], v: NDArray[np.int32]
) -> NDArray[np.int8]:
    out = np.full(len(u), -1, dtype=np.int8)
    if not t.overrides:
        return out
    a = _lookup(person_id, np.array([o[0] for o in t.overrides], dtype=np.int64))
    b = _lookup(person_id, np.array([o[1] for o in t.overrides], dtype=np.int64))
    edge = _edge_of(len(person_id), u, v, a, b)
    for k, (_, _, relation) in zip(edge.tolist(), t.overrides, strict=True):
        if k >= 0 and relation in TIE_RELATIONS:
            out[k] = TIE_RELATIONS.index(relation)
    return out
