"""Engagement influence: replies counted from conversations, responses, consent, and the
demo's bulk senders (much volume, no engagement)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tejido.contactmap.lookup import find_person
from tejido.contactmap.validate import read_truth
from tejido.contactmap.view import Viewer
from tejido.influence.engagement import engagement
from tejido.workspace import Workspace


def _rows(ws: Workspace, rows: list[tuple[str, int, int, float, str | None]]) -> pd.DataFrame:
    """Interaction rows as ``interaction_rows`` gives them (nodes for people), all stated
    by the export of the first sender, an employee with named consent."""
    pid = ws.contact_map.snapshot().person_id
    owner = int(pid[rows[0][1]])
    return pd.DataFrame(
        [(1, owner, ch, int(pid[s]), int(pid[t]), at, conv) for ch, s, t, at, conv in rows],
        columns=["upload_id", "owner_id", "channel", "source_id", "target_id", "at",
                 "conversation"],
    )  # fmt: skip


def test_replies_and_responses_are_counted(demo_map: Workspace) -> None:
    cm = demo_map.map()
    employees = np.flatnonzero(cm.snap.consent >= 2)[:4].tolist()
    a, b, c, d = employees
    hour = 3600.0
    rows = _rows(demo_map, [
        # a writes to b twice in one conversation; b answers 2 hours after the second.
        ("message", a, b, 0.0, "ab"), ("message", a, b, 10 * hour, "ab"),
        ("message", b, a, 12 * hour, "ab"),
        # a writes to c: no answer; c answers 40 days later (too late to count).
        ("message", a, c, 0.0, "ac"), ("message", c, a, 40 * 86400.0, "ac"),
        # The same message in a second export (both people exported it): counted once.
        ("message", a, c, 0.0, "ac"),
        # d likes and shares a's post, and comments on b's.
        ("like", d, a, 5 * hour, None), ("share", d, a, 6 * hour, None),
        ("comment", d, b, 7 * hour, None),
    ])  # fmt: skip
    table = engagement(cm, rows).set_index("node")
    assert table.loc[a, "sent"] == 3 and table.loc[a, "reached"] == 2
    # b's reply answers both of a's messages before it (after 12 and 2 hours).
    assert table.loc[a, "answered"] == 2 and table.loc[a, "reply_rate"] == pytest.approx(2 / 3)
    assert table.loc[a, "median_reply_hours"] == pytest.approx(7.0)
    assert table.loc[a, "responders"] == 2  # b replied, d liked and shared (once)
    assert table.loc[b, "answered"] == 0 and table.loc[b, "responders"] == 1  # d commented
    assert table.loc[c, "sent"] == 1 and table.loc[c, "responders"] == 0
    assert list(table.index[:2]) == [a, b]


def test_private_exports_say_nothing_to_analysts(demo_map: Workspace) -> None:
    cm = demo_map.map()
    snap = cm.snap
    private = np.flatnonzero(snap.consent == 0)
    named = np.flatnonzero(snap.consent == 2)
    p, a, b = int(private[0]), int(named[0]), int(named[1])
    rows = pd.DataFrame(
        [(1, int(snap.person_id[p]), "message", int(snap.person_id[a]), int(snap.person_id[b]),
          0.0, "x"),
         (1, int(snap.person_id[p]), "message", int(snap.person_id[b]), int(snap.person_id[a]),
          3600.0, "x")],
        columns=["upload_id", "owner_id", "channel", "source_id", "target_id", "at",
                 "conversation"],
    )  # fmt: skip
    assert engagement(cm, rows).empty
    mine = demo_map.contact_map.map(Viewer(role="employee", person_id=int(snap.person_id[a])))
    assert engagement(mine, rows).set_index("node").loc[a, "responders"] == 1


def test_bulk_senders_have_volume_and_no_engagement(demo_map: Workspace) -> None:
    truth = demo_map.demo_truth()
    people = read_truth(truth, "people.csv").set_index("truth_person_id")
    senders: set[int] = set()
    with demo_map.store.read() as conn:
        for t in read_truth(truth, "bulk_senders.csv")["person_id"]:
            slug = people.loc[t, "linkedin_slug"]
            senders |= set(find_person(conn, f"https://www.linkedin.com/in/{slug}"))
    frame = demo_map.influence_service.engagement_frame()
    pid = demo_map.map().snap.person_id[frame["node"].to_numpy()]
    bulk = frame[np.isin(pid, list(senders))]
    assert len(bulk) == len(senders) >= 8
    assert (bulk["responders"] == 0).all() and (bulk["reply_rate"] == 0).all()
    by_sent = frame["sent"].rank(ascending=False)[bulk.index].median()
    by_responders = frame["responders"].rank(ascending=False)[bulk.index].median()
    assert by_sent < len(frame) / 10 < len(frame) / 2 < by_responders
    result = demo_map.influence_service.engagement(top=5)
    top = result["people"][0]
    assert top["ranks"]["responders"] == 1 and top["reasons"][0].endswith("responded to them")
    table = demo_map.engagement(top=5)
    assert list(table["responders"]) == sorted(table["responders"], reverse=True)
