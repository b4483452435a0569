"""What routes depend on: the workspace, the authorized caller and the viewer they are."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

from tejido.contactmap.service import ContactMapService
from tejido.contactmap.view import Viewer
from tejido.jobs import Runner
from tejido.web.access import Caller, authorize
from tejido.workspace import Workspace

__all__ = ["AuthorizedDep", "MapDep", "RunnerDep", "ViewerDep", "WorkspaceDep", "api_token"]


def api_token(ws: Workspace) -> str:
    """The token scripts use: the setting, else ``WORKSPACE/api-token`` (made once, 0600)."""
    if ws.settings.api_token:
        return ws.settings.api_token
    path: Path = ws.path / "api-token"
    if not path.exists():
        token = secrets.token_urlsafe(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(token + "\n")
    return path.read_text(encoding="utf-8").strip()


def _workspace(request: Request) -> Workspace:
    ws: Workspace = request.app.state.workspace
    return ws


WorkspaceDep = Annotated[Workspace, Depends(_workspace)]
AuthorizedDep = Annotated[Caller, Depends(authorize)]


def _viewer(who: AuthorizedDep) -> Viewer:
    return who.viewer()


ViewerDep = Annotated[Viewer, Depends(_viewer)]


def _map_service(ws: WorkspaceDep) -> ContactMapService:
    return ws.contact_map


MapDep = Annotated[ContactMapService, Depends(_map_service)]


def _runner(request: Request) -> Runner:
    runner: Runner = request.app.state.runner
    return runner


RunnerDep = Annotated[Runner, Depends(_runner)]
