"""The store on SQLite and PostgreSQL: schema, transactions, bulk helpers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tejido.store import Base, current_revision, head_revision
from tejido.store.bulk import Bulk
from tejido.store.session import Store


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    store = Store(database_url)
    yield store
    store.dispose()


def test_migrations_build_every_table_of_the_models(store: Store) -> None:
    tables = set(sa.inspect(store.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert current_revision(store.engine) == head_revision()


def test_opening_twice_keeps_the_data(database_url: str) -> None:
    first = Store(database_url)
    with first.write() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO organisation (name, key, is_ours, created_at) "
                "VALUES ('Acme', 'acme', false, CURRENT_TIMESTAMP)"
            )
        )
    first.dispose()
    again = Store(database_url)
    with again.read() as conn:
        assert conn.execute(sa.text("SELECT name FROM organisation")).scalar_one() == "Acme"
    again.dispose()


def test_a_failing_write_leaves_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.write() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO organisation (name, key, is_ours, created_at) "
                "VALUES ('Acme', 'acme', false, CURRENT_TIMESTAMP)"
            )
        )
        raise RuntimeError("boom")
    with store.read() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM organisation")).scalar_one() == 0


def test_bulk_insert_select_and_reserve(store: Store) -> None:
    with store.write() as conn:
        bulk = Bulk(conn)
        ids = bulk.reserve_ids("organisation", 3)
        assert len(set(ids)) == 3
        rows = [(i, f"Org {i}", f"org {i}", False, "2026-01-01 00:00:00") for i in ids]
        assert (
            bulk.insert("organisation", ["id", "name", "key", "is_ours", "created_at"], rows) == 3
        )
        found = bulk.select_in(
            "SELECT id, name FROM organisation WHERE key IN {values}", ["org " + str(ids[1])]
        )
        assert found == [(ids[1], f"Org {ids[1]}")]
        by_id = bulk.select_in("SELECT name FROM organisation WHERE id IN {values}", ids)
        assert sorted(r[0] for r in by_id) == sorted(r[1] for r in rows)
        assert bulk.select_in("SELECT id FROM organisation WHERE id IN {values}", []) == []
        more = bulk.reserve_ids("organisation", 2)
    assert min(more) > max(ids)
    # An id reserved and used is never handed out again, and ordinary inserts go on after.
    with store.write() as conn:
        new = conn.execute(
            sa.text(
                "INSERT INTO organisation (name, key, is_ours, created_at) VALUES "
                "('Next', 'next', false, CURRENT_TIMESTAMP) RETURNING id"
            )
        ).scalar_one()
    assert new not in ids


def test_bulk_select_in_handles_many_values(store: Store) -> None:
    with store.write() as conn:
        bulk = Bulk(conn)
        ids = bulk.reserve_ids("organisation", 12_000)
        bulk.insert(
            "organisation",
            ["id", "name", "key", "is_ours", "created_at"],
            [(i, "x", f"k{i}", False, "2026-01-01 00:00:00") for i in ids],
        )
        found = bulk.select_in(
            "SELECT id FROM organisation WHERE key IN {values}", [f"k{i}" for i in ids]
        )
    assert len(found) == 12_000


def test_sqlite_store_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    with store.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.dispose()


def test_sqlite_writes_are_serialised(tmp_path: Path) -> None:
    """A second writer waits for the first (BEGIN IMMEDIATE) instead of failing half-way."""
    url = f"sqlite:///{tmp_path / 's.db'}"
    one, two = Store(url), Store(url)
    import threading

    order: list[str] = []
    entered = threading.Event()

    def second() -> None:
        entered.wait()
        with two.write() as conn:
            order.append("second")
            conn.execute(sa.text("SELECT 1"))

    thread = threading.Thread(target=second)
    with one.write():
        thread.start()
        entered.set()
        thread.join(timeout=0.5)  # the second writer cannot get in while we hold the lock
        order.append("first")
    thread.join()
    assert order == ["first", "second"]
    one.dispose()
    two.dispose()


def test_safe_url_hides_the_password() -> None:
    store = Store("postgresql+psycopg://u:secret@127.0.0.1:1/db", upgrade=False)
    assert "secret" not in store.safe_url
    assert store.safe_url.startswith("postgresql+psycopg://u:")
    store.dispose()
