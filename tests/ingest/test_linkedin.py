"""The LinkedIn importer on the sample export: what lands in the store, on both databases."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from tejido.store.models import (
    Connection,
    Employee,
    IdentifierKind,
    Interaction,
    Person,
    PersonIdentifier,
    table_of,
)
from tejido.workspace import Workspace

T = table_of(Connection)
P = table_of(Person)
PI = table_of(PersonIdentifier)
I = table_of(Interaction)
EMP = table_of(Employee)


def test_sample_export_is_imported(workspace: Workspace, samples: Path) -> None:
    result = workspace.import_linkedin(samples / "Basic_LinkedInDataExport_11-20-2026.zip")
    assert result.status == "imported"
    assert result.owner == "Carmen Ortega Vidal"
    assert result.counts["connections"] == 7
    assert result.counts["positions"] == 3
    assert result.counts["education"] == 2
    assert result.counts["messages"] == 4
    # One message to a group of two is two interactions.
    assert result.counts["interactions"] == 5
    with workspace.store.read() as conn:
        lines = conn.execute(select(T.c.line).order_by(T.c.line)).scalars().all()
        assert lines == [5, 6, 7, 8, 9, 10, 11]
        keys = set(
            conn.execute(select(PI.c.value).where(PI.c.kind == IdentifierKind.LINKEDIN)).scalars()
        )
        assert {"in/tomasruiz82", "in/jlmoreau", "in/carmen-ortega-vidal"} <= keys
        consent = conn.execute(select(EMP.c.consent)).scalar_one()
        assert consent == "private"


def test_same_export_twice_changes_nothing(workspace: Workspace, samples: Path) -> None:
    path = samples / "Basic_LinkedInDataExport_11-20-2026.zip"
    first = workspace.import_linkedin(path)
    before = workspace.stats().to_dict()
    second = workspace.import_linkedin(path)
    assert second.status == "unchanged"
    assert second.upload_id == first.upload_id
    assert workspace.stats().to_dict() == before


def test_x_archive_owner_found_from_linkedin_email(workspace: Workspace, samples: Path) -> None:
    workspace.import_linkedin(samples / "Basic_LinkedInDataExport_11-20-2026.zip")
    result = workspace.import_x(samples / "twitter-2026-11-20-archive.zip")
    assert result.owner == "Carmen Ortega Vidal"
    assert result.counts["followers"] == 4
    assert result.counts["following"] == 3
    with workspace.store.read() as conn:
        directed = conn.execute(select(T.c.directed).where(T.c.kind == "x_follow")).scalars().all()
    assert len(directed) == 7 and all(directed)
