"""An employee uploads their LinkedIn export in a real browser, with an explicit consent
choice, watches the background job, and sees the upload counted on their page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text

from tejido import accounts

SAMPLE = Path(__file__).resolve().parents[4] / "shared" / "samples"
ZIP = "Basic_LinkedInDataExport_11-20-2026.zip"


def test_employee_uploads_a_linkedin_zip_with_a_consent_choice(
    page: Any, live: Any, shoot: Any
) -> None:
    with live.ws.store.read() as conn:
        email = conn.execute(text(
            "SELECT email FROM employee WHERE consent = 'private' ORDER BY id LIMIT 1"
        )).scalar_one()  # fmt: skip
    accounts.create_user(live.ws.store, email, live.password, "employee")
    page.goto(f"{live.url}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", live.password)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{live.url}/")
    page.click("header >> text=My data")
    page.wait_for_url(f"{live.url}/me")
    assert "Now: Private." in page.locator("#consent").inner_text()
    before = page.locator("#uploads tr[data-upload]").count()  # the demo's own exports
    form = page.locator("#upload form")
    form.locator("input[type=file]").set_input_files(str(SAMPLE / ZIP))
    # No consent level is chosen for the employee: the browser refuses to send the form.
    form.locator("button[type=submit]").click()
    assert page.url == f"{live.url}/me"
    assert form.locator("input[name=consent]:checked").count() == 0
    form.locator("input[name=consent][value=named]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{live.url}/jobs/*")
    page.wait_for_selector("#job[data-status=done]", timeout=120_000)
    counted = page.locator("#job-uploads [data-count=connections]").inner_text()
    assert counted.endswith("connections") and int(counted.split()[0].replace(",", "")) > 0
    shoot(page, "upload")
    page.click("text=Back")
    page.wait_for_url(f"{live.url}/me")
    rows = page.locator("#uploads tr[data-upload]")
    assert rows.count() == before + 1
    row = rows.first  # the newest
    assert ZIP in row.inner_text()
    assert row.locator("[data-count=connections]").inner_text() == counted
    assert "Now: Named." in page.locator("#consent").inner_text()
