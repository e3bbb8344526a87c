"""``koers micmac`` as a user runs it: the hand example, a study, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from koers.cli import app

DATA = Path(__file__).parent.parent / "data"
HAND = DATA / "micmac" / "hand-example.csv"
TEMPLATE = Path(__file__).parents[2] / "src" / "koers" / "templates"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["micmac", *args], env={"COLUMNS": "80"})
    return result.exit_code, result.stdout, result.stderr


def document(*args: str) -> dict[str, Any]:
    code, out, err = run(*args, "--json")
    assert (code, err) == (0, "")
    found: dict[str, Any] = json.loads(out)
    return found


def test_json_of_the_hand_example() -> None:
    # The values computed by hand in tests/methods/test_micmac.py.
    found = document(str(HAND))
    assert found["power"] == 3
    assert found["convergence"] == "stable"
    assert found["potential_power"] == 3
    assert found["potential_weight"] == 3
    assert found["hidden_drivers"] == ["D"]
    d = found["factors"]["D"]
    assert (d["direct_influence"], d["direct_dependence"]) == (1, 1)
    assert (d["indirect_influence"], d["indirect_dependence"]) == (23, 24)
    assert (d["direct_influence_rank"], d["indirect_influence_rank"]) == (6, 4)
    assert d["influence_displacement"] == 2
    assert d["hidden_driver"] is True
    assert (d["potential_direct_influence"], d["potential_indirect_influence"]) == (4, 53)
    assert d["potential_class"] == "influential"
    a = found["factors"]["A"]
    assert (a["direct_class"], a["class"]) == ("autonomous", "influential")
    assert round(a["indirect_influence_share"], 3) == 17.544  # 40 / 228
    assert [found["factors"][f]["class"] for f in "ABCDEF"] == [
        "influential",
        "influential",
        "relay",
        "autonomous",
        "dependent",
        "autonomous",
    ]
    assert "suggestions" not in found


def test_table_fits_80_columns() -> None:
    code, out, err = run(str(HAND))
    assert (code, err) == (0, "")
    assert "rankings stable at power 3" in out
    assert "Hidden drivers (influence rank up 2+): D (+2)" in out
    assert "With potential influences (P counts 3)" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    rows = [line.split() for line in out.splitlines() if line[:1] in tuple("ABCDEF")]
    # First table, most influential (indirect) first: B C A D F E.
    assert [row[0] for row in rows[:6]] == ["B", "C", "A", "D", "F", "E"]


def test_a_study_gets_suggestions() -> None:
    found = document(str(TEMPLATE / "corona-lokale-besturen.yaml"))
    suggestions = found["suggestions"]
    assert len(suggestions["axes"]) == 2
    assert set(suggestions["uncertainty"]) == set(found["factors"])
    for axis in suggestions["axes"]:
        assert suggestions["uncertainty"][axis] >= 2
    for key in suggestions["leading_indicators"]:
        assert found["factors"][key]["class"] == "influential"
    assert "potential_power" not in found


def test_a_broken_matrix_exits_2_with_located_messages() -> None:
    path = DATA / "micmac" / "broken.csv"
    code, out, err = run(str(path))
    assert code == 2
    assert out == ""
    assert f"{path}:2:3: influence '4' is not on the scale" in err
    assert "5 problems found" in err
    assert "Traceback" not in err


def test_other_files_exit_2() -> None:
    code, _, err = run("matrix.xlsx")
    assert code == 2
    assert "cannot read '.xlsx' files" in err
    code, _, err = run("absent.csv")
    assert (code, "there is no such file" in err) == (2, True)


def test_a_study_without_judgements() -> None:
    # The minimal study has two descriptors and no judgements: no influences at all.
    found = document(str(DATA / "studies" / "minimal.yaml"))
    assert found["convergence"] == "no_loops"
    assert found["suggestions"]["axes"] == []


def test_a_study_without_descriptors(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text(
        "format: 1\ntitle: {nl: Leeg}\norganisation: Gemeente\nhorizon: 2030-12-31\n",
        encoding="utf-8",
    )
    code, _, err = run(str(path))
    assert code == 2
    assert f"{path}: the study has 0 descriptors" in err
