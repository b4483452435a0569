"""Jobs as rows of the store: created queued, then running with progress, then done or failed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select, update

from tejido.errors import BadInputError, NotFoundError, TejidoError
from tejido.store.models import Job, JobStatus, table_of, utcnow
from tejido.store.session import Store

__all__ = [
    "JobRecord",
    "create_job",
    "error_item",
    "finish_job",
    "get_job",
    "list_jobs",
    "set_progress",
    "start_job",
]

J = table_of(Job)


@dataclass(frozen=True)
class JobRecord:
    """One job as the pages and the API show it."""

    id: int
    kind: str
    status: str
    progress: float
    stage: str | None
    params: dict[str, Any]
    result: dict[str, Any]
    errors: list[dict[str, Any]] = field(default_factory=list)
    created_by: str | None = None
    created_at: dt.datetime | None = None
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    def to_dict(self) -> dict[str, Any]:
        """What the API returns: the job's state, outcome and errors (not its file paths)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "progress": self.progress,
            "stage": self.stage,
            "files": list(self.params.get("filenames", [])),
            "result": self.result,
            "errors": self.errors,
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }


def _record(row: Any) -> JobRecord:
    return JobRecord(
        id=int(row.id), kind=row.kind, status=JobStatus(row.status).value,
        progress=float(row.progress), stage=row.stage, params=dict(row.params or {}),
        result=dict(row.result or {}), errors=list(row.errors or []),
        created_by=row.created_by, created_at=row.created_at, started_at=row.started_at,
        finished_at=row.finished_at,
    )  # fmt: skip


def create_job(store: Store, kind: str, params: dict[str, Any], *, created_by: str | None) -> int:
    """A new queued job; a runner must be told to run it."""
    with store.write(content=False) as conn:
        return int(
            conn.execute(
                insert(J).returning(J.c.id),
                {"kind": kind, "params": params, "created_by": created_by, "result": {},
                 "errors": [], "progress": 0.0, "status": JobStatus.QUEUED},
            ).scalar_one()
        )  # fmt: skip


def get_job(store: Store, job_id: int) -> JobRecord:
    with store.read() as conn:
        row = conn.execute(select(J).where(J.c.id == job_id)).first()
    if row is None:
        raise NotFoundError(f"no job {job_id}")
    return _record(row)


def list_jobs(store: Store, *, created_by: str | None = None, limit: int = 50) -> list[JobRecord]:
    """The newest jobs first, of one user when ``created_by`` is given."""
    query = select(J).order_by(J.c.id.desc()).limit(limit)
    if created_by is not None:
        query = query.where(J.c.created_by == created_by)
    with store.read() as conn:
        return [_record(r) for r in conn.execute(query)]


def start_job(store: Store, job_id: int) -> JobRecord:
    """Mark a queued job running (a job already started by another worker is refused)."""
    with store.write(content=False) as conn:
        changed = conn.execute(
            update(J)
            .where(J.c.id == job_id, J.c.status == JobStatus.QUEUED)
            .values(status=JobStatus.RUNNING, started_at=utcnow(), stage="starting")
        ).rowcount
    if not changed:
        raise NotFoundError(f"job {job_id} is not waiting to run")
    return get_job(store, job_id)


def set_progress(store: Store, job_id: int, progress: float, stage: str) -> None:
    with store.write(content=False) as conn:
        conn.execute(
            update(J).where(J.c.id == job_id).values(progress=min(max(progress, 0.0), 1.0),
                                                     stage=stage[:64])
        )  # fmt: skip


def finish_job(
    store: Store, job_id: int, *, result: dict[str, Any], errors: list[dict[str, Any]]
) -> None:
    """Done when something was done (or nothing failed); failed when every part failed."""
    failed = bool(errors) and not result.get("done")
    with store.write(content=False) as conn:
        conn.execute(
            update(J)
            .where(J.c.id == job_id)
            .values(
                status=JobStatus.FAILED if failed else JobStatus.DONE,
                progress=1.0, stage="failed" if failed else "done",
                result=result, errors=errors, finished_at=utcnow(),
            )
        )  # fmt: skip


def error_item(exc: BaseException, file: str | None = None) -> dict[str, Any]:
    """An error as a job reports it: message, and the file, line and field when known.

    >>> item = error_item(BadInputError("not a date", file="Connections.csv", line=7, field="On"))
    >>> item["file"], item["line"], item["field"], item["message"]
    ('Connections.csv', 7, 'On', 'not a date')
    """
    if isinstance(exc, BadInputError):
        return {"file": exc.file or file, "line": exc.line, "field": exc.field,
                "message": exc.reason, "error": type(exc).__name__}  # fmt: skip
    if isinstance(exc, TejidoError):
        return {"file": file, "line": None, "field": None, "message": exc.message,
                "error": type(exc).__name__}  # fmt: skip
    return {"file": file, "line": None, "field": None, "error": "InternalError",
            "message": f"an unexpected error stopped this job ({type(exc).__name__})"}  # fmt: skip
