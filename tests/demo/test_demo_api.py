"""The public API: manifest, reproducibility, argument checks, zip stability."""

from __future__ import annotations

import dataclasses
import json
import zipfile
from pathlib import Path

import pytest

from tejido.demo import DemoManifest, generate


def test_manifest_fields_and_json(demo):
    m = demo.manifest
    assert isinstance(m, DemoManifest)
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.seed = 3  # type: ignore[misc]
    assert m.employees == 30 and m.seed == 7
    assert m.roster_path == m.out_dir / "roster.csv"
    assert m.crm_path == m.out_dir / "crm_accounts.csv"
    assert m.truth_dir == m.out_dir / "truth"
    assert m.linkedin_zips == sorted(m.linkedin_zips) and m.x_zips == sorted(m.x_zips)
    assert all(p.exists() for p in [*m.linkedin_zips, *m.x_zips, m.roster_path, m.crm_path])
    data = json.loads((m.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert data["roster_path"] == "roster.csv"
    assert data["linkedin_zips"] == [p.relative_to(m.out_dir).as_posix() for p in m.linkedin_zips]
    assert data["counts"]["connection_rows"] == len(demo.truth("connection_mentions.csv"))
    assert m.counts["people"] == len(demo.truth("people.csv"))
    assert m.counts["employees"] == 30


def test_same_seed_gives_identical_bytes(demo, demo_again):
    first, second = demo.all_files(), demo_again.all_files()
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == []


def test_other_seed_gives_other_files(demo, demo_other_seed):
    assert demo.all_files()["roster.csv"] != demo_other_seed.all_files()["roster.csv"]
    assert demo.all_files()["truth/ties.csv"] != demo_other_seed.all_files()["truth/ties.csv"]


def test_zip_entries_have_fixed_time_and_deflate(demo):
    for path in [*demo.manifest.linkedin_zips, *demo.manifest.x_zips]:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                assert info.date_time == (2026, 11, 20, 0, 0, 0)
                assert info.compress_type == zipfile.ZIP_DEFLATED


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"employees": 2}, "The 'employees' parameter of generate must be an int >= 5. Got 2"),
        ({"mean_contacts": 0}, "'mean_contacts' parameter of generate must be an int >= 10"),
        ({"organisations": 10}, "'organisations' parameter of generate must be an int >= 200"),
        ({"seed": -1}, "'seed' parameter of generate must be an int >= 0"),
    ],
)
def test_bad_arguments_are_refused(tmp_path: Path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        generate(tmp_path, **kwargs)
    assert not list(tmp_path.iterdir())


def test_rerun_in_same_folder_replaces_old_files(tmp_path: Path):
    generate(tmp_path, employees=12, seed=1, mean_contacts=20, organisations=300)
    m = generate(tmp_path, employees=8, seed=2, mean_contacts=20, organisations=300)
    on_disk = sorted((tmp_path / "linkedin").glob("*.zip"))
    assert on_disk == m.linkedin_zips
