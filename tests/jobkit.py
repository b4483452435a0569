"""What the job tests share: a store with Carmen (the samples' LinkedIn owner) on the
roster, and waiting for a job to end."""

from __future__ import annotations

import time
from pathlib import Path

from tejido.jobs import JobRecord, get_job
from tejido.workspace import Workspace

CARMEN = "carmen.ortega@tejido-sample.example"
LINKEDIN_ZIP = "Basic_LinkedInDataExport_11-20-2026.zip"
X_ZIP = "twitter-2026-11-20-archive.zip"


def staff(ws: Workspace, folder: Path, consent: str = "private") -> None:
    roster = folder / "roster.csv"
    roster.write_text(
        "Name,Email,Department,Consent\n"
        f"Carmen Ortega Vidal,{CARMEN},Sales,{consent}\n"
        "Lucía Fernández,lucia.fernandez@tejido-sample.example,Engineering,named\n",
        encoding="utf-8",
    )
    ws.import_roster(roster, company="Tejido Sample")


def wait_for(ws: Workspace, job_id: int, seconds: float = 180) -> JobRecord:
    """The job once it ended (a job still running after ``seconds`` fails the test)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = get_job(ws.store, job_id)
        if job.finished:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not end: {get_job(ws.store, job_id)}")
