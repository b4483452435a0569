"""Fixtures for the demo generator: small companies generated once per session, and a
reader that opens their files the way an importer would (scan for the header row)."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pytest

from tejido.demo import DemoManifest, generate

SMALL = {"employees": 30, "seed": 7, "mean_contacts": 150}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@dataclass
class Export:
    """One LinkedIn zip, decoded."""

    path: Path
    raw: dict[str, bytes]

    def text(self, member: str) -> str:
        return self.raw[member].decode("utf-8-sig")

    def lines(self, member: str) -> list[str]:
        """Physical lines, whatever the line ending."""
        return self.text(member).splitlines()

    def table(self, member: str) -> tuple[list[str], list[list[str]]]:
        """Header and rows, found by scanning for the header row as importers do."""
        text = self.text(member)
        lines = text.splitlines(keepends=True)
        start = 0
        if member == "Connections.csv":
            start = next(i for i, line in enumerate(lines) if line.startswith("First Name,"))
        rows = list(csv.reader(io.StringIO("".join(lines[start:]), newline="")))
        rows = [r for r in rows if r]
        return rows[0], rows[1:]


@dataclass
class Demo:
    """A generated company and lazy access to its files."""

    manifest: DemoManifest
    _cache: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    @property
    def out(self) -> Path:
        return self.manifest.out_dir

    def truth(self, name: str) -> list[dict[str, str]]:
        if name not in self._cache:
            self._cache[name] = read_csv(self.manifest.truth_dir / name)
        return self._cache[name]

    @cached_property
    def people(self) -> dict[str, dict[str, str]]:
        return {r["truth_person_id"]: r for r in self.truth("people.csv")}

    @cached_property
    def orgs(self) -> dict[str, dict[str, str]]:
        return {r["truth_org_id"]: r for r in self.truth("organisations.csv")}

    @cached_property
    def exports(self) -> dict[str, Export]:
        out = {}
        for path in self.manifest.linkedin_zips:
            with zipfile.ZipFile(path) as zf:
                out[path.name] = Export(path, {n: zf.read(n) for n in zf.namelist()})
        return out

    def all_files(self) -> dict[str, bytes]:
        return {
            p.relative_to(self.out).as_posix(): p.read_bytes()
            for p in sorted(self.out.rglob("*"))
            if p.is_file()
        }


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return Demo(generate(tmp_path_factory.mktemp("demo_a"), **SMALL))


@pytest.fixture(scope="session")
def demo_again(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return Demo(generate(tmp_path_factory.mktemp("demo_b"), **SMALL))


@pytest.fixture(scope="session")
def demo_other_seed(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return Demo(generate(tmp_path_factory.mktemp("demo_c"), **{**SMALL, "seed": 8}))
