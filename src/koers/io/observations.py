"""Read observation files: indicator values from CSV or Excel, every problem located.

An observation file is a table with the columns ``indicator, region, period, value`` (or in
Dutch ``indicator, regio, periode, waarde``), in any order and any case, one observation a
row. Reading is all or nothing: any problem raises :class:`~koers.errors.ValidationError`
with every problem found, unless ``skip_bad`` is given, and then the good rows come back with
the bad ones listed. docs/study-format.md ("Observation files") describes the format.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from koers.errors import FormatError, Problem, ValidationError
from koers.io.atomic import write_atomic
from koers.io.observation_tables import RawTable, column_letter, read_table
from koers.model.periods import Frequency, Period
from koers.model.problems import suggest
from koers.model.signals import Indicator, Observation
from koers.model.study import Study

__all__ = [
    "COLUMNS",
    "ObservationFile",
    "ObservationRow",
    "SkippedRow",
    "parse_number",
    "read_observations",
    "write_skipped_report",
]

COLUMNS = ("indicator", "region", "period", "value")
_DUTCH_NAMES = {"regio": "region", "periode": "period", "waarde": "value"}
_EXPECTED = "indicator, region, period, value (in Dutch: indicator, regio, periode, waarde)"

_EXPONENT = r"(?:[eE][+-]?\d+)?"
_DUTCH_NUMBER = re.compile(rf"[+-]?(?:\d{{1,3}}(?:\.\d{{3}})+|\d+)(?:,\d+)?{_EXPONENT}")
_POINT_NUMBER = re.compile(rf"[+-]?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?{_EXPONENT}")
_NOT_FINITE = {"nan", "inf", "infinity"}
_EXCEL_ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"}
_Report = Callable[[str, str], None]
"""Records a problem in a column of the current row: ``report(column, message)``."""
_NO_FIGURE = "give a number, or leave the row out when the period has no figure"


@dataclass(frozen=True, slots=True)
class ObservationRow:
    """One good row: the indicator's key, the region, the period in its canonical form
    (``2021-03`` also for a date in March 2021) and the value, with its line in the file."""

    indicator: str
    region: str
    period: str
    value: float
    line: int


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A row left out by ``skip_bad``: its line (Excel's row number) and what is wrong."""

    line: int
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class ObservationFile:
    """What an observation file holds: its good ``rows`` in file order, the ``skipped`` ones
    (only with ``skip_bad``), and how the file was read."""

    path: Path
    rows: tuple[ObservationRow, ...]
    skipped: tuple[SkippedRow, ...]
    decimal_comma: bool
    encoding: str | None
    """``utf-8`` or ``cp1252`` for CSV, ``None`` for a workbook."""

    def observations(self, recorded: dt.datetime) -> tuple[Observation, ...]:
        """The rows as observations recorded at ``recorded``, with the file's name as source."""
        return tuple(
            Observation(
                indicator=row.indicator,
                region=row.region,
                period=row.period,
                value=row.value,
                recorded=recorded,
                source=self.path.name,
            )
            for row in self.rows
        )


def read_observations(
    path: Path, study: Study, *, decimal_comma: bool | None = None, skip_bad: bool = False
) -> ObservationFile:
    """Read the observations in the CSV file or Excel workbook ``path`` for ``study``.

    Parameters
    ----------
    path : Path
        A ``.xlsx`` workbook, or CSV text under any other name (``.csv``, ``.txt``).
    study : Study
        Its indicators say which keys, regions and periods are allowed.
    decimal_comma : bool, optional (default=None)
        How numbers written as text are read. ``True``: Dutch, ``1.234,5`` (a dot between
        thousands, a comma before the decimals); ``False``: ``1,234.5`` or ``1234.5``.
        ``None``: a ``;``-delimited CSV is Dutch (what Dutch Excel exports), a
        ``,``-delimited one is not, and the text cells of a workbook are Dutch. Under Dutch
        rules ``1.234`` is 1234; see :func:`parse_number`.
    skip_bad : bool, optional (default=False)
        Return the good rows and list the bad ones in ``skipped`` instead of raising.

    Raises
    ------
    koers.errors.FormatError
        When the file cannot be read as a table (missing, empty, binary, not a workbook).
    koers.errors.ValidationError
        With every problem: a wrong header (always); bad rows unless ``skip_bad``.
    """
    table = read_table(path)
    name = str(path)
    columns = _columns(table, name)
    dutch = decimal_comma if decimal_comma is not None else table.delimiter != ","
    checker = _RowChecker(study, table, columns, dutch, name)
    if not table.rows:
        raise FormatError(
            "the file has a header but no observations below it; add one row per value",
            path,
            table.header_line,
        )
    problems: dict[int, list[Problem]] = {}
    good: dict[int, ObservationRow] = {}
    for line, cells in table.rows:
        row, row_problems = checker.check(line, cells)
        if row_problems:
            problems[line] = row_problems
        elif row is not None:
            good[line] = row
    for line, problem in _duplicates(good.values(), name, columns["period"] + 1):
        problems.setdefault(line, []).append(problem)
    if problems and not skip_bad:
        raise ValidationError([problem for line in sorted(problems) for problem in problems[line]])
    return ObservationFile(
        path=path,
        rows=tuple(row for line, row in good.items() if line not in problems),
        skipped=tuple(SkippedRow(line, tuple(problems[line])) for line in sorted(problems)),
        decimal_comma=dutch,
        encoding=table.encoding,
    )


def write_skipped_report(path: Path, skipped: Sequence[SkippedRow]) -> None:
    """Write the skipped rows to ``path`` atomically: a CSV with ``row, column, problem``.

    One line per problem; ``column`` is the column number (A = 1), empty when the problem is
    about the whole row. UTF-8 with a byte order mark, so that Excel shows accents right.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["row", "column", "problem"])
    for row in skipped:
        for problem in row.problems:
            column = "" if problem.column is None else problem.column
            writer.writerow([row.line, column, problem.message])
    write_atomic(path, buffer.getvalue().encode("utf-8-sig"))


def parse_number(text: str, *, decimal_comma: bool) -> float:
    """The number ``text`` writes, in Dutch notation or with a decimal point.

    Thousands separators must group three digits, so a misread is caught rather than
    guessed: under Dutch rules ``1234.5`` is refused, under the other ``1,5`` is. A text
    that fits both (``1.234`` or ``1,234``) is read by the rules asked for.

    >>> parse_number("1.234,5", decimal_comma=True), parse_number("1.234", decimal_comma=True)
    (1234.5, 1234.0)
    >>> parse_number("-1,234.5", decimal_comma=False), parse_number("1e3", decimal_comma=False)
    (-1234.5, 1000.0)

    Raises
    ------
    ValueError
        When ``text`` is not a number in that notation, or not finite (``NaN``, ``inf``).
    """
    text = text.strip().replace("\u2212", "-")  # the minus sign of typeset tables
    if text.lstrip("+-").lower() in _NOT_FINITE:
        raise ValueError(f"'{text}' is not a finite number; {_NO_FIGURE}")
    pattern = _DUTCH_NUMBER if decimal_comma else _POINT_NUMBER
    if not pattern.fullmatch(text):
        if decimal_comma:
            raise ValueError(
                f"'{text}' is not a number in Dutch notation; write it like 1234,5 or "
                "1.234,5 (a comma before the decimals), or read the file with "
                "decimal_comma=False when it uses a decimal point"
            )
        raise ValueError(
            f"'{text}' is not a number with a decimal point; write it like 1234.5 or "
            "1,234.5, or read the file with decimal_comma=True when it uses Dutch notation "
            "(1.234,5)"
        )
    plain = text.replace(".", "").replace(",", ".") if decimal_comma else text.replace(",", "")
    value = float(plain)
    if not math.isfinite(value):
        raise ValueError(f"'{text}' is too large to be a finite number; {_NO_FIGURE}")
    return value


def _columns(table: RawTable, name: str) -> dict[str, int]:
    """The 0-based position of each of :data:`COLUMNS`; a wrong header raises at once."""
    positions: dict[str, int] = {}
    problems: list[Problem] = []
    for index, cell in enumerate(table.header):
        text = _text(cell)
        if not text:
            continue
        canonical = _DUTCH_NAMES.get(text.lower(), text.lower())
        if canonical not in COLUMNS:
            problems.append(
                Problem(
                    f"column '{text}' is not one Koers reads; remove it. The columns are "
                    f"{_EXPECTED}",
                    name,
                    table.header_line,
                    index + 1,
                )
            )
        elif canonical in positions:
            problems.append(
                Problem(
                    f"column '{text}' is the {canonical} column a second time (columns "
                    f"{positions[canonical] + 1} and {index + 1}); keep one",
                    name,
                    table.header_line,
                    index + 1,
                )
            )
        else:
            positions[canonical] = index
    missing = [column for column in COLUMNS if column not in positions]
    if missing:
        listed = ", ".join(f"'{column}'" for column in missing)
        problems.append(
            Problem(
                f"the header lacks the column{'s' * (len(missing) > 1)} {listed}; the header "
                f"row must name the columns {_EXPECTED}",
                name,
                table.header_line,
            )
        )
    if problems:
        raise ValidationError(problems)
    return positions


class _RowChecker:
    """Checks one row against the study; remembers the periods it has parsed."""

    def __init__(
        self, study: Study, table: RawTable, columns: dict[str, int], dutch: bool, name: str
    ) -> None:
        self.indicators = {indicator.key: indicator for indicator in study.indicators}
        self.regions = {indicator.key: study.region_of(indicator) for indicator in study.indicators}
        self.table = table
        self.columns = columns
        self.headers = {column: _text(table.header[index]) for column, index in columns.items()}
        self.dutch = dutch
        self.name = name
        self.periods: dict[tuple[str, Frequency], str | ValueError] = {}

    def check(
        self, line: int, cells: tuple[object, ...]
    ) -> tuple[ObservationRow | None, list[Problem]]:
        problems: list[Problem] = []

        def problem(column: str, message: str) -> None:
            index = self.columns[column]
            where = f" (cell {column_letter(index + 1)}{line})" if self.table.is_workbook else ""
            problems.append(
                Problem(f"{self.headers[column]}{where}: {message}", self.name, line, index + 1)
            )

        def cell(column: str) -> object:
            index = self.columns[column]
            return cells[index] if index < len(cells) else None

        indicator = self._indicator(_text(cell("indicator")), problem)
        region = _text(cell("region")).upper()
        if indicator is not None:
            allowed = self.regions[indicator.key]
            if not region:
                problem(
                    "region",
                    f"the region is empty; write {allowed}, where '{indicator.key}' is measured",
                )
            elif region != allowed:
                problem(
                    "region",
                    f"'{region}' is not where '{indicator.key}' is measured; write {allowed}",
                )
        period = self._period(cell("period"), indicator, problem)
        value = self._value(cell("value"), problem)
        used = set(self.columns.values())
        for index, extra in enumerate(cells):
            if index not in used and _text(extra):
                problems.append(
                    Problem(
                        f"column {index + 1} holds '{_text(extra)}' but has no header; remove "
                        f"it, or name it as one of {_EXPECTED}",
                        self.name,
                        line,
                        index + 1,
                    )
                )
        if problems or indicator is None or period is None or value is None:
            return None, problems
        return ObservationRow(indicator.key, region, period, value, line), problems

    def _indicator(self, key: str, problem: _Report) -> Indicator | None:
        if not key:
            problem(
                "indicator",
                "the indicator is empty; write the key of one of the study's indicators",
            )
            return None
        indicator = self.indicators.get(key)
        if indicator is None:
            problem(
                "indicator",
                f"'{key}' is not an indicator of the study; {suggest(key, self.indicators)}",
            )
        return indicator

    def _period(self, value: object, indicator: Indicator | None, problem: _Report) -> str | None:
        text = _period_text(value)
        if not text:
            problem(
                "period",
                "the period is empty; write it like 2021-03, 2021-Q1, 2021 "
                "or a date such as 2021-03-31",
            )
            return None
        if indicator is None:
            return None  # the period's form depends on the indicator's frequency
        key = (text, indicator.frequency)
        parsed = self.periods.get(key)
        if parsed is None:
            try:
                parsed = str(Period.parse(text, indicator.frequency))
            except ValueError as err:
                parsed = err
            self.periods[key] = parsed
        if isinstance(parsed, ValueError):
            problem("period", str(parsed))
            return None
        return parsed

    def _value(self, value: object, problem: _Report) -> float | None:
        if isinstance(value, bool):  # before int: a bool is an int to Python
            problem("value", f"{str(value).upper()} is not a number; {_NO_FIGURE}")
            return None
        if isinstance(value, int | float):
            if math.isfinite(value):
                return float(value)
            problem("value", f"{value} is not a finite number; {_NO_FIGURE}")
            return None
        if isinstance(value, dt.date | dt.time):
            problem(
                "value",
                f"the cell holds a date or time ({_period_text(value)}), not a number; "
                "format the cell as a number",
            )
            return None
        text = _text(value)
        if not text:
            problem("value", f"the value is empty; {_NO_FIGURE}")
            return None
        if text.upper() in _EXCEL_ERRORS:
            problem(
                "value",
                f"the cell holds the Excel error {text.upper()}; correct the "
                "formula or type the number",
            )
            return None
        try:
            return parse_number(text, decimal_comma=self.dutch)
        except ValueError as err:
            problem("value", str(err))
            return None


def _duplicates(
    rows: Iterable[ObservationRow], name: str, column: int
) -> list[tuple[int, Problem]]:
    """A problem for each row that repeats the indicator, region and period of an earlier row.

    The first row of such a group is a problem too when the values differ: which one is
    right cannot be told from the file.
    """
    groups: dict[tuple[str, str, str], list[ObservationRow]] = {}
    for row in rows:
        groups.setdefault((row.indicator, row.region, row.period), []).append(row)
    found: list[tuple[int, Problem]] = []
    for (indicator, region, period), group in groups.items():
        if len(group) == 1:
            continue
        first, *later = group
        what = f"'{indicator}' in {region} for {period}"
        if any(row.value != first.value for row in later):
            lines = _and([str(row.line) for row in later])
            message = (
                f"{what} is also on line{'s' * (len(later) > 1)} {lines}, with another value; "
                "keep the right one"
            )
            found.append((first.line, Problem(message, name, first.line, column)))
        for row in later:
            detail = "" if row.value == first.value else f" with another value ({_show(row.value)})"
            message = (
                f"{what} is already on line {first.line}{detail}; keep one row per indicator, "
                "region and period"
            )
            found.append((row.line, Problem(message, name, row.line, column)))
    return found


def _and(items: list[str]) -> str:
    """``items`` as an English list: ``6``, ``6 and 7``, ``6, 7 and 9``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _text(cell: object) -> str:
    """A cell as text: numbers without a needless ``.0`` (an Excel cell 2021 is ``2021``)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _period_text(cell: object) -> str:
    """A period cell as text; a date cell of a workbook becomes an ISO date."""
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return _text(cell)


def _show(value: float) -> str:
    """``value`` short (``12`` for 12.0) yet exact, so two different values never look alike."""
    short = f"{value:g}"
    return short if float(short) == value else repr(value)
