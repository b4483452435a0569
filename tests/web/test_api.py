"""The REST API: token, one error shape, OpenAPI schema, and the contact-map routes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tejido.web.app import create_app
from tejido.web.deps import api_token
from tejido.web.routes import route_table
from tejido.workspace import Workspace


@pytest.fixture(scope="module")
def client(demo_map: Workspace) -> Iterator[TestClient]:
    with TestClient(create_app(demo_map)) as c:
        c.headers["Authorization"] = f"Bearer {api_token(demo_map)}"
        yield c


def _top_org(client: TestClient) -> int:
    return int(client.get("/api/coverage", params={"limit": 1}).json()["accounts"][0]["org_id"])


def test_a_wrong_token_is_refused_everywhere(demo_map: Workspace) -> None:
    bare = TestClient(create_app(demo_map))
    for method, path in route_table(bare.app):  # type: ignore[arg-type]
        if not path.startswith("/api/") or path == "/api/health":
            continue
        for auth in ("Bearer wrong", "Basic abc", "Bearer"):
            r = bare.request(method, path.replace("{org}", "1"), headers={"Authorization": auth})
            assert r.status_code == 401, (method, path, auth, r.text)
            assert r.json()["error"] == "UnauthorizedError"
    assert bare.get("/api/health").json() == {"status": "ok"}


def test_token_file_is_private(demo_map: Workspace) -> None:
    token = api_token(demo_map)
    path = demo_map.path / "api-token"
    assert len(token) >= 40 and path.stat().st_mode & 0o077 == 0


def test_errors_have_one_shape(client: TestClient) -> None:
    cases = {
        "/api/paths?to=nobody%20at%20all": (404, "NotFoundError"),
        "/api/paths?k=0&to=1": (422, "BadInputError"),
        "/api/paths": (422, "BadInputError"),
        "/api/coverage/no-such-company.example": (404, "NotFoundError"),
        "/api/prospects?country=Narnia": (422, "BadInputError"),
        "/api/prospects?role=%7C%20": (422, "BadInputError"),
    }
    for url, (status, kind) in cases.items():
        r = client.get(url)
        assert r.status_code == status, (url, r.text)
        body = r.json()
        assert set(body) >= {"error", "message"} and body["error"] == kind, (url, body)
    assert client.get("/api/paths?k=0&to=1").json()["field"] == "k"


def test_openapi_documents_every_route(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    assert {"/api/coverage", "/api/coverage/{org}", "/api/paths", "/api/prospects",
            "/api/degrees", "/api/relations", "/api/snapshot"} <= set(schema["paths"])  # fmt: skip
    assert "PathOut" in schema["components"]["schemas"]


def test_coverage_account_and_paths(client: TestClient) -> None:
    coverage = client.get("/api/coverage", params={"limit": 5}).json()
    assert len(coverage["accounts"]) == 5
    scores = [a["best_strength"] for a in coverage["accounts"]]
    assert all(0 <= s <= 1 for s in scores)
    org = _top_org(client)
    account = client.get(f"/api/coverage/{org}").json()
    assert account["organisation"]["id"] == org and account["ties"]
    strengths = [t["strength"] for t in account["ties"] if t["strength"] is not None]
    assert strengths == sorted(strengths, reverse=True)
    paths = client.get("/api/paths", params={"org": org, "k": 3}).json()["paths"]
    assert [p["rank"] for p in paths] == [1, 2, 3]
    named = [p for p in paths if p["score"] is not None]
    assert named and all(p["path"][-1]["reasons"] for p in named)
    assert len({p["ask"]["id"] for p in paths}) == 3, "load is spread over colleagues"


def test_prospects_and_degrees(client: TestClient) -> None:
    rows = client.get("/api/prospects", params={"country": "ES", "limit": 20}).json()
    assert rows and all(r["hops"] in (1, 2) for r in rows)
    scores = [r["score"] for r in rows if r["score"] is not None]
    assert scores == sorted(scores, reverse=True)
    degrees = client.get("/api/degrees").json()
    totals = {r["degree"]: r["count"] for r in degrees if r["dimension"] == "total"}
    assert totals[1] == 80 and totals[2] > 1000


def test_relation_override_through_the_api(demo_copy: Workspace) -> None:
    with TestClient(create_app(demo_copy)) as c:
        c.headers["Authorization"] = f"Bearer {api_token(demo_copy)}"
        org = _top_org(c)
        tie = next(
            t for t in c.get(f"/api/coverage/{org}").json()["ties"] if t["relation"] != "partner"
        )
        body = {"employee": str(tie["employee"]["id"]), "contact": str(tie["contact"]["id"]),
                "relation": "partner", "note": "reseller since 2024"}  # fmt: skip
        r = c.put("/api/relations", json=body)
        assert r.status_code == 200, r.text
        ties = c.get(f"/api/coverage/{org}").json()["ties"]
        again = next(t for t in ties if t["employee"]["id"] == tie["employee"]["id"]
                     and t["contact"]["id"] == tie["contact"]["id"])  # fmt: skip
        assert again["relation"] == "partner"
        bad = c.put("/api/relations", json=body | {"relation": "friend"})
        assert bad.status_code == 422 and bad.json()["error"] == "BadInputError"


def test_export_gexf_opens_in_networkx_with_attributes(client: TestClient, tmp_path) -> None:
    import networkx as nx

    r = client.get("/api/export", params={"format": "gexf"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/gexf")
    path = tmp_path / "map.gexf"
    path.write_bytes(r.content)
    graph = nx.read_gexf(path)
    assert graph.number_of_nodes() > 1000 and graph.number_of_edges() > 1000
    named = [d for _, d in graph.nodes(data=True) if not d.get("hidden")]
    assert any(d.get("position") and d.get("organisation") for d in named)
    assert any(d.get("is_employee") for d in named)
    assert client.get("/api/export", params={"format": "pdf"}).status_code == 422
