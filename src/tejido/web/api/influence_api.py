"""Influence over the API: ranks by every measure with reasons, hidden hubs, suspicious
accounts, and communities."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from tejido.influence.communities import METHODS
from tejido.web.access import authorize
from tejido.web.deps import ViewerDep, WorkspaceDep

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["influence"], dependencies=[Depends(authorize)])


@router.get("/influence")
def influence(
    ws: WorkspaceDep,
    viewer: ViewerDep,
    by: Annotated[str, Query(max_length=32, description="The measure to rank by.")] = "pagerank",
    top: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> dict[str, Any]:
    """The ``top`` people by ``by`` with every measure and rank side by side, and why;
    ``network`` says how large the network is and how betweenness was computed."""
    return ws.influence_service.influence(viewer, by=by, top=top)


@router.get("/hidden-hubs")
def hidden_hubs(
    ws: WorkspaceDep,
    viewer: ViewerDep,
    structure: Annotated[str, Query(max_length=32)] = "bridge_score",
    volume: Annotated[str, Query(max_length=32)] = "degree",
    top: Annotated[int, Query(ge=1, le=500)] = 10,
) -> dict[str, Any]:
    """People whose ``structure`` rank is far above their ``volume`` rank, with reasons,
    and the employees whose reach into prospects and customers nobody else has."""
    return ws.influence_service.hidden_hubs(viewer, structure=structure, volume=volume,
                                            top=top)  # fmt: skip


@router.get("/topics")
def topics(
    ws: WorkspaceDep,
    viewer: ViewerDep,
    k: Annotated[int, Query(ge=1, le=100)] = 10,
    by: Annotated[str, Query(pattern="^(words|industry)$")] = "words",
    topic: Annotated[str | None, Query(max_length=100)] = None,
    top: Annotated[int, Query(ge=1, le=1000)] = 20,
) -> dict[str, Any]:
    """Topics of people (label, words, people); with ``topic`` (its number or a word of
    it) the hubs of that topic by topic-sensitive PageRank, beside their overall rank."""
    return ws.influence_service.topic_report(viewer, n_topics=k, source=by, topic=topic,
                                             top=top)  # fmt: skip


@router.get("/engagement")
def engagement(
    ws: WorkspaceDep,
    viewer: ViewerDep,
    top: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> dict[str, Any]:
    """The ``top`` people by responders (how many different people replied or responded
    to them) with messages sent, reply rate and time to reply beside it, and why."""
    return ws.influence_service.engagement(viewer, top=top)


@router.get("/suspicious")
def suspicious(
    ws: WorkspaceDep,
    viewer: ViewerDep,
    top: Annotated[int, Query(ge=1, le=5000)] = 50,
    everyone: bool = False,
) -> dict[str, Any]:
    """Accounts in the X follow data that look fake or bought (score at or above the
    threshold; ``everyone=true``: every scored account), with features and reasons, and
    for each employee how many of their followers look bought."""
    return ws.influence_service.suspicious(viewer, top=top, everyone=everyone)


@router.get("/communities")
def communities(
    ws: WorkspaceDep,
    viewer: ViewerDep,
    method: Annotated[str, Query(pattern=f"^({'|'.join(METHODS)})$")] = "leiden",
    resolution: Annotated[float, Query(gt=0, le=100)] = 1.0,
    seed: Annotated[int, Query(ge=0)] = 1,
    members: bool = False,
) -> dict[str, Any]:
    """Communities in words and how they connect; ``members=true`` adds every named
    person's community."""
    return ws.influence_service.community_report(
        viewer, method=method, resolution=resolution, seed=seed, members=members
    )
