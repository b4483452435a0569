"""The campaign planner's two tools: a cascade to choose ambassadors by, and the corporate
account as one more sharer, both on the advocacy model's network.

**Choosing.** The plan wants the ambassadors whose posts get the most people of the target
audience to engage. Under the advocacy model a person engages when someone who shared
the post shows it to them and they take it up (``seen x engage`` of the arc), and then
shows it to their own contacts with a re-share, or less often with a like or comment.
That is an Independent Cascade on a graph with two vertices per person: ``v`` "engaged"
(vertex ``v``) and ``v`` "shows it on" (vertex ``n + v``), an arc ``n + u -> v`` with
``seen x engage`` of ``u -> v`` and an arc ``v -> n + v`` with the chance that an
engagement shows the post on as often as a re-share would (``reshare + (1 - reshare) x
activity_seen``; exact for each arc's expectation, the arcs of one person independent
rather than sharing the one re-share-or-like draw). Ambassadors post: they are seeds at
their "shows it on" vertex; the audience's weights sit on the "engaged" vertices. IMM on
this cascade picks the ambassadors within ``1 - 1/e - epsilon`` of the best for the
expected engaged audience of that surrogate; the forecasts then run the advocacy model
itself.

**The corporate account.** One more vertex whose arcs reach its followers, with a brand's
rates (no peer factor, no tie, no shared trade): seed 002's corporate post. Who follows it
is not in the data; unless they are given, the followers are drawn uniformly from the
network's people who are not employees (stated in every plan).
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tejido.diffusion.advocacy import AdvocacyNetwork, Stages
from tejido.diffusion.cascade import Cascade

__all__ = ["choice_cascade", "with_account"]


def choice_cascade(network: AdvocacyNetwork) -> Cascade:
    """The two-vertices-per-person Independent Cascade ambassadors are chosen on (see the
    module docstring): vertex ``v`` is "``v`` engaged", ``n + v`` "``v`` shows it on".

    >>> net = AdvocacyNetwork.from_arcs([0], [1], 2)
    >>> c = choice_cascade(net)
    >>> c.n, c.m, [round(float(p), 4) for p in c.prob]
    (4, 3, [0.4, 0.4, 0.01])
    """
    n, st, a = network.n, network.stages, network.params
    onward = a.reshare_share + (1 - a.reshare_share) * a.activity_seen
    src = np.r_[network.src + n, np.arange(n)]
    dst = np.r_[network.dst, np.arange(n) + n]
    prob = np.r_[st.seen * st.engage, np.full(n, onward)]
    return Cascade.from_arcs(src, dst, 2 * n, model="ic", prob=np.clip(prob, 0.0, 1.0))


def with_account(network: AdvocacyNetwork, followers: Any) -> AdvocacyNetwork:
    """``network`` with one more vertex (number ``network.n``): an account whose posts
    reach ``followers`` (vertices) with a brand's rates: seen as any post, clicked at
    ``click_rate`` and engaged with at ``engage_rate``, whatever the tie.

    >>> net = with_account(AdvocacyNetwork.from_arcs([0], [1], 2), [0, 1])
    >>> net.n, net.indptr.tolist(), net.dst.tolist(), net.stages.click.tolist()
    (3, [0, 1, 1, 3], [1, 0, 1], [0.03, 0.01, 0.01])
    """
    a = network.params
    reach: NDArray[np.int64] = np.unique(np.asarray(followers, dtype=np.int64))
    n = network.n
    count = reach.size
    brand = {"seen": a.seen, "click": a.click_rate, "engage": a.engage_rate,
             "reshare": a.reshare_share}  # fmt: skip
    stages = Stages(*(np.r_[getattr(network.stages, f.name), np.full(count, brand[f.name])]
                      for f in fields(Stages)))  # fmt: skip
    return AdvocacyNetwork(
        n + 1,
        np.r_[network.indptr, network.indptr[-1] + count],
        np.r_[network.dst, reach],
        np.r_[network.src, np.full(count, n, dtype=np.int64)],
        stages,
        a,
    )
