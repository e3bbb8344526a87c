"""CSV text as spreadsheets save it: the encoding, the delimiter and the rows with their lines.

The matrix, influence and event readers share these steps; each checks its own cells.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from koers.errors import FormatError, Problem, ValidationError

__all__ = ["DELIMITERS", "best_delimiter", "decode", "read_text", "rows", "trim"]

DELIMITERS = (",", ";")
"""The delimiters a CSV may use: ``,`` or ``;`` (Excel's choice in Dutch settings)."""


def read_text(path: Path, *, encoding: str | None = None, empty: str) -> str:
    """The text of the CSV file ``path``; ``empty`` says what to do with an empty file.

    UTF-16 (Excel's "Unicode text") is refused with the way to save UTF-8; a byte that is no
    character in the encoding is reported with its line and column.
    """
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise FormatError(f"cannot read the file: {err.strerror}", path) from err
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw:
        raise FormatError(
            "the file is UTF-16 text; save it as 'CSV UTF-8' (in Excel: Save as, "
            "'CSV UTF-8 (comma delimited)')",
            path,
            1,
        )
    try:
        text = decode(raw, encoding)
    except LookupError as err:
        raise ValidationError([Problem(f"unknown encoding {encoding!r}")]) from err
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        first = raw.split(b"\n", 1)[0]
        separator = b";" if first.count(b";") > first.count(b",") else b","
        column = before[before.rfind(b"\n") + 1 :].count(separator) + 1
        raise FormatError(
            f"byte 0x{raw[err.start]:02X} is not {encoding or 'UTF-8 or Windows-1252'} text; "
            "save the file as 'CSV UTF-8' (in Excel: Save as, 'CSV UTF-8 (comma delimited)')",
            path,
            line,
            column,
        ) from err
    if not text.strip():
        raise FormatError(f"the file is empty; {empty}", path, 1)
    return text


def decode(raw: bytes, encoding: str | None) -> str:
    """``raw`` as text: in ``encoding``, or UTF-8 and else Windows-1252.

    Valid UTF-8 is almost never Windows-1252 text by accident, so the order is safe; the
    second choice reads the plain "CSV" of Excel on Western Windows.

    >>> decode("café".encode("cp1252"), None)
    'café'
    """
    if encoding is not None:
        return raw.decode("utf-8-sig" if encoding.lower() in ("utf-8", "utf8") else encoding)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def rows(
    text: str, name: str, delimiter: str, *, skip_blank: bool = True
) -> list[tuple[int, list[str]]]:
    """The rows of ``text`` as (line, cells); rows of empty cells are left out when
    ``skip_blank``, empty lines always."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    found = []
    try:
        for cells in reader:
            if cells and (not skip_blank or any(cell.strip() for cell in cells)):
                found.append((reader.line_num, cells))
    except csv.Error as err:
        raise FormatError(f"the CSV is malformed: {err}", name, reader.line_num) from err
    return found


def best_delimiter(text: str, cell: re.Pattern[str]) -> str:
    """The delimiter under which most of the first rows read as a label and then cells that
    match ``cell`` (or are empty); more header cells break a tie.

    Counting delimiters in the header is not enough: labels may hold the other one.

    >>> best_delimiter('"a,b";c\\nx;1\\n', re.compile(r"\\d+"))
    ';'
    """
    head = [line for line in text.splitlines()[:6] if line.strip()]

    def score(delimiter: str) -> tuple[int, int]:
        found = list(csv.reader(head, delimiter=delimiter)) or [[]]
        readable = sum(
            len(cells) > 1 and all(cell.fullmatch(c.strip()) or not c.strip() for c in cells[1:])
            for cells in found[1:]
        )
        return readable, len(found[0])

    return max(DELIMITERS, key=score)


def trim(cells: list[str]) -> list[str]:
    """``cells`` without the empty cells a spreadsheet pads the end of a row with.

    >>> trim(["a", "1", "", " "])
    ['a', '1']
    """
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]
