"""The app's route table: every (method, path) it answers, routers included.

Tests generate their checks from it (authentication on every data route now; every role
on every route later), so that a new route without a rule fails a test.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.routing import BaseRoute, Route

__all__ = ["route_table"]


def _walk(routes: list[BaseRoute], prefix: str, out: list[tuple[str, str]]) -> None:
    for route in routes:
        included: Any = getattr(route, "original_router", None)
        if included is not None:
            # FastAPI keeps an included router lazily; its prefix is in the include context.
            context: Any = getattr(route, "include_context", None)
            _walk(included.routes, prefix + str(getattr(context, "prefix", "")), out)
        elif isinstance(route, Route):
            for method in sorted(route.methods or {"GET"}):
                if method != "HEAD":
                    out.append((method, prefix + route.path))


def route_table(app: FastAPI) -> list[tuple[str, str]]:
    """Sorted (method, path) pairs of every route of ``app``.

    >>> import tempfile
    >>> from tejido.web.app import create_app
    >>> from tejido.workspace import Workspace
    >>> ("GET", "/api/paths") in route_table(create_app(Workspace(tempfile.mkdtemp())))
    True
    """
    out: list[tuple[str, str]] = []
    _walk(list(app.router.routes), "", out)
    return sorted(set(out))
