"""Long work in the background: imports and analyses run as jobs, never inside a request.

A job is a row of the store (``records``) that a runner executes (``runners``): a thread
of the serving process on the embedded default, or an RQ queue over Redis when
``TEJIDO_QUEUE_URL`` names one, with ``tejido worker`` processes doing the work.
"""

from tejido.jobs.records import JobRecord, create_job, get_job, list_jobs
from tejido.jobs.runners import InProcessRunner, RedisRunner, Runner, runner_for

__all__ = [
    "InProcessRunner",
    "JobRecord",
    "RedisRunner",
    "Runner",
    "create_job",
    "get_job",
    "list_jobs",
    "runner_for",
]
