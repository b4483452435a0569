"""Learning commands: ``tejido learn-probabilities``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from tejido.cli_common import AsOpt, JsonOpt, WorkspaceOpt, print_json, viewer_of
from tejido.errors import BadInputError
from tejido.workspace import Workspace

__all__ = ["learning_app"]

learning_app = typer.Typer()
out = Console(markup=False, highlight=False)


def _prior(text: str) -> str | float:
    if text in ("wc", "target"):
        return text
    try:
        return float(text)
    except ValueError:
        raise BadInputError(f"--prior must be wc, target or a probability; got {text!r}",
                            field="prior") from None  # fmt: skip


@learning_app.command("learn-probabilities")
def learn_probabilities(
    method: Annotated[
        str, typer.Option(help="em (Saito et al.), goyal (full credit) or goyal-partial.")
    ] = "em",
    window_hours: Annotated[
        float, typer.Option(help="A share reaches a neighbour who shares within this many hours.")
    ] = 72.0,
    prior: Annotated[
        str,
        typer.Option(
            help="Fallback of arcs tried too few times: wc (1/in-degree), target (the "
            "person's own re-share rate) or a probability."
        ),
    ] = "target",
    min_trials: Annotated[
        int, typer.Option(help="Arcs tried fewer times than this take the prior.")
    ] = 1,
    truth: Annotated[
        Path | None,
        typer.Option(help="Score every estimator against this demo ground-truth folder."),
    ] = None,
    who: AsOpt = None,
    workspace: WorkspaceOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Learn each arc's share probability from the imported share logs (EM of Saito et al.
    over the posts' cascades, or the Goyal et al. frequencies): arcs learned, arcs that
    fall back to the prior, trials. With --truth, every estimator against the planted
    probabilities of the demo (docs/diffusion.md).

    Example: tejido learn-probabilities --truth WORKSPACE/demo/truth --json
    """
    ws = Workspace(workspace)
    viewer = viewer_of(ws, who)
    learned = ws.learn_probabilities(viewer, method=method, window_hours=window_hours,
                                     prior=_prior(prior), min_trials=min_trials)  # fmt: skip
    result: dict[str, Any] = {"learned": learned.summary()}
    if truth is not None:
        result["validation"] = ws.learning_report(truth, viewer, window_hours=window_hours)
    if as_json:
        print_json(result)
        return
    s = result["learned"]
    table = Table("what", "value", title=f"Learned share probabilities ({s['method']})")
    for key in ("arcs", "arcs_tried", "arcs_learned", "arcs_fallback", "trials",
                "trials_median_tried", "arcs_with_10_trials", "learned_mean", "learned_p90",
                "shares", "posts", "log_rows", "log_rows_off_network", "iterations",
                "converged"):  # fmt: skip
        table.add_row(key.replace("_", " "), _text(s.get(key)))
    table.add_row("fallback", f"{s['prior']} below {s['min_trials']} trials")
    out.print(table)
    if truth is not None:
        _print_validation(result["validation"])


def _text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


_NAMES = {"em": "EM", "goyal": "Goyal", "goyal-partial": "Goyal 1/parents",
          "wc": "prior: WC", "target": "prior: target"}  # fmt: skip


def _print_validation(report: dict[str, Any]) -> None:
    t = report["truth"]
    table = Table("trials >=", "estimator", "arcs", "MAE", "bias", "Pearson", "Spearman",
                  title=(f"Against the planted probabilities ({t['planted_arcs_on_network']:,} "
                         f"of {t['planted_arcs']:,} planted arcs on the network)"))  # fmt: skip
    for row in report["by_trials"]:
        if not row["arcs"]:
            continue
        for key, name in _NAMES.items():
            s = row[key]
            table.add_row(str(row["min_trials"]), name, f"{row['arcs']:,}", _text(s["mae"]),
                          _text(s["bias"]), _text(s["pearson"]), _text(s["spearman"]))  # fmt: skip
        table.add_row(str(row["min_trials"]), "(sampling floor)", "", _text(row["floor"]), "",
                      "", "", end_section=True)  # fmt: skip
    out.print(table)
