"""``tejido ambassadors`` on any workspace: an edge list (named by the file's ids) and the
demo company (only consenting employees asked; names as consent allows)."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from typer.testing import CliRunner

from tejido.cli import app
from tejido.contactmap.view import Viewer
from tejido.diffusion.cascade import spread_runs
from tejido.errors import BadInputError
from tejido.workspace import Workspace


def test_an_edge_list_workspace_gets_seeds_by_its_ids(tmp_path: Path) -> None:
    g = nx.les_miserables_graph()
    ids = {name: 1000 + 7 * i for i, name in enumerate(sorted(g.nodes))}
    edges = tmp_path / "lesmis.txt"
    edges.write_text("".join(f"{ids[a]} {ids[b]}\n" for a, b in g.edges), encoding="utf-8")
    ws = Workspace(tmp_path / "ws")
    ws.import_edges(edges)
    ws.close()
    out = CliRunner().invoke(app, ["ambassadors", "--k", "5", "--epsilon", "0.1", "--model",
                                   "wc", "--json", "-w", str(tmp_path / "ws")])  # fmt: skip
    assert out.exit_code == 0, out.output
    result = json.loads(out.stdout)
    seeds = [s["external_id"] for s in result["seeds"]]
    assert len(seeds) == 5 and set(map(int, seeds)) <= set(ids.values())
    assert result["candidates"] == result["network"]["people"] == g.number_of_nodes()
    assert result["spread"]["low"] <= result["spread"]["mean"] <= result["spread"]["high"]
    assert result["seconds"] >= result["selection_seconds"] > 0
    assert result["algorithm"] == "imm" and result["proven_ratio"] is None
    # The hub of Les Misérables is among them.
    assert str(ids["Valjean"]) in seeds
    # The same seed gives the same seeds.
    again = json.loads(CliRunner().invoke(app, ["ambassadors", "--k", "5", "--json", "-w",
                                                str(tmp_path / "ws")]).stdout)  # fmt: skip
    assert [s["external_id"] for s in again["seeds"]] == seeds
    # OPIM-C proves its own ratio, at least 1 - 1/e - epsilon.
    fast = CliRunner().invoke(app, ["ambassadors", "--k", "5", "--algorithm", "opim-c", "--json",
                                    "-w", str(tmp_path / "ws")])  # fmt: skip
    opim = json.loads(fast.stdout)
    assert opim["algorithm"] == "opim-c" and opim["proven_ratio"] >= 1 - 1 / np.e - 0.1
    assert opim["spread"]["mean"] >= 0.9 * result["spread"]["mean"]
    bad = CliRunner().invoke(app, ["ambassadors", "--algorithm", "greedy", "-w",
                                   str(tmp_path / "ws")])  # fmt: skip
    assert isinstance(bad.exception, BadInputError) and "opim-c" in str(bad.exception)


def test_only_consenting_employees_are_asked(demo_map: Workspace) -> None:
    service = demo_map.diffusion_service
    result = service.ambassadors(k=5, epsilon=0.3, runs=300)
    cm = demo_map.map()
    snap = cm.snap
    for s in result["seeds"]:
        assert not s["hidden"]
        node = int(snap.index_of([s["id"]])[0])
        assert snap.consent[node] >= 1  # existence only or named
    assert result["candidates"] < result["network"]["people"]
    # The usual choices, among the same candidates, measured the same way.
    assert set(result["baselines"]) == {"degree", "followers", "pagerank", "random"}
    assert result["spread"]["mean"] > result["baselines"]["random"]["mean"]
    assert result["spread"]["high"] >= max(b["mean"] for b in result["baselines"].values()) * 0.97
    # Anyone: a stranger known by many colleagues may spread further than any employee.
    anyone = service.ambassadors(k=5, epsilon=0.3, runs=300, everyone=True)
    assert anyone["spread"]["mean"] >= result["spread"]["mean"] * 0.95
    # An employee sees the map an analyst uses, plus their own ties whatever their level.
    emp = int(snap.person_id[np.flatnonzero(snap.consent == 2)[0]])
    mine = service.ambassadors(Viewer(role="employee", person_id=emp), k=3, epsilon=0.3,
                               runs=200)  # fmt: skip
    assert mine["network"]["people"] >= result["network"]["people"]
    assert all(not s["hidden"] for s in mine["seeds"])
    # Reach of the chosen, forecast again: the same measure, more runs.
    reach = service.reach(None, [s["id"] for s in result["seeds"]], runs=2000)
    assert reach["not_in_network"] == 0
    assert abs(reach["spread"]["mean"] - result["spread"]["mean"]) < 0.1 * reach["spread"]["mean"]
    net = service.arcs()
    assert spread_runs(service.cascade(None, "wc", 0.01), [0], 10).min() >= 1
    assert net.n == net.nodes.size


def test_reach_from_the_command_line(demo_map: Workspace) -> None:
    snap = demo_map.contact_map.snapshot()
    emps = [int(p) for p in snap.person_id[np.flatnonzero(snap.consent == 2)[:2]]]
    runner = CliRunner()
    out = runner.invoke(app, ["reach", *map(str, emps), "--runs", "500", "--json", "-w",
                              str(demo_map.path)])  # fmt: skip
    assert out.exit_code == 0, out.output
    result = json.loads(out.stdout)
    assert result["people"] == 2 and result["spread"]["runs"] == 500
    assert result["spread"]["low"] <= result["spread"]["mean"] <= result["spread"]["high"]
    text = runner.invoke(app, ["reach", str(emps[0]), "--model", "ic", "--p", "0.05",
                               "--runs", "300", "-w", str(demo_map.path)])  # fmt: skip
    assert text.exit_code == 0 and "reach" in text.stdout
    missing = runner.invoke(app, ["reach", "nobody@nowhere.example", "-w", str(demo_map.path)])
    assert missing.exit_code != 0


def test_aimed_at_a_segment_the_seeds_beat_the_usual_choices(demo_map: Workspace) -> None:
    service = demo_map.diffusion_service
    result = service.ambassadors(k=5, epsilon=0.1, runs=2000,
                                 segment={"relation": "customer"})  # fmt: skip
    assert result["segment"]["people"] > 0
    for name, baseline in result["baselines"].items():
        assert result["spread"]["mean"] > baseline["mean"], name
    # Only the segment counts: the same seeds reach more people in all.
    everyone = service.reach(None, [s["id"] for s in result["seeds"]], runs=2000)
    assert everyone["spread"]["mean"] > result["spread"]["mean"]
    with pytest.raises(BadInputError):
        service.ambassadors(k=3, segment={"relation": "friend"})
    with pytest.raises(BadInputError):
        service.ambassadors(k=3, segment={"title": "astronaut of the deep sea"})


def test_the_api_answers_ambassadors_and_reach(demo_map: Workspace) -> None:
    from fastapi.testclient import TestClient

    from tejido.web.app import create_app
    from tejido.web.deps import api_token

    c = TestClient(create_app(demo_map))
    c.headers["Authorization"] = f"Bearer {api_token(demo_map)}"
    r = c.get("/api/ambassadors", params={"k": 3, "epsilon": 0.3, "runs": 200,
                                          "relation": "customer"})  # fmt: skip
    assert r.status_code == 200, r.text
    body = r.json()
    assert len(body["seeds"]) == 3 and body["segment"]["relation"] == "customer"
    ids = [s["id"] for s in body["seeds"]]
    again = c.get("/api/reach", params={"people": ids, "runs": 200})
    assert again.status_code == 200 and again.json()["people"] == 3
    assert c.get("/api/ambassadors", params={"model": "sir"}).status_code == 422
    assert c.get("/api/ambassadors", params={"algorithm": "celf"}).status_code == 422
    assert c.get("/api/ambassadors", params={"relation": "friend"}).status_code == 422


def test_learned_probabilities_drive_ambassadors_and_reach(demo_map: Workspace) -> None:
    service = demo_map.diffusion_service
    result = service.ambassadors(k=3, epsilon=0.3, runs=400, model="learned")
    assert result["model"] == "learned" and len(result["seeds"]) == 3
    for name, baseline in result["baselines"].items():
        assert result["spread"]["mean"] > baseline["mean"], name
    # The learned cascade is kept with the map: the second call reuses it.
    assert service.cascade(None, "learned", 0.0) is service.cascade(None, "learned", 0.0)
    reach = service.reach(None, [s["id"] for s in result["seeds"]], model="learned", runs=400)
    assert reach["spread"]["mean"] == pytest.approx(result["spread"]["mean"], rel=0.1)


def test_learned_needs_a_share_log(tmp_path: Path) -> None:
    edges = tmp_path / "ring.txt"
    edges.write_text("".join(f"{i} {(i + 1) % 6}\n" for i in range(6)), encoding="utf-8")
    ws = Workspace(tmp_path / "ws")
    ws.import_edges(edges)
    with pytest.raises(BadInputError, match="tejido import shares"):
        ws.diffusion_service.ambassadors(k=1, model="learned")
    ws.close()


def test_reach_by_segment_and_over_time(demo_map: Workspace) -> None:
    service = demo_map.diffusion_service
    cm = demo_map.contact_map.map(None)
    employees = np.flatnonzero(cm.snap.consent >= 0)[:3]
    people = [int(cm.snap.person_id[e]) for e in employees]
    everyone = service.reach(None, people, runs=2000)
    customers = service.reach(None, people, runs=2000, segment={"relation": "customer"})
    assert 0 < customers["spread"]["mean"] < everyone["spread"]["mean"]
    assert customers["segment"]["people"] < everyone["network"]["people"]
    growth = [g["exposed"] for g in everyone["growth"]]
    assert [g["hours"] for g in everyone["growth"]] == [1, 2, 4, 8, 12, 24, 48, 72, 168]
    assert growth == sorted(growth) and growth[0] < growth[-1]
    # By a week most activations have happened (the seeds are not counted there); the
    # delays are heavy-tailed (fitted on Twitter16), so some come later still.
    final = everyone["spread"]["mean"] - len(people)
    assert 0.7 * final < growth[-1] < 1.03 * final
    assert everyone["shape"]["depth"]["mean"] >= 1
    # LT carries no delays: no growth.
    assert "growth" not in service.reach(None, people, model="lt", runs=200)


def test_each_pair_is_one_arc(demo_map: Workspace) -> None:
    # The demo's employees are both LinkedIn contacts and X followers of some people: the
    # same pair stated twice is still one arc (twice would double a possible parent).
    net = demo_map.diffusion_service.arcs(None)
    key = net.src * net.n + net.dst
    assert key.size > 0 and np.unique(key).size == key.size
    assert np.all(np.diff(key) > 0)
