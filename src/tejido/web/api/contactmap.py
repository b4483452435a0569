"""The contact map's routes: degrees, coverage, accounts, warm paths, prospects, classes."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from tejido.web.access import authorize
from tejido.web.deps import AuthorizedDep, MapDep, ViewerDep, WorkspaceDep
from tejido.web.schemas import (
    AccountOut,
    CoverageOut,
    DegreeRow,
    PathsOut,
    ProspectRow,
    RelationIn,
    RelationOut,
    SnapshotOut,
)

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["contact map"], dependencies=[Depends(authorize)])


def _records(frame: Any) -> list[dict[str, Any]]:
    return [
        {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
        for row in frame.to_dict(orient="records")
    ]


@router.get("/health", tags=["service"])
def health() -> dict[str, str]:
    """Liveness: answers anybody and says nothing about the data."""
    return {"status": "ok"}


@router.get("/openapi.json", include_in_schema=False)
def openapi(request: Request) -> dict[str, Any]:
    """The OpenAPI schema of this API (for people allowed to use it)."""
    schema: dict[str, Any] = request.app.openapi()
    return schema


@router.get("/snapshot", response_model=SnapshotOut)
def snapshot(service: MapDep, viewer: ViewerDep) -> dict[str, Any]:
    """The current snapshot of the store (built when the store changed)."""
    snap = service.snapshot()
    return {
        "version": snap.version,
        "people": snap.n_nodes,
        "ties": snap.n_edges,
        "organisations": snap.n_orgs,
        "bytes": snap.nbytes(),
        "built_at": snap.built_at,
    }


@router.get("/degrees", response_model=list[DegreeRow])
def degrees(
    service: MapDep,
    viewer: ViewerDep,
    person: Annotated[str | None, Query(description="Person-centred: whose network.")] = None,
) -> list[dict[str, Any]]:
    """Reach by degree, broken down by relation, organisation, industry, country, department."""
    return _records(service.degrees(viewer, person=person))


@router.get("/coverage", response_model=CoverageOut)
def coverage(
    service: MapDep,
    viewer: ViewerDep,
    relation: Annotated[str | None, Query(description="Only this CRM type.")] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 50,
) -> dict[str, Any]:
    """Accounts by coverage, and the summary: uncovered prospects, single colleague, decay."""
    accounts = _records(service.accounts(viewer, relation=relation, limit=limit))
    return {"accounts": accounts, "summary": service.coverage_summary(viewer)}


@router.get("/coverage/{org}", response_model=AccountOut)
def account(
    org: str,
    service: MapDep,
    viewer: ViewerDep,
    limit: Annotated[int, Query(ge=1, le=1000, description="Ties per page.")] = 50,
    offset: Annotated[int, Query(ge=0, description="First tie of the page.")] = 0,
    k: Annotated[int, Query(ge=1, le=50)] = 5,
) -> dict[str, Any]:
    """One account: who knows whom there, how well and why, and the warm paths into it."""
    return service.account(org, viewer, limit=limit, offset=offset, k=k)


@router.get("/paths", response_model=PathsOut)
def paths(
    service: MapDep,
    viewer: ViewerDep,
    to: Annotated[str | None, Query(description="Target person: id, URL, e-mail, name.")] = None,
    org: Annotated[str | None, Query(description="Target organisation: id, domain, name.")] = None,
    k: Annotated[int, Query(ge=1, le=50)] = 5,
    source: Annotated[str | None, Query(alias="from", description="Start here.")] = None,
    max_hops: Annotated[int, Query(ge=1, le=3)] = 2,
) -> dict[str, Any]:
    """The best warm-introduction paths, each tie explained, load spread across colleagues."""
    return service.paths(viewer, to=to, org=org, k=k, source=source, max_hops=max_hops)


@router.get("/prospects", response_model=list[ProspectRow])
def prospects(
    service: MapDep,
    viewer: ViewerDep,
    country: str | None = None,
    industry: str | None = None,
    role: str | None = None,
    relation: str | None = None,
    max_hops: Annotated[int, Query(ge=1, le=2)] = 2,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """People within two ties matching a country, industry, role or account type."""
    frame = service.prospects(
        viewer,
        country=country,
        industry=industry,
        role=role,
        relation=relation,
        max_hops=max_hops,
        limit=limit,
    )
    return _records(frame)


@router.put("/relations", response_model=RelationOut)
def set_relation(body: RelationIn, service: MapDep, who: AuthorizedDep) -> dict[str, Any]:
    """Correct (or clear) the relation class of one employee–contact tie."""
    return service.set_relation(
        body.employee, body.contact, body.relation, note=body.note, set_by=who.name
    )


_MEDIA = {"gexf": "application/gexf+xml", "graphml": "application/graphml+xml",
          "csv": "application/zip"}  # fmt: skip


@router.get("/export", response_class=FileResponse)
def export(
    ws: WorkspaceDep,
    who: AuthorizedDep,
    format: Annotated[str, Query(pattern="^(gexf|graphml|csv)$")] = "gexf",
    min_strength: Annotated[float, Query(ge=0, le=1)] = 0.0,
    org: Annotated[str | None, Query(description="Only ties into this organisation.")] = None,
) -> FileResponse:
    """The map as GEXF or GraphML (Gephi, NetworkX) or CSV (a zip of nodes.csv, edges.csv)."""
    folder = Path(tempfile.mkdtemp(prefix="tejido-export-"))
    name = f"tejido-map.{'zip' if format == 'csv' else format}"
    path = ws.export_map(
        folder / name,
        format,
        min_strength=min_strength,
        org=org,
        viewer=who.viewer(),
        actor=who.name,
    )
    return FileResponse(
        path,
        media_type=_MEDIA[format],
        filename=name,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )
