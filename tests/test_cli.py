"""The command line: exact outputs, JSON shapes and exit codes, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TEJIDO = [sys.executable, "-m", "tejido"]


def run(*args: str, workspace: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("TEJIDO_WORKSPACE", None)
    command = [*TEJIDO, *args]
    if workspace is not None:
        command += ["--workspace", str(workspace)]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("init", "import", "demo", "stats", "resolve-report", "uploads"):
        assert command in result.stdout


def test_import_and_stats_json(tmp_path: Path, samples: Path) -> None:
    ws = tmp_path / "ws"
    imported = run(
        "import",
        "linkedin",
        str(samples / "Basic_LinkedInDataExport_11-20-2026.zip"),
        "--json",
        workspace=ws,
    )
    assert imported.returncode == 0, imported.stderr
    [result] = json.loads(imported.stdout)
    assert result["status"] == "imported"
    assert result["counts"]["connections"] == 7
    stats = json.loads(run("stats", "--json", workspace=ws).stdout)
    assert stats["uploads"] == 1
    assert stats["connection_rows"] == 7
    assert stats["employees"] == 1
    assert stats["employees_by_consent"] == {"private": 1}


def test_bad_file_exits_2_naming_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "Connections.csv"
    bad.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ana,Ruiz,https://www.linkedin.com/in/ana,,Acme,CTO,31 Feb 2024\n",
        encoding="utf-8",
    )
    result = run(
        "import", "linkedin", str(bad), "--employee", "x@y.example", workspace=tmp_path / "ws"
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert 'Connections.csv, line 2, field "Connected On"' in result.stderr
    assert "'31 Feb 2024' is not a date" in result.stderr


def test_missing_file_exits_3(tmp_path: Path) -> None:
    result = run("import", "crm", str(tmp_path / "nope.csv"), workspace=tmp_path / "ws")
    assert result.returncode == 3
    assert "nope.csv: no such file" in result.stderr


def test_resolve_report_without_demo_is_not_found(tmp_path: Path) -> None:
    result = run("resolve-report", "--json", workspace=tmp_path / "ws")
    assert result.returncode == 3
    assert "holds no demo company" in result.stderr


@pytest.mark.slow
def test_demo_stats_and_resolve_report_meet_the_targets(tmp_path: Path) -> None:
    """The issue's commands, verbatim: demo, stats --json, resolve-report --json."""
    ws = tmp_path / "W"
    built = run("demo", "--no-serve", "--employees", "300", "--seed", "1", workspace=ws)
    assert built.returncode == 0, built.stderr
    stats = json.loads(run("stats", "--json", workspace=ws).stdout)
    for key in ("people", "organisations", "connections", "interactions", "uploads"):
        assert stats[key] > 0, key
    assert stats["employees"] == 300
    assert stats["uploads"] > 300  # roster, CRM, ~280 LinkedIn exports, ~90 X archives
    report = json.loads(run("resolve-report", "--json", workspace=ws).stdout)
    assert report["people"]["precision"] >= 0.99
    assert report["people"]["recall"] >= 0.97
    assert report["organisations"]["precision"] >= 0.97
    assert report["organisations"]["recall"] >= 0.95
    # Building the same company again changes nothing.
    again = run("demo", "--no-serve", "--employees", "300", "--seed", "1", "--json", workspace=ws)
    assert json.loads(again.stdout)["stats"] == stats


def test_users_and_audit_from_the_command_line(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    env = {**os.environ, "COLUMNS": "200"}
    added = subprocess.run(
        [*TEJIDO, "user", "add", "ana@acme.example", "--role", "analyst", "--password-stdin",
         "--json", "--workspace", str(ws)],
        input="a long secret phrase\n", capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["role"] == "analyst"
    short = subprocess.run(
        [*TEJIDO, "user", "add", "bea@acme.example", "--password-stdin", "--role", "admin",
         "--workspace", str(ws)],
        input="short\n", capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert short.returncode == 2 and "at least 10 characters" in short.stderr
    assert run("user", "role", "ana@acme.example", "admin", workspace=ws).returncode == 0
    reset = run("user", "reset-password", "ana@acme.example", workspace=ws)
    assert reset.returncode == 0 and "Temporary password for ana@acme.example: " in reset.stdout
    users = json.loads(run("user", "list", "--json", workspace=ws).stdout)
    assert [(u["email"], u["role"], u["must_change_password"]) for u in users] == [
        ("ana@acme.example", "admin", True)
    ]
    log = json.loads(run("audit", "--json", workspace=ws).stdout)
    assert [e["action"] for e in log] == ["user.reset_password", "user.role", "user.create"]
    assert {e["actor"] for e in log} == {"cli"}
    missing = run("user", "role", "nobody@acme.example", "admin", workspace=ws)
    assert missing.returncode == 3 and "no account for nobody@acme.example" in missing.stderr


def test_demo_ends_serving_the_web_app_with_logins(tmp_path: Path) -> None:
    import re
    import socket
    import time

    import httpx2

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "COLUMNS": "200", "TEJIDO_SECURE_COOKIES": "false"}
    command = [*TEJIDO, "demo", "--employees", "20", "--mean-contacts", "40", "--port",
               str(port), "--workspace", str(tmp_path / "ws")]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env)  # fmt: skip
    try:
        assert server.stderr is not None
        lines = []
        for line in server.stderr:
            lines.append(line)
            if len([x for x in lines if "password" in x]) == 3:
                break
        text_ = "".join(lines)
        assert f"Tejido is at http://127.0.0.1:{port}/" in text_
        admin = re.search(r"admin\s+(\S+)\s+password (\S+)", text_)
        assert admin, text_
        with httpx2.Client(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(100):
                try:
                    page = client.get("/login")
                    break
                except httpx2.TransportError:
                    time.sleep(0.1)
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
            form = {"email": admin.group(1), "password": admin.group(2), "csrf_token": token}
            signed = client.post("/login", data=form)
            assert signed.status_code in (200, 303)
            assert "Hello" in client.get("/").text
    finally:
        server.terminate()
        server.wait(timeout=20)
