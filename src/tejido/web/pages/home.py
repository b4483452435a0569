"""The signed-in home page and the admin's audit log."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from tejido import accounts
from tejido.web.access import authorize
from tejido.web.deps import AuthorizedDep, WorkspaceDep
from tejido.web.pages.render import render

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(authorize)], include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, who: AuthorizedDep, ws: WorkspaceDep) -> HTMLResponse:
    frame = ws.degrees(viewer=who.viewer())
    totals = frame[frame["dimension"] == "total"]
    reach = {str(int(r["degree"])): int(r["count"]) for r in totals.to_dict("records")}
    return render(request, who, "home.html", reach=reach)


@router.get("/admin/audit", response_class=HTMLResponse)
def audit(request: Request, who: AuthorizedDep, ws: WorkspaceDep) -> HTMLResponse:
    events = accounts.audit_log(ws.store, limit=500).to_dict("records")
    return render(request, who, "audit.html", events=events)
