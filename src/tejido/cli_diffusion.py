"""Diffusion commands: ``tejido ambassadors``, ``tejido reach`` and ``tejido plan``."""

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
    str,
    typer.Option(
        help="wc (p = 1/in-degree), ic (uniform --p), lt (linear threshold) or "
        "learned (each arc's probability from the share logs)."
    ),
]
POpt = Annotated[float, typer.Option(help="Activation probability of every arc (--model ic).")]
RelationOpt = Annotated[
    str | None, typer.Option(help="Aim at (count only) people of customer, prospect... accounts.")
]
IndustryOpt = Annotated[str | None, typer.Option(help="Aim at an industry (a word).")]
CountryOpt = Annotated[str | None, typer.Option(help="Aim at a country (ISO code).")]
TitleOpt = Annotated[str | None, typer.Option(help="Aim at a job title word.")]


def _segment(
    relation: str | None, industry: str | None, country: str | None, title: str | None
) -> dict[str, str]:
    wanted = {"relation": relation, "industry": industry, "country": country, "title": title}
    return {key: value for key, value in wanted.items() if value is not None}


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
    relation: RelationOpt = None,
    industry: IndustryOpt = None,
    country: CountryOpt = None,
    title: TitleOpt = None,
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
    segment = _segment(relation, industry, country, title)
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
    relation: RelationOpt = None,
    industry: IndustryOpt = None,
    country: CountryOpt = None,
    title: TitleOpt = None,
    who: AsOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """How far what these people share spreads: the mean of Monte-Carlo cascades with a
    95% interval, the 10th and 90th percentiles, and (independent cascades) how it grows
    over hours and days. With --relation, --industry, --country or --title, the segment's
    people only.

    Example: tejido reach ana@acme.example pedro@acme.example --relation customer
    """
    from tejido.contactmap.lookup import find_person

    ws = Workspace(workspace)
    ids: list[int] = []
    with ws.store.read() as conn:
        for person in people:
            ids.extend(find_person(conn, person)[:1])
    segment = _segment(relation, industry, country, title)
    result = ws.diffusion_service.reach(viewer_of(ws, who), ids, model=model, p=p, runs=runs,
                                        seed=seed, segment=segment or None)  # fmt: skip
    if as_json:
        print_json(result)
        return
    s = result["spread"]
    within = (
        f" of the segment's {result['segment']['people']:,}"
        if result["segment"]
        else (f" of {result['network']['people']:,} people")
    )
    out.print(
        f"{len(ids)} people ({result['not_in_network']} not in the network) reach "
        f"{s['mean']:,.0f} [{s['low']:,.0f}-{s['high']:,.0f}]{within} ({model}, "
        f"{s['runs']:,} runs; 10% of runs below {s.get('p10', 0):,.0f}, 10% above "
        f"{s.get('p90', 0):,.0f})"
    )
    if result.get("growth"):
        steps = ", ".join(f"{g['hours']:g} h {g['exposed']:,.0f}" for g in result["growth"])
        out.print(f"reached by (the seeds aside): {steps}")


@diffusion_app.command()
def plan(
    k: Annotated[int, typer.Option("--k", help="How many ambassadors to ask.")] = 10,
    relation: RelationOpt = None,
    industry: IndustryOpt = None,
    country: CountryOpt = None,
    title: TitleOpt = None,
    topic: Annotated[
        str | None, typer.Option(help="A topic (number or word, see tejido topics).")
    ] = None,
    company_followers: Annotated[
        int, typer.Option(help="Followers of the corporate account (seed 002: 5,000).")
    ] = 5_000,
    algorithm: Annotated[str, typer.Option(help="imm or opim-c.")] = "imm",
    epsilon: Annotated[float, typer.Option(help="Within 1 - 1/e - epsilon of the best.")] = 0.1,
    runs: Annotated[int, typer.Option(help="Monte-Carlo runs of each forecast.")] = 2000,
    seed: Annotated[int, typer.Option(help="The same seed gives the same plan.")] = 0,
    who: AsOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """A campaign plan: the employees to ask to share a post aimed at a segment (and a
    topic), and the forecast of the segment's people who will see, click, engage and
    re-share, against the corporate account alone and the employees with the largest
    audiences (the advocacy model: tie strength and shared trade raise the rates).

    Example: tejido plan --k 10 --relation customer --title engineer --topic cloud
    """
    ws = Workspace(workspace)
    segment = _segment(relation, industry, country, title)
    result = ws.diffusion_service.plan(viewer_of(ws, who), k=k, segment=segment or None,
                                       topic=topic, algorithm=algorithm, epsilon=epsilon,
                                       runs=runs, seed=seed,
                                       company_followers=company_followers)  # fmt: skip
    if as_json:
        print_json(result)
        return
    aim = ", ".join(f"{key} {value}" for key, value in segment.items()) or "everyone"
    if result["topic"]:
        aim += f"; topic {result['topic']['label']}"
    table = Table("#", "ambassador", title=f"{len(result['ambassadors'])} ambassadors for "
                  f"{aim} ({result['segment']['people']:,} people)")  # fmt: skip
    for s in result["ambassadors"]:
        table.add_row(str(s["rank"]), "(not named)" if s["hidden"] else str(s["name"]))
    out.print(table)
    plans = Table("posted by", "see", "click", "engage", "re-share", "seen in 24 h",
                  title="people of the segment (means; --json: 95% intervals)")  # fmt: skip
    followers = result["corporate_account"]["followers"]
    names = {"ambassadors": "these ambassadors", "largest_audiences": "largest audiences",
             "corporate_account": f"corporate ({followers:,} followers)"}  # fmt: skip
    for key, label in names.items():
        f = result["plans"].get(key)
        if not f:
            continue
        day = next((g["exposed"] for g in f["growth"] if g["hours"] == 24), None)
        cells = [f"{f[m]['mean']:,.1f}" for m in ("exposed", "clicked", "engaged", "reshared")]
        plans.add_row(label, *cells, f"{day:,.1f}" if day is not None else "")
    out.print(plans)
