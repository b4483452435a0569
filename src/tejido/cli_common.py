"""What every group of ``tejido`` commands shares: the workspace and ``--json`` options,
and JSON output."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tejido.errors import BadInputError

if TYPE_CHECKING:
    from tejido.contactmap.view import Viewer
    from tejido.workspace import Workspace

__all__ = ["AsOpt", "JsonOpt", "WorkspaceOpt", "print_json", "viewer_of"]

WorkspaceOpt = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder (default: $TEJIDO_WORKSPACE or ./tejido-workspace).",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
TruthOpt = Annotated[
    Path | None, typer.Option(help="Ground-truth folder (default: the workspace's demo).")
]


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


AsOpt = Annotated[
    str | None,
    typer.Option(
        "--as",
        help="See the map as this employee sees it (e-mail, LinkedIn URL or id); "
        "default: an analyst.",
        show_default=False,
    ),
]


def viewer_of(ws: Workspace, who: str | None) -> Viewer | None:
    """The viewer ``--as`` names: one employee, or None (an analyst)."""
    if who is None:
        return None
    from tejido.contactmap.lookup import find_person
    from tejido.store.models import Employee, table_of

    E = table_of(Employee)
    with ws.store.read() as conn:
        ids = find_person(conn, who)
        emp = [i for i in ids if conn.execute(E.select().where(E.c.person_id == i)).first()]
    if len(emp) != 1:
        raise BadInputError(f"--as {who!r} does not name exactly one employee")
    from tejido.contactmap.view import Viewer

    return Viewer(role="employee", person_id=emp[0])
