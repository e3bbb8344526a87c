"""Write a study's indicators and observations to an Excel workbook, one sheet each.

The observations sheet (``waarnemingen`` in Dutch, ``observations`` in English) has exactly
the columns :func:`koers.io.observations.read_observations` reads (``indicator``, ``regio``,
``periode``, ``waarde``), so the workbook goes back in unchanged. It holds the current value
of each indicator, region and period: the one recorded last. The indicators sheet is for
people: key, name, unit, frequency, source, region, whether the data are synthetic, and the
triggers.

Formula injection (OWASP, "CSV Injection") is neutralised as in
:mod:`koers.io.register_export`: every text is a string cell, which a spreadsheet shows and
never evaluates; values are numbers.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from koers.errors import Problem, ValidationError
from koers.io.atomic import write_atomic
from koers.model.signals import CbsTable, Indicator, Observation
from koers.model.study import Study
from koers.model.text import Language

__all__ = ["current_observations", "write_signal_workbook"]

_SHEETS = {"nl": ("indicatoren", "waarnemingen"), "en": ("indicators", "observations")}
_OBSERVATION_HEADER = {
    "nl": ("indicator", "regio", "periode", "waarde"),
    "en": ("indicator", "region", "period", "value"),
}
_INDICATOR_HEADER = {
    "nl": ("sleutel", "naam", "eenheid", "frequentie", "bron", "regio", "synthetisch", "triggers"),
    "en": ("key", "name", "unit", "frequency", "source", "region", "synthetic", "triggers"),
}
_YES_NO = {"nl": ("ja", "nee"), "en": ("yes", "no")}


def current_observations(records: Sequence[Observation]) -> list[Observation]:
    """The value that stands for each indicator, region and period: the last recorded.

    ``records`` are in recorded order (as a ledger or the database keeps them); the result
    keeps the order in which each key was first recorded.
    """
    current: dict[tuple[str, str, str], Observation] = {}
    for record in records:
        current[(record.indicator, record.region, record.period)] = record
    return list(current.values())


def write_signal_workbook(
    path: Path,
    study: Study,
    records: Sequence[Observation],
    *,
    language: Language | None = None,
) -> int:
    """Write ``study``'s indicators and the current observations of ``records`` to ``path``
    (.xlsx), atomically; the number of observation rows written. Headers and sheet names
    are in ``language`` (default: the study's).

    Raises
    ------
    koers.errors.ValidationError
        When ``path`` is not an .xlsx file.
    """
    if path.suffix.lower() != ".xlsx":
        raise ValidationError(
            [Problem("indicators and observations are written to an .xlsx workbook", str(path))]
        )
    words: Language = language or study.language
    rows = [
        (row.indicator, row.region, row.period, row.value) for row in current_observations(records)
    ]
    indicators = [_indicator_row(study, indicator, words) for indicator in study.indicators]
    indicator_sheet, observation_sheet = _SHEETS[words]
    sheets: list[tuple[str, Sequence[str], Sequence[Sequence[object]]]] = [
        (indicator_sheet, _INDICATOR_HEADER[words], indicators),
        (observation_sheet, _OBSERVATION_HEADER[words], rows),
    ]
    write_atomic(path, _workbook(sheets))
    return len(rows)


def _indicator_row(study: Study, indicator: Indicator, language: Language) -> tuple[object, ...]:
    source = indicator.source
    if isinstance(source, CbsTable):
        label = f"CBS {source.table} ({source.measure}), CC BY 4.0"
    else:
        label = f"{source.kind}: {source.publisher}" if source.publisher else source.kind
    triggers = "\n".join(
        f"{t.key} ({t.level}): {t.when.measure}"
        + (f" >= {t.when.at_least:g}" if t.when.at_least is not None else "")
        + (f" <= {t.when.at_most:g}" if t.when.at_most is not None else "")
        for t in indicator.triggers
    )
    yes, no = _YES_NO[language]
    return (
        indicator.key,
        indicator.name.get(language),
        indicator.unit,
        indicator.frequency,
        label,
        study.region_of(indicator) or "",
        yes if indicator.synthetic else no,
        triggers,
    )


def _workbook(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[object]]]]) -> bytes:
    import openpyxl  # lazily: only workbooks need it
    from openpyxl.styles import Alignment, Font

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.data_type = "s"
        for number, row in enumerate(rows, start=2):
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(number, column)
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"  # a string cell, never a formula
                    if "\n" in value:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
        for column, name in enumerate(header, start=1):
            letter = sheet.cell(1, column).column_letter
            sheet.column_dimensions[letter].width = max(12, min(50, len(name) + 6))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
