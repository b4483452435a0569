"""The front-end files shipped in the package are the ones built from the pinned npm packages."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "src" / "tejido" / "web" / "static" / "vendor"


def test_built_files_match_their_record() -> None:
    built = json.loads((ROOT / "web-assets" / "built.json").read_text())
    on_disk = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in VENDOR.glob("*.js")}
    assert on_disk == built["files"], "run scripts/assets after changing web-assets/"


def test_packages_are_pinned_and_match_the_build() -> None:
    wanted = json.loads((ROOT / "web-assets" / "package.json").read_text())["devDependencies"]
    lock = json.loads((ROOT / "web-assets" / "package-lock.json").read_text())["packages"]
    built = json.loads((ROOT / "web-assets" / "built.json").read_text())["packages"]
    for name, version in wanted.items():
        assert version[0].isdigit(), f"{name} must be pinned to one version, not {version!r}"
        assert lock[f"node_modules/{name}"]["version"] == version
        assert built[name] == version
    assert all((VENDOR / f"LICENSE.{name}.txt").exists() for name in wanted if name != "esbuild")
