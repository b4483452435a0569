"""Docs stay true: every command, setting and importer is documented."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main

from tejido import IMPORTERS, Settings
from tejido.cli import app

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _commands() -> list[str]:
    group = typer.main.get_command(app)
    names = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        names.extend(f"{name} {s}" for s in sub) if sub else names.append(name)
    return sorted(names)


@pytest.mark.parametrize("command", _commands())
def test_every_command_is_documented(command: str) -> None:
    assert f"### `tejido {command}" in (DOCS / "cli.md").read_text()


@pytest.mark.parametrize("setting", sorted(Settings.model_fields))
def test_every_setting_is_documented(setting: str) -> None:
    text = (DOCS / "cli.md").read_text()
    assert f"`{setting}`" in text
    assert f"TEJIDO_{setting.upper()}" in text


@pytest.mark.parametrize("importer", sorted(IMPORTERS))
def test_every_importer_is_documented(importer: str) -> None:
    assert f"| `{importer}` |" in (DOCS / "importers.md").read_text()


def test_readme_opens_with_two_setup_commands() -> None:
    readme = (DOCS.parent / "README.md").read_text()
    setup = readme.split("## Set up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    blocks = setup.split("```bash")[1:]
    assert [b.split("```")[0].strip() for b in blocks] == ["scripts/demo", "scripts/test"]


def _api_routes() -> list[str]:
    import tempfile

    from tejido.web.app import create_app
    from tejido.web.routes import route_table
    from tejido.workspace import Workspace

    app = create_app(Workspace(tempfile.mkdtemp()))
    return [f"{method} {path}" for method, path in route_table(app)]


@pytest.mark.parametrize("route", _api_routes())
def test_every_route_is_documented(route: str) -> None:
    page = "api.md" if " /api/" in route else "web.md"
    assert f"`{route}`" in (DOCS / page).read_text()


def test_every_strength_weight_is_documented() -> None:
    from tejido.contactmap.tie_strength import StrengthWeights

    text = (DOCS / "contact-map.md").read_text() + (DOCS / "cli.md").read_text()
    for name in StrengthWeights.model_fields:
        assert f"`{name}`" in text or name.replace("_", " ") in text, name
