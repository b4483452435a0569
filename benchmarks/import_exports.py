"""Benchmark: import 1,000 employees' LinkedIn exports (about 1M connections).

Prints the wall time and peak memory of the whole import (roster, CRM and every export,
one upload each, on a fresh SQLite store, or PostgreSQL with --database-url), and the
ratio to reading the same CSV files raw with polars in the same run (the baseline: open
each zip, hand each CSV to ``polars.read_csv``, nothing else). Targets: import <= 8x the
raw read, peak memory <= 2 GB.

    .venv/bin/python benchmarks/import_exports.py                 # 1000 x 1000, ~10 min
    .venv/bin/python benchmarks/import_exports.py --employees 100 --mean-contacts 300

The generated files are cached in benchmarks/out/ (generation is not timed). The import
runs in a child process so that its peak memory is its own; the baseline is repeated
before and after the import, and its median taken.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polars as pl

HERE = Path(__file__).resolve().parent


def generate(out: Path, employees: int, mean_contacts: int, seed: int) -> Path:
    from tejido.demo import generate as make

    folder = out / f"world-{employees}-{mean_contacts}-{seed}"
    if not (folder / "manifest.json").exists():
        started = time.perf_counter()
        make(folder, employees=employees, seed=seed, mean_contacts=mean_contacts)
        print(f"generated {folder} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return folder


def raw_polars_read(zips: list[Path]) -> tuple[float, int]:
    """The baseline: every CSV of every zip read with polars, as plain strings."""
    started = time.perf_counter()
    rows = 0
    for path in zips:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if not name.endswith(".csv"):
                    continue
                data = archive.read(name)
                skip = 3 if data.lstrip(b"\xef\xbb\xbf").startswith(b"Notes:") else 0
                frame = pl.read_csv(
                    io.BytesIO(data),
                    skip_rows=skip,
                    infer_schema=False,
                    truncate_ragged_lines=True,
                )
                rows += frame.height
    return time.perf_counter() - started, rows


@contextmanager
def fresh_database(url: str | None) -> Iterator[str | None]:
    """A new, empty schema on the PostgreSQL server at ``url`` (dropped after); None: SQLite."""
    if url is None:
        yield None
        return
    from tejido.store.engine import scratch_schema

    with scratch_schema(url, prefix="bench") as scratch:
        yield scratch


def import_child(world: Path, workspace: Path, database_url: str | None) -> dict[str, Any]:
    """Run in a child process: the whole import, timed, with its own peak memory."""
    from tejido import Workspace

    manifest = json.loads((world / "manifest.json").read_text())
    ws = Workspace(workspace, database_url=database_url)
    started = time.perf_counter()
    ws.import_crm(world / manifest["crm_path"])
    ws.import_roster(world / manifest["roster_path"], company="Tejido Demo S.L.")
    # As `tejido import linkedin FOLDER` does: one upload per zip, parsed ahead.
    items = ws.import_many("linkedin", [world / name for name in manifest["linkedin_zips"]])
    wall = time.perf_counter() - started
    failed = [item.file for item in items if item.error is not None]
    if failed:
        raise SystemExit(f"{len(failed)} exports failed: {failed[:5]}")
    stats = ws.stats().to_dict()
    # Peak memory of this process and of the parsing worker, whichever is larger.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "wall_s": wall,
        "peak_rss_mib": own / 1024,
        "worker_peak_rss_mib": worker / 1024,
        "stats": stats,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=1000)
    parser.add_argument("--mean-contacts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="baseline repetitions")
    parser.add_argument(
        "--database-url",
        default=None,
        help="a PostgreSQL server (a fresh schema is made and dropped); default: SQLite",
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = import_child(Path(args.child[0]), Path(args.child[1]), args.database_url)
        print(json.dumps(result))
        return

    out = HERE / "out"
    world = generate(out, args.employees, args.mean_contacts, args.seed)
    manifest = json.loads((world / "manifest.json").read_text())
    zips = [world / name for name in manifest["linkedin_zips"]]

    # The baseline runs before and after the import: a noisy neighbour hits both.
    baseline = [raw_polars_read(zips) for _ in range(args.repeat)]
    with tempfile.TemporaryDirectory() as tmp, fresh_database(args.database_url) as url:
        command = [sys.executable, __file__, "--child", str(world), str(Path(tmp) / "ws")]
        if url:
            command += ["--database-url", url]
        child = subprocess.run(command, check=True, capture_output=True, text=True)
    result = json.loads(child.stdout.strip().splitlines()[-1])
    baseline += [raw_polars_read(zips) for _ in range(args.repeat)]
    base_s = statistics.median(t for t, _ in baseline)
    csv_rows = baseline[0][1]
    stats = result["stats"]
    ratio = result["wall_s"] / base_s
    report = {
        "employees": args.employees,
        "mean_contacts": args.mean_contacts,
        "exports": len(zips),
        "csv_rows": csv_rows,
        "connection_rows": stats["connection_rows"],
        "people": stats["people"],
        "interactions": stats["interactions"],
        "database": "postgresql" if args.database_url else "sqlite",
        "baseline_polars_raw_read_s": round(base_s, 3),
        "baseline_runs_s": [round(t, 3) for t, _ in baseline],
        "import_wall_s": round(result["wall_s"], 2),
        "import_peak_rss_mib": round(result["peak_rss_mib"], 1),
        "parser_worker_peak_rss_mib": round(result["worker_peak_rss_mib"], 1),
        "ratio_import_to_raw_read": round(ratio, 2),
        "target_ratio": 8,
        "target_peak_mib": 2048,
        "connections_per_s": round(stats["connection_rows"] / result["wall_s"]),
    }
    out.mkdir(exist_ok=True)
    (out / f"import_exports-{report['database']}.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
