"""A two-round workshop in the browser (issue 9): a facilitator and three participants, each
in a browser context of their own (their own session cookie), on a server that requires
sign-in.

The round asks the section duur -> financien of the Corona template. Round 1 on the cell
korter -> krap (no judgement in the template): anouk +1, bram +2, carla +3, median +2. Round 2,
with the group's view: +2, +2, +3, median +2, which is applied; the study's cell becomes +2.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from playwright.sync_api import Browser, BrowserContext, Page, expect

from koers.services.accounts import Accounts
from koers.store.repository import Repository

from .conftest import TIMEOUT_MS, Screenshot, _serve

KRAP = "duur:korter:financien:krap"
PEOPLE = {"anouk": ("+1", "+2"), "bram": ("+2", "+2"), "carla": ("+3", "+3")}


@pytest.fixture(scope="module")
def workshop_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The app with sign-in (not local mode), a study, a facilitator and three participants,
    each with a session token."""
    from koers.web.app import Settings, create_app

    database_url = f"sqlite:///{tmp_path_factory.mktemp('rounds') / 'koers.db'}"
    repository = Repository.open(database_url)
    app = create_app(
        Settings(database=database_url, secret_key="browser-test"), repository=repository
    )
    study_id = app.state.workbench.create_from_template(
        "corona-lokale-besturen", organisation="Gemeente Zeist"
    )
    accounts = Accounts(repository, hasher=PasswordHasher(time_cost=1, memory_cost=8))
    tokens = {}
    for name, role in [("fien", "facilitator")] + [(p, "participant") for p in PEOPLE]:
        user = accounts.create_user(name, None)
        accounts.grant(name, study_id, role)
        tokens[name] = accounts.start_session(user)
    try:
        with _serve(app) as url:
            yield {"url": url, "study": study_id, "tokens": tokens, "repository": repository}
    finally:
        repository.close()


def _person(browser: Browser, server: dict[str, Any], name: str) -> BrowserContext:
    context = browser.new_context(
        base_url=server["url"], locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies(
        [
            {"name": "koers_session", "value": server["tokens"][name], "url": server["url"]},
            {"name": "koers_lang", "value": "en", "url": server["url"]},
        ]
    )
    return context


def _give(page: Page, submit: str, value: str, reason: str) -> None:
    page.goto(submit)
    page.locator(f"select[name='value:{KRAP}']").select_option(value=value.lstrip("+"))
    page.locator(f"input[name='reason:{KRAP}']").fill(reason)
    page.get_by_role("button", name="Save my values").click()
    expect(page.locator(".import-summary")).to_contain_text("Saved")


def test_a_facilitator_and_three_participants_run_two_rounds(
    browser: Browser, workshop_server: dict[str, Any], screenshot: Screenshot
) -> None:
    server = workshop_server
    contexts = {name: _person(browser, server, name) for name in ["fien", *PEOPLE]}
    try:
        pages = {name: context.new_page() for name, context in contexts.items()}
        fien = pages["fien"]
        fien.goto(f"/studies/{server['study']}/rounds")
        fien.locator("#kind-judgements").check()
        fien.locator("input[name='selection:judgements'][value='duur:financien']").check()
        fien.get_by_role("button", name="Open the round").click()
        expect(fien).to_have_url(re.compile(r"/rounds/\d+$"))
        first = fien.url.removeprefix(server["url"])
        progress = fien.locator("[data-poll-field='submissions']")
        expect(progress).to_have_text("0")
        for name, (value, _second) in PEOPLE.items():
            _give(pages[name], f"{first}/submit", value, f"argument {len(name)}")
        # The facilitator's page follows without a reload (koers.js polls every 5 s).
        expect(progress).to_have_text("3", timeout=15_000)
        fien.reload()
        expect(fien.locator(".heat-block svg")).to_be_visible()
        expect(fien.locator(".results-table")).to_contain_text("+2")
        screenshot(fien, "rounds-results")
        fien.get_by_role("button", name="Close the round").click()
        fien.get_by_role("button", name="Start a second round").click()
        expect(fien).to_have_url(re.compile(r"/rounds/\d+$"))
        second = fien.url.removeprefix(server["url"])
        assert second != first
        for name, (_first, value) in PEOPLE.items():
            page = pages[name]
            page.goto(f"{second}/submit")
            view = page.locator(f".round-item:has(select[name='value:{KRAP}']) .group-view")
            expect(view).to_contain_text("+2")  # the group's median of round 1
            expect(view).to_contain_text("argument 5")  # anouk's and carla's reasons, no names
            expect(view).not_to_contain_text("anouk")
            if name == "bram":
                screenshot(page, "rounds-group-view")
            _give(page, f"{second}/submit", value, "")
        fien.reload()
        expect(fien.locator("[data-poll-field='submissions']")).to_have_text("3")
        fien.get_by_role("button", name="Close the round").click()
        fien.get_by_role("button", name="Apply the group's values to the study").click()
        expect(fien.locator("#record")).to_be_visible()
        expect(fien.locator(".round-record")).to_contain_text("Applied by fien; 3 participants.")
        study = server["repository"].get_study(server["study"]).study
        section = study.judgement_section("duur", "financien")
        assert section is not None and section.score("korter", "krap") == 2
    finally:
        for context in contexts.values():
            context.close()


def test_the_participant_form_fits_a_phone(
    browser: Browser, workshop_server: dict[str, Any]
) -> None:
    server = workshop_server
    context = _person(browser, server, "fien")
    opened = context.request.get(f"{server['url']}/api/studies/{server['study']}/rounds")
    assert opened.ok
    phone = browser.new_context(
        base_url=server["url"], viewport={"width": 360, "height": 740}, is_mobile=True
    )
    phone.add_cookies(
        [{"name": "koers_session", "value": server["tokens"]["bram"], "url": server["url"]}]
    )
    try:
        rounds = opened.json()["rounds"]
        page = phone.new_page()
        page.goto(rounds[-1]["links"]["submit"])
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"the form scrolls sideways on a phone: {width} px wide"
    finally:
        context.close()
        phone.close()
