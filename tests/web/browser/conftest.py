"""Browser tests: the app served on 127.0.0.1 by uvicorn in a thread, driven by Playwright
in Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import text

from tejido import accounts
from tejido.web.app import create_app
from tejido.workspace import Workspace

CHROMIUM = os.environ.get("TEJIDO_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
PASSWORD = "a long enough secret"


SCRIPT_NAME = "<script>alert(1)</script>"


@dataclass
class Live:
    url: str
    ws: Workspace
    org: int  # the best-covered account
    password: str = PASSWORD

    def sign_in(self, page: Any, email: str = "analyst@tejido-demo.example") -> None:
        """Sign in through the form and wait for the home page."""
        page.goto(f"{self.url}/login")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", self.password)
        page.click("form.stack button[type=submit]")
        page.wait_for_url(f"{self.url}/")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live(demo_map_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    target = tmp_path_factory.mktemp("live") / "ws"
    shutil.copytree(demo_map_dir, target)
    ws = Workspace(target)
    for role in ("admin", "analyst"):
        accounts.create_user(ws.store, f"{role}@tejido-demo.example", PASSWORD, role)
    # Someone's export named a contact with a script tag: it must show as text.
    org = int(ws.coverage(limit=1)["org_id"].iloc[0])
    first = next(t for t in ws.account(str(org))["ties"] if not t["hidden"])
    with ws.store.write() as conn:
        conn.execute(text("UPDATE person SET display_name = :n WHERE id = :p"),
                     {"n": SCRIPT_NAME, "p": first["contact"]["id"]})  # fmt: skip
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(ws), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield Live(f"http://127.0.0.1:{port}", ws, org)
    server.should_exit = True
    thread.join(timeout=10)
    ws.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not at {CHROMIUM}: install Debian's chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


@pytest.fixture
def shoot() -> object:
    """Save a screenshot for the README when TEJIDO_SCREENSHOTS=1 (scripts/screenshots)."""

    def take(page: object, name: str) -> None:
        if os.environ.get("TEJIDO_SCREENSHOTS") == "1":
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{name}.png"))  # type: ignore[attr-defined]

    return take


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 860})  # type: ignore[attr-defined]
    p = context.new_page()
    yield p
    context.close()
