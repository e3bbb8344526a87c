"""A scenario in a real browser: read it, edit it in place, and meet someone else's edit."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import Screenshot

# The versioned saves and the solver's input come from the database: run on both.
pytestmark = pytest.mark.parametrize(
    "live_server", ["sqlite", "postgresql"], indirect=True, scope="module"
)


def _open_first_scenario(page: Page, study: dict[str, Any]) -> str:
    """Goes from the study's overview to the first scenario of the 2x2 matrix; its address."""
    page.goto(study["links"]["page"])
    quadrants = page.get_by_role("list", name="The four scenarios")
    expect(quadrants.get_by_role("link")).to_have_count(4)
    quadrants.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/scenarios/[^/]+$"))
    address: str = page.url
    return address


def _summary_editor(page: Page) -> Locator:
    """Opens the in-place editor of the summary; the region that holds it."""
    region = page.get_by_role("region", name="Summary")
    region.locator("summary").click()
    expect(region.get_by_label("Summary (English)")).to_be_visible()
    return region


def test_edit_a_scenario_and_see_it_saved(
    page: Page, study: dict[str, Any], screenshot: Screenshot
) -> None:
    _open_first_scenario(page, study)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, "flow-scenario")
    version = page.get_by_text(re.compile(r"^Version \d+$")).inner_text()

    region = _summary_editor(page)
    new_summary = "The council meets online every week; the budget holds until spring."
    region.get_by_label("Summary (English)").fill(new_summary)
    screenshot(page, "flow-scenario-editing")
    region.get_by_role("button", name="Save").click()

    expect(
        page.get_by_role("region", name="Summary").get_by_text(new_summary).first
    ).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Version \d+$"))).not_to_have_text(version)
    page.reload()  # saved, not only shown
    expect(
        page.get_by_role("region", name="Summary").get_by_text(new_summary).first
    ).to_be_visible()


def test_a_conflicting_edit_gets_the_conflict_page_with_both_values(
    page: Page, other_page: Page, study: dict[str, Any], screenshot: Screenshot
) -> None:
    address = _open_first_scenario(page, study)
    other_page.goto(address)

    mine = "Ours: the crisis is over by the summer."
    theirs = "Theirs: the crisis lasts two more years."
    first = _summary_editor(other_page)
    first.get_by_label("Summary (English)").fill(theirs)
    first.get_by_role("button", name="Save").click()
    expect(
        other_page.get_by_role("region", name="Summary").get_by_text(theirs).first
    ).to_be_visible()

    # The first reader still has the old version in the form and saves on top of it.
    second = _summary_editor(page)
    second.get_by_label("Summary (English)").fill(mine)
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        second.get_by_role("button", name="Save").click()
    assert posted.value.status == 409
    expect(
        page.get_by_role("heading", level=1, name="Someone else changed this first")
    ).to_be_visible()
    compare = page.get_by_role("table", name="Your version and the stored version")
    differs = compare.get_by_role("row").filter(has_text="differs")
    expect(differs).to_have_count(1)
    expect(differs.get_by_role("cell").nth(0)).to_contain_text(mine)
    expect(differs.get_by_role("cell").nth(1)).to_contain_text(theirs)
    screenshot(page, "flow-conflict")

    # Nothing of ours was written over theirs.
    other_page.reload()
    expect(
        other_page.get_by_role("region", name="Summary").get_by_text(theirs).first
    ).to_be_visible()

    # Choosing ours, knowingly, saves it.
    page.get_by_role("button", name="Save my version").click()
    expect(page.get_by_role("region", name="Summary").get_by_text(mine).first).to_be_visible()
