"""Every row of every table: to check that a refused upload changed nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData, select

from tejido.workspace import Workspace

# Bookkeeping, not content: the version counter moves with every write transaction,
# including a batch's that kept nothing of a refused file.
_NOT_CONTENT = {"store_state"}


def dump_store(ws: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the store (but its version), ordered by primary key."""
    metadata = MetaData()
    metadata.reflect(bind=ws.store.engine)
    dump: dict[str, list[tuple[Any, ...]]] = {}
    with ws.store.engine.connect() as conn:
        for name, table in sorted(metadata.tables.items()):
            if name in _NOT_CONTENT:
                continue
            order = list(table.primary_key.columns) or list(table.columns)
            dump[name] = [tuple(row) for row in conn.execute(select(table).order_by(*order))]
    return dump
