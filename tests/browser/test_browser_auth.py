"""Signing in on a server-mode workbench in a real browser; /login passes axe-core (issue 9).

The other browser tests run in the local mode (no sign-in); here the app asks everyone to
sign in, as ``koers serve`` on a server does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from playwright.sync_api import Browser, BrowserContext, Page, expect

from koers.services.accounts import Accounts

from .conftest import TIMEOUT_MS, Axe, LiveServer, Screenshot, _serve, require

PASSWORD = "een lang genoeg wachtwoord"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server-mode app on a fresh SQLite database, with the user ``anna``."""
    try:
        from koers.web.app import Settings, create_app
    except ImportError as err:
        require(f"the web app cannot be imported: {err}")
    database_url = f"sqlite:///{tmp_path_factory.mktemp('auth') / 'koers.db'}"
    app = create_app(Settings(database=database_url, secret_key="s" * 32))
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    app.state.accounts = Accounts(app.state.workbench.repository, hasher=cheap)
    app.state.accounts.create_user("anna", PASSWORD)
    with _serve(app) as url:
        yield LiveServer(url=url, app=app, database_url=database_url)


def _context(browser: Browser, server: LiveServer, language: str) -> BrowserContext:
    context = browser.new_context(
        base_url=server.url, locale="nl-NL", viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([{"name": "koers_lang", "value": language, "url": server.url}])
    return context


@pytest.fixture
def visitor(browser: Browser, server: LiveServer) -> Iterator[Page]:
    context = _context(browser, server, "en")
    yield context.new_page()
    context.close()


def test_sign_in_create_a_study_and_sign_out(visitor: Page, screenshot: Screenshot) -> None:
    page = visitor
    page.goto("/studies")
    expect(page).to_have_url(re.compile(r"/login\?next=/studies$"))
    page.get_by_label("Name", exact=True).fill("anna")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("The name or the password is wrong.")
    screenshot(page, "flow-sign-in-refused")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/studies$"))
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["koers_session"]["httpOnly"] and cookies["koers_session"]["sameSite"] == "Lax"
    # A form posted from the page carries the session's CSRF token.
    page.get_by_label("Organisation", exact=True).fill("Gemeente Testdorp")
    page.get_by_role("button", name="Create study").click()
    expect(page).to_have_url(re.compile(r"/studies/\d+$"))
    page.get_by_role("link", name="Members").click()
    expect(page.get_by_role("cell", name="anna", exact=True)).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/studies")
    expect(page).to_have_url(re.compile(r"/login"))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_sign_in_page_has_no_wcag_violations(
    browser: Browser, server: LiveServer, axe: Axe, screenshot: Screenshot, language: str
) -> None:
    context = _context(browser, server, language)
    page = context.new_page()
    try:
        page.goto("/login")
        expect(page.locator("html")).to_have_attribute("lang", language)
        screenshot(page, f"login-{language}")
        violations = axe(page)
        assert not violations, f"login ({language}):\n" + "\n".join(violations)
        # The refused sign-in, with its message, too.
        page.locator("#login-name").fill("nobody")
        page.locator("#login-password").fill("wrong password")
        page.locator("form.login-form button[type=submit]").click()
        expect(page.get_by_role("alert")).to_be_visible()
        violations = axe(page)
        assert not violations, f"login refused ({language}):\n" + "\n".join(violations)
    finally:
        context.close()
