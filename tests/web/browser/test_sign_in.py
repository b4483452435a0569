"""Signing in, in a real browser: the cookie works on 127.0.0.1, Spanish on request."""

from __future__ import annotations

from typing import Any


def sign_in(page: Any, live: Any, email: str) -> None:
    page.goto(f"{live.url}/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", live.password)
    page.click("form.stack button[type=submit]")


def test_sign_in_and_out(page: Any, live: Any) -> None:
    page.goto(f"{live.url}/")
    assert page.url.endswith("/login")
    page.fill("input[name=email]", "analyst@tejido-demo.example")
    page.fill("input[name=password]", "not the password")
    page.click("form.stack button[type=submit]")
    assert page.locator(".error").inner_text() == "Wrong e-mail or password."
    sign_in(page, live, "analyst@tejido-demo.example")
    page.wait_for_url(f"{live.url}/")
    assert "Hello, analyst" in page.locator("h1").inner_text()
    cookies = {c["name"]: c for c in page.context.cookies()}
    session = cookies["tejido_session"]
    assert session["httpOnly"] and session["secure"] and session["sameSite"] == "Lax"
    page.click("text=Sign out")
    page.wait_for_url(f"{live.url}/login")


def test_switch_to_spanish(page: Any, live: Any) -> None:
    sign_in(page, live, "admin@tejido-demo.example")
    page.wait_for_url(f"{live.url}/")
    page.click("button[value=es]")
    page.wait_for_url(f"{live.url}/")
    assert "Hola, admin" in page.locator("h1").inner_text()
    assert page.locator("html").get_attribute("lang") == "es"
    page.click("text=Registro de auditoría")
    assert page.locator("h1").inner_text() == "Registro de auditoría"
    page.click("button[value=en]")
