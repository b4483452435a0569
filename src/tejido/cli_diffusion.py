"""Diffusion commands: ``tejido ambassadors`` and ``tejido reach``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tejido.cli_common import AsOpt, JsonOpt, WorkspaceOpt, print_json, viewer_of
from tejido.workspace import Workspace

__all__ = ["diffusion_app"]

diffusion_app = typer.Typer()
out = Console(markup=False, highlight=False)

ModelOpt = Annotated[
    str, typer.Option(help="wc (p = 1/in-degree), ic (uniform --p) or lt (linear threshold).")
]
POpt = Annotated[float, typer.Option(help="Activation probability of every arc (--model ic).")]


@diffusion_app.command()
def ambassadors(
    k: Annotated[int, typer.Option("--k", help="How many people to ask.")] = 10,
    epsilon: Annotated[float, typer.Option(help="Within 1 - 1/e - epsilon of the best.")] = 0.1,
    model: ModelOpt = "wc",
    p: POpt = 0.01,
    seed: Annotated[int, typer.Option(help="The same seed gives the same answer.")] = 0,
    everyone: Annotated[
        bool, typer.Option("--everyone", help="Anyone may be asked, not only employees.")
    ] = False,
    runs: Annotated[int, typer.Option(help="Monte-Carlo runs measuring their spread.")] = 1000,
    relation: Annotated[
        str | None, typer.Option(help="Aim at people of customer, prospect... accounts.")
    ] = None,
    industry: Annotated[str | None, typer.Option(help="Aim at an industry (a word).")] = None,
    country: Annotated[str | None, typer.Option(help="Aim at a country (ISO code).")] = None,
    title: Annotated[str | None, typer.Option(help="Aim at a job title word.")] = None,
    algorithm: Annotated[
        str, typer.Option(help="imm, or opim-c (stops once it proves the guarantee: faster).")
    ] = "imm",
    who: AsOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The people whose shares reach the most (IMM or OPIM-C: within 1 - 1/e - epsilon of
    the best, with high probability), their spread measured by Monte-Carlo, and the time
    taken. With TEJIDO_DASK_SCHEDULER set, a Dask cluster draws the samples.
    Only employees who let their network be used are asked (anyone in an edge list).

    With --relation, --industry, --country or --title the seeds are chosen to reach that
    segment, and every spread counts its people only.

    Example: tejido ambassadors --k 50 --epsilon 0.1 --model wc --json
    """
    ws = Workspace(workspace)
    wanted = {"relation": relation, "industry": industry, "country": country, "title": title}
    segment = {key: value for key, value in wanted.items() if value is not None}
    result = ws.diffusion_service.ambassadors(viewer_of(ws, who), k=k, epsilon=epsilon,
                                              model=model, p=p, seed=seed, everyone=everyone,
                                              runs=runs, segment=segment or None,
                                              algorithm=algorithm)  # fmt: skip
    if as_json:
        print_json(result)
        return
    spread = result["spread"]
    title = (f"{k} ambassadors ({model}, {result['algorithm']}): spread {spread['mean']:,.0f} "
             f"[{spread['low']:,.0f}-{spread['high']:,.0f}] of {result['network']['people']:,}, "
             f"{result['seconds']:.2f} s")  # fmt: skip
    table = Table("#", "person", title=title)
    for s in result["seeds"]:
        name = "(not named)" if s["hidden"] else str(s.get("external_id", s["name"]))
        table.add_row(str(s["rank"]), name)
    out.print(table)
    against = Table("the same number chosen by", "spread", "95% interval",
                    title="against the usual choices (same candidates, same runs)")  # fmt: skip
    for name, b in result["baselines"].items():
        against.add_row(name, f"{b['mean']:,.0f}", f"{b['low']:,.0f}-{b['high']:,.0f}")
    out.print(against)


@diffusion_app.command()
def reach(
    people: Annotated[list[str], typer.Argument(help="Who shares: e-mail, LinkedIn URL or id.")],
    model: ModelOpt = "wc",
    p: POpt = 0.01,
    runs: Annotated[int, typer.Option(help="Monte-Carlo runs.")] = 10_000,
    seed: Annotated[int, typer.Option(help="The same seed gives the same runs.")] = 0,
    who: AsOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """How far what these people share spreads: the mean of Monte-Carlo cascades with a
    95% interval, and the 10th and 90th percentiles.

    Example: tejido reach ana@acme.example pedro@acme.example --model ic --p 0.02
    """
    from tejido.contactmap.lookup import find_person

    ws = Workspace(workspace)
    ids: list[int] = []
    with ws.store.read() as conn:
        for person in people:
            ids.extend(find_person(conn, person)[:1])
    result = ws.diffusion_service.reach(viewer_of(ws, who), ids, model=model, p=p, runs=runs,
                                        seed=seed)  # fmt: skip
    if as_json:
        print_json(result)
        return
    s = result["spread"]
    out.print(
        f"{len(ids)} people ({result['not_in_network']} not in the network) reach "
        f"{s['mean']:,.0f} [{s['low']:,.0f}-{s['high']:,.0f}] of "
        f"{result['network']['people']:,} people ({model}, {s['runs']:,} runs; "
        f"10% of runs below {s.get('p10', 0):,.0f}, 10% above {s.get('p90', 0):,.0f})"
    )
