"""An account page in a real browser: warm paths with reasons; names are only text."""

from __future__ import annotations

from typing import Any

SCRIPT_NAME = "<script>alert(1)</script>"


def test_account_page_shows_warm_paths_and_escapes_names(page: Any, live: Any, shoot: Any) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{live.url}/login")
    page.fill("input[name=email]", "analyst@tejido-demo.example")
    page.fill("input[name=password]", live.password)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{live.url}/")
    page.click("text=Organisations")
    page.wait_for_url(f"{live.url}/organisations")
    page.click(f"a[href='/organisations/{live.org}']")
    page.wait_for_url(f"{live.url}/organisations/{live.org}")
    paths = page.locator("ol.paths > li")
    assert paths.count() == 5
    assert paths.first.locator("strong").inner_text().startswith("Ask ")
    assert paths.first.locator(".why").first.inner_text()  # the first hop's reasons
    assert page.locator("table tbody tr").count() == 50
    assert SCRIPT_NAME in page.locator("table").inner_text()
    assert page.evaluate("() => document.querySelectorAll('main script').length") == 0
    assert dialogs == []
    shoot(page, "account")
