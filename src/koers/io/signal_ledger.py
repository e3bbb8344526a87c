"""The signals ledger of a study file: its observations and alert statuses, beside it in JSON.

A study kept as a file has a companion ``<name>.signals.json`` in the same folder (see
:func:`ledger_path`). It holds the full history of observations in the order they were
recorded (append-only: a corrected value is a new record, the old one stays) and the alert
statuses the team set. This module only reads and writes the file; merging new observations
into the history is :func:`koers.methods.signals.ledger.merge`.

The file is JSON, UTF-8, one record per line so that a diff shows what an import added::

    {"format": 1, "kind": "koers-signals",
     "fields": ["indicator", "region", "period", "value", "recorded", "source"],
     "observations": [
    ["ww", "GM0344", "2021-03", 1234.0, "2021-04-02T09:00:00+00:00", "ww.csv"],
    ...
    ],
     "statuses": [
    {"indicator": "ww", "trigger": "hoog", "period": "2021-03", "level": "red", ...}
    ]}

Observations are compact arrays in the order of ``fields``; statuses are objects (they are
few). Reading validates every record with the model and reports each problem with the
record's number and, where the file has the layout above, its line.
"""

from __future__ import annotations

import gc
import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticError

from koers.errors import FormatError, KoersError, Problem, ValidationError
from koers.io.atomic import write_atomic
from koers.model.signals import Alert, Observation

__all__ = [
    "FIELDS",
    "FORMAT_VERSION",
    "KIND",
    "Ledger",
    "ledger_path",
    "load_ledger",
    "save_ledger",
]

FORMAT_VERSION = 1
KIND = "koers-signals"
FIELDS = ("indicator", "region", "period", "value", "recorded", "source")
"""The order of an observation's values in its array."""

_KEYS = ("format", "kind", "fields", "observations", "statuses")
_OBSERVATIONS: TypeAdapter[list[Observation]] = TypeAdapter(list[Observation])
_STATUSES: TypeAdapter[list[Alert]] = TypeAdapter(list[Alert])


@dataclass(frozen=True)
class Ledger:
    """A study's observations (the full history, in recorded order) and alert statuses."""

    observations: tuple[Observation, ...] = ()
    statuses: tuple[Alert, ...] = ()


def ledger_path(study_path: Path) -> Path:
    """The ledger file beside the study file ``study_path``: ``<name>.signals.json``.

    >>> ledger_path(Path("studies/corona.yaml")).as_posix()
    'studies/corona.signals.json'
    """
    return study_path.with_name(f"{study_path.stem}.signals.json")


def load_ledger(path: Path) -> Ledger:
    """The ledger in the file ``path``; an empty ledger when there is no such file.

    Raises
    ------
    koers.errors.FormatError
        When the file cannot be read, is not UTF-8 or not JSON (with the line and column).
    koers.errors.ValidationError
        With every problem of the content: a wrong format version or layout, and each record
        that the model refuses, by its number in its list.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Ledger()
    except OSError as err:
        raise FormatError(f"cannot read the signals ledger: {err.strerror}", path) from err
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        raise FormatError(
            f"byte 0x{raw[err.start]:02X} is not UTF-8; the ledger was changed by something "
            "other than Koers: restore it from a backup or version control",
            path,
            before.count(b"\n") + 1,
            len(before) - (before.rfind(b"\n") + 1) + 1,
        ) from err
    with _collector_paused():
        try:
            document = json.loads(text)
        except json.JSONDecodeError as err:
            raise FormatError(
                f"the signals ledger is not valid JSON: {err.msg}; restore it from a backup "
                "or version control, or mend it by hand",
                path,
                err.lineno,
                err.colno,
            ) from err
        return _ledger(document, text, str(path))


def save_ledger(path: Path, ledger: Ledger) -> None:
    """Write ``ledger`` to ``path`` atomically: readers see the old file or the new one.

    Raises
    ------
    koers.errors.ValidationError
        When an observation's value is not finite (JSON cannot hold it); nothing is written.
    koers.errors.KoersError
        When the file cannot be written.
    """
    bad = [
        Problem(
            f"observation {number} ({record.indicator}, {record.region}, {record.period}) has "
            f"the value {record.value}, which a ledger cannot hold; give a finite number",
            str(path),
        )
        for number, record in enumerate(ledger.observations, start=1)
        if not math.isfinite(record.value)
    ]
    if bad:
        raise ValidationError(bad)
    data = _text(ledger).encode("utf-8")
    try:
        write_atomic(path, data)
    except OSError as err:
        raise KoersError(f"{path}: cannot write the signals ledger: {err.strerror}") from err


def _text(ledger: Ledger) -> str:
    encode = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    stamps: dict[object, str] = {}  # most records of one import share their time

    def row(record: Observation) -> str:
        stamp = stamps.get(record.recorded)
        if stamp is None:
            stamp = stamps[record.recorded] = record.recorded.isoformat()
        values = [record.indicator, record.region, record.period, record.value, stamp]
        return encode([*values, record.source])

    head = encode({"format": FORMAT_VERSION, "kind": KIND, "fields": list(FIELDS)})
    parts = [head[:-1], ',\n "observations": [\n']
    parts.append(",\n".join(map(row, ledger.observations)))
    parts.append('\n],\n "statuses": [\n')
    parts.append(",\n".join(encode(s.model_dump(mode="json")) for s in ledger.statuses))
    parts.append("\n]}\n")
    return "".join(parts)


def _ledger(document: object, text: str, name: str) -> Ledger:
    """The ledger in the parsed ``document``, every problem of its content at once."""
    if not isinstance(document, dict):
        raise ValidationError([Problem(_not_a_ledger("it is not a JSON object"), name, 1, 1)])
    problems = _head(document, name)
    if problems:
        raise ValidationError(problems)
    locate = _Locator(text, name)
    observations = _records(document["observations"], "observations", locate, problems)
    statuses = _records(document["statuses"], "statuses", locate, problems)
    if problems:
        raise ValidationError(problems)
    return Ledger(tuple(observations), tuple(statuses))


def _head(document: dict[str, Any], name: str) -> list[Problem]:
    """The problems of the ledger's keys, version and field list."""
    version = document.get("format")
    if isinstance(version, int) and version > FORMAT_VERSION:
        return [
            Problem(
                f"the ledger has format {version}, written by a newer Koers; this Koers reads "
                f"format {FORMAT_VERSION}: upgrade Koers",
                name,
            )
        ]
    problems = [
        Problem(_not_a_ledger(f"it lacks the key '{key}'"), name)
        for key in _KEYS
        if key not in document
    ]
    problems += [
        Problem(_not_a_ledger(f"it has the unknown key '{key}'"), name)
        for key in document
        if key not in _KEYS
    ]
    checks = [
        ("format", version == FORMAT_VERSION, f"format is {FORMAT_VERSION}"),
        ("kind", document.get("kind") == KIND, f"kind is '{KIND}'"),
        ("fields", document.get("fields") == list(FIELDS), f"fields are {list(FIELDS)}"),
        ("observations", isinstance(document.get("observations"), list), "observations is a list"),
        ("statuses", isinstance(document.get("statuses"), list), "statuses is a list"),
    ]
    problems += [
        Problem(_not_a_ledger(f"{key} is {json.dumps(document[key])[:60]}; {rule}"), name)
        for key, holds, rule in checks
        if key in document and not holds
    ]
    return problems


def _records(
    items: list[Any], section: str, locate: _Locator, problems: list[Problem]
) -> list[Any]:
    """The validated records of ``section``; each refused record adds to ``problems``."""
    adapter: TypeAdapter[list[Any]]
    if section == "observations":
        adapter, noun = _OBSERVATIONS, "observation"
        shaped: list[tuple[int, Any]] = []
        for index, item in enumerate(items):
            if not (isinstance(item, list) and len(item) == len(FIELDS)):
                message = f"is not an array of the {len(FIELDS)} values {', '.join(FIELDS)}"
                problems.append(locate(f"{noun} {index + 1} {message}", section, index, item))
            elif isinstance(item[3], float) and not math.isfinite(item[3]):
                message = f"value: {item[3]} is not a finite number"
                problems.append(locate(f"{noun} {index + 1} {message}", section, index, item))
            else:
                shaped.append((index, dict(zip(FIELDS, item, strict=True))))
    else:
        adapter, noun = _STATUSES, "status"
        shaped = list(enumerate(items))
    try:
        return adapter.validate_python([record for _, record in shaped])
    except PydanticError as err:
        for error in err.errors(include_url=False):
            position, *field = error["loc"]
            index = shaped[int(position)][0]
            where = ".".join(str(part) for part in field)
            message = f"{where}: {error['msg']}" if where else error["msg"]
            problems.append(locate(f"{noun} {index + 1} {message}", section, index, items[index]))
        return []


class _Locator:
    """Makes the problem of a record, with its line when the file keeps Koers's layout.

    Koers writes one record per line right after the line that opens the list; a line is
    given only when that line parses to the very record, so a hand-edited layout gives none
    rather than a wrong one. The text is split into lines once, and only when needed.
    """

    def __init__(self, text: str, name: str) -> None:
        self.text = text
        self.name = name
        self._lines: list[str] | None = None
        self._openings: dict[str, int | None] = {}

    def __call__(self, message: str, section: str, index: int, item: object) -> Problem:
        return Problem(message, self.name, self._line(section, index, item))

    def _line(self, section: str, index: int, item: object) -> int | None:
        if self._lines is None:
            self._lines = self.text.splitlines()
        lines = self._lines
        if section not in self._openings:
            self._openings[section] = next(
                (n for n, line in enumerate(lines) if line.lstrip().startswith(f'"{section}"')),
                None,
            )
        opening = self._openings[section]
        if opening is None or opening + 1 + index >= len(lines):
            return None
        candidate = lines[opening + 1 + index].strip().removesuffix(",")
        try:
            return opening + 2 + index if json.loads(candidate) == item else None
        except json.JSONDecodeError:
            return None


def _not_a_ledger(detail: str) -> str:
    return (
        f"this is not a Koers signals ledger as written by this version: {detail}; restore "
        "the file from a backup or version control"
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many objects are made at once.

    A ledger of 100 000 records makes over a million objects and no reference cycles; the
    collector would walk them again and again (it triggers on allocations): loading 100 000
    records took 0.75 to 0.9 s with it running and 0.4 s without. Reference counting still
    frees everything; the old state is restored afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
