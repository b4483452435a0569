"""What the store holds (stats) and how well identity resolution did against ground truth."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import case, func, select

from tejido.errors import NotFoundError
from tejido.ingest.crm import COLUMNS as CRM_COLUMNS
from tejido.ingest.files import decode, read_table
from tejido.store.models import (
    Connection,
    Education,
    Employee,
    Interaction,
    Organisation,
    Person,
    Position,
    Upload,
    UploadStatus,
    table_of,
)
from tejido.store.session import Store

__all__ = ["PairwiseScore", "ResolveReport", "Stats", "pairwise", "resolve_report", "stats"]

P = table_of(Person)
O = table_of(Organisation)
T = table_of(Connection)
I = table_of(Interaction)
U = table_of(Upload)
EMP = table_of(Employee)
POS = table_of(Position)
EDU = table_of(Education)


@dataclass
class Stats:
    """Counts of what the store holds."""

    people: int
    employees: int
    organisations: int
    connections: int  # distinct ties (a pair asserted by two uploads counts once)
    connection_rows: int  # assertions, one per row of a file
    interactions: int
    uploads: int
    positions: int
    education: int
    employees_by_consent: dict[str, int] = field(default_factory=dict)
    organisations_by_relation: dict[str, int] = field(default_factory=dict)
    connections_by_kind: dict[str, int] = field(default_factory=dict)
    uploads_by_kind: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _count(conn: Any, table: Any) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _grouped(conn: Any, column: Any) -> dict[str, int]:
    rows = conn.execute(select(column, func.count()).group_by(column).order_by(column))
    return {str(value if value is not None else "none"): int(n) for value, n in rows}


def stats(store: Store) -> Stats:
    """Counts of people, organisations, ties, interactions and uploads."""
    low = case((T.c.source_id < T.c.target_id, T.c.source_id), else_=T.c.target_id)
    high = case((T.c.source_id < T.c.target_id, T.c.target_id), else_=T.c.source_id)
    a = case((T.c.directed, T.c.source_id), else_=low)
    b = case((T.c.directed, T.c.target_id), else_=high)
    active = select(U.c.id).where(U.c.status == UploadStatus.ACTIVE)
    pairs = select(T.c.kind, a.label("a"), b.label("b")).distinct().subquery()
    with store.read() as conn:
        by_kind = _grouped(conn, pairs.c.kind)
        return Stats(
            people=_count(conn, P),
            employees=_count(conn, EMP),
            organisations=_count(conn, O),
            connections=int(
                conn.execute(
                    select(func.count()).select_from(
                        select(a, b).where(T.c.upload_id.in_(active)).distinct().subquery()
                    )
                ).scalar_one()
            ),
            connection_rows=_count(conn, T),
            interactions=_count(conn, I),
            uploads=_count(conn, U),
            positions=_count(conn, POS),
            education=_count(conn, EDU),
            employees_by_consent=_grouped(conn, EMP.c.consent),
            organisations_by_relation=_grouped(conn, O.c.relation),
            connections_by_kind=by_kind,
            uploads_by_kind=_grouped(conn, U.c.kind),
        )


@dataclass
class PairwiseScore:
    """Pairwise precision and recall of a clustering of mentions against the truth."""

    mentions: int
    true_entities: int
    found_entities: int
    precision: float
    recall: float
    split_entities: int  # true entities spread over several found ones
    merged_entities: int  # found entities that hold several true ones

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def pairwise(truth: pd.Series, found: pd.Series) -> PairwiseScore:
    """Score ``found`` cluster labels against ``truth`` labels, one row per mention.

    Precision: of the pairs of mentions put together, the share that are one entity.
    Recall: of the pairs that are one entity, the share put together.

    >>> s = pairwise(pd.Series([1, 1, 2, 2]), pd.Series(["a", "a", "a", "b"]))
    >>> round(s.precision, 3), round(s.recall, 3)
    (0.333, 0.5)
    """
    frame = pd.DataFrame({"t": truth.to_numpy(), "f": found.to_numpy()})

    def pairs(counts: pd.Series) -> int:
        n = counts.to_numpy().astype("int64")
        return int((n * (n - 1) // 2).sum())

    together = pairs(frame.groupby(["t", "f"]).size())
    found_pairs = pairs(frame.groupby("f").size())
    true_pairs = pairs(frame.groupby("t").size())
    return PairwiseScore(
        mentions=len(frame),
        true_entities=int(frame["t"].nunique()),
        found_entities=int(frame["f"].nunique()),
        precision=together / found_pairs if found_pairs else 1.0,
        recall=together / true_pairs if true_pairs else 1.0,
        split_entities=int((frame.groupby("t")["f"].nunique() > 1).sum()),
        merged_entities=int((frame.groupby("f")["t"].nunique() > 1).sum()),
    )


@dataclass
class ResolveReport:
    people: PairwiseScore
    organisations: PairwiseScore
    organisation_spellings: PairwiseScore  # one unit per distinct spelling of each company

    def to_dict(self) -> dict[str, Any]:
        return {
            name: {**asdict(score), "f1": score.f1}
            for name, score in (
                ("people", self.people),
                ("organisations", self.organisations),
                ("organisation_spellings", self.organisation_spellings),
            )
        }


def _read_truth(truth_dir: Path, name: str) -> pd.DataFrame:
    path = truth_dir / name
    if not path.exists():
        raise NotFoundError(f"ground truth {path} does not exist")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def resolve_report(store: Store, truth_dir: Path) -> ResolveReport:
    """Precision and recall of identity resolution against the demo's ground truth.

    Mentions are the rows of every imported Connections.csv (the contact), the owners of
    the exports, the companies written in Connections.csv and Positions.csv, and the CRM
    accounts; each is joined to the truth by file name and line.
    """
    mentions = _read_truth(truth_dir, "connection_mentions.csv")
    with store.read() as conn:
        ties = pd.DataFrame(
            conn.execute(
                select(
                    U.c.filename.label("file"),
                    T.c.line,
                    T.c.source_id,
                    T.c.target_id,
                    T.c.organisation_id,
                )
                .join(U, U.c.id == T.c.upload_id)
                .where(U.c.kind == "linkedin", U.c.status == UploadStatus.ACTIVE)
            ).all(),
            columns=["file", "line", "source_id", "target_id", "organisation_id"],
        )
        jobs = pd.DataFrame(
            conn.execute(
                select(U.c.filename.label("file"), POS.c.line, POS.c.organisation_id).join(
                    U, U.c.id == POS.c.upload_id
                )
            ).all(),
            columns=["file", "line", "organisation_id"],
        )
        crm_orgs = {
            crm_id: org
            for crm_id, org in conn.execute(
                select(O.c.crm_id, O.c.id).where(O.c.crm_id.is_not(None))
            )
        }
    mentions["line"] = mentions["line"].astype(int)
    joined = mentions.merge(ties, on=["file", "line"], how="inner")
    people_truth = pd.concat([joined["contact_person_id"], joined["owner_person_id"]])
    people_found = pd.concat([joined["target_id"], joined["source_id"]])
    people = pairwise(people_truth, people_found)

    org_rows = [
        joined.loc[
            joined["truth_org_id"] != "", ["truth_org_id", "organisation_id", "company_written"]
        ]
    ]
    positions = truth_dir / "position_mentions.csv"
    if positions.exists() and not jobs.empty:
        pm = _read_truth(truth_dir, "position_mentions.csv")
        pm["line"] = pm["line"].astype(int)
        pj = pm.merge(jobs, on=["file", "line"], how="inner")
        org_rows.append(pj[["truth_org_id", "organisation_id", "company_written"]])
    org_rows.append(_crm_mentions(truth_dir, crm_orgs))
    orgs = pd.concat(org_rows, ignore_index=True)
    # An organisation left unresolved (ambiguous) is its own singleton cluster.
    missing = orgs["organisation_id"].isna()
    found = orgs["organisation_id"].astype("object")
    found[missing] = [f"unresolved-{i}" for i in range(int(missing.sum()))]
    org_score = pairwise(orgs["truth_org_id"], found)
    spellings = orgs.assign(found=found.astype(str)).drop_duplicates(
        ["truth_org_id", "company_written"]
    )
    return ResolveReport(
        people=people,
        organisations=org_score,
        organisation_spellings=pairwise(spellings["truth_org_id"], spellings["found"]),
    )


def _crm_mentions(truth_dir: Path, crm_orgs: dict[Any, Any]) -> pd.DataFrame:
    columns = ["truth_org_id", "organisation_id", "company_written"]
    truth_path = truth_dir / "crm_mentions.csv"
    manifest_crm = truth_dir.parent / "crm_accounts.csv"
    if not truth_path.exists() or not manifest_crm.exists():
        return pd.DataFrame(columns=columns)
    crm = _read_truth(truth_dir, "crm_mentions.csv")
    table = read_table(
        decode(manifest_crm.read_bytes(), manifest_crm.name),
        manifest_crm.name,
        CRM_COLUMNS,
        required=("name",),
    )
    crm_id_of_line = {row.line: row.text("crm_id") for row in table.rows()}
    crm["organisation_id"] = [crm_orgs.get(crm_id_of_line.get(int(line))) for line in crm["line"]]
    crm["company_written"] = crm["name_written"]
    return crm[columns]
