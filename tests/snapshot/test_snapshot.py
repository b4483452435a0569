"""The snapshot: ties merged from assertions, consent levels, signals, CSR layout, cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import text

from tejido.config import Settings
from tejido.snapshot.cache import SnapshotCache
from tejido.snapshot.model import (
    KIND_LINKEDIN,
    KIND_X_AB,
    KIND_X_BA,
    LEVEL_EXISTENCE,
    LEVEL_NAMED,
    LEVEL_PRIVATE,
    Snapshot,
)
from tejido.workspace import Workspace


@pytest.fixture(scope="module")
def snap(demo_map: Workspace) -> Snapshot:
    return demo_map.contact_map.snapshot()


def test_every_linkedin_pair_is_one_tie(demo_map: Workspace, snap: Snapshot) -> None:
    with demo_map.store.read() as conn:
        pairs = conn.execute(
            text(
                "SELECT COUNT(*) FROM (SELECT DISTINCT "
                "CASE WHEN source_id < target_id THEN source_id ELSE target_id END, "
                "CASE WHEN source_id < target_id THEN target_id ELSE source_id END "
                "FROM connection WHERE kind = 'linkedin') AS pairs"
            )
        ).scalar_one()
    linkedin = int(((np.asarray(snap.kinds) & KIND_LINKEDIN) > 0).sum())
    assert linkedin == pairs
    assert (snap.u < snap.v).all()
    keys = snap.u.astype(np.int64) * snap.n_nodes + snap.v
    assert len(np.unique(keys)) == snap.n_edges


def test_one_way_follows_are_no_tie_mutual_follows_are(snap: Snapshot) -> None:
    kinds = np.asarray(snap.kinds)
    x_only = (kinds & KIND_LINKEDIN) == 0
    both = ((kinds & KIND_X_AB) > 0) & ((kinds & KIND_X_BA) > 0)
    assert (both[x_only]).all(), "a tie made only of X follows must be a mutual follow"
    assert x_only.any(), "the demo should hold some X-only mutual follows"


def test_csr_is_symmetric_sorted_and_names_its_edges(snap: Snapshot) -> None:
    assert snap.indptr[-1] == 2 * snap.n_edges
    for i in np.random.default_rng(0).choice(snap.n_nodes, 200, replace=False).tolist():
        nbrs, eids = snap.neighbours(i)
        assert (np.diff(nbrs) > 0).all()
        ends = np.where(snap.u[eids] == i, snap.v[eids], snap.u[eids])
        assert (ends == nbrs).all()
        assert ((snap.u[eids] == i) | (snap.v[eids] == i)).all()


def test_levels_follow_each_employees_consent(snap: Snapshot) -> None:
    level, consent = np.asarray(snap.level), np.asarray(snap.consent)
    for end in (snap.u, snap.v):
        assert (level[consent[end] == LEVEL_PRIVATE] == LEVEL_PRIVATE).all()
        assert (level[consent[end] == LEVEL_EXISTENCE] <= LEVEL_EXISTENCE).all()
    named = (consent[snap.u] == LEVEL_NAMED) & (consent[snap.v] < 0)
    assert (level[named] == LEVEL_NAMED).all()


def test_messages_are_counted_once_per_message(demo_map: Workspace, snap: Snapshot) -> None:
    """A message between two employees sits in both exports but counts once."""
    both = np.flatnonzero((snap.consent[snap.u] == 2) & (snap.consent[snap.v] == 2))
    msgs = snap.messages_of(both)
    k = int(np.flatnonzero(msgs["uv"] + msgs["vu"] > 0)[0])
    e = int(both[k])
    a, b = int(snap.person_id[snap.u[e]]), int(snap.person_id[snap.v[e]])
    with demo_map.store.read() as conn:
        distinct = conn.execute(
            text(
                "SELECT COUNT(DISTINCT at) FROM interaction WHERE channel = 'message' "
                "AND group_size = 1 AND source_id = :a AND target_id = :b"
            ),
            {"a": a, "b": b},
        ).scalar_one()
        rows = conn.execute(
            text(
                "SELECT COUNT(*) FROM interaction WHERE channel = 'message' AND group_size = 1 "
                "AND source_id = :a AND target_id = :b"
            ),
            {"a": a, "b": b},
        ).scalar_one()
    assert int(msgs["uv"][k]) == distinct
    assert rows >= distinct


def test_careers_give_shared_employers_and_overlap(snap: Snapshot) -> None:
    colleagues = (snap.consent[snap.u] >= 0) & (snap.consent[snap.v] >= 0)
    assert (np.asarray(snap.shared_orgs)[colleagues] >= 1).mean() > 0.9
    assert (np.asarray(snap.overlap)[colleagues] > 0).any()
    contacts = ~colleagues
    assert (np.asarray(snap.shared_orgs)[contacts] > 0).any()


def test_snapshot_is_small(snap: Snapshot) -> None:
    assert snap.nbytes() / snap.n_edges < 64


def test_cache_builds_once_per_store_version(demo_copy: Workspace) -> None:
    folder = demo_copy.path / "cache" / "snapshot"
    cache = SnapshotCache(demo_copy.store, folder)
    first = cache.get()
    assert cache.builds == 0, "the session's snapshot on disk is current"
    assert cache.get() is first
    again = SnapshotCache(demo_copy.store, folder).get()
    assert again.version == first.version and again.n_edges == first.n_edges
    uploads = demo_copy.uploads()
    demo_copy.erase_upload(int(uploads.loc[uploads["kind"] == "linkedin", "id"].iloc[0]))
    after = cache.get()
    assert cache.builds == 1 and after.version > first.version
    assert after.n_edges < first.n_edges
    assert [p.name for p in folder.iterdir()] == [f"v{after.version}-f1"]


def test_a_consent_change_rebuilds_with_new_levels(demo_copy: Workspace) -> None:
    before = demo_copy.contact_map.snapshot()
    named = int(before.person_id[np.flatnonzero(before.consent == LEVEL_NAMED)[0]])
    with demo_copy.store.write() as conn:
        conn.execute(text("UPDATE employee SET consent = 'private' WHERE person_id = :p"),
                     {"p": named})  # fmt: skip
    after = demo_copy.contact_map.snapshot()
    node = int(after.index_of([named])[0])
    mine = (after.u == node) | (after.v == node)
    assert mine.any() and (np.asarray(after.level)[mine] == LEVEL_PRIVATE).all()


def test_saved_and_loaded_snapshots_are_equal(snap: Snapshot, tmp_path: Path) -> None:
    snap.save(tmp_path / "s")
    loaded = Snapshot.load(tmp_path / "s")
    for name, array in snap.arrays().items():
        assert np.array_equal(array, getattr(loaded, name)), name
    assert loaded.positions == snap.positions and loaded.countries == snap.countries


@pytest.mark.postgres
def test_postgresql_gives_the_same_snapshot(tmp_path: Path, pg_url: str) -> None:
    """The same demo imported into SQLite and into PostgreSQL gives equal arrays."""
    from tejido.demo.build import build_demo

    args = {"employees": 20, "seed": 4, "mean_contacts": 60}
    snaps, answers = [], []
    for name, url in (("lite", None), ("pg", pg_url)):
        ws = Workspace(tmp_path / name, database_url=url, settings=Settings(as_of="2026-11-20"))
        build_demo(ws, **args)
        snaps.append(ws.contact_map.snapshot())
        top = str(ws.coverage(limit=1)["org_id"].iloc[0])
        answers.append((ws.account(top), ws.prospects(country="ES").to_json(),
                        ws.degrees().to_json()))  # fmt: skip
        ws.close()
    lite, pg = snaps
    assert answers[0] == answers[1], "the service answers alike on both databases"
    assert lite.n_edges == pg.n_edges > 0
    for name, array in lite.arrays().items():
        assert np.array_equal(array, getattr(pg, name)), name


def test_a_snapshot_sees_a_write_made_just_before(demo_copy: Workspace) -> None:
    """The reader must see the writer's last commit (a second SQLite library in the same
    process reading the file missed it: see tejido.snapshot.read)."""
    for consent in ("existence_only", "private", "named"):
        with demo_copy.store.write() as conn:
            conn.execute(text("UPDATE employee SET consent = :c"), {"c": consent})
        snap = demo_copy.contact_map.snapshot()
        assert snap.version == demo_copy.store.version()
        want = {"existence_only": LEVEL_EXISTENCE, "private": LEVEL_PRIVATE,
                "named": LEVEL_NAMED}[consent]  # fmt: skip
        assert (np.asarray(snap.consent)[snap.consent >= 0] == want).all()
