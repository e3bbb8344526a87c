"""``koers serve`` and ``koers demo`` build the workbench app and hand it to uvicorn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from starlette.testclient import TestClient
from typer.testing import CliRunner

from koers.cli import app as cli_app


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What the command passed to ``uvicorn.run`` (which then returns at once)."""
    seen: dict[str, Any] = {}

    def run(app: Any, **options: Any) -> None:
        seen["app"] = app
        seen.update(options)

    monkeypatch.setattr(uvicorn, "run", run)
    return seen


def test_serve_serves_the_workbench_over_the_database(
    served: dict[str, Any], tmp_path: Path
) -> None:
    database = tmp_path / "k.db"
    result = CliRunner().invoke(
        cli_app, ["serve", "--local", "--db", str(database), "--port", "8123"]
    )
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8123/studies" in result.stdout
    assert served["host"] == "127.0.0.1" and served["port"] == 8123
    with TestClient(served["app"]) as client:
        assert client.get("/api/studies").json()["studies"] == []
    assert database.exists()


def test_demo_puts_the_demo_study_in_the_database_once_and_serves_it(
    served: dict[str, Any], tmp_path: Path
) -> None:
    for _ in range(2):
        result = CliRunner().invoke(cli_app, ["demo", "--folder", str(tmp_path)])
        assert result.exit_code == 0, result.output
        assert "http://127.0.0.1:8000/studies/1" in result.stdout
    with TestClient(served["app"]) as client:
        studies = client.get("/api/studies").json()["studies"]
        assert [study["organisation"] for study in studies] == ["Gemeente Utrecht"]
        assert client.get("/studies/1").status_code == 200


def test_the_tableau_api_takes_fixed_variants_as_a_list(client: TestClient, study_id: int) -> None:
    url = f"/api/studies/{study_id}/tableau?fix=duur:langer&fix=verandering:meer"
    data = client.get(url).json()
    assert data["fixed"] == {"duur": "langer", "verandering": "meer"}
    assert all(s["variants"][0]["key"] == "langer" for s in data["scenarios"])
