"""The snapshot step: the store as compact arrays, cached on disk per store version.

Names are imported on first use (building needs numba; reading a snapshot does not).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tejido._lazy import lazy_attributes

if TYPE_CHECKING:
    from tejido.snapshot.build import build_snapshot
    from tejido.snapshot.model import ORG_RELATIONS, TIE_RELATIONS, Snapshot
    from tejido.snapshot.read import read_store

__all__ = ["ORG_RELATIONS", "TIE_RELATIONS", "Snapshot", "build_snapshot", "read_store"]

_WHERE = {
    "ORG_RELATIONS": "model",
    "TIE_RELATIONS": "model",
    "build_snapshot": "build",
    "Snapshot": "model",
    "read_store": "read",
}


__getattr__ = lazy_attributes(__name__, _WHERE)
