"""Secondary indexes that a large batch import drops first and builds again at its end.

Each index below is keyed by a person or organisation id that arrives in random order, so
every row written touches a different page of it: on the 1,000-export benchmark they
were a quarter of the whole import. No look-up of the import itself uses them; they
serve erasure (finding every row that names a person or organisation, and the foreign
keys' cascades) and readers. Building an index once over the sorted column is far
cheaper than inserting into it row by row, so a batch that brings as many rows as the
store holds drops them while it writes (``drop_indexes``) and builds them again
when it ends, even when it fails. Erasure builds them first (``restore_indexes``), and
so does opening a store that a crash left without them.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, Index, inspect

from tejido.store.models import Base

__all__ = ["DEFERRABLE", "LOOKUP", "drop_indexes", "missing_indexes", "restore_indexes"]

# Table -> columns whose single-column index may be deferred.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "connection": (
        "source_id",
        "target_id",
        "organisation_id",
        "target_key_id",
        "target_email_id",
    ),
    "interaction": ("source_id", "target_id"),
    "person": ("organisation_id",),
    "identifier_assertion": ("identifier_id",),
}


# Indexes that only the importer's look-ups use: deferrable while it resolves from a
# complete memo (see tejido.ingest.identity.Memo.mirror), which needs no query.
_LOOKUP_COLUMNS: dict[str, tuple[str, ...]] = {"person": ("name_key",)}


def _deferrable(spec: dict[str, tuple[str, ...]]) -> tuple[Index, ...]:
    found = []
    for table, columns in spec.items():
        for index in Base.metadata.tables[table].indexes:
            names = tuple(c.name for c in index.columns)
            if len(names) == 1 and names[0] in columns:
                found.append(index)
    assert len(found) == sum(len(c) for c in spec.values()), "an index was renamed"
    return tuple(sorted(found, key=lambda ix: str(ix.name)))


DEFERRABLE: tuple[Index, ...] = _deferrable(_COLUMNS)
LOOKUP: tuple[Index, ...] = _deferrable(_LOOKUP_COLUMNS)


def missing_indexes(conn: Connection, among: Sequence[Index] | None = None) -> list[Index]:
    """The deferrable and look-up indexes (or those ``among``) that the store lacks now."""
    inspector = inspect(conn)
    present: dict[str, set[str]] = {}
    out = []
    for index in among if among is not None else DEFERRABLE + LOOKUP:
        table = index.table.name  # type: ignore[union-attr]
        if table not in present:
            present[table] = {str(ix["name"]) for ix in inspector.get_indexes(table)}
        if index.name not in present[table]:
            out.append(index)
    return out


def restore_indexes(conn: Connection, among: Sequence[Index] | None = None) -> list[str]:
    """Build every deferrable index (or of those ``among``) the store lacks, in ``conn``'s
    transaction."""
    built = []
    for index in missing_indexes(conn, among):
        index.create(conn)
        built.append(str(index.name))
    return built


def drop_indexes(conn: Connection, *, lookups: bool = False) -> list[str]:
    """Drop the deferrable indexes (inside ``conn``'s transaction); their names.

    ``lookups``: the import look-up indexes too, for a writer that needs no look-up.
    """
    dropped = []
    missing = {ix.name for ix in missing_indexes(conn)}
    for index in DEFERRABLE + (LOOKUP if lookups else ()):
        if index.name not in missing:
            index.drop(conn)
            dropped.append(str(index.name))
    return dropped
