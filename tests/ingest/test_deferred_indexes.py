"""Large batches write without the person-keyed indexes and build them again at the end."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from store_dump import dump_store

from tejido.demo import DemoManifest, generate
from tejido.ingest.batch import worth_deferring
from tejido.store.indexes import DEFERRABLE, drop_indexes, missing_indexes
from tejido.workspace import Workspace


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> DemoManifest:
    return generate(tmp_path_factory.mktemp("world"), employees=12, seed=3, mean_contacts=60)


def _import(ws: Workspace, world: DemoManifest, *, defer: bool) -> None:
    ws.import_crm(world.crm_path)
    ws.import_roster(world.roster_path, company="Tejido Demo S.L.")
    items = ws.import_many(
        "linkedin", world.linkedin_zips, workers=0, defer_indexes=defer, commit_every=4
    )
    assert all(item.result is not None for item in items)


def _missing(ws: Workspace) -> list[str]:
    with ws.store.read() as conn:
        return [str(ix.name) for ix in missing_indexes(conn)]


def test_a_deferred_batch_stores_the_same_and_ends_with_every_index(
    tmp_path: Path, world: DemoManifest, database_url: str
) -> None:
    with Workspace(tmp_path / "deferred", database_url=database_url) as ws:
        _import(ws, world, defer=True)
        assert _missing(ws) == []
        deferred = dump_store(ws, clock=False)
    if database_url.startswith("postgresql"):
        return  # one schema per test: the comparison below runs on SQLite
    with Workspace(tmp_path / "plain") as plain:
        _import(plain, world, defer=False)
        assert dump_store(plain, clock=False) == deferred
    # One transaction and a fresh memo per file: what the batch keeps across commits
    # must not change a thing.
    with Workspace(tmp_path / "one-by-one") as single:
        single.import_crm(world.crm_path)
        single.import_roster(world.roster_path, company="Tejido Demo S.L.")
        for path in world.linkedin_zips:
            single.import_linkedin(path)
        assert dump_store(single, clock=False) == deferred


def test_a_batch_that_fails_half_way_builds_the_indexes_back(
    workspace: Workspace, world: DemoManifest
) -> None:
    workspace.import_roster(world.roster_path, company="Tejido Demo S.L.")

    def stop(done: int, total: int, name: str) -> None:
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        workspace.import_many(
            "linkedin", world.linkedin_zips, workers=0, defer_indexes=True, progress=stop
        )
    assert _missing(workspace) == []


def test_erasure_builds_missing_indexes_first(workspace: Workspace, world: DemoManifest) -> None:
    workspace.import_roster(world.roster_path, company="Tejido Demo S.L.")
    result = workspace.import_linkedin(world.linkedin_zips[0])
    with workspace.store.write() as conn:
        assert len(drop_indexes(conn)) == len(DEFERRABLE)
    assert len(_missing(workspace)) == len(DEFERRABLE)
    workspace.erase_upload(result.upload_id)
    assert _missing(workspace) == []


def test_only_a_batch_as_large_as_the_store_is_deferred(
    sqlite_workspace: Workspace, tmp_path: Path
) -> None:
    small = tmp_path / "small.zip"
    small.write_bytes(b"PK" + b"\0" * 1000)
    assert not worth_deferring(sqlite_workspace.store, [small])
    big = tmp_path / "big.zip"
    with big.open("wb") as f:  # sparse: the size is what counts
        f.truncate(8 << 20)
    assert os.path.getsize(big) == 8 << 20
    assert worth_deferring(sqlite_workspace.store, [big])
