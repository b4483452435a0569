"""The real networks of ../shared/data, read as plain arrays (for checks against networkx)."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
EMAIL_EU = DATA / "email-eu-core" / "email-Eu-core.txt.gz"
EMAIL_EU_LABELS = DATA / "email-eu-core" / "email-Eu-core-department-labels.txt.gz"
CA_GRQC = DATA / "ca-grqc" / "CA-GrQc.txt.gz"
EGO_FACEBOOK = DATA / "ego-facebook" / "facebook_combined.txt.gz"


def pairs(path: Path) -> NDArray[np.int64]:
    """The ``u v`` rows of a SNAP edge file (comment lines skipped)."""
    with gzip.open(path, "rt") as f:
        rows = [line.split()[:2] for line in f if line.strip() and not line.startswith("#")]
    return np.asarray(rows, dtype=np.int64)


def email_eu_departments() -> NDArray[np.int64]:
    labels = pairs(EMAIL_EU_LABELS)
    out = np.full(int(labels[:, 0].max()) + 1, -1, dtype=np.int64)
    out[labels[:, 0]] = labels[:, 1]
    return out
