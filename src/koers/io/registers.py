"""Read the strategy registers from Excel or CSV and merge them into a study's strategy.

A workbook (``.xlsx``) holds one sheet per register, named after it in English or Dutch
(``policies``/``beleid``, ``scores``, ``assumptions``/``aannames``,
``initiatives``/``initiatieven``); a sheet with another name is read as the register its
header fits. A CSV file holds one register: the one asked for, else the one its name says
(``beleid.csv``), else the one its header fits. :mod:`koers.io.register_columns` lists the
columns. Reading is all or nothing: any problem raises
:class:`~koers.errors.ValidationError` with every problem, each with its row and column.

Merging (:func:`apply_registers`) is by key: a new key adds an item, a known key updates the
fields whose columns the file has (other fields, and languages of a text the file leaves out,
keep their value); a score's key is (policy, scenario, participant). A policy without a key
gets the key of the known policy with the same name, else one made from its name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic

from koers.errors import FormatError, Problem, ValidationError
from koers.io.observation_tables import RawTable, read_table, read_workbook
from koers.io.register_columns import (
    REGISTERS,
    Header,
    Register,
    parse_header,
    register_named,
)
from koers.io.register_rows import Cells, RowReader, TextPart, TextsPart, Where
from koers.model.strategy import Assumption, Initiative, Policy, PolicyScore, Strategy
from koers.model.study import Study

__all__ = [
    "RegisterCounts",
    "RegisterFile",
    "RegisterRow",
    "apply_registers",
    "apply_to_study",
    "read_registers",
]


@dataclass(frozen=True)
class RegisterRow:
    """One row read: its register, its key, the values of the columns given, where it stood.

    ``values`` is in the model's JSON form; a bilingual text is a partial ``{language:
    text or None}`` of the languages the file has columns for.
    """

    register: str
    key: tuple[str, ...]
    values: Mapping[str, Any]
    where: Where


@dataclass(frozen=True)
class RegisterFile:
    """What a register file holds: its rows, registers in Koers's order, rows in file order."""

    path: Path
    registers: tuple[str, ...]
    rows: tuple[RegisterRow, ...]

    def of(self, register: str) -> tuple[RegisterRow, ...]:
        """The rows of ``register``."""
        return tuple(row for row in self.rows if row.register == register)


@dataclass(frozen=True)
class RegisterCounts:
    """What merging one register did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0


def read_registers(path: Path, study: Study, *, register: str | None = None) -> RegisterFile:
    """Read the registers in the workbook or CSV file ``path`` for ``study``.

    Parameters
    ----------
    path : Path
        A ``.xlsx`` workbook (one sheet per register) or a CSV file (one register).
    study : Study
        Its scenarios, indicators and policies are what the rows may refer to; policies of
        the file itself count too.
    register : {"policies", "scores", "assumptions", "initiatives"}, optional
        Read only this register (for a workbook: its sheet, or the only sheet).

    Raises
    ------
    koers.errors.FormatError
        When the file cannot be read as a table (missing, empty, binary, not a workbook).
    koers.errors.ValidationError
        With every problem: a sheet or header Koers cannot place, a missing column, a bad
        cell, a reference to an unknown policy or scenario, a key given twice.
    """
    chosen = _register(register) if register is not None else None
    tables = _tables(path, chosen)
    problems: list[Problem] = []
    headers: list[tuple[Register, str | None, RawTable, dict[int, Header]]] = []
    for found, sheet, table in sorted(tables, key=lambda t: REGISTERS.index(t[0])):
        columns, header_problems = _header(found, table, str(path), sheet)
        problems += header_problems
        headers.append((found, sheet, table, columns))
    if problems:
        raise ValidationError(problems)
    if not any(table.rows for _, _, table, _ in headers):
        raise FormatError(
            "the file has a header but no rows below it; add one row per item", path, 1
        )
    reader = RowReader(study)
    rows: list[RegisterRow] = []
    for found, sheet, table, columns in headers:
        located = {
            header.column.field: (index + 1, str(table.header[index]).strip())
            for index, header in sorted(columns.items(), reverse=True)
        }
        for line, cells in table.rows:
            where = Where(str(path), sheet, line, located)
            parsed = reader.read(
                found, Cells(cells, columns, not table.is_workbook), where, table.delimiter != ","
            )
            if parsed is not None:
                key, values = parsed
                rows.append(RegisterRow(found.key, key, values, where))
    problems = reader.problems + _duplicates(rows)
    if problems:
        raise ValidationError(problems)
    return RegisterFile(path, tuple(found.key for found, *_ in headers), tuple(rows))


def apply_registers(
    strategy: Strategy | None, registers: RegisterFile
) -> tuple[Strategy, dict[str, RegisterCounts]]:
    """``strategy`` with the rows of ``registers`` merged in, and what each register did.

    Raises
    ------
    koers.errors.ValidationError
        When a merged item breaks a rule of the model; each problem names the row.
    """
    document, counts, origins = _merged(strategy, registers)
    try:
        return Strategy.model_validate(document), counts
    except pydantic.ValidationError as err:
        raise ValidationError(_model_problems(err, origins, registers.path, ())) from err


def apply_to_study(
    study: Study, registers: RegisterFile
) -> tuple[Study, dict[str, RegisterCounts]]:
    """``study`` with the rows of ``registers`` merged into its strategy, checked by every
    rule of the study (a negative budget, an end before the start, ...).

    Raises
    ------
    koers.errors.ValidationError
        When the study breaks a rule; a problem of a merged item names its row.
    """
    merged, counts, origins = _merged(study.strategy, registers)
    document = study.model_dump(mode="json")
    document["strategy"] = merged
    try:
        return Study.model_validate(document), counts
    except pydantic.ValidationError as err:
        problems = _model_problems(err, origins, registers.path, ("strategy",))
        raise ValidationError(problems) from err


def _merged(
    strategy: Strategy | None, registers: RegisterFile
) -> tuple[dict[str, Any], dict[str, RegisterCounts], dict[tuple[str, int], Where]]:
    """The strategy's JSON form with the rows merged in, the counts, and where each merged
    item's row stands."""
    document = (strategy or Strategy()).model_dump(mode="json")
    counts: dict[str, RegisterCounts] = {}
    origins: dict[tuple[str, int], Where] = {}
    for name in registers.registers:
        items: list[dict[str, Any]] = document[name]
        index = {_identity(name, item): position for position, item in enumerate(items)}
        added = updated = unchanged = 0
        for row in registers.of(name):
            position = index.get(row.key)
            if position is None:
                position = index[row.key] = len(items)
                items.append(_merge({}, row.values))
                added += 1
            else:
                merged = _merge(items[position], row.values)
                if _same(name, merged, items[position]):
                    unchanged += 1
                else:
                    items[position] = merged
                    updated += 1
            origins[(name, position)] = row.where
        counts[name] = RegisterCounts(added, updated, unchanged)
    return document, counts, origins


def _register(name: str) -> Register:
    found = register_named(name)
    if found is None:
        options = ", ".join(register.key for register in REGISTERS)
        raise ValidationError([Problem(f"'{name}' is not a register; choose one of {options}")])
    return found


_EMPTY = (
    "the file is empty; a register starts with a header row, for policies for instance "
    "key, name, programme, portfolio holder, budget, start, end, description, goals"
)


def _tables(path: Path, chosen: Register | None) -> list[tuple[Register, str | None, RawTable]]:
    """The tables of the file and the register each holds."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        table = read_table(path, empty=_EMPTY)
        single = chosen or register_named(path.stem.rsplit(".", 1)[-1]) or _fits(table)
        if single is None:
            raise ValidationError([_unplaced(str(path), None, table)])
        return [(single, None, table)]
    sheets = [(title, table) for title, table in read_workbook(path) if table is not None]
    if not sheets:
        raise FormatError(_EMPTY, path, 1)
    if chosen is not None:
        named = [(t, table) for t, table in sheets if register_named(t) is chosen]
        if len(named) == 1 or len(sheets) == 1:
            title, table = (named or sheets)[0]
            return [(chosen, title, table)]
        raise ValidationError(
            [
                Problem(
                    f"the workbook has no single sheet for the {chosen.key} register among "
                    f"{', '.join(repr(t) for t, _ in sheets)}; name the sheet "
                    f"'{chosen.name('en')}' or '{chosen.name('nl')}'",
                    str(path),
                )
            ]
        )
    found: list[tuple[Register, str | None, RawTable]] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for title, table in sheets:
        register = register_named(title) or _fits(table)
        if register is None:
            problems.append(_unplaced(str(path), title, table))
        elif register.key in seen:
            problems.append(
                Problem(
                    f"sheets '{seen[register.key]}' and '{title}' both hold the "
                    f"{register.key} register; merge them into one sheet",
                    str(path),
                )
            )
        else:
            seen[register.key] = title
            found.append((register, title, table))
    if problems:
        raise ValidationError(problems)
    return found


def _fits(table: RawTable) -> Register | None:
    """The register whose required columns the header has and that knows most of it."""
    best: list[tuple[int, Register]] = []
    for register in REGISTERS:
        known = [parse_header(register, str(cell)) for cell in table.header if cell is not None]
        fields = {header.column.field for header in known if header is not None}
        required = {column.field for column in register.columns if column.required}
        if required <= fields:
            best.append((len(fields), register))
    best.sort(key=lambda item: -item[0])
    if not best or (len(best) > 1 and best[0][0] == best[1][0]):
        return None
    return best[0][1]


def _unplaced(path: str, sheet: str | None, table: RawTable) -> Problem:
    names = ", ".join(f"{r.name('en')} ({r.name('nl')})" for r in REGISTERS)
    if sheet is None:
        return Problem(
            "cannot tell which register this file holds from its name or its header; "
            f"name the file after it or give the register (one of {names})",
            path,
            table.header_line,
        )
    return Problem(
        f"sheet '{sheet}' is not a register Koers knows and its header fits none; rename "
        f"the sheet to one of {names}, or remove it",
        path,
        table.header_line,
    )


def _header(
    register: Register, table: RawTable, path: str, sheet: str | None
) -> tuple[dict[int, Header], list[Problem]]:
    """The column each header cell names (by 0-based position), and the header's problems."""
    where = f"sheet '{sheet}', " if sheet is not None else ""
    columns: dict[int, Header] = {}
    problems: list[Problem] = []
    taken: dict[tuple[str, str | None], int] = {}
    for index, cell in enumerate(table.header):
        text = "" if cell is None else str(cell).strip()
        if not text:
            continue
        header = parse_header(register, text)
        if header is None:
            known = ", ".join(c.name("en") for c in register.columns)
            problems.append(
                Problem(
                    f"{where}column '{text}' is not a column of the {register.key} register; "
                    f"rename or remove it. The columns are {known} (in Dutch: "
                    f"{', '.join(c.name('nl') for c in register.columns)})",
                    path,
                    table.header_line,
                    index + 1,
                )
            )
            continue
        slot = (header.column.field, header.language)
        if slot in taken:
            problems.append(
                Problem(
                    f"{where}column '{text}' is the {header.column.name('en')} column a second "
                    f"time (columns {taken[slot] + 1} and {index + 1}); keep one",
                    path,
                    table.header_line,
                    index + 1,
                )
            )
            continue
        taken[slot] = index
        columns[index] = header
    fields = {header.column.field for header in columns.values()}
    missing = [c for c in register.columns if c.required and c.field not in fields]
    if missing:
        listed = ", ".join(f"'{c.name('en')}' ('{c.name('nl')}')" for c in missing)
        problems.append(
            Problem(
                f"{where}the header of the {register.key} register lacks the column"
                f"{'s' * (len(missing) > 1)} {listed}",
                path,
                table.header_line,
            )
        )
    if "period" in fields and fields & {"start", "end"}:
        problems.append(
            Problem(
                f"{where}the header has a period column and a start or end column; give the "
                "period (2022-2026) or start and end, not both",
                path,
                table.header_line,
            )
        )
    return columns, problems


def _duplicates(rows: Sequence[RegisterRow]) -> list[Problem]:
    """A problem for each row whose key an earlier row of its register already has."""
    first: dict[tuple[str, tuple[str, ...]], RegisterRow] = {}
    problems: list[Problem] = []
    for row in rows:
        earlier = first.setdefault((row.register, row.key), row)
        if earlier is row:
            continue
        what = " / ".join(row.key)
        problems.append(
            row.where.problem(
                f"the {row.register} register has '{what}' already on row {earlier.where.line}"
                "; keep one row per "
                + ("policy, scenario and participant" if row.register == "scores" else "key"),
            )
        )
    return problems


def _identity(register: str, item: Mapping[str, Any]) -> tuple[str, ...]:
    if register == "scores":
        return (item["policy"], item["scenario"], item["participant"])
    return (item["key"],)


_MODELS: Mapping[str, type[pydantic.BaseModel]] = {
    "policies": Policy,
    "scores": PolicyScore,
    "assumptions": Assumption,
    "initiatives": Initiative,
}


def _same(register: str, merged: dict[str, Any], old: dict[str, Any]) -> bool:
    """Whether ``merged`` is the item ``old`` (compared as the model reads them)."""
    model = _MODELS[register]
    try:
        return model.model_validate(merged) == model.model_validate(old)
    except pydantic.ValidationError:
        return False  # not the same; the validation of the whole strategy reports it


def _merge(item: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """``item`` (a model's JSON form) with ``values`` put in; texts merged per language."""
    merged = dict(item)
    for name, value in values.items():
        if isinstance(value, TextPart | TextsPart):
            merged[name] = value.merge(merged.get(name))
        else:
            merged[name] = value
    return merged


def _model_problems(
    err: pydantic.ValidationError,
    origins: Mapping[tuple[str, int], Where],
    path: Path,
    prefix: tuple[str, ...],
) -> list[Problem]:
    """Pydantic's errors as problems: at the row of the merged item when there is one."""
    problems = []
    for error in err.errors():
        location = tuple(error["loc"])
        inner = location[len(prefix) :] if location[: len(prefix)] == prefix else ()
        if len(inner) >= 2 and isinstance(inner[1], int):
            where = origins.get((str(inner[0]), inner[1]))
            if where is not None:
                field = str(inner[2]) if len(inner) > 2 else None
                problems.append(where.problem(error["msg"], field))
                continue
        dotted = ".".join(str(part) for part in location)
        problems.append(Problem(f"{dotted}: {error['msg']}", str(path)))
    return problems
