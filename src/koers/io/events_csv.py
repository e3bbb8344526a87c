"""Read and write events and their cross-impacts as one CSV table.

Layout: one row per event, below a header row. The header starts with ``event`` and
``probability``, optionally followed by ``name``, ``start`` and ``end`` (in any order); every
further column is named after an event (a target). The cell in an event's row and a target's
column is the strength, -3..+3, with which the row's event, when it occurs, changes the
target's probability; an empty cell means no impact. For example::

    event;probability;start;end;raad;storm;budget
    raad;0,30;;;;;2
    storm;0.6;2027-01-01;2027-03-31;;;-2
    budget;45%;;;1;;

Probabilities are written 0.3, 0,3 (Dutch Excel) or 30%; dates as YYYY-MM-DD. A missing name
is the key. Reading accepts ``;`` and ``,`` as delimiter (the one the header uses most),
UTF-8 with or without a byte order mark and Windows-1252 (Excel's plain "CSV"). Every
problem is reported at once, located by line and column (column 1 holds the event keys).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pydantic

from koers.errors import FormatError, Problem, ValidationError
from koers.io import csv_text
from koers.io.atomic import write_atomic
from koers.io.register_cells import FORMULA_STARTS, unescape
from koers.model.event_rules import event_list_problems
from koers.model.events import EVENT_IMPACT_RANGE, Event, EventImpact
from koers.model.problems import suggest
from koers.model.text import Text

__all__ = ["EventTable", "read_events_csv", "write_events_csv"]

_FIELDS = ("event", "probability", "name", "start", "end")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")
_INTEGER = re.compile(r"[+-]?\d+")


@dataclass(frozen=True)
class EventTable:
    """The events of a CSV file and the impacts between them, in file order."""

    events: tuple[Event, ...]
    impacts: tuple[EventImpact, ...]


def read_events_csv(path: str | Path) -> EventTable:
    """Read the events and cross-impacts in the CSV file ``path``.

    Raises
    ------
    koers.errors.FormatError
        When the file cannot be read at all: missing, empty, UTF-16, no header row.
    koers.errors.ValidationError
        With every problem found, each located by line and column.
    """
    name = str(path)
    text = csv_text.read_text(Path(path), empty="write a header row and one row per event")
    first = text.lstrip().split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    rows = csv_text.rows(text, name, delimiter)
    header_line, header = rows[0]
    labels = [cell.strip() for cell in header]
    while labels and not labels[-1]:
        labels.pop()
    problems: list[Problem] = []
    fields: dict[str, int] = {}
    targets: list[tuple[int, str]] = []
    for column, label in enumerate(labels, start=1):
        lowered = label.lower()
        if lowered in _FIELDS and lowered not in fields and not targets:
            fields[lowered] = column
        else:
            targets.append((column, label))
    if fields.get("event") != 1 or "probability" not in fields:
        raise FormatError(
            "the first row should name the columns: 'event', 'probability' (and optionally "
            "'name', 'start', 'end'), then one column per event the row's event acts on",
            name,
            header_line,
            1,
        )
    data = [(line, cells) for line, cells in rows[1:] if any(cell.strip() for cell in cells)]
    keys = [cells[0].strip() for _, cells in data]
    seen_targets: dict[str, int] = {}
    for column, label in targets:
        if label in seen_targets:
            problems.append(
                Problem(
                    f"column '{label}' is written twice (columns {seen_targets[label]} and "
                    f"{column}); merge them into one",
                    name,
                    header_line,
                    column,
                )
            )
        elif label not in keys:
            problems.append(
                Problem(
                    f"column '{label}' is not an event of the first column; {suggest(label, keys)}",
                    name,
                    header_line,
                    column,
                )
            )
        seen_targets.setdefault(label, column)
    events: list[Event] = []
    event_places: list[tuple[int, dict[str, int]]] = []
    written: list[tuple[str, str, int, int, int]] = []  # source, target, strength, line, column
    valid_targets = [(column, label) for column, label in targets if seen_targets[label] == column]
    first_row: dict[str, int] = {}
    for line, cells in data:
        key = cells[0].strip()
        if key in first_row:
            problems.append(
                Problem(
                    f"two events have the key '{key}' (lines {first_row[key]} and {line}); "
                    "give each a key of its own",
                    name,
                    line,
                    1,
                )
            )
        first_row.setdefault(key, line)
        if len(cells) > len(labels) and any(cell.strip() for cell in cells[len(labels) :]):
            problems.append(
                Problem(
                    f"row '{cells[0].strip()}' has more cells than the header names columns; "
                    "remove the extra cells or name their columns",
                    name,
                    line,
                    len(labels) + 1,
                )
            )
        cells = cells + [""] * (len(labels) - len(cells))
        row_event = _event(cells, fields, (name, line), problems)
        if row_event is not None:
            events.append(row_event)
            event_places.append((line, fields))
        for column, target in valid_targets:
            strength = _strength(cells[column - 1].strip(), (name, line, column), problems)
            if strength is not None and row_event is not None:
                written.append((row_event.key, target, strength, line, column))
    if not data:
        problems.append(
            Problem("the file has a header but no events; add one row per event", name, header_line)
        )
    # impacts on events whose row could not be read are left out: that row is reported
    parsed = {event.key for event in events}
    kept = [w for w in written if w[1] in parsed]
    impacts = [EventImpact(source=s, target=t, strength=v) for s, t, v, _, _ in kept]
    for location, message in event_list_problems(events, impacts):
        if location[0] == "events" and location[2:] == ("key",):
            continue  # duplicate keys: reported above, from every row
        index = int(location[1])
        if location[0] == "events":
            line, where = event_places[index]
            column = where.get(str(location[2]), 1) if len(location) > 2 else 1
        else:
            line, column = kept[index][3], kept[index][4]
        problems.append(Problem(message, name, line, column))
    if problems:
        raise ValidationError(problems)
    return EventTable(tuple(events), tuple(impacts))


def write_events_csv(
    events: Sequence[Event], impacts: Sequence[EventImpact], path: str | Path
) -> None:
    """Write ``events`` and ``impacts`` to ``path`` atomically, as UTF-8 CSV with ``;``.

    Names are written in English when they have it, else in Dutch; descriptions and reasons
    are not written (the CSV has no place for them).

    Raises
    ------
    koers.errors.ValidationError
        When the events or impacts break a rule of :mod:`koers.model.event_rules`.
    """
    problems = [Problem(message) for _, message in event_list_problems(events, impacts)]
    if problems:
        raise ValidationError(problems)
    keys = [event.key for event in events]
    strengths = {(i.source, i.target): i.strength for i in impacts}
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["event", "probability", "name", "start", "end", *keys])
    for event in events:
        writer.writerow(
            [
                event.key,
                repr(event.probability),
                _guarded(event.name.get("en")),
                event.start.isoformat() if event.start else "",
                event.end.isoformat() if event.end else "",
                *(_signed(strengths.get((event.key, key))) for key in keys),
            ]
        )
    write_atomic(Path(path), buffer.getvalue().encode("utf-8"))


def _guarded(text: str) -> str:
    """``text`` with a leading apostrophe when a spreadsheet could take it for a formula
    (OWASP, "CSV Injection"); the reader removes it again (:func:`unescape`).

    >>> _guarded("=HYPERLINK(1)"), _guarded("'t Hooft"), _guarded("Brand")
    ("'=HYPERLINK(1)", "''t Hooft", 'Brand')
    """
    return "'" + text if text.startswith((*FORMULA_STARTS, "'")) else text


def _signed(strength: int | None) -> str:
    return "" if not strength else f"{strength:+d}"


def _event(
    cells: list[str], fields: dict[str, int], where: tuple[str, int], problems: list[Problem]
) -> Event | None:
    name, line = where
    before = len(problems)
    key = cells[0].strip()
    column = fields["probability"]
    probability = _probability(cells[column - 1].strip(), (name, line, column), problems)
    dates: dict[str, dt.date | None] = {}
    for field in ("start", "end"):
        if field in fields:
            dates[field] = _date(
                cells[fields[field] - 1].strip(), (name, line, fields[field]), problems
            )
    label = unescape(cells[fields["name"] - 1].strip()) if "name" in fields else ""
    if len(problems) > before or probability is None:
        return None
    try:
        return Event(
            key=key,
            name=Text(nl=label or key, en=label or key),
            probability=probability,
            start=dates.get("start"),
            end=dates.get("end"),
        )
    except pydantic.ValidationError as err:
        for error in err.errors():
            field = str(error["loc"][0]) if error["loc"] else "event"
            column = 1 if field == "key" else fields.get(field, 1)
            what = f"event key '{key}'" if field == "key" else f"{field} of event '{key}'"
            problems.append(
                Problem(
                    f"{what}: {error['msg']}; use letters, digits, '_', '.' and '-', "
                    "starting with a letter or digit"
                    if field == "key"
                    else f"{what}: {error['msg']}",
                    name,
                    line,
                    column,
                )
            )
        return None


def _probability(cell: str, where: tuple[str, int, int], problems: list[Problem]) -> float | None:
    percent = cell.endswith("%")
    text = cell[:-1].strip() if percent else cell
    if not _NUMBER.fullmatch(text):
        problems.append(
            Problem(
                f"probability '{cell}' is not a number; write it as 0.3, 0,3 or 30%",
                *where,
            )
        )
        return None
    value = float(text.replace(",", ".")) / (100 if percent else 1)
    if not 0.0 <= value <= 1.0:
        problems.append(
            Problem(
                f"probability '{cell}' is outside 0..1; write a chance from 0 (never) to 1 "
                "(certain), or a percentage from 0% to 100%",
                *where,
            )
        )
        return None
    return value


def _strength(cell: str, where: tuple[str, int, int], problems: list[Problem]) -> int | None:
    if not cell:
        return None
    low, high = EVENT_IMPACT_RANGE
    if not _INTEGER.fullmatch(cell) or not low <= int(cell) <= high:
        problems.append(
            Problem(
                f"impact '{cell}' is not a whole number in {low}..+{high}; write {low} (makes "
                f"it much less likely) to +{high} (much more likely), or leave the cell empty",
                *where,
            )
        )
        return None
    return int(cell) or None


def _date(cell: str, where: tuple[str, int, int], problems: list[Problem]) -> dt.date | None:
    if not cell:
        return None
    try:
        return dt.date.fromisoformat(cell)
    except ValueError:
        problems.append(
            Problem(f"date '{cell}' is not a date; write it as YYYY-MM-DD, e.g. 2027-03-31", *where)
        )
        return None
