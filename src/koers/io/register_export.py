"""Write the strategy registers of a study: an Excel workbook with one sheet per register, or
one register as CSV. What is written reads back as the same registers
(:func:`koers.io.registers.read_registers`).

Formula injection (OWASP, "CSV Injection") is neutralised: in a workbook every text is a
string cell (``t="inlineStr"``), which a spreadsheet shows and never evaluates, so the text
stays exactly as it is; in CSV a text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return (or with an apostrophe) gets a leading apostrophe, which Excel hides and
Koers removes again on import.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from koers.errors import Problem, ValidationError
from koers.io.atomic import write_atomic
from koers.io.register_cells import FORMULA_STARTS
from koers.io.register_columns import REGISTERS, Column, Register, register_named
from koers.model.strategy import Strategy
from koers.model.study import Study
from koers.model.text import LANGUAGES, Language

__all__ = ["register_table", "write_registers"]

_YES_NO = {"nl": ("ja", "nee"), "en": ("yes", "no")}


def register_table(
    study: Study, register: Register, language: Language
) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of ``register`` for ``study``, headers and words in ``language``.

    A bilingual text column is written once, without a language, when only the study's
    language is used in it; else once per language used (``naam (nl)``, ``naam (en)``).
    Cells are Python values: text, numbers, dates, or ``None`` for an empty cell.
    """
    strategy = study.strategy or Strategy()
    items = [item.model_dump(mode="json") for item in getattr(strategy, register.key)]
    header: list[str] = []
    getters: list[Any] = []
    for column in register.columns:
        if not column.written:
            continue
        if column.kind in ("text", "texts"):
            used = _languages(items, column)
            if used in ([], [study.language]):
                header.append(column.name(language))
                getters.append(_text_getter(column, study.language))
            else:
                for lang in used:
                    header.append(f"{column.name(language)} ({lang})")
                    getters.append(_text_getter(column, lang))
        else:
            header.append(column.name(language))
            getters.append(_getter(column, language))
    rows = [[get(item) for get in getters] for item in items]
    return header, rows


def write_registers(
    path: Path,
    study: Study,
    *,
    register: str | None = None,
    language: Language | None = None,
) -> tuple[str, ...]:
    """Write the registers of ``study`` to ``path`` atomically; the registers written.

    ``.xlsx``: a workbook with one sheet per register (only ``register`` when given). Any
    other name: CSV (UTF-8 with a byte order mark, ``,`` between cells) of ``register``,
    which must be given. Headers, sheet names, yes/no and choices are in ``language``
    (default: the study's).

    Raises
    ------
    koers.errors.ValidationError
        When a CSV is asked for without a register, or the register is unknown.
    """
    chosen = _chosen(register)
    words: Language = language or study.language
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        registers = [chosen] if chosen is not None else list(REGISTERS)
        write_atomic(path, _workbook(study, registers, words))
        return tuple(r.key for r in registers)
    if chosen is None:
        raise ValidationError(
            [
                Problem(
                    "a CSV file holds one register; say which (policies, scores, assumptions "
                    "or initiatives), or write an .xlsx workbook with all of them",
                    str(path),
                )
            ]
        )
    header, rows = register_table(study, chosen, words)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    write_atomic(path, buffer.getvalue().encode("utf-8-sig"))
    return (chosen.key,)


def _chosen(register: str | None) -> Register | None:
    if register is None:
        return None
    found = register_named(register)
    if found is None:
        options = ", ".join(r.key for r in REGISTERS)
        raise ValidationError([Problem(f"'{register}' is not a register; choose one of {options}")])
    return found


def _workbook(study: Study, registers: Sequence[Register], language: Language) -> bytes:
    import openpyxl  # lazily: only workbooks need it
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils.exceptions import IllegalCharacterError

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for register in registers:
        sheet = workbook.create_sheet(register.name(language))
        header, rows = register_table(study, register, language)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for number, row in enumerate(rows, start=2):
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(number, column)
                try:
                    cell.value = value
                except IllegalCharacterError:
                    raise ValidationError(
                        [
                            Problem(
                                f"the {register.key} register's {header[column - 1]} of row "
                                f"{number} holds a control character, which a workbook cannot "
                                "store; remove it from the study, or export CSV"
                            )
                        ]
                    ) from None
                if isinstance(value, str):
                    cell.data_type = "s"  # a string cell, never a formula
                    if "\n" in value:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
        for column, name in enumerate(header, start=1):
            letter = sheet.cell(1, column).column_letter
            sheet.column_dimensions[letter].width = max(12, min(50, len(name) + 4))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return "\n".join(_guard(line) for line in value.split("\n"))
    return str(value)


def _guard(text: str) -> str:
    """``text`` with a leading apostrophe when a spreadsheet could take it for a formula.

    >>> _guard("=HYPERLINK(1)"), _guard("-2"), _guard("'t Hooft"), _guard("plain")
    ("'=HYPERLINK(1)", "'-2", "''t Hooft", 'plain')
    """
    return "'" + text if text.startswith((*FORMULA_STARTS, "'")) else text


def _languages(items: list[dict[str, Any]], column: Column) -> list[Language]:
    used: set[str] = set()
    for item in items:
        value = item.get(column.field)
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, dict):
                used.update(language for language, part in text.items() if part)
    return [language for language in LANGUAGES if language in used]


def _text_getter(column: Column, language: Language) -> Any:
    if column.kind == "text":
        return lambda item: (item.get(column.field) or {}).get(language)

    def lines(item: dict[str, Any]) -> str | None:
        texts = item.get(column.field) or []
        return "\n".join(text.get(language) or "" for text in texts) or None

    return lines


def _getter(column: Column, language: Language) -> Any:
    name = column.field
    if column.kind in ("refs", "keys"):
        return lambda item: ", ".join(item.get(name) or []) or None
    if column.kind == "bool":
        yes, no = _YES_NO[language]
        return lambda item: yes if item.get(name) else no
    if column.kind == "number":
        return lambda item: _number(item.get(name))
    if column.kind == "date":
        return lambda item: None if item.get(name) is None else dt.date.fromisoformat(item[name])
    if column.kind == "choice" and language == "nl":
        return lambda item: column.choices.get(item.get(name) or "", item.get(name))
    return lambda item: item.get(name)


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value
