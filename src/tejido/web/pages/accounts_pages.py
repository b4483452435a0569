"""Organisations and account coverage: who in the company knows whom there, how well."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from tejido.web.access import authorize
from tejido.web.deps import AuthorizedDep, WorkspaceDep
from tejido.web.pages.render import render

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(authorize)], include_in_schema=False)
RELATIONS = ("customer", "prospect", "partner", "supplier", "competitor", "other")


def _plain(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return None
    return value.item() if hasattr(value, "item") else value


@router.get("/organisations", response_class=HTMLResponse)
def organisations(
    request: Request,
    who: AuthorizedDep,
    ws: WorkspaceDep,
    relation: Annotated[
        str | None, Query(pattern="^(customer|prospect|partner|supplier|competitor|other)$")
    ] = None,
) -> HTMLResponse:
    """Accounts by coverage, and the summary: uncovered prospects, single colleague."""
    viewer = who.viewer()
    table = ws.coverage(relation=relation, limit=200, viewer=viewer)
    rows = [{k: _plain(v) for k, v in r.items()} for r in table.to_dict("records")]
    summary = ws.coverage_summary(viewer=viewer)
    return render(request, who, "organisations.html", rows=rows, summary=summary,
                  relation=relation, relations=RELATIONS)  # fmt: skip


@router.get("/organisations/{org}", response_class=HTMLResponse)
def account(
    request: Request,
    org: str,
    who: AuthorizedDep,
    ws: WorkspaceDep,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    """One account: figures, the ties into it with their reasons, and warm paths."""
    data = ws.account(org, limit=50, offset=offset, viewer=who.viewer())
    return render(request, who, "account.html", account=data, offset=offset)
