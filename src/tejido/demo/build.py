"""Building the demo company in a workspace: generate its files, import them as a user would."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tejido.errors import TejidoError
from tejido.workspace import Workspace

__all__ = ["DEMO_COMPANY", "DemoSummary", "build_demo"]

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

    def to_dict(self) -> dict[str, Any]:
        return {
            "workspace": self.workspace,
            "employees": self.employees,
            "seed": self.seed,
            "files": self.files,
            "imported": self.imported,
            "failed": self.failed,
            "stats": self.stats,
        }

    def text(self) -> str:
        s = self.stats
        lines = [
            f"Demo company built in {self.workspace} (seed {self.seed}).",
            f"  imported {self.imported.get('linkedin', 0)} LinkedIn exports, "
            f"{self.imported.get('x', 0)} X archives, a roster and a CRM file",
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
        for failure in self.failed:
            lines.append(f"  FAILED {failure['file']}: {failure['error']}")
        return "\n".join(lines)


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
    imported = {"crm": 0, "roster": 0, "linkedin": 0, "x": 0}
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
    return DemoSummary(
        workspace=str(workspace.path),
        employees=employees,
        seed=seed,
        files={
            "linkedin": len(manifest.linkedin_zips),
            "x": len(manifest.x_zips),
            "crm": 1,
            "roster": 1,
        },
        imported=imported,
        failed=failed,
        stats=workspace.stats().to_dict(),
    )
