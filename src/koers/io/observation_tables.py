"""The raw table of an observation file: its header and rows of cells, from CSV or Excel.

This module only gets the cells out of the file and says where each stands; what the cells
mean is checked by :mod:`koers.io.observations`. A CSV file gives text cells; an Excel
workbook (``.xlsx``) gives the cell values openpyxl reads (text, numbers, dates, booleans).

CSV: UTF-8 with or without a byte order mark, else Windows-1252 (Excel's plain "CSV" on
Western Windows; valid UTF-8 is practically never Windows-1252 by accident, so the order is
safe); ``,`` or ``;`` as delimiter, whichever the header line holds more of; an Excel
``sep=;`` first line is honoured. Excel: the sheet named ``observations`` or
``waarnemingen`` (any case), else the first sheet; formulas give their last computed value.
:func:`read_workbook` reads every sheet of a workbook, for files that hold several tables
(the strategy registers of :mod:`koers.io.registers`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from koers.errors import FormatError
from koers.io.safe_zip import check_archive

__all__ = ["RawTable", "column_letter", "read_table", "read_workbook"]

SHEET_NAMES = ("observations", "waarnemingen")
_SEP_LINE = re.compile(r"^sep=([,;])\s*$", re.IGNORECASE)
_SAVE_AS = "export the table as 'CSV UTF-8' or as an Excel workbook (.xlsx)"
_EMPTY = (
    "the file is empty; an observation file starts with the header row "
    "indicator, region, period, value"
)


@dataclass(frozen=True)
class RawTable:
    """The cells of an observation file.

    ``header`` is the first row that holds anything, at ``header_line``; ``rows`` are the
    non-empty rows below it as (line, cells), the line as a text editor (CSV) or Excel (xlsx)
    numbers it. ``delimiter`` is ``None`` for a workbook; ``encoding`` is ``None`` for a
    workbook.
    """

    header: tuple[object, ...]
    header_line: int
    rows: tuple[tuple[int, tuple[object, ...]], ...]
    delimiter: str | None
    encoding: str | None

    @property
    def is_workbook(self) -> bool:
        """Whether the cells come from an Excel workbook (and may be numbers or dates)."""
        return self.delimiter is None


def read_table(path: Path, *, empty: str = _EMPTY) -> RawTable:
    """The header and rows of the CSV file or Excel workbook at ``path``.

    ``empty`` is the message when the file (or the sheet read) holds nothing.

    Raises
    ------
    koers.errors.FormatError
        When the file cannot be read as a table: missing, empty, binary, UTF-16, an old
        ``.xls`` or a damaged workbook.
    """
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise FormatError(
            "this is the old Excel format (.xls), which Koers does not read; open it in Excel "
            "and save it as 'Excel Workbook (.xlsx)' or as 'CSV UTF-8'",
            path,
        )
    if suffix in (".xlsx", ".xlsm"):
        return _table(path, iter(_workbook_rows(path, _observation_sheet)[0][1]), None, None, empty)
    text, encoding = _text(path)
    delimiter, lines = _delimiter(text)
    return _table(path, _csv_rows(path, lines, delimiter), delimiter, encoding, empty)


def read_workbook(path: Path) -> tuple[tuple[str, RawTable | None], ...]:
    """Every sheet of the Excel workbook at ``path``: its title and its table, in the
    workbook's order; ``None`` for a sheet that holds nothing.

    Raises
    ------
    koers.errors.FormatError
        When the file is not a workbook Koers can read (see :func:`read_table`).
    """
    return tuple(
        (title, _table(path, iter(rows), None, None, "") if any(_has_cells(rows)) else None)
        for title, rows in _workbook_rows(path, list)
    )


def column_letter(column: int) -> str:
    """The letters Excel shows above ``column`` (1-based).

    >>> [column_letter(n) for n in (1, 4, 26, 27, 703)]
    ['A', 'D', 'Z', 'AA', 'AAA']
    """
    letters = ""
    while column > 0:
        column, remainder = divmod(column - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _table(
    path: Path,
    rows: Iterator[tuple[int, tuple[object, ...]]],
    delimiter: str | None,
    encoding: str | None,
    empty: str,
) -> RawTable:
    filled = [(line, cells) for line, cells in rows if any(_filled(cell) for cell in cells)]
    if not filled:
        raise FormatError(empty, path, 1)
    (header_line, header), *data = filled
    return RawTable(header, header_line, tuple(data), delimiter, encoding)


def _filled(cell: object) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _has_cells(rows: list[tuple[int, tuple[object, ...]]]) -> Iterator[bool]:
    return (any(_filled(cell) for cell in cells) for _, cells in rows)


def _text(path: Path) -> tuple[str, str]:
    """The file's text and the encoding it was read in."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise FormatError(f"cannot read the file: {err.strerror}", path) from err
    if raw.startswith(b"PK\x03\x04"):
        raise FormatError(
            "this is an Excel workbook (a zip archive), not CSV text; give the file the "
            "extension .xlsx",
            path,
            1,
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FormatError(f"the file is UTF-16 text ('Unicode text' in Excel); {_SAVE_AS}", path, 1)
    if b"\x00" in raw:
        raise FormatError(
            f"the file holds binary data (a NUL byte), not CSV text; {_SAVE_AS}", path
        )
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        raise FormatError(
            f"byte 0x{raw[err.start]:02X} is neither UTF-8 nor Windows-1252 text; {_SAVE_AS}",
            path,
            before.count(b"\n") + 1,
            len(before) - (before.rfind(b"\n") + 1) + 1,
        ) from err


def _delimiter(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The delimiter, and the lines (numbered from 1) that hold the table.

    The header names hold neither delimiter, so the one the header line has more of wins;
    an Excel ``sep=`` line says it outright and is not part of the table.
    """
    # Split as the csv module does (CR, LF, CRLF), not as str.splitlines, so lines agree.
    lines = list(enumerate(io.StringIO(text, newline="").readlines(), start=1))
    first = next(((number, line) for number, line in lines if line.strip()), (1, ""))
    stated = _SEP_LINE.match(first[1])
    if stated:
        return stated[1], [entry for entry in lines if entry[0] != first[0]]
    return (";" if first[1].count(";") > first[1].count(",") else ","), lines


def _csv_rows(
    path: Path, lines: list[tuple[int, str]], delimiter: str
) -> Iterator[tuple[int, tuple[object, ...]]]:
    """The rows as (first line, cells); a quoted cell may span lines."""
    numbers = [number for number, _ in lines]
    reader = csv.reader(
        io.StringIO("".join(line for _, line in lines), newline=""), delimiter=delimiter
    )
    consumed = 0
    try:
        for cells in reader:
            start = numbers[consumed] if consumed < len(numbers) else numbers[-1]
            consumed = reader.line_num
            yield start, tuple(cells)
    except csv.Error as err:
        line = numbers[min(reader.line_num, len(numbers)) - 1] if numbers else 1
        raise FormatError(f"the CSV is malformed: {err}", path, line) from err


_Rows = list[tuple[int, tuple[object, ...]]]


def _observation_sheet(sheets: list[Any]) -> list[Any]:
    """The sheet named ``observations`` or ``waarnemingen`` (any case), else the first."""
    named = [sheet for sheet in sheets if sheet.title.strip().lower() in SHEET_NAMES]
    return [(named or sheets)[0]]


def _workbook_rows(path: Path, choose: Callable[[list[Any]], list[Any]]) -> list[tuple[str, _Rows]]:
    """The rows of the sheets ``choose`` picks, as (title, [(Excel's row number, values)])."""
    try:
        import openpyxl  # lazily: only workbooks need it
    except ImportError as err:  # pragma: no cover - a dependency of Koers
        raise FormatError("reading .xlsx files needs openpyxl: pip install openpyxl", path) from err
    check_archive(path)  # a zip bomb or a member named outside the file is refused unopened
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError as err:
        raise FormatError(f"cannot read the file: {err.strerror}", path) from err
    except Exception as err:  # openpyxl raises many kinds for a file that is not a workbook
        raise FormatError(
            f"the file is not an Excel workbook (.xlsx) that Koers can read ({err}); open it "
            "in Excel and save it as 'Excel Workbook (.xlsx)', or export 'CSV UTF-8'",
            path,
        ) from err
    try:
        sheets = list(workbook.worksheets)
        if not sheets:
            raise FormatError("the workbook has no worksheet; add one with the table", path)
        found: list[tuple[str, _Rows]] = []
        for sheet in choose(sheets):
            sheet.reset_dimensions()  # some writers record a wrong size; read what is there
            rows = [
                (number, tuple(values))
                for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), 1)
            ]
            found.append((str(sheet.title), rows))
    except FormatError:
        raise
    except Exception as err:  # a damaged sheet fails while it is read, not when opened
        raise FormatError(
            f"the workbook is damaged and cannot be read ({err}); open it in Excel and save "
            "it again",
            path,
        ) from err
    finally:
        workbook.close()
    return found
