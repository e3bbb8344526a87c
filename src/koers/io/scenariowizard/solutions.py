"""ScenarioWizard solution lists (.sl): one record per scenario, read and written.

A solution list holds ``$ ScenarioWizard 3.0``, ``Solution set``, the number of records, a
blank line, then one record per scenario: ``" 2 3 2",4,0,0,15,""``.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from koers.errors import FormatError, Problem, ValidationError
from koers.io.atomic import write_atomic
from koers.io.scenariowizard.text import _encode, _integer, _read_lines, _single, _storable

__all__ = ["SolutionRecord", "read_sl", "write_sl"]


@dataclass(frozen=True)
class SolutionRecord:
    """One scenario of a ScenarioWizard solution list.

    Parameters
    ----------
    variants : tuple of int
        The chosen variant of each descriptor, 1-based as ScenarioWizard counts.
    volume_weight : float
        How many start scenarios global succession leads to this one (its basin size).
        ScenarioWizard stores it with 7 significant digits, so large weights are rounded.
    margin : int
        Consistency margin: how far the weakest choice leads its rivals.
    unknown : int
        A field whose meaning is not documented; 0 in every known file.
    total_impact_score : int
    text : str
    """

    variants: tuple[int, ...]
    volume_weight: float = 0.0
    margin: int = 0
    unknown: int = 0
    total_impact_score: int = 0
    text: str = ""


def read_sl(path: str | Path) -> tuple[SolutionRecord, ...]:
    """Read the ScenarioWizard solution list in ``path``.

    Raises
    ------
    koers.errors.FormatError
        When the file cannot be read or is not a solution list.
    koers.errors.ValidationError
        With every problem found, each located by line and field.
    """
    name = str(path)
    lines, _ = _read_lines(Path(path))
    if not lines[0].startswith("$ ScenarioWizard"):
        raise FormatError(
            "not a ScenarioWizard solution list: the first line should be "
            "'$ ScenarioWizard 3.0'; save the list from ScenarioWizard again",
            name,
            1,
        )
    problems: list[Problem] = []
    if len(lines) < 3 or lines[1].strip() != "Solution set":
        raise FormatError(
            "the second line should be 'Solution set'; this is not a solution list", name, 2
        )
    stated = _integer(lines[2].strip())
    if stated is None:
        problems.append(Problem("the third line should hold the number of solutions", name, 3))
    records: list[SolutionRecord] = []
    width: int | None = None
    for number, line in enumerate(lines[3:], start=4):
        if not line.strip():
            continue
        record = _parse_record(line, name, number, problems)
        if record is None:
            continue
        if width is None:
            width = len(record.variants)
        elif len(record.variants) != width:
            problems.append(
                Problem(
                    f"this solution names {len(record.variants)} variants, the first one "
                    f"{width}; every solution names one variant per descriptor",
                    name,
                    number,
                    1,
                )
            )
        records.append(record)
    if stated is not None and not problems and stated != len(records):
        problems.append(
            Problem(
                f"the header announces {stated} solutions but the file lists {len(records)}; "
                "correct the number on line 3",
                name,
                3,
            )
        )
    if problems:
        raise ValidationError(problems)
    return tuple(records)


def write_sl(records: Iterable[SolutionRecord], path: str | Path, *, newline: str = "\r\n") -> None:
    """Write ``records`` to ``path`` atomically as a ScenarioWizard solution list."""
    rows = list(records)
    problems = [
        Problem(f"solution {index}: {problem}")
        for index, record in enumerate(rows, start=1)
        for problem in _record_problems(record)
    ]
    if problems:
        raise ValidationError(problems)
    lines = ["$ ScenarioWizard 3.0", "Solution set", f" {len(rows)} ", ""]
    for record in rows:
        variants = "".join(f" {variant}" for variant in record.variants)
        fields = (
            _single(record.volume_weight),
            str(record.margin),
            str(record.unknown),
            str(record.total_impact_score),
        )
        lines.append(f'"{variants}",{",".join(fields)},"{record.text}"')
    write_atomic(Path(path), _encode(newline.join(lines) + newline))


def _parse_record(
    line: str, name: str, number: int, problems: list[Problem]
) -> SolutionRecord | None:
    fields = next(csv.reader([line]))
    if len(fields) != 6:
        problems.append(
            Problem(
                f"a solution has 6 fields (variants, weight, margin, 0, score, text), "
                f"this one has {len(fields)}",
                name,
                number,
            )
        )
        return None
    found = len(problems)
    variants = []
    for token in fields[0].split():
        value = _integer(token)
        if value is None or value < 1:
            problems.append(
                Problem(
                    f"variant '{token}' is not a number from 1 up; write each descriptor's "
                    "variant as its 1-based number",
                    name,
                    number,
                    1,
                )
            )
        else:
            variants.append(value)
    try:
        weight = float(fields[1])
    except ValueError:
        problems.append(Problem(f"volume weight '{fields[1]}' is not a number", name, number, 2))
        weight = 0.0
    numbers = []
    for column, (token, what) in enumerate(
        zip(fields[2:5], ("margin", "fourth field", "total impact score"), strict=True), start=3
    ):
        value = _integer(token.strip())
        if value is None:
            problems.append(
                Problem(f"{what} '{token}' is not a whole number", name, number, column)
            )
        numbers.append(value or 0)
    if len(problems) > found:
        return None
    return SolutionRecord(tuple(variants), weight, numbers[0], numbers[1], numbers[2], fields[5])


def _record_problems(record: SolutionRecord) -> list[str]:
    found = []
    if not record.variants or any(variant < 1 for variant in record.variants):
        found.append("variants are numbered from 1, one per descriptor")
    if not math.isfinite(record.volume_weight) or record.volume_weight < 0:
        found.append("the volume weight is a number of 0 or more")
    if '"' in record.text or "\n" in record.text or "\r" in record.text:
        found.append("the text cannot hold '\"' or line breaks in a solution list")
    if not _storable(record.text):
        found.append("the text has characters ScenarioWizard cannot store (it writes Windows-1252)")
    return found
