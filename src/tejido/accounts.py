"""Local accounts of the web app: users and roles, passwords, sign-in with rate limiting,
sessions, and the audit log of sensitive actions.

Passwords are kept as argon2id hashes (argon2-cffi's defaults, re-hashed when those
change). A session is a random token in an HttpOnly cookie; the store keeps only its
SHA-256, with a CSRF token that every state-changing form must send back. Failed sign-ins
are counted per account and per address: past the limits, sign-in is refused for a while
whatever the password.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, delete, func, insert, select, update

from tejido.errors import (
    BadInputError,
    ConflictError,
    NotFoundError,
    TooManyAttemptsError,
    UnauthorizedError,
)
from tejido.ingest.normalise import normalise_email
from tejido.store.models import (
    AuditEvent,
    Employee,
    LoginAttempt,
    Role,
    UserAccount,
    WebSession,
    table_of,
    utcnow,
)
from tejido.store.session import Store

__all__ = [
    "FAILURES_PER_ACCOUNT",
    "FAILURES_PER_ADDRESS",
    "MIN_PASSWORD",
    "SESSION_HOURS",
    "User",
    "audit",
    "audit_log",
    "authenticate",
    "close_session",
    "create_user",
    "find_user",
    "list_users",
    "open_session",
    "reset_password",
    "session_user",
    "set_language",
    "set_password",
    "set_role",
]

MIN_PASSWORD = 10
SESSION_HOURS = 12
FAILURES_PER_ACCOUNT = 5  # in LOCKOUT_MINUTES
FAILURES_PER_ADDRESS = 30
LOCKOUT_MINUTES = 15

U, S, L, A = (table_of(m) for m in (UserAccount, WebSession, LoginAttempt, AuditEvent))
E = table_of(Employee)
_hasher = PasswordHasher()


@dataclass(frozen=True)
class User:
    """A signed-in (or listed) account, without its password hash."""

    id: int
    email: str
    display_name: str
    role: Role
    person_id: int | None
    language: str | None
    active: bool
    must_change_password: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "email": self.email, "display_name": self.display_name,
            "role": self.role.value, "person_id": self.person_id, "language": self.language,
            "active": self.active, "must_change_password": self.must_change_password,
        }  # fmt: skip


_COLUMNS = (U.c.id, U.c.email, U.c.display_name, U.c.role, U.c.person_id, U.c.language,
            U.c.active, U.c.must_change_password)  # fmt: skip


def _user(row: Any) -> User:
    return User(int(row[0]), row[1], row[2], Role(row[3]), row[4], row[5], bool(row[6]),
                bool(row[7]))  # fmt: skip


def _email(value: str) -> str:
    email = normalise_email(value)
    if email is None:
        raise BadInputError(f"{value!r} is not an e-mail address", field="email")
    return email


def _role(value: str | Role) -> Role:
    try:
        return Role(value)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise BadInputError(f"{value!r} is not a role ({roles})", field="role") from None


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise BadInputError(
            f"a password needs at least {MIN_PASSWORD} characters", field="password"
        )


def audit(
    conn: Connection,
    actor: str,
    action: str,
    target: str | None = None,
    details: dict[str, Any] | None = None,
    ip: str | None = None,
) -> None:
    """Record a sensitive action in the audit log, inside the caller's transaction."""
    conn.execute(insert(A).values(actor=actor, action=action, target=target,
                                  details=details or {}, ip=ip))  # fmt: skip


def audit_log(store: Store, *, limit: int = 200, action: str | None = None) -> pd.DataFrame:
    """The newest audit events first."""
    query = select(A.c.at, A.c.actor, A.c.action, A.c.target, A.c.details, A.c.ip)
    if action:
        query = query.where(A.c.action == action)
    with store.read() as conn:
        rows = conn.execute(query.order_by(A.c.id.desc()).limit(limit)).all()
    return pd.DataFrame([tuple(r) for r in rows],
                        columns=["at", "actor", "action", "target", "details", "ip"])  # fmt: skip


def create_user(
    store: Store,
    email: str,
    password: str,
    role: str | Role,
    *,
    display_name: str | None = None,
    actor: str = "cli",
) -> User:
    """A new account. An employee's account is linked to their person by e-mail."""
    address, level = _email(email), _role(role)
    _check_password(password)
    with store.write(content=False) as conn:
        if conn.execute(select(U.c.id).where(U.c.email == address)).first():
            raise ConflictError(f"an account for {address} exists already")
        person = conn.execute(select(E.c.person_id).where(E.c.email == address)).scalar()
        if level == Role.EMPLOYEE and person is None:
            raise NotFoundError(f"{address} is no employee's e-mail (import the roster first)")
        uid = conn.execute(
            insert(U).values(
                email=address, display_name=(display_name or address.split("@")[0])[:256],
                password_hash=_hasher.hash(password), role=level, person_id=person,
                active=True, must_change_password=False,
            ).returning(U.c.id)
        ).scalar_one()  # fmt: skip
        audit(conn, actor, "user.create", address, {"role": level.value})
        return _user(conn.execute(select(*_COLUMNS).where(U.c.id == uid)).one())


def find_user(store: Store, email: str) -> User:
    with store.read() as conn:
        row = conn.execute(select(*_COLUMNS).where(U.c.email == _email(email))).first()
    if row is None:
        raise NotFoundError(f"no account for {email}")
    return _user(row)


def list_users(store: Store) -> list[User]:
    with store.read() as conn:
        return [_user(r) for r in conn.execute(select(*_COLUMNS).order_by(U.c.email))]


def set_role(store: Store, email: str, role: str | Role, *, actor: str) -> User:
    """Change an account's role (audited); its sessions end."""
    user, level = find_user(store, email), _role(role)
    with store.write(content=False) as conn:
        conn.execute(update(U).where(U.c.id == user.id).values(role=level))
        conn.execute(delete(S).where(S.c.user_id == user.id))
        audit(conn, actor, "user.role", user.email, {"from": user.role.value, "to": level.value})
    return find_user(store, email)


def set_password(store: Store, email: str, password: str, *, actor: str) -> None:
    """A user's own new password; other sessions end."""
    user = find_user(store, email)
    _check_password(password)
    with store.write(content=False) as conn:
        conn.execute(update(U).where(U.c.id == user.id).values(
            password_hash=_hasher.hash(password), must_change_password=False))  # fmt: skip
        conn.execute(delete(S).where(S.c.user_id == user.id))
        audit(conn, actor, "user.password", user.email)


def set_language(store: Store, user: User, language: str) -> None:
    """The language the web app speaks to ``user`` (``en`` or ``es``)."""
    if language not in ("en", "es"):
        raise BadInputError(f"{language!r} is not a language (en, es)", field="language")
    with store.write(content=False) as conn:
        conn.execute(update(U).where(U.c.id == user.id).values(language=language))


def reset_password(store: Store, email: str, *, actor: str) -> str:
    """An admin's reset: a random temporary password, to be changed at the next sign-in."""
    user = find_user(store, email)
    temporary = secrets.token_urlsafe(12)
    with store.write(content=False) as conn:
        conn.execute(update(U).where(U.c.id == user.id).values(
            password_hash=_hasher.hash(temporary), must_change_password=True))  # fmt: skip
        conn.execute(delete(S).where(S.c.user_id == user.id))
        audit(conn, actor, "user.reset_password", user.email)
    return temporary


def authenticate(store: Store, email: str, password: str, *, ip: str | None = None) -> User:
    """The account if the password is right; every attempt counts against the limits.

    Raises ``TooManyAttemptsError`` when the account or the address failed too often
    lately (before even looking at the password), ``UnauthorizedError`` otherwise.
    """
    address = normalise_email(email) or email.strip().lower()[:320]
    since = utcnow() - dt.timedelta(minutes=LOCKOUT_MINUTES)
    # The attempt is written whatever happens, so the error is raised after the commit.
    with store.write(content=False) as conn:
        failed = select(func.count()).select_from(L).where(L.c.at >= since, L.c.ok.is_(False))
        locked = conn.execute(failed.where(L.c.email == address)).scalar_one() >= (
            FAILURES_PER_ACCOUNT
        ) or bool(
            ip and conn.execute(failed.where(L.c.ip == ip)).scalar_one() >= FAILURES_PER_ADDRESS
        )
        row = None
        if locked:
            audit(conn, address, "login.locked", address, ip=ip)
        else:
            row = conn.execute(
                select(*_COLUMNS, U.c.password_hash).where(U.c.email == address)
            ).first()
            ok = row is not None and row[6] and _verify(row[8], password)
            conn.execute(insert(L).values(email=address, ip=ip, ok=ok))
            audit(conn, address, "login.ok" if ok else "login.failed", address, ip=ip)
            if ok and row is not None:
                values: dict[str, Any] = {"last_login_at": utcnow()}
                if _hasher.check_needs_rehash(row[8]):
                    values["password_hash"] = _hasher.hash(password)
                conn.execute(update(U).where(U.c.id == row[0]).values(**values))
            else:
                row = None
    if locked:
        raise TooManyAttemptsError(
            f"too many failed sign-ins; try again in {LOCKOUT_MINUTES} minutes"
        )
    if row is None:
        raise UnauthorizedError("wrong e-mail or password")
    return _user(row)


def _verify(stored: str, password: str) -> bool:
    try:
        return bool(_hasher.verify(stored, password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(store: Store, user: User, *, ip: str | None = None) -> tuple[str, str]:
    """A new session for ``user``: (the cookie's token, the session's CSRF token)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with store.write(content=False) as conn:
        conn.execute(delete(S).where(S.c.expires_at < utcnow()))
        conn.execute(insert(S).values(
            token_hash=_digest(token), user_id=user.id, csrf_token=csrf, ip=ip,
            expires_at=utcnow() + dt.timedelta(hours=SESSION_HOURS)))  # fmt: skip
    return token, csrf


def session_user(store: Store, token: str | None) -> tuple[User, str] | None:
    """The active account behind a cookie's token, and the session's CSRF token."""
    if not token:
        return None
    with store.read() as conn:
        row = conn.execute(
            select(*_COLUMNS, S.c.csrf_token)
            .join(S, S.c.user_id == U.c.id)
            .where(S.c.token_hash == _digest(token), S.c.expires_at > utcnow(), U.c.active)
        ).first()
    return None if row is None else (_user(row), str(row[8]))


def close_session(store: Store, token: str | None, *, actor: str | None = None) -> None:
    if not token:
        return
    with store.write(content=False) as conn:
        conn.execute(delete(S).where(S.c.token_hash == _digest(token)))
        if actor:
            audit(conn, actor, "logout", actor)
