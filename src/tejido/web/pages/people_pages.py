"""People: search by name, and a person's page (who knows them, how well, the way in)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from tejido.web.access import authorize
from tejido.web.deps import AuthorizedDep, WorkspaceDep
from tejido.web.pages.render import render

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(authorize)], include_in_schema=False)


@router.get("/people", response_class=HTMLResponse)
def people(
    request: Request,
    who: AuthorizedDep,
    ws: WorkspaceDep,
    q: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    """Search people by name, among those the caller may see."""
    found = ws.contact_map.search_people(who.viewer(), q) if q.strip() else []
    return render(request, who, "people.html", q=q, found=found)


@router.get("/people/{person}", response_class=HTMLResponse)
def person(request: Request, person: int, who: AuthorizedDep, ws: WorkspaceDep) -> HTMLResponse:
    """A person: their ties to colleagues with strength and reasons, and warm paths."""
    data = ws.contact_map.person(who.viewer(), str(person))
    return render(request, who, "person.html", data=data)
