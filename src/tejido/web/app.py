"""The FastAPI application: the JSON API under ``/api``, one error shape for every failure."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from tejido.errors import BadInputError, PasswordChangeRequired, TejidoError, UnauthorizedError
from tejido.jobs import Runner, runner_for
from tejido.web.api import contactmap, diffusion_api, graph, influence_api, jobs_api
from tejido.web.deps import api_token
from tejido.web.pages import (
    accounts_pages,
    admin_pages,
    auth,
    diffusion_pages,
    home,
    imports_pages,
    influence_pages,
    map_page,
    people_pages,
    self_service,
)
from tejido.web.pages.render import error_page
from tejido.workspace import Workspace

__all__ = ["STATIC", "create_app"]

STATIC = Path(__file__).resolve().parent / "static"


def create_app(ws: Workspace, *, runner: Runner | None = None) -> FastAPI:
    """The app serving ``ws``; its API token is made now if the workspace has none.

    Jobs (uploads, analyses) go to ``runner``: by default RQ when a queue is configured,
    else a background thread of this process.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.runner.close()

    app = FastAPI(
        lifespan=lifespan,
        title="Tejido API",
        version="0.1.0",
        description="The contact map of a company's people: reach, coverage, warm paths.",
        # Served by a route of our own, behind the access rules.
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.workspace = ws
    app.state.runner = runner or runner_for(ws)
    api_token(ws)

    @app.exception_handler(TejidoError)
    def tejido_error(request: Request, exc: TejidoError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse(exc.to_dict(), status_code=exc.http_status)
        if isinstance(exc, UnauthorizedError):
            return RedirectResponse("/login", status_code=303)  # a page: sign in first
        if isinstance(exc, PasswordChangeRequired):
            return RedirectResponse("/me#password", status_code=303)
        return error_page(request, exc)

    @app.exception_handler(RequestValidationError)
    def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()) if x not in ("query", "body"))
        error = BadInputError(str(first.get("msg", "invalid request")), field=where or None)
        return JSONResponse(error.to_dict(), status_code=error.http_status)

    # Libraries and the pages' own scripts: no data, served to anyone (the sign-in page too).
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(contactmap.router)
    app.include_router(auth.router)
    app.include_router(home.router)
    app.include_router(accounts_pages.router)
    app.include_router(people_pages.router)
    app.include_router(graph.router)
    app.include_router(map_page.router)
    app.include_router(influence_pages.router)
    app.include_router(diffusion_pages.router)
    app.include_router(jobs_api.router)
    app.include_router(influence_api.router)
    app.include_router(diffusion_api.router)
    app.include_router(self_service.router)
    app.include_router(imports_pages.router)
    app.include_router(admin_pages.router)

    return app
