"""An employee's own data through the web app: upload with an explicit consent choice (a
background job), see what came in, change consent, erase it all; and the job pages."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from jobkit import CARMEN, LINKEDIN_ZIP, X_ZIP, staff
from tejido import accounts
from tejido.jobs import get_job
from tejido.web.access import SESSION_COOKIE
from tejido.web.app import create_app
from tejido.workspace import Workspace

PASSWORD = "a long enough secret"


def signed_in(app: object, ws: Workspace, email: str, role: str) -> TestClient:
    user = accounts.create_user(ws.store, email, PASSWORD, role)
    token, csrf = accounts.open_session(ws.store, user)
    c = TestClient(app, base_url="https://testserver", follow_redirects=False)  # type: ignore[arg-type]
    c.cookies.set(SESSION_COOKIE, token)
    c.headers["X-CSRF-Token"] = csrf
    return c


@pytest.fixture
def site(workspace: Workspace, tmp_path: Path) -> Iterator[tuple[Workspace, TestClient]]:
    staff(workspace, tmp_path)
    app = create_app(workspace)
    with TestClient(app):  # runs the app's lifespan: its job runner stops at the end
        yield workspace, signed_in(app, workspace, CARMEN, "employee")


def finished(c: TestClient, location: str) -> str:
    """The job page once the job ended (as the page's script would reload it)."""
    job_id = int(location.rsplit("/", 1)[1])
    for _ in range(1200):
        state = c.get(f"/api/jobs/{job_id}").json()
        if state["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    page = c.get(location)
    assert page.status_code == 200
    return page.text


def upload(c: TestClient, path: Path, kind: str, consent: str | None) -> object:
    data = {"kind": kind} | ({"consent": consent} if consent else {})
    with path.open("rb") as f:
        return c.post("/me/uploads", data=data, files={"file": (path.name, f, "application/zip")})


def consent_of(ws: Workspace) -> str:
    with ws.store.read() as conn:
        return str(conn.execute(text("SELECT consent FROM employee WHERE email = :e"),
                                {"e": CARMEN}).scalar_one())  # fmt: skip


def test_upload_with_a_consent_choice_is_imported_counted_and_erasable(
    site: tuple[Workspace, TestClient], samples: Path
) -> None:
    ws, c = site
    me = c.get("/me")
    assert me.status_code == 200 and "What Tejido may show of your network" in me.text
    assert "You have not uploaded anything yet." in me.text
    r = upload(c, samples / LINKEDIN_ZIP, "linkedin", "existence_only")
    assert r.status_code == 303 and r.headers["location"].startswith("/jobs/")
    page = finished(c, r.headers["location"])
    assert 'data-status="done"' in page and '<span data-count="connections">7 connections' in page
    assert consent_of(ws) == "existence_only"
    r = upload(c, samples / X_ZIP, "x", "existence_only")
    assert 'data-status="done"' in finished(c, r.headers["location"])
    me = c.get("/me").text
    assert me.count("<tr data-upload=") == 2 and LINKEDIN_ZIP in me and X_ZIP in me
    assert "Now: Existence only." in me

    r = c.post("/me/consent", data={"consent": "named"})
    assert r.status_code == 303 and consent_of(ws) == "named"
    assert "Now: Named." in c.get("/me").text

    version = ws.store.version()
    assert c.post("/me/erase", data={}).status_code == 400  # not confirmed: nothing goes
    assert ws.store.version() == version
    r = c.post("/me/erase", data={"confirm": "yes"})
    assert r.status_code == 303 and r.headers["location"] == "/me?done=erased"
    with ws.store.read() as conn:
        left = conn.execute(text("SELECT count(*) FROM upload WHERE kind IN ('linkedin', 'x')"))
        assert left.scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM connection")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM interaction")).scalar_one() == 0
        # Carmen stays an employee (the roster lists her), with her choice.
        assert consent_of(ws) == "named"
    actions = accounts.audit_log(ws.store, limit=10)["action"].tolist()
    assert actions[:3] == ["erase.own", "consent", "upload"]


def test_no_upload_without_an_explicit_consent_choice(
    site: tuple[Workspace, TestClient], samples: Path
) -> None:
    ws, c = site
    r = upload(c, samples / LINKEDIN_ZIP, "linkedin", None)
    assert r.status_code == 400 and "Choose what Tejido may show" in r.text  # type: ignore[attr-defined]
    r = upload(c, samples / LINKEDIN_ZIP, "linkedin", "everything")
    assert r.status_code == 400  # type: ignore[attr-defined]
    r = upload(c, samples / LINKEDIN_ZIP, "crm", "named")
    assert r.status_code == 400  # type: ignore[attr-defined]
    with ws.store.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM job")).scalar_one() == 0
    assert list((ws.path / "incoming").glob("*/*")) == []


def test_a_broken_export_is_reported_by_file_and_line(
    site: tuple[Workspace, TestClient], tmp_path: Path
) -> None:
    _ws, c = site
    bad = tmp_path / "Connections.csv"
    bad.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                   "Ana,Ruiz,https://www.linkedin.com/in/ana-ruiz,,Acme,CTO,31 Feb 2024\n",
                   encoding="utf-8")  # fmt: skip
    r = upload(c, bad, "linkedin", "named")
    page = finished(c, r.headers["location"])  # type: ignore[attr-defined]
    assert 'data-status="failed"' in page
    row = re.search(r'<table id="job-errors".*?<tbody>(.*?)</tbody>', page, re.S).group(1)  # type: ignore[union-attr]
    assert "<td>Connections.csv</td><td>2</td><td>Connected On</td>" in row


def test_jobs_are_seen_by_their_owner_and_admins_only(
    site: tuple[Workspace, TestClient], samples: Path
) -> None:
    ws, c = site
    r = upload(c, samples / LINKEDIN_ZIP, "linkedin", "named")
    location = r.headers["location"]  # type: ignore[attr-defined]
    finished(c, location)
    job_id = int(location.rsplit("/", 1)[1])
    app = c.app
    other = signed_in(app, ws, "lucia.fernandez@tejido-sample.example", "employee")
    assert other.get(location).status_code == 404
    assert other.get(f"/api/jobs/{job_id}").status_code == 404
    admin = signed_in(app, ws, "boss@tejido-sample.example", "admin")
    assert admin.get(f"/api/jobs/{job_id}").json()["status"] == "done"
    assert get_job(ws.store, job_id).created_by == CARMEN


def test_an_account_without_an_employee_cannot_upload(
    site: tuple[Workspace, TestClient], samples: Path
) -> None:
    ws, c = site
    analyst = signed_in(c.app, ws, "analyst@tejido-sample.example", "analyst")
    assert "not linked to an employee" in analyst.get("/me").text
    r = upload(analyst, samples / LINKEDIN_ZIP, "linkedin", "named")
    assert r.status_code == 409  # type: ignore[attr-defined]


def test_an_upload_without_the_csrf_token_is_refused(
    site: tuple[Workspace, TestClient], samples: Path
) -> None:
    ws, c = site
    del c.headers["X-CSRF-Token"]
    r = upload(c, samples / LINKEDIN_ZIP, "linkedin", "named")
    assert r.status_code == 403  # type: ignore[attr-defined]
    with ws.store.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM job")).scalar_one() == 0


def test_changing_ones_password_ends_the_session(site: tuple[Workspace, TestClient]) -> None:
    ws, c = site
    assert c.post("/me/password", data={"current": "wrong", "new": "x" * 12}).status_code == 400
    assert c.post("/me/password", data={"current": PASSWORD, "new": "short"}).status_code == 400
    r = c.post("/me/password", data={"current": PASSWORD, "new": "a brand new secret"})
    assert r.status_code == 303 and c.get("/me").status_code == 303  # signed out
    assert accounts.authenticate(ws.store, CARMEN, "a brand new secret").email == CARMEN


def test_hostile_uploads_are_refused_whole_and_shown_as_text(
    sqlite_workspace: Workspace, samples: Path, tmp_path: Path
) -> None:
    import io
    import zipfile

    from tejido.config import Settings

    staff(sqlite_workspace, tmp_path)
    ws = Workspace(sqlite_workspace.path, settings=Settings(max_upload_bytes=4_000_000))
    app = create_app(ws)
    with TestClient(app):
        c = signed_in(app, ws, CARMEN, "employee")
        # Larger than the limit: refused while it streams in; nothing staged, no job.
        big = tmp_path / "big.zip"
        big.write_bytes(b"PK" + b"\0" * 4_100_000)
        r = upload(c, big, "linkedin", "named")
        assert r.status_code == 400 and "larger than the 4,000,000 bytes" in r.text  # type: ignore[attr-defined]
        assert list((ws.path / "incoming").glob("*/*")) == []
        # A zip bomb: small on the wire, too large inflated; the job says so, store untouched.
        bomb = io.BytesIO()
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("Connections.csv", b"0" * 50_000_000)
        name = tmp_path / "<img src=x onerror=alert(1)>.zip"
        name.write_bytes(bomb.getvalue())
        version = ws.store.version()
        r = upload(c, name, "linkedin", "named")
        page = finished(c, r.headers["location"])  # type: ignore[attr-defined]
        assert 'data-status="failed"' in page and "<img" not in page
        assert "img src_x onerror_alert(1)_.zip" in page
        assert re.search(r"<td>[^<]*(inflate|uncompressed|larger)[^<]*</td>", page), page[-1500:]
        assert ws.store.version() == version and consent_of(ws) == "private"
        assert list((ws.path / "incoming").glob("*/*")) == []
    ws.close()
