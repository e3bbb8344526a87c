"""The two guards of every write: the version the caller saw, and the model's rules.

:func:`check_version` refuses a write made on an old version with
:class:`koers.errors.ConflictError`; :func:`validated` builds the changed study with the model
and turns pydantic's errors into Koers's located problems.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pydantic

from koers.errors import ConflictError, Problem, ValidationError
from koers.model import Study

__all__ = ["check_version", "problems", "storable", "validated"]

_SHOWN = 120
"""How many characters of a value a conflict message shows."""


def check_version(
    what: str, stored: int | None, attempted_on: int | None, *, current: Any, attempted: Any
) -> None:
    """Refuse a write made on another version than the stored one.

    ``stored`` is ``None`` when the object is gone, ``attempted_on`` when the caller saw no
    object yet; ``current`` and ``attempted`` are the stored and the attempted values.

    >>> check_version("scenario 'a'", 2, 2, current=None, attempted=None)  # up to date
    >>> check_version("scenario 'a'", 3, 2, current="old", attempted="new")
    Traceback (most recent call last):
    koers.errors.ConflictError: someone else changed scenario 'a': the stored version is 3, \
and your change was made on version 2. Stored now: 'old'; your change: 'new'. Reload, then \
make your change again.
    """
    if stored == attempted_on:
        return
    if stored is None:
        told = f"someone else removed {what}; your change was made on version {attempted_on}"
    elif attempted_on is None:
        told = f"someone else wrote {what} meanwhile; the stored version is {stored}"
    else:
        told = (
            f"someone else changed {what}: the stored version is {stored}, and your change "
            f"was made on version {attempted_on}"
        )
    raise ConflictError(
        f"{told}. Stored now: {_show(current)}; your change: {_show(attempted)}. "
        "Reload, then make your change again.",
        current=current,
        attempted=attempted,
        version=stored,
    )


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def validated(document: Mapping[str, Any]) -> Study:
    """The study of ``document``, or every problem in it as :class:`ValidationError`."""
    try:
        study = Study.model_validate(document)
    except pydantic.ValidationError as err:
        raise ValidationError(problems(err)) from None
    storable(study)
    return study


def storable(study: Study) -> None:
    """Refuse what the model allows but a database cannot store: the NUL character.

    PostgreSQL's text cannot hold U+0000, and a plain text field of the model (an
    organisation, a source's title) does not forbid it.

    >>> from koers.model import Text
    >>> storable(Study(title=Text(nl="T"), organisation="A\\x00B", horizon="2030-01-01"))
    Traceback (most recent call last):
    koers.errors.ValidationError: organisation: the text holds a NUL character (U+0000), \
which a database cannot store; remove it
    """
    found = [
        Problem(
            "the text holds a NUL character (U+0000), which a database cannot store; remove it",
            ".".join(str(part) for part in location),
        )
        for location in _nul(study.model_dump(mode="json"), ())
    ]
    if found:
        raise ValidationError(found)


def _nul(node: Any, location: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    if isinstance(node, str):
        if "\x00" in node:
            yield location
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _nul(key, location)
            yield from _nul(value, (*location, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _nul(value, (*location, index))


def problems(err: pydantic.ValidationError) -> list[Problem]:
    """Pydantic's errors as Koers's problems, located by field path (``scenarios.2.name``)."""
    found = []
    for error in err.errors():
        location = tuple(error["loc"])
        path = ".".join(str(part) for part in location) or None
        kind = error["type"]
        if kind == "invariant":
            message = error["msg"]
        elif kind == "value_error":
            message = str(error.get("ctx", {}).get("error", error["msg"]))
        elif kind == "extra_forbidden":
            message = f"there is no field '{location[-1]}' here"
        elif kind == "missing":
            message = f"'{location[-1]}' is missing; give it a value"
        else:
            message = error["msg"][:1].lower() + error["msg"][1:]
            value = error.get("input")
            if isinstance(value, str | int | float | bool):
                message += f" (found {value!r})"
        found.append(Problem(message, path))
    return found
