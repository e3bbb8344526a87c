"""The cross-impact matrix editor and the consistent-scenarios tableau in a real browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from .conftest import LiveServer, Screenshot

# The versioned saves and the solver's input come from the database: run on both.
pytestmark = pytest.mark.parametrize(
    "live_server", ["sqlite", "postgresql"], indirect=True, scope="module"
)

OUT_OF_RANGE = "Enter a whole number from -3 to +3 (empty is 0)."


def _study_page(page: Page, study: dict[str, Any], link: str) -> None:
    """Opens the study's overview, then one of its pages by the study navigation."""
    page.goto(study["links"]["page"])
    page.get_by_role("navigation", name="Study").get_by_role("link", name=link).click()


def _first_section(page: Page) -> Locator:
    """The first section of the matrix editor: the first source's impact on one target."""
    section = page.get_by_role("main").get_by_role("region").first
    expect(section.get_by_role("table")).to_be_visible()
    return section


def _cell(section: Locator, row: str, column: str) -> Locator:
    return section.get_by_label(f"Impact of {row} on {column}", exact=True)


def _tableau(page: Page) -> tuple[str, str]:
    """The tableau's summary line and its table, as text."""
    summary = page.get_by_role("status").filter(has_text="consistent scenarios")
    table = page.get_by_role("table", name="Scenario tableau")
    return summary.inner_text(), table.inner_text() if table.count() else ""


def _variant_in_first_scenario(page: Page, descriptor: str) -> str:
    header = page.get_by_role("rowheader", name=descriptor, exact=True)
    row = page.get_by_role("table", name="Scenario tableau").get_by_role("row").filter(has=header)
    return str(row.get_by_role("cell").first.inner_text()).strip()


def test_arrow_keys_move_between_cells(
    page: Page, study: dict[str, Any], screenshot: Screenshot
) -> None:
    _study_page(page, study, "Cross-impact matrix")
    expect(
        page.get_by_role("heading", level=1, name=re.compile("Cross-impact matrix"))
    ).to_be_visible()
    screenshot(page, "flow-matrix")
    section = _first_section(page)
    cells = section.get_by_role("textbox")
    start = cells.nth(0)
    start.focus()
    expect(start).to_be_focused()

    page.keyboard.press("ArrowRight")
    expect(cells.nth(1)).to_be_focused()
    columns = section.get_by_role("columnheader").count()
    page.keyboard.press("ArrowDown")
    expect(cells.nth(columns + 1)).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(cells.nth(columns)).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(start).to_be_focused()
    page.keyboard.press("ArrowUp")  # the edge: nowhere to go, focus stays
    expect(start).to_be_focused()


def test_typing_4_is_refused_with_a_message(
    page: Page, study: dict[str, Any], screenshot: Screenshot
) -> None:
    _study_page(page, study, "Cross-impact matrix")
    section = _first_section(page)
    cell = section.get_by_role("textbox").first
    before = cell.input_value()
    cell.focus()
    page.keyboard.type("4")

    expect(cell).to_have_attribute("aria-invalid", "true")
    expect(section.get_by_role("status")).to_have_text(OUT_OF_RANGE)
    screenshot(page, "flow-matrix-refused")
    address = page.url
    section.get_by_role("button", name=re.compile("^Save section")).click()
    expect(cell).to_be_focused()  # the form was not sent; the reader is taken to the bad cell
    assert page.url == address
    page.reload()
    expect(_first_section(page).get_by_role("textbox").first).to_have_value(before)

    # Back in range, the message goes.
    cell = _first_section(page).get_by_role("textbox").first
    cell.focus()
    page.keyboard.type("4")
    page.keyboard.press("Backspace")
    page.keyboard.type("-2")
    expect(cell).to_have_attribute("aria-invalid", "false")
    expect(_first_section(page).get_by_role("status")).to_have_text("")


def test_without_javascript_the_server_refuses_4(
    browser: Browser, live_server: LiveServer, study: dict[str, Any]
) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.add_cookies([{"name": "koers_lang", "value": "en", "url": live_server.url}])
    page = context.new_page()
    try:
        _study_page(page, study, "Cross-impact matrix")
        section = _first_section(page)
        section.get_by_role("textbox").first.fill("4")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            section.get_by_role("button", name=re.compile("^Save section")).click()
        assert posted.value.status == 422
        expect(page.get_by_role("main")).to_contain_text("-3")
        expect(page.get_by_role("main")).to_contain_text("+4")
    finally:
        context.close()


def test_a_changed_judgement_changes_the_consistent_scenarios(
    page: Page, study: dict[str, Any], screenshot: Screenshot
) -> None:
    _study_page(page, study, "Consistent scenarios")
    expect(page.get_by_role("heading", level=1, name="Consistent scenarios")).to_be_visible()
    screenshot(page, "flow-tableau")
    summary_before, table_before = _tableau(page)

    # Make the first consistent scenario inconsistent: its first descriptor now strongly
    # hinders the variant the second takes there and strongly promotes another one.
    header = page.get_by_role("table", name="Scenario tableau").get_by_role("rowheader")
    first_descriptor = header.nth(0).inner_text().strip()
    second_descriptor = header.nth(1).inner_text().strip()
    source_variant = _variant_in_first_scenario(page, first_descriptor)
    target_variant = _variant_in_first_scenario(page, second_descriptor)

    page.get_by_role("navigation", name="Study").get_by_role(
        "link", name="Cross-impact matrix"
    ).click()
    section = page.get_by_role("region", name=f"{first_descriptor} → {second_descriptor}")
    expect(section).to_be_visible()
    others = [
        name.strip()
        for name in section.get_by_role("columnheader").all_inner_texts()
        if name.strip() and name.strip() != target_variant
    ]
    _cell(section, source_variant, target_variant).fill("-3")
    _cell(section, source_variant, others[0]).fill("+3")
    section.get_by_label("Reason (English)").fill("A browser test turned this around.")
    section.get_by_role("button", name=re.compile("^Save section")).click()

    expect(page).to_have_url(re.compile(r"/matrix"))
    saved = page.get_by_role("region", name=f"{first_descriptor} → {second_descriptor}")
    expect(_cell(saved, source_variant, target_variant)).to_have_value(re.compile(r"^[-\u2212]3$"))
    expect(_cell(saved, source_variant, others[0])).to_have_value("+3")

    page.get_by_role("navigation", name="Study").get_by_role(
        "link", name="Consistent scenarios"
    ).click()
    expect(page).to_have_url(re.compile(r"/tableau$"))
    summary_after, table_after = _tableau(page)
    assert (summary_after, table_after) != (summary_before, table_before)
    screenshot(page, "flow-tableau-changed")


def test_the_intervention_panel_fixes_a_variant(
    page: Page, study: dict[str, Any], screenshot: Screenshot
) -> None:
    _study_page(page, study, "Consistent scenarios")
    summary_before, _ = _tableau(page)
    panel = page.get_by_role("region", name="Interventions")
    choice = panel.get_by_role("combobox").first
    options = choice.get_by_role("option").all_inner_texts()
    choice.select_option(label=options[-1].strip())
    panel.get_by_role("button", name="Apply").click()

    expect(page).to_have_url(re.compile(r"fix-"))
    expect(
        page.get_by_role("region", name="Interventions").get_by_role("combobox").first
    ).to_have_value(re.compile(".+"))
    table = page.get_by_role("table", name="Scenario tableau")
    if table.count():
        expect(table.get_by_text("fixed").first).to_be_visible()
        expect(
            table.get_by_role("row", name=re.compile("Also consistent without interventions"))
        ).to_be_visible()
    screenshot(page, "flow-tableau-intervention")

    page.get_by_role("link", name="Clear all").click()
    expect(page).to_have_url(re.compile(r"/tableau$"))
    summary_cleared, _ = _tableau(page)
    assert summary_cleared == summary_before
