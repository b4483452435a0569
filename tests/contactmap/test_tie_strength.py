"""Tie strength: the formula's properties, its explanations and its settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from synthetic import ties

from tejido.config import Settings
from tejido.contactmap.tie_strength import EPOCH, StrengthWeights, explain, strength

AS_OF = dt.date(2026, 11, 20)
TODAY = (AS_OF - EPOCH).days


def score(**signals: Any) -> float:
    now, _ = strength(ties([signals]), as_of=AS_OF)
    return float(now[0])


def test_no_evidence_gives_the_base_strength() -> None:
    assert score() == pytest.approx(StrengthWeights().base)


def test_messages_recent_and_reciprocal_make_a_strong_tie() -> None:
    strong = score(uv=7, vu=5, last=TODAY - 21, connected=TODAY - 3000, mutual=6)
    one_way = score(uv=12, vu=0, last=TODAY - 21, connected=TODAY - 3000, mutual=6)
    stale = score(uv=7, vu=5, last=TODAY - 1500, connected=TODAY - 3000, mutual=6)
    assert strong > 0.6
    assert strong > one_way > score()
    assert strong > stale


@settings(max_examples=200, deadline=None)
@given(
    uv=st.integers(0, 200), vu=st.integers(0, 200), group=st.integers(0, 50),
    age=st.integers(0, 4000), mutual=st.integers(0, 500), shared=st.integers(0, 3),
    overlap=st.integers(-1, 200), schools=st.integers(0, 2),
    which=st.sampled_from(["reply", "group", "mutual", "shared", "schools"]),
)  # fmt: skip
def test_more_evidence_never_lowers_strength(**kw: Any) -> None:
    """A reply, a group message, a common contact, an employer or school in common more."""
    which, age = kw.pop("which"), kw.pop("age")
    messaged = kw["uv"] + kw["vu"] + kw["group"] > 0
    base = {**kw, "last": TODAY - age if messaged else 0, "connected": TODAY - 4000}
    more = dict(base, last=TODAY - age)
    if which == "reply":  # to the quieter side (both ways when even): never less reciprocal
        if base["uv"] == base["vu"]:
            more["uv"] += 1
            more["vu"] += 1
        else:
            side = "uv" if base["uv"] < base["vu"] else "vu"
            more[side] += 1
    else:
        more[which] += 1
    now, peak = strength(ties([base, more]), as_of=AS_OF)
    assert 0 < now[0] <= now[1] + 1e-6 and now[1] <= 1
    assert (now <= peak + 1e-6).all()


def test_decay_makes_a_tie_decaying() -> None:
    snap = ties([{"uv": 10, "vu": 10, "last": TODAY - 900, "connected": TODAY - 4000}])
    now, peak = strength(snap, as_of=AS_OF)
    assert peak[0] - now[0] >= StrengthWeights().decaying_drop


def test_explanation_names_every_signal_in_words() -> None:
    snap = ties([{"uv": 7, "vu": 5, "group": 3, "last": TODAY - 21, "connected": TODAY - 3000,
                  "shared": 1, "overlap": 36, "met": True, "schools": 1, "mutual": 4}])  # fmt: skip
    parts = explain(snap, 0, as_of=AS_OF, work_detail="Indra 2016-2019")
    text = "; ".join(p["text"] for p in parts)
    assert "12 messages both ways (7 sent, 5 received), last 3 weeks ago" in text
    assert "worked at Indra 2016-2019, 3 years 0 months together" in text
    assert "3 messages in group conversations" in text
    assert "4 contacts in common" in text and "studied at the same school" in text
    contributions = [p["contribution"] for p in parts]
    assert contributions == sorted(contributions, reverse=True)


def test_weights_come_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEJIDO_STRENGTH__MESSAGES", "0.2")
    monkeypatch.setenv("TEJIDO_STRENGTH__HALF_LIFE_DAYS", "30")
    weights = Settings().strength
    assert (weights.messages, weights.half_life_days) == (0.2, 30)
    signals = {"uv": 7, "vu": 5, "last": TODAY - 21}
    low, _ = strength(ties([signals]), weights, as_of=AS_OF)
    assert float(low[0]) < score(**signals)


def test_bad_weights_are_refused() -> None:
    with pytest.raises(ValueError, match="messages"):
        StrengthWeights(messages=1.5)
