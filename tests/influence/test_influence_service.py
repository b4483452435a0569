"""Influence through Python, the CLI and the API: consent decides who is in the network and
who is named; edge-list workspaces are answered by their own node ids."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from realgraphs import EMAIL_EU
from typer.testing import CliRunner

from tejido.cli import app
from tejido.errors import BadInputError
from tejido.influence.graph import network
from tejido.web.app import create_app
from tejido.web.deps import api_token
from tejido.workspace import Workspace


def test_the_network_holds_only_ties_the_viewer_may_use(demo_map: Workspace) -> None:
    cm = demo_map.map()
    net = network(cm)
    assert np.all(np.asarray(cm.visible)[net.edge])
    private = np.asarray(cm.snap.level)[net.edge] == 0
    assert not private.any()
    # The demo's X archives say who follows whom: the network is directed. A tie without
    # a direction (a LinkedIn connection) is both arcs; a one-way follow is one arc.
    from tejido.influence.graph import AB, BA

    assert net.directed
    kinds = np.asarray(cm.snap.kinds)[net.edge]
    arcs = np.bincount(net.edge, minlength=cm.snap.n_edges)[net.edge]
    pointed = (kinds & (AB | BA)) != 0
    one_way = pointed & (((kinds & AB) == 0) | ((kinds & BA) == 0))
    assert np.all(arcs[~pointed] == 2) and np.all(arcs[one_way] == 1) and one_way.any()
    assert net.undirected().m == len(np.unique(net.edge))


def test_hidden_people_keep_their_rank_without_a_name(demo_map: Workspace) -> None:
    result = demo_map.influence_service.influence(by="degree", top=3000)
    cm = demo_map.map()
    shown = [r for r in result["people"] if not r["person"]["hidden"]]
    hidden = [r for r in result["people"] if r["person"]["hidden"]]
    assert shown and hidden  # the demo has existence-only ties
    assert all(set(r["person"]) == {"hidden"} for r in hidden)
    named = set(cm.snap.person_id[np.flatnonzero(cm.node_detailed)].tolist())
    assert {r["person"]["id"] for r in shown} <= named
    ranks = [r["ranks"]["degree"] for r in result["people"]]
    assert ranks == sorted(ranks) and ranks[0] == 1
    assert result["network"]["people"] >= len(result["people"])
    assert all(r["reasons"] for r in shown)


def test_an_edge_list_workspace_answers_by_its_node_ids(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    ws.import_edges(EMAIL_EU, directed=True)
    frame = ws.communities()
    assert len(frame) == 986 and frame["external_id"].nunique() == 986  # 19 have no tie
    assert set(frame["external_id"].astype(int)) <= set(range(1005))
    top = ws.influence(by="pagerank", top=5)
    assert top["external_id"].notna().all()
    runner = CliRunner()
    out = runner.invoke(app, ["communities", "--json", "-w", str(tmp_path / "ws")])
    assert out.exit_code == 0, out.output
    report = json.loads(out.stdout)
    assert report["count"] == frame["community"].nunique() and len(report["members"]) == 986
    assert report["communities"][0]["size"] >= report["communities"][-1]["size"]
    out = runner.invoke(app, ["influence", "--by", "betweenness", "--top", "3",
                              "-w", str(tmp_path / "ws")])  # fmt: skip
    assert out.exit_code == 0 and "exact (Brandes)" in out.stdout
    ws.close()


def test_the_api_ranks_and_refuses_unknown_measures(demo_map: Workspace) -> None:
    c = TestClient(create_app(demo_map))
    c.headers["Authorization"] = f"Bearer {api_token(demo_map)}"
    r = c.get("/api/influence", params={"by": "bridge_score", "top": 5})
    assert r.status_code == 200
    body = r.json()
    assert body["by"] == "bridge_score" and len(body["people"]) == 5
    assert [p["ranks"]["bridge_score"] for p in body["people"]] == sorted(
        p["ranks"]["bridge_score"] for p in body["people"]
    )
    bad = c.get("/api/influence", params={"by": "followers_bought"})
    assert bad.status_code == 422 and bad.json()["field"] == "measure"
    r = c.get("/api/communities", params={"method": "louvain", "members": True})
    assert r.status_code == 200 and r.json()["method"] == "louvain" and r.json()["members"]
    assert c.get("/api/communities", params={"method": "kmeans"}).status_code == 422


def test_hidden_hubs_and_ambassadors(demo_map: Workspace) -> None:
    from tejido.influence.hidden import unique_reach

    result = demo_map.influence_service.hidden_hubs(top=5)
    hubs = result["hidden_hubs"]
    assert len(hubs) == 5 and [h["gap"] for h in hubs] == sorted((h["gap"] for h in hubs),
                                                                  reverse=True)  # fmt: skip
    assert all(h["ranks"]["bridge_score"] < h["ranks"]["degree"] for h in hubs)
    assert all(h["reasons"][0].startswith("bridging above") for h in hubs)
    # Compared among the employees whose own network is imported: nobody else.
    assert all(h["person"]["is_employee"] for h in hubs)
    assert 0 < result["network"]["compared"] <= 80
    by_betweenness = demo_map.influence_service.hidden_hubs(structure="betweenness", top=3)
    assert all(h["ranks"]["betweenness"] < h["ranks"]["degree"]
               for h in by_betweenness["hidden_hubs"])  # fmt: skip
    # Unique reach, counted the slow way: target contacts known by exactly one employee.
    cm = demo_map.map()
    snap = cm.snap
    from tejido.contactmap.coverage import TARGETS
    from tejido.snapshot.model import ORG_RELATIONS

    relation = snap.of_org(snap.org_relation, snap.org, -1)
    targets = {ORG_RELATIONS.index(r) for r in TARGETS}
    knowers: dict[int, set[int]] = {}
    for e in np.flatnonzero(cm.visible):
        a, b = int(snap.u[e]), int(snap.v[e])
        for emp, other in ((a, b), (b, a)):
            if snap.consent[emp] >= 0 and snap.consent[other] < 0 and relation[other] in targets:
                knowers.setdefault(other, set()).add(emp)
    alone: dict[int, int] = {}
    for who in knowers.values():
        if len(who) == 1:
            (only,) = who
            alone[only] = alone.get(only, 0) + 1
    reach = unique_reach(cm)
    assert dict(zip(reach["node"], reach["unique_contacts"], strict=True)) == {
        n: alone.get(int(n), 0) for n in reach["node"]
    }
    best = result["ambassadors"][0]
    assert best["unique_accounts"] == int(reach["unique_accounts"].iloc[0]) > 0


def test_large_networks_leave_betweenness_out_unless_asked(
    demo_map: Workspace, monkeypatch: object
) -> None:
    from tejido.influence import centrality

    monkeypatch.setattr(centrality, "EXACT_BETWEENNESS", 100)  # type: ignore[attr-defined]
    fast = demo_map.influence_service.influence(by="pagerank", top=3)
    assert "betweenness" not in fast["people"][0]["values"]
    assert fast["network"]["betweenness"].startswith("not computed")
    asked = demo_map.influence_service.influence(by="betweenness", top=3)
    assert "betweenness" in asked["people"][0]["values"]
    assert not asked["network"]["betweenness"].startswith("not computed")


def test_topics_and_the_hubs_of_one(demo_map: Workspace) -> None:
    service = demo_map.influence_service
    report = service.topic_report(n_topics=8)
    assert len(report["topics"]) == 8 and all(t["label"] and t["terms"] for t in report["topics"])
    sales = next(t for t in report["topics"] if "sales" in t["terms"])
    by_word = service.topic_report(n_topics=8, topic="sales", top=10)
    by_number = service.topic_report(n_topics=8, topic=str(sales["topic"]), top=10)
    assert by_word["topic"]["topic"] == by_number["topic"]["topic"] == sales["topic"]
    hubs = by_word["topic"]["people"]
    assert [h["ranks"]["topic_pagerank"] for h in hubs] == sorted(
        h["ranks"]["topic_pagerank"] for h in hubs)  # fmt: skip
    # The hubs of one topic are not the hubs overall.
    engineering = service.topic_report(n_topics=8, topic="engineer", top=10)["topic"]["people"]
    assert [h["person"].get("id") for h in hubs] != [h["person"].get("id") for h in engineering]
    assert hubs[0]["reasons"][0].startswith(f"hub of {sales['label']}: 1 here")
    with pytest.raises(BadInputError):
        service.topic_report(topic="astrophysics")
    sectors = service.topic_report(source="industry")["topics"]
    assert sectors and sum(t["people"] for t in sectors) > 0
    with pytest.raises(BadInputError):
        service.topics(source="horoscope")
    assert demo_map.topics(k=8)["topics"] == report["topics"]
