"""Rendering pages: the templates, with autoescaping and the gettext markers in place."""

from __future__ import annotations

from functools import cache
from gettext import NullTranslations
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from tejido.errors import ForbiddenError, TejidoError
from tejido.web.access import ANONYMOUS, Caller
from tejido.web.i18n import choose, translations
from tejido.web.pages.labels import labels, reasons_text, stage_text

__all__ = ["LANGUAGE_COOKIE", "error_page", "language", "render", "texts"]

LANGUAGE_COOKIE = "tejido_lang"
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@cache
def _environment(lang: str) -> Environment:
    """One environment per language: installing translations per request would race."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
    )
    t = translations(lang)
    env.install_gettext_translations(t, newstyle=True)  # type: ignore[attr-defined]
    # Stored values (consent levels, job states, relation classes) by their names.
    env.globals["names"] = labels(t)
    env.filters["stage"] = lambda stage: stage_text(t, stage)
    env.filters["reasons"] = lambda parts: reasons_text(t, parts)
    return env


def language(request: Request, who: Caller) -> str:
    """The user's language, else the one chosen on this browser, else Accept-Language."""
    chosen = who.user.language if who.user else None
    return choose(request.headers.get("accept-language"),
                  chosen or request.cookies.get(LANGUAGE_COOKIE))  # fmt: skip


def texts(request: Request, who: Caller) -> NullTranslations:
    """The translations for this request (for messages made in Python)."""
    return translations(language(request, who))


def render(
    request: Request, who: Caller, template: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """A page for ``who``, in their language (their CSRF token goes into every form)."""
    lang = language(request, who)
    page = (
        _environment(lang)
        .get_template(template)
        .render(user=who.user, csrf=who.csrf or "", lang=lang, request=request, **context)
    )
    return HTMLResponse(page, status_code=status, headers=_HEADERS)


def error_page(request: Request, exc: TejidoError) -> HTMLResponse:
    """A library error shown as a page (in the caller's language where it is known)."""
    who = Caller(ANONYMOUS)
    _ = texts(request, who).gettext
    titles = {403: _("Not allowed"), 404: _("Not found"), 409: _("Conflict"),
              422: _("Something in the request is wrong"), 429: _("Too many attempts")}  # fmt: skip
    title = titles.get(exc.http_status, _("Something went wrong"))
    if isinstance(exc, ForbiddenError) and "CSRF" in exc.message:
        message = _("This form has expired; please try again.")
    else:
        message = exc.message
    return render(request, who, "error.html", exc.http_status, title=title,
                  message=message, code=exc.http_status)  # fmt: skip


# Pages never embed elsewhere and never load scripts from elsewhere.
_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
