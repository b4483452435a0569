"""``generate``: build a reproducible demo company and write its files and ground truth.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as tmp:
...     m = generate(pathlib.Path(tmp), employees=8, mean_contacts=30)
...     (m.counts["employees"], m.roster_path.name)
(8, 'roster.csv')
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from tejido.demo.careers import build_employees
from tejido.demo.crm_files import write_crm, write_roster
from tejido.demo.influence_plants import plant_bought_followers, plant_hidden_hubs
from tejido.demo.linkedin_files import write_linkedin_exports
from tejido.demo.messages import build_inbox, choose_bulk_senders
from tejido.demo.share_plants import plant_shares, write_shares
from tejido.demo.state import DemoWorld, XAccount
from tejido.demo.ties import Ties, build_ties
from tejido.demo.truth import TruthWriters, write_truth_tables
from tejido.demo.warm_paths import WarmPlant, plant_warm_paths
from tejido.demo.world import People, build_organisations, build_people
from tejido.demo.x_files import assign_x_accounts, write_x_archives

__all__ = ["DemoManifest", "generate"]

# One random stream per stage. New stages go at the end: SeedSequence children are numbered,
# so the earlier stages keep their streams.
_STAGES = ("orgs", "people", "employees", "senders", "ties", "inbox", "x", "linkedin", "crm",
           "x_files", "warm", "hubs", "bought", "shares")  # fmt: skip


@dataclass(frozen=True)
class DemoManifest:
    """Where a generated demo company's files are, and how many rows each holds."""

    out_dir: Path
    seed: int
    employees: int
    roster_path: Path
    crm_path: Path
    linkedin_zips: list[Path]
    x_zips: list[Path]
    truth_dir: Path
    shares_path: Path
    counts: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> str:
        """The manifest with paths relative to ``out_dir`` (no machine-specific path)."""

        def rel(p: Path) -> str:
            return p.relative_to(self.out_dir).as_posix()

        data = {
            "seed": self.seed,
            "employees": self.employees,
            "roster_path": rel(self.roster_path),
            "crm_path": rel(self.crm_path),
            "linkedin_zips": [rel(p) for p in self.linkedin_zips],
            "x_zips": [rel(p) for p in self.x_zips],
            "truth_dir": rel(self.truth_dir),
            "shares_path": rel(self.shares_path),
            "counts": dict(sorted(self.counts.items())),
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _check(name: str, value: object, low: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValueError(
            f"The '{name}' parameter of generate must be an int >= {low}. Got {value!r} instead."
        )


def _clear(out_dir: Path) -> None:
    """Remove the files an earlier run wrote, so that the folder matches the manifest."""
    for pattern in ("linkedin/Basic_LinkedInDataExport_*.zip", "x/*-twitter-archive.zip",
                    "truth/*.csv"):  # fmt: skip
        for old in sorted(out_dir.glob(pattern)):
            old.unlink()


def generate(
    out_dir: Path,
    *,
    employees: int = 300,
    seed: int = 1,
    mean_contacts: int = 400,
    organisations: int | None = None,
) -> DemoManifest:
    """Generate the demo company "Tejido Demo S.L." with ``employees`` people under ``out_dir``.

    Same arguments give byte-identical files. Writes ``roster.csv``, ``crm_accounts.csv``,
    ``linkedin/*.zip``, ``x/*.zip``, ``shares.csv``, ``truth/*.csv`` and ``manifest.json``.
    """
    _check("employees", employees, 5)
    _check("seed", seed, 0)
    _check("mean_contacts", mean_contacts, 10)
    n_orgs = max(2000, 8 * employees) if organisations is None else organisations
    _check("organisations", n_orgs, 200)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _clear(out_dir)
    streams = np.random.SeedSequence(seed).spawn(len(_STAGES))
    rngs = dict(zip(_STAGES, (np.random.default_rng(s) for s in streams), strict=True))
    n_pool = max(employees * mean_contacts // 3, 40 * employees, 2000)
    orgs = build_organisations(n_orgs, rngs["orgs"])
    people = build_people(n_pool, employees, orgs, rngs["people"])
    emp = build_employees(people, orgs, rngs["employees"])
    senders = choose_bulk_senders(people, rngs["senders"])
    ties = build_ties(people, orgs, emp, senders, mean_contacts, rngs["ties"])
    # Planted after the ties are drawn and before the messages, which follow tie strength.
    ties, plant = plant_warm_paths(people, orgs, emp, ties, senders, rngs["warm"])
    x_accounts = assign_x_accounts(people, emp.has_zip, rngs["x"])
    apart = _kept_apart(people, ties, plant, senders, x_accounts)
    hubbed, hubs = plant_hidden_hubs(people, orgs, emp, ties, apart, rngs["hubs"])
    warm, silent = _moved(ties, hubbed, plant.warm), _moved(ties, hubbed, plant.silent)
    ties = hubbed
    inbox = build_inbox(people, orgs, emp, ties, senders, rngs["inbox"], warm=warm, silent=silent)
    world = DemoWorld(orgs, people, emp, ties, inbox, warm_paths=plant.paths, hidden_hubs=hubs)
    world.x_accounts = x_accounts
    world.bought = plant_bought_followers(
        employees, emp, world.x_accounts, {x for x in people.x_id if x}, rngs["bought"]
    )
    truth_dir = out_dir / "truth"
    with TruthWriters(truth_dir) as sinks:
        linkedin = write_linkedin_exports(
            out_dir,
            world,
            rngs["linkedin"],
            sinks.writers["connection_mentions.csv"],
            sinks.writers["position_mentions.csv"],
        )
        crm = write_crm(out_dir, world, rngs["crm"], sinks.writers["crm_mentions.csv"])
    roster = write_roster(out_dir, world)
    x = write_x_archives(out_dir, world, rngs["x_files"], world.bought)
    counts = write_truth_tables(truth_dir, world)
    counts |= write_shares(out_dir, truth_dir, world, plant_shares(world, rngs["shares"]))
    counts |= {
        "employees": employees,
        "linkedin_zips": len(linkedin["paths"]),
        "x_zips": len(x["paths"]),
        "connection_rows": linkedin["connection_rows"],
        "position_rows": linkedin["position_rows"],
        "messages_rows": linkedin["messages_rows"],
        "old_format_zips": linkedin["old_format"],
        "crlf_zips": linkedin["crlf"],
        "bom_zips": linkedin["bom"],
        "conversations": len(inbox.conversations),
        "tie_messages": int(ties.messages.sum()),
        "group_messages": inbox.group_messages,
        "bulk_messages": inbox.bulk_messages,
        "crm_accounts": crm["crm_accounts"],
        "crm_duplicates": crm["crm_duplicates"],
        "x_follow_rows": x["x_follow_rows"],
        "legacy_pub_people": len(people.pub),
        "same_org_homonym_pairs": len(people.same_org_homonyms),
    }
    manifest = DemoManifest(
        out_dir=out_dir,
        seed=seed,
        employees=employees,
        roster_path=roster,
        crm_path=crm["path"],
        linkedin_zips=linkedin["paths"],
        x_zips=x["paths"],
        truth_dir=truth_dir,
        shares_path=out_dir / "shares.csv",
        counts=counts,
    )
    (out_dir / "manifest.json").write_text(manifest.to_json(), encoding="utf-8", newline="")
    return manifest


def _kept_apart(
    people: People,
    ties: Ties,
    plant: WarmPlant,
    senders: NDArray[np.int64],
    x_accounts: dict[int, XAccount],
) -> NDArray[np.int64]:
    """People a hidden hub must not be, nor know: the planted paths' people, bulk senders,
    same-name twins and the colleagues who know them, the five best-connected colleagues
    (the decoys of the paths are chosen among them), and colleagues who upload an X
    archive (a hub's volume is their LinkedIn network)."""
    n = people.n_employees
    twins = [x for pair in people.same_org_homonyms for x in pair]
    roles = [x for p in plant.paths for x in (p.target, p.introducer, p.requester, *p.decoys)]
    owners = ties.a[np.isin(ties.b, twins)].tolist()
    degree = np.bincount(np.concatenate([ties.a, ties.b[ties.b < n]]), minlength=n)
    top = np.argsort(-degree, kind="stable")[:5].tolist()
    archives = [e for e, x in x_accounts.items() if x.archive]
    out = np.unique(np.array(roles + twins + owners + top + archives + senders.tolist(),
                             dtype=np.int64))  # fmt: skip
    return out


def _moved(old: Ties, new: Ties, index: list[int]) -> list[int]:
    """Where ties ``index`` of ``old`` are in ``new`` (both sorted by (a, b), and holding
    them)."""
    size = int(max(old.b.max(initial=0), new.b.max(initial=0))) + 1
    key = new.a * size + new.b
    at = np.searchsorted(key, old.a[index] * size + old.b[index])
    return [int(i) for i in at.tolist()]
