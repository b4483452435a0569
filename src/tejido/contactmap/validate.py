"""The contact map against the demo's ground truth: relation classes, tie strength and the
planted warm paths.

Store people are joined to truth people through the rows of the imported Connections.csv
files (file name and line), as identity resolution's report does.

The generator draws each tie for a reason (``ties.csv`` ``kind``), some of which no file
shows: a contact's school is never written in a LinkedIn export, and "industry" ties look
like any other. So classes are scored against the **observable** truth: the generator's
own priority rules (colleague, ex-colleague, CRM type, other) applied to what the files
say — the contact's company as some export wrote it, the owner's Positions.csv. The raw
truth is reported beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sqlalchemy import select

from tejido.contactmap.paths import warm_paths
from tejido.contactmap.relations import TIE_RELATIONS
from tejido.contactmap.view import ContactMap
from tejido.errors import NotFoundError
from tejido.store.models import Connection, Upload, UploadStatus, table_of
from tejido.store.session import Store

__all__ = ["ContactMapReport", "contact_map_report", "read_truth", "truth_person_map"]

_CRM = ("customer", "prospect", "partner", "supplier", "competitor")


def read_truth(truth_dir: Path, name: str) -> pd.DataFrame:
    """One ground-truth CSV of a demo company, every column as text."""
    path = truth_dir / name
    if not path.exists():
        raise NotFoundError(f"ground truth {path} does not exist")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@dataclass
class ContactMapReport:
    """Per-class precision and recall, strength correlation and planted-path ranks."""

    classes: dict[str, dict[str, float]]
    accuracy: float
    ties_scored: int
    raw_classes: dict[str, dict[str, float]]
    strength_spearman: float
    strength_spearman_messaged: float
    planted: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "classes": self.classes,
            "accuracy": self.accuracy,
            "ties_scored": self.ties_scored,
            "raw_classes": self.raw_classes,
            "strength_spearman": self.strength_spearman,
            "strength_spearman_messaged": self.strength_spearman_messaged,
            "planted_paths": self.planted,
        }


def truth_person_map(store: Store, truth_dir: Path) -> tuple[dict[int, int], dict[int, int]]:
    """Store person id -> truth person id, and truth -> the store id most rows name."""
    T, U = table_of(Connection), table_of(Upload)
    with store.read() as conn:
        rows = conn.execute(
            select(U.c.filename, T.c.line, T.c.source_id, T.c.target_id)
            .join(U, U.c.id == T.c.upload_id)
            .where(U.c.kind == "linkedin", U.c.status == UploadStatus.ACTIVE)
        ).all()
    found = pd.DataFrame(rows, columns=["file", "line", "source_id", "target_id"])
    mentions = read_truth(truth_dir, "connection_mentions.csv")
    mentions["line"] = mentions["line"].astype(int)
    joined = mentions.merge(found, on=["file", "line"], how="inner")
    pairs = pd.concat([
        pd.DataFrame({"store": joined["source_id"], "truth": joined["owner_person_id"]}),
        pd.DataFrame({"store": joined["target_id"], "truth": joined["contact_person_id"]}),
    ])  # fmt: skip
    counts = pairs.value_counts().reset_index()  # most frequent pairs first
    best = counts.drop_duplicates("store")
    to_truth = {int(s): int(t) for s, t in zip(best["store"], best["truth"], strict=True)}
    # A person identity resolution split in two maps back to the id most rows name.
    back = counts.drop_duplicates("truth")
    to_store = {int(t): int(s) for s, t in zip(back["store"], back["truth"], strict=True)}
    return to_truth, to_store


def _observable_kinds(truth_dir: Path) -> dict[tuple[int, int], str]:
    """The class each truth tie should get from what the files show."""
    people = read_truth(truth_dir, "people.csv")
    employee = dict(zip(people["truth_person_id"].astype(int), people["is_employee"] == "1",
                        strict=True))  # fmt: skip
    orgs = read_truth(truth_dir, "organisations.csv")
    relation = dict(zip(orgs["truth_org_id"].astype(int), orgs["relation"], strict=True))
    mentions = read_truth(truth_dir, "connection_mentions.csv")
    written = mentions[mentions["truth_org_id"] != ""]
    org_seen = dict(zip(written["contact_person_id"].astype(int),
                        written["truth_org_id"].astype(int), strict=False))  # fmt: skip
    jobs = read_truth(truth_dir, "position_mentions.csv")
    past: dict[int, set[int]] = {}
    for p, o in zip(jobs["person_id"].astype(int), jobs["truth_org_id"].astype(int), strict=True):
        past.setdefault(p, set()).add(o)
    ties = read_truth(truth_dir, "ties.csv")
    out: dict[tuple[int, int], str] = {}
    for a, b in zip(ties["person_a"].astype(int), ties["person_b"].astype(int), strict=True):
        if employee.get(b, False):
            out[(a, b)] = "colleague"
            continue
        org = org_seen.get(b)
        # Positions.csv lists the current job too; the current employer is ours.
        if org is not None and org in past.get(a, set()) and org != 1:
            out[(a, b)] = "ex_colleague"
        elif org is not None and relation.get(org) in _CRM:
            out[(a, b)] = str(relation[org])
        else:
            out[(a, b)] = "other"
    return out


def _scores(truth: list[str], found: list[str]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    t, f = np.array(truth), np.array(found)
    for cls in TIE_RELATIONS:
        true, pred = t == cls, f == cls
        if not true.any() and not pred.any():
            continue
        hit = int((true & pred).sum())
        out[cls] = {
            "truth": int(true.sum()),
            "found": int(pred.sum()),
            "precision": round(hit / pred.sum(), 4) if pred.any() else 0.0,
            "recall": round(hit / true.sum(), 4) if true.any() else 0.0,
        }
    return out


def contact_map_report(store: Store, cm: ContactMap, truth_dir: Path) -> ContactMapReport:
    """Score ``cm`` (an analyst's map of the demo in ``store``) against ``truth_dir``."""
    to_truth, to_store = truth_person_map(store, truth_dir)
    snap = cm.snap
    ids = snap.person_id
    tu = np.array([to_truth.get(int(p), -1) for p in ids.tolist()], dtype=np.int64)
    a, b = tu[snap.u], tu[snap.v]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    ties = read_truth(truth_dir, "ties.csv")
    key = {(int(x), int(y)): i for i, (x, y) in
           enumerate(zip(ties["person_a"], ties["person_b"], strict=True))}  # fmt: skip
    observable = _observable_kinds(truth_dir)
    raw_kind = ties["kind"].tolist()
    truth_strength = ties["strength"].astype(float).to_numpy()
    rows = []
    for e in np.flatnonzero((a > 0) & (b > 0) & (cm.relation >= 0)).tolist():
        i = key.get((int(lo[e]), int(hi[e])))
        if i is not None:
            rows.append((e, i))
    edges = np.array([e for e, _ in rows], dtype=np.int64)
    index = np.array([i for _, i in rows], dtype=np.int64)
    found = [TIE_RELATIONS[int(c)] for c in cm.relation[edges]]
    truth_obs = [observable[(int(ties["person_a"][i]), int(ties["person_b"][i]))] for i in index]
    raw = ["other" if raw_kind[i] == "industry" else raw_kind[i] for i in index]
    mine = cm.strength[edges].astype(np.float64)
    theirs = truth_strength[index]
    messaged = (
        np.asarray(snap.messages_of(edges)["uv"]) + np.asarray(snap.messages_of(edges)["vu"]) > 0
    )
    rho = float(spearmanr(mine, theirs).statistic) if len(edges) > 2 else float("nan")
    rho_m = (float(spearmanr(mine[messaged], theirs[messaged]).statistic)
             if messaged.sum() > 2 else float("nan"))  # fmt: skip
    accuracy = float(np.mean(np.array(found) == np.array(truth_obs))) if rows else 0.0
    return ContactMapReport(
        classes=_scores(truth_obs, found),
        accuracy=round(accuracy, 4),
        ties_scored=len(rows),
        raw_classes=_scores(raw, found),
        strength_spearman=round(rho, 4),
        strength_spearman_messaged=round(rho_m, 4),
        planted=_planted(cm, truth_dir, to_store),
    )


def _planted(cm: ContactMap, truth_dir: Path, store_of: dict[int, int]) -> list[dict[str, Any]]:
    """Where each planted warm path ranks among the paths to its target."""
    path = truth_dir / "warm_paths.csv"
    if not path.exists():
        return []
    planted = read_truth(truth_dir, "warm_paths.csv")
    snap = cm.snap
    out = []
    for r in planted.to_dict("records"):
        target = store_of.get(int(r["target_person_id"]))
        intro = store_of.get(int(r["introducer_person_id"]))
        requester = store_of.get(int(r["requester_person_id"]))
        entry: dict[str, Any] = {"target": int(r["target_person_id"]), "rank": None,
                                 "rank_from_requester": None}  # fmt: skip
        if target is None or intro is None:
            out.append(entry)
            continue
        t, i = int(snap.index_of([target])[0]), int(snap.index_of([intro])[0])
        ranked = warm_paths(cm, [t], k=10)
        entry["rank"] = next((n for n, p in enumerate(ranked, 1) if p.introducer == i), None)
        if requester is not None:
            src = int(snap.index_of([requester])[0])
            ranked = warm_paths(cm, [t], k=10, source=src)
            entry["rank_from_requester"] = next(
                (n for n, p in enumerate(ranked, 1) if p.nodes[:3] == [src, i, t]), None
            )
        out.append(entry)
    return out
