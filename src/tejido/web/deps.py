"""What every API route depends on: the workspace, the caller (by bearer token), the viewer."""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Header, Request

from tejido.contactmap.service import ContactMapService
from tejido.contactmap.view import Viewer
from tejido.errors import UnauthorizedError
from tejido.workspace import Workspace

__all__ = ["MapDep", "ViewerDep", "WorkspaceDep", "api_token", "require_token"]


def api_token(ws: Workspace) -> str:
    """The token the API asks for: the setting, else ``WORKSPACE/api-token`` (made once)."""
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


def require_token(
    ws: WorkspaceDep, authorization: Annotated[str | None, Header()] = None
) -> Viewer:
    """The caller of an API route: a bearer token gives the analyst's view."""
    scheme, _, given = (authorization or "").partition(" ")
    expected = api_token(ws)
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip(), expected):
        raise UnauthorizedError("a valid bearer token is required (Authorization: Bearer …)")
    return Viewer(role="analyst")


ViewerDep = Annotated[Viewer, Depends(require_token)]


def _map_service(ws: WorkspaceDep) -> ContactMapService:
    return ws.contact_map


MapDep = Annotated[ContactMapService, Depends(_map_service)]
