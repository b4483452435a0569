"""Fixtures of the ingest tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile import CARMEN, LINKEDIN_ZIP, X_ZIP, csv_text
from uploads_kit import LUCIA, PEDRO, roster

from tejido.workspace import Workspace


@pytest.fixture
def seeded(workspace: Workspace, samples: Path, tmp_path: Path) -> Workspace:
    """A store that already holds something: a roster, a LinkedIn export, an X archive."""
    roster = tmp_path / "seed-roster.csv"
    roster.write_text(
        csv_text(
            [
                ["Name", "Email", "LinkedIn URL", "Department", "Consent"],
                [
                    "Carmen Ortega Vidal",
                    CARMEN,
                    "https://www.linkedin.com/in/carmen-ortega-vidal",
                    "Sales",
                    "named",
                ],
                [
                    "Lucía Fernández",
                    "lucia.fernandez@tejido-sample.example",
                    "https://www.linkedin.com/in/lucia-fernandez-dev",
                    "Engineering",
                    "existence only",
                ],
            ]
        ),
        encoding="utf-8",
    )
    workspace.import_roster(roster)
    workspace.import_linkedin(samples / LINKEDIN_ZIP)
    workspace.import_x(samples / X_ZIP)
    return workspace


@pytest.fixture
def staffed(workspace: Workspace, tmp_path: Path) -> Workspace:
    """A store with a roster of three employees."""
    roster(
        workspace,
        tmp_path,
        ("Carmen Ortega Vidal", CARMEN),
        ("Lucía Fernández", LUCIA),
        ("Pedro Sanz", PEDRO),
    )
    return workspace
