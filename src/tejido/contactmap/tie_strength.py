"""Tie strength in 0..1 from documented signals, with the reasons for every score.

The one place the formula and its weights live. Each signal gives evidence ``f`` in 0..1;
signal ``i`` contributes ``w_i * f_i``, and the pieces combine as a noisy-OR:

    strength = 1 - prod_i (1 - w_i * f_i)

so every signal can only raise the strength, none alone reaches 1, and a tie with no
evidence at all keeps the ``base`` weight. The signals, after Granovetter (time, emotional
intensity, intimacy, reciprocity) and Gilbert & Karahalios (2009, recency of contact and
embeddedness are among the best predictors):

- **messages**: one-to-one messages, ``1 - exp(-n / message_scale)``, times reciprocity
  ``(1 - reciprocity_share) + reciprocity_share * min(sent, received) / max(sent, received)``,
  times the recency decay ``0.5 ** (days since the last message / half_life_days)``;
- **group**: messages in group conversations, ``1 - exp(-n / group_scale)``, decayed too;
- **work**: an employer both worked at: ``1 - exp(-months together / work_scale_months)``
  when both careers are known, ``work_unknown`` when only one is (at least
  ``work_met`` when they connected while both were there);
- **school**: a school both went to (1 or 0);
- **mutual**: common contacts (embeddedness) as the share of the less connected side's
  other contacts that the other side knows too (the overlap coefficient), damped for
  small counts: ``mutual / (min(degree) - 1) * (1 - exp(-mutual / mutual_scale))``;
- **age**: how long they have been connected, ``1 - exp(-years / age_scale_years)``.

``peak`` is the same score without the recency decay: a tie whose peak is high and whose
strength has fallen far below it is **decaying**.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, Field

from tejido.snapshot.model import KIND_MET_AT_WORK, Snapshot

__all__ = [
    "StrengthWeights",
    "TieSignals",
    "explain",
    "explain_many",
    "peak_strength",
    "signals",
    "strength",
]

EPOCH = dt.date(1970, 1, 1)


class StrengthWeights(BaseModel):
    """Weights and scales of the tie-strength formula (see the module docstring).

    Set them with ``TEJIDO_STRENGTH__<NAME>`` (e.g. ``TEJIDO_STRENGTH__MESSAGES=0.9``).
    """

    model_config = {"frozen": True}

    base: float = Field(0.05, ge=0, le=1, description="Strength of a tie with no evidence.")
    messages: float = Field(0.85, ge=0, le=1, description="Weight of one-to-one messages.")
    group: float = Field(0.25, ge=0, le=1, description="Weight of group-conversation messages.")
    work: float = Field(0.4, ge=0, le=1, description="Weight of a shared employer.")
    school: float = Field(0.15, ge=0, le=1, description="Weight of a shared school.")
    mutual: float = Field(0.25, ge=0, le=1, description="Weight of common contacts.")
    age: float = Field(0.15, ge=0, le=1, description="Weight of how long they are connected.")
    message_scale: float = Field(5.0, gt=0, description="Messages for 63% of the evidence.")
    group_scale: float = Field(8.0, gt=0, description="Group messages for 63% of the evidence.")
    reciprocity_share: float = Field(
        0.6, ge=0, le=1, description="Share of message evidence that needs replies."
    )
    half_life_days: float = Field(
        180.0, gt=0, description="Days after which message evidence halves."
    )
    work_scale_months: float = Field(24.0, gt=0, description="Months together for 63%.")
    work_unknown: float = Field(
        0.35, ge=0, le=1, description="Work evidence when only one career is known."
    )
    work_met: float = Field(
        0.7, ge=0, le=1, description="Work evidence when they connected while both were there."
    )
    mutual_scale: float = Field(
        2.0, gt=0, description="Common contacts for 63% of the damping of small counts."
    )
    age_scale_years: float = Field(4.0, gt=0, description="Years connected for 63%.")
    decaying_drop: float = Field(
        0.25, ge=0, le=1, description="A tie is decaying when peak - strength >= this."
    )


@dataclass
class TieSignals:
    """The raw signals of some edges, as the formula reads them."""

    sent: NDArray[np.int64]  # one-to-one messages u -> v
    received: NDArray[np.int64]  # v -> u
    group: NDArray[np.int64]
    last_days_ago: NDArray[np.int64]  # -1: no message
    years: NDArray[np.float64]  # years connected, -1 unknown
    connected_day: NDArray[np.int64]  # 0 unknown
    shared_orgs: NDArray[np.int64]
    overlap: NDArray[np.int64]  # months together, -1 unknown
    met_at_work: NDArray[np.bool_]
    shared_schools: NDArray[np.int64]
    mutual: NDArray[np.int64]
    mutual_share: NDArray[np.float64]  # mutual / (the smaller degree - 1)


def _today_day(as_of: dt.date | None) -> int:
    return ((as_of or dt.date.today()) - EPOCH).days


def signals(snap: Snapshot, edges: Any = None, *, as_of: dt.date | None = None) -> TieSignals:
    """The signals of ``edges`` (all edges when None)."""
    sel = np.arange(snap.n_edges) if edges is None else np.asarray(edges, dtype=np.int64)
    today = _today_day(as_of)
    msgs = snap.messages_of(sel)
    last = msgs["last"].astype(np.int64)
    connected = np.asarray(snap.connected[sel], dtype=np.int64)
    mutual = np.asarray(snap.mutual[sel], dtype=np.int64)
    degree = snap.visible_degree
    smaller = np.minimum(degree[snap.u[sel]], degree[snap.v[sel]])
    return TieSignals(
        sent=msgs["uv"].astype(np.int64),
        received=msgs["vu"].astype(np.int64),
        group=msgs["group"].astype(np.int64),
        last_days_ago=np.where(last > 0, np.maximum(today - last, 0), -1),
        years=np.where(connected > 0, np.maximum(today - connected, 0) / 365.25, -1.0),
        connected_day=connected,
        shared_orgs=np.asarray(snap.shared_orgs[sel], dtype=np.int64),
        overlap=np.asarray(snap.overlap[sel], dtype=np.int64),
        met_at_work=(np.asarray(snap.kinds[sel]) & KIND_MET_AT_WORK) > 0,
        shared_schools=np.asarray(snap.shared_schools[sel], dtype=np.int64),
        mutual=mutual,
        mutual_share=np.minimum(mutual / np.maximum(smaller - 1, 1), 1.0),
    )


def _evidence(s: TieSignals, w: StrengthWeights, decay: bool) -> dict[str, NDArray[np.float64]]:
    """Each signal's evidence f in 0..1, before weights."""
    n = s.sent + s.received
    hi = np.maximum(s.sent, s.received)
    recip = np.where(hi > 0, np.minimum(s.sent, s.received) / np.maximum(hi, 1), 0.0)
    fade = np.where(
        s.last_days_ago >= 0, 0.5 ** (np.maximum(s.last_days_ago, 0) / w.half_life_days), 0.0
    )
    fade = fade if decay else np.where(s.last_days_ago >= 0, 1.0, 0.0)
    messages = (1 - np.exp(-n / w.message_scale)) * (
        (1 - w.reciprocity_share) + w.reciprocity_share * recip
    )
    group = 1 - np.exp(-s.group / w.group_scale)
    known = s.overlap >= 0
    work = np.where(
        s.shared_orgs > 0,
        np.where(
            known, 1 - np.exp(-np.maximum(s.overlap, 0) / w.work_scale_months), w.work_unknown
        ),
        0.0,
    )
    work = np.where((s.shared_orgs > 0) & s.met_at_work, np.maximum(work, w.work_met), work)
    return {
        "messages": messages * fade,
        "group": group * fade,
        "work": work,
        "school": (s.shared_schools > 0).astype(np.float64),
        "mutual": s.mutual_share * (1 - np.exp(-s.mutual / w.mutual_scale)),
        "age": np.where(s.years >= 0, 1 - np.exp(-np.maximum(s.years, 0) / w.age_scale_years), 0.0),
    }


def _combine(evidence: dict[str, NDArray[np.float64]], w: StrengthWeights) -> NDArray[np.float64]:
    keep = np.full(len(next(iter(evidence.values()))), 1.0 - w.base)
    for name, f in evidence.items():
        keep *= 1.0 - getattr(w, name) * f
    out: NDArray[np.float64] = 1.0 - keep
    return out


def strength(
    snap: Snapshot, weights: StrengthWeights | None = None, *, as_of: dt.date | None = None
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Strength and peak (strength without recency decay) of every edge, float32."""
    w = weights or StrengthWeights()
    s = signals(snap, as_of=as_of)
    now = _combine(_evidence(s, w, decay=True), w)
    peak = _combine(_evidence(s, w, decay=False), w)
    return now.astype(np.float32), peak.astype(np.float32)


def peak_strength(
    snap: Snapshot,
    edges: Any,
    weights: StrengthWeights | None = None,
    *,
    as_of: dt.date | None = None,
) -> NDArray[np.float32]:
    """Strength of ``edges`` without the recency decay."""
    w = weights or StrengthWeights()
    s = signals(snap, edges, as_of=as_of)
    out: NDArray[np.float32] = _combine(_evidence(s, w, decay=False), w).astype(np.float32)
    return out


def _ago(days: int) -> str:
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''} ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    if days < 730:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"


def explain(
    snap: Snapshot,
    edge: int,
    weights: StrengthWeights | None = None,
    *,
    as_of: dt.date | None = None,
    work_detail: str | None = None,
    school_detail: str | None = None,
) -> list[dict[str, Any]]:
    """Why edge ``edge`` has its strength: one entry per signal that contributed.

    Each entry has ``signal``, ``text`` (a sentence), ``evidence`` (f) and ``contribution``
    (w * f). ``work_detail`` and ``school_detail`` name the employer and years, or the
    school, when the caller looked them up ("Indra 2016-2019").
    """
    details = {edge: (work_detail, school_detail)}
    return explain_many(snap, [edge], weights, as_of=as_of, details=details)[0]


def explain_many(
    snap: Snapshot,
    edges: Any,
    weights: StrengthWeights | None = None,
    *,
    as_of: dt.date | None = None,
    details: dict[int, tuple[str | None, str | None]] | None = None,
) -> list[list[dict[str, Any]]]:
    """``explain`` for many edges at once (the signals are computed together)."""
    w = weights or StrengthWeights()
    edges = [int(e) for e in edges]
    s = signals(snap, edges, as_of=as_of)
    evidence = {k: v.tolist() for k, v in _evidence(s, w, decay=True).items()}
    cols = {name: getattr(s, name).tolist() for name in TieSignals.__dataclass_fields__}
    out = []
    for i, edge in enumerate(edges):
        work_detail, school_detail = (details or {}).get(edge, (None, None))
        row = {name: values[i] for name, values in cols.items()}
        out.append(_reasons(row, {k: v[i] for k, v in evidence.items()}, w, work_detail,
                            school_detail))  # fmt: skip
    return out


def _reasons(
    s: dict[str, Any],
    ev: dict[str, float],
    w: StrengthWeights,
    work_detail: str | None,
    school_detail: str | None,
) -> list[dict[str, Any]]:
    parts: list[dict[str, Any]] = []

    def add(signal: str, text: str, **facts: Any) -> None:
        # ``facts`` are the figures behind ``text``, for saying it in another language.
        f = ev[signal]
        contribution = round(getattr(w, signal) * f, 3)
        parts.append({"signal": signal, "text": text, "evidence": round(f, 3),
                      "contribution": contribution, "facts": facts})  # fmt: skip

    sent, received, group = s["sent"], s["received"], s["group"]
    if sent + received:
        way = "both ways" if sent and received else "one way only"
        last = int(s["last_days_ago"])
        add("messages", f"{sent + received} messages {way} ({sent} sent, {received} received), "
                        f"last {_ago(last)}", sent=int(sent), received=int(received),
            last_days_ago=last)  # fmt: skip
    if group:
        add("group", f"{group} messages in group conversations", group=int(group))
    if s["shared_orgs"]:
        months = s["overlap"]
        where = work_detail or (
            "the same company" if s["shared_orgs"] == 1 else f"{s['shared_orgs']} companies"
        )
        together = f", {months // 12} years {months % 12} months together" if months > 0 else ""
        met = "; connected while working there" if s["met_at_work"] else ""
        add("work", f"worked at {where}{together}{met}", where=work_detail,
            shared_orgs=int(s["shared_orgs"]), months=int(max(months, 0)),
            met_at_work=bool(s["met_at_work"]))  # fmt: skip
    if s["shared_schools"]:
        add("school", f"studied at {school_detail or 'the same school'}", school=school_detail)
    if s["mutual"]:
        share = f" ({s['mutual_share']:.0%} of the less connected one's other contacts)"
        add("mutual", f"{s['mutual']} contacts in common{share}", mutual=int(s["mutual"]),
            share=float(s["mutual_share"]))  # fmt: skip
    if s["years"] >= 0:
        day = EPOCH + dt.timedelta(days=s["connected_day"])
        add("age", f"connected since {day.isoformat()} ({s['years']:.1f} years)",
            since=day.isoformat(), years=round(float(s["years"]), 1))  # fmt: skip
    parts.sort(key=lambda p: -p["contribution"])
    return parts
