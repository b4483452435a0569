"""An employee's own data: their consent, their uploads (with an explicit consent choice),
the erasure of everything they uploaded, their password; and the page of a job they run."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tejido import accounts, employees
from tejido.employees import EmployeeInfo
from tejido.errors import TejidoError, TooManyAttemptsError, UnauthorizedError
from tejido.jobs import list_jobs
from tejido.store.models import ConsentLevel
from tejido.web.access import Caller, authorize
from tejido.web.api.jobs_api import job_of
from tejido.web.deps import AuthorizedDep, RunnerDep, WorkspaceDep
from tejido.web.pages.render import render, texts
from tejido.web.uploads import submit_import
from tejido.workspace import Workspace

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(authorize)], include_in_schema=False)
OWN_KINDS = ("linkedin", "x")
LEVELS = tuple(level.value for level in ConsentLevel)


def _employee(request: Request, who: Caller, ws: Workspace) -> EmployeeInfo | Response:
    """The employee the signed-in account is, or the page saying it is none (409)."""
    assert who.user is not None
    me = employees.employee_of(ws.store, who.user)
    if me is not None:
        return me
    _ = texts(request, who).gettext
    message = _("Your account is not linked to an employee of the roster; ask an administrator.")
    return _me(request, who, ws, 409, error=message)


def _me(request: Request, who: Caller, ws: Workspace, status: int = 200, **extra: Any) -> Response:
    assert who.user is not None
    me = employees.employee_of(ws.store, who.user)
    return render(
        request, who, "me.html", status,
        employee=me, levels=LEVELS,
        uploads=employees.uploads_of(ws.store, me.person_id) if me else [],
        jobs=list_jobs(ws.store, created_by=who.user.email, limit=10),
        done=request.query_params.get("done"), **extra,
    )  # fmt: skip


@router.get("/me", response_class=HTMLResponse)
def me(request: Request, who: AuthorizedDep, ws: WorkspaceDep) -> Response:
    """What Tejido holds of the signed-in employee, and what they let it show."""
    return _me(request, who, ws)


@router.post("/me/uploads", response_class=HTMLResponse)
def upload(
    request: Request,
    who: AuthorizedDep,
    ws: WorkspaceDep,
    runner: RunnerDep,
    file: Annotated[UploadFile | None, File()] = None,
    kind: Annotated[str, Form(max_length=16)] = "",
    consent: Annotated[str, Form(max_length=24)] = "",
) -> Response:
    """Upload one's own LinkedIn export or X archive; it is imported in the background."""
    assert who.user is not None
    _ = texts(request, who).gettext
    me = _employee(request, who, ws)
    if isinstance(me, Response):
        return me
    if kind not in OWN_KINDS:
        return _me(request, who, ws, 400, error=_("Choose what kind of file this is."))
    if consent not in LEVELS:
        message = _("Choose what Tejido may show of your network before uploading.")
        return _me(request, who, ws, 400, error=message)
    try:
        job = submit_import(
            ws, runner, kind, [file] if file else [], actor=who.user.email,
            employee=me.email or who.user.email, consent=consent, user_id=who.user.id,
        )  # fmt: skip
    except TejidoError as exc:
        return _me(request, who, ws, 400, error=exc.message)
    return RedirectResponse(f"/jobs/{job}", status_code=303)


@router.post("/me/consent", response_class=HTMLResponse)
def consent(
    request: Request,
    who: AuthorizedDep,
    ws: WorkspaceDep,
    consent: Annotated[str, Form(max_length=24)] = "",
) -> Response:
    """Change what the company may see of one's network (takes effect at once)."""
    assert who.user is not None
    _ = texts(request, who).gettext
    me = _employee(request, who, ws)
    if isinstance(me, Response):
        return me
    if consent not in LEVELS:
        return _me(request, who, ws, 400, error=_("Choose one of the three levels."))
    employees.set_consent(ws.store, me.person_id, consent, actor=who.user.email)
    return RedirectResponse("/me?done=consent", status_code=303)


@router.post("/me/erase", response_class=HTMLResponse)
def erase(
    request: Request,
    who: AuthorizedDep,
    ws: WorkspaceDep,
    confirm: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Erase every export one uploaded, and all that only those exports said."""
    assert who.user is not None
    _ = texts(request, who).gettext
    me = _employee(request, who, ws)
    if isinstance(me, Response):
        return me
    if confirm != "yes":
        return _me(request, who, ws, 400, error=_("Tick the box to confirm the erasure."))
    employees.erase_own_uploads(ws.store, me.person_id, actor=who.user.email)
    return RedirectResponse("/me?done=erased", status_code=303)


@router.post("/me/password", response_class=HTMLResponse)
def password(
    request: Request,
    who: AuthorizedDep,
    ws: WorkspaceDep,
    current: Annotated[str, Form(max_length=1024)] = "",
    new: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    """Change one's own password (the current one is asked again); other sessions end."""
    assert who.user is not None
    _ = texts(request, who).gettext
    try:
        accounts.authenticate(ws.store, who.user.email, current,
                              ip=request.client.host if request.client else None)  # fmt: skip
    except (UnauthorizedError, TooManyAttemptsError):
        return _me(request, who, ws, 400, error=_("The current password is wrong."))
    if len(new) < accounts.MIN_PASSWORD:
        message = _("The new password needs at least %(n)s characters.")
        return _me(request, who, ws, 400, error=message % {"n": accounts.MIN_PASSWORD})
    accounts.set_password(ws.store, who.user.email, new, actor=who.user.email)
    return RedirectResponse("/login", status_code=303)


@router.get("/jobs/{job}", response_class=HTMLResponse)
def job_page(request: Request, job: int, who: AuthorizedDep, ws: WorkspaceDep) -> Response:
    """A background job: progress while it runs, then what it did and what went wrong."""
    return render(request, who, "job.html", job=job_of(ws, who, job))
