"""Who runs jobs: a thread of the serving process (the embedded default), or RQ workers
fed through Redis (``TEJIDO_QUEUE_URL=redis://…``, workers started by ``tejido worker``)."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import select, update

from tejido.errors import ConflictError
from tejido.store.models import Job, JobStatus, table_of, utcnow

if TYPE_CHECKING:
    from tejido.config import Settings
    from tejido.workspace import Workspace

__all__ = ["InProcessRunner", "RedisRunner", "Runner", "run_queued", "runner_for", "work"]

log = logging.getLogger(__name__)
J = table_of(Job)


class Runner(Protocol):
    """Runs the jobs it is given, some time soon, outside the request that made them."""

    def submit(self, job_id: int) -> None: ...

    def close(self) -> None: ...


class InProcessRunner:
    """One background thread of this process runs the jobs, one at a time, in order.

    Jobs a previous process left running were interrupted: they are marked failed. Jobs
    it left queued are run now.
    """

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tejido-job")
        with ws.store.write(content=False) as conn:
            conn.execute(
                update(J)
                .where(J.c.status == JobStatus.RUNNING)
                .values(status=JobStatus.FAILED, stage="failed", finished_at=utcnow(),
                        errors=[{"file": None, "line": None, "field": None,
                                 "error": "Interrupted",
                                 "message": "the server stopped while this job ran"}])
            )  # fmt: skip
            waiting = conn.execute(
                select(J.c.id).where(J.c.status == JobStatus.QUEUED).order_by(J.c.id)
            ).scalars()
            for job_id in list(waiting):
                self.submit(int(job_id))

    def submit(self, job_id: int) -> None:
        from tejido.jobs.tasks import run_job

        self._pool.submit(_logged, run_job, self.ws, job_id)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)


def _logged(fn: Any, *args: Any) -> None:
    try:
        fn(*args)
    except Exception:  # a job's own failures are recorded; this is a bug: log it
        log.exception("background job crashed")


def _fingerprint(ws: Workspace) -> str:
    """Which store a job belongs to: a worker refuses jobs of another store."""
    return ws.store.safe_url


class RedisRunner:
    """Jobs go to an RQ queue on Redis; ``tejido worker`` processes run them.

    Workers read the same settings (``TEJIDO_WORKSPACE``, ``TEJIDO_DATABASE_URL``) as the
    web app: the queue carries only the job's id and which store it belongs to.
    """

    def __init__(self, ws: Workspace) -> None:
        from redis import Redis
        from rq import Queue

        settings = ws.settings
        assert settings.queue_url is not None
        self.ws = ws
        self.queue = Queue(
            settings.queue_name,
            connection=Redis.from_url(settings.queue_url),
            default_timeout=settings.job_timeout,
        )

    def submit(self, job_id: int) -> None:
        self.queue.enqueue(
            run_queued, job_id, _fingerprint(self.ws),
            result_ttl=0,  # the outcome lives in the store, not in Redis
            failure_ttl=7 * 24 * 3600,
            description=f"tejido job {job_id}",
        )  # fmt: skip

    def close(self) -> None:
        self.queue.connection.close()


def run_queued(job_id: int, fingerprint: str) -> None:
    """The function RQ workers call: run one job on this worker's store."""
    from tejido.jobs.tasks import run_job
    from tejido.workspace import Workspace

    with Workspace() as ws:
        if _fingerprint(ws) != fingerprint:
            raise ConflictError(
                f"job {job_id} belongs to the store {fingerprint}, this worker serves "
                f"{_fingerprint(ws)}: start workers with the web app's settings"
            )
        run_job(ws, job_id)


def runner_for(ws: Workspace) -> Runner:
    """The RQ runner when a queue is configured, else the in-process one."""
    if ws.settings.queue_url:
        return RedisRunner(ws)
    return InProcessRunner(ws)


def work(settings: Settings, *, burst: bool = False) -> bool:
    """Run an RQ worker on the configured queue (until stopped, or until empty with burst)."""
    from redis import Redis
    from rq import Queue, Worker

    if not settings.queue_url:
        raise ConflictError("no queue is configured: set TEJIDO_QUEUE_URL=redis://host:6379/0")
    connection = Redis.from_url(settings.queue_url)
    queue = Queue(settings.queue_name, connection=connection)
    worker = Worker([queue], connection=connection)
    return bool(worker.work(burst=burst, with_scheduler=False))
