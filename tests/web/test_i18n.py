"""English and Spanish: every text translated, chosen by the user or the browser."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from tejido import accounts
from tejido.web.app import create_app
from tejido.web.i18n import LOCALE, translations
from tejido.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]


def test_every_text_has_its_spanish(tmp_path: Path) -> None:
    pot = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run([str(pybabel), "extract", "-F", "babel.cfg", "-k", "_", "-o", str(pot),
                    "--no-location", "."], cwd=ROOT, check=True, capture_output=True)  # fmt: skip
    with pot.open("rb") as f:
        wanted = {m.id for m in read_po(f) if m.id}
    with (LOCALE / "es" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        spanish = {m.id: m for m in read_po(f, locale="es") if m.id}
    assert len(wanted) >= 15
    missing = sorted(str(m) for m in wanted if m not in spanish or not spanish[m].string)
    assert not missing, f"texts without Spanish (run scripts/i18n, then translate): {missing}"
    assert not [m for m in wanted if spanish[m].fuzzy], "fuzzy translations"


def test_pages_speak_the_browsers_language(sqlite_workspace: Workspace) -> None:
    c = TestClient(create_app(sqlite_workspace), base_url="https://testserver")
    spanish = c.get("/login", headers={"Accept-Language": "es-ES,es;q=0.9,en;q=0.8"})
    assert '<html lang="es">' in spanish.text and "Contraseña" in spanish.text
    english = c.get("/login", headers={"Accept-Language": "de-DE,en;q=0.5"})
    assert '<html lang="en">' in english.text and "Password" in english.text


def test_a_user_chooses_spanish_and_keeps_it(sqlite_workspace: Workspace) -> None:
    ws = sqlite_workspace
    user = accounts.create_user(ws.store, "ana@acme.example", "a long secret!", "admin")
    token, csrf = accounts.open_session(ws.store, user)
    c = TestClient(create_app(ws), base_url="https://testserver", follow_redirects=False)
    c.cookies.set("tejido_session", token)
    assert "Audit log" in c.get("/admin/audit", headers={"Accept-Language": "en"}).text
    r = c.post("/language", data={"lang": "es", "back": "/admin/audit", "csrf_token": csrf})
    assert r.status_code == 303 and r.headers["location"] == "/admin/audit"
    page = c.get("/admin/audit", headers={"Accept-Language": "en"})
    assert "Registro de auditoría" in page.text and '<html lang="es">' in page.text
    assert accounts.find_user(ws.store, "ana@acme.example").language == "es"
    # Somewhere else than Tejido is never a place to go back to.
    r = c.post("/language", data={"lang": "en", "back": "//evil.example/", "csrf_token": csrf})
    assert r.headers["location"] == "/"
    anonymous = TestClient(create_app(ws), base_url="https://testserver")
    wrong = anonymous.post(
        "/login",
        data={"email": "x@y.example", "password": "whatever!!", "csrf_token": "forged"},
        headers={"Accept-Language": "es"},
    )
    assert wrong.status_code == 403 and "Este formulario ha caducado" in wrong.text


def test_tie_reasons_are_said_in_both_languages(demo_map: Workspace) -> None:
    """The pages' English reasons are the library's own; the Spanish ones are translated."""
    from tejido.web.pages.labels import reasons_text

    org = str(demo_map.coverage(limit=1)["org_id"].iloc[0])
    ties = [t for t in demo_map.account(org, limit=50)["ties"] if not t["hidden"]]
    signals = {p["signal"] for t in ties for p in t["explanation"]}
    assert {"messages", "work", "mutual", "age"} <= signals
    english, spanish = translations("en"), translations("es")
    for t in ties:
        assert reasons_text(english, t["explanation"]) == t["reasons"]
        said = reasons_text(spanish, t["explanation"])
        assert said != t["reasons"] and ("conectados desde" in said or "en común" in said)
