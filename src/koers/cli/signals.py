"""``koers signals ...``: observations in, the assessment and the alerts out."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from koers.cli.options import Json, Lang, StudyArgument, StudyDatabase, console
from koers.cli.render import render_signal_status

__all__ = ["app"]

app = typer.Typer(
    help="Signals and early warning: import observations, see which scenario is unfolding.",
    no_args_is_help=True,
)


class Status(StrEnum):
    new = "new"
    acknowledged = "acknowledged"
    closed = "closed"


@app.command("import")
def import_command(
    study: StudyArgument,
    file: Annotated[
        Path, typer.Argument(help="A CSV or .xlsx file: indicator, region, period, value.")
    ],
    skip_bad: Annotated[
        bool,
        typer.Option("--skip-bad", help="Import the good rows and write the bad ones to a report."),
    ] = False,
    report: Annotated[
        Path | None,
        typer.Option(help="Where --skip-bad writes the skipped rows (default: FILE.skipped.csv)."),
    ] = None,
    decimal_comma: Annotated[
        bool | None,
        typer.Option(
            "--decimal-comma/--decimal-point",
            help="How numbers are written (1.234,5 or 1,234.5); default: ';' files are Dutch.",
        ),
    ] = None,
    db: StudyDatabase = None,
) -> None:
    """Import observations; all or nothing unless --skip-bad; a re-import changes nothing."""
    from koers.services import signals, targets

    with targets.open_target(study, db) as target:
        summary = signals.import_file(
            target,
            file,
            skip_bad=skip_bad,
            report=report or file.with_name(file.name + ".skipped.csv"),
            decimal_comma=decimal_comma,
        )
    line = (
        f"{file}: {summary.added} added, {summary.updated} updated, {summary.unchanged} unchanged"
    )
    if summary.skipped:
        line += f", {summary.skipped} skipped (see {summary.report})"
    console().print(line)


@app.command("status")
def status_command(
    study: StudyArgument,
    as_json: Json = False,
    lang: Annotated[Lang | None, typer.Option(help="Language (default: the study's).")] = None,
    db: StudyDatabase = None,
) -> None:
    """The current assessment: which scenario is unfolding, why, and the alerts."""
    from koers.services import signal_views, signals, targets

    with targets.open_target(study, db) as target:
        status = signals.signal_status(target)
        language = lang.value if lang else target.study.language
    if as_json:
        typer.echo(json.dumps(signal_views.status_document(status), indent=2, ensure_ascii=False))
    else:
        render_signal_status(status, language, console())


@app.command("alert")
def alert_command(
    study: StudyArgument,
    indicator: Annotated[str, typer.Argument(help="The indicator's key.")],
    trigger: Annotated[str, typer.Argument(help="The trigger's key.")],
    period: Annotated[str, typer.Argument(help="The period the alert fired in, e.g. 2021-03.")],
    status: Annotated[Status, typer.Option(help="The alert's new status.")] = Status.acknowledged,
    note: Annotated[str | None, typer.Option(help="Why, or what was done.")] = None,
    db: StudyDatabase = None,
) -> None:
    """Acknowledge or close an alert (or open it again)."""
    from koers.services import signals, targets

    with targets.open_target(study, db) as target:
        signals.set_alert_status(target, indicator, trigger, period, status.value, note)
    console().print(f"alert {indicator}/{trigger} {period}: {status.value}")


@app.command("export")
def export_command(
    study: StudyArgument,
    output: Annotated[Path, typer.Option("--output", "-o", help="The .xlsx file to write.")],
    lang: Annotated[Lang | None, typer.Option(help="Language of the headers.")] = None,
    db: StudyDatabase = None,
) -> None:
    """Write the indicators and observations to Excel (a sheet each); it imports back."""
    from koers.services import signals, targets

    with targets.open_target(study, db) as target:
        count = signals.export_workbook(target, output, language=lang.value if lang else None)
    console().print(f"{output}: {count} observations")


@app.command("fetch")
def fetch_command(study: StudyArgument, db: StudyDatabase = None) -> None:
    """Fetch the observations of the study's CBS indicators from CBS StatLine (online)."""
    from koers.services import signals, targets

    with targets.open_target(study, db) as target:
        summary = signals.fetch_cbs(target)
    console().print(
        f"CBS StatLine: {summary.added} added, {summary.updated} updated, "
        f"{summary.unchanged} unchanged"
    )


@app.command("record-cbs")
def record_command(
    folder: Annotated[
        Path, typer.Argument(help="Where the recorded responses go (tests/data/cbs).")
    ] = Path("tests/data/cbs"),
) -> None:
    """Refresh the recorded CBS responses the offline tests replay (needs the internet)."""
    from koers.services import signals

    written = signals.record_cbs(folder)
    console().print(f"{len(written)} responses recorded in {folder}")
