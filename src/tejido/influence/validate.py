"""Influence against the demo's ground truth: the planted hidden hubs and bought followers.

Truth people are joined to store people as the contact-map report joins them (the rows of
the imported Connections.csv files); bought followers are joined by their X id. Both are
scored as the analyst (the default viewer) sees the company: a planted person whose
network the analyst may not use cannot be found, and is counted apart.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tejido.contactmap.validate import read_truth, truth_person_map
from tejido.influence.suspicious import THRESHOLD, WEIGHTS

if TYPE_CHECKING:
    import pandas as pd

    from tejido.influence.service import InfluenceService

__all__ = ["InfluenceReport", "influence_report", "scores"]

TOP = 10  # hidden hubs are scored in the first ten of the list


@dataclass
class InfluenceReport:
    """Precision of the hidden-hub list and of the suspicious-account score."""

    hubs_planted: int
    hubs_compared: int  # planted hubs among the people compared (whose network is seen)
    hubs_in_top: int
    precision_at_10: float
    recall_at_10: float
    hub_ranks: list[int]  # each compared planted hub's place in the full list
    bought_planted: int
    bought_seen: int  # bought accounts in the follows the analyst may use
    suspicious_flagged: int
    suspicious_precision: float
    suspicious_recall: float
    without_sign: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def scores(truth: Any, found: Any) -> dict[str, float]:
    """Precision, recall and F1 of boolean ``found`` against boolean ``truth``.

    >>> scores([True, True, False, False], [True, False, True, False])
    {'precision': 0.5, 'recall': 0.5, 'f1': 0.5}
    """
    t, f = np.asarray(truth, dtype=bool), np.asarray(found, dtype=bool)
    hit = int((t & f).sum())
    precision = hit / max(int(f.sum()), 1)
    recall = hit / max(int(t.sum()), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-12)
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def influence_report(service: InfluenceService, truth_dir: Path) -> InfluenceReport:
    """Score ``tejido hidden-hubs`` and ``tejido suspicious`` against ``truth_dir``."""
    _to_truth, to_store = truth_person_map(service.maps.store, truth_dir)
    planted = read_truth(truth_dir, "hidden_hubs.csv")
    hub_ids = {to_store[int(t)] for t in planted["truth_person_id"] if int(t) in to_store}
    everyone = service.hidden_hubs(top=1_000_000)
    listed = [r["person"].get("id") for r in everyone["hidden_hubs"]]
    compared = _compared(service, hub_ids)
    ranks = sorted(listed.index(p) + 1 for p in hub_ids if p in listed)
    in_top = sum(1 for p in listed[:TOP] if p in hub_ids)
    bought = set(read_truth(truth_dir, "bought_followers.csv")["x_id"])
    frame = service.suspicious_frame()
    is_bought = frame["x_id"].isin(bought).to_numpy()
    found = scores(is_bought, frame["suspicious"].to_numpy())
    return InfluenceReport(
        hubs_planted=len(planted),
        hubs_compared=compared,
        hubs_in_top=in_top,
        precision_at_10=round(in_top / TOP, 4),
        recall_at_10=round(in_top / max(compared, 1), 4),
        hub_ranks=ranks,
        bought_planted=len(bought),
        bought_seen=int(is_bought.sum()),
        suspicious_flagged=int(frame["suspicious"].sum()),
        suspicious_precision=found["precision"],
        suspicious_recall=found["recall"],
        without_sign=_ablation(frame, is_bought),
    )


def _compared(service: InfluenceService, hub_ids: set[int]) -> int:
    """How many planted hubs are among the people the hidden-hub list compares."""
    from tejido.contactmap.lookup import upload_owners
    from tejido.influence.hidden import whole_networks

    cm = service.maps.map(None)
    net = service.network(None)
    with service.maps.store.read() as conn:
        owners = upload_owners(conn)
    known = whole_networks(cm, net.nodes, owners)
    ids = set(cm.snap.person_id[net.nodes[known]].tolist())
    return len(hub_ids & ids)


def _ablation(frame: pd.DataFrame, is_bought: Any) -> dict[str, dict[str, float]]:
    """Precision and recall with each sign left out of the score: what each one carries."""
    out = {}
    for sign in WEIGHTS:
        fired = frame[f"sign_{sign}"].to_numpy(dtype=bool)
        # Take the sign's evidence back out of the noisy-OR.
        rest = 1.0 - (1.0 - frame["score"].to_numpy()) / np.where(fired, 1.0 - WEIGHTS[sign], 1.0)
        out[sign] = scores(is_bought, rest >= THRESHOLD)
    return out
