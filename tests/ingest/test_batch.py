"""Batches: one savepoint per upload, a bad file among good ones, parsing ahead in a worker."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import select
from store_dump import dump_store

from tejido.store.models import Upload, table_of
from tejido.workspace import Workspace

U = table_of(Upload)
ZIP = "Basic_LinkedInDataExport_11-20-2026.zip"


def _exports(tmp_path: Path, samples: Path, n: int) -> list[Path]:
    """``n`` copies of the sample export that differ by a byte (distinct uploads)."""
    data = (samples / ZIP).read_bytes()
    paths = []
    for i in range(n):
        path = tmp_path / f"export-{i}.zip"
        path.write_bytes(data + b"\0" * i)  # trailing bytes after the zip: same content
        paths.append(path)
    return paths


def test_a_bad_file_in_a_batch_changes_nothing_and_the_rest_go_in(
    workspace: Workspace, samples: Path, tmp_path: Path
) -> None:
    good = tmp_path / "good.zip"
    shutil.copy(samples / ZIP, good)
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 truncated")
    x = tmp_path / "x.zip"
    shutil.copy(samples / "twitter-2026-11-20-archive.zip", x)
    items = workspace.import_many("linkedin", [bad, good], workers=0)
    assert [i.file for i in items] == ["bad.zip", "good.zip"]
    assert items[0].error is not None and "bad.zip" in items[0].error.message
    assert items[1].result is not None and items[1].result.counts["connections"] == 7
    with workspace.store.read() as conn:
        assert conn.execute(select(U.c.filename)).scalars().all() == ["good.zip"]


def test_a_failure_inside_a_savepoint_keeps_the_uploads_before_it(
    workspace: Workspace, samples: Path, tmp_path: Path
) -> None:
    """An error raised while writing (not parsing) rolls back that upload only."""
    first = tmp_path / "first.zip"
    shutil.copy(samples / ZIP, first)
    # The same owner's export given with an e-mail nobody has: refused while writing.
    items = workspace.import_many("linkedin", [first], workers=0)
    before = dump_store(workspace)
    again = tmp_path / "again.zip"
    again.write_bytes((samples / ZIP).read_bytes() + b"\0")
    items = workspace.import_many("linkedin", [again], workers=0, employee="nobody@nowhere.example")
    assert items[0].error is not None
    assert "no employee has the e-mail" in items[0].error.message
    assert dump_store(workspace) == before


def test_parsing_ahead_in_a_worker_gives_the_same_store(tmp_path: Path, samples: Path) -> None:
    paths = _exports(tmp_path, samples, 5)
    inline = Workspace(tmp_path / "inline")
    ahead = Workspace(tmp_path / "ahead")
    first = inline.import_many("linkedin", paths, workers=0)
    second = ahead.import_many("linkedin", paths, workers=1)
    assert [i.result.status for i in first if i.result] == ["imported"] + ["imported"] * 4
    assert [i.to_dict() for i in first] == [i.to_dict() for i in second]
    assert inline.stats().to_dict() == ahead.stats().to_dict()
    # Each later copy of the same owner's export superseded the one before it.
    assert inline.stats().connection_rows == 7
    inline.close()
    ahead.close()


def test_small_commit_groups_give_the_same_result(
    workspace: Workspace, samples: Path, tmp_path: Path
) -> None:
    paths = _exports(tmp_path, samples, 4)
    from tejido.ingest.batch import import_many

    items = import_many(
        workspace.store, "linkedin", paths, max_bytes=10**9, workers=0, commit_every=1
    )
    assert all(i.result is not None for i in items)
    with workspace.store.read() as conn:
        statuses = conn.execute(select(U.c.status).order_by(U.c.id)).scalars().all()
    assert statuses == ["superseded", "superseded", "superseded", "active"]
