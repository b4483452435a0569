"""What ``GET /api/map`` answers with: the graph to draw, as parallel columns.

Columns rather than one object per node: 50,000 nodes and 150,000 edges stay a few
megabytes, and cheap to check and to write.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = ["MapEdges", "MapKeys", "MapNodes", "MapOrganisation", "MapOut"]


class MapNodes(BaseModel):
    """One entry per node in every column; codes index into ``MapOut.keys`` (-1: none)."""

    id: list[str] = Field(description="p<person id>, o<organisation id> or d<department>")
    label: list[str | None] = Field(description="the name, None when it may not be shown")
    kind: list[int] = Field(description="code into keys.kind")
    x: list[float]
    y: list[float]
    size: list[float]
    relation: list[int] = Field(description="code into keys.relation")
    department: list[int] = Field(description="code into keys.department")
    organisation: list[int] = Field(description="code into keys.organisation")
    ties: list[int]
    employees: list[int]
    hidden: list[int] = Field(description="an employee's ties to people not shown by name")


class MapEdges(BaseModel):
    """Edges as positions into the node columns."""

    source: list[int]
    target: list[int]
    weight: list[float | None] = Field(
        description="people: the tie's strength (None: shown as existence only); "
        "organisations: the number of ties"
    )
    relation: list[int] = Field(description="code into keys.relation")
    hidden: list[bool] = Field(description="the tie is shown as existence only")


class MapOrganisation(BaseModel):
    id: int
    name: str | None = None


class MapKeys(BaseModel):
    kind: list[str]
    relation: list[str]
    department: list[str]
    organisation: list[MapOrganisation]


class MapOut(BaseModel):
    """The contact map to draw, as the caller may see it."""

    mode: str
    nodes: MapNodes
    edges: MapEdges
    keys: MapKeys
    focus: list[int] = Field(description="positions of the people q found")
    totals: dict[str, int]
    truncated: bool = Field(description="more nodes or edges passed the filters than drawn")
