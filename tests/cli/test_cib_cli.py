"""``koers cib solve`` as a user runs it, checked against ScenarioWizard's own solution lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from koers.cli import app
from koers.io.scenariowizard import read_sl

CIB = Path(__file__).parent.parent / "data" / "cib"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["cib", *args], env={"COLUMNS": "80"})
    return result.exit_code, result.stdout, result.stderr


def solved(*args: str) -> dict[str, object]:
    code, out, err = run("solve", *args, "--json")
    assert (code, err) == (0, "")
    document: dict[str, object] = json.loads(out)
    return document


def test_nested_prints_the_twenty_scenarios_of_its_solution_list() -> None:
    document = solved(str(CIB / "CIB_nested.scw"))
    expected = {(r.variants, r.total_impact_score) for r in read_sl(CIB / "CIB_nested.sl")}
    found = {(tuple(s["variants"]), s["total_impact_score"]) for s in document["scenarios"]}  # type: ignore[attr-defined,index]
    assert document["count"] == 20
    assert document["complete"] is True
    assert document["space"] == 408_146_688
    assert found == expected
    scores = [s["total_impact_score"] for s in document["scenarios"]]  # type: ignore[attr-defined,index]
    assert scores == sorted(scores, reverse=True)


def test_somewhereland_strict_and_self_impacts_and_fixing() -> None:
    path = str(CIB / "SomewhereLand.csv")
    assert solved(path)["count"] == 10
    strict = solved(path, "--strict")
    assert [s["variants"] for s in strict["scenarios"]] == [[1, 3, 1, 2, 3, 3]]  # type: ignore[attr-defined,index]
    # Two of the ten consistent scenarios (fixtures README) have A3 and B1; fixing them must
    # find those two and no other.
    fixed = solved(path, "--fix", "A=3", "--fix", "B=1")
    assert sorted(s["total_impact_score"] for s in fixed["scenarios"]) == [9, 18]  # type: ignore[attr-defined,index]


def test_natl_regional_counts_self_impacts_by_default() -> None:
    path = str(CIB / "CIB_natl_regional.scw")
    assert solved(path)["count"] == 16
    assert solved(path, "--self-impacts", "exclude")["count"] == 10


def test_tableau_lists_scenarios_with_scores() -> None:
    code, out, _ = run("solve", str(CIB / "SomewhereLand.csv"))
    assert code == 0
    assert "10 scenarios of 486 (complete)" in out
    assert "TIS" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_solving_on_a_local_dask_cluster_gives_the_same_answer() -> None:
    path = str(CIB / "CIB_natl_regional.scw")
    assert solved(path, "--workers", "2") == solved(path)


@pytest.mark.parametrize(
    "broken", sorted((CIB / "broken").glob("*.[cs][sc][vw]")), ids=lambda p: p.name
)
def test_malformed_matrix_exits_2_with_a_located_message(broken: Path) -> None:
    code, out, err = run("solve", str(broken))
    assert code == 2
    assert err.startswith(f"error: {broken}:")
    assert "Traceback" not in out + err


@pytest.mark.parametrize(
    ("fix", "message"),
    [
        ("A", "is not of the form DESCRIPTOR=VARIANT"),
        ("Q=1", "'Q' is not a descriptor"),
        ("A=7", "'7' is not a variant of 'A'"),
    ],
)
def test_bad_fix_is_explained(fix: str, message: str) -> None:
    code, _, err = run("solve", str(CIB / "SomewhereLand.csv"), "--fix", fix)
    assert code == 2
    assert message in err


def test_unknown_file_kind_and_missing_file(tmp_path: Path) -> None:
    code, _, err = run("solve", str(tmp_path / "matrix.xlsx"))
    assert code == 2
    assert "cannot read '.xlsx' files" in err
    code, _, err = run("solve", str(tmp_path / "matrix.csv"))
    assert code == 2
    assert "there is no such file" in err


def test_succession_of_the_manual_test_scenario_reaches_a_consistent_scenario() -> None:
    start = [f"--start={d}={v}" for d, v in zip("ABCDEF", "213111", strict=True)]
    code, out, _ = run("succession", str(CIB / "SomewhereLand.csv"), *start, "--json")
    assert code == 0
    document = json.loads(out)
    assert document["path"][0] == ["2", "1", "3", "1", "1", "1"]
    assert document["is_cycle"] is False
    final = document["attractor"][0]
    consistent = solved(str(CIB / "SomewhereLand.csv"))["scenarios"]
    assert final in [s["labels"] for s in consistent]  # type: ignore[attr-defined,index]


def test_succession_needs_every_descriptor() -> None:
    code, _, err = run("succession", str(CIB / "SomewhereLand.csv"), "--start", "A=1")
    assert code == 2
    assert "missing: B, C, D, E, F" in err


def test_basins_of_cib_global_match_its_solution_list() -> None:
    # Fixtures README: weights 4, 12, 1, 2 over 36 starts, and 17 starts end in a 2-cycle.
    code, out, _ = run("basins", str(CIB / "CIB_global.scw"), "--json")
    assert code == 0
    document = json.loads(out)
    assert (document["exact"], document["starts"]) == (True, 36)
    weights = sorted((a["weight"], a["is_cycle"]) for a in document["attractors"])
    assert weights == [(1, False), (2, False), (4, False), (12, False), (17, True)]
    cycle = next(a for a in document["attractors"] if a["is_cycle"])
    assert len(cycle["scenarios"]) == 2


def test_ensemble_of_a_matrix_with_itself_agrees_everywhere() -> None:
    path = str(CIB / "SomewhereLand.csv")
    code, out, _ = run("ensemble", path, path, "--json")
    assert code == 0
    document = json.loads(out)
    assert document["members"] == 2
    assert len(document["scenarios"]) == 10
    assert all(s["members"] == 2 and s["in_mean"] for s in document["scenarios"])
