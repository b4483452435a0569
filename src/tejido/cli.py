"""The ``tejido`` command: a thin layer that parses, calls one library function and presents."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tejido.cli_accounts import audit_app, user_app
from tejido.cli_common import JsonOpt, TruthOpt, WorkspaceOpt, print_json
from tejido.cli_contactmap import map_app
from tejido.cli_diffusion import diffusion_app
from tejido.cli_influence import influence_app
from tejido.cli_learning import learning_app
from tejido.errors import TejidoError
from tejido.ingest.batch import BatchItem
from tejido.ingest.upload import ImportResult
from tejido.workspace import Workspace

__all__ = ["app", "main"]

app = typer.Typer(
    name="tejido",
    help="Tejido: see and use the professional network your company's people already have.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
import_app = typer.Typer(
    help="Import files: LinkedIn exports, X archives, CRM accounts, the roster, edge lists, "
    "share logs.",
    no_args_is_help=True,
)
app.add_typer(import_app, name="import")
app.add_typer(map_app)
app.add_typer(influence_app)
app.add_typer(diffusion_app)
app.add_typer(learning_app)
app.add_typer(user_app, name="user")
app.add_typer(audit_app)

out = Console()
err = Console(stderr=True)

EncodingOpt = Annotated[
    str | None,
    typer.Option(help="Text encoding of the file when it is not UTF-8 (e.g. latin-1)."),
]


def _workspace(path: Path | None) -> Workspace:
    return Workspace(path)


@contextmanager
def _progress(total: int, label: str, enabled: bool) -> Iterator[Callable[[str], None]]:
    if not enabled or total < 2:
        yield lambda _name: None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[name]}"),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=total, name="")
        yield lambda name: progress.update(task, advance=1, name=name)


def _run_imports(
    kind: str, paths: list[Path], workspace: Path | None, as_json: bool, **options: Any
) -> None:
    ws = _workspace(workspace)
    files = _expand(paths, kind)
    with _progress(len(files), f"import {kind}", not as_json) as advance:
        if len(files) == 1:
            items = [_one(ws, kind, files[0], options)]
        else:
            items = ws.import_many(
                kind, files, progress=lambda _done, _total, name: advance(name), **options
            )
    if as_json:
        print_json([item.to_dict() for item in items])
    for item in items:
        if item.error is not None:
            if not as_json:
                err.print(f"[red]Error:[/red] {item.error.message}", highlight=False)
        elif not as_json:
            assert item.result is not None
            _print_result(item.result)
    errors = [item.error for item in items if item.error is not None]
    if errors:
        # One file: its own error's code; several: 2, "some input was refused".
        raise typer.Exit(errors[0].exit_code if len(items) == 1 else 2)


def _one(ws: Workspace, kind: str, path: Path, options: dict[str, Any]) -> BatchItem:
    try:
        return BatchItem(path.name, result=ws.import_file(kind, path, **options))
    except TejidoError as exc:
        return BatchItem(path.name, error=exc)


def _expand(paths: list[Path], kind: str) -> list[Path]:
    """Files given, and the files inside folders given (zips for exports, CSVs otherwise)."""
    pattern = "*.zip" if kind in {"linkedin", "x"} else "*"
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.glob(pattern) if p.is_file()))
        else:
            files.append(path)
    return files


def _print_result(result: ImportResult) -> None:
    owner = f" (owner: {result.owner})" if result.owner else ""
    figures = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in result.counts.items() if v)
    out.print(
        f"{result.file}: {result.status} as upload {result.upload_id}{owner}; {figures}",
        highlight=False,
    )
    for warning in result.warnings:
        out.print(f"  warning: {warning}", highlight=False, style="yellow")


@import_app.command("linkedin")
def import_linkedin(
    paths: Annotated[list[Path], typer.Argument(help="Export zips, their CSVs, or folders.")],
    employee: Annotated[
        str | None, typer.Option(help="E-mail of the employee who owns the export.")
    ] = None,
    encoding: EncodingOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import LinkedIn data exports ("Get a copy of your data"), one upload per file.

    Example: tejido import linkedin exports/ --workspace acme
    """
    _run_imports("linkedin", paths, workspace, as_json, employee=employee, encoding=encoding)


@import_app.command("x")
def import_x(
    paths: Annotated[list[Path], typer.Argument(help="X archive zips, or folders of them.")],
    employee: Annotated[
        str | None, typer.Option(help="E-mail of the employee who owns the archive.")
    ] = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import X (Twitter) archives: followers and accounts followed.

    Example: tejido import x twitter-2026-11-20-archive.zip --employee ana@acme.com
    """
    _run_imports("x", paths, workspace, as_json, employee=employee)


@import_app.command("crm")
def import_crm(
    path: Annotated[Path, typer.Argument(help="CRM accounts CSV.")],
    encoding: EncodingOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import CRM accounts (Salesforce, HubSpot or plain columns): customers, prospects...

    Example: tejido import crm accounts.csv
    """
    _run_imports("crm", [path], workspace, as_json, encoding=encoding)


@import_app.command("roster")
def import_roster(
    path: Annotated[Path, typer.Argument(help="Employee roster CSV.")],
    company: Annotated[
        str | None, typer.Option(help="Our company's name (default: from e-mail domains).")
    ] = None,
    encoding: EncodingOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import the employee roster: name, e-mail, LinkedIn URL, department, title, consent.

    Example: tejido import roster staff.csv --company "Acme S.L."
    """
    _run_imports("roster", [path], workspace, as_json, company=company, encoding=encoding)


@import_app.command("edges")
def import_edges(
    path: Annotated[Path, typer.Argument(help="Edge list: CSV, TSV, SNAP text or Parquet.")],
    directed: Annotated[bool, typer.Option(help="Edges go from source to target.")] = False,
    namespace: Annotated[
        str | None, typer.Option(help="Prefix of node ids (default: the file name).")
    ] = None,
    encoding: EncodingOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import a generic edge list, so any real network can be analysed.

    Example: tejido import edges email-Eu-core.txt --directed
    """
    _run_imports(
        "edges",
        [path],
        workspace,
        as_json,
        directed=directed,
        namespace=namespace,
        encoding=encoding,
    )


@import_app.command("shares")
def import_shares(
    path: Annotated[Path, typer.Argument(help="Share log CSV: post, person, time, action.")],
    encoding: EncodingOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import a share log: who shared (liked, commented on, clicked) which post, and when.
    People are found by LinkedIn URL, e-mail, @handle or X id; rows naming people the
    store does not know are skipped and counted.

    Example: tejido import shares shares.csv
    """
    _run_imports("shares", [path], workspace, as_json, encoding=encoding)


@app.command()
def init(workspace: WorkspaceOpt = None) -> None:
    """Create a workspace (folder and store) or bring its store schema up to date.

    Example: tejido init --workspace acme
    """
    ws = _workspace(workspace)
    out.print(f"Workspace ready: {ws.path.resolve()} (store: {ws.store.safe_url})", highlight=False)


@app.command()
def stats(workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """Counts of people, organisations, connections, interactions and uploads.

    Example: tejido stats --json
    """
    figures = _workspace(workspace).stats().to_dict()
    if as_json:
        print_json(figures)
        return
    table = Table("what", "count", title="Tejido store")
    for key, value in figures.items():
        if isinstance(value, dict):
            for sub, n in value.items():
                table.add_row(f"  {key.replace('_', ' ')}: {sub}", f"{n:,}")
        else:
            table.add_row(key.replace("_", " "), f"{value:,}")
    out.print(table)


@app.command("resolve-report")
def resolve_report(
    truth: TruthOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Precision and recall of identity resolution against the demo's ground truth.

    Example: tejido resolve-report --json
    """
    report = _workspace(workspace).resolve_report(truth).to_dict()
    if as_json:
        print_json(report)
        return
    table = Table(
        "entities",
        "precision",
        "recall",
        "F1",
        "mentions",
        "true",
        "found",
        title="Identity resolution (pairwise, against ground truth)",
    )
    for name, s in report.items():
        table.add_row(
            name.replace("_", " "),
            f"{s['precision']:.4f}",
            f"{s['recall']:.4f}",
            f"{s['f1']:.4f}",
            f"{s['mentions']:,}",
            f"{s['true_entities']:,}",
            f"{s['found_entities']:,}",
        )
    out.print(table)


@app.command()
def uploads(workspace: WorkspaceOpt = None, as_json: JsonOpt = False) -> None:
    """Every upload: kind, file, owner, status and what it imported.

    Example: tejido uploads --json
    """
    frame = _workspace(workspace).uploads()
    records = frame.to_dict(orient="records") if not frame.empty else []
    if as_json:
        print_json(records)
        return
    table = Table("id", "kind", "file", "status", "created")
    for r in records:
        table.add_row(str(r["id"]), r["kind"], r["filename"], r["status"], str(r["created_at"]))
    out.print(table)


@app.command("erase-upload")
def erase_upload(
    upload_id: Annotated[int, typer.Argument(help="Id of the upload (see `tejido uploads`).")],
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Erase an upload completely: its ties, messages, and people only it named.

    Example: tejido erase-upload 12
    """
    counts = _workspace(workspace).erase_upload(upload_id, actor="cli")
    if as_json:
        print_json(counts)
    else:
        out.print(
            f"Erased upload {upload_id}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items())
        )


@app.command()
def demo(
    workspace: WorkspaceOpt = None,
    employees: Annotated[int, typer.Option(min=5, help="Employees of the demo company.")] = 300,
    seed: Annotated[int, typer.Option(help="Seed: the same seed builds the same company.")] = 1,
    mean_contacts: Annotated[
        int, typer.Option(min=10, help="Average LinkedIn connections per employee.")
    ] = 400,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Do not start the web app afterwards.")
    ] = False,
    host: Annotated[str, typer.Option(help="Address the web app listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port of the web app.")] = 8000,
    as_json: JsonOpt = False,
) -> None:
    """Generate a synthetic company with ground truth, import it as a user would, summarise it,
    then serve the web app with demo logins (unless --no-serve).

    Example: tejido demo --employees 300 --seed 1 --workspace demo
    """
    from tejido.demo.build import build_demo, demo_logins

    ws = _workspace(workspace)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=as_json,
    ) as progress:
        tasks: dict[str, Any] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        summary = build_demo(
            ws, employees=employees, seed=seed, mean_contacts=mean_contacts, progress=report
        )
    logins = [] if no_serve else demo_logins(ws)
    if as_json:
        print_json(summary.to_dict() | ({"logins": logins} if logins else {}))
    else:
        out.print(summary.text(), highlight=False)
    if no_serve:
        return
    import uvicorn

    from tejido.web.app import create_app

    err.print(f"Tejido is at http://{host}:{port}/ - sign in as:", highlight=False)
    for login in logins:
        err.print(f"  {login['role']:<9} {login['email']}  password {login['password']}",
                  highlight=False, markup=False)  # fmt: skip
    uvicorn.run(create_app(ws), host=host, port=port, log_level="warning")


def main() -> None:
    """Entry point: library errors become one clean line and a documented exit code."""
    try:
        app()
    except TejidoError as exc:
        err.print(f"[red]Error:[/red] {exc.message}", highlight=False)
        sys.exit(exc.exit_code)
