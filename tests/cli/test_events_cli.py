"""``koers events simulate`` as a user runs it: JSON, the table, and located errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from koers.cli import app

EVENTS = Path(__file__).parent.parent / "data" / "events"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["events", *args], env={"COLUMNS": "100"})
    return result.exit_code, result.stdout, result.stderr


def simulated(*args: str) -> dict[str, Any]:
    code, out, err = run("simulate", *args, "--json")
    assert (code, err) == (0, "")
    document: dict[str, Any] = json.loads(out)
    return document


def test_json_of_a_study() -> None:
    document = simulated(str(EVENTS / "study.yaml"), "--runs", "50000", "--seed", "7", "--top", "3")
    assert document["runs"] == 50_000 and document["seed"] == 7
    assert [e["key"] for e in document["events"]] == ["a", "b", "c"]
    a = document["events"][0]
    assert a["initial_probability"] == 0.3
    assert a["low"] <= a["probability"] <= a["high"]
    assert a["occurrences"] == round(a["probability"] * 50_000)
    assert len(document["combinations"]) == 3 and len(document["orders"]) == 3
    shares = [c["share"] for c in document["combinations"]]
    assert shares == sorted(shares, reverse=True)
    assert set(document["effects"]) == {"a", "b", "c"}
    assert set(document["effects"]["a"]) == {"b", "c"}
    assert document["effects"]["a"]["b"] > 0  # a raises b by +3
    assert document["effect_runs"] == 50_000
    assert set(document["association"]["b"]) == {"a", "c"}


def test_the_same_seed_prints_the_same_document() -> None:
    args = (str(EVENTS / "three.csv"), "--runs", "2000", "--seed", "3")
    assert simulated(*args) == simulated(*args)


def test_without_a_seed_the_chosen_seed_reproduces_the_run() -> None:
    first = simulated(str(EVENTS / "three.csv"), "--runs", "2000")
    again = simulated(str(EVENTS / "three.csv"), "--runs", "2000", "--seed", str(first["seed"]))
    assert first == again


def test_the_table() -> None:
    code, out, err = run("simulate", str(EVENTS / "gemeente.csv"), "--runs", "3000", "--seed", "1")
    assert (code, err) == (0, "")
    assert "3,000 runs, seed 1" in out
    for words in ("storm", "95% interval", "most frequent combinations", "strongest effects"):
        assert words in out


def test_errors_are_located_and_exit_2() -> None:
    code, out, err = run("simulate", str(EVENTS / "broken.csv"))
    assert code == 2 and out == ""
    assert "broken.csv:2:2: probability '1.5' is outside 0..1" in err
    assert "6 problems found" in err


def test_a_study_with_broken_events(tmp_path: Path) -> None:
    text = (EVENTS / "study.yaml").read_text(encoding="utf-8")
    path = tmp_path / "study.yaml"
    path.write_text(text.replace("{source: c, target: a", "{source: c, target: q"), "utf-8")
    code, _, err = run("simulate", str(path))
    assert code == 2
    assert "impact of 'c' on 'q': target 'q' is not an event" in err
    # line 21 is "  - {source: c, target: q, ...}": the q stands in column 25
    assert "study.yaml:21:25:" in err


def test_a_study_without_events_and_other_files() -> None:
    studies = Path(__file__).parent.parent / "data" / "studies"
    code, _, err = run("simulate", str(studies / "minimal.yaml"))
    assert code == 2 and "lists no events" in err
    code, _, err = run("simulate", str(EVENTS / "missing.csv"))
    assert code == 2 and "no such file" in err
    code, _, err = run("simulate", str(EVENTS / "three.txt"))
    assert code == 2 and "cannot read '.txt' files" in err
