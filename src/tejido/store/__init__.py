"""The store: SQLAlchemy models, engines and Alembic migrations."""

from tejido.store.engine import current_revision, head_revision, make_engine, migrate
from tejido.store.models import (
    Base,
    Connection,
    ConsentLevel,
    Education,
    Employee,
    IdentifierKind,
    Interaction,
    OrgAlias,
    Organisation,
    Person,
    PersonIdentifier,
    Position,
    RelationType,
    Upload,
    UploadKind,
    UploadStatus,
)

__all__ = [
    "Base",
    "Connection",
    "ConsentLevel",
    "Education",
    "Employee",
    "IdentifierKind",
    "Interaction",
    "OrgAlias",
    "Organisation",
    "Person",
    "PersonIdentifier",
    "Position",
    "RelationType",
    "Upload",
    "UploadKind",
    "UploadStatus",
    "current_revision",
    "head_revision",
    "make_engine",
    "migrate",
]
