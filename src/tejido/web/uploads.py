"""Files uploaded through the web app: staged to disk in chunks, then imported by a job."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import UploadFile

from tejido.errors import BadInputError
from tejido.jobs import Runner, create_job
from tejido.jobs.staging import discard, safe_name, stage
from tejido.jobs.tasks import incoming
from tejido.workspace import Workspace, importer_named

__all__ = ["submit_import"]

CHUNK = 1024 * 1024


def _chunks(file: UploadFile) -> Iterator[bytes]:
    file.file.seek(0)
    while chunk := file.file.read(CHUNK):
        yield chunk


def submit_import(
    ws: Workspace,
    runner: Runner,
    kind: str,
    files: list[UploadFile],
    *,
    actor: str,
    **params: Any,
) -> int:
    """Stage ``files`` and queue one job importing them; its id.

    Nothing is queued when a file cannot be staged (too large, empty): the files staged
    so far are removed and the error names the file.
    """
    importer_named(kind)
    chosen = [f for f in files if f.filename]
    if not chosen:
        raise BadInputError("choose a file to upload", field="file")
    staged: list[dict[str, str]] = []
    try:
        for f in chosen:
            limit = ws.settings.max_upload_bytes
            path = stage(incoming(ws), f.filename, _chunks(f), max_bytes=limit)
            staged.append({"path": str(path), "name": safe_name(f.filename)})
    except BaseException:
        for s in staged:
            discard(s["path"], incoming(ws))
        raise
    job_params = {"kind": kind, "files": staged, "filenames": [s["name"] for s in staged],
                  **{k: v for k, v in params.items() if v not in (None, "")}}  # fmt: skip
    job_id = create_job(ws.store, "import", job_params, created_by=actor)
    runner.submit(job_id)
    return job_id
