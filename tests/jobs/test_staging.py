"""Uploaded files wait in private folders, under safe names, and never beyond the limit."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tejido.errors import BadInputError
from tejido.jobs.staging import discard, safe_name, stage


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("/abs/path/export.zip", "export.zip"),
        ("<script>alert(1)</script>.zip", "script_.zip"),  # "/" ends a folder name
        ("na\x00me\n.zip", "na_me_.zip"),
        ("", "upload"),
        ("...", "upload"),
        ("Exportación de Ñandú.zip", "Exportación de Ñandú.zip"),
    ],
)
def test_names_cannot_leave_their_folder(given: str, kept: str) -> None:
    assert safe_name(given) == kept


def test_long_names_keep_their_extension() -> None:
    name = safe_name("a" * 500 + ".zip")
    assert len(name) <= 200 and name.endswith(".zip")


def test_a_staged_file_is_private_and_discarded_with_its_folder(tmp_path: Path) -> None:
    root = tmp_path / "incoming"
    path = stage(root, "../x.zip", [b"PK", b"\x03\x04"], max_bytes=100)
    assert path.read_bytes() == b"PK\x03\x04" and path.parent.parent == root
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    outside = tmp_path / "keep.txt"
    outside.write_text("mine")
    discard(outside, root)  # not staged: left alone
    assert outside.exists()
    discard(path, root)
    assert not path.parent.exists() and root.exists()


def test_too_large_or_empty_files_are_refused_and_leave_nothing(tmp_path: Path) -> None:
    root = tmp_path / "incoming"
    with pytest.raises(BadInputError, match="larger than the 10 bytes") as caught:
        stage(root, "big.zip", [b"x" * 6, b"x" * 6], max_bytes=10)
    assert caught.value.file == "big.zip"
    with pytest.raises(BadInputError, match="empty"):
        stage(root, "none.zip", [], max_bytes=10)
    assert list(root.iterdir()) == []
