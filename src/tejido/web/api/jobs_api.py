"""A background job's progress and outcome, for the page that watches it (and scripts)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from tejido.errors import NotFoundError
from tejido.jobs import JobRecord, get_job
from tejido.web.access import ADMIN, Caller, authorize
from tejido.web.deps import AuthorizedDep, WorkspaceDep
from tejido.workspace import Workspace

__all__ = ["job_of", "router"]

router = APIRouter(prefix="/api", tags=["jobs"], dependencies=[Depends(authorize)])


def job_of(ws: Workspace, who: Caller, job_id: int) -> JobRecord:
    """The job, if ``who`` started it or is an admin (others are told it does not exist)."""
    job = get_job(ws.store, job_id)
    if who.role != ADMIN and (who.user is None or job.created_by != who.user.email):
        raise NotFoundError(f"no job {job_id}")
    return job


@router.get("/jobs/{job}")
def job_state(job: int, who: AuthorizedDep, ws: WorkspaceDep) -> dict[str, Any]:
    """State, progress (0–1), stage, outcome and errors (file, line, field) of a job."""
    return job_of(ws, who, job).to_dict()
