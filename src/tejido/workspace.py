"""A workspace: the folder and store one company's Tejido works in, and its operations."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import select

from tejido.config import Settings
from tejido.errors import BadInputError
from tejido.ingest import IMPORTERS, Importer
from tejido.ingest.batch import BatchItem, import_many
from tejido.ingest.upload import ImportResult, erase_upload, read_upload
from tejido.store.models import Upload, table_of
from tejido.store.session import Store

if TYPE_CHECKING:
    from tejido.contactmap.service import ContactMapService
    from tejido.contactmap.view import ContactMap, Viewer
    from tejido.diffusion.learning import LearnedArcs
    from tejido.diffusion.service import DiffusionService
    from tejido.influence.service import InfluenceService

__all__ = ["Workspace", "importer_named"]


def importer_named(kind: str) -> Importer:
    importer = IMPORTERS.get(kind)
    if importer is None:
        known = ", ".join(sorted(IMPORTERS))
        raise BadInputError(f"no importer named {kind!r}; known importers: {known}")
    return importer


class Workspace:
    """One company's Tejido: a folder (caches, generated files) and a store (the truth).

    >>> import tempfile
    >>> ws = Workspace(tempfile.mkdtemp())
    >>> ws.stats().people
    0
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        database_url: str | None = None,
        settings: Settings | None = None,
    ) -> None:
        base = settings or Settings()
        updates: dict[str, Any] = {}
        if path is not None:
            updates["workspace"] = Path(path)
        if database_url is not None:
            updates["database_url"] = database_url
        self.settings = base.model_copy(update=updates)
        self.path = Path(self.settings.workspace)
        self.path.mkdir(parents=True, exist_ok=True)
        self.store = Store(self.settings.resolved_database_url())

    def __repr__(self) -> str:
        return f"Workspace({str(self.path)!r}, database={self.store.safe_url!r})"

    @cached_property
    def contact_map(self) -> ContactMapService:
        """The contact map's service (snapshot cache under ``cache/snapshot``)."""
        from tejido.contactmap.service import ContactMapService

        return ContactMapService(
            self.store,
            self.path / "cache" / "snapshot",
            weights=self.settings.strength,
            as_of=self.settings.as_of,
        )

    @cached_property
    def influence_service(self) -> InfluenceService:
        """Influence measures and communities over the contact map."""
        from tejido.influence.service import InfluenceService

        return InfluenceService(self.contact_map)

    @cached_property
    def diffusion_service(self) -> DiffusionService:
        """Ambassadors and reach forecasts over the contact map."""
        from tejido.diffusion.service import DiffusionService

        return DiffusionService(
            self.contact_map, self.settings.dask_scheduler, self.influence_service
        )

    def close(self) -> None:
        self.store.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- imports ---------------------------------------------------------------------------

    def import_file(self, kind: str, path: str | Path, **options: Any) -> ImportResult:
        """Import one file with the importer named ``kind`` (see ``tejido.ingest.IMPORTERS``)."""
        importer = importer_named(kind)
        data, sha256 = read_upload(path, self.settings.max_upload_bytes)
        options.setdefault("max_bytes", self.settings.max_upload_bytes)
        return importer.run(self.store, data, sha256, Path(path).name, **options)

    def import_many(
        self,
        kind: str,
        paths: Iterable[str | Path],
        *,
        progress: Callable[[int, int, str], None] | None = None,
        workers: int | None = None,
        **options: Any,
    ) -> list[BatchItem]:
        """Import many files of one kind, one upload each; a bad file does not stop the rest.

        Files are parsed ahead in ``workers`` processes (one by default on a multi-core
        machine) while the store is written; every upload is its own savepoint.
        """
        importer_named(kind)
        if workers is None:
            workers = 1 if (os.cpu_count() or 1) > 1 else 0
        return import_many(
            self.store,
            kind,
            [Path(p) for p in paths],
            max_bytes=self.settings.max_upload_bytes,
            workers=workers,
            progress=progress,
            **options,
        )

    def import_linkedin(
        self, path: str | Path, *, employee: str | None = None, **options: Any
    ) -> ImportResult:
        """Import an employee's LinkedIn export zip (or one of its CSV files)."""
        return self.import_file("linkedin", path, employee=employee, **options)

    def import_x(
        self, path: str | Path, *, employee: str | None = None, **options: Any
    ) -> ImportResult:
        """Import an employee's X (Twitter) archive zip."""
        return self.import_file("x", path, employee=employee, **options)

    def import_crm(self, path: str | Path, **options: Any) -> ImportResult:
        """Import a CRM accounts CSV (Salesforce, HubSpot or plain columns)."""
        return self.import_file("crm", path, **options)

    def import_roster(
        self, path: str | Path, *, company: str | None = None, **options: Any
    ) -> ImportResult:
        """Import the employee roster CSV; ``company`` names our own organisation."""
        return self.import_file("roster", path, company=company, **options)

    def import_edges(
        self, path: str | Path, *, directed: bool = False, **options: Any
    ) -> ImportResult:
        """Import a generic edge list (CSV, TSV, SNAP text or Parquet)."""
        return self.import_file("edges", path, directed=directed, **options)

    def import_shares(self, path: str | Path, **options: Any) -> ImportResult:
        """Import a share log CSV (post, person, time, action): who shared what, when."""
        return self.import_file("shares", path, **options)

    def erase_upload(self, upload_id: int, *, actor: str = "python") -> dict[str, int]:
        """Delete an upload and everything only it asserted (people included); audited."""
        from tejido.accounts import audit

        with self.store.write() as conn:
            counts = erase_upload(conn, upload_id)
            audit(conn, actor, "upload.erase", f"upload {upload_id}", counts)
            return counts

    # -- reading ---------------------------------------------------------------------------

    def stats(self) -> Any:
        from tejido.reports import stats

        return stats(self.store)

    def resolve_report(self, truth_dir: str | Path | None = None) -> Any:
        from tejido.reports import resolve_report

        return resolve_report(self.store, Path(truth_dir) if truth_dir else self.demo_truth())

    def demo_truth(self) -> Path:
        """The ground-truth folder of the demo company generated in this workspace."""
        from tejido.errors import NotFoundError

        manifest = self.path / "demo" / "manifest.json"
        if not manifest.exists():
            raise NotFoundError(
                f"{self.path} holds no demo company (no demo/manifest.json): run `tejido demo` "
                "or give the ground-truth folder"
            )
        truth = str(json.loads(manifest.read_text()).get("truth_dir", "truth"))
        return self.path / "demo" / truth

    def uploads(self) -> pd.DataFrame:
        """Every upload: kind, file, owner, status, counts."""
        u = table_of(Upload)
        with self.store.read() as conn:
            rows = conn.execute(select(u).order_by(u.c.id)).mappings().all()
        return pd.DataFrame([dict(r) for r in rows])

    # -- the contact map -------------------------------------------------------------------

    def map(self, viewer: Viewer | None = None) -> ContactMap:
        """The contact map (snapshot, strengths, classes) as ``viewer`` sees it."""
        return self.contact_map.map(viewer)

    def degrees(self, person: str | None = None, *, viewer: Viewer | None = None) -> pd.DataFrame:
        """Reach by degree (company-centred, or ``person``'s): degree, dimension, value, count.

        >>> import tempfile
        >>> Workspace(tempfile.mkdtemp()).degrees().query("dimension == 'total'")["count"].tolist()
        [0, 0, 0]
        """
        return self.contact_map.degrees(viewer, person=person)

    def coverage(
        self,
        org: str | None = None,
        *,
        relation: str | None = None,
        limit: int | None = 50,
        viewer: Viewer | None = None,
    ) -> pd.DataFrame:
        """Account coverage: one row per organisation, or one row per tie into ``org``."""
        if org is None:
            return self.contact_map.accounts(viewer, relation=relation, limit=limit)
        account = self.contact_map.account(org, viewer, limit=limit or 10**9)  # every tie
        return ties_frame(account["ties"])

    def account(
        self, org: str, *, limit: int = 50, offset: int = 0, viewer: Viewer | None = None
    ) -> dict[str, Any]:
        """One account: figures, a page of its ties (with reasons) and warm paths."""
        return self.contact_map.account(org, viewer, limit=limit, offset=offset)

    def coverage_summary(self, *, viewer: Viewer | None = None) -> dict[str, Any]:
        """Best-covered accounts, uncovered prospects, single-colleague accounts, decay."""
        return self.contact_map.coverage_summary(viewer)

    def paths(
        self,
        to: str | None = None,
        *,
        org: str | None = None,
        k: int = 5,
        source: str | None = None,
        max_hops: int = 2,
        viewer: Viewer | None = None,
    ) -> pd.DataFrame:
        """The ``k`` best warm-introduction paths to a person (``to``) or an ``org``."""
        return self.contact_map.paths_frame(
            viewer, to=to, org=org, k=k, source=source, max_hops=max_hops
        )

    def prospects(
        self,
        *,
        country: str | None = None,
        industry: str | None = None,
        role: str | None = None,
        relation: str | None = None,
        max_hops: int = 2,
        limit: int = 100,
        viewer: Viewer | None = None,
    ) -> pd.DataFrame:
        """People within two ties who match, ranked by the best path's strength."""
        return self.contact_map.prospects(
            viewer,
            country=country,
            industry=industry,
            role=role,
            relation=relation,
            max_hops=max_hops,
            limit=limit,
        )

    def export_map(
        self,
        path: str | Path,
        format: str | None = None,
        *,
        min_strength: float = 0.0,
        org: str | None = None,
        viewer: Viewer | None = None,
        actor: str = "python",
    ) -> Path:
        """Write the map as GEXF, GraphML or CSV (nodes.csv and edges.csv; a folder or .zip).

        The format comes from the file's suffix when not given.
        """
        from tejido.contactmap import export

        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        kind = (format or target.suffix.lstrip(".") or "csv").lower()
        writers = {"gexf": export.write_gexf, "graphml": export.write_graphml,
                   "csv": export.write_csv, "zip": export.write_csv}  # fmt: skip
        if kind not in writers:
            raise BadInputError(
                f"The 'format' parameter of export_map must be gexf, graphml or csv. "
                f"Got {kind!r} instead."
            )
        org_id = None
        if org is not None:
            cm = self.map(viewer)
            org_id = int(cm.snap.org_id[self.contact_map.resolve_org(cm, org)])
        writers[kind](self.contact_map, target, viewer, min_strength=min_strength, org=org_id)
        from tejido.accounts import audit

        with self.store.write() as conn:
            audit(conn, actor, "map.export", target.name,
                  {"format": kind, "min_strength": min_strength, "org": org_id,
                   "viewer": (viewer.role if viewer else "analyst")})  # fmt: skip
        return target

    def to_networkx(self, *, viewer: Viewer | None = None, min_strength: float = 0.0) -> Any:
        """The map as a ``networkx.Graph`` with the same attributes as the exports."""
        from tejido.contactmap.export import to_networkx

        return to_networkx(self.contact_map, viewer, min_strength=min_strength)

    # -- influence -------------------------------------------------------------------------

    def influence(
        self,
        *,
        by: str = "pagerank",
        top: int = 50,
        measures: tuple[str, ...] | None = None,
        viewer: Viewer | None = None,
    ) -> pd.DataFrame:
        """The ``top`` people by ``by`` with every measure and rank side by side, and why.

        Measures: degree and followers (volume), PageRank, eigenvector, coreness and
        betweenness (structure), and bridges between communities (participation,
        communities reached, constraint, effective size, bridge score); docs/influence.md.
        """
        from tejido.influence.service import ALL_MEASURES

        result = self.influence_service.influence(viewer, measures=measures or ALL_MEASURES,
                                                  by=by, top=top)  # fmt: skip
        rows = []
        for r in result["people"]:
            person = r["person"]
            rows.append({"person_id": person.get("id"), "name": person.get("name"),
                         "external_id": person.get("external_id"),
                         **r["values"], **{f"rank_{k}": v for k, v in r["ranks"].items()},
                         "reasons": "; ".join(r["reasons"])})  # fmt: skip
        return pd.DataFrame(rows)

    def communities(
        self,
        *,
        method: str = "leiden",
        resolution: float = 1.0,
        seed: int = 1,
        viewer: Viewer | None = None,
    ) -> pd.DataFrame:
        """Every named person's community (``external_id``: the node id of an edge list)."""
        report = self.influence_service.community_report(
            viewer, method=method, resolution=resolution, seed=seed, members=True
        )
        return pd.DataFrame(report["members"])

    def hidden_hubs(
        self,
        *,
        structure: str = "bridge_score",
        volume: str = "degree",
        top: int = 10,
        viewer: Viewer | None = None,
    ) -> pd.DataFrame:
        """People whose ``structure`` rank is far above their ``volume`` rank, among those
        whose whole network is imported, with the gap and the reasons."""
        result = self.influence_service.hidden_hubs(viewer, structure=structure,
                                                    volume=volume, top=top)  # fmt: skip
        rows = []
        for r in result["hidden_hubs"]:
            person = r["person"]
            rows.append({"person_id": person.get("id"), "name": person.get("name"),
                         "external_id": person.get("external_id"), "gap": r["gap"],
                         **r["values"], **{f"rank_{k}": v for k, v in r["ranks"].items()},
                         "reasons": "; ".join(r["reasons"])})  # fmt: skip
        return pd.DataFrame(rows)

    def topics(
        self,
        *,
        k: int = 10,
        by: str = "words",
        topic: str | int | None = None,
        top: int = 20,
        viewer: Viewer | None = None,
    ) -> dict[str, Any]:
        """Topics of people, and with ``topic`` its hubs (topic-sensitive PageRank)."""
        return self.influence_service.topic_report(viewer, n_topics=k, source=by, topic=topic,
                                                   top=top)  # fmt: skip

    def engagement(self, *, top: int = 50, viewer: Viewer | None = None) -> pd.DataFrame:
        """Engagement influence, apart from structure: per person, messages sent, people
        reached, messages answered, reply rate, median hours to a reply, and responders
        (different people who replied or responded to them), most responders first."""
        result = self.influence_service.engagement(viewer, top=top)
        return pd.DataFrame([{"person_id": r["person"].get("id"), "name": r["person"].get("name"),
                              **r["values"], "reasons": "; ".join(r["reasons"])}
                             for r in result["people"]])  # fmt: skip

    def suspicious(self, *, everyone: bool = False, viewer: Viewer | None = None) -> pd.DataFrame:
        """Accounts in the X follow data with their features, score and reasons, the
        suspicious ones (or, with ``everyone``, all) first; docs/influence.md."""
        frame = self.influence_service.suspicious_frame(viewer)
        frame = frame if everyone else frame[frame["suspicious"]]
        shown = frame.drop(columns=["node"]).copy()
        hidden = ~shown["named"].to_numpy(dtype=bool)
        shown.loc[hidden, ["person_id", "x_id", "name"]] = None
        shown["reasons"] = shown["reasons"].map("; ".join)
        return shown.reset_index(drop=True)

    def influence_report(self, truth_dir: str | Path | None = None) -> Any:
        """Hidden hubs and suspicious accounts against the demo's planted truth."""
        from tejido.influence.validate import influence_report

        truth = Path(truth_dir) if truth_dir else self.demo_truth()
        return influence_report(self.influence_service, truth)

    def contact_report(self, truth_dir: str | Path | None = None) -> Any:
        """The contact map against the demo's ground truth (classes, strength, paths)."""
        from tejido.contactmap.validate import contact_map_report

        truth = Path(truth_dir) if truth_dir else self.demo_truth()
        return contact_map_report(self.store, self.map(), truth)

    def set_relation(
        self, employee: str, contact: str, relation: str | None, *, note: str | None = None
    ) -> dict[str, Any]:
        """Correct the relation class of one employee–contact tie (None clears it)."""
        return self.contact_map.set_relation(employee, contact, relation, note=note)

    # -- diffusion -------------------------------------------------------------------------

    def learn_probabilities(self, viewer: Viewer | None = None, **options: Any) -> LearnedArcs:
        """Each arc's share probability learned from the imported share logs, aligned with
        the arcs ``viewer`` may use (``diffusion.learning.learned_arcs``; options: ``method``,
        ``window_hours``, ``prior``, ``min_trials``, ``pseudo_trials``, ``actions``).

        ``Cascade.from_arcs(l.src, l.dst, l.n, model="ic", prob=l.prob)``, or
        ``l.cascade()``, spreads with them.
        """
        from tejido.diffusion.learning import learned_arcs

        net = self.diffusion_service.arcs(viewer)
        return learned_arcs(self.contact_map, viewer, net=net, **options)

    def learning_report(
        self, truth_dir: str | Path | None = None, viewer: Viewer | None = None, **options: Any
    ) -> dict[str, Any]:
        """Every estimator of share probabilities against the demo's planted ones."""
        from tejido.diffusion.learning_report import learning_report

        truth = Path(truth_dir) if truth_dir else self.demo_truth()
        net = self.diffusion_service.arcs(viewer)
        return learning_report(self.contact_map, truth, viewer, net=net, **options)


def ties_frame(ties: list[dict[str, Any]]) -> pd.DataFrame:
    """Ties as the service returns them, one row each (names, strength, class, reasons)."""
    rows = [
        {
            "employee_id": t["employee"]["id"],
            "employee": t["employee"]["name"],
            "contact_id": t["contact"]["id"],
            "contact": t["contact"]["name"],
            "position": t["contact"].get("position"),
            "strength": t["strength"],
            "relation": t["relation"],
            "decaying": t.get("decaying"),
            "reasons": t.get("reasons"),
        }
        for t in ties
    ]
    columns = [
        "employee_id",
        "employee",
        "contact_id",
        "contact",
        "position",
        "strength",
        "relation",
        "decaying",
        "reasons",
    ]
    return pd.DataFrame(rows, columns=columns)
