"""Imports (admins): every upload with what it brought in, the jobs with their errors per
file and line, new uploads of any kind, and erasing an upload."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from tejido.errors import TejidoError
from tejido.ingest import IMPORTERS
from tejido.jobs import create_job, list_jobs
from tejido.store.models import Person, Upload, table_of
from tejido.web.access import Caller, authorize
from tejido.web.deps import AuthorizedDep, RunnerDep, WorkspaceDep
from tejido.web.pages.render import render
from tejido.web.uploads import submit_import
from tejido.workspace import Workspace

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(authorize)], include_in_schema=False)
U, P = table_of(Upload), table_of(Person)


def _uploads(ws: Workspace, limit: int = 500) -> list[dict[str, Any]]:
    query = (
        select(U.c.id, U.c.kind, U.c.filename, U.c.status, U.c.created_at, U.c.uploaded_by,
               U.c.counts, U.c.warnings, P.c.display_name.label("owner"))
        .outerjoin(P, P.c.id == U.c.owner_person_id)
        .order_by(U.c.id.desc())
        .limit(limit)
    )  # fmt: skip
    with ws.store.read() as conn:
        rows = [dict(r) for r in conn.execute(query).mappings()]
    for r in rows:
        r["kind"], r["status"] = r["kind"].value, r["status"].value
        r["counts"] = {k: v for k, v in dict(r["counts"] or {}).items() if isinstance(v, int)}
        warnings = r["warnings"]
        r["warnings"] = list(warnings.get("messages", [])) if isinstance(warnings, dict) else []
    return rows


def _page(
    request: Request, who: Caller, ws: Workspace, status: int = 200, **extra: Any
) -> Response:
    return render(
        request, who, "imports.html", status,
        uploads=_uploads(ws), jobs=list_jobs(ws.store, limit=30),
        kinds=sorted(IMPORTERS), erased=request.query_params.get("erased"), **extra,
    )  # fmt: skip


@router.get("/imports", response_class=HTMLResponse)
def imports(request: Request, who: AuthorizedDep, ws: WorkspaceDep) -> Response:
    return _page(request, who, ws)


@router.post("/imports", response_class=HTMLResponse)
def upload(
    request: Request,
    who: AuthorizedDep,
    ws: WorkspaceDep,
    runner: RunnerDep,
    files: Annotated[list[UploadFile] | None, File()] = None,
    kind: Annotated[str, Form(max_length=16)] = "",
    employee: Annotated[str, Form(max_length=320)] = "",
    company: Annotated[str, Form(max_length=256)] = "",
) -> Response:
    """Import files of one kind in the background (each file is its own upload)."""
    options: dict[str, Any] = {}
    if kind == "roster" and company.strip():
        options["company"] = company.strip()
    try:
        job = submit_import(
            ws, runner, kind, files or [], actor=who.name,
            employee=employee.strip() if kind in ("linkedin", "x") else None, options=options,
        )  # fmt: skip
    except TejidoError as exc:
        return _page(request, who, ws, 400, error=exc.message)
    return RedirectResponse(f"/jobs/{job}", status_code=303)


@router.post("/imports/contact-map", response_class=HTMLResponse)
def rebuild_map(who: AuthorizedDep, ws: WorkspaceDep, runner: RunnerDep) -> Response:
    """Rebuild the contact map in the background (after changing its settings, say)."""
    job = create_job(ws.store, "contact-map", {"filenames": []}, created_by=who.name)
    runner.submit(job)
    return RedirectResponse(f"/jobs/{job}", status_code=303)


@router.post("/imports/{upload}/erase", response_class=HTMLResponse)
def erase(request: Request, upload: int, who: AuthorizedDep, ws: WorkspaceDep) -> Response:
    """Erase one upload and everything only it asserted (audited)."""
    ws.erase_upload(upload, actor=who.name)
    return RedirectResponse(f"/imports?erased={upload}", status_code=303)
