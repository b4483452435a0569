"""Large batches write without the person-keyed indexes and build them again at the end."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from store_dump import dump_store

from tejido.demo import DemoManifest, generate
from tejido.errors import TejidoError
from tejido.ingest import batch
from tejido.ingest.batch import BatchItem, worth_deferring
from tejido.ingest.identity import Memo
from tejido.store.indexes import DEFERRABLE, LOOKUP, drop_indexes, missing_indexes
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


# -- resolving from a complete memo (Memo.mirror) --------------------------------------------


def _mixed_batch(world: DemoManifest, folder: Path) -> list[Path]:
    """Exports with a broken file and a newer export of an earlier owner among them."""
    bad = folder / "broken.zip"
    bad.write_bytes(b"PK\x03\x04 truncated")
    newer = folder / "newer.zip"
    newer.write_bytes(world.linkedin_zips[1].read_bytes() + b"\0")  # same content: supersedes
    zips = list(world.linkedin_zips)
    return [*zips[:3], bad, *zips[3:6], newer, *zips[6:]]


def _one_by_one(world: DemoManifest, paths: list[Path], folder: Path) -> object:
    with Workspace(folder) as single:
        single.import_crm(world.crm_path)
        single.import_roster(world.roster_path, company="Tejido Demo S.L.")
        for path in paths:
            with contextlib.suppress(TejidoError):
                single.import_linkedin(path)
        return dump_store(single, clock=False)


def _lookup_indexed(ws: Workspace) -> bool:
    with ws.store.read() as conn:
        return not missing_indexes(conn, LOOKUP)


def _watched_batch(
    ws: Workspace, paths: list[Path], workers: int
) -> tuple[list[BatchItem], list[bool]]:
    """A deferring batch; after each file, whether the store had the look-up index."""
    seen: list[bool] = []
    items = ws.import_many(
        "linkedin",
        paths,
        workers=workers,
        defer_indexes=True,
        commit_every=2,
        progress=lambda done, total, name: seen.append(_lookup_indexed(ws)),
    )
    return items, seen


def test_a_mirroring_batch_stores_what_one_by_one_imports_do(
    tmp_path: Path, world: DemoManifest
) -> None:
    """Through a failed upload (the memo is cleared, then mirrored again) and a supersede,
    with the exports pickled by a parsing worker."""
    paths = _mixed_batch(world, tmp_path)
    with Workspace(tmp_path / "batch") as ws:
        ws.import_crm(world.crm_path)
        ws.import_roster(world.roster_path, company="Tejido Demo S.L.")
        items, seen = _watched_batch(ws, paths, workers=1)
        assert [i.file for i in items if i.error is not None] == ["broken.zip"]
        superseding = next(n for n, i in enumerate(items) if i.result and i.result.superseded)
        # Committed groups showed the store without the name look-up index, until the
        # erasure that superseding does built every index back.
        assert seen[2:superseding] and not any(seen[2:superseding])
        assert all(seen[superseding + 2 :])
        assert _missing(ws) == []
        batch = dump_store(ws, clock=False)
    assert batch == _one_by_one(world, paths, tmp_path / "single")


def test_a_store_that_outgrows_the_mirror_gets_its_lookup_index_back(
    tmp_path: Path, world: DemoManifest, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = _mixed_batch(world, tmp_path)
    with Workspace(tmp_path / "batch") as ws:
        ws.import_crm(world.crm_path)
        ws.import_roster(world.roster_path, company="Tejido Demo S.L.")
        memo = Memo()
        with ws.store.read() as conn:
            assert memo.mirror(conn, 10**9)
        # Room for the store as it is, not for what the first exports bring.
        monkeypatch.setattr(batch, "_MIRROR_LIMIT", memo.size() + 10)
        items, seen = _watched_batch(ws, paths, workers=0)
        assert [i.file for i in items if i.error is not None] == ["broken.zip"]
        # Mirrored (no index) until the failure cleared the memo; indexed after it.
        assert seen[2] is False and seen[-1] is True
        assert _missing(ws) == []
        result = dump_store(ws, clock=False)
    assert result == _one_by_one(world, paths, tmp_path / "single")
