"""Files waiting for a job: written under ``WORKSPACE/incoming``, readable by the owner only,
removed when the job ends (they are third parties' personal data)."""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Iterable
from pathlib import Path

from tejido.errors import BadInputError

__all__ = ["discard", "safe_name", "stage"]

_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def safe_name(name: str | None) -> str:
    """A file name that cannot leave its folder nor hide control characters.

    >>> safe_name("../../etc/passwd")
    'passwd'
    >>> safe_name("C:\\\\Users\\\\ana\\\\Basic_LinkedInDataExport.zip")
    'Basic_LinkedInDataExport.zip'
    >>> safe_name("<script>.zip")
    'script_.zip'
    >>> safe_name("..")
    'upload'
    """
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE.sub("_", base).strip(" ._")
    if not base.strip("_"):
        return "upload"
    if len(base) > 200:  # keep the extension: the importers look at it
        stem, dot, ext = base.rpartition(".")
        ext = ext[:16] if dot else ""
        base = f"{(stem if dot else base)[: 199 - len(ext)]}{dot}{ext}"
    return base


def stage(root: Path, name: str | None, chunks: Iterable[bytes], *, max_bytes: int) -> Path:
    """Write ``chunks`` to a new private folder under ``root``; refuse more than ``max_bytes``."""
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder = root / secrets.token_hex(16)
    folder.mkdir(mode=0o700)
    path = folder / safe_name(name)
    written = 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            for chunk in chunks:
                written += len(chunk)
                if written > max_bytes:
                    raise BadInputError(
                        f"the file is larger than the {max_bytes:,} bytes accepted",
                        file=safe_name(name),
                    )
                f.write(chunk)
    except BaseException:
        discard(path, root)
        raise
    if written == 0:
        discard(path, root)
        raise BadInputError("the file is empty", file=safe_name(name))
    return path


def discard(path: str | Path, root: Path) -> None:
    """Remove a staged file and its folder; anything not staged under ``root`` is left alone."""
    folder = Path(path).resolve().parent
    if folder.parent == root.resolve() and len(folder.name) == 32:
        shutil.rmtree(folder, ignore_errors=True)
