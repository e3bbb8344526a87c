"""Every page passes axe-core's WCAG 2.1 A and AA rules, in Dutch and in English.

Each page is also saved as a full-page screenshot in artefacts/screenshots/ to look at.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import Axe, LiveServer, Screenshot


def _overview(page: Page, study: dict[str, Any]) -> None:
    page.goto(study["links"]["page"])


def _studies(page: Page, study: dict[str, Any]) -> None:
    page.goto("/studies")


def _study_nav(position: int) -> Callable[[Page, dict[str, Any]], None]:
    """Follows the study navigation's link at ``position`` (names differ per language)."""

    def go(page: Page, study: dict[str, Any]) -> None:
        page.goto(study["links"]["page"])
        page.locator("nav.study-nav li a").nth(position).click()
        page.wait_for_load_state()

    return go


def _scenario(page: Page, study: dict[str, Any]) -> None:
    page.goto(study["links"]["page"])
    page.locator(".quadrants a").first.click()
    expect(page).to_have_url(re.compile(r"/scenarios/"))


def _scenario_editing(page: Page, study: dict[str, Any]) -> None:
    _scenario(page, study)
    page.locator("details.edit summary").first.click()


def _tableau_fixed(page: Page, study: dict[str, Any]) -> None:
    _study_nav(3)(page, study)
    choice = page.locator("form.interventions select").first
    choice.select_option(index=1)
    page.locator("form.interventions button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"fix-"))


def _matrix_refused(page: Page, study: dict[str, Any]) -> None:
    _study_nav(2)(page, study)
    page.locator("[data-cell]").first.fill("4")
    page.locator("[data-cell]").first.dispatch_event("input")


def _study_link(suffix: str) -> Callable[[Page, dict[str, Any]], None]:
    """Follows the study navigation's link whose address ends in ``/suffix``."""

    def go(page: Page, study: dict[str, Any]) -> None:
        page.goto(study["links"]["page"])
        page.locator(f'nav.study-nav a[href$="/{suffix}"]').click()
        page.wait_for_load_state()

    return go


def _chain_run(page: Page, study: dict[str, Any]) -> None:
    _study_link("chains")(page, study)
    page.locator("select[data-shock]").nth(1).select_option(index=1)
    page.locator("form.chain-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"shock-"))


def _strategy_page(suffix: str) -> Callable[[Page, dict[str, Any]], None]:
    """A page of the strategy review (issue 6), reached from the study's navigation."""

    def go(page: Page, study: dict[str, Any]) -> None:
        _study_link("strategy")(page, study)
        if suffix:
            page.locator(f"nav.strategy-tabs a[href$='/strategy/{suffix}']").click()
            page.wait_for_load_state()

    return go


def _strategy_deciding(page: Page, study: dict[str, Any]) -> None:
    _study_link("strategy")(page, study)
    page.locator(".policy-advice details.edit summary").first.click()


def _strategy_refused(page: Page, study: dict[str, Any]) -> None:
    import tempfile
    from pathlib import Path

    from openpyxl import Workbook

    _study_link("strategy")(page, study)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Naam", "Budget"])
    sheet.append(["Buurtteams", "veel"])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "slecht.xlsx"
        book.save(path)
        page.locator("#registers-file").set_input_files(path)
        page.locator("form.import-form button[type=submit]").click()
        page.wait_for_load_state()


def _not_found(page: Page, study: dict[str, Any]) -> None:
    page.goto("/studies/987654")


def _conflict(page: Page, study: dict[str, Any]) -> None:
    _scenario(page, study)
    form = page.locator("details.edit form").first
    # Someone else saves first: the version in this form is now stale.
    page.evaluate(
        """async (action) => {
            const form = document.querySelector("details.edit form");
            const data = new FormData(form);
            data.set("nl", "Een ander was eerder.");
            data.set("en", "Someone else was first.");
            await fetch(action, {method: "POST", body: new URLSearchParams(data)});
        }""",
        form.get_attribute("action"),
    )
    page.locator("details.edit summary").first.click()
    form.locator("textarea").last.fill("My own words.")
    with page.expect_response(lambda r: r.request.method == "POST"):
        form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def _rounds(page: Page, study: dict[str, Any]) -> None:
    page.goto(f"/studies/{study['id']}/rounds")


def _round_results(page: Page, study: dict[str, Any]) -> None:
    """A round opened through the form, one value given, the facilitator's results."""
    _rounds(page, study)
    page.locator("input[name='selection:judgements'][value='duur:financien']").check()
    page.locator("form.round-open button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/rounds/\d+$"))
    here = page.url
    page.goto(here + "/submit")
    page.locator("select[name='value:duur:korter:financien:krap']").select_option("2")
    page.locator("form.round-form button[type=submit]").click()
    expect(page.locator(".import-summary")).to_be_visible()
    page.goto(here)


def _round_group_view(page: Page, study: dict[str, Any]) -> None:
    """A second round's participant form, with the group's view of the first."""
    _round_results(page, study)
    first = page.url
    page.locator(".round-actions form button[type=submit]").first.click()
    page.locator("form.second-round button[type=submit]").click()
    expect(page).not_to_have_url(first)
    page.goto(page.url + "/submit")


PAGES: dict[str, Callable[[Page, dict[str, Any]], None]] = {
    "studies": _studies,
    "members": _study_link("members"),  # issue 9; /login: test_browser_auth.py (server mode)
    "audit": _study_link("audit"),
    "overview": _overview,
    "scenario": _scenario,
    "scenario-editing": _scenario_editing,
    "descriptors": _study_nav(1),
    "matrix": _study_nav(2),
    "matrix-refused": _matrix_refused,
    "tableau": _study_nav(3),
    "tableau-intervention": _tableau_fixed,
    "signals": _study_nav(4),
    "structure": _study_link("structure"),
    "chains": _study_link("chains"),
    "chains-run": _chain_run,
    "events": _study_link("events"),
    "strategy": _strategy_page(""),
    "strategy-deciding": _strategy_deciding,
    "strategy-import-refused": _strategy_refused,
    "strategy-judge": _strategy_page("judge"),
    "strategy-assumptions": _strategy_page("assumptions"),
    "strategy-pathways": _strategy_page("pathways"),
    "strategy-initiatives": _strategy_page("initiatives"),
    "conflict": _conflict,
    "not-found": _not_found,
    "rounds": _rounds,
    "round-results": _round_results,
    "round-group-view": _round_group_view,
}


@pytest.fixture(params=["nl", "en"])
def reader(
    request: pytest.FixtureRequest, browser: Browser, live_server: LiveServer
) -> Iterator[Page]:
    """A page reading ``nl`` or ``en``."""
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 800}
    )
    context.add_cookies([{"name": "koers_lang", "value": request.param, "url": live_server.url}])
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_wcag_violations(
    name: str, reader: Page, study: dict[str, Any], axe: Axe, screenshot: Screenshot
) -> None:
    PAGES[name](reader, study)
    language = reader.locator("html").get_attribute("lang")
    screenshot(reader, f"{name}-{language}")
    violations = axe(reader)
    assert not violations, f"{name} ({language}):\n" + "\n".join(violations)
