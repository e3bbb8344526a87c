"""The report button: the study's board report as a PDF or one HTML file, over HTTP."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from koers.services.studies import demo_observations
from koers.web.routes import report


@pytest.fixture
def reporting(client: TestClient) -> TestClient:
    """The client, with the report's routes installed when web/app.py does not yet."""
    paths = {getattr(route, "path", "") for route in client.app.routes}  # type: ignore[attr-defined]
    if "/studies/{study_id}/report.pdf" not in paths:
        report.install(client.app)  # type: ignore[arg-type]
    return client


def test_the_report_is_a_pdf(reporting: TestClient, study_id: int) -> None:
    workbench = reporting.app.state.workbench  # type: ignore[attr-defined]
    # The demo data are for Utrecht (GM0344); the fixture study is for Zeist (GM0355).
    data = demo_observations().read_bytes().replace(b"GM0344", b"GM0355")
    workbench.import_observations(study_id, data, "demo.csv")
    response = reporting.get(f"/studies/{study_id}/report.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "attachment" in response.headers["content-disposition"]


def test_the_report_as_html_in_english_and_final(reporting: TestClient, study_id: int) -> None:
    response = reporting.get(f"/studies/{study_id}/report.html?lang=en&status=definitief")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "Gemeente Zeist" in page and "Bridging" in page and "final" in page
    assert "<script" not in page


def test_a_missing_study_and_a_bad_status(reporting: TestClient, study_id: int) -> None:
    assert reporting.get("/studies/999999/report.pdf").status_code == 404
    assert reporting.get(f"/studies/{study_id}/report.pdf?status=klaar").status_code == 422
