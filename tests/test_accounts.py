"""Accounts: users and roles, argon2 passwords, sign-in limits, sessions, the audit log."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from tejido import accounts
from tejido.errors import (
    BadInputError,
    ConflictError,
    NotFoundError,
    TooManyAttemptsError,
    UnauthorizedError,
)
from tejido.store.models import Role
from tejido.workspace import Workspace

PASSWORD = "correct horse battery"


def test_create_and_sign_in(workspace: Workspace) -> None:
    user = accounts.create_user(workspace.store, "Ana@Acme.Example", PASSWORD, "analyst")
    assert (user.email, user.role, user.person_id) == ("ana@acme.example", Role.ANALYST, None)
    with workspace.store.read() as conn:
        stored = conn.execute(text("SELECT password_hash FROM user_account")).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert accounts.authenticate(workspace.store, "ana@acme.example", PASSWORD).id == user.id
    with pytest.raises(UnauthorizedError, match="wrong e-mail or password"):
        accounts.authenticate(workspace.store, "ana@acme.example", "not the password")
    with pytest.raises(UnauthorizedError):
        accounts.authenticate(workspace.store, "nobody@acme.example", PASSWORD)


@pytest.mark.parametrize(
    ("email", "password", "role", "error", "message"),
    [
        ("not-an-email", PASSWORD, "admin", BadInputError, 'field "email"'),
        ("b@acme.example", "short", "admin", BadInputError, "at least 10 characters"),
        ("b@acme.example", PASSWORD, "boss", BadInputError, "'boss' is not a role"),
        ("b@acme.example", PASSWORD, "employee", NotFoundError, "no employee's e-mail"),
    ],
)
def test_bad_accounts_are_refused(
    workspace: Workspace, email: str, password: str, role: str, error: type, message: str
) -> None:
    with pytest.raises(error, match=message):
        accounts.create_user(workspace.store, email, password, role)
    assert accounts.list_users(workspace.store) == []


def test_one_account_per_address(workspace: Workspace) -> None:
    accounts.create_user(workspace.store, "ana@acme.example", PASSWORD, "admin")
    with pytest.raises(ConflictError):
        accounts.create_user(workspace.store, "ANA@acme.example", PASSWORD, "analyst")


def test_an_employee_account_is_linked_to_the_employee(
    workspace: Workspace, tmp_path: Path
) -> None:
    roster = tmp_path / "staff.csv"
    roster.write_text("Name,Email,Department,Consent\nAna Ruiz,ana@acme.example,sales,named\n")
    workspace.import_roster(roster, company="Acme S.L.")
    user = accounts.create_user(workspace.store, "ana@acme.example", PASSWORD, "employee")
    assert user.person_id is not None


def test_repeated_failures_lock_the_account(workspace: Workspace) -> None:
    store = workspace.store
    accounts.create_user(store, "ana@acme.example", PASSWORD, "admin")
    for _ in range(accounts.FAILURES_PER_ACCOUNT):
        with pytest.raises(UnauthorizedError):
            accounts.authenticate(store, "ana@acme.example", "guess guess guess", ip="10.0.0.9")
    with pytest.raises(TooManyAttemptsError, match="try again in 15 minutes"):
        accounts.authenticate(store, "ana@acme.example", PASSWORD, ip="10.0.0.9")
    with store.write() as conn:  # the failures age out
        conn.execute(text("UPDATE login_attempt SET at = '2000-01-01 00:00:00'"))
    assert accounts.authenticate(store, "ana@acme.example", PASSWORD).email == "ana@acme.example"
    actions = accounts.audit_log(store)["action"].tolist()
    assert actions[:2] == ["login.ok", "login.locked"]
    assert actions.count("login.failed") == accounts.FAILURES_PER_ACCOUNT


def test_one_address_guessing_many_accounts_is_locked(workspace: Workspace) -> None:
    store = workspace.store
    accounts.create_user(store, "ana@acme.example", PASSWORD, "admin")
    for i in range(accounts.FAILURES_PER_ADDRESS):
        with pytest.raises(UnauthorizedError):
            accounts.authenticate(store, f"u{i}@acme.example", "guess guess", ip="10.0.0.7")
    with pytest.raises(TooManyAttemptsError):
        accounts.authenticate(store, "ana@acme.example", PASSWORD, ip="10.0.0.7")
    assert accounts.authenticate(store, "ana@acme.example", PASSWORD, ip="10.0.0.8")


def test_sessions_open_resolve_expire_and_close(workspace: Workspace) -> None:
    store = workspace.store
    user = accounts.create_user(store, "ana@acme.example", PASSWORD, "analyst")
    token, csrf = accounts.open_session(store, user, ip="127.0.0.1")
    found = accounts.session_user(store, token)
    assert found is not None and found[0].id == user.id and found[1] == csrf
    with store.read() as conn:
        kept = conn.execute(text("SELECT token_hash FROM web_session")).scalar_one()
    assert kept != token and len(kept) == 64
    assert accounts.session_user(store, token + "x") is None
    assert accounts.session_user(store, None) is None
    accounts.close_session(store, token, actor=user.email)
    assert accounts.session_user(store, token) is None
    token, _ = accounts.open_session(store, user)
    with store.write() as conn:
        conn.execute(text("UPDATE web_session SET expires_at = '2000-01-01 00:00:00'"))
    assert accounts.session_user(store, token) is None


def test_role_change_and_password_reset_end_sessions(workspace: Workspace) -> None:
    store = workspace.store
    user = accounts.create_user(store, "ana@acme.example", PASSWORD, "analyst")
    token, _ = accounts.open_session(store, user)
    changed = accounts.set_role(store, "ana@acme.example", "admin", actor="root@acme.example")
    assert changed.role == Role.ADMIN and accounts.session_user(store, token) is None
    token, _ = accounts.open_session(store, changed)
    temporary = accounts.reset_password(store, "ana@acme.example", actor="root@acme.example")
    assert accounts.session_user(store, token) is None
    with pytest.raises(UnauthorizedError):
        accounts.authenticate(store, "ana@acme.example", PASSWORD)
    again = accounts.authenticate(store, "ana@acme.example", temporary)
    assert again.must_change_password
    accounts.set_password(store, "ana@acme.example", "a brand new secret", actor=again.email)
    assert not accounts.authenticate(
        store, "ana@acme.example", "a brand new secret"
    ).must_change_password
    log = accounts.audit_log(store)
    assert {"user.create", "user.role", "user.reset_password", "user.password"} <= set(
        log["action"]
    )
    role = log[log["action"] == "user.role"].iloc[0]
    assert role["actor"] == "root@acme.example" and role["details"] == {
        "from": "analyst",
        "to": "admin",
    }


def test_exports_and_erasures_are_audited(demo_copy: Workspace, tmp_path: Path) -> None:
    demo_copy.export_map(tmp_path / "map.graphml", actor="ana@acme.example")
    uploads = demo_copy.uploads()
    upload = int(uploads.loc[uploads["kind"] == "linkedin", "id"].iloc[0])
    counts = demo_copy.erase_upload(upload, actor="root@acme.example")
    log = accounts.audit_log(demo_copy.store)
    erase, export = log.iloc[0], log.iloc[1]
    assert (erase["action"], erase["actor"], erase["target"]) == (
        "upload.erase",
        "root@acme.example",
        f"upload {upload}",
    )
    assert erase["details"] == counts
    assert (export["action"], export["actor"], export["target"]) == (
        "map.export",
        "ana@acme.example",
        "map.graphml",
    )
    assert export["details"]["format"] == "graphml"
