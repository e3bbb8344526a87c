"""Read and write a study as one human-editable YAML file.

Reading reports every problem at once, each with file, line and column. Writing is atomic
(a temporary file renamed over the target), keeps the model's key order, and keeps the
comments of an existing file for the parts that did not change.
"""

from __future__ import annotations

import difflib
import io
import re
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydantic
from pydantic import BaseModel
from pydantic_core import ErrorDetails, Url
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString

from koers.errors import FormatError, Problem, ValidationError
from koers.io.atomic import write_atomic
from koers.model import Study, Text

__all__ = ["describe_errors", "dumps", "load", "loads", "save"]

_SHORT = re.compile(r"[^\W_][\w .'()/-]{0,30}")
_HEADER = "Koers study file; the format is explained in docs/study-format.md\n"


def load(path: str | Path) -> Study:
    """Read the study in ``path``.

    Raises
    ------
    koers.errors.ValidationError
        With every problem found, each located by line and column.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise FormatError(f"cannot read the file: {err.strerror}", path) from err
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise FormatError(
            "the file is not UTF-8 text; save it as UTF-8 (in Excel or Notepad: 'UTF-8')",
            path,
            line,
        ) from err
    return loads(text, str(path))


def loads(text: str, name: str = "<study>") -> Study:
    """Read a study from YAML ``text``; ``name`` is the file name used in messages."""
    tree = _parse(text, name)
    if not isinstance(tree, CommentedMap):
        raise FormatError("a study file is a mapping of keys (title: ..., scenarios: ...)", name, 1)
    try:
        return Study.model_validate(tree)
    except pydantic.ValidationError as err:
        raise describe_errors(err, tree, name) from None


def describe_errors(
    err: pydantic.ValidationError, tree: Any = None, name: str | None = None
) -> ValidationError:
    """Koers's error for pydantic's, each problem explained and located in ``tree``."""
    problems = []
    for error in err.errors():
        location = tuple(error["loc"])
        line, column = _position(tree, location, key=error["type"] == "extra_forbidden")
        if tree is None:
            problems.append(Problem(_explain(error, location), name))
        else:
            problems.append(Problem(_explain(error, location), name, line, column))
    return ValidationError(problems)


def dumps(study: Study, previous: str | None = None) -> str:
    """The YAML text of ``study``; comments of ``previous`` are kept where the parts match."""
    document = _to_yaml(_plain(study))
    if previous is not None:
        try:
            old = _yaml().load(previous)
        except YAMLError:
            old = None
        if isinstance(old, CommentedMap):
            document = _merge(old, document)
    else:
        document.yaml_set_start_comment(_HEADER)
    stream = io.StringIO()
    _yaml().dump(document, stream)
    return stream.getvalue()


def save(study: Study, path: str | Path) -> None:
    """Write ``study`` to ``path`` atomically: a reader sees the old file or the new one."""
    path = Path(path)
    previous = None
    if path.exists():
        try:
            previous = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            previous = None
    write_atomic(path, dumps(study, previous).encode("utf-8"))


class _Constructor(RoundTripConstructor):
    """Leaves dates as text, so a wrong date is reported by the model, with its place."""


def _plain_text(constructor: RoundTripConstructor, node: Any) -> Any:
    """A scalar as text, also when tagged ``!!str`` (ruamel would keep the tag around it)."""
    return constructor.construct_scalar(node)


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _plain_text)
_Constructor.add_constructor("tag:yaml.org,2002:str", _plain_text)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    yaml.width = 88
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.ignore_aliases = lambda data: True  # the reader refuses aliases
    return yaml


MAX_DEPTH = 50
"""How deep mappings and lists may nest; a study file needs fewer than ten levels."""

PLAIN_TAGS = frozenset(
    {"!"}
    | {f"tag:yaml.org,2002:{kind}" for kind in ("str", "int", "float", "bool", "null")}
    | {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:timestamp"}
)
"""The explicit tags a study file may carry: YAML's plain types (``!!str 007``), no others."""

_MAX_REPORTED = 20


def _hostile_problems(text: str, name: str) -> list[Problem]:
    """What a study file must not hold, found from the parser's events before anything is
    built: aliases (``*name``: repeated, they make a "billion laughs" bomb, where a few lines
    stand for billions of values), tags other than YAML's plain types (``!!python/object``,
    ``!custom``: a YAML loader may build objects from them), and nesting deeper than
    :data:`MAX_DEPTH` (which exhausts a recursive reader). Koers never writes any of these.
    """
    found: list[Problem] = []
    depth = 0
    for event in _yaml().parse(text):
        kind = type(event).__name__
        line, column = event.start_mark.line + 1, event.start_mark.column + 1
        if kind == "AliasEvent":
            found.append(
                Problem(
                    f"the alias '*{event.anchor}' repeats a value marked elsewhere with "
                    f"'&{event.anchor}'; a study file may not use anchors and aliases: write "
                    "the value out in full",
                    name,
                    line,
                    column,
                )
            )
        tag = getattr(event, "tag", None)
        if tag is not None and str(tag) not in PLAIN_TAGS:
            shown = str(tag).replace("tag:yaml.org,2002:", "!!")[:80]
            found.append(
                Problem(
                    f"the tag '{shown}' is not allowed in a study file; only plain text, "
                    "numbers, lists and mappings are: remove the tag",
                    name,
                    line,
                    column,
                )
            )
        if kind in ("MappingStartEvent", "SequenceStartEvent"):
            depth += 1
            if depth > MAX_DEPTH:
                found.append(
                    Problem(
                        f"the lists and mappings nest more than {MAX_DEPTH} levels deep; a "
                        "study file needs far fewer: check the brackets and indentation",
                        name,
                        line,
                        column,
                    )
                )
                break
        elif kind in ("MappingEndEvent", "SequenceEndEvent"):
            depth -= 1
        if len(found) > _MAX_REPORTED:
            break
    return found[:_MAX_REPORTED]


def _parse(text: str, name: str) -> Any:
    try:
        hostile = _hostile_problems(text, name)
        if hostile:
            raise ValidationError(hostile)
        return _yaml().load(text)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = err.problem or "the YAML syntax is broken"
        hint = "; check indentation, colons and quotes" if "duplicate" not in problem else ""
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise FormatError(f"{problem}{hint}", name, line, column) from None
    except YAMLError as err:
        raise FormatError(f"the YAML syntax is broken: {err}", name) from None


# -- from the model to YAML ---------------------------------------------------------------


def _plain(study: Study) -> dict[str, Any]:
    data = study.model_dump(mode="python", exclude_defaults=True)
    data.update(format=study.format, language=study.language)  # always written
    return {name: data[name] for name in Study.model_fields if name in data}


def _to_yaml(node: Any) -> Any:
    if isinstance(node, dict):
        mapping = CommentedMap((key, _to_yaml(value)) for key, value in node.items())
        if set(node) <= {"nl", "en"} and all(
            isinstance(value, str) and _SHORT.fullmatch(value) for value in node.values()
        ):
            mapping.fa.set_flow_style()  # {nl: korter, en: shorter} on one line
        return mapping
    if isinstance(node, list | tuple):
        return CommentedSeq(_to_yaml(item) for item in node)
    if isinstance(node, Url):
        return str(node)
    if isinstance(node, str) and "\n" in node and _literal_safe(node):
        return LiteralScalarString(node)
    return node


def _literal_safe(text: str) -> bool:
    """Whether a literal block (``|``) writes ``text`` back exactly."""
    lines = text.split("\n")
    return text == text.strip() and all(
        line == line.rstrip() and line.isprintable() for line in lines
    )


def _merge(old: Any, new: Any) -> Any:
    """``new``, built inside ``old``'s nodes where their shapes agree, so comments survive."""
    if isinstance(old, CommentedMap) and isinstance(new, CommentedMap):
        for key in list(old):
            if key not in new:
                del old[key]
        for position, (key, value) in enumerate(new.items()):
            merged = _merge(old[key], value) if key in old else value
            if key in old:
                old[key] = merged
            else:
                old.insert(position, key, merged)
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, CommentedSeq) and len(old) == len(new):
        for index, value in enumerate(new):
            old[index] = _merge(old[index], value)
        return old
    if type(old) is type(new) and old == new:
        return old
    return new


# -- from pydantic errors to located problems ---------------------------------------------


def _position(tree: Any, location: tuple[int | str, ...], *, key: bool) -> tuple[int, int]:
    """1-based line and column of ``location`` in the parsed tree (of its key if ``key``)."""
    line, column = 1, 1
    node = tree
    for depth, part in enumerate(location):
        last = depth == len(location) - 1
        if isinstance(node, CommentedMap) and part in node:
            where = node.lc.key(part) if (key and last) else node.lc.value(part)
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            where = node.lc.item(part)
        else:
            break
        line, column = where[0] + 1, where[1] + 1
        node = node[part]
    return line, column


def _explain(error: ErrorDetails, location: tuple[int | str, ...]) -> str:
    kind = error["type"]
    field = "".join(
        f"[{part + 1}]" if isinstance(part, int) else f".{part}" for part in location
    ).lstrip(".")
    value = error.get("input")
    shown = repr(value) if isinstance(value, str | int | float | bool) else None
    if kind == "invariant":
        return error["msg"]
    if kind == "value_error":
        return f"{field}: {error.get('ctx', {}).get('error', error['msg'])}"
    if kind == "literal_error" and location == ("format",):
        return (
            f"this file is in study format {shown}, and this version of Koers reads format 1; "
            "update Koers to read it"
        )
    if kind == "extra_forbidden":
        unknown = str(location[-1])
        allowed = _allowed_keys(location[:-1])
        close = difflib.get_close_matches(unknown, allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(allowed)
        return f"unknown key '{unknown}'; {hint}"
    if kind == "missing":
        return f"'{location[-1]}' is missing; add it"
    if kind == "string_pattern_mismatch" and location[-1] == "municipality":
        return (
            f"municipality {shown} is not a CBS municipality code; write GM and four digits, "
            "for example GM0344"
        )
    if kind == "string_pattern_mismatch":
        return (
            f"{field} {shown} is not a valid key; use letters, digits, '_', '.' or '-', "
            "starting with a letter or digit"
        )
    if kind.startswith(("date_", "datetime_")):
        return f"{field} {shown or 'value'} is not a date; write it as YYYY-MM-DD"
    if kind in {"model_type", "model_attributes_type", "dict_type"} and _is_text(location):
        return f"{field} is a text in two languages; write it as {{nl: ..., en: ...}}"
    if kind == "literal_error" and location[-1] in {"language", "origin", "format"}:
        return f"{field} {shown} is not allowed; {error['msg'].lower()}"
    message = error["msg"]
    message = message[0].lower() + message[1:]
    return f"{field}: {message}" + (f" (found {shown})" if shown is not None else "")


def _fields(annotation: Any) -> Iterator[Any]:
    """The classes inside an annotation: ``tuple[Text, ...] | None`` gives ``Text``."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, tuple, list, dict, typing.Annotated):
        for argument in typing.get_args(annotation):
            yield from _fields(argument)
    elif isinstance(annotation, type):
        yield annotation


def _model_at(location: tuple[int | str, ...]) -> type[BaseModel] | None:
    model: type[BaseModel] | None = Study
    for part in location:
        if model is None:
            return None
        if isinstance(part, int) or part not in model.model_fields:
            continue
        inner = [
            cls
            for cls in _fields(model.model_fields[part].annotation)
            if issubclass(cls, BaseModel)
        ]
        model = inner[0] if inner else None
    return model


def _allowed_keys(location: tuple[int | str, ...]) -> list[str]:
    model = _model_at(location)
    return list(model.model_fields) if model else []


def _is_text(location: tuple[int | str, ...]) -> bool:
    return _model_at(location) is Text
