"""The store object: one engine, serialised write transactions and read connections."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tejido.store.engine import make_engine, migrate
from tejido.store.models import Base, StoreState, table_of

__all__ = ["Store"]

# Any constant: imports hold this PostgreSQL advisory lock for their whole transaction, so
# that two uploads never resolve identities against each other's half-written rows.
_WRITE_LOCK = 0x7E71D0
# The tables identity resolution probes on every upload.
_LOOKUP_TABLES = ("person_identifier", "person", "org_alias", "organisation")
_STATE = table_of(StoreState)


class Store:
    """The store behind a workspace: SQLite file by default, PostgreSQL by URL.

    >>> store = Store("sqlite://")
    >>> with store.write() as conn:
    ...     _ = conn.execute(text("select 1"))
    >>> store.dialect
    'sqlite'
    """

    def __init__(self, url: str, *, upgrade: bool = True) -> None:
        self.url = url
        self.engine: Engine = make_engine(url)
        if upgrade:
            migrate(self.engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def safe_url(self) -> str:
        """The URL with any password hidden, for messages and logs."""
        return make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def write(self, *, content: bool = True) -> Iterator[Connection]:
        """One write transaction: committed when the block ends, rolled back on any error.

        A write of content (people, ties, consent: what the contact map is made of) moves
        the store's version on (see ``version``), so snapshots are rebuilt. Bookkeeping
        (``content=False``: sessions, sign-in attempts, the audit log, jobs) does not.
        """
        with self.engine.connect().execution_options(tejido_write=True) as conn, conn.begin():
            if self.dialect == "sqlite":
                # IMMEDIATE takes the write lock at once, so two imports queue up instead
                # of failing half-way with "database is locked".
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            if not content:
                yield conn
                return
            if self.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITE_LOCK})
            bumped = conn.execute(
                update(_STATE).where(_STATE.c.id == 1).values(version=_STATE.c.version + 1)
            )
            if not bumped.rowcount:
                conn.execute(insert(_STATE).values(id=1, version=1))
            yield conn

    def version(self, conn: Connection | None = None) -> int:
        """A number that every write transaction changes: equal numbers, same store.

        >>> store = Store("sqlite://")
        >>> before = store.version()
        >>> with store.write():
        ...     pass
        >>> store.version() == before + 1
        True
        """
        query = select(_STATE.c.version).where(_STATE.c.id == 1)
        if conn is not None:
            return int(conn.execute(query).scalar() or 0)
        with self.read() as reader:
            return int(reader.execute(query).scalar() or 0)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def refresh_statistics(self, tables: tuple[str, ...] | None = _LOOKUP_TABLES) -> None:
        """Let PostgreSQL's planner see how big the tables have grown (None: every table).

        A batch import grows them faster than autovacuum analyses them. With stale
        statistics the planner scans every key of a kind instead of probing the index
        during the import, and after it sized a count of distinct ties over 935k rows
        for 4,290 groups and ran for more than ten minutes instead of five seconds.
        """
        if self.dialect != "postgresql":
            return
        names = tables if tables is not None else tuple(Base.metadata.tables)
        with self.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            for table in names:
                conn.exec_driver_sql(f'ANALYZE "{table}"')

    def session(self) -> Session:
        return Session(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
