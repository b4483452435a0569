"""Diffusion over the API: the ambassadors to ask (IMM), and reach forecasts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from tejido.web.access import authorize
from tejido.web.deps import ViewerDep, WorkspaceDep

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["diffusion"], dependencies=[Depends(authorize)])
Model = Annotated[str, Query(pattern="^(wc|ic|lt|learned)$")]
Probability = Annotated[float, Query(ge=0, le=1)]


def _segment(
    relation: Annotated[str | None, Query(max_length=32)] = None,
    industry: Annotated[str | None, Query(max_length=100)] = None,
    country: Annotated[str | None, Query(max_length=8)] = None,
    title: Annotated[str | None, Query(max_length=100)] = None,
) -> dict[str, str] | None:
    """Who a campaign aims at (``segments.segment_weights``); None: everyone."""
    wanted = {"relation": relation, "industry": industry, "country": country, "title": title}
    return {key: value for key, value in wanted.items() if value is not None} or None


SegmentDep = Annotated[dict[str, str] | None, Depends(_segment)]


@router.get("/ambassadors")
def ambassadors(
    ws: WorkspaceDep,
    viewer: ViewerDep,
    segment: SegmentDep,
    k: Annotated[int, Query(ge=1, le=500)] = 10,
    epsilon: Annotated[float, Query(gt=0.01, lt=1)] = 0.1,
    model: Model = "wc",
    p: Probability = 0.01,
    seed: Annotated[int, Query(ge=0)] = 0,
    everyone: bool = False,
    runs: Annotated[int, Query(ge=10, le=100_000)] = 1000,
    algorithm: Annotated[str, Query(pattern="^(imm|opim-c)$")] = "imm",
) -> dict[str, Any]:
    """The ``k`` people whose shares reach the most (IMM, within 1 - 1/e - epsilon of the
    best), aimed at a segment if one is given, their spread measured by Monte-Carlo with a
    95% interval, and the usual choices measured the same way."""
    return ws.diffusion_service.ambassadors(viewer, k=k, epsilon=epsilon, model=model, p=p,
                                            seed=seed, everyone=everyone, runs=runs,
                                            segment=segment,
                                            algorithm=algorithm)  # fmt: skip


@router.get("/reach")
def reach(
    ws: WorkspaceDep,
    viewer: ViewerDep,
    segment: SegmentDep,
    people: Annotated[list[int], Query(min_length=1, max_length=500)],
    model: Model = "wc",
    p: Probability = 0.01,
    runs: Annotated[int, Query(ge=10, le=100_000)] = 10_000,
    seed: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """How far what ``people`` (person ids) share spreads: the mean of Monte-Carlo cascades
    with a 95% interval, and the 10th and 90th percentiles; with a segment, its people only;
    for independent cascades, how it grows from 1 hour to a week."""
    return ws.diffusion_service.reach(viewer, people, model=model, p=p, runs=runs, seed=seed,
                                      segment=segment)  # fmt: skip


@router.get("/plan")
def plan(
    ws: WorkspaceDep,
    viewer: ViewerDep,
    segment: SegmentDep,
    k: Annotated[int, Query(ge=1, le=200)] = 10,
    topic: Annotated[str | None, Query(max_length=100)] = None,
    company_followers: Annotated[int, Query(ge=0, le=10_000_000)] = 5_000,
    algorithm: Annotated[str, Query(pattern="^(imm|opim-c)$")] = "imm",
    epsilon: Annotated[float, Query(gt=0.01, lt=1)] = 0.1,
    runs: Annotated[int, Query(ge=10, le=50_000)] = 2000,
    seed: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """A campaign plan: the employees to ask to share a post aimed at a segment (and a
    topic), and the forecast of the segment's people who see, click, engage and re-share,
    hour by hour, against the corporate account alone and the largest audiences."""
    return ws.diffusion_service.plan(viewer, k=k, segment=segment, topic=topic,
                                     company_followers=company_followers, algorithm=algorithm,
                                     epsilon=epsilon, runs=runs, seed=seed)  # fmt: skip
