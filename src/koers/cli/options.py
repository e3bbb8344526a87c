"""The arguments and options several commands share, so that they read the same everywhere."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console

__all__ = ["Json", "Lang", "StudyArgument", "StudyDatabase", "console"]


class Lang(StrEnum):
    nl = "nl"
    en = "en"


StudyArgument = Annotated[
    str,
    typer.Argument(
        help="A study file (its observations live beside it in NAME.signals.json) or the "
        "number of a study in the database (with --db, or the default database)."
    ),
]
StudyDatabase = Annotated[
    str | None,
    typer.Option("--db", help="Database URL or SQLite file, for a study given by number."),
]
Json = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


def console() -> Console:
    """The terminal, without rich's guesses at highlighting and emoji."""
    return Console(highlight=False, emoji=False, soft_wrap=True)
