"""``GET /api/map`` and the map page: shapes, limits, filters, errors and consent, as a
script (token), an analyst and an employee see them."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from tejido import accounts
from tejido.contactmap.lookup import person_labels
from tejido.web.access import SESSION_COOKIE
from tejido.web.app import create_app
from tejido.web.deps import api_token
from tejido.workspace import Workspace

PASSWORD = "a long enough secret"


@dataclass
class Site:
    ws: Workspace
    token: TestClient
    analyst: TestClient
    employee: TestClient
    me: int  # the employee's person id


def _session(app: object, ws: Workspace, email: str, role: str) -> TestClient:
    user = accounts.create_user(ws.store, email, PASSWORD, role)
    token, csrf = accounts.open_session(ws.store, user)
    c = TestClient(app, base_url="https://testserver")  # type: ignore[arg-type]
    c.cookies.set(SESSION_COOKIE, token)
    c.headers["X-CSRF-Token"] = csrf
    return c


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, demo_map_dir: Path) -> Iterator[Site]:
    target = tmp_path_factory.mktemp("map-api") / "ws"
    shutil.copytree(demo_map_dir, target)
    ws = Workspace(target)
    with ws.store.read() as conn:
        query = "SELECT email, person_id FROM employee WHERE consent = 'named' ORDER BY id"
        email, me = conn.execute(text(query)).first()
    app = create_app(ws)
    token = TestClient(app)
    token.headers["Authorization"] = f"Bearer {api_token(ws)}"
    analyst = _session(app, ws, "analyst@tejido-demo.example", "analyst")
    employee = _session(app, ws, email, "employee")
    yield Site(ws, token, analyst, employee, int(me))
    ws.close()


def test_the_answer_is_parallel_columns(site: Site) -> None:
    r = site.token.get("/api/map", params={"limit": 200})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"mode", "nodes", "edges", "keys", "focus", "totals", "truncated"}
    nodes, edges = body["nodes"], body["edges"]
    n = len(nodes["id"])
    assert 0 < n <= 200 and body["truncated"] and body["totals"]["nodes"] > n
    assert all(len(column) == n for column in nodes.values())
    m = len(edges["source"])
    assert 0 < m <= 600 and all(len(column) == m for column in edges.values())
    assert max(edges["source"] + edges["target"]) < n
    assert all(i.startswith("p") for i in nodes["id"])
    assert body["keys"]["kind"] == ["employee", "contact", "department", "organisation"]
    assert body["keys"]["relation"][0] == "employee" and "customer" in body["keys"]["relation"]
    assert max(nodes["organisation"]) < len(body["keys"]["organisation"])


def test_organisations_mode_names_departments_and_organisations(site: Site) -> None:
    body = site.analyst.get("/api/map", params={"mode": "organisations", "limit": 30}).json()
    ids = body["nodes"]["id"]
    departments = [i for i in ids if i.startswith("d")]
    orgs = [i for i in ids if i.startswith("o")]
    assert len(orgs) == 30 and departments and len(ids) == len(orgs) + len(departments)
    assert body["keys"]["relation"][0] == "department"
    assert all(isinstance(label, str) for label in body["nodes"]["label"][len(departments) :])
    org_id = int(orgs[0][1:])
    page = site.analyst.get(f"/organisations/{org_id}")  # where a click on it leads
    assert page.status_code == 200


def test_filters_and_q(site: Site) -> None:
    body = site.token.get("/api/map", params={"relation": "customer", "min_strength": 0.3}).json()
    customer = body["keys"]["relation"].index("customer")
    assert set(body["edges"]["relation"]) == {customer}
    assert min(body["edges"]["weight"]) >= 0.3
    # q: a contact far down the sample is drawn first when asked for by name.
    full = site.token.get("/api/map", params={"limit": 50_000}).json()
    wanted = full["nodes"]["label"][-1]
    body = site.token.get("/api/map", params={"limit": 3, "q": wanted}).json()
    found = [body["nodes"]["label"][i] for i in body["focus"]]
    assert wanted in found


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"mode": "cities"}, 422, "mode"),
        ({"limit": 0}, 422, "limit"),
        ({"limit": 50_001}, 422, "limit"),
        ({"min_strength": 1.5}, 422, "min_strength"),
        ({"relation": "friend"}, 422, "relation"),
        ({"department": "nowhere"}, 422, "department"),
        ({"org": 10**9}, 404, None),
        ({"q": "x" * 201}, 422, "q"),
    ],
)
def test_wrong_parameters_have_the_error_shape(
    site: Site, params: dict, status: int, field: str | None
) -> None:
    r = site.token.get("/api/map", params=params)
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) >= {"error", "message"} and body.get("field") == field


def test_consent_private_and_existence_only_people_never_show(site: Site) -> None:
    snap = site.ws.contact_map.snapshot()
    lv = np.asarray(snap.level)
    highest = np.full(snap.n_nodes, -1)
    np.maximum.at(highest, snap.u, lv)
    np.maximum.at(highest, snap.v, lv)
    unnamed = np.flatnonzero((snap.consent < 0) & (highest < 2))  # no named tie at all
    pids = [int(p) for p in snap.person_id[unnamed]]
    others = [int(p) for p in np.setdiff1d(snap.person_id, snap.person_id[unnamed])]
    with site.ws.store.read() as conn:
        # Names repeat: only those nobody else bears must never show.
        names = {label.name for label in person_labels(conn, pids).values()}
        names -= {label.name for label in person_labels(conn, others).values()}
    assert len(names) > 100
    private = [int(p) for p in snap.person_id[snap.consent == 0]]
    for mode in ("people", "organisations"):
        body = site.analyst.get("/api/map", params={"mode": mode, "limit": 50_000}).json()
        ids = set(body["nodes"]["id"])
        assert not {f"p{p}" for p in pids + private} & ids
        assert not names & set(body["nodes"]["label"])


def test_an_employee_gets_their_own_network(site: Site) -> None:
    snap = site.ws.contact_map.snapshot()
    me = snap.node(site.me)
    nbrs, _ = snap.neighbours(me)
    body = site.employee.get("/api/map", params={"limit": 50_000}).json()
    ids = set(body["nodes"]["id"])
    allowed = {f"p{int(p)}" for p in snap.person_id[nbrs[snap.consent[nbrs] != 0]]}
    assert f"p{site.me}" in ids and ids - {f"p{site.me}"} <= allowed
    assert len(body["edges"]["source"]) == len(ids) - 1  # a star: me and each contact


def test_the_page_carries_its_data_and_scripts(site: Site) -> None:
    page = site.analyst.get("/map", headers={"Accept-Language": "es"})
    assert page.status_code == 200
    assert '<script type="application/json" id="map-data">' in page.text
    assert '<script src="/static/app/map.js"></script>' in page.text
    assert "Mapa de contactos" in page.text and 'id="map"' in page.text
    assert site.token.get("/map").status_code == 403  # pages are for people signed in
