"""The signals dashboard in a real browser: the demo study, an import, an alert acknowledged.

The flow of issue 5's "done when": a new user imports the template's example file for the
demo study, sees a trigger fire with its agreed response, acknowledges it, and reads the
page in both languages; axe-core finds no WCAG violation either way.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from .conftest import Axe, LiveServer, Screenshot


@pytest.fixture
def demo(live_server: LiveServer) -> int:
    """The id of the demo study (the template for the example municipality, with its data)."""
    study_id: int = live_server.app.state.workbench.ensure_demo()
    return study_id


@pytest.fixture
def example_file(live_server: LiveServer, tmp_path: Path) -> Path:
    """The template's example import file, saved where the browser can pick it."""
    name, content = live_server.app.state.workbench.example_observations()
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _alerts(page: Page, level: str, status: str) -> dict[str, Locator]:
    """The alerts of ``level`` with ``status`` on the page, by their element id."""
    found = {}
    for alert in page.locator(f"li.alert.alert-{level}").all():
        if alert.locator(f".status-{status}").count():
            found[str(alert.get_attribute("id"))] = alert
    return found


def test_import_a_file_see_a_red_alert_and_acknowledge_it(
    page: Page, demo: int, example_file: Path, screenshot: Screenshot, axe: Axe
) -> None:
    page.goto(f"/studies/{demo}/signals")
    expect(page.get_by_role("heading", level=1, name="Signals")).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text(re.compile("the signals point (most|equally) to"))
    expect(main).to_contain_text("The position is")
    expect(
        page.get_by_role("img", name="Position and trajectory on the scenario matrix")
    ).to_be_visible()
    expect(page.get_by_role("img", name="Likelihood per scenario")).to_be_visible()
    charts = page.locator(".small-multiples svg.figure")
    assert charts.count() >= 12, "one chart per signpost"
    expect(charts.first).to_be_visible()
    before = set(_alerts(page, "red", "new"))

    page.get_by_label("File of observations (.csv or .xlsx)").set_input_files(example_file)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page).to_have_url(re.compile(r"/signals\?added=\d+"))
    expect(page.get_by_role("status")).to_contain_text("Imported:")

    fired = {key: alert for key, alert in _alerts(page, "red", "new").items() if key not in before}
    assert fired, "the example file fires no new red trigger"
    key, alert = sorted(fired.items())[0]
    expect(alert).to_contain_text("Agreed response:")
    screenshot(page, "flow-signals-alert")

    alert.get_by_role("button", name=re.compile("^Acknowledge")).click()
    expect(page).to_have_url(re.compile(rf"#{re.escape(key)}$"))
    acknowledged = page.locator(f"li[id='{key}']")
    expect(acknowledged.locator(".status-acknowledged")).to_be_visible()
    expect(acknowledged.get_by_role("button", name=re.compile("^Acknowledge"))).to_have_count(0)
    screenshot(page, "flow-signals-acknowledged-en")
    violations = axe(page)
    assert not violations, "signals (en):\n" + "\n".join(violations)

    page.get_by_role("button", name="Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1, name="Signalen")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        re.compile("wijzen de signalen (het meest|even sterk) naar")
    )
    screenshot(page, "flow-signals-acknowledged-nl")
    violations = axe(page)
    assert not violations, "signals (nl):\n" + "\n".join(violations)


def test_a_bad_file_lists_its_problems(page: Page, demo: int, tmp_path: Path) -> None:
    bad = tmp_path / "fout.csv"
    bad.write_text("indicator,region,period,value\nbestaat-niet,GM0355,maart,1\n", "utf-8")
    page.goto(f"/studies/{demo}/signals")
    page.get_by_label("File of observations (.csv or .xlsx)").set_input_files(bad)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Import", exact=True).click()
    assert posted.value.status == 422
    table = page.get_by_role("table", name="Problems in the file")
    expect(table).to_be_visible()
    expect(table.get_by_role("row")).not_to_have_count(1)  # a header and at least one problem
