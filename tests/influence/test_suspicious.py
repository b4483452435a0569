"""Suspicious accounts: features from X archives, the score, consent, and the demo's truth."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from tejido.contactmap.view import Viewer
from tejido.influence.suspicious import BURST_MIN, THRESHOLD, created_at
from tejido.workspace import Workspace

EPOCH_MS = 1288834974657


def snowflake(when: dt.datetime, low: int) -> str:
    ms = int((when - dt.datetime(1970, 1, 1)).total_seconds() * 1000) - EPOCH_MS
    return str((ms << 22) | low)


def archive(path: Path, account: str, email: str, followers: list[str],
            following: list[str]) -> Path:  # fmt: skip
    def payload(name: str, kind: str, ids: list[str]) -> str:
        items = [{kind: {"accountId": i, "userLink": f"https://x.com/i/{i}"}} for i in ids]
        return f"window.YTD.{name}.part0 = " + json.dumps(items)

    user = email.split("@")[0]
    me = [{"account": {"email": email, "username": user.replace(".", "_"),
                       "accountId": account, "accountDisplayName": user}}]  # fmt: skip
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("data/account.js", "window.YTD.account.part0 = " + json.dumps(me))
        z.writestr("data/follower.js", payload("follower", "follower", followers))
        z.writestr("data/following.js", payload("following", "following", following))
    path.write_bytes(buf.getvalue())
    return path


BATCH = dt.datetime(2016, 3, 14, 9, 0)
BOUGHT = [snowflake(BATCH + dt.timedelta(minutes=5 * k), k) for k in range(12)]
AGED = "88412345"  # an old sequential id: no creation time in it
STRANGERS = [str(1_000_000 + k) for k in range(6)]  # old sequential ids of real people
FRIEND = snowflake(dt.datetime(2012, 6, 1), 7)  # followed back
PRIVATE_BOUGHT = [snowflake(BATCH + dt.timedelta(days=40, minutes=k), k) for k in range(12)]


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    folder = tmp_path_factory.mktemp("suspicious")
    w = Workspace(folder / "ws")
    roster = folder / "roster.csv"
    roster.write_text(
        "Name,Email,Department,Consent\n"
        "Ana Ruiz,ana.ruiz@acme.example,Marketing,named\n"
        "Bea Soto,bea.soto@acme.example,Sales,private\n",
        encoding="utf-8",
    )
    w.import_roster(roster, company="Acme")
    # Ana's follower list, newest first: strangers, the bought block (with an aged
    # account delivered in it), strangers again, and a friend she follows back.
    followers = [*STRANGERS[:3], *BOUGHT[:6], AGED, *BOUGHT[6:], *STRANGERS[3:], FRIEND]
    w.import_x(archive(folder / "ana.zip", "5001", "ana.ruiz@acme.example", followers,
                       [FRIEND, "5002"]))  # fmt: skip
    w.import_x(archive(folder / "bea.zip", "5002", "bea.soto@acme.example", PRIVATE_BOUGHT,
                       ["5001"]))  # fmt: skip
    yield w
    w.close()


def test_creation_time_from_snowflake_ids() -> None:
    when = created_at([BOUGHT[0], AGED, "not a number", "9" * 25])
    assert when[0] == pytest.approx((BATCH - dt.datetime(1970, 1, 1)).total_seconds(), abs=1)
    assert np.isnan(when[1:]).all()


def test_the_block_is_flagged_with_reasons(ws: Workspace) -> None:
    frame = ws.influence_service.suspicious_frame()
    by_id = frame.set_index("x_id")
    # Bea keeps her network private: her followers are not scored for an analyst.
    assert not set(PRIVATE_BOUGHT) & set(frame["x_id"])
    assert set(frame["x_id"]) == {*BOUGHT, AGED, *STRANGERS, FRIEND}
    for x in BOUGHT:
        row = by_id.loc[x]
        assert row["suspicious"] and row["burst"] == 12 and row["block"] == 13
        assert row["reasons"][0] == "made in a batch of 12 accounts within hours"
        assert "followed within a block of 13 batch-made followers" in row["reasons"]
    aged = by_id.loc[AGED]
    assert aged["suspicious"] and aged["burst"] == 0 and aged["block"] == 13
    assert aged["score"] >= THRESHOLD > by_id.loc[STRANGERS[0], "score"]
    for x in STRANGERS:
        assert not by_id.loc[x, "suspicious"] and by_id.loc[x, "reasons"] == [
            "no profile: only an X id",
            "follows 1 of our people, none follows it back",
        ]
    friend = by_id.loc[FRIEND]
    assert friend["reciprocity"] == 1.0 and friend["score"] == pytest.approx(0.2)
    assert len(BOUGHT) >= BURST_MIN


def test_consent_decides_whose_followers_are_scored(ws: Workspace) -> None:
    with ws.store.read() as conn:
        from tejido.contactmap.lookup import find_person

        (bea,) = find_person(conn, "bea.soto@acme.example")
    mine = ws.influence_service.suspicious(Viewer(role="employee", person_id=bea), top=100)
    ids = {a["account"].get("x_id") for a in mine["accounts"]}
    # Bea sees her own bought followers; Ana's follows are named only to analysts.
    assert set(PRIVATE_BOUGHT) <= ids and not set(BOUGHT) & ids
    assert mine["suspicious"] == len(PRIVATE_BOUGHT) + len(BOUGHT) + 1
    assert sum(a["account"]["hidden"] for a in mine["accounts"]) == len(BOUGHT) + 1
    analyst = ws.influence_service.suspicious(top=100)
    (ana,) = [e for e in analyst["employees"] if e["person"]["name"] == "Ana Ruiz"]
    assert (ana["followers_scored"], ana["suspicious"]) == (20, 13)
    table = ws.suspicious()
    assert len(table) == 13 and set(table["x_id"]) == {*BOUGHT, AGED}


def test_demo_bought_followers_and_hidden_hubs_are_found(demo_map: Workspace) -> None:
    report = demo_map.influence_report()
    assert report.hubs_planted == report.hubs_compared == 3
    assert len(report.hub_ranks) == 3 and max(report.hub_ranks) <= 10
    assert report.hubs_in_top == 3 and report.recall_at_10 == 1.0
    assert report.bought_seen == report.bought_planted == 120
    assert report.suspicious_precision >= 0.95 and report.suspicious_recall >= 0.95
    assert report.without_sign["block"]["recall"] < report.suspicious_recall
