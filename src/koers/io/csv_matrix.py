"""Read and write a cross-impact matrix as one flat CSV table.

The first row and the first column hold the variant labels, in the same order; the cell in
row r and column c is the judgement of how the row's variant acts on the column's variant.
The corner cell is ignored. A label is either ``Descriptor:Variant`` or letters then digits
(``A1`` is variant 1 of descriptor A, as in the Somewhereland example); a descriptor's
variants stand next to each other, descriptors in order of appearance.

Reading accepts ``,`` and ``;`` as delimiter (Dutch Excel writes ``;``), UTF-8 with or
without a byte order mark, Windows-1252 (Excel's plain "CSV") when the file is not UTF-8,
CRLF or LF. UTF-16 is refused. An empty cell counts as 0: spreadsheets leave the
self-impact blocks and "no impact" cells blank. Judgements are whole numbers on the scale
-3..+3 unless a wider ``scale`` is given. Every descriptor needs two variants or more.
Problems are located by line and column, where the column counts cells as a spreadsheet
does (column 1 holds the row labels).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from koers.errors import FormatError, Problem, ValidationError
from koers.io import csv_text
from koers.io.atomic import write_atomic
from koers.methods.cib.matrix import CrossImpactMatrix

__all__ = ["read_csv_matrix", "write_csv_matrix"]

_INTEGER = re.compile(r"[+-]?\d+")
EMPTY = "export the matrix with its header row and label column"
_LETTERS_DIGITS = re.compile(r"([A-Za-z]+)(\d+)")
csv_text.DELIMITERS = (",", ";")


def read_csv_matrix(
    path: str | Path, *, scale: int = 3, encoding: str | None = None
) -> CrossImpactMatrix:
    """Read the cross-impact matrix in the CSV file ``path``.

    Parameters
    ----------
    path : str or Path
    scale : int, optional (default=3)
        Judgements must lie in ``-scale..+scale``.
    encoding : str, optional
        The file's encoding. By default UTF-8 (a byte order mark is skipped), and
        Windows-1252 when the file is not valid UTF-8: what Excel's plain "CSV" writes.

    Raises
    ------
    koers.errors.FormatError
        When the file cannot be read: missing, empty, UTF-16 or undecodable, no header row.
    koers.errors.ValidationError
        With every problem found, each located by line and column.
    """
    if scale < 1:
        raise ValidationError([Problem(f"scale is 1 or more, not {scale}")])
    name = str(path)
    text = csv_text.read_text(Path(path), encoding=encoding, empty=EMPTY)
    rows = csv_text.rows(text, name, csv_text.best_delimiter(text, _INTEGER), skip_blank=False)
    header_line, header = rows[0]
    labels = csv_text.trim(header[1:])
    if not labels or _looks_numeric(labels):
        raise FormatError(
            "the first row should hold the variant labels (A1, A2, ... or Descriptor:Variant) "
            "above the columns; add a header row",
            name,
            header_line,
            1,
        )
    problems: list[Problem] = []
    descriptors, variants, keys = _structure(labels, name, header_line, problems)
    header_ok = not problems
    size = len(labels)
    judgements = np.zeros((size, size), dtype=np.int64)
    data = [(line, cells) for line, cells in rows[1:] if any(cell.strip() for cell in cells)]
    for index, (line, cells) in enumerate(data):
        label = cells[0].strip()
        if index >= size:
            problems.append(
                Problem(
                    f"row '{label}' is one too many: the header names {size} variants; "
                    "remove the row or add its label to the header",
                    name,
                    line,
                    1,
                )
            )
            continue
        if header_ok and _split_label(label) != keys[index]:
            problems.append(
                Problem(
                    f"row label '{label}' does not match column label '{labels[index]}'; "
                    "list the rows in the same order as the columns",
                    name,
                    line,
                    1,
                )
            )
        values = cells[1:]
        if len(values) > size and not any(cell.strip() for cell in values[size:]):
            values = values[:size]  # a spreadsheet pads rows with empty cells
        if len(values) != size:
            problems.append(
                Problem(
                    f"row '{label}' has {len(values)} judgements but the header names "
                    f"{size} variants; give every row one cell per column",
                    name,
                    line,
                    min(len(values), size) + 2,  # the first missing or extra cell
                )
            )
        for column, cell in enumerate(values[:size], start=2):
            judgements[index, column - 2] = _judgement(
                cell.strip(), scale, (name, line, column), problems
            )
    if len(data) < size:
        missing = ", ".join(labels[len(data) :])
        problems.append(
            Problem(
                f"the matrix has {len(data)} rows but the header names {size} variants; "
                f"add the rows for {missing}",
                name,
                data[-1][0] if data else header_line,
            )
        )
    if problems:
        raise ValidationError(problems)
    return CrossImpactMatrix(descriptors, variants, judgements)


def write_csv_matrix(matrix: CrossImpactMatrix, path: str | Path, *, delimiter: str = ",") -> None:
    """Write ``matrix`` to ``path`` atomically as UTF-8 CSV with ``Descriptor:Variant`` labels.

    Raises
    ------
    koers.errors.ValidationError
        When a label would not read back as written: a descriptor containing ':', or a
        label with spaces around it or a line break in it.
    """
    if delimiter not in csv_text.DELIMITERS:
        raise ValidationError([Problem(f"delimiter is ',' or ';', not {delimiter!r}")])
    problems = [
        Problem(f"descriptor '{label}' cannot contain ':' in a CSV matrix; rename it")
        for label in matrix.descriptors
        if ":" in label
    ]
    every = [*matrix.descriptors, *(name for names in matrix.variants for name in names)]
    problems += [
        Problem(f"label {label!r} would not read back: remove spaces around it and line breaks")
        for label in every
        if label != label.strip() or "\n" in label or "\r" in label
    ]
    if problems:
        raise ValidationError(problems)
    labels = [
        f"{descriptor}:{variant}"
        for descriptor, names in zip(matrix.descriptors, matrix.variants, strict=True)
        for variant in names
    ]
    lines = [delimiter.join(["", *(_quote(label) for label in labels)])]
    for label, row in zip(labels, matrix.judgements.tolist(), strict=True):
        lines.append(delimiter.join([_quote(label), *(str(value) for value in row)]))
    write_atomic(Path(path), "".join(f"{line}\r\n" for line in lines).encode("utf-8"))


def _structure(
    labels: list[str], name: str, line: int, problems: list[Problem]
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...], list[tuple[str, str] | None]]:
    """Descriptors and their variants from the column labels; problems go to ``problems``."""
    descriptors: list[str] = []
    variants: list[list[str]] = []
    keys: list[tuple[str, str] | None] = []
    seen: dict[tuple[str, str], int] = {}
    for column, label in enumerate((label.strip() for label in labels), start=2):
        key = _split_label(label)
        keys.append(key)
        if key is None:
            problems.append(
                Problem(
                    f"label '{label}' is neither 'Descriptor:Variant' nor letters then digits "
                    "like 'A1'; rename the column",
                    name,
                    line,
                    column,
                )
            )
            continue
        descriptor, variant = key
        if key in seen:
            problems.append(
                Problem(
                    f"label '{label}' appears twice (columns {seen[key]} and {column}); "
                    "give each variant a label of its own",
                    name,
                    line,
                    column,
                )
            )
            continue
        seen[key] = column
        if descriptors and descriptors[-1] == descriptor:
            variants[-1].append(variant)
        elif descriptor in descriptors:
            problems.append(
                Problem(
                    f"variant '{label}' stands apart from the other variants of descriptor "
                    f"'{descriptor}'; put each descriptor's variants next to each other",
                    name,
                    line,
                    column,
                )
            )
        else:
            descriptors.append(descriptor)
            variants.append([variant])
    if problems:  # a broken header would make the next check report phantom descriptors
        return tuple(descriptors), tuple(tuple(names) for names in variants), keys
    for descriptor, names in zip(descriptors, variants, strict=True):
        if len(names) < 2:
            problems.append(
                Problem(
                    f"descriptor '{descriptor}' has only one variant; CIB needs at least two "
                    "alternatives per descriptor: add a variant or drop the descriptor",
                    name,
                    line,
                    seen[(descriptor, names[0])],
                )
            )
    return tuple(descriptors), tuple(tuple(names) for names in variants), keys


def _split_label(label: str) -> tuple[str, str] | None:
    if ":" in label:
        descriptor, variant = (part.strip() for part in label.split(":", 1))
        return (descriptor, variant) if descriptor and variant else None
    match = _LETTERS_DIGITS.fullmatch(label)
    return (match[1], match[2]) if match else None


def _judgement(cell: str, scale: int, where: tuple[str, int, int], problems: list[Problem]) -> int:
    if not cell:
        return 0
    value = int(cell) if _INTEGER.fullmatch(cell) else None
    if value is None:
        message = (
            f"judgement '{cell}' is not a whole number; write an integer from -{scale} to +{scale}"
        )
    elif abs(value) > scale:
        message = (
            f"judgement {value} is outside the scale -{scale}..+{scale}; correct it, or read "
            f"the file with scale={abs(value)} if the matrix uses a wider scale"
        )
    else:
        return value
    problems.append(Problem(message, *where))
    return 0


def _quote(label: str) -> str:
    """``label`` quoted if it holds either delimiter, so the reader detects the right one."""
    if any(mark in label for mark in ',;"'):
        return '"' + label.replace('"', '""') + '"'
    return label


def _looks_numeric(labels: list[str]) -> bool:
    return sum(bool(_INTEGER.fullmatch(label.strip())) for label in labels) * 2 > len(labels)
