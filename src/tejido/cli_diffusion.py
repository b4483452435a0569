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
    who: AsOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The people whose shares reach the most (IMM: within 1 - 1/e - epsilon of the best,
    with high probability), their spread measured by Monte-Carlo, and the time taken.
    Only employees who let their network be used are asked (anyone in an edge list).

    Example: tejido ambassadors --k 50 --epsilon 0.1 --model wc --json
    """
    ws = Workspace(workspace)
    result = ws.diffusion_service.ambassadors(viewer_of(ws, who), k=k, epsilon=epsilon,
                                              model=model, p=p, seed=seed, everyone=everyone,
                                              runs=runs)  # fmt: skip
    if as_json:
        print_json(result)
        return
    spread = result["spread"]
    title = (f"{k} ambassadors ({model}): spread {spread['mean']:,.0f} "
             f"[{spread['low']:,.0f}-{spread['high']:,.0f}] of {result['network']['people']:,}, "
             f"{result['seconds']:.2f} s")  # fmt: skip
    table = Table("#", "person", title=title)
    for s in result["seeds"]:
        name = "(not named)" if s["hidden"] else str(s.get("external_id", s["name"]))
        table.add_row(str(s["rank"]), name)
    out.print(table)
