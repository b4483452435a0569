"""The signed-in home page and the admin's audit log."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from tejido import accounts
from tejido.web.access import authorize
from tejido.web.deps import AuthorizedDep, WorkspaceDep
from tejido.web.pages.render import render, texts

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(authorize)], include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, who: AuthorizedDep, ws: WorkspaceDep) -> HTMLResponse:
    """Reach by degree and what it is made of, as charts (with the figures as a table)."""
    frame = ws.degrees(viewer=who.viewer())
    totals = frame[frame["dimension"] == "total"]
    reach = {str(int(r["degree"])): int(r["count"]) for r in totals.to_dict("records")}
    _ = texts(request, who).gettext
    wanted = [
        ("relation", 2, _("Contacts by relation"), "doughnut"),
        ("industry", 2, _("Contacts by industry"), "bar"),
        ("country", 2, _("Contacts by country"), "bar"),
        ("department", 2, _("Contacts reached by each department"), "bar"),
    ]
    charts = []
    for dimension, degree, title, kind in wanted:
        part = frame[(frame["dimension"] == dimension) & (frame["degree"] == degree)]
        unknown = int(part.loc[part["value"] == "unknown", "count"].sum())
        part = part[part["value"] != "unknown"]
        rows = part.sort_values("count", ascending=False).head(10)
        if unknown:
            title = _("%(title)s (%(count)s not known)") % {"title": title, "count": f"{unknown:,}"}
        labels = [str(v) for v in rows["value"]]
        values = [int(c) for c in rows["count"]]
        charts.append({
            "id": f"chart-{dimension}", "title": title, "type": kind, "labels": labels,
            "values": values, "label": title, "horizontal": kind == "bar",
            "rows": list(zip(labels, values, strict=True)),
        })  # fmt: skip
    data = {"charts": [{k: v for k, v in c.items() if k != "rows"} for c in charts]}
    return render(request, who, "overview.html", reach=reach, charts=charts, data=data)


@router.get("/admin/audit", response_class=HTMLResponse)
def audit(request: Request, who: AuthorizedDep, ws: WorkspaceDep) -> HTMLResponse:
    events = accounts.audit_log(ws.store, limit=500).to_dict("records")
    return render(request, who, "audit.html", events=events)
