"""Prospecting through the map: people within two ties of the company who match a country,
an industry, a role or an account type, ranked by the strength of the best path to them.

Seed 001's exporters want professionals abroad; the map already holds the colleague who
can introduce them. Reach is computed once per map: each contact's best direct tie to an
employee, then each contact-of-a-contact's best two-tie path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from tejido.contactmap.view import ContactMap
from tejido.errors import BadInputError
from tejido.ingest.normalise import fold
from tejido.snapshot.model import ORG_RELATIONS
from tejido.snapshot.places import country_code

__all__ = ["Reach", "prospects", "reach"]


@dataclass
class Reach:
    """For every node: hops from the company (1 or 2, 0 for employees, -1 beyond), the
    best path's score, its introducer (an employee) and, for two hops, the contact between."""

    hops: NDArray[np.int8]
    score: NDArray[np.float32]
    introducer: NDArray[np.int32]
    via: NDArray[np.int32]
    detailed: NDArray[np.bool_]  # whether every tie on that best path is detailed


def _best_by(
    key: NDArray[np.int64], score: NDArray[np.float64], n: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """For each distinct ``key``, the position of its highest ``score``: (keys, positions)."""
    if len(key) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    order = np.lexsort((-score, key))
    first = np.r_[True, key[order][1:] != key[order][:-1]]
    return key[order][first], order[first]


def reach(cm: ContactMap) -> Reach:
    """Best paths of one and two ties from the company to everybody (cached per map)."""
    if "reach" in cm.derived:
        out: Reach = cm.derived["reach"]
        return out
    snap = cm.snap
    n = snap.n_nodes
    emp = snap.consent >= 0
    hops = np.full(n, -1, dtype=np.int8)
    hops[emp] = 0
    score = np.zeros(n, dtype=np.float32)
    introducer = np.full(n, -1, dtype=np.int32)
    via = np.full(n, -1, dtype=np.int32)
    detailed = np.zeros(n, dtype=bool)
    u, v = snap.u.astype(np.int64), snap.v.astype(np.int64)
    s = cm.strength.astype(np.float64)
    # One tie: employee -> contact.
    one = cm.visible & (emp[u] ^ emp[v])
    e1 = np.flatnonzero(one)
    contact = np.where(emp[u[e1]], v[e1], u[e1])
    keys, pos = _best_by(contact, s[e1], n)
    hops[keys] = 1
    score[keys] = s[e1][pos]
    introducer[keys] = np.where(emp[u[e1][pos]], u[e1][pos], v[e1][pos])
    detailed[keys] = cm.detailed[e1][pos]
    # Two ties: employee -> contact -> contact's contact (neither an employee).
    two = cm.visible & ~emp[u] & ~emp[v] & ((hops[u] == 1) | (hops[v] == 1))
    e2 = np.flatnonzero(two)
    a, b = u[e2], v[e2]
    # Each such tie can be walked either way: from its hop-1 end to the other end.
    src = np.concatenate([a[hops[a] == 1], b[hops[b] == 1]])
    dst = np.concatenate([b[hops[a] == 1], a[hops[b] == 1]])
    edge = np.concatenate([e2[hops[a] == 1], e2[hops[b] == 1]])
    far = hops[dst] < 0
    src, dst, edge = src[far], dst[far], edge[far]
    path = score[src].astype(np.float64) * s[edge]
    keys, pos = _best_by(dst, path, n)
    hops[keys] = 2
    score[keys] = path[pos]
    introducer[keys] = introducer[src[pos]]
    via[keys] = src[pos]
    detailed[keys] = detailed[src[pos]] & cm.detailed[edge[pos]]
    out = Reach(hops, score, introducer, via, detailed)
    cm.derived["reach"] = out
    return out


MAX_PATTERN = 500


def _codes_matching(values: list[str], pattern: str, what: str) -> NDArray[np.int64]:
    """Codes of the values containing any of the ``|``-separated words of ``pattern``.

    Case and accents do not matter ("director|jefe" finds "Directora Comercial"). Plain
    words, not regular expressions: a pattern typed into a web form must not be able to
    make the server backtrack for minutes.
    """
    if len(pattern) > MAX_PATTERN:
        raise BadInputError(
            f"the {what} filter is {len(pattern)} characters long; at most {MAX_PATTERN}"
        )
    words = [fold(w) for w in pattern.split("|") if fold(w)]
    if not words:
        raise BadInputError(f"the {what} filter {pattern!r} has no words to look for")
    return np.array(
        [i for i, v in enumerate(values) if any(w in fold(v) for w in words)], dtype=np.int64
    )


def prospects(
    cm: ContactMap,
    *,
    country: str | None = None,
    industry: str | None = None,
    role: str | None = None,
    relation: str | None = None,
    max_hops: int = 2,
    limit: int = 100,
    include_hidden: bool = True,
) -> pd.DataFrame:
    """People within ``max_hops`` ties of an employee, filtered, best path first.

    ``country`` is a name or ISO code ("ES", "España"); ``industry`` and ``role`` are
    words separated by ``|``, any of which the industry or the job title must contain
    (case and accents aside);
    ``relation`` is the CRM type of their organisation (customer, prospect...). People the
    viewer may not see named stay in the result (``detailed`` False): the row says that a
    path exists and whom to ask, nothing about the person.
    """
    if max_hops not in (1, 2):
        raise BadInputError(
            f"The 'max_hops' parameter of prospects must be 1 or 2. Got {max_hops!r} instead."
        )
    if not isinstance(limit, int) or limit < 1:
        raise BadInputError(
            f"The 'limit' parameter of prospects must be an int >= 1. Got {limit!r} instead."
        )
    snap = cm.snap
    r = reach(cm)
    mask = (r.hops >= 1) & (r.hops <= max_hops)
    org = snap.org.astype(np.int64)
    mask &= ~snap.of_org(snap.org_is_ours, org, False)
    if country:
        code = country_code(country)
        if code is None:
            raise BadInputError(f"{country!r} is not a country name or ISO code")
        node_country = np.where(
            snap.country >= 0,
            snap.country,
            snap.of_org(snap.org_country, org, -1),
        )
        wanted = snap.countries.index(code) if code in snap.countries else -2
        mask &= node_country == wanted
    if industry:
        mask &= np.isin(snap.industry, _codes_matching(snap.industries, industry, "industry"))
    if role:
        mask &= np.isin(snap.position, _codes_matching(snap.positions, role, "role"))
    if relation:
        if relation not in ORG_RELATIONS:
            raise BadInputError(f"relation {relation!r} is not one of {', '.join(ORG_RELATIONS)}")
        rel = snap.of_org(snap.org_relation, org, -1)
        mask &= rel == ORG_RELATIONS.index(relation)
    if not include_hidden:
        mask &= r.detailed & cm.node_detailed
    idx = np.flatnonzero(mask)
    order = np.lexsort((idx, -r.score[idx]))[:limit]
    idx = idx[order]
    return pd.DataFrame(
        {
            "node": idx,
            "hops": r.hops[idx].astype(int),
            "score": r.score[idx].astype(np.float64).round(3),
            "introducer": r.introducer[idx],
            "via": r.via[idx],
            "detailed": r.detailed[idx] & cm.node_detailed[idx],
            "org": org[idx],
        }
    )
