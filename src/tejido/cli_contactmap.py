"""The contact map's commands: ``tejido degrees``, ``coverage``, ``paths``, ``prospects``,
``relation``, ``snapshot`` and ``serve``. Each parses, calls the service once, presents."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tejido.cli_common import AsOpt, JsonOpt, TruthOpt, WorkspaceOpt, print_json, viewer_of
from tejido.errors import BadInputError
from tejido.workspace import Workspace

__all__ = ["map_app"]

map_app = typer.Typer()
# Names come from other people's files: print them as text, never as rich markup.
out = Console(markup=False, highlight=False)


def _fmt(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


@map_app.command()
def degrees(
    person: Annotated[
        str | None, typer.Option(help="Person-centred: this person's 1st/2nd/3rd degree.")
    ] = None,
    top: Annotated[int, typer.Option(help="Rows shown per breakdown.")] = 8,
    who: AsOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Reach by degree, broken down by relation, organisation, industry, country, department.

    Company-centred by default: employees are the 1st degree, their contacts the 2nd.

    Example: tejido degrees --json
    """
    ws = Workspace(workspace)
    frame = ws.degrees(person, viewer=viewer_of(ws, who))
    if as_json:
        print_json(frame.to_dict(orient="records"))
        return
    for degree in (1, 2, 3):
        part = frame[frame["degree"] == degree]
        total = int(part.loc[part["dimension"] == "total", "count"].sum())
        table = Table("dimension", "value", "count", title=f"degree {degree}: {total:,} people")
        for dimension, rows in part[part["dimension"] != "total"].groupby("dimension", sort=False):
            for r in rows.sort_values("count", ascending=False).head(top).to_dict("records"):
                table.add_row(str(dimension), str(r["value"]), f"{int(r['count']):,}")
        out.print(table)


@map_app.command()
def coverage(
    org: Annotated[
        str | None, typer.Argument(help="One organisation (id, web domain or name).")
    ] = None,
    relation: Annotated[
        str | None, typer.Option(help="Only accounts of this CRM type (prospect, customer...).")
    ] = None,
    limit: Annotated[int, typer.Option(help="Rows shown.")] = 20,
    who: AsOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Account coverage: who in the company knows whom at each organisation, and how well.

    Without ORG: the best-covered accounts, uncovered prospects, accounts that hang on
    one colleague, decaying ties. With ORG: every tie into it and the warm paths.

    Example: tejido coverage "Acme S.A." --json
    """
    ws = Workspace(workspace)
    viewer = viewer_of(ws, who)
    if org is not None:
        account = ws.account(org, limit=limit, viewer=viewer)
        if as_json:
            print_json(account)
            return
        _print_account(account, limit)
        return
    frame = ws.coverage(relation=relation, limit=limit, viewer=viewer)
    summary = ws.coverage_summary(viewer=viewer)
    if as_json:
        print_json({"accounts": frame.to_dict(orient="records"), "summary": summary})
        return
    columns = ["org_id", "name", "relation", "contacts", "employees", "strong_ties",
               "best_strength", "bus_factor", "decaying_ties"]  # fmt: skip
    table = Table(*columns, title="Account coverage (best first)")
    for r in frame[columns].to_dict("records"):
        table.add_row(*(_fmt(r[c]) for c in columns))
    out.print(table)
    out.print(
        f"{summary['covered']:,} of {summary['accounts']:,} organisations covered; "
        f"CRM accounts {summary['crm_covered']:,} of {summary['crm_accounts']:,}; "
        f"{summary['single_colleague_count']:,} hang on a single colleague; "
        f"{summary['decaying_ties']:,} decaying ties.",
        highlight=False,
    )
    uncovered = summary["uncovered_targets"]
    if uncovered:
        out.print(
            "Uncovered prospects and customers (no path): "
            + ", ".join(f"{u['name']} ({u['relation']})" for u in uncovered[:limit]),
            highlight=False,
        )


def _print_account(account: dict[str, Any], limit: int) -> None:
    org, s = account["organisation"], account["summary"]
    out.print(
        f"{org.get('name')} ({org.get('relation') or 'no CRM type'}): "
        f"{s.get('contacts', 0):,} people known by {s.get('employees', 0):,} colleagues, "
        f"{s.get('strong_ties', 0):,} strong ties, bus factor {s.get('bus_factor', 0)}",
        highlight=False,
    )
    table = Table("colleague", "contact", "position", "strength", "relation", "why")
    for t in account["ties"][:limit]:
        table.add_row(
            t["employee"]["name"], t["contact"]["name"], t["contact"].get("position") or "",
            _fmt(t["strength"]), t["relation"] or "", t.get("reasons") or "",
        )  # fmt: skip
    out.print(table)
    _print_paths(account["paths"])


def _print_paths(paths: list[dict[str, Any]]) -> None:
    table = Table("#", "score", "ask", "path", "why", title="Warm paths")
    for p in paths:
        chain = " → ".join([p["path"][0]["from"]["name"], *(h["to"]["name"] for h in p["path"])])
        why = " | ".join(h.get("reasons") or "(existence only)" for h in p["path"])
        table.add_row(str(p["rank"]), _fmt(p["score"]), p["ask"]["name"], chain, why)
    out.print(table)


@map_app.command()
def paths(
    to: Annotated[
        str | None, typer.Option("--to", help="Target person (id, LinkedIn URL, e-mail, name).")
    ] = None,
    org: Annotated[str | None, typer.Option("--org", help="Target organisation.")] = None,
    k: Annotated[int, typer.Option("--k", min=1, help="How many paths.")] = 5,
    source: Annotated[
        str | None, typer.Option("--from", help="Start from this person (e.g. yourself).")
    ] = None,
    max_hops: Annotated[int, typer.Option(min=1, max=3, help="Longest path, in ties.")] = 2,
    who: AsOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Warm-introduction paths to a person or organisation, best first, each tie explained.

    Example: tejido paths --org "Acme S.A." --k 5
    """
    ws = Workspace(workspace)
    result = ws.contact_map.paths(
        viewer_of(ws, who), to=to, org=org, k=k, source=source, max_hops=max_hops
    )
    if as_json:
        print_json(result)
        return
    _print_paths(result["paths"])


@map_app.command()
def prospects(
    country: Annotated[str | None, typer.Option(help="Country name or ISO code.")] = None,
    industry: Annotated[str | None, typer.Option(help="Industry: words separated by |.")] = None,
    role: Annotated[str | None, typer.Option(help="Job title: words separated by |.")] = None,
    relation: Annotated[
        str | None, typer.Option(help="CRM type of their organisation (prospect, customer...).")
    ] = None,
    max_hops: Annotated[int, typer.Option(min=1, max=2, help="1 or 2 ties away.")] = 2,
    limit: Annotated[int, typer.Option(min=1, help="Rows.")] = 25,
    who: AsOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """People within two ties who match a country, industry, role or account type.

    Example: tejido prospects --country FR --role "director|head" --json
    """
    ws = Workspace(workspace)
    frame = ws.prospects(
        country=country, industry=industry, role=role, relation=relation,
        max_hops=max_hops, limit=limit, viewer=viewer_of(ws, who),
    )  # fmt: skip
    if as_json:
        print_json(frame.to_dict(orient="records"))
        return
    columns = ["name", "position", "organisation", "hops", "score", "ask", "via"]
    table = Table(*columns, title="Prospects")
    for r in frame[columns].to_dict("records"):
        table.add_row(*(_fmt(r[c]) for c in columns))
    out.print(table)


@map_app.command()
def relation(
    employee: Annotated[str, typer.Argument(help="The employee (e-mail, URL or id).")],
    contact: Annotated[str, typer.Argument(help="Their contact (URL, e-mail or id).")],
    cls: Annotated[
        str | None,
        typer.Argument(
            metavar="RELATION",
            help="colleague, ex_colleague, classmate, customer, prospect, partner, "
            "supplier, competitor or other; omit with --clear.",
        ),
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the correction.")] = False,
    note: Annotated[str | None, typer.Option(help="Why.")] = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Correct the relation class of one tie; the correction survives re-imports.

    Example: tejido relation ana@acme.example https://linkedin.com/in/pedro customer
    """
    if (cls is None) != clear:
        raise BadInputError("give a RELATION, or --clear to remove the correction")
    result = Workspace(workspace).set_relation(employee, contact, cls, note=note)
    if as_json:
        print_json(result)
    else:
        out.print(f"{result['employee_key']} → {result['contact_key']}: {cls or 'cleared'}")


@map_app.command()
def export(
    path: Annotated[Path, typer.Argument(help="File (.gexf, .graphml, .zip) or folder (CSV).")],
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="gexf, graphml or csv (default: from the suffix)."),
    ] = None,
    min_strength: Annotated[float, typer.Option(help="Only ties at least this strong.")] = 0.0,
    org: Annotated[str | None, typer.Option(help="Only ties into this organisation.")] = None,
    who: AsOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Export the map for Gephi (GEXF, GraphML) or spreadsheets (CSV), as consent allows.

    Example: tejido export map.gexf
    """
    ws = Workspace(workspace)
    written = ws.export_map(
        path, fmt, min_strength=min_strength, org=org, viewer=viewer_of(ws, who), actor="cli"
    )
    if as_json:
        print_json({"path": str(written)})
    else:
        out.print(f"Wrote {written}", highlight=False)


@map_app.command("contact-report")
def contact_report(
    truth: TruthOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The contact map against the demo's ground truth: classes, strength, planted paths.

    Example: tejido contact-report --json
    """
    report = Workspace(workspace).contact_report(truth).to_dict()
    if as_json:
        print_json(report)
        return
    table = Table("class", "truth", "found", "precision", "recall",
                  title=f"Relation classes (accuracy {report['accuracy']:.4f})")  # fmt: skip
    for name, s in report["classes"].items():
        table.add_row(name, f"{s['truth']:,}", f"{s['found']:,}", f"{s['precision']:.4f}",
                      f"{s['recall']:.4f}")  # fmt: skip
    out.print(table)
    out.print(
        f"tie strength vs truth: Spearman {report['strength_spearman']:.3f} "
        f"({report['strength_spearman_messaged']:.3f} on ties with messages)",
        highlight=False,
    )
    for p in report["planted_paths"]:
        out.print(
            f"planted path to {p['target']}: rank {p['rank']}, "
            f"from the requester: rank {p['rank_from_requester']}",
            highlight=False,
        )


@map_app.command()
def snapshot(
    rebuild: Annotated[bool, typer.Option(help="Build it again even if it is current.")] = False,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Build (or load) the snapshot of the store and print its size.

    Example: tejido snapshot --json
    """
    ws = Workspace(workspace)
    start = time.perf_counter()
    snap = ws.contact_map.cache.rebuild() if rebuild else ws.contact_map.snapshot()
    figures = {
        "version": snap.version,
        "people": snap.n_nodes,
        "ties": snap.n_edges,
        "organisations": snap.n_orgs,
        "ties_with_messages": len(snap.msg_edge),
        "bytes": snap.nbytes(),
        "bytes_per_tie": round(snap.nbytes() / max(snap.n_edges, 1), 1),
        "seconds": round(time.perf_counter() - start, 3),
    }
    if as_json:
        print_json(figures)
        return
    out.print(", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in figures.items()))


@map_app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workspace: WorkspaceOpt = None,
) -> None:
    """Serve the web app and its JSON API (schema at /api/openapi.json).

    Example: tejido serve --port 8000
    """
    import uvicorn

    from tejido.web.app import create_app

    ws = Workspace(workspace)
    app = create_app(ws)
    out.print(
        f"Tejido on http://{host}:{port}/ (scripts: the API token is in {ws.path / 'api-token'})",
        highlight=False,
    )
    uvicorn.run(app, host=host, port=port, log_level="warning")


@map_app.command()
def worker(
    burst: Annotated[
        bool, typer.Option("--burst", help="Stop when the queue is empty (for scripts, tests).")
    ] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Run background jobs (imports, analyses) from the Redis queue in TEJIDO_QUEUE_URL.

    Start it with the same settings as `tejido serve`. Example:
    TEJIDO_QUEUE_URL=redis://127.0.0.1:6379/0 tejido worker
    """
    from tejido.jobs.runners import work

    ws = Workspace(workspace)
    settings = ws.settings
    ws.close()
    # The jobs build their own workspace from the environment: make --workspace reach them.
    if workspace is not None:
        import os

        os.environ["TEJIDO_WORKSPACE"] = str(workspace)
    out.print(f"Tejido worker on queue {settings.queue_name!r}", highlight=False)
    work(settings, burst=burst)
