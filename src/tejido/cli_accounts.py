"""Accounts and the audit log from the command line: ``tejido user ...``, ``tejido audit``.

The operator at the machine acts as ``cli`` in the audit log.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tejido import accounts
from tejido.cli_common import JsonOpt, WorkspaceOpt, print_json
from tejido.workspace import Workspace

__all__ = ["audit_app", "user_app"]

user_app = typer.Typer(help="Accounts of the web app: add, list, change roles, reset passwords.",
                       no_args_is_help=True)  # fmt: skip
audit_app = typer.Typer()
out = Console(markup=False, highlight=False)


@user_app.command("add")
def add(
    email: Annotated[
        str, typer.Argument(help="The account's e-mail (an employee's, for role employee).")
    ],
    role: Annotated[str, typer.Option(help="admin, analyst, reviewer or employee.")] = "employee",
    name: Annotated[str | None, typer.Option(help="Name shown in the app.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add an account; the password is asked for (or read from standard input).

    Example: tejido user add ana@acme.example --role analyst
    """
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = accounts.create_user(
        Workspace(workspace).store, email, password, role, display_name=name
    )
    if as_json:
        print_json(user.to_dict())
    else:
        out.print(f"Added {user.email} ({user.role.value})")


@user_app.command("list")
def list_(workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """Every account: e-mail, name, role, linked employee, active.

    Example: tejido user list --json
    """
    users = accounts.list_users(Workspace(workspace).store)
    if as_json:
        print_json([u.to_dict() for u in users])
        return
    table = Table("e-mail", "name", "role", "employee", "active")
    for u in users:
        table.add_row(u.email, u.display_name, u.role.value, str(u.person_id or ""), str(u.active))
    out.print(table)


@user_app.command("role")
def role(
    email: Annotated[str, typer.Argument(help="The account.")],
    new_role: Annotated[
        str, typer.Argument(metavar="ROLE", help="admin, analyst, reviewer or employee.")
    ],
    workspace: WorkspaceOpt = None,
) -> None:
    """Change an account's role (audited; its sessions end).

    Example: tejido user role ana@acme.example admin
    """
    user = accounts.set_role(Workspace(workspace).store, email, new_role, actor="cli")
    out.print(f"{user.email} is now {user.role.value}")


@user_app.command("reset-password")
def reset_password(
    email: Annotated[str, typer.Argument(help="The account.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Give an account a temporary password, to be changed at the next sign-in.

    Example: tejido user reset-password ana@acme.example
    """
    temporary = accounts.reset_password(Workspace(workspace).store, email, actor="cli")
    out.print(f"Temporary password for {email}: {temporary}")


@audit_app.command()
def audit(
    limit: Annotated[int, typer.Option(min=1, help="Newest events shown.")] = 50,
    action: Annotated[
        str | None, typer.Option(help="Only this action (e.g. login.failed).")
    ] = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The audit log of sensitive actions (sign-ins, role changes, exports...), newest first.

    Example: tejido audit --action login.failed
    """
    frame = accounts.audit_log(Workspace(workspace).store, limit=limit, action=action)
    records = frame.to_dict(orient="records")
    if as_json:
        print_json(records)
        return
    table = Table("at", "actor", "action", "target", "address")
    for r in records:
        table.add_row(str(r["at"]), r["actor"], r["action"], r["target"] or "", r["ip"] or "")
    out.print(table)
