"""Every row of every table: to check that a refused upload changed nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData, select

from tejido.workspace import Workspace

# Bookkeeping, not content: the version counter moves with every write transaction,
# including a batch's that kept nothing of a refused file.
_NOT_CONTENT = {"store_state"}


# When rows were written: differs between two imports of the same files.
_CLOCK = {"created_at", "updated_at"}


def dump_store(ws: Workspace, *, clock: bool = True) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the store (but its version), ordered by primary key.

    ``clock=False`` leaves out the columns that say when a row was written.
    """
    metadata = MetaData()
    metadata.reflect(bind=ws.store.engine)
    dump: dict[str, list[tuple[Any, ...]]] = {}
    with ws.store.engine.connect() as conn:
        for name, table in sorted(metadata.tables.items()):
            if name in _NOT_CONTENT:
                continue
            order = list(table.primary_key.columns) or list(table.columns)
            columns = [c for c in table.columns if clock or c.name not in _CLOCK]
            query = select(*columns).order_by(*order)
            dump[name] = [tuple(row) for row in conn.execute(query)]
    return dump
