"""The studies list in a real browser: a study from the template, the language switch, 404."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from .conftest import Screenshot


def test_create_a_study_from_the_template(page: Page, screenshot: Screenshot) -> None:
    page.goto("/studies")
    expect(page.get_by_role("heading", level=1, name="Studies")).to_be_visible()
    screenshot(page, "flow-studies-empty")

    template = page.get_by_label("Template", exact=True)
    expect(template).to_be_visible()
    template.select_option(index=0)
    page.get_by_label("Organisation", exact=True).fill("Gemeente Testdorp")
    page.get_by_label("Municipality code").fill("GM0344")
    page.get_by_role("button", name="Create study").click()

    expect(page).to_have_url(re.compile(r"/studies/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("Gemeente Testdorp").first).to_be_visible()
    screenshot(page, "flow-study-overview")

    page.get_by_role("link", name="Studies", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/studies$"))
    expect(page.get_by_role("cell", name="Gemeente Testdorp")).to_be_visible()
    screenshot(page, "flow-studies-list")


def test_the_language_switch_goes_from_dutch_to_english_and_back(dutch_page: Page) -> None:
    page = dutch_page
    page.goto("/studies")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "nl")
    dutch_heading = page.get_by_role("heading", level=1).inner_text()

    page.get_by_role("button", name="English").click()
    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/studies$"))
    expect(page.get_by_role("heading", level=1, name="Studies")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    assert dutch_heading != "Studies", "the Dutch page shows the English heading"

    page.reload()  # the choice is remembered
    expect(html).to_have_attribute("lang", "en")

    page.get_by_role("button", name="Nederlands").click()
    expect(html).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1, name=dutch_heading)).to_be_visible()
    expect(page.get_by_role("button", name="Nederlands")).to_have_attribute("aria-pressed", "true")


def test_the_language_switch_keeps_the_reader_on_the_same_page(
    dutch_page: Page, study: dict[str, Any]
) -> None:
    page = dutch_page
    address = study["links"]["page"]
    page.goto(address)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(re.escape(address) + "$"))


def test_a_missing_page_looks_like_the_product(page: Page, screenshot: Screenshot) -> None:
    response = page.goto("/studies/987654")
    assert response is not None
    assert response.status == 404
    expect(page).to_have_title(re.compile("Koers"))
    expect(page.get_by_role("heading", level=1, name="Page not found")).to_be_visible()
    # The same frame as every page: the brand, the site navigation, the language switch.
    expect(page.get_by_role("link", name="Koers", exact=True)).to_be_visible()
    expect(page.get_by_role("navigation", name="Site")).to_be_visible()
    expect(page.get_by_role("button", name="Nederlands")).to_be_visible()
    expect(page.get_by_role("main")).to_be_visible()
    assert "Traceback" not in page.content()
    screenshot(page, "flow-not-found")


def test_an_unknown_address_gets_the_same_404_page(page: Page) -> None:
    response = page.goto("/no/such/page")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1, name="Page not found")).to_be_visible()


def test_the_language_switch_keeps_the_query(dutch_page: Page, study: dict[str, Any]) -> None:
    # A reader who fixed variants on the tableau, or chose a source in the matrix editor,
    # keeps that view in the other language.
    page = dutch_page
    address = study["links"]["page"] + "/matrix?source=verandering"
    page.goto(address)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(re.escape(address) + "$"))
