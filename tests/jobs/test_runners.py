"""Jobs run outside the request: in a thread of the serving process, or in RQ workers over
the real Redis server; progress and errors (file, line, field) land in the job's row."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from jobkit import CARMEN, LINKEDIN_ZIP, staff, wait_for
from tejido import accounts
from tejido.jobs import InProcessRunner, RedisRunner, create_job, get_job
from tejido.jobs.records import start_job
from tejido.jobs.staging import stage
from tejido.jobs.tasks import incoming
from tejido.workspace import Workspace


def staged(ws: Workspace, name: str, data: bytes) -> dict[str, str]:
    path = stage(incoming(ws), name, [data], max_bytes=10**8)
    return {"path": str(path), "name": name}


def import_job(ws: Workspace, files: list[dict[str, str]], **params: object) -> int:
    return create_job(ws.store, "import",
                      {"kind": "linkedin", "files": files, "filenames": [f["name"] for f in files],
                       **params}, created_by="carmen@test")  # fmt: skip


def consent_of(ws: Workspace, email: str) -> str:
    with ws.store.read() as conn:
        return str(conn.execute(text("SELECT consent FROM employee WHERE email = :e"),
                                {"e": email}).scalar_one())  # fmt: skip


def test_an_import_job_records_progress_counts_consent_and_audit(
    workspace: Workspace, samples: Path, tmp_path: Path
) -> None:
    ws = workspace
    staff(ws, tmp_path)
    runner = InProcessRunner(ws)
    files = [staged(ws, LINKEDIN_ZIP, (samples / LINKEDIN_ZIP).read_bytes())]
    job_id = import_job(ws, files, employee=CARMEN, consent="named")
    assert get_job(ws.store, job_id).status == "queued"
    runner.submit(job_id)
    job = wait_for(ws, job_id)
    runner.close()
    assert job.status == "done" and job.progress == 1.0 and job.errors == []
    (upload,) = job.result["uploads"]
    assert upload["status"] == "imported" and upload["counts"]["connections"] == 7
    assert upload["counts"]["messages"] > 0
    assert consent_of(ws, CARMEN) == "named"
    assert not Path(files[0]["path"]).exists() and list(incoming(ws).iterdir()) == []
    event = accounts.audit_log(ws.store, action="upload").iloc[0]
    assert event["actor"] == "carmen@test" and event["details"]["consent"] == "named"
    assert event["details"]["upload_id"] == upload["upload_id"]
    assert job.to_dict()["files"] == [LINKEDIN_ZIP] and "path" not in str(job.to_dict())


def test_a_bad_file_is_reported_by_file_line_and_field_and_the_rest_goes_on(
    workspace: Workspace, samples: Path, tmp_path: Path
) -> None:
    ws = workspace
    staff(ws, tmp_path)
    bad = (
        b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        b"Ana,Ruiz,https://www.linkedin.com/in/ana-ruiz,,Acme,CTO,12 Mar 2024\n"
        b"Bea,Gil,https://www.linkedin.com/in/bea-gil,,Acme,CEO,not a date\n"
    )
    files = [staged(ws, "Connections.csv", bad),
             staged(ws, LINKEDIN_ZIP, (samples / LINKEDIN_ZIP).read_bytes())]  # fmt: skip
    before = consent_of(ws, CARMEN)
    runner = InProcessRunner(ws)
    job_id = import_job(ws, files, employee=CARMEN, consent="existence_only")
    runner.submit(job_id)
    job = wait_for(ws, job_id)
    runner.close()
    assert job.status == "done"  # one of two files went in
    (error,) = job.errors
    assert error["file"] == "Connections.csv" and error["line"] == 3
    assert error["field"] == "Connected On" and "date" in error["message"]
    assert [u["file"] for u in job.result["uploads"]] == [LINKEDIN_ZIP]
    assert before == "private" and consent_of(ws, CARMEN) == "existence_only"
    with ws.store.read() as conn:
        files_in = conn.execute(text("SELECT filename FROM upload WHERE kind = 'linkedin'"))
        assert [r[0] for r in files_in] == [LINKEDIN_ZIP]  # nothing of the bad file


def test_a_job_whose_every_file_fails_has_failed(sqlite_workspace: Workspace) -> None:
    ws = sqlite_workspace
    runner = InProcessRunner(ws)
    job_id = import_job(ws, [staged(ws, "export.zip", b"PK\x03\x04 not really a zip")])
    runner.submit(job_id)
    job = wait_for(ws, job_id)
    runner.close()
    assert job.status == "failed" and job.stage == "failed" and job.result["done"] == 0
    assert job.errors[0]["file"] == "export.zip" and job.errors[0]["message"]


def test_a_restart_fails_interrupted_jobs_and_runs_waiting_ones(
    sqlite_workspace: Workspace,
) -> None:
    ws = sqlite_workspace
    interrupted = create_job(ws.store, "contact-map", {}, created_by="x")
    start_job(ws.store, interrupted)
    waiting = create_job(ws.store, "contact-map", {}, created_by="x")
    runner = InProcessRunner(ws)  # what a new server process does first
    done = wait_for(ws, waiting)
    runner.close()
    assert done.status == "done" and done.result["people"] == 0
    failed = get_job(ws.store, interrupted)
    assert failed.status == "failed" and failed.errors[0]["error"] == "Interrupted"


# -- the real queue: RQ over the Redis server ----------------------------------------------


@pytest.fixture
def redis_url() -> Iterator[str]:
    url = os.environ.get("TEJIDO_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(url, socket_connect_timeout=3).ping()
    except RedisError as exc:
        if os.environ.get("TEJIDO_REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis does not answer at {url}: {exc}")
        pytest.skip(f"Redis does not answer at {url}")
    yield url


def worker(ws: Workspace, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``tejido worker --burst`` in its own process, with the web app's settings."""
    return subprocess.run(
        [sys.executable, "-m", "tejido", "worker", "--burst"],
        env={**os.environ, **env}, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_jobs_queued_in_redis_are_run_by_a_worker_process(
    workspace: Workspace, redis_url: str, samples: Path, tmp_path: Path
) -> None:
    queue = f"tejido-test-{uuid.uuid4().hex[:12]}"
    settings = {"queue_url": redis_url, "queue_name": queue}
    ws = Workspace(workspace.path, database_url=workspace.store.engine.url.render_as_string(
        hide_password=False), settings=workspace.settings.model_copy(update=settings))  # fmt: skip
    staff(ws, tmp_path)
    runner = RedisRunner(ws)
    files = [staged(ws, LINKEDIN_ZIP, (samples / LINKEDIN_ZIP).read_bytes())]
    job_id = import_job(ws, files, employee=CARMEN, consent="named")
    runner.submit(job_id)
    assert runner.queue.count == 1 and get_job(ws.store, job_id).status == "queued"
    url = ws.store.engine.url.render_as_string(hide_password=False)
    env = {"TEJIDO_WORKSPACE": str(ws.path), "TEJIDO_QUEUE_URL": redis_url,
           "TEJIDO_QUEUE_NAME": queue, "TEJIDO_DATABASE_URL": url}  # fmt: skip
    ran = worker(ws, env)
    assert ran.returncode == 0, ran.stderr[-2000:]
    job = get_job(ws.store, job_id)
    assert job.status == "done", (job, ran.stderr[-2000:])
    assert job.result["uploads"][0]["counts"]["connections"] == 7
    assert consent_of(ws, CARMEN) == "named" and runner.queue.count == 0
    runner.close()
    ws.close()


def test_a_worker_of_another_store_refuses_the_job(
    sqlite_workspace: Workspace, redis_url: str, tmp_path: Path
) -> None:
    queue = f"tejido-test-{uuid.uuid4().hex[:12]}"
    ws = Workspace(sqlite_workspace.path, settings=sqlite_workspace.settings.model_copy(
        update={"queue_url": redis_url, "queue_name": queue}))  # fmt: skip
    runner = RedisRunner(ws)
    job_id = create_job(ws.store, "contact-map", {}, created_by="x")
    runner.submit(job_id)
    other = tmp_path / "other"
    ran = worker(ws, {"TEJIDO_WORKSPACE": str(other), "TEJIDO_QUEUE_URL": redis_url,
                      "TEJIDO_QUEUE_NAME": queue, "TEJIDO_DATABASE_URL": ""})  # fmt: skip
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert get_job(ws.store, job_id).status == "queued"  # nothing ran on the wrong store
    assert runner.queue.failed_job_registry.count == 1
    assert "belongs to the store" in ran.stderr + ran.stdout
    runner.queue.failed_job_registry.cleanup()
    runner.close()
    ws.close()
