"""The campaign planner page: a target segment, a topic and k ambassadors in; whom to ask
and the forecast against the corporate account and the largest audiences out."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from tejido.diffusion.campaign import COMPANY_FOLLOWERS
from tejido.snapshot.model import ORG_RELATIONS
from tejido.web.access import authorize
from tejido.web.deps import AuthorizedDep, WorkspaceDep
from tejido.web.pages.render import render

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(authorize)], include_in_schema=False)
_PLANS = ("ambassadors", "largest_audiences", "corporate_account")
_WIDTH, _HEIGHT = 560, 200
_COLOURS = {"ambassadors": "#1f6feb", "largest_audiences": "#8250df",
            "corporate_account": "#9a6700"}  # fmt: skip


@router.get("/plan", response_class=HTMLResponse)
def plan_page(
    request: Request,
    who: AuthorizedDep,
    ws: WorkspaceDep,
    k: Annotated[int | None, Query(ge=1, le=100)] = None,
    relation: Annotated[str, Query(max_length=32)] = "",
    title: Annotated[str, Query(max_length=100)] = "",
    industry: Annotated[str, Query(max_length=100)] = "",
    country: Annotated[str, Query(max_length=8)] = "",
    topic: Annotated[str, Query(max_length=100)] = "",
    company_followers: Annotated[int, Query(ge=0, le=10_000_000)] = COMPANY_FOLLOWERS,
) -> HTMLResponse:
    """The form; with ``k`` (the form sent), the plan: the ambassadors, a table of the
    three ways to post, and reach over the first week drawn as lines."""
    viewer = who.viewer()
    topics = ws.influence_service.topic_report(viewer)["topics"]
    form = {
        "k": k or 10,
        "relation": relation,
        "title": title,
        "industry": industry,
        "country": country,
        "topic": topic,
        "company_followers": company_followers,
    }
    result = None
    chart: dict[str, Any] | None = None
    if k is not None:
        wanted = {"relation": relation, "title": title, "industry": industry,
                  "country": country}  # fmt: skip
        segment = {key: value for key, value in wanted.items() if value.strip()}
        result = ws.diffusion_service.plan(viewer, k=k, segment=segment or None,
                                           topic=topic or None, runs=1000,
                                           company_followers=company_followers)  # fmt: skip
        chart = _chart(result["plans"])
    return render(request, who, "plan.html", form=form, result=result, chart=chart,
                  relations=ORG_RELATIONS, topics=topics, plans=_PLANS)  # fmt: skip


def _chart(plans: dict[str, Any]) -> dict[str, Any]:
    """Reach over time as SVG polylines: one per plan, the bins evenly spaced."""
    curves = {key: [g["exposed"] for g in plans[key]["growth"]] for key in _PLANS
              if plans.get(key)}  # fmt: skip
    hours = [g["hours"] for g in plans["ambassadors"]["growth"]]
    top = max((max(c) for c in curves.values() if c), default=0.0) or 1.0
    step = _WIDTH / max(len(hours) - 1, 1)

    def point(i: int, value: float) -> str:
        return f"{i * step:.1f},{_HEIGHT - value / top * _HEIGHT:.1f}"

    lines = {key: " ".join(point(i, v) for i, v in enumerate(c)) for key, c in curves.items()}
    ticks = [{"x": round(i * step, 1), "hours": h} for i, h in enumerate(hours)]
    return {
        "lines": lines,
        "ticks": ticks,
        "top": top,
        "width": _WIDTH,
        "height": _HEIGHT,
        "colours": _COLOURS,
    }
