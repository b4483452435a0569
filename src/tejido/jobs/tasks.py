"""What jobs do: import uploaded files, rebuild the contact map. Each reports its progress
to the job's row and ends with its outcome and errors (file, line, field) recorded there."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update

from tejido.errors import BadInputError
from tejido.ingest.upload import read_upload, write_upload
from tejido.jobs.records import JobRecord, error_item, finish_job, set_progress, start_job
from tejido.jobs.staging import discard
from tejido.store.models import ConsentLevel, Employee, Upload, UserAccount, table_of

if TYPE_CHECKING:
    from tejido.workspace import Workspace

__all__ = ["TASKS", "import_files", "incoming", "rebuild_map", "run_job"]

log = logging.getLogger(__name__)
Report = Callable[[float, str], None]
Outcome = tuple[dict[str, Any], list[dict[str, Any]]]
EMP, UP, USERS = table_of(Employee), table_of(Upload), table_of(UserAccount)


def incoming(ws: Workspace) -> Path:
    """Where uploaded files wait for their job."""
    return ws.path / "incoming"


def import_files(ws: Workspace, job: JobRecord, report: Report) -> Outcome:
    """Import each staged file as its own upload; a bad file does not stop the others.

    Params: ``kind``, ``files`` (staged path and original name), and optionally
    ``employee`` (whose export it is), ``consent`` (the owner's choice, set in the same
    transaction as the upload), ``user_id`` (an account to link to the owner) and
    ``options`` (the importer's own).
    """
    from tejido.accounts import audit
    from tejido.workspace import importer_named

    p = job.params
    importer = importer_named(p["kind"])
    files: list[dict[str, str]] = p["files"]
    actor = job.created_by or "job"
    consent = ConsentLevel(p["consent"]) if p.get("consent") else None
    options = dict(p.get("options") or {})
    if p.get("employee"):
        options["employee"] = p["employee"]
    options.setdefault("max_bytes", ws.settings.max_upload_bytes)
    uploads: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    share = 0.85 / max(len(files), 1)
    for i, staged in enumerate(files):
        name = staged["name"]
        try:
            report(0.05 + i * share, f"reading:{name}")
            data, sha256 = read_upload(staged["path"], ws.settings.max_upload_bytes)
            report(0.05 + (i + 0.2) * share, f"parsing:{name}")
            prepared = importer.prepare(data, name, **options)
            report(0.05 + (i + 0.6) * share, f"writing:{name}")
            with ws.store.write() as conn:
                result = write_upload(conn, prepared, sha256, uploaded_by=actor)
                owner = conn.execute(
                    select(UP.c.owner_person_id).where(UP.c.id == result.upload_id)
                ).scalar()
                details: dict[str, Any] = {**result.to_dict(), "job": job.id}
                if consent is not None:
                    if owner is None:
                        raise BadInputError("this file has no owner to set a consent for",
                                            file=name)  # fmt: skip
                    conn.execute(update(EMP).where(EMP.c.person_id == owner)
                                 .values(consent=consent))  # fmt: skip
                    details["consent"] = consent.value
                if p.get("user_id") and owner is not None:
                    conn.execute(
                        update(USERS)
                        .where(USERS.c.id == p["user_id"], USERS.c.person_id.is_(None))
                        .values(person_id=owner)
                    )
                audit(conn, actor, "upload", f"upload {result.upload_id}", details)
            uploads.append(result.to_dict())
        except Exception as exc:  # every failure is reported; the next file goes on
            if not isinstance(exc, BadInputError):
                log.exception("job %s: importing %s failed", job.id, name)
            errors.append(error_item(exc, name))
        finally:
            discard(staged["path"], incoming(ws))
    if any(u["status"] == "imported" for u in uploads):
        report(0.9, "contact-map")
        ws.map()  # the next page view finds it built
    return {"done": len(uploads), "uploads": uploads}, errors


def rebuild_map(ws: Workspace, job: JobRecord, report: Report) -> Outcome:
    """Build (or load) the contact map of the store as it is now."""
    report(0.1, "contact-map")
    cm = ws.map()
    snap = cm.snap
    return {"done": 1, "people": int(snap.n_nodes), "ties": int(snap.n_edges)}, []


TASKS: dict[str, Callable[[Workspace, JobRecord, Report], Outcome]] = {
    "import": import_files,
    "contact-map": rebuild_map,
}


def run_job(ws: Workspace, job_id: int) -> None:
    """Run one queued job to its end; whatever happens, the job's row says how it ended."""
    job = start_job(ws.store, job_id)

    def report(progress: float, stage: str) -> None:
        set_progress(ws.store, job_id, progress, stage)

    try:
        task = TASKS[job.kind]
        result, errors = task(ws, job, report)
    except Exception as exc:
        if not isinstance(exc, BadInputError):
            log.exception("job %s (%s) failed", job_id, job.kind)
        result, errors = {}, [error_item(exc)]
        for staged in job.params.get("files", []):
            discard(staged["path"], incoming(ws))
    finish_job(ws.store, job_id, result=result, errors=errors)
