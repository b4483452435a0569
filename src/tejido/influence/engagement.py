"""Engagement influence: who gets people to respond, apart from who is well placed.

Structure says who *could* reach many; engagement says who makes people act. From the
interactions the uploads hold (today LinkedIn messages; likes, comments and shares are
interactions of other channels, counted the same way when an importer brings them):

- a message is **answered** when another participant writes in the same conversation
  after it, within ``REPLY_WINDOW_DAYS`` (the first such message is the reply; it
  answers every earlier message of the others in that window);
- a **response** to a person's content is a like, comment or share aimed at them.

Per person: messages sent (each once, however many exports hold it), people reached,
messages that got a reply, the reply rate, the median hours to the first reply, and the
**responders**: how many different people replied or responded to them, the engagement
measure ranks go by. Sending much (volume) and being answered (engagement) are reported
side by side: a bulk sender has the first and not the second.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from tejido.influence.consent import row_levels
from tejido.store.models import Interaction, Upload, UploadStatus, table_of

if TYPE_CHECKING:
    from tejido.contactmap.view import ContactMap

__all__ = ["REPLY_WINDOW_DAYS", "RESPONSE_CHANNELS", "engagement", "interaction_rows"]

I, U = table_of(Interaction), table_of(Upload)
REPLY_WINDOW_DAYS = 30  # a message answered later than this was not answered
RESPONSE_CHANNELS = ("like", "comment", "share", "reply")  # aimed at someone's content
COLUMNS = ("sent", "reached", "answered", "reply_rate", "median_reply_hours", "responders")


def interaction_rows(conn: Connection) -> pd.DataFrame:
    """Every interaction of the uploads in force: ``upload_id``, ``owner_id``, ``channel``,
    ``source_id``, ``target_id``, ``at`` (seconds since 1970, NaN unknown),
    ``conversation``."""
    rows = conn.execute(
        select(I.c.upload_id, U.c.owner_person_id, I.c.channel, I.c.source_id, I.c.target_id,
               I.c.at, I.c.conversation)
        .join(U, U.c.id == I.c.upload_id)
        .where(U.c.status == UploadStatus.ACTIVE)
    ).all()  # fmt: skip
    frame = pd.DataFrame(rows, columns=["upload_id", "owner_id", "channel", "source_id",
                                        "target_id", "at", "conversation"])  # fmt: skip
    frame["owner_id"] = frame["owner_id"].fillna(-1).astype(np.int64)
    at = pd.to_datetime(frame["at"], errors="coerce")
    frame["at"] = (at - pd.Timestamp("1970-01-01")) / pd.Timedelta(seconds=1)
    return frame


def engagement(cm: ContactMap, rows: pd.DataFrame) -> pd.DataFrame:
    """One row per person who sent a message or received a response the viewer may see:
    ``node`` and the columns of ``COLUMNS``, most responders first."""
    snap = cm.snap
    src = snap.index_of(rows["source_id"].to_numpy())
    dst = snap.index_of(rows["target_id"].to_numpy())
    usable, _named = row_levels(cm, rows["owner_id"].to_numpy(), src, dst)
    keep = usable & (src >= 0) & (dst >= 0)
    r = rows[keep].assign(src=src[keep], dst=dst[keep])
    messages = r[r["channel"] == "message"]
    out = _messages(messages)
    responses = r[r["channel"].isin(RESPONSE_CHANNELS)][["dst", "src"]].drop_duplicates()
    responses.columns = ["node", "responder"]
    everyone = pd.concat([out["replied"], responses]).drop_duplicates()
    responders = everyone.groupby("node").size().rename("responders")
    table = (
        out["per_sender"]
        .join(responders, how="outer")
        .fillna({"sent": 0, "reached": 0, "answered": 0, "responders": 0})
    )
    table = table.reset_index().rename(columns={"index": "node"})
    for column in ("sent", "reached", "answered", "responders"):
        table[column] = table[column].astype(np.int64)
    rate = table["answered"] / table["sent"].clip(lower=1)
    table["reply_rate"] = np.where(table["sent"] > 0, rate, np.nan)
    table = table[["node", *COLUMNS]]
    ordered: pd.DataFrame = table.sort_values(["responders", "reply_rate", "node"],
                                              ascending=[False, False, True])  # fmt: skip
    return ordered.reset_index(drop=True)


def _messages(m: pd.DataFrame) -> dict[str, Any]:
    """Per sender: messages, people reached, messages answered, median hours to the first
    reply; and the (sender, replier) pairs."""
    empty = pd.DataFrame(columns=["sent", "reached", "answered", "median_reply_hours"])
    if not len(m):
        return {"per_sender": empty.rename_axis("node"),
                "replied": pd.DataFrame(columns=["node", "responder"])}  # fmt: skip
    m = m[m["conversation"].notna() & m["at"].notna()]
    # A message is (sender, conversation, second): once however many exports hold it.
    sent = m[["src", "conversation", "at"]].drop_duplicates()
    reached = m.groupby("src")["dst"].nunique()
    # Who spoke in each conversation, and when (each participant's messages).
    said = sent.rename(columns={"src": "speaker"}).sort_values(["conversation", "at"])
    pairs = sent.merge(said, on="conversation")
    later = pairs[(pairs["speaker"] != pairs["src"]) & (pairs["at_y"] > pairs["at_x"])
                  & (pairs["at_y"] - pairs["at_x"] <= REPLY_WINDOW_DAYS * 86400)]  # fmt: skip
    first = later.groupby(["src", "conversation", "at_x"])["at_y"].min().reset_index()
    first["hours"] = (first["at_y"] - first["at_x"]) / 3600.0
    per = pd.DataFrame({
        "sent": sent.groupby("src").size(),
        "reached": reached,
        "answered": first.groupby("src").size(),
        "median_reply_hours": first.groupby("src")["hours"].median(),
    })  # fmt: skip
    per.index.name = "node"
    replied = later[["src", "speaker"]].drop_duplicates()
    replied.columns = ["node", "responder"]
    return {"per_sender": per, "replied": replied}
