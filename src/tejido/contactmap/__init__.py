"""The contact map: company-centred degrees, relation classes, tie strength, account
coverage, warm-introduction paths and prospecting, on snapshots of the store.

Names are imported on first use, so that ``import tejido`` (and every CLI command) does
not load the compiled kernels and the statistics it needs only here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tejido._lazy import lazy_attributes

if TYPE_CHECKING:
    from tejido.contactmap.relations import TIE_RELATIONS, relation_classes
    from tejido.contactmap.service import ContactMapService
    from tejido.contactmap.tie_strength import StrengthWeights
    from tejido.contactmap.view import ContactMap, Viewer

__all__ = [
    "TIE_RELATIONS",
    "ContactMap",
    "ContactMapService",
    "StrengthWeights",
    "Viewer",
    "relation_classes",
]

_WHERE = {
    "TIE_RELATIONS": "relations",
    "relation_classes": "relations",
    "ContactMapService": "service",
    "StrengthWeights": "tie_strength",
    "ContactMap": "view",
    "Viewer": "view",
}


__getattr__ = lazy_attributes(__name__, _WHERE)
