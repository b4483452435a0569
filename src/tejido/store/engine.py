"""Engines and schema migrations for the store (SQLite file by default, PostgreSQL by URL)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

__all__ = ["current_revision", "head_revision", "make_engine", "migrate", "scratch_schema"]

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers (the web app, analyses) go on while an import writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA temp_store=MEMORY")
    # Identity look-ups probe large indexes at random: a bigger page cache and memory-mapped
    # reads keep them off the system-call path.
    cursor.execute("PRAGMA cache_size=-262144")
    cursor.execute("PRAGMA mmap_size=1073741824")
    # Checkpoint every ~64 MB of WAL rather than 4 MB: one import writes several MB, and
    # copying pages back at every commit made commits the slowest step of an import.
    cursor.execute("PRAGMA wal_autocheckpoint=16384")
    # Large sorts (building an index at the end of a batch) may use a second core.
    cursor.execute("PRAGMA threads=2")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file gets its folder created and WAL mode.

    >>> make_engine("sqlite://").dialect.name
    'sqlite'
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling is off: the store emits BEGIN itself,
        # so an import is one real transaction (see Store).
        event.listen(engine, "connect", _no_pysqlite_autobegin)
        event.listen(engine, "begin", _plain_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _no_pysqlite_autobegin(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None


def _plain_begin(conn: Any) -> None:
    if not conn.get_execution_options().get("tejido_write", False):
        conn.exec_driver_sql("BEGIN")


def _alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (the newest by default)."""
    command.upgrade(_alembic_config(engine), revision)


def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@contextmanager
def scratch_schema(url: str, prefix: str = "t") -> Iterator[str]:
    """A new, empty schema on the PostgreSQL server at ``url``, dropped afterwards.

    Yields a URL whose connections see only that schema: each test, and each benchmark
    run, gets a store of its own on a shared server.
    """
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
