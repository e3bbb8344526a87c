"""``koers signals`` as a new user runs it on the demo study: import, status, alert, export.

Expected figures come from the template's demo data and its documentation: 584 rows, the
example import of 2024-01 fires the red trigger 'kritiek' of sick leave.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from koers.cli import app
from koers.services.studies import demo_study
from koers.services.workbench import Workbench

FOLDER = Path(str(resources.files("koers.templates")))
DATASET = FOLDER / "corona-lokale-besturen.observations.csv"
EXAMPLE = FOLDER / "corona-lokale-besturen.example-import.csv"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["signals", *args], env={"COLUMNS": "100"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path, _ = demo_study(tmp_path)
    return path


def test_import_status_alert_and_export(study: Path, tmp_path: Path) -> None:
    code, out, _ = run("import", str(study), str(DATASET))
    assert code == 0 and "584 added, 0 updated, 0 unchanged" in out
    code, out, _ = run("import", str(study), str(DATASET))
    assert code == 0 and "0 added, 0 updated, 584 unchanged" in out
    code, out, _ = run("import", str(study), str(EXAMPLE))
    assert code == 0 and "5 added" in out

    code, out, _ = run("status", str(study), "--json")
    status = json.loads(out)
    assert code == 0 and status["month"] == "2024-01"
    red = [a for a in status["alerts"] if a["trigger"] == "kritiek"]
    assert [(a["period"], a["level"], a["status"]) for a in red] == [("2024-01", "red", "new")]

    code, out, _ = run("status", str(study), "--lang", "en")
    assert code == 0 and "In 2024-01 the signals point most to" in out

    code, out, _ = run(
        "alert", str(study), "ziekteverzuim", "kritiek", "2024-01", "--note", "MT ingelicht"
    )
    assert code == 0 and "acknowledged" in out
    status = json.loads(run("status", str(study), "--json")[1])
    red = [a for a in status["alerts"] if a["trigger"] == "kritiek"]
    assert (red[0]["status"], red[0]["note"]) == ("acknowledged", "MT ingelicht")

    workbook = tmp_path / "signalen.xlsx"
    code, out, _ = run("export", str(study), "-o", str(workbook))
    assert code == 0 and "589 observations" in out
    code, out, _ = run("import", str(study), str(workbook))
    assert code == 0 and "0 added, 0 updated, 589 unchanged" in out


def test_a_bad_file_exits_2_with_row_and_column_and_writes_nothing(
    study: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "fout.csv"
    bad.write_text("indicator;regio;periode;waarde\nziekteverzuim;GM0344;2024-13;6,1\n")
    code, out, err = run("import", str(study), str(bad))
    assert code == 2 and "Traceback" not in out + err
    assert "fout.csv:2" in err and "2024-13" in err
    assert not study.with_name(f"{study.stem}.signals.json").exists()


def test_skip_bad_writes_the_skipped_rows_beside_the_file(study: Path, tmp_path: Path) -> None:
    half = tmp_path / "half.csv"
    half.write_text(
        "indicator,region,period,value\n"
        "ziekteverzuim,GM0344,2024-01,6.1\n"
        "ziekteverzuim,GM0344,2024-13,6.3\n"
    )
    code, out, _ = run("import", str(study), str(half), "--skip-bad")
    assert code == 0 and "1 added" in out and "1 skipped" in out
    assert "2024-13" in (tmp_path / "half.csv.skipped.csv").read_text(encoding="utf-8-sig")


def test_a_study_in_the_database_is_named_by_its_number(tmp_path: Path) -> None:
    database = str(tmp_path / "koers.db")
    _, demo = demo_study(tmp_path)
    with Workbench.open(database) as bench:
        study_id = bench.ensure_demo(demo)  # the demo comes with its observations
    code, out, _ = run("status", str(study_id), "--db", database, "--json")
    assert code == 0 and json.loads(out)["month"] == "2023-12"
    code, _, err = run("status", "99", "--db", database)
    assert code == 2 and "99" in err
