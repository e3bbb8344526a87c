"""Drivers, chain reactions and events (issue 7) in a real browser, in both languages.

Each page opens from the study navigation; a chain is followed after a shock chosen in the
form, and read again in Dutch after the language switch; a simulation is run from the form.
Every page state is saved as a screenshot and checked by axe-core.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from koers.model import Study

from .conftest import Axe, LiveServer, Screenshot

EVENTS: dict[str, Any] = {
    "events": [
        {
            "key": "golf",
            "name": {"nl": "Een nieuwe besmettingsgolf", "en": "A new wave of infections"},
            "probability": 0.4,
        },
        {
            "key": "lockdown",
            "name": {"nl": "Nieuwe lockdown", "en": "New lockdown"},
            "probability": 0.2,
        },
        {
            "key": "faillissementen",
            "name": {"nl": "Golf van faillissementen", "en": "Wave of bankruptcies"},
            "probability": 0.25,
        },
    ],
    "event_impacts": [
        {"source": "golf", "target": "lockdown", "strength": 3},
        {"source": "lockdown", "target": "faillissementen", "strength": 2},
        {"source": "faillissementen", "target": "golf", "strength": -1},
    ],
}


@pytest.fixture
def demo(live_server: LiveServer) -> int:
    """The demo study (with observations, so the signals give a current state)."""
    study_id: int = live_server.app.state.workbench.ensure_demo()
    return study_id


@pytest.fixture
def eventful(live_server: LiveServer, demo: int) -> int:
    """A copy of the demo study with three events and their impacts."""
    workbench = live_server.app.state.workbench
    data = workbench.get(demo).study.model_dump(mode="json")
    data["title"] = {"nl": "Met gebeurtenissen", "en": "With events"}
    study_id: int = workbench.repository.add_study(Study.model_validate({**data, **EVENTS}))
    return study_id


def _nav(page: Page, study_id: int, name: str) -> None:
    page.goto(f"/studies/{study_id}")
    page.locator("nav.study-nav").get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state()


def test_structure_page_shows_the_map_the_rankings_and_the_suggestions(
    page: Page, demo: int, screenshot: Screenshot, axe: Axe
) -> None:
    page.goto(f"/studies/{demo}")
    hint = page.locator("section.drivers-hint")
    expect(hint).to_contain_text("as the axes of the scenario matrix")
    hint.get_by_role("link", name="To the drivers").click()
    expect(page).to_have_url(re.compile(rf"/studies/{demo}/structure$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Drivers: structural analysis")
    figure = page.get_by_role("img", name="Influence and dependence of the factors")
    expect(figure).to_be_visible()
    assert figure.locator("circle.factor").count() == 12
    assert page.locator("table.rankings tbody tr").count() == 12
    expect(page.locator(".suggestions")).to_contain_text("Places for leading indicators")
    screenshot(page, "structure-en")
    assert not axe(page)


def test_a_chain_with_a_shock_in_english_then_in_dutch(
    page: Page, demo: int, screenshot: Screenshot, axe: Axe
) -> None:
    _nav(page, demo, "Chain reactions")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chain reactions")
    page.locator("#chain-base").select_option("best")
    page.locator("#shock-verandering").select_option("minder")
    page.get_by_label("Adiabatic: one descriptor at a time", exact=False).check()
    page.get_by_role("button", name="Follow the chain").click()
    expect(page).to_have_url(re.compile(r"shock-verandering=minder"))
    expect(page).to_have_url(re.compile(r"rule=adiabatic"))
    expect(page.locator(".chain-summary")).to_contain_text("The chain ends in")
    expect(page.get_by_role("img", name="The chain step by step")).to_be_visible()
    expect(page.get_by_role("img", name="Network of the impacts in the chain")).to_be_visible()
    steps = page.locator("ol.chain-steps > li")
    assert steps.count() >= 2
    expect(steps.first).to_contain_text("flips from")
    assert page.locator("svg g.flip title").count() >= 2  # each flip says why on hover
    expect(page.locator("#shock-verandering")).to_have_value("minder")
    screenshot(page, "chains-run-en")
    assert not axe(page)

    page.get_by_role("button", name="Nederlands").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page).to_have_url(re.compile(r"shock-verandering=minder"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kettingreacties")
    expect(page.locator(".chain-summary")).to_contain_text("De keten eindigt")
    expect(page.locator("ol.chain-steps > li").first).to_contain_text("slaat om van")
    screenshot(page, "chains-run-nl")
    assert not axe(page)


def test_events_simulation_from_the_form(
    page: Page, eventful: int, screenshot: Screenshot, axe: Axe
) -> None:
    _nav(page, eventful, "Events")
    expect(page.get_by_role("heading", level=1)).to_have_text("Events")
    assert page.locator("table.event-matrix tbody tr").count() == 3
    page.get_by_label("Runs").fill("20000")
    page.get_by_label("Seed").fill("5")
    page.get_by_role("button", name="Run the simulation").click()
    expect(page).to_have_url(re.compile(r"runs=20000&seed=5"))
    expect(page.get_by_role("img", name="Probability of each event")).to_be_visible()
    expect(page.locator("#results")).to_contain_text("20,000 runs with seed 5")
    assert page.locator("table.effects tbody tr").count() == 3
    screenshot(page, "events-run-en")
    assert not axe(page)


def test_events_page_without_events_explains_how_to_add_them(
    dutch_page: Page, demo: int, screenshot: Screenshot, axe: Axe
) -> None:
    dutch_page.goto(f"/studies/{demo}/events")
    expect(dutch_page.get_by_role("heading", level=2).first).to_contain_text("nog geen")
    expect(dutch_page.locator("pre.example")).to_contain_text("event_impacts:")
    screenshot(dutch_page, "events-empty-nl")
    assert not axe(dutch_page)
