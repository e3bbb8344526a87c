"""``koers report``: the board report of a study, as PDF or HTML."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from koers.cli.options import Lang, StudyArgument, StudyDatabase

__all__ = ["report"]


class ReportFormat(StrEnum):
    pdf = "pdf"
    html = "html"


class Status(StrEnum):
    concept = "concept"
    definitief = "definitief"


def report(
    study: StudyArgument,
    output: Annotated[Path, typer.Option("-o", "--output", help="The file to write.")],
    format: Annotated[ReportFormat, typer.Option("--format", help="pdf or html.")] = (
        ReportFormat.pdf
    ),
    lang: Annotated[
        Lang | None, typer.Option("--lang", help="nl or en (default: the study's).")
    ] = None,
    status: Annotated[
        Status, typer.Option("--status", help="concept (draft) or definitief (final).")
    ] = Status.concept,
    since: Annotated[
        dt.datetime | None,
        typer.Option(
            "--since",
            formats=["%Y-%m-%d"],
            help="Triggers fired since this day (default: the last three months of data).",
        ),
    ] = None,
    db: StudyDatabase = None,
) -> None:
    """The board report for the college and the council: a PDF (A4) or one HTML file."""
    from koers.services.report import ReportOptions, save_report

    options = ReportOptions(
        language=None if lang is None else lang.value,
        status=status.value,
        since=None if since is None else since.date(),
    )
    size = save_report(study, output, format.value, options, database=db)
    typer.echo(f"{output}: {size:,} bytes ({format.value})")
