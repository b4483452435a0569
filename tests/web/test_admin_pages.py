"""Administration pages: users (create, role, password reset), imports (upload of any
kind, errors by file and line, erasure) and employees with their consent levels."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from jobkit import CARMEN, LINKEDIN_ZIP, staff
from tejido import accounts
from tejido.web.access import SESSION_COOKIE
from tejido.web.app import create_app
from tejido.workspace import Workspace

PASSWORD = "a long enough secret"


@pytest.fixture
def admin(sqlite_workspace: Workspace, tmp_path: Path) -> Iterator[TestClient]:
    ws = sqlite_workspace
    staff(ws, tmp_path)
    app = create_app(ws)
    user = accounts.create_user(ws.store, "boss@tejido-sample.example", PASSWORD, "admin")
    token, csrf = accounts.open_session(ws.store, user)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as c:
        c.cookies.set(SESSION_COOKIE, token)
        c.headers["X-CSRF-Token"] = csrf
        yield c


def wait(c: TestClient, location: str) -> dict[str, object]:
    job_id = location.rsplit("/", 1)[1]
    for _ in range(1200):
        state = c.get(f"/api/jobs/{job_id}").json()
        if state["status"] in ("done", "failed"):
            return dict(state)
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not end")


def test_users_are_created_given_roles_and_reset(admin: TestClient) -> None:
    ws: Workspace = admin.app.state.workspace  # type: ignore[attr-defined]
    page = admin.post("/admin/users", data={"email": "Ana@Acme.example", "name": "Ana",
                                            "role": "analyst"})  # fmt: skip
    assert page.status_code == 201
    issued = re.search(r"<code>([^<]+)</code>", page.text).group(1)  # type: ignore[union-attr]
    ana = accounts.authenticate(ws.store, "ana@acme.example", issued)
    assert ana.role.value == "analyst"
    again = admin.post("/admin/users", data={"email": "ana@acme.example", "role": "analyst"})
    assert again.status_code == 400 and "exists already" in again.text
    r = admin.post(f"/admin/users/{ana.id}/role", data={"role": "reviewer"})
    assert r.status_code == 200 and accounts.find_user(ws.store, ana.email).role.value == "reviewer"
    me = accounts.find_user(ws.store, "boss@tejido-sample.example")
    r = admin.post(f"/admin/users/{me.id}/role", data={"role": "employee"})
    assert r.status_code == 400 and accounts.find_user(ws.store, me.email).role.value == "admin"
    r = admin.post(f"/admin/users/{ana.id}/password")
    temporary = re.search(r"<code>([^<]+)</code>", r.text).group(1)  # type: ignore[union-attr]
    assert temporary != issued
    assert accounts.authenticate(ws.store, ana.email, temporary).email == ana.email
    assert admin.post("/admin/users/999999/password").status_code == 404
    actions = accounts.audit_log(ws.store, limit=10)["action"].tolist()
    assert {"user.create", "user.role", "user.reset_password"} <= set(actions)
    listing = admin.get("/admin/users").text
    assert "ana@acme.example" in listing and "Reviewer" in listing


def test_imports_show_counts_errors_by_line_and_erase(admin: TestClient, samples: Path) -> None:
    ws: Workspace = admin.app.state.workspace  # type: ignore[attr-defined]
    bad = b"Name,Email\nZoe,not an e-mail\n"
    with (samples / LINKEDIN_ZIP).open("rb") as f:
        r = admin.post("/imports", data={"kind": "linkedin", "employee": CARMEN},
                       files=[("files", (LINKEDIN_ZIP, f.read(), "application/zip")),
                              ("files", ("bad.csv", bad, "text/csv"))])  # fmt: skip
    assert r.status_code == 303
    state = wait(admin, r.headers["location"])
    assert state["status"] == "done" and len(state["errors"]) == 1  # type: ignore[arg-type]
    page = admin.get("/imports").text
    assert LINKEDIN_ZIP in page and "7 connections" in page and "Carmen Ortega Vidal" in page
    assert "bad.csv" in page  # the job's error, by file
    roster = b"Name,Email,Consent\nZoe,zoe@tejido-sample.example,maybe\n"
    r = admin.post("/imports", data={"kind": "roster"},
                   files=[("files", ("roster2.csv", roster, "text/csv"))])  # fmt: skip
    state = wait(admin, r.headers["location"])
    (error,) = state["errors"]  # type: ignore[misc]
    assert (error["file"], error["line"], error["field"]) == ("roster2.csv", 2, "Consent")
    assert "line 2" in admin.get("/imports").text
    with ws.store.read() as conn:
        upload = conn.execute(text("SELECT id FROM upload WHERE kind = 'linkedin'")).scalar_one()
    r = admin.post(f"/imports/{upload}/erase")
    assert r.status_code == 303 and r.headers["location"] == f"/imports?erased={upload}"
    with ws.store.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM connection")).scalar_one() == 0
    assert accounts.audit_log(ws.store, action="upload.erase").shape[0] == 1
    nonsense = admin.post("/imports", data={"kind": "nonsense"},
                          files=[("files", ("x.csv", b"a", "text/csv"))])  # fmt: skip
    assert nonsense.status_code == 400


def test_employees_page_shows_consent_levels(admin: TestClient) -> None:
    page = admin.get("/employees")
    assert page.status_code == 200
    assert '<span data-consent="private">Private: 1</span>' in page.text
    assert '<span data-consent="named">Named: 1</span>' in page.text
    assert "Carmen Ortega Vidal" in page.text and "Engineering" in page.text
    spanish = admin.get("/employees", headers={"Accept-Language": "es"})
    assert "Con nombre: 1" in spanish.text


def test_the_contact_map_is_rebuilt_in_the_background(admin: TestClient) -> None:
    r = admin.post("/imports/contact-map")
    assert r.status_code == 303
    state = wait(admin, r.headers["location"])
    assert state["status"] == "done" and state["result"]["people"] == 2  # type: ignore[index]
    page = admin.get(r.headers["location"]).text
    assert 'data-status="done"' in page and "Contact map" in page


def test_after_a_reset_the_user_must_choose_a_password_first(admin: TestClient) -> None:
    ws: Workspace = admin.app.state.workspace  # type: ignore[attr-defined]
    ana = accounts.create_user(ws.store, "ana@acme.example", PASSWORD, "analyst")
    temporary = accounts.reset_password(ws.store, ana.email, actor="boss")
    user = accounts.authenticate(ws.store, ana.email, temporary)
    token, csrf = accounts.open_session(ws.store, user)
    c = TestClient(admin.app, base_url="https://testserver", follow_redirects=False)
    c.cookies.set(SESSION_COOKIE, token)
    c.headers["X-CSRF-Token"] = csrf
    for path in ("/", "/organisations", "/employees"):
        r = c.get(path)
        assert r.status_code == 303 and r.headers["location"] == "/me#password", path
    assert c.get("/api/coverage").status_code == 403
    assert 'id="change-first"' in c.get("/me").text
    r = c.post("/me/password", data={"current": temporary, "new": "my very own secret"})
    assert r.status_code == 303 and r.headers["location"] == "/login"
    again = accounts.authenticate(ws.store, ana.email, "my very own secret")
    assert not again.must_change_password
    token, _csrf = accounts.open_session(ws.store, again)
    c.cookies.set(SESSION_COOKIE, token)
    assert c.get("/").status_code == 200
