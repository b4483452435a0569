"""Influence pages: the leaderboard's measure picker and reasons, the community map's data,
a person's influence profile, in both languages and as consent allows."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import numpy as np
import pytest
from fastapi.testclient import TestClient

from tejido import accounts
from tejido.contactmap.view import Viewer
from tejido.web.access import SESSION_COOKIE
from tejido.web.app import create_app
from tejido.workspace import Workspace

PASSWORD = "a long enough secret"


def _client(ws: Workspace, email: str, role: str, language: str | None = None) -> TestClient:
    user = accounts.create_user(ws.store, email, PASSWORD, role)
    token, csrf = accounts.open_session(ws.store, user)
    c = TestClient(create_app(ws), base_url="https://testserver", follow_redirects=False)
    c.cookies.set(SESSION_COOKIE, token)
    c.headers["X-CSRF-Token"] = csrf
    if language:
        c.headers["Accept-Language"] = language
    return c


@pytest.fixture(scope="module")
def analyst(demo_map: Workspace) -> Iterator[TestClient]:
    with _client(demo_map, "influence-analyst@tejido-demo.example", "analyst") as c:
        yield c


def test_the_leaderboard_ranks_by_the_measure_picked(analyst: TestClient,
                                                     demo_map: Workspace) -> None:  # fmt: skip
    page = analyst.get("/influence")
    assert page.status_code == 200
    assert '<option value="pagerank" selected>PageRank</option>' in page.text
    expected = demo_map.influence_service.influence(by="pagerank", top=50)["people"]
    first = next(p for p in expected if not p["person"]["hidden"])
    assert f'href="/people/{first["person"]["id"]}/influence">' in page.text
    assert "PageRank 1 of" in page.text and "Hidden hubs" in page.text
    by_core = analyst.get("/influence", params={"by": "coreness", "top": 20})
    rows = re.findall(r"<tr><td>(\d+)</td>", by_core.text)
    assert len(rows) == 20 and [int(r) for r in rows] == sorted(int(r) for r in rows)
    assert "<th>Core (k-core)</th>" in by_core.text
    assert analyst.get("/influence", params={"by": "followers_bought"}).status_code == 422
    topics = demo_map.influence_service.topic_report()["topics"]
    picked = analyst.get("/influence", params={"topic": str(topics[0]["topic"])})
    assert picked.status_code == 200 and 'id="topic-hubs"' in picked.text
    assert f"Hubs of {topics[0]['label']}" in picked.text


def test_the_community_map_gets_its_graph(analyst: TestClient, demo_map: Workspace) -> None:
    page = analyst.get("/communities", params={"method": "louvain", "resolution": 0.5})
    assert page.status_code == 200
    data = json.loads(re.search(r'id="community-data">(.*?)</script>', page.text, re.S)[1])
    report = demo_map.influence_service.community_report(method="louvain", resolution=0.5)
    assert len(data["communities"]) == report["count"] and data["links"] == report["links"]
    assert '<script src="/static/app/communities.js"></script>' in page.text
    assert page.text.count('<tr id="community-') == report["count"]
    assert analyst.get("/communities", params={"method": "kmeans"}).status_code == 422


def test_a_persons_influence_profile(analyst: TestClient, demo_map: Workspace) -> None:
    top = demo_map.influence_service.influence(by="pagerank", top=5)["people"]
    person = next(p["person"] for p in top if not p["person"]["hidden"])
    page = analyst.get(f"/people/{person['id']}/influence")
    assert page.status_code == 200 and person["name"] in page.text
    assert 'id="profile-measures"' in page.text and "In community" in page.text
    profile = demo_map.influence_service.profile(None, person["id"])
    assert {m["measure"] for m in profile["measures"]} >= {"pagerank", "bridge_score", "degree"}
    assert all(0 < m["percentile"] <= 1 for m in profile["measures"])
    assert analyst.get("/people/999999999/influence").status_code == 404
    # The person page links to it.
    assert f'href="/people/{person["id"]}/influence"' in analyst.get(f"/people/{person['id']}").text


def test_a_bought_followers_profile_says_so(analyst: TestClient, demo_map: Workspace) -> None:
    frame = demo_map.influence_service.suspicious_frame()
    bad = frame[frame["suspicious"] & frame["named"]].iloc[0]
    page = analyst.get(f"/people/{int(bad['person_id'])}/influence")
    assert page.status_code == 200
    assert "looks fake or bought" in page.text
    assert "followed within a block of batch-made followers" in page.text


def test_pages_in_spanish(demo_map: Workspace) -> None:
    with _client(demo_map, "influence-es@tejido-demo.example", "analyst", "es") as c:
        page = c.get("/influence", params={"by": "bridge_score"})
        assert "<h1>Influencia</h1>" in page.text and "Centros ocultos" in page.text
        assert "PageRank 1 de" in page.text
        assert "Comunidades" in c.get("/communities").text


def test_an_employee_sees_only_what_their_consent_allows(demo_copy: Workspace) -> None:
    snap = demo_copy.contact_map.snapshot()
    emp = int(snap.person_id[np.flatnonzero(snap.consent == 2)[0]])
    with demo_copy.store.read() as conn:
        (email,) = conn.exec_driver_sql(
            "SELECT email FROM employee WHERE person_id = ?", (emp,)).one()  # fmt: skip
    mine = demo_copy.contact_map.map(Viewer(role="employee", person_id=emp))
    named = np.asarray(mine.node_detailed)
    contacts = np.flatnonzero(named & (snap.consent < 0))
    strangers = np.flatnonzero(~named)
    with _client(demo_copy, email, "employee") as c:
        page = c.get("/influence")
        assert page.status_code == 200
        # Everyone the page names is someone this employee may see named.
        linked = {int(x) for x in re.findall(r'href="/people/(\d+)/influence"', page.text)}
        assert linked and named[snap.index_of(sorted(linked))].all()
        own = int(snap.person_id[contacts[0]])
        assert c.get(f"/people/{own}/influence").status_code == 200
        stranger = int(snap.person_id[strangers[0]])
        assert c.get(f"/people/{stranger}/influence").status_code == 404
        # Their own profile, from their page: the ambassador who may not know their impact.
        assert f'href="/people/{emp}/influence"' in c.get("/me").text
        assert c.get(f"/people/{emp}/influence").status_code == 200
