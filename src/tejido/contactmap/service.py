"""The contact map's service: the one set of functions the CLI, the REST API and the Python
API call. It keeps the current snapshot and its scores, runs the analyses for a viewer,
and labels the results with names from the store, hiding what consent hides."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, delete, select

from tejido.contactmap import coverage as cov
from tejido.contactmap.degrees import company_degrees, person_degrees
from tejido.contactmap.lookup import (
    Careers,
    NameIndex,
    OrgLabel,
    PersonLabel,
    find_org,
    find_person,
    org_labels,
    person_labels,
)
from tejido.contactmap.paths import WarmPath, warm_paths
from tejido.contactmap.prospects import prospects
from tejido.contactmap.relations import TIE_RELATIONS
from tejido.contactmap.tie_strength import StrengthWeights, explain_many
from tejido.contactmap.view import ContactMap, Viewer
from tejido.errors import BadInputError, ConflictError, ForbiddenError, NotFoundError
from tejido.ingest.normalise import fold
from tejido.snapshot.cache import SnapshotCache
from tejido.snapshot.model import Snapshot
from tejido.store.models import Employee, PersonIdentifier, RelationOverride, table_of
from tejido.store.session import Store

__all__ = ["ContactMapService", "hidden_person"]

HIDDEN = "(hidden: existence-only)"


def _plain(value: Any) -> Any:
    """numpy scalars as Python values, NaN as None (for JSON)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def hidden_person() -> dict[str, Any]:
    """What a result shows of a person the viewer may not see: that there is one."""
    return {"id": None, "name": HIDDEN, "hidden": True}


class ContactMapService:
    """The contact map of one store, for any viewer.

    The snapshot is re-read when the store changed; strengths and classes are computed
    once per snapshot and shared by every viewer.
    """

    def __init__(
        self,
        store: Store,
        cache_dir: Path,
        *,
        weights: StrengthWeights | None = None,
        as_of: dt.date | None = None,
    ) -> None:
        self.store = store
        self.cache = SnapshotCache(store, cache_dir)
        self.weights = weights or StrengthWeights()
        self.as_of = as_of
        self._base: ContactMap | None = None
        self._maps: dict[Viewer, ContactMap] = {}
        self._names: tuple[int, NameIndex] | None = None  # (snapshot version, index)
        self._lock = threading.Lock()
        self._names_lock = threading.Lock()  # one thread builds the index; others wait

    # -- maps ---------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        return self.cache.get()

    def map(self, viewer: Viewer | None = None) -> ContactMap:
        """The current contact map as ``viewer`` (an analyst by default) sees it."""
        viewer = viewer or Viewer()
        with self._lock:
            snap = self.cache.get()
            if self._base is None or self._base.snap is not snap:
                self._base = ContactMap(snap, weights=self.weights, as_of=self.as_of)
                self._maps = {}
            cm = self._maps.get(viewer)
            if cm is None:
                cm = self._base.for_viewer(viewer)
                if len(self._maps) > 64:
                    self._maps.clear()
                self._maps[viewer] = cm
            return cm

    # -- labels -------------------------------------------------------------------------

    def _people(self, conn: Connection, cm: ContactMap, nodes: Any) -> dict[int, PersonLabel]:
        ids = [int(cm.snap.person_id[i]) for i in nodes if i >= 0]
        return person_labels(conn, ids)

    def _person(
        self, cm: ContactMap, node: int, labels: dict[int, PersonLabel], *, show: bool | None = None
    ) -> dict[str, Any]:
        """A person as this viewer may see them (``show`` forces the decision)."""
        visible = bool(cm.node_detailed[node]) if show is None else show
        if not visible:
            return hidden_person()
        pid = int(cm.snap.person_id[node])
        label = labels.get(pid)
        if label is None:
            return {"id": pid, "name": f"person {pid}", "hidden": False}
        data = label.to_dict() | {"hidden": False}
        if label.is_employee:
            data["linkedin"] = data["linkedin"] if cm.viewer.sees_named_ties else None
        return data

    def _ties(self, conn: Connection, cm: ContactMap, edges: Any) -> dict[int, dict[str, Any]]:
        """Strength, class and reasons of each of ``edges``, or only that it exists.

        Reasons are computed together, and the careers behind them read in one go.
        """
        snap = cm.snap
        edges = np.unique(np.asarray(list(edges), dtype=np.int64))
        shown = edges[cm.detailed[edges]] if len(edges) else edges
        career = shown[(snap.shared_orgs[shown] > 0) | (snap.shared_schools[shown] > 0)]
        pid = snap.person_id
        careers = Careers(conn, [int(pid[i]) for i in np.r_[snap.u[career], snap.v[career]]])
        details = {
            int(e): careers.details(int(pid[snap.u[e]]), int(pid[snap.v[e]])) for e in career
        }
        reasons = explain_many(snap, shown, cm.weights, as_of=cm.as_of, details=details)
        out: dict[int, dict[str, Any]] = {
            int(e): {"strength": None, "relation": None, "explanation": None, "hidden": True}
            for e in edges
        }
        decaying = cm.decaying()
        peaks = cm.peak_of(shown).tolist()
        for e, parts, peak in zip(shown.tolist(), reasons, peaks, strict=True):
            rel = int(cm.relation[e])
            out[e] = {
                "strength": round(float(cm.strength[e]), 3),
                "peak": round(float(peak), 3),
                "relation": TIE_RELATIONS[rel] if rel >= 0 else None,
                "decaying": bool(decaying[e]),
                "hidden": False,
                "explanation": parts,
                "reasons": "; ".join(p["text"] for p in parts),
            }
        return out

    # -- finding ------------------------------------------------------------------------

    def resolve_person(self, cm: ContactMap, query: str) -> int:
        """The node of the one person ``query`` names (ids, URLs, e-mails, full names)."""
        with self.store.read() as conn:
            ids = find_person(conn, query)
            nodes = [int(i) for i in cm.snap.index_of(ids) if i >= 0]
            if not nodes:
                raise NotFoundError(f"{query!r} is not in the contact map")
            if len(nodes) > 1:
                labels = self._people(conn, cm, nodes)
                shown = [self._person(cm, n, labels) for n in nodes]
                listed = "; ".join(
                    f"{p['id']}: {p['name']}"
                    + (f" ({p.get('position')})" if p.get("position") else "")
                    for p in shown
                    if not p["hidden"]
                )
                raise ConflictError(
                    f"{query!r} names {len(nodes)} people ({listed or 'not shown'}); give an id, "
                    "a LinkedIn URL or an e-mail"
                )
        return nodes[0]

    def resolve_org(self, cm: ContactMap, query: str) -> int:
        with self.store.read() as conn:
            oid = find_org(conn, query)
        o = int(cm.snap.org_index_of([oid])[0])
        if o < 0:
            raise NotFoundError(f"organisation {query!r} is not in the contact map yet")
        return o

    def _org_names(self, cm: ContactMap, org_ids: list[int] | None = None) -> dict[int, OrgLabel]:
        with self.store.read() as conn:
            return org_labels(conn, org_ids if org_ids is not None else cm.snap.org_id.tolist())

    # -- degrees ------------------------------------------------------------------------

    def degrees(self, viewer: Viewer | None = None, *, person: str | None = None) -> pd.DataFrame:
        """Reach by degree, company-centred, or person-centred when ``person`` is given."""
        cm = self.map(viewer)
        if person is None:
            # Kept with this viewer's map: the overview asks for it on every visit.
            if "degrees" not in cm.derived:
                frame = company_degrees(cm, {})
                cm.derived["degrees"] = company_degrees(cm, self._top_orgs(cm, frame))
            cached: pd.DataFrame = cm.derived["degrees"]
            return cached.copy()
        node = self.resolve_person(cm, person)
        self._may_see_network(cm, node)
        frame = person_degrees(cm, node, {})
        return person_degrees(cm, node, self._top_orgs(cm, frame))

    def _may_see_network(self, cm: ContactMap, node: int) -> None:
        """An employee's own network is theirs: others see it only as consent allows."""
        snap = cm.snap
        if node == cm.me:
            return
        if not cm.viewer.sees_named_ties:
            raise ForbiddenError("an employee may see only their own network")
        if snap.consent[node] == 0:
            raise ForbiddenError("this employee keeps their network private")

    def _top_orgs(self, cm: ContactMap, frame: pd.DataFrame) -> dict[int, str]:
        keys = frame.loc[frame["dimension"] == "organisation", "value"]
        ids = [int(v.split(" ")[-1]) for v in keys if v.startswith("organisation ")]
        return {o: label.name for o, label in self._org_names(cm, ids).items()}

    # -- coverage -----------------------------------------------------------------------

    def accounts(
        self,
        viewer: Viewer | None = None,
        *,
        relation: str | None = None,
        limit: int | None = 50,
        covered_only: bool = False,
    ) -> pd.DataFrame:
        """One row per organisation: who covers it, how well; best covered first."""
        cm = self.map(viewer)
        table = cov.accounts(cm)
        if relation is not None:
            table = table[table["relation"] == relation]
        if covered_only:
            table = table[table["contacts"] > 0]
        if limit is not None:
            table = table.head(limit)
        table = table.copy()
        names = self._org_names(cm, table["org_id"].tolist())
        table.insert(1, "name", [names[o].name if o in names else None for o in table["org_id"]])
        return table.reset_index(drop=True)

    def coverage_summary(self, viewer: Viewer | None = None, *, top: int = 10) -> dict[str, Any]:
        """Best-covered accounts, uncovered prospects, accounts on one colleague, decay."""
        cm = self.map(viewer)
        table = cov.accounts(cm)
        crm = table[table["relation"].notna()]
        best = table[table["contacts"] > 0].head(top)
        targets = crm[crm["relation"].isin(cov.TARGETS)]
        uncovered = targets[~targets["covered"]]
        single = crm[crm["bus_factor"] == 1].sort_values(
            ["coverage", "org_id"], ascending=[False, True]
        )
        decaying = table[table["decaying_ties"] > 0].sort_values(
            ["decaying_ties", "org_id"], ascending=[False, True]
        )
        ids = (
            set(best["org_id"])
            | set(uncovered["org_id"])
            | set(single["org_id"].head(top))
            | set(decaying["org_id"].head(top))
        )
        names = self._org_names(cm, sorted(ids))

        def rows(frame: pd.DataFrame, limit: int | None = top) -> list[dict[str, Any]]:
            frame = frame.head(limit) if limit else frame
            return [
                {
                    "org_id": int(r["org_id"]),
                    "name": names[int(r["org_id"])].name if int(r["org_id"]) in names else None,
                    "relation": _plain(r["relation"]),
                    "contacts": int(r["contacts"]),
                    "employees": int(r["employees"]),
                    "strong_ties": int(r["strong_ties"]),
                    "best_strength": float(r["best_strength"]),
                    "bus_factor": int(r["bus_factor"]),
                    "decaying_ties": int(r["decaying_ties"]),
                    "reachable_via_contacts": int(r["reachable_via_contacts"]),
                }
                for r in _records(frame)
            ]

        return {
            "accounts": len(table),
            "covered": int(table["covered"].sum()),
            "crm_accounts": len(crm),
            "crm_covered": int(crm["covered"].sum()),
            "best_covered": rows(best),
            "uncovered_targets": rows(uncovered, None),
            "single_colleague": rows(single),
            "single_colleague_count": len(single),
            "decaying": rows(decaying),
            "decaying_ties": int(table["decaying_ties"].sum()),
        }

    def account(
        self,
        org: str,
        viewer: Viewer | None = None,
        *,
        limit: int = 50,
        offset: int = 0,
        k: int = 5,
    ) -> dict[str, Any]:
        """One account: its figures, ties into it (strongest first, a page of ``limit``
        from ``offset``) and the ``k`` best warm paths."""
        cm = self.map(viewer)
        o = self.resolve_org(cm, org)
        table = cov.accounts(cm)
        oid = int(cm.snap.org_id[o])
        row = table[table["org_id"] == oid]
        ties = cov.account_ties(cm, o).ties
        shown = ties.iloc[offset : offset + limit]
        with self.store.read() as conn:
            label = org_labels(conn, [oid]).get(oid)
            nodes = set(shown["employee"]) | set(shown["contact"])
            people = self._people(conn, cm, nodes)
            ties_json = self._ties(conn, cm, shown["edge"])
            tie_rows = [
                {
                    "employee": self._person(cm, int(r["employee"]), people),
                    "contact": self._person(
                        cm,
                        int(r["contact"]),
                        people,
                        show=bool(r["detailed"]) and bool(cm.node_detailed[int(r["contact"])]),
                    ),
                    **ties_json[int(r["edge"])],
                }
                for r in _records(shown)
            ]
        summary = (
            {}
            if row.empty
            else {
                k_: (v.item() if hasattr(v, "item") else v)
                for k_, v in row.iloc[0].to_dict().items()
            }
        )
        return {
            "organisation": label.to_dict() if label else {"id": oid},
            "summary": summary,
            "ties": tie_rows,
            "ties_total": len(ties),
            "offset": offset,
            "paths": self.paths(viewer, org=str(oid), k=k)["paths"],
        }

    # -- paths --------------------------------------------------------------------------

    def paths(
        self,
        viewer: Viewer | None = None,
        *,
        to: str | None = None,
        org: str | None = None,
        k: int = 5,
        source: str | None = None,
        max_hops: int = 2,
        spread: float = 0.5,
    ) -> dict[str, Any]:
        """The ``k`` best warm paths to a person (``to``) or an organisation (``org``)."""
        if (to is None) == (org is None):
            raise BadInputError("give exactly one of a person (to) or an organisation (org)")
        cm = self.map(viewer)
        named_target = to is not None
        if to is not None:
            targets = np.array([self.resolve_person(cm, to)], dtype=np.int64)
        else:
            o = self.resolve_org(cm, str(org))
            if "org_members" not in cm.derived:
                cm.derived["org_members"] = cov.org_members(cm)
            ptr, members = cm.derived["org_members"]
            targets = members[ptr[o] : ptr[o + 1]]
            targets = targets[cm.snap.consent[targets] < 0]
        src = None
        if source is not None:
            src = self.resolve_person(cm, source)
            if src != cm.me and not cm.viewer.sees_named_ties:
                raise ForbiddenError("an employee may ask for paths from themselves only")
        elif cm.viewer.role == "employee" and cm.me >= 0:
            src = cm.me
        found = warm_paths(cm, targets, k=k, source=src, max_hops=max_hops, spread=spread)
        with self.store.read() as conn:
            nodes = {n for p in found for n in p.nodes}
            people = self._people(conn, cm, nodes)
            ties_json = self._ties(conn, cm, [e for p in found for e in p.edges])
            out = [
                self._path_json(cm, p, rank, people, named_target, ties_json)
                for rank, p in enumerate(found, 1)
            ]
        return {"targets": len(targets), "paths": out}

    def _path_json(
        self,
        cm: ContactMap,
        path: WarmPath,
        rank: int,
        people: dict[int, PersonLabel],
        named_target: bool,
        ties_json: dict[int, dict[str, Any]],
    ) -> dict[str, Any]:
        snap = cm.snap
        detailed_path = all(bool(cm.detailed[e]) for e in path.edges)
        # Employees are shown (whom to ask); anybody else only through a detailed tie.
        shown = [True] + [
            bool(snap.consent[b] >= 0) or (bool(cm.node_detailed[b]) and bool(cm.detailed[e]))
            for b, e in zip(path.nodes[1:], path.edges, strict=True)
        ]
        people_json = [
            self._person(cm, n, people, show=ok) for n, ok in zip(path.nodes, shown, strict=True)
        ]
        if named_target and not shown[-1]:
            people_json[-1] = hidden_person() | {"requested": True}
        hops = [
            {
                "from": people_json[i],
                "to": people_json[i + 1],
                **ties_json[e],
            }
            for i, e in enumerate(path.edges)
        ]
        return {
            "rank": rank,
            "score": round(path.score, 3) if detailed_path else None,
            "hops": path.hops,
            "ask": self._person(cm, path.introducer, people),
            "target": people_json[-1],
            "path": hops,
        }

    def paths_frame(self, viewer: Viewer | None = None, **options: Any) -> pd.DataFrame:
        """``paths`` as a DataFrame: one row per path."""
        result = self.paths(viewer, **options)
        rows = []
        for p in result["paths"]:
            chain = [p["path"][0]["from"]["name"], *(h["to"]["name"] for h in p["path"])]
            rows.append(
                {
                    "rank": p["rank"],
                    "score": p["score"],
                    "hops": p["hops"],
                    "ask_id": p["ask"]["id"],
                    "ask": p["ask"]["name"],
                    "target_id": p["target"]["id"],
                    "target": p["target"]["name"],
                    "path": " → ".join(chain),
                    "strengths": [h["strength"] for h in p["path"]],
                    "reasons": " | ".join(h.get("reasons") or "" for h in p["path"]),
                }
            )
        return pd.DataFrame(
            rows,
            columns=[
                "rank",
                "score",
                "hops",
                "ask_id",
                "ask",
                "target_id",
                "target",
                "path",
                "strengths",
                "reasons",
            ],
        )

    # -- prospects ----------------------------------------------------------------------

    def prospects(self, viewer: Viewer | None = None, **filters: Any) -> pd.DataFrame:
        """People within two ties matching ``country``, ``industry``, ``role``, ``relation``."""
        cm = self.map(viewer)
        found = prospects(cm, **filters)
        with self.store.read() as conn:
            nodes = set(found["node"]) | set(found["introducer"]) | set(found["via"])
            people = self._people(conn, cm, nodes)
            orgs = org_labels(conn, [int(cm.snap.org_id[o]) for o in found["org"] if o >= 0])
        snap = cm.snap
        rows = []
        for r in _records(found):
            show = bool(r["detailed"])
            person = self._person(cm, int(r["node"]), people, show=show)
            oid = int(snap.org_id[r["org"]]) if r["org"] >= 0 else None
            via = self._person(cm, int(r["via"]), people, show=show) if r["via"] >= 0 else None
            rows.append(
                {
                    "person_id": person["id"],
                    "name": person["name"],
                    "position": person.get("position") if show else None,
                    "organisation": orgs[oid].name if show and oid in orgs else None,
                    "relation": orgs[oid].relation if show and oid in orgs else None,
                    "hops": int(r["hops"]),
                    "score": float(r["score"]) if show else None,
                    "ask_id": int(snap.person_id[r["introducer"]]),
                    "ask": self._person(cm, int(r["introducer"]), people)["name"],
                    "via": via["name"] if via else None,
                    "hidden": not show,
                }
            )
        frame = pd.DataFrame(
            rows,
            columns=[
                "person_id",
                "name",
                "position",
                "organisation",
                "relation",
                "hops",
                "score",
                "ask_id",
                "ask",
                "via",
                "hidden",
            ],
        )
        # Hidden rows have no person: a nullable integer column, not floats with NaN.
        frame["person_id"] = frame["person_id"].astype("Int64")
        return frame

    # -- people -------------------------------------------------------------------------

    def search_people(
        self, viewer: Viewer | None, query: str, *, limit: int = 50
    ) -> list[dict[str, Any]]:
        """People whose name contains every word of ``query`` (case and accents aside),
        among those the viewer may see named."""
        words = fold(query).split()
        if not words or len(query) > 200:
            return []
        cm = self.map(viewer)
        with self.store.read() as conn:
            with self._names_lock:
                names = self._names
                if names is None or names[0] != cm.snap.version:
                    names = self._names = (cm.snap.version, NameIndex.of_store(conn))
            shown: list[int] = []
            for pid in names[1].matches(words[:5]):
                node = int(cm.snap.index_of([pid])[0])
                if node >= 0 and bool(cm.node_detailed[node]):
                    shown.append(node)
                    if len(shown) == limit:
                        break
            people = self._people(conn, cm, shown)
        return [self._person(cm, n, people) for n in shown]

    def person(self, viewer: Viewer | None, query: str) -> dict[str, Any]:
        """One person as the viewer may see them: who knows them, how well, and the way in.

        A person the viewer may not see named is not found (saying more would tell
        whose network they are in).
        """
        cm = self.map(viewer)
        node = self.resolve_person(cm, query)
        if not bool(cm.node_detailed[node]):
            raise NotFoundError(f"{query!r} is not in the contact map")
        snap = cm.snap
        nbrs, eids = snap.neighbours(node)
        keep = cm.detailed[eids]
        nbrs, eids = nbrs[keep], eids[keep]
        order = np.lexsort((eids, -cm.strength[eids]))
        nbrs, eids = nbrs[order], eids[order]
        with self.store.read() as conn:
            people = self._people(conn, cm, [node, *nbrs.tolist()])
            ties_json = self._ties(conn, cm, eids)
            org_id = int(snap.org_id[snap.org[node]]) if snap.org[node] >= 0 else None
            org = org_labels(conn, [org_id]).get(org_id) if org_id is not None else None
        ties = [{"other": self._person(cm, int(n), people), **ties_json[int(e)]}
                for n, e in zip(nbrs.tolist(), eids.tolist(), strict=True)]  # fmt: skip
        paths = [] if snap.consent[node] >= 0 else self.paths(viewer, to=str(
            int(snap.person_id[node])), k=5)["paths"]  # fmt: skip
        return {
            "person": self._person(cm, node, people),
            "organisation": org.to_dict() if org else None,
            "ties": ties,
            "paths": paths,
        }

    # -- overrides ----------------------------------------------------------------------

    def set_relation(
        self,
        employee: str,
        contact: str,
        relation: str | None,
        *,
        note: str | None = None,
        set_by: str | None = None,
    ) -> dict[str, Any]:
        """Set (or, with ``relation=None``, clear) the class of one employee–contact tie."""
        if relation is not None and relation not in TIE_RELATIONS:
            raise BadInputError(f"relation {relation!r} is not one of {', '.join(TIE_RELATIONS)}")
        R, E_, PI = table_of(RelationOverride), table_of(Employee), table_of(PersonIdentifier)
        with self.store.read() as conn:
            emp_ids = find_person(conn, employee)
            contact_ids = find_person(conn, contact)
            if len(emp_ids) != 1 or len(contact_ids) != 1:
                raise ConflictError(
                    "name the employee and the contact by id, LinkedIn URL or e-mail"
                )
        e_id, c_id = emp_ids[0], contact_ids[0]
        with self.store.write() as conn:
            email = conn.execute(select(E_.c.email).where(E_.c.person_id == e_id)).scalar()
            if conn.execute(select(E_.c.id).where(E_.c.person_id == e_id)).first() is None:
                raise BadInputError(f"person {e_id} is not an employee")
            e_key = f"email:{email}" if email else f"person:{e_id}"
            strong = conn.execute(
                select(PI.c.kind, PI.c.value)
                .where(PI.c.person_id == c_id)
                .order_by(PI.c.kind, PI.c.id)
            ).first()
            c_key = f"{strong[0]}:{strong[1]}" if strong else f"person:{c_id}"
            conn.execute(delete(R).where(R.c.employee_key == e_key, R.c.contact_key == c_key))
            if relation is not None:
                conn.execute(
                    R.insert().values(
                        employee_key=e_key,
                        contact_key=c_key,
                        relation=relation,
                        note=note,
                        set_by=set_by,
                    )
                )
        return {"employee_key": e_key, "contact_key": c_key, "relation": relation}
