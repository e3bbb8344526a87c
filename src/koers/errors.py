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
    """A write that would overwrite someone else's newer change.

    ``current`` and ``attempted`` carry the stored value and the value the write tried to put
    in its place; ``version`` is the version of the object as stored now (``None`` when the
    object does not exist, or when the conflict is not about versions).

    >>> err = ConflictError("scenario 'a' is at version 3", current=1, attempted=2, version=3)
    >>> (str(err), err.current, err.attempted, err.version)
    ("scenario 'a' is at version 3", 1, 2, 3)
    """

    def __init__(
        self,
        message: str,
        *,
        current: object = None,
        attempted: object = None,
        version: int | None = None,
    ) -> None:
        super().__init__(message)
        self.current = current
        self.attempted = attempted
        self.version = version


class ConvergenceError(KoersError):
    """An iterative method did not settle within its limits."""
