"""The one tree of errors that Koers raises on purpose.

Adapters turn these into output at their edge: the CLI prints the message and exits with
status 2, the web app renders an error page or a JSON error. Anything else is a bug.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ConflictError",
    "ConvergenceError",
    "FormatError",
    "KoersError",
    "NotFoundError",
    "Problem",
    "ValidationError",
]


class KoersError(Exception):
    """Base of every error Koers raises for bad input or a failed request."""


@dataclass(frozen=True)
class Problem:
    """One located problem in an input: where it is and what is wrong.

    ``line`` and ``column`` are 1-based; either may be ``None`` when the input has no such
    position (a database row, an in-memory object).
    """

    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = [part for part in (self.path, self.line, self.column) if part is not None]
        prefix = ":".join(str(part) for part in where)
        return f"{prefix}: {self.message}" if prefix else self.message


class ValidationError(KoersError):
    """One or more problems found in an input, all reported at once."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class FormatError(ValidationError):
    """A file that cannot be read at all: wrong syntax, encoding or layout."""

    def __init__(
        self,
        message: str,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        location = str(path) if path is not None else None
        super().__init__([Problem(message, location, line, column)])


class NotFoundError(KoersError):
    """A thing asked for by name does not exist."""


class ConflictError(KoersError):
    """A write that would overwrite someone else's newer change."""


class ConvergenceError(KoersError):
    """An iterative method did not settle within its limits."""
