"""Read a matrix of direct influences between factors (structural analysis) from CSV.

The first row holds the factor labels above the columns, the first column the same labels
before the rows (the corner cell is ignored); the cell in row i and column j is the direct
influence of factor i on factor j on Godet's scale: 0 none, 1 weak, 2 moderate, 3 strong,
or ``P`` for a potential influence (not there today, likely to appear). An empty cell is 0.
The rows may come in any order: each is matched to its column by its label.

The diagonal (a factor on itself) is empty or 0: structural analysis does not count a
factor's influence on itself, and a file that says otherwise is refused rather than
silently cleared.

Like :mod:`koers.io.csv_matrix`: ``,`` or ``;`` as delimiter, UTF-8 with or without byte
order mark, else Windows-1252, CRLF or LF; every problem is reported at once, by line and
spreadsheet column (column 1 holds the row labels).
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from koers.errors import FormatError, Problem, ValidationError

# The decoding rules (byte order mark, UTF-16 refused, Windows-1252 fallback) are those of
# the cross-impact CSV reader: one behaviour for every CSV matrix Koers reads.
from koers.io import csv_text
from koers.io.csv_matrix import EMPTY
from koers.methods.micmac.matrix import STRONGEST, InfluenceMatrix

__all__ = ["read_influence_csv"]

_CELL = re.compile(r"[0-3]|[Pp]")


def read_influence_csv(path: str | Path, *, encoding: str | None = None) -> InfluenceMatrix:
    """Read the direct-influence matrix in the CSV file ``path``.

    Parameters
    ----------
    path : str or Path
    encoding : str, optional
        The file's encoding; by default UTF-8 (a byte order mark is skipped), else
        Windows-1252.

    Returns
    -------
    InfluenceMatrix
        Factors in the order of the header row; cells marked P are its ``potential``.

    Raises
    ------
    koers.errors.FormatError
        When the file cannot be read: missing, empty, UTF-16, undecodable, malformed CSV.
    koers.errors.ValidationError
        With every problem found, each located by line and column: labels missing or
        repeated, a row label that is not a column label, a row too short or too long,
        a missing row, a value outside 0..3 and P, a non-zero diagonal.
    """
    name = str(path)
    text = csv_text.read_text(Path(path), encoding=encoding, empty=EMPTY)
    rows = csv_text.rows(text, name, csv_text.best_delimiter(text, _CELL))
    header_line, header = rows[0]
    labels = [label.strip() for label in csv_text.trim(header[1:])]
    if not labels:
        raise FormatError(
            "the first row should hold the factor labels above the columns; add a header row",
            name,
            header_line,
            1,
        )
    problems: list[Problem] = []
    column_of = _columns(labels, name, header_line, problems)
    size = len(labels)
    values = [[0] * size for _ in labels]
    potential: set[tuple[int, int]] = set()
    seen: dict[str, int] = {}
    for line, cells in rows[1:]:
        label = cells[0].strip()
        row = column_of.get(label)
        if row is None:
            problems.append(Problem(_unknown(label, labels), name, line, 1))
            continue
        if label in seen:
            problems.append(
                Problem(
                    f"row '{label}' appears twice (lines {seen[label]} and {line}); "
                    "keep one row per factor",
                    name,
                    line,
                    1,
                )
            )
            continue
        seen[label] = line
        entries = csv_text.trim(cells[1:]) if len(cells) - 1 > size else cells[1:]
        if len(entries) != size:
            problems.append(
                Problem(
                    f"row '{label}' has {len(entries)} cells but the header names {size} "
                    "factors; give every row one cell per column",
                    name,
                    line,
                    min(len(entries), size) + 2,  # the first missing or extra cell
                )
            )
        for column, cell in enumerate(entries[:size]):
            where = (name, line, column + 2)
            text = cell.strip()
            if not text:
                continue
            if not _CELL.fullmatch(text):
                problems.append(Problem(_bad_value(text), *where))
            elif column == row and text != "0":
                problems.append(
                    Problem(
                        f"'{label}' has influence {text} on itself; structural analysis "
                        "does not count a factor on itself: write 0 or leave the cell empty",
                        *where,
                    )
                )
            elif text in "Pp":
                potential.add((row, column))
            else:
                values[row][column] = int(text)
    missing = [label for label in labels if label not in seen and labels.count(label) == 1]
    if missing:
        problems.append(
            Problem(
                f"there is no row for {', '.join(missing)}; add one row per column, "
                "starting with the factor's label",
                name,
                rows[-1][0],
            )
        )
    if problems:
        raise ValidationError(problems)
    return InfluenceMatrix(tuple(labels), tuple(tuple(row) for row in values), frozenset(potential))


def _columns(labels: list[str], name: str, line: int, problems: list[Problem]) -> dict[str, int]:
    column_of: dict[str, int] = {}
    for index, label in enumerate(labels):
        if not label:
            problems.append(
                Problem(
                    "this column has no factor label; name it or remove the column",
                    name,
                    line,
                    index + 2,
                )
            )
        elif label in column_of:
            problems.append(
                Problem(
                    f"factor '{label}' appears twice (columns {column_of[label] + 2} and "
                    f"{index + 2}); give each factor a label of its own",
                    name,
                    line,
                    index + 2,
                )
            )
        else:
            column_of[label] = index
    return column_of


def _unknown(label: str, labels: list[str]) -> str:
    if not label:
        return "this row has no factor label; start it with the label of its column"
    close = difflib.get_close_matches(label, labels, n=1)
    hint = f"did you mean '{close[0]}'?" if close else "use one of the column labels"
    return f"row '{label}' is not one of the factors in the header row; {hint}"


def _bad_value(text: str) -> str:
    return (
        f"influence '{text}' is not on the scale; write 0 (none), 1 (weak), 2 (moderate), "
        f"{STRONGEST} (strong) or P (potential)"
    )
