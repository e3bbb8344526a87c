"""``koers strategy`` as a new user runs it, on a copy of the Corona template.

The issue's test of done: import a policy list from Excel, judge it with two participants,
read a recommendation with its reasons; a bad import gets clear messages and changes nothing.
"""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from koers.cli import app
from koers.services.workbench import Workbench

DATA = Path(__file__).parents[1] / "data" / "strategy"
TEMPLATE = Path(str(resources.files("koers.templates"))) / "corona-lokale-besturen.yaml"
NEW = {
    "armoedebeleid-en-schuldhulp": "keep",
    "ondersteuning-lokale-ondernemers": "adapt",
    "stadsfestival": "let-go",
}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["strategy", *args], env={"COLUMNS": "100"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def study(tmp_path: Path) -> Path:
    copy = tmp_path / "corona.yaml"
    shutil.copyfile(TEMPLATE, copy)
    return copy


def test_a_new_user_imports_judges_and_reads_the_recommendation(study: Path) -> None:
    code, out, err = run("import", str(study), str(DATA / "beleid.xlsx"))
    assert (code, err) == (0, "")
    assert out == f"{DATA / 'beleid.xlsx'}: policies: 3 added, 0 updated, 0 unchanged\n"
    code, out, err = run("import", str(study), str(DATA / "scores-two-participants.csv"))
    assert (code, err) == (0, "")
    assert "scores: 24 added, 0 updated, 0 unchanged" in out

    code, out, err = run("review", str(study), "--json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    found = {p["key"]: p for p in document["policies"] if p["key"] in NEW}
    assert {key: p["verdict"] for key, p in found.items()} == NEW
    # Two participants each: the cells show both and their spread.
    cell = found["ondersteuning-lokale-ondernemers"]["cells"][2]
    assert (cell["scenario"], cell["scores"], cell["value"]) == (
        "aanpassen",
        {"Anna": 0.0, "Bram": -1.0},
        -0.5,
    )
    reasons = [r["text"] for r in found["ondersteuning-lokale-ondernemers"]["reasons"]]
    assert reasons == ["below the threshold in: aanpassen, transformeren"]
    assert [r["kind"] for r in found["stadsfestival"]["reasons"]] == [
        "fails-in",
        "fails-in-likely",
    ]

    code, out, err = run("review", str(study), "--lang", "en")
    assert (code, err) == (0, "")
    assert "Stadsfestival (stadsfestival): let go" in out
    assert "below the threshold in: Adapting, Transforming" in out
    code, out, _ = run("review", str(study), "--lang", "nl")
    assert "Stadsfestival (stadsfestival): loslaten" in out
    assert "onder de drempel in: Aanpassen, Transformeren" in out


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "bad-scores.csv",
            "bad-scores.csv:2:4: score: +3 is outside -2..+2; write a whole number from -2",
        ),
        ("bad.xlsx", "bad.xlsx:2:4: sheet 'Scores', cell D2 (score): +5 is outside -2..+2"),
        ("bad-headers.csv", "bad-headers.csv:1:2: column 'kleur' is not a column of the"),
        ("empty.csv", "empty.csv:1: the file is empty; a register starts with a header row"),
        ("not-a-zip.xlsx", "not-a-zip.xlsx: the file is not an Excel workbook (.xlsx)"),
    ],
)
def test_a_bad_import_gets_clear_messages_and_changes_nothing(
    study: Path, name: str, expected: str
) -> None:
    before = study.read_bytes()
    code, out, err = run("import", str(study), str(DATA / name))
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {DATA / name}:".split(":")[0])
    assert expected in " ".join(err.split())
    assert "Traceback" not in err
    assert study.read_bytes() == before


def test_export_and_import_again_changes_nothing(study: Path, tmp_path: Path) -> None:
    workbook = tmp_path / "registers.xlsx"
    code, out, err = run("export", str(study), "-o", str(workbook))
    assert (code, err) == (0, "")
    assert out == f"{workbook}: policies, scores, assumptions, initiatives\n"
    before = study.read_bytes()
    code, out, _ = run("import", str(study), str(workbook))
    assert code == 0
    assert all(" 0 added, 0 updated," in line for line in out.splitlines())
    assert study.read_bytes() == before
    code, _, err = run("export", str(study), "-o", str(tmp_path / "all.csv"))
    assert code == 2 and "a CSV file holds one register" in err
    code, out, _ = run(
        "export", str(study), "-o", str(tmp_path / "beleid.csv"), "--register", "policies"
    )
    assert code == 0 and (tmp_path / "beleid.csv").read_text(encoding="utf-8-sig").startswith(
        "sleutel,naam (nl),naam (en),"
    )


def test_a_study_in_the_database(tmp_path: Path) -> None:
    database = tmp_path / "koers.db"
    with Workbench.open(str(database)) as workbench:
        study_id = workbench.create_from_template("corona-lokale-besturen")
    args = ("--db", str(database))
    code, out, err = run("import", str(study_id), str(DATA / "beleid.xlsx"), *args)
    assert (code, err) == (0, "")
    code, out, err = run(
        "import",
        str(study_id),
        str(DATA / "scores-two-participants.csv"),
        "--register",
        "scores",
        *args,
    )
    assert (code, err) == (0, "")
    code, out, err = run("review", str(study_id), "--json", *args)
    verdicts = {p["key"]: p["verdict"] for p in json.loads(out)["policies"] if p["key"] in NEW}
    assert verdicts == NEW
    code, _, err = run("review", "99", *args)
    assert code == 2 and "there is no study with id 99" in err
