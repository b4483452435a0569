"""Who may call which route: one table, enforced by one dependency on every router.

A route missing from ``ACCESS`` is refused to everybody (and a test generated from the
app's route table fails), so a new route cannot ship without a rule. ``anonymous`` means
anyone, signed in or not. A bearer token (scripts) acts as an analyst.

State-changing requests (POST, PUT, PATCH, DELETE) of a signed-in browser must carry the
session's CSRF token, as the ``X-CSRF-Token`` header or a ``csrf_token`` form field.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request

from tejido import accounts
from tejido.accounts import User
from tejido.contactmap.view import Viewer
from tejido.errors import ForbiddenError, PasswordChangeRequired, UnauthorizedError
from tejido.store.models import Role
from tejido.workspace import Workspace

__all__ = [
    "ACCESS",
    "ADMIN",
    "ANONYMOUS",
    "EVERYONE",
    "SESSION_COOKIE",
    "SIGNED_IN",
    "Caller",
    "CallerDep",
    "authorize",
    "caller",
]

SESSION_COOKIE = "tejido_session"
ANONYMOUS = "anonymous"
TOKEN = "token"
ADMIN, ANALYST, REVIEWER, EMPLOYEE = (r.value for r in Role)
SIGNED_IN = frozenset({ADMIN, ANALYST, REVIEWER, EMPLOYEE, TOKEN})
EVERYONE = SIGNED_IN | {ANONYMOUS}
USERS = SIGNED_IN - {TOKEN}  # people signed in to the web app
MAP_READERS = frozenset({ADMIN, ANALYST, EMPLOYEE, TOKEN})  # employees see their own view
ANALYSTS = frozenset({ADMIN, ANALYST, TOKEN})
ADMINS = frozenset({ADMIN})
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# All an account whose password an admin reset may do until it chooses its own.
FIRST_PASSWORD = frozenset({"/me", "/me/password", "/logout", "/language", "/login"})

ACCESS: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/api/health"): EVERYONE,
    ("GET", "/api/openapi.json"): ANALYSTS,
    ("GET", "/api/snapshot"): ANALYSTS,
    ("GET", "/api/degrees"): MAP_READERS,
    ("GET", "/api/coverage"): MAP_READERS,
    ("GET", "/api/coverage/{org}"): MAP_READERS,
    ("GET", "/api/paths"): MAP_READERS,
    ("GET", "/api/prospects"): MAP_READERS,
    ("PUT", "/api/relations"): ANALYSTS,
    ("GET", "/api/export"): ANALYSTS,
    ("GET", "/api/influence"): MAP_READERS,
    ("GET", "/api/communities"): MAP_READERS,
    ("GET", "/api/hidden-hubs"): MAP_READERS,
    ("GET", "/api/engagement"): MAP_READERS,
    ("GET", "/api/topics"): MAP_READERS,
    ("GET", "/api/ambassadors"): MAP_READERS,
    ("GET", "/api/reach"): MAP_READERS,
    ("GET", "/api/plan"): MAP_READERS,
    ("GET", "/api/suspicious"): MAP_READERS,
    ("GET", "/login"): EVERYONE,
    ("POST", "/login"): EVERYONE,
    ("POST", "/logout"): USERS,
    ("POST", "/language"): EVERYONE - {TOKEN},
    ("GET", "/"): USERS,
    ("GET", "/admin/audit"): ADMINS,
    ("GET", "/organisations"): MAP_READERS - {TOKEN},
    ("GET", "/organisations/{org}"): MAP_READERS - {TOKEN},
    ("GET", "/people"): MAP_READERS - {TOKEN},
    ("GET", "/people/{person}"): MAP_READERS - {TOKEN},
    ("GET", "/map"): MAP_READERS - {TOKEN},
    ("GET", "/influence"): MAP_READERS - {TOKEN},
    ("GET", "/communities"): MAP_READERS - {TOKEN},
    ("GET", "/plan"): MAP_READERS - {TOKEN},
    ("GET", "/people/{person}/influence"): MAP_READERS - {TOKEN},
    ("GET", "/api/map"): MAP_READERS,
    # Everyone signed in: their own data, consent and uploads; their own jobs.
    ("GET", "/me"): USERS,
    ("POST", "/me/uploads"): USERS,
    ("POST", "/me/consent"): USERS,
    ("POST", "/me/erase"): USERS,
    ("POST", "/me/password"): USERS,
    ("GET", "/jobs/{job}"): USERS,
    ("GET", "/api/jobs/{job}"): USERS,
    ("GET", "/employees"): ANALYSTS - {TOKEN},
    ("GET", "/imports"): ADMINS,
    ("POST", "/imports"): ADMINS,
    ("POST", "/imports/{upload}/erase"): ADMINS,
    ("POST", "/imports/contact-map"): ADMINS,
    ("GET", "/admin/users"): ADMINS,
    ("POST", "/admin/users"): ADMINS,
    ("POST", "/admin/users/{user}/role"): ADMINS,
    ("POST", "/admin/users/{user}/password"): ADMINS,
}


@dataclass(frozen=True)
class Caller:
    """Who is calling: an account (by session cookie), a script (by token), or nobody."""

    role: str
    user: User | None = None
    csrf: str | None = None

    @property
    def signed_in(self) -> bool:
        return self.role != ANONYMOUS

    @property
    def name(self) -> str:
        """How the audit log names this caller."""
        return (
            self.user.email if self.user else ("api-token" if self.role == TOKEN else "anonymous")
        )

    def viewer(self) -> Viewer:
        """The contact map as this caller may see it."""
        if self.user is None:
            return Viewer("analyst")
        return Viewer(self.user.role.value, self.user.person_id)


def _workspace(request: Request) -> Workspace:
    ws: Workspace = request.app.state.workspace
    return ws


def caller(
    request: Request,
    ws: Annotated[Workspace, Depends(_workspace)],
    authorization: Annotated[str | None, Header()] = None,
) -> Caller:
    """The caller of this request (cached by FastAPI for the request)."""
    if authorization:
        from tejido.web.deps import api_token

        scheme, _, given = authorization.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip(), api_token(ws)):
            raise UnauthorizedError("a valid bearer token is required (Authorization: Bearer …)")
        return Caller(TOKEN)
    found = accounts.session_user(ws.store, request.cookies.get(SESSION_COOKIE))
    if found is None:
        return Caller(ANONYMOUS)
    user, csrf = found
    return Caller(user.role.value, user, csrf)


CallerDep = Annotated[Caller, Depends(caller)]


async def authorize(request: Request, who: CallerDep) -> Caller:
    """Refuse what ``ACCESS`` does not allow this caller; check CSRF on state changes."""
    route = request.scope.get("route")
    path = str(getattr(route, "path", request.url.path))
    allowed = ACCESS.get((request.method, path))
    if allowed is None:
        raise ForbiddenError(f"{request.method} {path} has no access rule")
    if who.role not in allowed:
        if not who.signed_in:
            raise UnauthorizedError("sign in first")
        raise ForbiddenError(f"a {who.role} may not {request.method} {path}")
    if who.user is not None and who.user.must_change_password and path not in FIRST_PASSWORD:
        raise PasswordChangeRequired("choose a new password first (an admin reset yours)")
    if request.method in UNSAFE and who.user is not None:
        sent = request.headers.get("x-csrf-token")
        if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            sent = str((await request.form()).get("csrf_token") or "")
        if not sent or who.csrf is None or not hmac.compare_digest(sent, who.csrf):
            raise ForbiddenError("this form has expired or did not come from Tejido (CSRF)")
    return who
