"""The strategy review in a real browser: issue 6's "done when".

A new user imports a policy list from Excel, two participants judge it in two browser
contexts at the same time, and the review shows a recommendation with its reasons; a
decision is recorded beside it; the page reads in both languages; a bad file is refused
with its rows and columns and changes nothing; axe-core finds no WCAG violation.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from .conftest import Axe, Screenshot

SCENARIOS = ("overbruggen", "overleven", "aanpassen", "transformeren")
# Scores per scenario, in the order above. Buurtteams: (2+1)/2, (2+2)/2, (2+1)/2, (1+1)/2 =
# 1.5, 2, 1.5, 1: at least 1 everywhere, so keep. Groen: (2+1)/2 = 1.5, (-1-2)/2 = -1.5,
# (1+1)/2 = 1, (0-1)/2 = -0.5: below 1 in overleven and transformeren.
ANNA = {"buurtteams": (2, 2, 2, 1), "groen": (2, -1, 1, 0)}
BRAM = {"buurtteams": (1, 2, 1, 1), "groen": (1, -2, 1, -1)}


def policy_list(folder: Path, rows: list[list[Any]], name: str = "beleid.xlsx") -> Path:
    """A workbook as a municipality might keep it: one sheet 'Beleid'."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Beleid"
    for row in rows:
        sheet.append(row)
    path = folder / name
    book.save(path)
    return path


def judge(page: Page, study_id: int, name: str, scores: dict[str, tuple[int, ...]]) -> None:
    page.goto(f"/studies/{study_id}/strategy/judge")
    page.get_by_label("Your name").fill(name)
    for policy, values in scores.items():
        for scenario, value in zip(SCENARIOS, values, strict=True):
            page.locator(f"#score-{policy}--{scenario}").select_option(str(value))
    page.locator("#reason-groen--overleven").fill(f"{name}: geen budget in een lange crisis")
    page.get_by_role("button", name="Save my scores").click()
    expect(page.get_by_role("status")).to_contain_text(f"Saved: the scores of {name}.")


def test_import_judge_with_two_participants_and_read_the_recommendation(
    page: Page,
    other_page: Page,
    study: dict[str, Any],
    tmp_path: Path,
    screenshot: Screenshot,
    axe: Axe,
) -> None:
    study_id = study["id"]
    page.goto(f"/studies/{study_id}")
    page.get_by_role("link", name="Strategy", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Strategy review")).to_be_visible()

    # A bad file first: refused with its rows and columns, nothing changed.
    bad = policy_list(tmp_path, [["Naam", "Budget"], ["Buurtteams", "veel"]], "slecht.xlsx")
    page.get_by_label("Policy list or registers (.xlsx or .csv)").set_input_files(bad)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The file could not be imported")
    problems = page.get_by_role("table", name="Problems in the file")
    expect(problems.locator("tbody tr")).to_have_count(1)
    expect(problems.locator("tbody tr td").nth(1)).to_have_text("2")  # row
    expect(problems.locator("tbody tr td").nth(2)).to_have_text("2")  # column
    screenshot(page, "flow-strategy-import-refused")
    page.get_by_role("link", name="Back to the strategy review").click()
    expect(page.locator("#policy-buurtteams")).to_have_count(0)

    good = policy_list(
        tmp_path,
        [["Naam", "Programma"], ["Buurtteams", "Sociaal domein"], ["Groen", "Ruimte"]],
    )
    page.get_by_label("Policy list or registers (.xlsx or .csv)").set_input_files(good)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Imported: 2 added")

    # Two participants, each in a browser of their own, judge at the same time.
    page.goto(f"/studies/{study_id}/strategy/judge")
    other_page.goto(f"/studies/{study_id}/strategy/judge")
    judge(page, study_id, "Anna", ANNA)
    judge(other_page, study_id, "Bram", BRAM)

    page.goto(f"/studies/{study_id}/strategy")
    neighbourhood = page.locator("#policy-buurtteams")
    expect(neighbourhood).to_contain_text(re.compile(r"Recommendation:\s*keep"))
    expect(neighbourhood).to_contain_text("Fit in every scenario it was judged in.")
    green = page.locator("#policy-groen")
    expect(green).to_contain_text("Recommendation:")
    expect(green).to_contain_text("Below the threshold in: Surviving, Transforming.")
    heat = page.get_by_role("img", name="Policies by scenario")
    expect(heat).to_be_visible()
    # Groen in Surviving: (-1 - 2) / 2 = -1.5, Anna -1 and Bram -2.
    expect(heat).to_contain_text("Groen: Bridging +1.5 (+1 … +2); Surviving -1.5 (-2 … -1)")
    expect(page.locator("table.measures")).to_contain_text("Groen")
    screenshot(page, "flow-strategy-review-en")

    # The team overrules the recommendation, with a reason; both stay in view.
    green.get_by_text("Record a decision").click()
    green.get_by_label("keep", exact=True).check()
    green.get_by_label("Reason").fill("The council wants the green plan kept.")
    green.get_by_label("Decided by").fill("college")
    green.get_by_role("button", name="Record the decision").click()
    green = page.locator("#policy-groen")
    expect(green).to_contain_text("overrules the recommendation")
    expect(green).to_contain_text("The council wants the green plan kept.")
    expect(green.locator(".recommendation")).to_contain_text("Below the threshold in:")
    violations = axe(page)
    assert not violations, "strategy (en):\n" + "\n".join(violations)

    page.get_by_role("button", name="Nederlands").click()
    expect(page.get_by_role("heading", level=1, name="Strategietoets")).to_be_visible()
    expect(page.locator("#policy-groen")).to_contain_text("wijkt af van de aanbeveling")
    expect(page.locator("#policy-buurtteams")).to_contain_text(
        re.compile(r"Aanbeveling:\s*behouden")
    )
    screenshot(page, "flow-strategy-review-nl")
    violations = axe(page)
    assert not violations, "strategy (nl):\n" + "\n".join(violations)


def test_judging_works_by_keyboard_on_a_phone(
    page: Page, study: dict[str, Any], screenshot: Screenshot, axe: Axe
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/studies/{study['id']}/strategy/judge")
    page.get_by_label("Your name").fill("Carla")
    first = page.locator("select[name^='score:']").first
    first.focus()
    page.keyboard.press("ArrowDown")  # not judged -> +2 strong
    expect(first).to_have_value("2")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the form is {width} px wide on a 390 px phone"
    screenshot(page, "flow-strategy-judge-phone")
    page.keyboard.press("Tab")  # on to the reason of the same cell
    expect(page.locator("input[name^='reason:']").first).to_be_focused()
    violations = axe(page)
    assert not violations, "judge (phone):\n" + "\n".join(violations)


@pytest.mark.parametrize("path", ["assumptions", "pathways", "initiatives"])
def test_the_other_strategy_pages(
    page: Page, study: dict[str, Any], path: str, screenshot: Screenshot
) -> None:
    page.goto(f"/studies/{study['id']}/strategy/{path}")
    expect(page.locator("nav.strategy-tabs a[aria-current='page']")).to_have_count(1)
    if path == "pathways":
        expect(page.get_by_role("img", name="Scaling up debt counselling")).to_be_visible()
    if path == "initiatives":
        page.get_by_role("link", name=re.compile(r"^Embedded in \d{4}$")).click()
        expect(page).to_have_url(re.compile(r"embedded=\d{4}"))
    screenshot(page, f"flow-strategy-{path}-en")
