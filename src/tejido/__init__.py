"""Tejido: see and use the professional network a company's people already have.

>>> import tejido
>>> sorted(tejido.IMPORTERS)
['crm', 'edges', 'linkedin', 'roster', 'shares', 'x']
"""

from tejido.config import Settings
from tejido.errors import BadInputError, ConflictError, ForbiddenError, NotFoundError, TejidoError
from tejido.ingest import IMPORTERS, ImportResult
from tejido.reports import ResolveReport, Stats
from tejido.workspace import Workspace

__all__ = [
    "IMPORTERS",
    "BadInputError",
    "ConflictError",
    "ForbiddenError",
    "ImportResult",
    "NotFoundError",
    "ResolveReport",
    "Settings",
    "Stats",
    "TejidoError",
    "Workspace",
]

__version__ = "0.1.0"
