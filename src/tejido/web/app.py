"""The FastAPI application: the JSON API under ``/api``, one error shape for every failure."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from tejido.errors import BadInputError, TejidoError
from tejido.web.api import contactmap
from tejido.web.deps import api_token
from tejido.workspace import Workspace

__all__ = ["create_app"]


def create_app(ws: Workspace) -> FastAPI:
    """The app serving ``ws``; its API token is made now if the workspace has none."""
    app = FastAPI(
        title="Tejido API",
        version="0.1.0",
        description="The contact map of a company's people: reach, coverage, warm paths.",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.workspace = ws
    api_token(ws)

    @app.exception_handler(TejidoError)
    def tejido_error(_request: Request, exc: TejidoError) -> JSONResponse:
        return JSONResponse(exc.to_dict(), status_code=exc.http_status)

    @app.exception_handler(RequestValidationError)
    def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()) if x not in ("query", "body"))
        error = BadInputError(str(first.get("msg", "invalid request")), field=where or None)
        return JSONResponse(error.to_dict(), status_code=error.http_status)

    @app.get("/api/health", tags=["service"])
    def health() -> dict[str, str]:
        """Liveness: answers without a token and says nothing about the data."""
        return {"status": "ok"}

    app.include_router(contactmap.router, prefix="/api")
    return app
