"""Employees' consent and their own uploads; bookkeeping writes leave the contact map be."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, select

from jobkit import CARMEN, LINKEDIN_ZIP, X_ZIP, staff
from tejido import accounts, employees
from tejido.workspace import Workspace

BOOKKEEPING = {"store_state", "alembic_version", "audit_event", "user_account", "web_session",
               "login_attempt", "job"}  # fmt: skip


def dump_without_bookkeeping(ws: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the content tables, without the columns saying when it was written."""
    metadata = MetaData()
    metadata.reflect(bind=ws.store.engine)
    dump = {}
    with ws.store.read() as conn:
        for name, table in sorted(metadata.tables.items()):
            if name in BOOKKEEPING:
                continue
            columns = [c for c in table.columns if c.name not in ("created_at", "updated_at")]
            rows = conn.execute(select(*columns).order_by(*table.primary_key.columns))
            dump[name] = [tuple(r) for r in rows]
    return dump


def test_erasing_ones_uploads_returns_the_store_to_before_them(
    workspace: Workspace, samples: Path, tmp_path: Path
) -> None:
    ws = workspace
    staff(ws, tmp_path, consent="named")
    before = dump_without_bookkeeping(ws)
    ws.import_linkedin(samples / LINKEDIN_ZIP, employee=CARMEN)
    ws.import_x(samples / X_ZIP, employee=CARMEN)
    user = accounts.create_user(ws.store, CARMEN, "a long enough secret", "employee")
    me = employees.employee_of(ws.store, user)
    assert me is not None and me.consent.value == "named"
    assert [u["kind"] for u in employees.uploads_of(ws.store, me.person_id)] == ["x", "linkedin"]
    totals = employees.erase_own_uploads(ws.store, me.person_id, actor=CARMEN)
    assert totals["uploads"] == 2 and totals["connections"] > 0 and totals["people"] > 0
    assert dump_without_bookkeeping(ws) == before
    assert employees.uploads_of(ws.store, me.person_id) == []


def test_consent_changes_move_the_store_on_and_sign_ins_do_not(
    sqlite_workspace: Workspace, tmp_path: Path
) -> None:
    ws = sqlite_workspace
    staff(ws, tmp_path)
    assert employees.consent_counts(ws.store) == {"private": 1, "existence_only": 0, "named": 1}
    version = ws.store.version()
    user = accounts.create_user(ws.store, CARMEN, "a long enough secret", "employee")
    accounts.open_session(ws.store, accounts.authenticate(ws.store, CARMEN, "a long enough secret"))
    assert ws.store.version() == version  # the snapshot stays valid
    employees.set_consent(ws.store, user.person_id or 0, "existence_only", actor=CARMEN)
    assert ws.store.version() == version + 1
    assert employees.consent_counts(ws.store)["existence_only"] == 1
    event = accounts.audit_log(ws.store, action="consent").iloc[0]
    assert event["details"] == {"from": "private", "to": "existence_only"}
