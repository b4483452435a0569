"""Hostile archives: path traversal, symbolic links, zip and gzip bombs, lying headers."""

from __future__ import annotations

import gzip
import io
import struct
import tracemalloc
import zipfile
from functools import cache
from pathlib import Path

import pytest
from hostile import (
    CARMEN,
    FORMATS,
    account_js,
    assert_refused,
    connections_text,
    put,
    x_zip,
    zip_bytes,
)

from tejido.config import Settings
from tejido.workspace import Workspace

# -- archives: traversal names and bombs -----------------------------------------------------------

TRAVERSAL = ["../../etc/passwd", "/etc/passwd", "..\\evil.csv", "data/../../evil.js", "C:/evil.csv"]


@pytest.mark.parametrize("member", TRAVERSAL)
@pytest.mark.parametrize("fmt", ["linkedin-zip", "x"])
def test_zip_with_path_traversal_member_is_refused(
    seeded: Workspace, tmp_path: Path, fmt: str, member: str
) -> None:
    f = FORMATS[fmt]
    if fmt == "x":
        data = zip_bytes({**_members(x_zip()), member: b"root:x:0:0"})
    else:
        data = zip_bytes({"Connections.csv": connections_text().encode(), member: b"root:x:0:0"})
    assert member in zipfile.ZipFile(io.BytesIO(data)).namelist()
    path = put(f.filename, data)(tmp_path)
    exc = assert_refused(seeded, f.kind, path, f.options, file=f.filename, words=("traversal",))
    assert member in str(exc) or repr(member) in str(exc)


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_zip_with_symlink_member_is_refused(seeded: Workspace, tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("Connections.csv", connections_text())
        link = zipfile.ZipInfo("Profile.csv")
        link.external_attr = 0o120777 << 16  # a symbolic link to /etc/passwd
        archive.writestr(link, "/etc/passwd")
    path = put("export.zip", out.getvalue())(tmp_path)
    assert_refused(seeded, "linkedin", path, {"employee": CARMEN}, file="export.zip")


BOMB_MEMBER = {"linkedin-zip": "Connections.csv", "x": "data/follower.js"}


@cache
def bomb(fmt: str) -> bytes:
    """A zip whose one member inflates 50 MB of zeros from about 50 KB."""
    members = {BOMB_MEMBER[fmt]: b"\0" * (50 * 1024 * 1024)}
    if fmt == "x":
        members["data/account.js"] = account_js().encode()
    return zip_bytes(members)


def patch_sizes(
    data: bytes, member: str, *, file_size: int | None = None, compress_size: int | None = None
) -> bytes:
    """``data`` with the sizes its headers declare for ``member`` changed (a lying zip)."""
    out = bytearray(data)
    name = member.encode()
    # central directory: sizes at +20 (compressed) and +24, name length at +28, name at +46
    # local header: sizes at +18 (compressed) and +22, name length at +26, name at +30
    for signature, sizes_at, name_len_at, name_at in (
        (b"PK\x01\x02", 20, 28, 46),
        (b"PK\x03\x04", 18, 26, 30),
    ):
        at = out.find(signature)
        while at != -1:
            (length,) = struct.unpack_from("<H", out, at + name_len_at)
            if bytes(out[at + name_at : at + name_at + length]) == name:
                if compress_size is not None:
                    struct.pack_into("<I", out, at + sizes_at, compress_size)
                if file_size is not None:
                    struct.pack_into("<I", out, at + sizes_at + 4, file_size)
            at = out.find(signature, at + 4)
    return bytes(out)


@pytest.mark.parametrize("fmt", ["linkedin-zip", "x"])
def test_zip_bomb_is_refused(seeded: Workspace, tmp_path: Path, fmt: str) -> None:
    f = FORMATS[fmt]
    data = bomb(fmt)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(BOMB_MEMBER[fmt])
    assert info.file_size > 200 * info.compress_size and info.file_size > 1 << 20
    path = put(f.filename, data)(tmp_path)
    assert_refused(
        seeded, f.kind, path, f.options, file=f"{f.filename}/{BOMB_MEMBER[fmt]}", words=("bomb",)
    )


@pytest.mark.parametrize("lie", ["file-size-smaller", "compressed-size-larger"])
@pytest.mark.parametrize("fmt", ["linkedin-zip", "x"])
def test_zip_whose_headers_lie_about_sizes_is_refused_without_inflating(
    seeded: Workspace, tmp_path: Path, fmt: str, lie: str
) -> None:
    """Declared sizes that pass the ratio check must not let 50 MB inflate anyway."""
    f = FORMATS[fmt]
    member = BOMB_MEMBER[fmt]
    if lie == "file-size-smaller":
        data = patch_sizes(bomb(fmt), member, file_size=1000)
    else:
        # 50 MB from a declared 500 KB is a 100x ratio: under the bomb threshold, though
        # the whole archive is 50 KB
        data = patch_sizes(bomb(fmt), member, compress_size=500_000)
    path = put(f.filename, data)(tmp_path)
    tracemalloc.start()
    try:
        assert_refused(seeded, f.kind, path, f.options, file=f.filename)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024, f"{peak:,} bytes allocated: the member was inflated"


def test_archive_total_size_is_capped_by_max_upload_bytes(
    database_url: str, tmp_path: Path
) -> None:
    """max_upload_bytes is documented as the largest *uncompressed* size of one upload."""
    limit = 2_000_000
    ws = Workspace(
        tmp_path / "small", database_url=database_url, settings=Settings(max_upload_bytes=limit)
    )
    try:
        skills = "".join(f"skill {i % 5000},{i * 7919 % 100003}\n" for i in range(200_000))
        export = {
            "Profile.csv": b"First Name,Last Name,Headline\nCarmen,Ortega Vidal,KAM\n",
            "Connections.csv": connections_text().encode(),
        }
        data = zip_bytes({**export, "Skills.csv": skills.encode()})
        info = zipfile.ZipFile(io.BytesIO(data)).getinfo("Skills.csv")
        assert len(data) < limit < info.file_size < 200 * info.compress_size
        path = put("export.zip", data)(tmp_path)
        assert_refused(ws, "linkedin", path, {}, file="export.zip")
        # the same export without the large member is fine
        small = ws.import_linkedin(put("small.zip", zip_bytes(export))(tmp_path))
        assert small.counts["connections"] == 2
    finally:
        ws.close()


@cache
def gzip_bomb() -> bytes:
    """20 MB of zeros in about 20 KB of gzip: a ".txt.gz" edge list that is a bomb."""
    return gzip.compress(b"\0" * (20 * 1024 * 1024), 6)


def test_gzip_bomb_edge_list_is_refused_without_inflating(
    seeded: Workspace, tmp_path: Path
) -> None:
    data = gzip_bomb()
    assert len(data) * 200 < 20 * 1024 * 1024
    path = put("edges.txt.gz", data)(tmp_path)
    tracemalloc.start()
    try:
        assert_refused(seeded, "edges", path, {}, file="edges.txt.gz")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024, f"{peak:,} bytes allocated: the gzip stream was inflated"


def test_truncated_gzip_edge_list_is_refused(seeded: Workspace, tmp_path: Path) -> None:
    data = gzip.compress(b"# SNAP\n1\t2\n2\t3\n" * 50)
    path = put("edges.txt.gz", data[: len(data) // 2])(tmp_path)
    assert_refused(seeded, "edges", path, {}, file="edges.txt.gz")
