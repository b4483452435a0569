"""Administration: users and their roles (password resets included), and the employees
with the consent each chose."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from tejido import accounts, employees
from tejido.accounts import User
from tejido.errors import ConflictError, NotFoundError, TejidoError
from tejido.store.models import Role
from tejido.web.access import Caller, authorize
from tejido.web.deps import AuthorizedDep, WorkspaceDep
from tejido.web.pages.render import render, texts
from tejido.workspace import Workspace

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(authorize)], include_in_schema=False)
ROLES = tuple(r.value for r in Role)


def _users_page(
    request: Request, who: Caller, ws: Workspace, status: int = 200, **extra: Any
) -> Response:
    users = accounts.list_users(ws.store)
    return render(request, who, "users.html", status, users=users, roles=ROLES, **extra)


def _user(ws: Workspace, user_id: int) -> User:
    found = next((u for u in accounts.list_users(ws.store) if u.id == user_id), None)
    if found is None:
        raise NotFoundError(f"no user {user_id}")
    return found


@router.get("/admin/users", response_class=HTMLResponse)
def users(request: Request, who: AuthorizedDep, ws: WorkspaceDep) -> Response:
    return _users_page(request, who, ws)


@router.post("/admin/users", response_class=HTMLResponse)
def add_user(
    request: Request,
    who: AuthorizedDep,
    ws: WorkspaceDep,
    email: Annotated[str, Form(max_length=320)] = "",
    name: Annotated[str, Form(max_length=256)] = "",
    role: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """A new account with a temporary password, shown once to the admin to pass on."""
    _ = texts(request, who).gettext
    temporary = secrets.token_urlsafe(12)
    try:
        user = accounts.create_user(ws.store, email, temporary, role,
                                    display_name=name.strip() or None, actor=who.name)  # fmt: skip
    except TejidoError as exc:
        return _users_page(request, who, ws, 400, error=exc.message)
    return _users_page(request, who, ws, 201, issued={"email": user.email, "password": temporary},
                       notice=_("Account created."))  # fmt: skip


@router.post("/admin/users/{user}/role", response_class=HTMLResponse)
def change_role(
    request: Request,
    user: int,
    who: AuthorizedDep,
    ws: WorkspaceDep,
    role: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """Change a user's role; their sessions end. Admins cannot change their own role."""
    _ = texts(request, who).gettext
    target = _user(ws, user)
    try:
        if who.user is not None and target.id == who.user.id:
            raise ConflictError(_("You cannot change your own role."))
        accounts.set_role(ws.store, target.email, role, actor=who.name)
    except TejidoError as exc:
        return _users_page(request, who, ws, 400, error=exc.message)
    return _users_page(request, who, ws, notice=_("Role changed."))


@router.post("/admin/users/{user}/password", response_class=HTMLResponse)
def reset_password(request: Request, user: int, who: AuthorizedDep, ws: WorkspaceDep) -> Response:
    """A new temporary password for a user (shown once); their sessions end."""
    _ = texts(request, who).gettext
    target = _user(ws, user)
    temporary = accounts.reset_password(ws.store, target.email, actor=who.name)
    return _users_page(request, who, ws, issued={"email": target.email, "password": temporary},
                       notice=_("Password reset."))  # fmt: skip


@router.get("/employees", response_class=HTMLResponse)
def employee_list(request: Request, who: AuthorizedDep, ws: WorkspaceDep) -> Response:
    """Employees: department, consent level, and how many exports they uploaded."""
    rows = employees.list_employees(ws.store)
    return render(request, who, "employees.html", employees=rows,
                  counts=employees.consent_counts(ws.store))  # fmt: skip
