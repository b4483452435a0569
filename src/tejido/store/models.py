"""SQLAlchemy models of the store: people, employees, organisations, ties and uploads.

Every fact that came from a file points to the ``Upload`` that asserted it (and the line),
so that an upload can be superseded or erased completely.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, ClassVar, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "AuditEvent",
    "Base",
    "Connection",
    "ConsentLevel",
    "Education",
    "Employee",
    "IdentifierAssertion",
    "IdentifierKind",
    "Interaction",
    "Job",
    "JobStatus",
    "LoginAttempt",
    "OrgAlias",
    "Organisation",
    "Person",
    "PersonIdentifier",
    "Position",
    "RelationOverride",
    "RelationType",
    "Role",
    "ShareEvent",
    "StoreState",
    "TieRelation",
    "Upload",
    "UploadKind",
    "UploadStatus",
    "UserAccount",
    "WebSession",
    "table_of",
]

# Stable constraint names so that Alembic migrations are the same on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# BigInteger keys on PostgreSQL (100M edges), plain INTEGER PRIMARY KEY (rowid) on SQLite.
Id = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON}


class ConsentLevel(enum.StrEnum):
    """What an employee lets the company see of their network."""

    PRIVATE = "private"  # nobody but the employee sees their ties
    EXISTENCE_ONLY = "existence_only"  # counted in aggregates; paths say whom to ask, no details
    NAMED = "named"  # analysts see the named network


class RelationType(enum.StrEnum):
    """What an organisation is to us, from the CRM."""

    CUSTOMER = "customer"
    PROSPECT = "prospect"
    COMPETITOR = "competitor"
    PARTNER = "partner"
    SUPPLIER = "supplier"
    OTHER = "other"


class TieRelation(enum.StrEnum):
    """What an employee's contact is to them; the order is the priority of the classes."""

    COLLEAGUE = "colleague"
    EX_COLLEAGUE = "ex_colleague"
    CLASSMATE = "classmate"
    CUSTOMER = "customer"
    PROSPECT = "prospect"
    PARTNER = "partner"
    SUPPLIER = "supplier"
    COMPETITOR = "competitor"
    OTHER = "other"


class Role(enum.StrEnum):
    """What a user of the web app may do (see docs/web.md)."""

    ADMIN = "admin"  # users, roles, imports, the audit log
    ANALYST = "analyst"  # aggregates, and the named networks of employees who chose "named"
    REVIEWER = "reviewer"  # compliance: reviews content (later issues)
    EMPLOYEE = "employee"  # their own network and their own uploads


class UploadKind(enum.StrEnum):
    LINKEDIN = "linkedin"
    X = "x"
    CRM = "crm"
    ROSTER = "roster"
    EDGES = "edges"
    SHARES = "shares"  # a share log: who shared (liked, clicked...) which post, when


class UploadStatus(enum.StrEnum):
    ACTIVE = "active"
    SUPERSEDED = "superseded"  # a newer export of the same owner replaced its facts


class IdentifierKind(enum.StrEnum):
    """Strong keys that identify a person: one value never belongs to two people."""

    LINKEDIN = "linkedin"  # canonical profile URL path, e.g. "in/tomasruiz82"
    EMAIL = "email"
    X_ID = "x_id"
    X_HANDLE = "x_handle"
    EXTERNAL = "external"  # a node id of an imported edge list


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(
        cls,
        name=name,
        native_enum=False,
        validate_strings=True,
        length=24,
        values_callable=lambda members: [m.value for m in members],
    )


class Upload(Base):
    __tablename__ = "upload"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    kind: Mapped[UploadKind] = mapped_column(_enum(UploadKind, "upload_kind"))
    filename: Mapped[str] = mapped_column(String(1024))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    owner_person_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[UploadStatus] = mapped_column(
        _enum(UploadStatus, "upload_status"), default=UploadStatus.ACTIVE
    )
    uploaded_by: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    warnings: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(512))
    key: Mapped[str] = mapped_column(String(512), index=True)  # folded name, legal suffixes off
    country: Mapped[str | None] = mapped_column(String(64))
    industry: Mapped[str | None] = mapped_column(String(256))
    relation: Mapped[RelationType | None] = mapped_column(_enum(RelationType, "relation_type"))
    crm_id: Mapped[str | None] = mapped_column(String(128))
    # Which CRM upload last stated the fields above (no foreign key: it would close a
    # cycle organisation -> upload -> person -> organisation).
    crm_upload_id: Mapped[int | None] = mapped_column(Id)
    is_ours: Mapped[bool] = mapped_column(Boolean, default=False)  # the company using Tejido
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class OrgAlias(Base):
    """Every spelling (folded) and web domain seen for an organisation."""

    __tablename__ = "org_alias"
    __table_args__ = (
        UniqueConstraint("organisation_id", "kind", "value", name="uq_org_alias_org_kind_value"),
        Index("ix_org_alias_kind_value", "kind", "value"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        Id, ForeignKey("organisation.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(16))  # "name" or "domain"
    value: Mapped[str] = mapped_column(String(512))
    raw: Mapped[str] = mapped_column(String(512))  # one spelling as it was written


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    display_name: Mapped[str] = mapped_column(String(512))
    first_name: Mapped[str | None] = mapped_column(String(256))
    last_name: Mapped[str | None] = mapped_column(String(256))
    name_key: Mapped[str] = mapped_column(String(512), index=True)  # folded full name
    headline: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(512))
    industry: Mapped[str | None] = mapped_column(String(256))
    organisation_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[str | None] = mapped_column(String(512))
    # The upload whose Profile.csv gave headline, location and industry (the person's own).
    profile_upload_id: Mapped[int | None] = mapped_column(Id)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class PersonIdentifier(Base):
    """A strong key of a person: one value never belongs to two people.

    Which uploads asserted the key is in ``IdentifierAssertion``, or, for the keys of a
    contact list, on the ``Connection`` rows that stated them: erasing an upload removes
    its assertions and rows, and a key that nothing states any more goes with them.
    """

    __tablename__ = "person_identifier"
    __table_args__ = (
        UniqueConstraint("kind", "value", name="uq_person_identifier_kind_value"),
        # (person, kind) first: "the LinkedIn keys of these people" must not scan every key.
        Index("ix_person_identifier_person_kind", "person_id", "kind"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    person_id: Mapped[int] = mapped_column(Id, ForeignKey("person.id", ondelete="CASCADE"))
    kind: Mapped[IdentifierKind] = mapped_column(_enum(IdentifierKind, "identifier_kind"))
    value: Mapped[str] = mapped_column(String(512))


class IdentifierAssertion(Base):
    """Upload ``upload_id`` stated key ``identifier_id`` (provenance of every key).

    The key is (upload, identifier), and on SQLite the rows are stored in that order
    (no rowid): an upload's assertions are written side by side, and read or erased
    together. "Does any upload still assert this key?" has its own index.
    """

    __tablename__ = "identifier_assertion"
    __table_args__ = (
        Index("ix_identifier_assertion_identifier_id", "identifier_id"),
        {"sqlite_with_rowid": False},
    )

    upload_id: Mapped[int] = mapped_column(
        Id, ForeignKey("upload.id", ondelete="CASCADE"), primary_key=True
    )
    identifier_id: Mapped[int] = mapped_column(
        Id, ForeignKey("person_identifier.id", ondelete="CASCADE"), primary_key=True
    )


class StoreState(Base):
    """One row: a counter that every write transaction moves on.

    Whoever keeps something derived from the store (an import's look-up memo, the
    snapshot of a later step) compares it to know whether the store changed since.
    """

    __tablename__ = "store_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


class Employee(Base):
    __tablename__ = "employee"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    person_id: Mapped[int] = mapped_column(
        Id, ForeignKey("person.id", ondelete="CASCADE"), unique=True
    )
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    department: Mapped[str | None] = mapped_column(String(256))
    title: Mapped[str | None] = mapped_column(String(512))
    consent: Mapped[ConsentLevel] = mapped_column(
        _enum(ConsentLevel, "consent_level"), default=ConsentLevel.PRIVATE
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    roster_upload_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("upload.id", ondelete="SET NULL")
    )
    # The export that made this person an employee (when no roster listed them first).
    enrolled_upload_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("upload.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Connection(Base):
    """One upload's assertion that two people are connected (a row of a file).

    The same pair asserted by two uploads is two rows: the snapshot merges them, and
    erasing one upload leaves the other's assertion standing.
    """

    __tablename__ = "connection"
    __table_args__ = (
        UniqueConstraint("upload_id", "source_id", "target_id", name="uq_connection_assertion"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    upload_id: Mapped[int] = mapped_column(Id, ForeignKey("upload.id", ondelete="CASCADE"))
    line: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # linkedin, x_follow, edge, manual
    source_id: Mapped[int] = mapped_column(
        Id, ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[int] = mapped_column(
        Id, ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    directed: Mapped[bool] = mapped_column(Boolean, default=False)
    weight: Mapped[float | None] = mapped_column(Float)
    connected_on: Mapped[dt.date | None] = mapped_column(Date)
    # The target's organisation and position as this upload stated them.
    organisation_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    company: Mapped[str | None] = mapped_column(String(512))
    position: Mapped[str | None] = mapped_column(String(512))
    # The target's keys that this row stated (a contact's profile URL and e-mail): their
    # provenance, as identifier_assertion holds it for every other key an upload states.
    # A contact list states a key per row; a row per key beside it doubled the writes.
    # Plain ids, no foreign key: a key goes only when no row or assertion states it.
    target_key_id: Mapped[int | None] = mapped_column(Id, index=True)
    target_email_id: Mapped[int | None] = mapped_column(Id, index=True)


class Interaction(Base):
    """Who addressed whom, when and how (message, like, comment, share, mention, click)."""

    __tablename__ = "interaction"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    upload_id: Mapped[int] = mapped_column(
        Id, ForeignKey("upload.id", ondelete="CASCADE"), index=True
    )
    line: Mapped[int | None] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[int] = mapped_column(
        Id, ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[int] = mapped_column(
        Id, ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    conversation: Mapped[str | None] = mapped_column(String(256))
    group_size: Mapped[int] = mapped_column(Integer, default=1)  # recipients of the message
    subject: Mapped[str | None] = mapped_column(Text)
    content: Mapped[str | None] = mapped_column(Text)
    folder: Mapped[str | None] = mapped_column(String(64))


class ShareEvent(Base):
    """One row of a share log: a known person acted on a post (share, like, comment,
    click) at a time.

    Rows name existing people only (a share log creates nobody), and do not keep a person
    alive: when nothing else refers to a person any more, the person goes and their rows
    go with them (the foreign key cascades).
    """

    __tablename__ = "share_event"
    __table_args__ = (
        # Leads with the upload: erasing an upload finds its rows through it.
        UniqueConstraint("upload_id", "post", "person_id", "action", name="uq_share_event_row"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    upload_id: Mapped[int] = mapped_column(Id, ForeignKey("upload.id", ondelete="CASCADE"))
    line: Mapped[int | None] = mapped_column(Integer)
    post: Mapped[str] = mapped_column(String(256))  # the post's id as the log writes it
    person_id: Mapped[int] = mapped_column(
        Id, ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(16))  # share, like, comment, click
    at: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC


class Position(Base):
    """A job in a person's career (Positions.csv)."""

    __tablename__ = "position"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    upload_id: Mapped[int] = mapped_column(
        Id, ForeignKey("upload.id", ondelete="CASCADE"), index=True
    )
    line: Mapped[int | None] = mapped_column(Integer)
    person_id: Mapped[int] = mapped_column(
        Id, ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    company: Mapped[str] = mapped_column(String(512))
    title: Mapped[str | None] = mapped_column(String(512))
    description: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(512))
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    finished_on: Mapped[dt.date | None] = mapped_column(Date)  # None: current job


class Education(Base):
    """A school in a person's history (Education.csv)."""

    __tablename__ = "education"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    upload_id: Mapped[int] = mapped_column(
        Id, ForeignKey("upload.id", ondelete="CASCADE"), index=True
    )
    line: Mapped[int | None] = mapped_column(Integer)
    person_id: Mapped[int] = mapped_column(
        Id, ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    school: Mapped[str] = mapped_column(String(512))
    school_key: Mapped[str] = mapped_column(String(512), index=True)
    degree: Mapped[str | None] = mapped_column(String(512))
    start_year: Mapped[int | None] = mapped_column(Integer)
    end_year: Mapped[int | None] = mapped_column(Integer)


class RelationOverride(Base):
    """Somebody's correction of the relation class of one employee–contact tie.

    Both sides are named by a stable key rather than a row id, so that the correction
    survives re-imports that erase and re-create the people: ``email:…`` or ``linkedin:…``
    (a strong key, see ``PersonIdentifier``), ``person:<id>`` when the person has none.
    """

    __tablename__ = "relation_override"
    __table_args__ = (
        UniqueConstraint("employee_key", "contact_key", name="uq_relation_override_pair"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    employee_key: Mapped[str] = mapped_column(String(600))
    contact_key: Mapped[str] = mapped_column(String(600), index=True)
    relation: Mapped[TieRelation] = mapped_column(_enum(TieRelation, "tie_relation"))
    note: Mapped[str | None] = mapped_column(Text)
    set_by: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class UserAccount(Base):
    """A local account of the web app: e-mail, argon2 password hash, role."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)  # lower-cased
    display_name: Mapped[str] = mapped_column(String(256))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(_enum(Role, "user_role"))
    # The employee this account is (their own network and uploads), when there is one.
    person_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    language: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class WebSession(Base):
    """A signed-in browser: only the hash of its cookie's token is kept."""

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        Id, ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ip: Mapped[str | None] = mapped_column(String(64))


class LoginAttempt(Base):
    """Every sign-in attempt, to slow down password guessing (per account and address)."""

    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_email_at", "email", "at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    email: Mapped[str] = mapped_column(String(320))
    ip: Mapped[str | None] = mapped_column(String(64))
    ok: Mapped[bool] = mapped_column(Boolean)


class AuditEvent(Base):
    """A sensitive action: who did what to what, when, from where.

    The actor is kept as text (their e-mail) so that the trail outlives their account.
    """

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str | None] = mapped_column(String(512))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    ip: Mapped[str | None] = mapped_column(String(64))


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(Base):
    """Long work done in the background (an import, an analysis): its state and outcome.

    ``errors`` lists what went wrong, each naming the file, line and field when known.
    """

    __tablename__ = "job"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[JobStatus] = mapped_column(
        _enum(JobStatus, "job_status"), default=JobStatus.QUEUED, index=True
    )
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    stage: Mapped[str | None] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_by: Mapped[str | None] = mapped_column(String(320), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


def table_of(model: type[Base]) -> Table:
    """The Core table of a model, typed as such (``Model.__table__`` is typed loosely)."""
    return cast(Table, model.__table__)
