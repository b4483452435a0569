"""Rendering pages: the templates, with autoescaping and the gettext markers in place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from tejido.web.access import Caller

__all__ = ["render"]

_env = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parents[1] / "templates"),
    autoescape=select_autoescape(["html"]),
    extensions=["jinja2.ext.i18n"],
)
# English until the Spanish catalogue arrives; every text is already marked for it.
_env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]


def render(
    request: Request, who: Caller, template: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """A page for ``who`` (their CSRF token goes into every form)."""
    page = _env.get_template(template).render(
        user=who.user, csrf=who.csrf or "", lang="en", request=request, **context
    )
    return HTMLResponse(page, status_code=status, headers=_HEADERS)


# Pages never embed elsewhere and never load scripts from elsewhere.
_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
