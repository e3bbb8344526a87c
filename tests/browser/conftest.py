"""Fixtures for the browser tests: a live Koers server, Debian's Chromium and axe-core.

The server is the real app (``create_app``) served by uvicorn in a background thread on
127.0.0.1, with a fresh database per test module. Chromium is Debian's ``/usr/bin/chromium``
driven by Python Playwright; Playwright's own browser downloads are not used.

Without Chromium (or without the web app, or without axe-core for the accessibility test) the
tests skip with the reason; with ``KOERS_REQUIRE_BROWSER=1`` (as in ``.ci/run``) they fail.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

ROOT = Path(__file__).parents[2]
CHROMIUM = Path(os.environ.get("KOERS_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "artefacts" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Without the background-networking flags Chromium keeps dialling Google from a closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000

Screenshot = Callable[[Page, str], Path]
Axe = Callable[[Page], list[str]]


def require(reason: str) -> None:
    """Skip with ``reason``, or fail when CI demands the browser tests run."""
    if os.environ.get("KOERS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (KOERS_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


# --- the live server -------------------------------------------------------------------------


@dataclass
class LiveServer:
    """A uvicorn server in a thread; ``url`` is its address, ``app`` the ASGI app it serves."""

    url: str
    app: Any
    database_url: str

    def at(self, path: str) -> str:
        return self.url + path


@contextmanager
def _serve(app: Any) -> Iterator[str]:
    """Serves ``app`` with uvicorn in a thread on a free loopback port; its base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    host, port = sock.getsockname()
    config = uvicorn.Config(app, log_level="warning", lifespan="auto", ws="none")
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="koers-live-server", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            pytest.fail("the live server did not start", pytrace=False)
        time.sleep(0.01)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def build_app(database_url: str) -> Any:
    """The Koers app over ``database_url``, built the way ``koers serve`` builds it."""
    try:
        from koers.web.app import Settings, create_app
    except ImportError as err:
        require(f"the web app cannot be imported: {err}")
    return create_app(Settings(database=database_url, local=True))


@pytest.fixture(scope="module")
def live_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """The app on a fresh database for one test module: SQLite, or PostgreSQL when a module
    asks with ``pytest.mark.parametrize("live_server", ["postgresql"], indirect=True,
    scope="module")`` (on the session's throwaway server of tests/conftest.py)."""
    backend = getattr(request, "param", "sqlite")
    if backend == "postgresql":
        server = request.getfixturevalue("postgres_server")
        database_url = server.create_database()
    else:
        database_url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'koers.db'}"
    app = build_app(database_url)
    try:
        with _serve(app) as url:
            yield LiveServer(url=url, app=app, database_url=database_url)
    finally:
        if backend == "postgresql":
            server.drop_database(database_url)


@pytest.fixture
def study(live_server: LiveServer) -> dict[str, Any]:
    """A new study from the built-in template, made through the JSON API: ``{"id", "links"}``."""
    import httpx

    response = httpx.post(live_server.at("/api/studies"), json={}, timeout=30)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


# --- the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, for the whole session."""
    if not CHROMIUM.exists():
        require(f"no Chromium at {CHROMIUM}: run scripts/system-packages.sh as root")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def _context(browser: Browser, live_server: LiveServer, language: str | None) -> BrowserContext:
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(TIMEOUT_MS)
    if language is not None:
        # The cookie the language switch sets; the switch itself has its own test.
        context.add_cookies([{"name": "koers_lang", "value": language, "url": live_server.url}])
    return context


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A page in a fresh browser context (its own cookies), reading English."""
    context = _context(browser, live_server, "en")
    yield context.new_page()
    context.close()


@pytest.fixture
def dutch_page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A page in a fresh context with no language chosen: a Dutch browser, the default."""
    context = _context(browser, live_server, None)
    yield context.new_page()
    context.close()


@pytest.fixture
def other_page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A page in a second, separate context: another person editing at the same time."""
    context = _context(browser, live_server, "en")
    yield context.new_page()
    context.close()


# --- checks -----------------------------------------------------------------------------------


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@pytest.fixture(scope="session")
def screenshot() -> Screenshot:
    """Saves a full-page screenshot to artefacts/screenshots/NAME.png and returns its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str) -> Path:
        path = SCREENSHOTS / f"{_slug(name)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(scope="session")
def axe() -> Axe:
    """Runs axe-core's WCAG 2.1 A and AA rules on a page; one line per violation found.

    A line names the rule, its impact, the element and the rule's help text.
    """
    if not AXE.exists():
        require(f"axe-core is not installed ({AXE} missing): run 'npm ci' (make test does)")
    script = AXE.read_text(encoding="utf-8")

    def run(page: Page) -> list[str]:
        # Through the DevTools protocol, not a <script> tag, so the page's own
        # Content-Security-Policy stays in force and is not what decides whether axe loads.
        session = page.context.new_cdp_session(page)
        session.send("Runtime.evaluate", {"expression": script})
        session.detach()
        result: dict[str, Any] = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            WCAG_TAGS,
        )
        assert result["passes"], "axe-core checked nothing: is the page empty?"
        return [
            f"{violation['id']} ({violation['impact']}) at "
            f"{' '.join(str(part) for part in node['target'])}: {violation['help']}"
            for violation in result["violations"]
            for node in violation["nodes"]
        ]

    return run
