"""Building the demo company in a workspace: generate its files, import them as a user would."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tejido.errors import TejidoError
from tejido.workspace import Workspace

__all__ = ["DEMO_COMPANY", "DemoSummary", "build_demo", "contact_map_summary", "demo_logins"]

DEMO_COMPANY = "Tejido Demo S.L."

Progress = Callable[[str, int, int], None]


@dataclass
class DemoSummary:
    """What the demo build generated and imported."""

    workspace: str
    employees: int
    seed: int
    files: dict[str, int]
    imported: dict[str, int]
    failed: list[dict[str, Any]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    contact_map: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "workspace": self.workspace,
            "employees": self.employees,
            "seed": self.seed,
            "files": self.files,
            "imported": self.imported,
            "failed": self.failed,
            "stats": self.stats,
            "contact_map": self.contact_map,
        }

    def text(self) -> str:
        s = self.stats
        lines = [
            f"Demo company built in {self.workspace} (seed {self.seed}).",
            f"  imported {self.imported.get('linkedin', 0)} LinkedIn exports, "
            f"{self.imported.get('x', 0)} X archives, a roster, a CRM file and a share log",
            f"  people {s['people']:,} · employees {s['employees']:,} · "
            f"organisations {s['organisations']:,}",
            f"  connections {s['connections']:,} · interactions {s['interactions']:,} · "
            f"uploads {s['uploads']:,}",
        ]
        relations = s.get("organisations_by_relation", {})
        if relations:
            lines.append(
                "  accounts: "
                + ", ".join(f"{k} {v:,}" for k, v in relations.items() if k != "none")
            )
        lines.extend(_map_lines(self.contact_map))
        for failure in self.failed:
            lines.append(f"  FAILED {failure['file']}: {failure['error']}")
        return "\n".join(lines)


def _map_lines(summary: dict[str, Any]) -> list[str]:
    if not summary:
        return []
    reach = summary["reach"]
    lines = [
        f"Contact map (snapshot of {summary['ties']:,} ties, built in {summary['seconds']:.1f} s):",
        f"  reach: {reach['1']:,} employees (1st degree), {reach['2']:,} contacts (2nd), "
        f"{reach['3']:,} contacts of contacts (3rd)",
    ]
    cov = summary["coverage"]
    best = ", ".join(
        f"{a['name']} ({a['relation'] or 'no CRM type'}, {a['contacts']} people, "
        f"{a['employees']} colleagues)"
        for a in cov["best_covered"][:3]
    )
    lines.append(f"  best covered: {best}")
    uncovered = cov["uncovered_targets"]
    lines.append(
        f"  uncovered prospects and customers: {len(uncovered)}"
        + (": " + ", ".join(a["name"] or "?" for a in uncovered[:5]) if uncovered else "")
    )
    lines.append(
        f"  accounts on a single colleague: {cov['single_colleague_count']}; "
        f"decaying ties: {cov['decaying_ties']:,}"
    )
    return lines


def contact_map_summary(workspace: Workspace) -> dict[str, Any]:
    """Build the snapshot and sum the contact map up: reach by degree, coverage."""
    start = time.perf_counter()
    snap = workspace.contact_map.snapshot()
    degrees = workspace.degrees()
    totals = degrees[degrees["dimension"] == "total"]
    reach = {str(int(r["degree"])): int(r["count"]) for r in totals.to_dict("records")}
    coverage = workspace.coverage_summary()
    return {
        "ties": snap.n_edges,
        "people": snap.n_nodes,
        "seconds": round(time.perf_counter() - start, 2),
        "reach": reach,
        "coverage": coverage,
    }


def build_demo(
    workspace: Workspace,
    *,
    employees: int = 300,
    seed: int = 1,
    mean_contacts: int = 400,
    progress: Progress | None = None,
) -> DemoSummary:
    """Generate the demo company into ``workspace/demo`` and import it through the importers.

    Running it again with the same arguments changes nothing: the files come out byte for
    byte the same and every upload is recognised as already imported.
    """
    from tejido.demo import generate

    report = progress or (lambda _stage, _done, _total: None)
    report("generate", 0, 1)
    manifest = generate(
        workspace.path / "demo", employees=employees, seed=seed, mean_contacts=mean_contacts
    )
    report("generate", 1, 1)
    imported = {"crm": 0, "roster": 0, "linkedin": 0, "x": 0, "shares": 0}
    failed: list[dict[str, Any]] = []
    for kind, path, options in (
        ("crm", manifest.crm_path, {}),
        ("roster", manifest.roster_path, {"company": DEMO_COMPANY}),
    ):
        try:
            workspace.import_file(kind, path, **options)
            imported[kind] += 1
        except TejidoError as exc:
            failed.append({"kind": kind, "file": path.name, "error": exc.message})
    for kind, paths in (("linkedin", manifest.linkedin_zips), ("x", manifest.x_zips)):
        stage = kind

        def step(done: int, total: int, _name: str, stage: str = stage) -> None:
            report(stage, done, total)

        items = workspace.import_many(kind, paths, progress=step)
        for item in items:
            if item.error is not None:
                failed.append({"kind": kind, "file": item.file, "error": item.error.message})
            else:
                imported[kind] += 1
    # Last: the log names people that the exports brought in.
    try:
        workspace.import_file("shares", manifest.shares_path)
        imported["shares"] += 1
    except TejidoError as exc:
        failed.append({"kind": "shares", "file": manifest.shares_path.name, "error": exc.message})
    return DemoSummary(
        workspace=str(workspace.path),
        employees=employees,
        seed=seed,
        files={
            "linkedin": len(manifest.linkedin_zips),
            "x": len(manifest.x_zips),
            "crm": 1,
            "roster": 1,
            "shares": 1,
        },
        imported=imported,
        failed=failed,
        stats=workspace.stats().to_dict(),
        contact_map=contact_map_summary(workspace),
    )


def demo_logins(workspace: Workspace) -> list[dict[str, str]]:
    """Accounts to try the web app with: an admin, an analyst and a named employee.

    Each gets a fresh random password (shown once, to whoever built the demo).
    """
    import secrets

    from sqlalchemy import select

    from tejido import accounts
    from tejido.errors import NotFoundError
    from tejido.store.models import ConsentLevel, Employee, table_of

    E = table_of(Employee)
    with workspace.store.read() as conn:
        employee = conn.execute(
            select(E.c.email).where(E.c.consent == ConsentLevel.NAMED, E.c.email.is_not(None))
            .order_by(E.c.id).limit(1)
        ).scalar()  # fmt: skip
    wanted = [("admin@tejido-demo.example", "admin"), ("analyst@tejido-demo.example", "analyst")]
    if employee:
        wanted.append((str(employee), "employee"))
    logins = []
    for email, role in wanted:
        password = secrets.token_urlsafe(9)
        try:
            accounts.find_user(workspace.store, email)
            accounts.set_password(workspace.store, email, password, actor="demo")
        except NotFoundError:
            accounts.create_user(workspace.store, email, password, role, actor="demo")
        logins.append({"email": email, "password": password, "role": role})
    return logins
