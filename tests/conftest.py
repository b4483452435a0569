"""Shared fixtures: every test gets its own database, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tejido.store.engine import scratch_schema
from tejido.workspace import Workspace

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SAMPLES = SHARED / "samples"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

_pg_status: dict[str, str | None] = {}


def postgres_url() -> str | None:
    """The PostgreSQL server tests use, or None when none answers (the reason is kept)."""
    if "url" in _pg_status:
        return _pg_status["url"]
    url = os.environ.get("TEJIDO_TEST_DATABASE_URL", DEFAULT_PG)
    try:
        import psycopg
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
        with psycopg.connect(
            host=parsed.host or "127.0.0.1",
            port=parsed.port or 5432,
            user=parsed.username,
            password=parsed.password,
            dbname=parsed.database,
            connect_timeout=3,
        ):
            pass
    except Exception as exc:  # any failure means "not reachable"
        _pg_status["url"] = None
        reason = " ".join(str(exc).split())[:200]
        _pg_status["reason"] = f"{url}: {type(exc).__name__}: {reason}"
        return None
    _pg_status["url"] = url
    return url


def _postgres_schema() -> Iterator[str]:
    """A new schema on the PostgreSQL server; skip (or fail when it is required) without one."""
    url = postgres_url()
    if url is None:
        message = (
            f"PostgreSQL not reachable at {os.environ.get('TEJIDO_TEST_DATABASE_URL', DEFAULT_PG)}"
        )
        if os.environ.get("TEJIDO_REQUIRE_POSTGRES") == "1":
            pytest.fail(message + " and TEJIDO_REQUIRE_POSTGRES=1")
        pytest.skip(message)
    with scratch_schema(url) as scratch:
        yield scratch


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new schema on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tejido.db'}"
        return
    yield from _postgres_schema()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh schema on the PostgreSQL server, for tests that compare it with SQLite."""
    yield from _postgres_schema()


@pytest.fixture
def workspace(tmp_path: Path, database_url: str) -> Iterator[Workspace]:
    ws = Workspace(tmp_path / "ws", database_url=database_url)
    yield ws
    ws.close()


@pytest.fixture
def sqlite_workspace(tmp_path: Path) -> Iterator[Workspace]:
    """A workspace on the embedded default only, for tests that are not about the store."""
    ws = Workspace(tmp_path / "ws")
    yield ws
    ws.close()


@pytest.fixture
def samples() -> Path:
    if not SAMPLES.exists():
        pytest.fail(f"the shared samples are missing: {SAMPLES}")
    return SAMPLES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    skipped = terminalreporter.stats.get("skipped", [])
    pg = [r for r in skipped if "PostgreSQL not reachable" in str(r.longrepr)]
    if pg:
        terminalreporter.write_sep(
            "!", f"{len(pg)} PostgreSQL tests SKIPPED: {_pg_status.get('reason')}", yellow=True
        )
        terminalreporter.write_line(
            "Set TEJIDO_TEST_DATABASE_URL to a reachable server to run them "
            "(.ci/run starts one and never skips them)."
        )


# -- a demo company for the contact-map tests ----------------------------------------------

DEMO_MAP = {"employees": 80, "seed": 11, "mean_contacts": 120}


@pytest.fixture(scope="session")
def demo_map_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo company built once per session (SQLite); tests copy it before changing it."""
    from tejido.demo.build import build_demo

    folder = tmp_path_factory.mktemp("demo-map") / "ws"
    ws = Workspace(folder)
    summary = build_demo(ws, **DEMO_MAP)
    assert not summary.failed, summary.failed
    ws.contact_map.snapshot()
    with ws.store.engine.connect() as conn:  # fold the WAL into the file before copies
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    ws.close()
    return folder


@pytest.fixture(scope="session")
def demo_map(demo_map_dir: Path) -> Iterator[Workspace]:
    """The session's demo company, read-only."""
    ws = Workspace(demo_map_dir)
    yield ws
    ws.close()


@pytest.fixture
def demo_copy(demo_map_dir: Path, tmp_path: Path) -> Iterator[Workspace]:
    """A private copy of the session's demo company, to change."""
    import shutil

    target = tmp_path / "ws"
    shutil.copytree(demo_map_dir, target)
    ws = Workspace(target)
    yield ws
    ws.close()
