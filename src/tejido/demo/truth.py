"""The ground-truth CSVs under ``truth/``: people, organisations, ties and file mentions.

Truth ids are 1-based (index + 1). Mention files are streamed while the exports are
written, through the writers :class:`TruthWriters` opens.
"""

from __future__ import annotations

import csv
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from tejido.demo.influence_plants import BoughtFollowers
from tejido.demo.orgnames import COUNTRIES, INDUSTRIES
from tejido.demo.state import DemoWorld
from tejido.demo.texts import ROLE_FAMILIES
from tejido.demo.ties import KINDS

__all__ = [
    "BOUGHT_FOLLOWERS_HEADER",
    "HIDDEN_HUBS_HEADER",
    "MENTION_HEADERS",
    "WARM_PATHS_HEADER",
    "TruthWriters",
    "write_truth_tables",
]

MENTION_HEADERS = {
    "connection_mentions.csv": ("file", "line", "owner_person_id", "contact_person_id",
                                "company_written", "truth_org_id"),
    "position_mentions.csv": ("file", "line", "person_id", "company_written", "truth_org_id"),
    "crm_mentions.csv": ("line", "truth_org_id", "name_written", "domain_written"),
}  # fmt: skip
HIDDEN_HUBS_HEADER = ("truth_person_id", "department", "ties")
BOUGHT_FOLLOWERS_HEADER = ("x_id", "created_at", "follows_person_ids")
WARM_PATHS_HEADER = ("target_person_id", "target_org_id", "introducer_person_id",
                     "requester_person_id", "decoy_person_ids")  # fmt: skip


class TruthWriters:
    """Open CSV writers for the three mention files (a context manager)."""

    def __init__(self, truth_dir: Path) -> None:
        truth_dir.mkdir(parents=True, exist_ok=True)
        self._files: list[IO[str]] = []
        self.writers: dict[str, Any] = {}
        for name, header in MENTION_HEADERS.items():
            f = (truth_dir / name).open("w", encoding="utf-8", newline="")
            self._files.append(f)
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(header)
            self.writers[name] = writer

    def __enter__(self) -> TruthWriters:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for f in self._files:
            f.close()


def _write(path: Path, header: tuple[str, ...], rows: Any) -> int:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        count = 0
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def write_truth_tables(truth_dir: Path, w: DemoWorld) -> dict[str, int]:
    """people, organisations, ties, bulk_senders, warm_paths, hidden_hubs and
    bought_followers (.csv); their row counts."""
    p, orgs, emp, ties = w.people, w.orgs, w.emp, w.ties
    n = p.n_employees
    people_rows = (
        (i + 1, p.first[i], p.last[i], p.slug[i], p.email[i], int(p.org[i]) + 1, p.position[i],
         ROLE_FAMILIES[int(p.role[i])], COUNTRIES[int(p.country[i])], int(i < n),
         emp.work_email[i] if i < n else "", p.x_id[i])
        for i in range(len(p))
    )  # fmt: skip
    org_rows = (
        (o + 1, orgs.name[o], orgs.domain[o], COUNTRIES[int(orgs.country[o])],
         INDUSTRIES[int(orgs.industry[o])], orgs.relation[o], int(orgs.is_school[o]))
        for o in range(len(orgs))
    )  # fmt: skip
    tie_rows = (
        (a + 1, b + 1, KINDS[k], f"{s:.4f}", m)
        for a, b, k, s, m in zip(
            ties.a.tolist(), ties.b.tolist(), ties.kind.tolist(), ties.strength.tolist(),
            ties.messages.tolist(), strict=True,
        )
    )  # fmt: skip
    warm_rows = (
        (path.target + 1, path.org + 1, path.introducer + 1, path.requester + 1,
         ";".join(str(d + 1) for d in path.decoys))
        for path in w.warm_paths
    )  # fmt: skip
    hub_rows = (
        (h.person + 1, emp.dept[h.person], len(h.contacts))
        for h in w.hidden_hubs
    )  # fmt: skip
    bought = w.bought or BoughtFollowers([], {}, [], {}, {}, {})
    follows: dict[str, list[int]] = {}
    for e, block in (*bought.block.items(), *bought.extra.items()):
        for x in block:
            follows.setdefault(x, []).append(e)
    bought_rows = (
        (x, bought.created[x], ";".join(str(e + 1) for e in sorted(follows[x]))) for x in bought.ids
    )
    people_header = ("truth_person_id", "first_name", "last_name", "linkedin_slug", "email",
                     "organisation_id", "position", "role_family", "country", "is_employee",
                     "employee_email", "x_id")  # fmt: skip
    org_header = ("truth_org_id", "name", "domain", "country", "industry", "relation",
                  "is_school")  # fmt: skip
    return {
        "people": _write(truth_dir / "people.csv", people_header, people_rows),
        "organisations": _write(truth_dir / "organisations.csv", org_header, org_rows),
        "ties": _write(
            truth_dir / "ties.csv",
            ("person_a", "person_b", "kind", "strength", "messages"),
            tie_rows,
        ),
        "bulk_senders": _write(
            truth_dir / "bulk_senders.csv", ("person_id",), ((s + 1,) for s in w.inbox.bulk_senders)
        ),
        "warm_paths": _write(truth_dir / "warm_paths.csv", WARM_PATHS_HEADER, warm_rows),
        "hidden_hubs": _write(truth_dir / "hidden_hubs.csv", HIDDEN_HUBS_HEADER, hub_rows),
        "bought_followers": _write(
            truth_dir / "bought_followers.csv", BOUGHT_FOLLOWERS_HEADER, bought_rows
        ),
    }
