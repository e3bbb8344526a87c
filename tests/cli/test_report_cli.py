"""``koers report`` as a user runs it: a study file to PDF and HTML, and a bad study."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from koers.cli.app import app as koers_app
from koers.cli.report import report
from koers.services.studies import create_study, new_study


def _app() -> typer.Typer:
    """``koers`` itself once it registers ``report``; until then the same group with it."""
    if any(command.name == "report" for command in koers_app.registered_commands):
        return koers_app
    local = typer.Typer(cls=koers_app.info.cls, add_completion=False)
    local.callback()(lambda: None)
    local.command("report")(report)
    return local


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(_app(), ["report", *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_study_file_becomes_a_pdf_and_an_html_file(tmp_path: Path) -> None:
    study = tmp_path / "study.yaml"
    create_study(new_study("corona-lokale-besturen", organisation="Gemeente Zeist"), study)
    code, out, err = run(str(study), "-o", str(tmp_path / "r.pdf"), "--status", "definitief")
    assert (code, err) == (0, ""), err
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF-")
    assert "r.pdf" in out
    code, _out, err = run(
        str(study), "--format", "html", "--lang", "en", "-o", str(tmp_path / "r.html")
    )
    assert (code, err) == (0, ""), err
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Gemeente Zeist" in page and "final" not in page and "draft" in page


def test_a_bad_study_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\ntitle: {nl: x}\n", encoding="utf-8")
    code, _out, err = run(str(bad), "-o", str(tmp_path / "r.pdf"))
    assert code == 2
    assert "error:" in err
    assert not (tmp_path / "r.pdf").exists()
    code, _out, err = run(str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "r.pdf"))
    assert code == 2 and "error:" in err
