"""The snapshot step: the store as compact arrays, cached on disk per store version."""

from tejido.snapshot.build import ORG_RELATIONS, TIE_RELATIONS, build_snapshot
from tejido.snapshot.model import Snapshot
from tejido.snapshot.read import read_store

__all__ = ["ORG_RELATIONS", "TIE_RELATIONS", "Snapshot", "build_snapshot", "read_store"]
