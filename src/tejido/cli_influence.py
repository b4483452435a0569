"""Influence commands: ``tejido influence``, ``communities``, ``topics``, ``hidden-hubs``,
``engagement``, ``suspicious`` and ``influence-report``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tejido.cli_common import AsOpt, JsonOpt, TruthOpt, WorkspaceOpt, print_json, viewer_of
from tejido.workspace import Workspace

__all__ = ["influence_app"]

influence_app = typer.Typer()
out = Console(markup=False, highlight=False)


@influence_app.command()
def influence(
    by: Annotated[
        str,
        typer.Option(
            "--by",
            "--measure",
            help="Rank by: degree, followers, pagerank, "
            "eigenvector, coreness, betweenness, participation, communities_reached, "
            "constraint, effective_size, bridge_score.",
        ),
    ] = "pagerank",
    top: Annotated[int, typer.Option(help="People listed.")] = 20,
    who: AsOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Who carries influence: every measure and its rank side by side, with reasons.

    Volume (degree, followers) beside structure (PageRank, eigenvector, coreness,
    betweenness) and bridging between communities. People you may not see named keep
    their rank, without a name.

    Example: tejido influence --by betweenness --top 10
    """
    ws = Workspace(workspace)
    result = ws.influence_service.influence(viewer_of(ws, who), by=by, top=top)
    if as_json:
        print_json(result)
        return
    size = result["network"]["people"]
    table = Table("#", "person", "degree", "pagerank", "betweenness", "core", "bridge", "why",
                  title=f"top {top} by {by} among {size:,} people")  # fmt: skip
    for r in result["people"]:
        person = r["person"]
        name = "(not named)" if person.get("hidden") else str(person.get("name"))
        if person.get("external_id"):
            name += f" [{person['external_id']}]"
        v, k = r["values"], r["ranks"]
        between = f"{v['betweenness']:.4f}" if "betweenness" in v else "-"
        table.add_row(str(k[by]), name, f"{int(v['degree']):,}", f"{v['pagerank']:.4f}",
                      between, str(int(v["coreness"])), f"{v['bridge_score']:.2f}",
                      "; ".join(r["reasons"][:3]))  # fmt: skip
    out.print(table)
    if "betweenness" in result["network"]:
        out.print(f"betweenness: {result['network']['betweenness']}")


@influence_app.command()
def communities(
    method: Annotated[
        str, typer.Option(help="leiden, louvain, label_propagation or infomap.")
    ] = "leiden",
    resolution: Annotated[
        float, typer.Option(help="Above 1: more, smaller communities (Leiden, Louvain).")
    ] = 1.0,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same communities).")] = 1,
    members: Annotated[
        bool, typer.Option("--members", help="List every named person's community.")
    ] = False,
    who: AsOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Communities in words (organisations, industries, title words), how they connect,
    and (with --members, always with --json) every person's community, by the node ids of
    the original file when the workspace came from an edge list.

    Example: tejido communities --resolution 1.5 --json
    """
    ws = Workspace(workspace)
    report = ws.influence_service.community_report(
        viewer_of(ws, who), method=method, resolution=resolution, seed=seed,
        members=members or as_json,
    )  # fmt: skip
    if as_json:
        print_json(report)
        return
    out.print(f"{report['count']} communities among {report['people']:,} people "
              f"({report['method']}, resolution {report['resolution']}, "
              f"modularity {report['modularity']})")  # fmt: skip
    table = Table("#", "people", "employees", "organisations", "industries", "title words")
    for c in report["communities"]:
        table.add_row(str(c["community"]), f"{c['size']:,}", str(c["employees"]),
                      ", ".join(c["organisations"][:3]), ", ".join(c["industries"][:3]),
                      ", ".join(c["title_words"][:4]))  # fmt: skip
    out.print(table)
    if members:
        listing = Table("person", "community")
        for m in report["members"]:
            listing.add_row(str(m.get("external_id", m["id"])), str(m["community"]))
        out.print(listing)


@influence_app.command("hidden-hubs")
def hidden_hubs(
    structure: Annotated[
        str,
        typer.Option(
            help="What a hidden hub has much of (bridge_score, betweenness, pagerank...)."
        ),
    ] = "bridge_score",
    volume: Annotated[str, typer.Option(help="What it has little of (degree, followers).")] = (
        "degree"
    ),
    top: Annotated[int, typer.Option(help="People listed.")] = 10,
    who: AsOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Hidden hubs (structural rank far above volume rank, among the people whose whole
    network is imported) and the employees whose reach into prospects and customers
    nobody else has.

    Example: tejido hidden-hubs --structure betweenness --top 10
    """
    ws = Workspace(workspace)
    result = ws.influence_service.hidden_hubs(viewer_of(ws, who), structure=structure,
                                              volume=volume, top=top)  # fmt: skip
    if as_json:
        print_json(result)
        return
    table = Table("person", structure, volume, "gap", "why",
                  title=f"hidden hubs: {structure} far above {volume}")  # fmt: skip
    for r in result["hidden_hubs"]:
        p = r["person"]
        name = "(not named)" if p.get("hidden") else str(p.get("name"))
        table.add_row(name, str(r["ranks"][structure]), str(r["ranks"][volume]),
                      f"{r['gap']:.2f}", "; ".join(r["reasons"][:2]))  # fmt: skip
    out.print(table)
    title = "ambassadors: reach into prospects and customers no one else has"
    reach = Table("employee", "accounts only they reach", "contacts only they know", title=title)
    for a in result["ambassadors"]:
        reach.add_row(str(a["person"]["name"]), str(a["unique_accounts"]),
                      str(a["unique_contacts"]))  # fmt: skip
    out.print(reach)


@influence_app.command()
def topics(
    k: Annotated[int, typer.Option("--k", help="How many topics to learn.")] = 10,
    by: Annotated[
        str, typer.Option(help="words (learnt from titles, headlines, careers) or industry.")
    ] = "words",
    topic: Annotated[
        str | None, typer.Option(help="A topic (number, or a word of it): list its hubs.")
    ] = None,
    top: Annotated[int, typer.Option(help="Hubs listed.")] = 20,
    who: AsOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Topics of people, and with --topic the hubs of that topic (topic-sensitive
    PageRank) beside their overall PageRank rank.

    Example: tejido topics --topic fintech --top 10
    """
    ws = Workspace(workspace)
    report = ws.influence_service.topic_report(viewer_of(ws, who), n_topics=k, source=by,
                                               topic=topic, top=top)  # fmt: skip
    if as_json:
        print_json(report)
        return
    table = Table("#", "topic", "words", "people", title=f"topics ({by})")
    for t in report["topics"]:
        table.add_row(str(t["topic"]), t["label"], ", ".join(t["terms"]), f"{t['people']:,}")
    out.print(table)
    if "topic" in report:
        chosen = report["topic"]
        hubs = Table("#", "person", "rank overall", title=f"hubs of {chosen['label']}")
        for r in chosen["people"]:
            p = r["person"]
            name = "(not named)" if p.get("hidden") else str(p.get("name"))
            hubs.add_row(str(r["ranks"]["topic_pagerank"]), name, str(r["ranks"]["pagerank"]))
        out.print(hubs)


@influence_app.command()
def engagement(
    top: Annotated[int, typer.Option(help="People listed.")] = 20,
    who: AsOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Engagement influence, apart from structure: who gets people to reply or respond
    (responders), beside how much they send (volume).

    Example: tejido engagement --top 10
    """
    ws = Workspace(workspace)
    result = ws.influence_service.engagement(viewer_of(ws, who), top=top)
    if as_json:
        print_json(result)
        return
    table = Table("#", "person", "responders", "sent", "reply rate", "why",
                  title=f"engagement: {result['scored']:,} people")  # fmt: skip
    for i, r in enumerate(result["people"], 1):
        p, v = r["person"], r["values"]
        name = "(not named)" if p.get("hidden") else str(p.get("name"))
        rate = "-" if v["reply_rate"] is None else f"{v['reply_rate']:.0%}"
        table.add_row(str(i), name, f"{v['responders']:,}", f"{v['sent']:,}", rate,
                      "; ".join(r["reasons"][1:]))  # fmt: skip
    out.print(table)


@influence_app.command()
def suspicious(
    top: Annotated[int, typer.Option(help="Accounts listed.")] = 20,
    everyone: Annotated[
        bool, typer.Option("--all", help="List every scored account, not only suspicious ones.")
    ] = False,
    who: AsOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Fake or bought accounts in the X follow data: a score from bursts of account
    creation, blocks of follows, empty profiles, follow-back and more, with reasons; and
    which employees' followers look bought.

    Example: tejido suspicious --top 20
    """
    ws = Workspace(workspace)
    result = ws.influence_service.suspicious(viewer_of(ws, who), top=top, everyone=everyone)
    if as_json:
        print_json(result)
        return
    title = (f"{result['suspicious']:,} of {result['scored']:,} accounts look fake "
             f"(score >= {result['threshold']})")  # fmt: skip
    table = Table("account", "score", "why", title=title)
    for a in result["accounts"]:
        account = a["account"]
        name = "(not named)" if account.get("hidden") else f"X {account.get('x_id')}"
        table.add_row(name, f"{a['score']:.2f}", "; ".join(a["reasons"]))
    out.print(table)
    bought = Table("employee", "followers scored", "suspicious", "share",
                   title="followers that look bought, by employee")  # fmt: skip
    for e in result["employees"][:10]:
        bought.add_row(str(e["person"]["name"]), f"{e['followers_scored']:,}",
                       f"{e['suspicious']:,}", f"{e['share']:.0%}")  # fmt: skip
    out.print(bought)


@influence_app.command("influence-report")
def influence_report(
    truth: TruthOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Hidden hubs and suspicious accounts against the demo's planted truth: precision@10
    of ``tejido hidden-hubs``, precision and recall of ``tejido suspicious``.

    Example: tejido influence-report --json
    """
    report = Workspace(workspace).influence_report(truth).to_dict()
    if as_json:
        print_json(report)
        return
    out.print(
        f"hidden hubs: {report['hubs_in_top']} of {report['hubs_compared']} planted (of "
        f"{report['hubs_planted']}) in the top 10: precision@10 {report['precision_at_10']:.2f}, "
        f"recall@10 {report['recall_at_10']:.2f}; ranks {report['hub_ranks']}"
    )
    out.print(
        f"bought followers: {report['suspicious_flagged']:,} flagged, {report['bought_seen']:,} "
        f"bought in view (of {report['bought_planted']:,}): precision "
        f"{report['suspicious_precision']:.3f}, recall {report['suspicious_recall']:.3f}"
    )
    table = Table("sign left out", "precision", "recall")
    for sign, s in report["without_sign"].items():
        table.add_row(sign, f"{s['precision']:.3f}", f"{s['recall']:.3f}")
    out.print(table)
