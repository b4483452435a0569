"""Influence pages: the leaderboard with a measure picker and reasons, the community map,
and one person's influence profile."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from tejido.errors import BadInputError
from tejido.influence.communities import DEFAULT_METHOD, METHODS
from tejido.influence.service import ALL_MEASURES
from tejido.web.access import authorize
from tejido.web.deps import AuthorizedDep, WorkspaceDep
from tejido.web.pages.labels import influence_reasons, labels
from tejido.web.pages.render import render, texts

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(authorize)], include_in_schema=False)
TOPS = (20, 50, 100, 200)


@router.get("/influence", response_class=HTMLResponse)
def leaderboard(
    request: Request,
    who: AuthorizedDep,
    ws: WorkspaceDep,
    by: Annotated[str, Query(max_length=32)] = "pagerank",
    top: Annotated[int, Query(ge=1, le=1000)] = 50,
    topic: Annotated[str, Query(max_length=100)] = "",
) -> HTMLResponse:
    """People ranked by the measure picked, every rank beside it and why; the hubs of a
    topic when one is picked; the hidden hubs and the most engaging people below."""
    if by not in ALL_MEASURES:
        raise BadInputError(f"no measure {by!r}", field="by")
    t = texts(request, who)
    service = ws.influence_service
    viewer = who.viewer()
    result = service.influence(viewer, by=by, top=top)
    total = int(result["network"]["people"])
    for row in result["people"]:
        row["why"] = influence_reasons(t, row["values"], row["ranks"], total)
    hubs = service.hidden_hubs(viewer, top=10)
    engaged = service.engagement(viewer, top=10)
    topics = service.topic_report(viewer, topic=topic or None, top=10)
    return render(request, who, "influence.html", result=result, by=by, top=top, tops=TOPS,
                  measures=ALL_MEASURES, hubs=hubs, engaged=engaged, topics=topics,
                  topic=topic)  # fmt: skip


@router.get("/communities", response_class=HTMLResponse)
def communities(
    request: Request,
    who: AuthorizedDep,
    ws: WorkspaceDep,
    method: Annotated[str, Query(pattern=f"^({'|'.join(METHODS)})$")] = DEFAULT_METHOD,
    resolution: Annotated[float, Query(gt=0, le=100)] = 1.0,
) -> HTMLResponse:
    """The communities drawn as a map (each a circle, sized by its people, linked by the
    ties between them) and described in words."""
    t = texts(request, who)
    _ = t.gettext
    report = ws.influence_service.community_report(who.viewer(), method=method,
                                                    resolution=resolution)  # fmt: skip
    data = {
        "communities": [{"id": c["community"], "label": c["label"], "size": c["size"],
                         "employees": c["employees"]} for c in report["communities"]],
        "links": report["links"],
        "texts": {
            "people": _("%(count)s people, %(employees)s of them colleagues"),
            "ties": _("%(count)s ties between them"),
            "ready": _("%(count)s communities, %(links)s links between them."),
        },
    }  # fmt: skip
    return render(request, who, "communities.html", report=report, data=data,
                  methods=METHODS, method=method, resolution=resolution)  # fmt: skip


@router.get("/people/{person}/influence", response_class=HTMLResponse)
def profile(request: Request, person: int, who: AuthorizedDep, ws: WorkspaceDep) -> HTMLResponse:
    """One person's influence: every measure with rank and percentile, their community,
    engagement, and whether they are a hidden hub or a suspicious account."""
    t = texts(request, who)
    data: dict[str, Any] = ws.influence_service.profile(who.viewer(), person)
    if data["in_network"]:
        values = {m["measure"]: m["value"] for m in data["measures"]}
        ranks = {m["measure"]: m["rank"] for m in data["measures"]}
        data["why"] = influence_reasons(t, values, ranks, int(data["network"]["people"]))
    return render(request, who, "person_influence.html", data=data,
                  measure_names=labels(t)["measure"])  # fmt: skip
