"""A campaign plan: target audience + k ambassadors + topic -> whom to ask, and what to
expect against the corporate account alone and against the employees with the largest
audiences.

The audience is a segment (relation, industry, country, title word; everyone when none),
and with a topic each person in it weighs their share of that topic (people whose titles,
headlines and careers are about it). Ambassadors are chosen among the employees who let
their network be used by IMM or OPIM-C on the advocacy model's choice cascade
(``planner.choice_cascade``); the three plans (the chosen, the top-k by audience, the
corporate account) are then forecast by the advocacy model itself: people of the segment
who see, click, engage and re-share, with 95% intervals, and reach hour by hour.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import numpy as np

from tejido.diffusion.advocacy import AdvocacyParams, map_network
from tejido.diffusion.imm import imm
from tejido.diffusion.opim import opim
from tejido.diffusion.planner import choice_cascade, with_account
from tejido.diffusion.segments import segment_weights
from tejido.diffusion.timeline import summarise
from tejido.errors import BadInputError

if TYPE_CHECKING:
    from tejido.contactmap.view import Viewer
    from tejido.diffusion.service import DiffusionService

__all__ = ["COMPANY_FOLLOWERS", "plan"]

COMPANY_FOLLOWERS = 5_000  # seed 002's corporate account


def plan(
    service: DiffusionService,
    viewer: Viewer | None = None,
    *,
    k: int = 10,
    segment: dict[str, str] | None = None,
    topic: str | None = None,
    algorithm: str = "imm",
    epsilon: float = 0.1,
    runs: int = 2000,
    seed: int = 0,
    company_followers: int = COMPANY_FOLLOWERS,
    params: AdvocacyParams | None = None,
) -> dict[str, Any]:
    """The plan (see the module docstring): the chosen ambassadors (named as consent
    allows, with their share of the topic), and for them, for the ``k`` employees with the
    largest audiences, and for the corporate account with ``company_followers`` followers,
    the forecast of the segment's people reached."""
    from tejido.diffusion.service import ALGORITHMS

    if algorithm not in ALGORITHMS:
        raise BadInputError(f"no algorithm {algorithm!r}; known: {', '.join(ALGORITHMS)}",
                            field="algorithm")  # fmt: skip
    if not (isinstance(company_followers, int) and company_followers >= 0):
        raise BadInputError(f"company_followers must be an int >= 0; got {company_followers!r}",
                            field="company_followers")  # fmt: skip
    started = time.perf_counter()
    cm = service.maps.map(viewer)
    net = service.arcs(viewer)
    pool = service.candidates(cm, net, everyone=False)
    people = np.arange(net.n) if pool is None else pool
    if not people.size:
        raise BadInputError("no employee lets their network be used: nobody to ask",
                            field="candidates")  # fmt: skip
    in_segment = np.ones(net.n)
    if segment:
        in_segment = segment_weights(cm, net, **segment)
        if not in_segment.any():
            raise BadInputError("nobody in the network is in this segment", field="segment")
    audience, topic_info, shares = in_segment, None, np.zeros(net.n)
    if topic:
        found, index = service.topic(viewer, topic)
        shares = np.asarray(found.weights[net.nodes, index], dtype=np.float64)
        audience = in_segment * shares
        if not audience.any():
            raise BadInputError(f"nobody in the segment is about {found.labels[index]!r}",
                                field="topic")  # fmt: skip
        topic_info = {"topic": index, "label": found.labels[index],
                      "people": round(float(audience.sum()), 1)}  # fmt: skip
    network = map_network(cm, net, params)
    cascade = choice_cascade(network)
    choose = opim if algorithm == "opim-c" else imm
    targets = np.r_[audience, np.zeros(net.n)]
    result = choose(cascade, k, epsilon=epsilon, seed=seed, targets=targets,
                    candidates=people + net.n, backend=service.backend)  # fmt: skip
    chosen = [s - net.n for s in result.seeds]
    audience_size = np.diff(network.indptr)
    order = np.lexsort((people, -audience_size[people]))
    largest = [int(v) for v in people[order][: len(chosen)]]
    rng = np.random.default_rng(seed)
    outside = np.arange(net.n) if pool is None else np.setdiff1d(np.arange(net.n), pool)
    followers = rng.choice(outside, size=min(company_followers, outside.size), replace=False)
    with_company = with_account(network, followers)

    def forecast(seeds: list[int], on: Any = network, weights: Any = in_segment) -> dict[str, Any]:
        if not seeds:
            return {}
        runs_ = service.backend.timed_runs(on, seeds, weights, runs, seed + 1_000_003)
        return summarise(runs_)

    named = service.people(cm, net, chosen)
    for row, v in zip(named, chosen, strict=True):
        if topic and not row["hidden"]:
            row["topic_share"] = round(float(shares[v]), 3)
    plans = {
        "ambassadors": forecast(chosen),
        "largest_audiences": forecast(largest),
        "corporate_account": forecast([net.n], with_company, np.r_[in_segment, 0.0]),
    }
    return {
        "k": k, "algorithm": result.algorithm, "epsilon": epsilon, "runs": runs,
        "segment": {**(segment or {}), "people": int(in_segment.sum())},
        "topic": topic_info,
        "ambassadors": named,
        "largest_audiences": service.people(cm, net, largest),
        "corporate_account": {"followers": int(followers.size),
                              "followers_assumed": "drawn at random from the network's "
                                                   "people who are not employees"},
        "estimate_engaged": round(result.estimate, 2),
        "proven_ratio": round(result.ratio, 4) if result.ratio is not None else None,
        "plans": plans,
        "network": {"people": net.n, "arcs": int(net.src.size)},
        "candidates": int(people.size),
        "seconds": round(time.perf_counter() - started, 3),
    }  # fmt: skip
