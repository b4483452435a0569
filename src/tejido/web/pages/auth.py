"""Signing in and out."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tejido import accounts
from tejido.errors import TooManyAttemptsError, UnauthorizedError
from tejido.web.access import SESSION_COOKIE, authorize
from tejido.web.deps import AuthorizedDep, WorkspaceDep
from tejido.web.pages.render import LANGUAGE_COOKIE, render, texts

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(authorize)], include_in_schema=False)
LOGIN_COOKIE = "tejido_login"  # double-submit token of the sign-in form (no session yet)


def _cookie(response: Response, ws: WorkspaceDep, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="lax",
                        secure=ws.settings.secure_cookies, path="/")  # fmt: skip


def _client(request: Request) -> str | None:
    return request.client.host if request.client else None


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, who: AuthorizedDep, ws: WorkspaceDep) -> Response:
    if who.user is not None:
        return RedirectResponse("/", status_code=303)
    token = secrets.token_urlsafe(24)
    page = render(request, who, "login.html", login_csrf=token)
    _cookie(page, ws, LOGIN_COOKIE, token, 3600)
    return page


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    who: AuthorizedDep,
    ws: WorkspaceDep,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form(max_length=128)] = "",
) -> Response:
    expected = request.cookies.get(LOGIN_COOKIE, "")
    fresh = secrets.token_urlsafe(24)
    _ = texts(request, who).gettext

    def again(message: str, status: int) -> Response:
        page = render(request, who, "login.html", status, login_csrf=fresh, error=message,
                      email=email)  # fmt: skip
        _cookie(page, ws, LOGIN_COOKIE, fresh, 3600)
        return page

    if not expected or not hmac.compare_digest(csrf_token, expected):
        return again(_("This form has expired; please try again."), 403)
    try:
        user = accounts.authenticate(ws.store, email, password, ip=_client(request))
    except TooManyAttemptsError as exc:
        return again(_("Too many failed sign-ins; try again in 15 minutes."), exc.http_status)
    except UnauthorizedError as exc:
        return again(_("Wrong e-mail or password."), exc.http_status)
    token, _csrf = accounts.open_session(ws.store, user, ip=_client(request))
    response = RedirectResponse("/", status_code=303)
    _cookie(response, ws, SESSION_COOKIE, token, accounts.SESSION_HOURS * 3600)
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(request: Request, who: AuthorizedDep, ws: WorkspaceDep) -> Response:
    accounts.close_session(ws.store, request.cookies.get(SESSION_COOKIE), actor=who.name)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/language")
def set_language(
    request: Request,
    who: AuthorizedDep,
    ws: WorkspaceDep,
    lang: Annotated[str, Form(pattern="^(en|es)$")],
    back: Annotated[str, Form(max_length=512)] = "/",
) -> Response:
    """Choose the language: kept on the account when signed in, else on this browser."""
    if who.user is not None:
        accounts.set_language(ws.store, who.user, lang)
    target = back if back.startswith("/") and not back.startswith("//") else "/"
    response = RedirectResponse(target, status_code=303)
    _cookie(response, ws, LANGUAGE_COOKIE, lang, 365 * 24 * 3600)
    return response
