"""Who may read or change what: every route of the app's route table x every role.

The expectations come from ``tejido.web.access.ACCESS``; a route without a rule fails
here (and is refused to everybody by the app)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from tejido import accounts
from tejido.web.access import ACCESS, ANONYMOUS, SESSION_COOKIE, TOKEN
from tejido.web.app import create_app
from tejido.web.deps import api_token
from tejido.web.pages.auth import LOGIN_COOKIE
from tejido.web.routes import route_table
from tejido.workspace import Workspace

PASSWORD = "a long enough secret"
ROLES = (ANONYMOUS, TOKEN, "admin", "analyst", "reviewer", "employee")


@dataclass
class Site:
    ws: Workspace
    app: object
    sessions: dict[str, tuple[str, str]]  # role -> (cookie token, csrf token)
    org: int
    employee_email: str
    person: int  # a contact any analyst may see
    spare: int  # an account the admin's calls may change


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, demo_map_dir) -> Iterator[Site]:
    import shutil

    target = tmp_path_factory.mktemp("site") / "ws"
    shutil.copytree(demo_map_dir, target)
    ws = Workspace(target)
    with ws.store.read() as conn:
        email = conn.execute(
            text("SELECT email FROM employee WHERE consent = 'named' ORDER BY id LIMIT 1")
        ).scalar_one()
    sessions = {}
    for role in ("admin", "analyst", "reviewer", "employee"):
        address = email if role == "employee" else f"{role}@tejido-demo.example"
        user = accounts.create_user(ws.store, address, PASSWORD, role)
        sessions[role] = accounts.open_session(ws.store, user)
    spare = accounts.create_user(ws.store, "spare@tejido-demo.example", PASSWORD, "analyst")
    org = int(ws.coverage(limit=1)["org_id"].iloc[0])
    person = next(t["contact"]["id"] for t in ws.account(str(org))["ties"] if not t["hidden"])
    yield Site(ws, create_app(ws), sessions, org, email, int(person), spare.id)
    ws.close()


def client(site: Site, role: str) -> TestClient:
    c = TestClient(site.app, base_url="https://testserver", follow_redirects=False)  # type: ignore[arg-type]
    if role == TOKEN:
        c.headers["Authorization"] = f"Bearer {api_token(site.ws)}"
    elif role != ANONYMOUS:
        token, csrf = site.sessions[role]
        c.cookies.set(SESSION_COOKIE, token)
        c.headers["X-CSRF-Token"] = csrf
    return c


def call(c: TestClient, site: Site, method: str, path: str):  # type: ignore[no-untyped-def]
    url = path.replace("{org}", str(site.org)).replace("{person}", str(site.person))
    # No such job or upload: allowed callers get 404, others are refused before looking.
    url = url.replace("{job}", "999999").replace("{upload}", "999999")
    url = url.replace("{user}", str(site.spare))
    if (method, path) == ("PUT", "/api/relations"):
        return c.put(url, json={"employee": site.employee_email, "contact": "1",
                                "relation": None})  # fmt: skip
    if (method, path) == ("POST", "/login"):
        c.cookies.set(LOGIN_COOKIE, "the-form-token")  # as the sign-in page would have set
        return c.post(url, data={"email": "nobody@x.example", "password": "wrong password",
                                 "csrf_token": "the-form-token"})  # fmt: skip
    if (method, path) == ("POST", "/language"):
        return c.post(url, data={"lang": "en"})
    if (method, path) == ("GET", "/api/paths"):
        return c.get(url, params={"org": site.org})
    if (method, path) == ("GET", "/api/reach"):
        return c.get(url, params={"people": site.person, "runs": 50})
    if (method, path) == ("GET", "/api/plan"):
        return c.get(url, params={"k": 2, "epsilon": 0.5, "runs": 50})
    if (method, path) == ("GET", "/api/ambassadors"):
        return c.get(url, params={"k": 2, "epsilon": 0.5, "runs": 50})
    if (method, path) in (("POST", "/me/uploads"), ("POST", "/imports")):
        field = "file" if path == "/me/uploads" else "files"
        return c.post(url, data={"kind": "linkedin", "consent": "named"},
                      files={field: ("export.zip", b"not a zip", "application/zip")})  # fmt: skip
    if (method, path) == ("POST", "/admin/users/{user}/role"):
        return c.post(url, data={"role": "reviewer"})
    if method == "POST":
        return c.post(url)
    return c.request(method, url)


def test_every_route_has_a_rule(site: Site) -> None:
    missing = [r for r in route_table(site.app) if r not in ACCESS]  # type: ignore[arg-type]
    assert not missing, f"routes without an access rule: {missing}"
    stale = [r for r in ACCESS if r not in route_table(site.app)]  # type: ignore[arg-type]
    assert not stale, f"rules for routes that do not exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_the_rules_allow(site: Site, role: str) -> None:
    for method, path in route_table(site.app):  # type: ignore[arg-type]
        if (method, path) == ("POST", "/logout"):
            continue  # ends the session: checked on its own below
        allowed = role in ACCESS[(method, path)]
        r = call(client(site, role), site, method, path)
        denied = r.status_code in (401, 403) or (
            r.status_code == 303 and r.headers["location"] == "/login"
        )
        if path == "/login" and method == "POST":
            denied = r.status_code == 403  # a wrong password is 401 but not a refusal
        assert denied != allowed, (role, method, path, r.status_code, r.text[:200])
        assert r.status_code < 500 and r.status_code != 422, (role, method, path, r.status_code)
        if not allowed and role != ANONYMOUS:
            assert r.status_code == 403, (role, method, path, r.status_code)
        if not allowed and role == ANONYMOUS:
            expected = 401 if path.startswith("/api/") else 303
            assert r.status_code == expected, (method, path, r.status_code)


def test_state_changes_need_the_csrf_token(site: Site) -> None:
    c = client(site, "analyst")
    del c.headers["X-CSRF-Token"]
    body = {"employee": site.employee_email, "contact": "1", "relation": None}
    r = c.put("/api/relations", json=body)
    assert r.status_code == 403 and "CSRF" in r.json()["message"]
    page = c.post("/logout", headers={"Accept-Language": "es"})
    assert page.status_code == 403 and "Este formulario ha caducado" in page.text
    r = c.put("/api/relations", json=body, headers={"X-CSRF-Token": "forged"})
    assert r.status_code == 403
    assert c.post("/logout").status_code == 403
    assert c.post("/logout", data={"csrf_token": "forged"}).status_code == 403
    # A script with the token has no session to ride on: no CSRF token needed.
    assert client(site, TOKEN).put("/api/relations", json=body).status_code != 403


def test_sign_in_sets_a_safe_cookie_and_sign_out_ends_it(site: Site) -> None:
    user = accounts.create_user(site.ws.store, "zoe@tejido-demo.example", PASSWORD, "analyst")
    c = TestClient(site.app, base_url="https://testserver", follow_redirects=False)  # type: ignore[arg-type]
    assert c.get("/").headers["location"] == "/login"
    page = c.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    bad = c.post(
        "/login", data={"email": user.email, "password": "wrong one!", "csrf_token": token}
    )
    assert bad.status_code == 401 and "Wrong e-mail or password." in bad.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', bad.text).group(1)  # type: ignore[union-attr]
    good = c.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert good.status_code == 303 and good.headers["location"] == "/"
    cookie = next(h for h in good.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie
    home = c.get("/")
    assert home.status_code == 200 and "zoe" in home.text
    assert "frame-ancestors 'none'" in home.headers["content-security-policy"]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', home.text).group(1)  # type: ignore[union-attr]
    out = c.post("/logout", data={"csrf_token": csrf})
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert c.get("/").status_code == 303
    actions = accounts.audit_log(site.ws.store, limit=5)["action"].tolist()
    assert actions[:3] == ["logout", "login.ok", "login.failed"]


def test_a_forged_sign_in_form_is_refused(site: Site) -> None:
    c = TestClient(site.app, base_url="https://testserver", follow_redirects=False)  # type: ignore[arg-type]
    r = c.post("/login", data={"email": "admin@tejido-demo.example", "password": PASSWORD,
                               "csrf_token": "made-up"})  # fmt: skip
    assert r.status_code == 403 and SESSION_COOKIE not in r.headers.get("set-cookie", "")


def test_the_policy() -> None:
    """The rules themselves, in words: what each kind of caller may do."""
    anonymous = {r for r, roles in ACCESS.items() if ANONYMOUS in roles}
    assert anonymous == {("GET", "/api/health"), ("GET", "/login"), ("POST", "/login"),
                         ("POST", "/language")}  # fmt: skip
    assert ACCESS[("GET", "/admin/audit")] == {"admin"}
    # Reviewers read no contact-map data (only their own jobs' state).
    theirs = ("/api/health", "/api/jobs/{job}")
    assert not any("reviewer" in roles for (m, p), roles in ACCESS.items()
                   if p.startswith("/api/") and p not in theirs)  # fmt: skip
    # Only admins manage users, roles and imports; employees' consent is their own.
    assert all(roles == {"admin"} for (m, p), roles in ACCESS.items()
               if p.startswith(("/admin/", "/imports")))  # fmt: skip
    assert all(ACCESS[("POST", p)] == {"admin", "analyst", "reviewer", "employee"}
               for p in ("/me/uploads", "/me/consent", "/me/erase"))  # fmt: skip
    assert "employee" not in ACCESS[("GET", "/api/export")]
    assert "employee" not in ACCESS[("PUT", "/api/relations")]
    assert not any(TOKEN in roles for (m, p), roles in ACCESS.items()
                   if not p.startswith("/api/") and p != "/login")  # fmt: skip


def test_people_search_and_pages_hide_what_consent_hides(site: Site) -> None:
    """A contact known only through an existence-only tie is neither found nor shown."""
    import numpy as np

    snap = site.ws.contact_map.snapshot()
    lv, emp = np.asarray(snap.level), snap.consent >= 0
    highest = np.full(snap.n_nodes, -1)
    np.maximum.at(highest, snap.u, lv)
    np.maximum.at(highest, snap.v, lv)
    hidden = int(np.flatnonzero(~emp & (highest == 1))[0])
    named = int(np.flatnonzero(~emp & (highest == 2))[0])
    ids = {n: int(snap.person_id[n]) for n in (hidden, named)}
    with site.ws.store.read() as conn:
        names = {n: conn.execute(text("SELECT display_name FROM person WHERE id = :p"),
                                 {"p": ids[n]}).scalar_one() for n in ids}  # fmt: skip
    c = client(site, "analyst")
    found = c.get("/people", params={"q": names[named]})
    assert found.status_code == 200 and f"/people/{ids[named]}" in found.text
    assert c.get(f"/people/{ids[named]}").status_code == 200
    missing = c.get("/people", params={"q": names[hidden]})
    assert f"/people/{ids[hidden]}" not in missing.text
    assert c.get(f"/people/{ids[hidden]}").status_code == 404
