"""The contact map as a graph to draw: ``GET /api/map`` (the map page's data)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from tejido.contactmap.graph_view import DEFAULT_LIMIT, MAX_LIMIT, map_graph
from tejido.web.access import authorize
from tejido.web.deps import MapDep, ViewerDep
from tejido.web.map_schemas import MapOut

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["contact map"], dependencies=[Depends(authorize)])


CACHED = 8  # map answers kept per viewer and snapshot (the page's default is asked most)


@router.get("/map", response_model=MapOut, responses={200: {"model": MapOut}})
def contact_map(
    service: MapDep,
    viewer: ViewerDep,
    mode: Annotated[str, Query(pattern="^(people|organisations)$")] = "people",
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="People, or organisations, at most.")
    ] = DEFAULT_LIMIT,
    relation: Annotated[str | None, Query(description="Only ties of this class.")] = None,
    department: Annotated[str | None, Query(description="Only this department's ties.")] = None,
    org: Annotated[int | None, Query(description="Only ties into this organisation (id).")] = None,
    min_strength: Annotated[float, Query(ge=0, le=1)] = 0.0,
    q: Annotated[str | None, Query(max_length=200, description="Draw these people first.")] = None,
) -> Response:
    """The contact map as the caller may see it: a sample of people or organisations
    aggregated, with initial positions, sizes and colour keys."""
    options: dict[str, Any] = {"q": q, "mode": mode, "limit": limit, "relation": relation,
                               "department": department, "org": org,
                               "min_strength": min_strength}  # fmt: skip
    # Kept with the viewer's map, so a new snapshot (or another viewer) never sees it.
    answers: dict[tuple[Any, ...], bytes] = service.map(viewer).derived.setdefault("map_json", {})
    key = tuple(sorted(options.items()))
    body = answers.get(key)
    if body is None:
        data = map_graph(service, viewer, **options)
        body = MapOut.model_validate(data).model_dump_json().encode()
        if len(answers) >= CACHED:
            answers.pop(next(iter(answers)))
        answers[key] = body
    return Response(body, media_type="application/json")
