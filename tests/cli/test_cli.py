"""The ``koers`` commands as a user runs them: output, exit status, files written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from koers.cli import app

DATA = Path(__file__).parent.parent / "data" / "studies"
TEMPLATE = "corona-lokale-besturen"


@pytest.fixture
def cli() -> CliRunner:
    return CliRunner()


def run(cli: CliRunner, *args: str) -> tuple[int, str, str]:
    result = cli.invoke(app, list(args), env={"COLUMNS": "80", "NO_COLOR": "1"})
    return result.exit_code, result.stdout, result.stderr


def test_templates_lists_the_corona_template(cli: CliRunner) -> None:
    code, out, _ = run(cli, "templates")
    assert code == 0
    assert TEMPLATE in out


def test_new_validate_show_in_dutch_and_english(cli: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "study.yaml"
    code, out, err = run(
        cli,
        "new",
        "--organisation",
        "Gemeente Zeist",
        "--municipality",
        "GM0355",
        "-o",
        str(target),
    )
    assert (code, err) == (0, "")
    assert "Gemeente Zeist" in target.read_text(encoding="utf-8")

    code, out, _ = run(cli, "validate", str(target))
    assert code == 0
    assert "valid" in out

    code, dutch, _ = run(cli, "show", str(target))
    assert code == 0
    for name in ("Overbruggen", "Overleven", "Aanpassen", "Transformeren", "Leiderschapsrol"):
        assert name in dutch
    code, english, _ = run(cli, "show", str(target), "--lang", "en")
    assert code == 0
    assert "Leadership role" in english
    assert "Leiderschapsrol" not in english
    assert max(len(line) for line in english.splitlines()) <= 80


def test_new_in_english_sets_the_study_language(cli: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "study.yaml"
    assert run(cli, "new", "--lang", "en", "-o", str(target))[0] == 0
    assert re.search(r"^language: en$", target.read_text(encoding="utf-8"), re.MULTILINE)


def test_new_refuses_to_overwrite(cli: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "study.yaml"
    target.write_text("mine", encoding="utf-8")
    code, _, err = run(cli, "new", "-o", str(target))
    assert code == 2
    assert "already exists" in err
    assert target.read_text(encoding="utf-8") == "mine"


def test_new_with_a_bad_municipality_code_writes_nothing(cli: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "study.yaml"
    code, _, err = run(cli, "new", "--municipality", "344", "-o", str(target))
    assert code == 2
    assert "'344' is not a CBS municipality code" in err
    assert not target.exists()


def test_new_with_an_unknown_template(cli: CliRunner, tmp_path: Path) -> None:
    code, _, err = run(cli, "new", "--template", "corona", "-o", str(tmp_path / "s.yaml"))
    assert code == 2
    assert f"the templates are: {TEMPLATE}" in err


@pytest.mark.parametrize("broken", sorted((DATA / "broken").glob("*.yaml")), ids=lambda p: p.stem)
def test_validate_broken_file_exits_2_without_traceback(cli: CliRunner, broken: Path) -> None:
    code, out, err = run(cli, "validate", str(broken))
    assert code == 2
    assert err.startswith(f"error: {broken}:")
    assert "Traceback" not in out + err


def test_show_of_missing_file(cli: CliRunner, tmp_path: Path) -> None:
    code, _, err = run(cli, "show", str(tmp_path / "none.yaml"))
    assert code == 2
    assert "cannot read the file" in err


def test_demo_creates_and_shows_the_demo_study(cli: CliRunner, tmp_path: Path) -> None:
    code, out, _ = run(cli, "demo", "--folder", str(tmp_path), "--no-serve")
    assert code == 0
    assert (tmp_path / "demo-study.yaml").exists()
    assert (tmp_path / "koers.db").exists()  # the demo study is in the folder's database
    for name in ("Overbruggen", "Overleven", "Aanpassen", "Transformeren"):
        assert name in out
    assert run(cli, "demo", "--folder", str(tmp_path), "--no-serve")[0] == 0


def test_schema_is_json_schema_of_a_study(cli: CliRunner) -> None:
    code, out, _ = run(cli, "schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["title"] == "Koers study"
    assert "scenarios" in schema["properties"]
    assert schema["additionalProperties"] is False


def _commands() -> list[tuple[list[str], object]]:
    """Every command as its words after ``koers``, with its callback; groups included."""
    found: list[tuple[list[str], object]] = []
    for command in app.registered_commands:
        name = command.name or command.callback.__name__  # type: ignore[union-attr]
        found.append(([name], command.callback))
    for group in app.registered_groups:
        assert group.typer_instance is not None
        for command in group.typer_instance.registered_commands:
            name = command.name or command.callback.__name__  # type: ignore[union-attr]
            found.append(([str(group.name), name], command.callback))
    return found


def test_every_command_has_help(cli: CliRunner) -> None:
    commands = _commands()
    assert len(commands) >= 10
    for words, callback in commands:
        code, out, _ = run(cli, *words, "--help")
        assert code == 0, words
        assert callback.__doc__, words
        assert "Usage" in out


def test_every_command_is_in_the_readme() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for words, _ in _commands():
        assert "koers " + " ".join(words) in readme, words
