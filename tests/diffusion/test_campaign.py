"""The campaign planner: the choice cascade agrees with the advocacy model, the corporate
account is one more sharer with a brand's rates, and a plan on the demo company asks
consenting colleagues, beats the corporate account alone, and keeps consent."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from tejido.cli import app
from tejido.contactmap.view import Viewer
from tejido.diffusion.advocacy import AdvocacyNetwork, AdvocacyParams, advocacy_runs
from tejido.diffusion.cascade import reach_runs
from tejido.diffusion.planner import choice_cascade, with_account
from tejido.errors import BadInputError
from tejido.snapshot.model import LEVEL_EXISTENCE
from tejido.workspace import Workspace

# A tree from vertex 0 (one exposure each: the surrogate is exact in expectation).
SRC = [0, 0, 1, 1, 3, 3, 3]
DST = [1, 3, 2, 4, 5, 6, 7]
STRENGTH = [0.9, 0.1, 0.5, 0.0, 1.0, 0.3, 0.7]


def test_the_choice_cascade_expects_the_engaged_people_of_the_model() -> None:
    params = AdvocacyParams(seen=0.7, engage_rate=0.3, reshare_share=0.4, activity_seen=0.5)
    net = AdvocacyNetwork.from_arcs(SRC, DST, 8, strength=STRENGTH, params=params)
    model = advocacy_runs(net, [0], None, 40_000, seed=3).engaged.mean()
    cascade = choice_cascade(net)
    engaged = np.r_[np.ones(8), np.zeros(8)]
    engaged[0] = 0.0  # the seed posted: it is not counted as engaged
    surrogate = reach_runs(cascade, [8], engaged, 40_000, seed=4).mean()
    assert surrogate == pytest.approx(model, rel=0.03)
    assert model > 0.5


def test_the_corporate_account_has_a_brand_s_rates() -> None:
    net = AdvocacyNetwork.from_arcs(SRC, DST, 8, strength=STRENGTH)
    both = with_account(net, [2, 5, 5, 7])
    assert both.n == 9 and both.m == net.m + 3
    assert both.dst[-3:].tolist() == [2, 5, 7] and (both.src[-3:] == 8).all()
    assert np.allclose(both.stages.click[-3:], net.params.click_rate)
    assert np.allclose(both.stages.engage[-3:], net.params.engage_rate)
    # The old arcs keep their rates, and vertex 8 posts to exactly its followers.
    assert np.array_equal(both.stages.click[: net.m], net.stages.click)
    runs = advocacy_runs(both, [8], None, 2000, seed=1, bins=[1e9])
    assert runs.exposed.max() <= 3 + np.diff(net.indptr)[[2, 5, 7]].sum()


def test_a_plan_on_the_demo_company(demo_map: Workspace) -> None:
    service = demo_map.diffusion_service
    plan = service.plan(k=4, segment={"relation": "customer"}, runs=600, seed=2)
    cm = demo_map.contact_map.map(None)
    net = service.arcs(None)
    asked = cm.snap.index_of([a["id"] for a in plan["ambassadors"]])
    assert len(asked) == 4 and (cm.snap.consent[asked] >= LEVEL_EXISTENCE).all()
    forecast = plan["plans"]
    for key in ("ambassadors", "largest_audiences", "corporate_account"):
        f = forecast[key]
        assert f["exposed"]["low"] <= f["exposed"]["mean"] <= f["exposed"]["high"]
        growth = [g["exposed"] for g in f["growth"]]
        assert growth == sorted(growth) and growth[-1] <= f["exposed"]["mean"] + 1e-6
        assert f["exposed"]["mean"] <= plan["segment"]["people"]
    # Four colleagues reach more of the segment than the corporate account's 5,000.
    assert (
        forecast["ambassadors"]["engaged"]["mean"]
        > forecast["corporate_account"]["engaged"]["mean"]
    )
    assert (
        forecast["ambassadors"]["engaged"]["mean"]
        >= 0.95 * forecast["largest_audiences"]["engaged"]["mean"]
    )
    # What IMM expected on its cascade is what the model forecasts.
    assert plan["estimate_engaged"] == pytest.approx(
        forecast["ambassadors"]["engaged"]["mean"], rel=0.15
    )
    assert plan["corporate_account"]["followers"] == 5000
    assert plan["network"]["people"] == net.n
    # The same seed gives the same plan.
    again = service.plan(k=4, segment={"relation": "customer"}, runs=600, seed=2)
    assert again["ambassadors"] == plan["ambassadors"] and again["plans"] == forecast


def test_a_topic_weighs_the_audience_and_errors_are_clear(demo_map: Workspace) -> None:
    service = demo_map.diffusion_service
    plan = service.plan(k=3, topic="0", runs=200, company_followers=0)
    assert plan["topic"]["topic"] == 0 and 0 < plan["topic"]["people"] < plan["segment"]["people"]
    assert all("topic_share" in a for a in plan["ambassadors"] if not a["hidden"])
    assert (
        plan["corporate_account"]["followers"] == 0
        and not plan["plans"]["corporate_account"]["growth"][-1]["exposed"]
    )
    for bad in ({"topic": "underwater basket weaving"}, {"segment": {"title": "astronaut"}},
                {"algorithm": "celf"}, {"company_followers": -1}):  # fmt: skip
        with pytest.raises(BadInputError):
            service.plan(k=2, runs=50, **bad)  # type: ignore[arg-type]


def test_an_employee_sees_only_what_consent_allows(demo_map: Workspace) -> None:
    cm = demo_map.contact_map.map(None)
    employees = np.flatnonzero(cm.snap.consent >= LEVEL_EXISTENCE)
    me = int(cm.snap.person_id[employees[0]])
    plan = demo_map.diffusion_service.plan(Viewer(role="employee", person_id=me), k=3, runs=100)
    mine = demo_map.contact_map.map(Viewer(role="employee", person_id=me))
    named = set(np.asarray(mine.snap.person_id)[np.asarray(mine.node_detailed)].tolist())
    for a in plan["ambassadors"]:
        assert a["hidden"] or a["id"] in named


def test_plan_from_the_command_line_and_the_api(demo_map: Workspace) -> None:
    from fastapi.testclient import TestClient

    from tejido.web.app import create_app
    from tejido.web.deps import api_token

    out = CliRunner().invoke(app, ["plan", "--k", "2", "--relation", "customer", "--runs", "100",
                                   "--json", "-w", str(demo_map.path)])  # fmt: skip
    assert out.exit_code == 0, out.output
    body = json.loads(out.stdout)
    assert len(body["ambassadors"]) == 2 and body["segment"]["relation"] == "customer"
    text = CliRunner().invoke(app, ["plan", "--k", "2", "--runs", "100", "-w", str(demo_map.path)])
    assert text.exit_code == 0 and "corporate" in text.stdout
    c = TestClient(create_app(demo_map))
    c.headers["Authorization"] = f"Bearer {api_token(demo_map)}"
    r = c.get("/api/plan", params={"k": 2, "runs": 100, "title": "engineer"})
    assert r.status_code == 200, r.text
    assert r.json()["segment"]["title"] == "engineer"
    assert c.get("/api/plan", params={"k": 0}).status_code == 422
    assert c.get("/api/plan", params={"title": "astronaut of the deep"}).status_code == 422
