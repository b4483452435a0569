"""Diffusion over the API: the ambassadors to ask (IMM), and reach forecasts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from tejido.web.access import authorize
from tejido.web.deps import ViewerDep, WorkspaceDep

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["diffusion"], dependencies=[Depends(authorize)])
Model = Annotated[str, Query(pattern="^(wc|ic|lt)$")]
Probability = Annotated[float, Query(ge=0, le=1)]


@router.get("/ambassadors")
def ambassadors(
    ws: WorkspaceDep,
    viewer: ViewerDep,
    k: Annotated[int, Query(ge=1, le=500)] = 10,
    epsilon: Annotated[float, Query(gt=0.01, lt=1)] = 0.1,
    model: Model = "wc",
    p: Probability = 0.01,
    seed: Annotated[int, Query(ge=0)] = 0,
    everyone: bool = False,
    runs: Annotated[int, Query(ge=10, le=100_000)] = 1000,
    relation: Annotated[str | None, Query(max_length=32)] = None,
    industry: Annotated[str | None, Query(max_length=100)] = None,
    country: Annotated[str | None, Query(max_length=8)] = None,
    title: Annotated[str | None, Query(max_length=100)] = None,
    algorithm: Annotated[str, Query(pattern="^(imm|opim-c)$")] = "imm",
) -> dict[str, Any]:
    """The ``k`` people whose shares reach the most (IMM, within 1 - 1/e - epsilon of the
    best), aimed at a segment if one is given, their spread measured by Monte-Carlo with a
    95% interval, and the usual choices measured the same way."""
    wanted = {"relation": relation, "industry": industry, "country": country, "title": title}
    segment = {key: value for key, value in wanted.items() if value is not None}
    return ws.diffusion_service.ambassadors(viewer, k=k, epsilon=epsilon, model=model, p=p,
                                            seed=seed, everyone=everyone, runs=runs,
                                            segment=segment or None,
                                            algorithm=algorithm)  # fmt: skip


@router.get("/reach")
def reach(
    ws: WorkspaceDep,
    viewer: ViewerDep,
    people: Annotated[list[int], Query(min_length=1, max_length=500)],
    model: Model = "wc",
    p: Probability = 0.01,
    runs: Annotated[int, Query(ge=10, le=100_000)] = 10_000,
    seed: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """How far what ``people`` (person ids) share spreads: the mean of Monte-Carlo cascades
    with a 95% interval, and the 10th and 90th percentiles."""
    return ws.diffusion_service.reach(viewer, people, model=model, p=p, runs=runs, seed=seed)
