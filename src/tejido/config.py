"""Settings: where the workspace lives and which database holds the store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from tejido.contactmap.tie_strength import StrengthWeights

__all__ = ["Settings", "default_database_url"]

DEFAULT_WORKSPACE = Path("tejido-workspace")


def default_database_url(workspace: Path) -> str:
    """The embedded default: one SQLite file inside the workspace folder."""
    return f"sqlite:///{(workspace / 'tejido.db').resolve()}"


class Settings(BaseSettings):
    """Read from ``TEJIDO_*`` environment variables; arguments win over the environment.

    >>> Settings(workspace=Path("/tmp/w")).resolved_database_url()
    'sqlite:////tmp/w/tejido.db'
    """

    model_config = SettingsConfigDict(
        env_prefix="TEJIDO_", extra="ignore", env_nested_delimiter="__"
    )

    workspace: Path = Field(
        default=DEFAULT_WORKSPACE,
        description="Folder holding the SQLite store, caches and generated files.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the store; a SQLite file in the workspace when unset.",
    )
    max_upload_bytes: int = Field(
        default=2 * 1024**3,
        description="Largest total uncompressed size accepted from one upload (zip bomb guard).",
    )

    strength: StrengthWeights = Field(
        default_factory=StrengthWeights,
        description="Weights and scales of the tie-strength formula "
        "(TEJIDO_STRENGTH__MESSAGES=0.9 and so on; see docs/contact-map.md).",
    )
    as_of: dt.date | None = Field(
        default=None,
        description="Date the contact map scores recency against (default: today).",
    )
    api_token: str | None = Field(
        default=None,
        description="Bearer token the REST API asks for; `tejido serve` makes one in the "
        "workspace when unset.",
    )

    secure_cookies: bool = Field(
        default=True,
        description="Send the web app's cookies only over HTTPS (browsers treat localhost "
        "as secure); turn off only behind a proxy that cannot speak HTTPS.",
    )

    queue_url: str | None = Field(
        default=None,
        description="Redis URL of the job queue (e.g. redis://127.0.0.1:6379/0); jobs run "
        "in RQ workers started by `tejido worker`. Unset: a thread of the web app runs them.",
    )
    queue_name: str = Field(default="tejido", description="Name of the RQ queue of jobs.")
    job_timeout: int = Field(
        default=6 * 3600, description="Seconds a queued job may run before RQ stops it."
    )

    dask_scheduler: str | None = Field(
        default=None,
        description="Address of a Dask scheduler (e.g. tcp://10.0.0.5:8786) whose workers "
        "draw the RR sets and Monte-Carlo runs of diffusion. Unset: threads on this machine.",
    )

    def resolved_database_url(self) -> str:
        return self.database_url or default_database_url(self.workspace)
