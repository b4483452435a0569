"""The contact map drawn in the browser: the page's frame; the graph comes from /api/map."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from tejido.contactmap.graph_view import DEFAULT_LIMIT
from tejido.contactmap.relations import TIE_RELATIONS
from tejido.web.access import authorize
from tejido.web.deps import AuthorizedDep, WorkspaceDep
from tejido.web.pages.labels import labels
from tejido.web.pages.render import render, texts

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(authorize)], include_in_schema=False)
LIMITS = (500, 1_000, DEFAULT_LIMIT, 10_000, 50_000)


@router.get("/map", response_class=HTMLResponse)
def contact_map(request: Request, who: AuthorizedDep, ws: WorkspaceDep) -> HTMLResponse:
    """The map: people or organisations, coloured by relation, department or organisation."""
    t = texts(request, who)
    _ = t.gettext
    named = labels(t)
    names = named["relation"] | {"employee": named["role"]["employee"],
                                 "department": _("Department")}  # fmt: skip
    data = {
        "names": names,
        "texts": {
            "loading": _("Loading the map…"),
            "layout": _("Laying out %(nodes)s nodes…"),
            "failed": _("The map could not be loaded: %(reason)s"),
            "shown": _("%(nodes)s of %(total)s people and %(edges)s of %(ties)s ties shown."),
            "shown_groups": _(
                "%(nodes)s of %(total)s departments and organisations shown; "
                "%(ties)s ties counted, drawn as %(edges)s links."
            ),
            "empty": _("Nothing to draw with these filters."),
            "found": _("Found: %(name)s"),
            "not_found": _("Nobody on the map matches %(q)s."),
            "no_department": _("No department"),
            "no_relation": _("No class"),
            "no_crm": _("Not in the CRM"),
            "others": _("Others"),
            "ties": _("%(count)s ties"),
            "employees": _("known by %(count)s colleagues"),
            "hidden": _("%(count)s more contacts not shown by name"),
        },
    }
    departments = ws.contact_map.snapshot().departments
    return render(request, who, "map.html", data=data, relations=TIE_RELATIONS,
                  departments=departments, limits=LIMITS,
                  default_limit=DEFAULT_LIMIT)  # fmt: skip
