"""What the API answers with: the public shapes of people, ties, paths and accounts.

Every response goes through one of these models, so a field the service adds by mistake
(an e-mail on a hidden person, say) is dropped rather than sent.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

__all__ = [
    "AccountOut",
    "AccountRow",
    "CoverageOut",
    "DegreeRow",
    "ErrorOut",
    "OrganisationOut",
    "PathOut",
    "PathsOut",
    "PersonOut",
    "ProspectRow",
    "RelationIn",
    "RelationOut",
    "SnapshotOut",
    "TieOut",
]


class ErrorOut(BaseModel):
    """Every error: its kind, a message naming what was wrong, and where (bad input)."""

    error: str
    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None


class PersonOut(BaseModel):
    """A person as the viewer may see them; ``hidden`` people carry no details at all."""

    id: int | None
    name: str
    hidden: bool = False
    requested: bool = False
    position: str | None = None
    organisation_id: int | None = None
    linkedin: str | None = None
    email: str | None = None
    department: str | None = None
    is_employee: bool | None = None


class Reason(BaseModel):
    signal: str
    text: str
    evidence: float
    contribution: float


class TieOut(BaseModel):
    """A tie's strength, class and reasons; all None when consent shows only existence."""

    strength: float | None = None
    peak: float | None = None
    relation: str | None = None
    decaying: bool | None = None
    hidden: bool = False
    explanation: list[Reason] | None = None
    reasons: str | None = None


class AccountTie(TieOut):
    employee: PersonOut
    contact: PersonOut


class Hop(TieOut):
    from_: PersonOut = Field(alias="from")
    to: PersonOut

    model_config = {"populate_by_name": True, "serialize_by_alias": True}


class PathOut(BaseModel):
    rank: int
    score: float | None = Field(description="Product of the ties' strengths (None if hidden).")
    hops: int
    ask: PersonOut = Field(description="The colleague to ask for the introduction.")
    target: PersonOut
    path: list[Hop]


class PathsOut(BaseModel):
    targets: int = Field(description="People the query aimed at (one, or an account's).")
    paths: list[PathOut]


class OrganisationOut(BaseModel):
    id: int
    name: str | None = None
    relation: str | None = None
    country: str | None = None
    industry: str | None = None


class AccountRow(BaseModel):
    org_id: int
    name: str | None = None
    relation: str | None = None
    contacts: int
    employees: int
    ties: int | None = None
    strong_ties: int
    strong_employees: int | None = None
    best_strength: float
    coverage: float | None = None
    decaying_ties: int
    reachable_via_contacts: int
    bus_factor: int
    covered: bool | None = None


class CoverageSummary(BaseModel):
    accounts: int
    covered: int
    crm_accounts: int
    crm_covered: int
    best_covered: list[AccountRow]
    uncovered_targets: list[AccountRow]
    single_colleague: list[AccountRow]
    single_colleague_count: int
    decaying: list[AccountRow]
    decaying_ties: int


class CoverageOut(BaseModel):
    accounts: list[AccountRow]
    summary: CoverageSummary


class AccountOut(BaseModel):
    organisation: OrganisationOut
    summary: dict[str, Any]
    ties: list[AccountTie]
    ties_total: int
    offset: int = 0
    paths: list[PathOut]


class DegreeRow(BaseModel):
    degree: int
    dimension: str
    value: str
    count: int


class ProspectRow(BaseModel):
    person_id: int | None
    name: str
    position: str | None = None
    organisation: str | None = None
    relation: str | None = None
    hops: int
    score: float | None = None
    ask_id: int
    ask: str
    via: str | None = None
    hidden: bool


class RelationIn(BaseModel):
    employee: str = Field(description="The employee: e-mail, LinkedIn URL or person id.")
    contact: str = Field(description="The contact: LinkedIn URL, e-mail or person id.")
    relation: str | None = Field(description="The class to set, or null to clear it.")
    note: str | None = None


class RelationOut(BaseModel):
    employee_key: str
    contact_key: str
    relation: str | None


class SnapshotOut(BaseModel):
    version: int
    people: int
    ties: int
    organisations: int
    bytes: int
    built_at: str
