"""One row of a register table read into the values of a model item, every problem located.

The :class:`RowReader` knows what a row may refer to (the study's scenarios and indicators,
the policies of the study and of the file read so far) and collects the problems of all
rows, so that a file is reported whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from koers.errors import Problem
from koers.io import register_cells as cells_of
from koers.io.observation_tables import column_letter
from koers.io.register_columns import CHOICE_ALIASES, Column, Header, Register
from koers.model.problems import suggest
from koers.model.strategy import Assumption, Initiative, Policy, PolicyScore
from koers.model.study import Study
from koers.model.text import Language

__all__ = ["Cells", "RowReader", "TextPart", "TextsPart", "Where"]

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
"""The pattern of :data:`koers.model.factors.Key`, checked here to locate a bad key."""
_MODELS: Mapping[str, type[BaseModel]] = {
    "policies": Policy,
    "scores": PolicyScore,
    "assumptions": Assumption,
    "initiatives": Initiative,
}


@dataclass(frozen=True)
class Where:
    """Where a row stands: the file, the sheet (``None`` for CSV), the line, and the column
    (1-based) and header of each field the table has."""

    path: str
    sheet: str | None
    line: int
    columns: Mapping[str, tuple[int, str]] = field(default_factory=dict)

    def problem(
        self, message: str, field_name: str | None = None, *, column: int | None = None
    ) -> Problem:
        """A problem of this row, in the column of ``field_name`` when the table has it, or
        in the (1-based) ``column`` given."""
        found = self.columns.get(field_name) if field_name is not None else None
        number, header = found if found is not None else (column, "")
        if number is None:
            prefix = f"sheet '{self.sheet}', row {self.line}: " if self.sheet is not None else ""
            return Problem(prefix + message, self.path, self.line)
        named = f" ({header})" if header else ""
        if self.sheet is not None:
            prefix = f"sheet '{self.sheet}', cell {column_letter(number)}{self.line}{named}: "
        else:
            prefix = f"{header}: " if header else ""
        return Problem(prefix + message, self.path, self.line, number)


@dataclass(frozen=True)
class Cells:
    """The cells of one row and the column each header cell names."""

    values: tuple[object, ...]
    headers: Mapping[int, Header]
    escaped: bool = False
    """Whether a text cell may carry the apostrophe that guards a formula (CSV)."""

    def of(self, column: Column) -> list[tuple[Language | None, object]]:
        """The cells of ``column``: (language of the header, cell), one per header cell."""
        return [
            (header.language, self.values[index] if index < len(self.values) else None)
            for index, header in self.headers.items()
            if header.column is column
        ]


@dataclass(frozen=True)
class TextPart:
    """The languages a file gives of a bilingual text: language -> text (``None``: empty)."""

    languages: Mapping[str, str | None]

    def merge(self, old: Any) -> dict[str, str] | None:
        """The text (JSON form) with these languages put in; ``None`` when nothing is left."""
        merged = {**(old or {}), **self.languages}
        kept = {language: text for language, text in merged.items() if text}
        return kept or None


@dataclass(frozen=True)
class TextsPart:
    """The languages a file gives of a list of texts, one a line, paired by position."""

    languages: Mapping[str, list[str | None]]

    def merge(self, old: Any) -> list[dict[str, str]]:
        """The list (JSON form) with these languages put in; items left empty are dropped."""
        previous: list[dict[str, str]] = list(old or [])
        length = max([len(previous), *(len(lines) for lines in self.languages.values())])
        items = []
        for position in range(length):
            item = dict(previous[position]) if position < len(previous) else {}
            for language, lines in self.languages.items():
                item[language] = lines[position] if position < len(lines) else None  # type: ignore[assignment]
            kept = {language: text for language, text in item.items() if text}
            if kept:
                items.append(kept)
        return items


_Report = Callable[[str, str], None]


class RowReader:
    """Reads rows of the registers of one file for one study; see :meth:`read`."""

    def __init__(self, study: Study) -> None:
        self.study = study
        self.problems: list[Problem] = []
        self.escaped = False
        self.scenarios = _names(
            (s.key, (s.name.nl, s.name.en)) for s in study.scenarios
        )  # fmt: skip
        self.scenario_keys = [s.key for s in study.scenarios]
        self.indicators = {i.key: tuple(t.key for t in i.triggers) for i in study.indicators}
        known = study.strategy.policies if study.strategy else ()
        self.policy_keys = [p.key for p in known]
        self.policies = _names((p.key, (p.name.nl, p.name.en)) for p in known)
        initiatives = study.strategy.initiatives if study.strategy else ()
        self.initiatives = _names((i.key, (i.name.nl, i.name.en)) for i in initiatives)

    def read(
        self, register: Register, cells: Cells, where: Where, dutch: bool
    ) -> tuple[tuple[str, ...], dict[str, Any]] | None:
        """The key and values of one row, or ``None`` when it has a problem (recorded)."""
        before = len(self.problems)
        self.escaped = cells.escaped

        def report(field_name: str, message: str) -> None:
            self.problems.append(where.problem(message, field_name))

        values: dict[str, Any] = {}
        for column in register.columns:
            given = cells.of(column)
            if given:
                self._column(register, column, given, values, report, dutch)
        for index, extra in enumerate(cells.values):
            if index not in cells.headers and cells_of.as_text(extra):
                message = (
                    f"column {index + 1} holds '{cells_of.as_text(extra)}' but has no header; "
                    "remove it, or name the column"
                )
                self.problems.append(where.problem(message, column=index + 1))
        if register.key in ("policies", "initiatives") and len(self.problems) == before:
            self._named_key(register, values, report)
        if register.key == "assumptions" and "trigger" in values:
            self._trigger(values, report)
        if len(self.problems) > before:
            return None
        key: tuple[str, ...]
        if register.key == "scores":
            key = (values["policy"], values["scenario"], values["participant"])
        else:
            key = (values["key"],)
        return key, values

    # -- columns ---------------------------------------------------------------------------

    def _column(
        self,
        register: Register,
        column: Column,
        given: list[tuple[Language | None, object]],
        values: dict[str, Any],
        report: _Report,
        dutch: bool,
    ) -> None:
        name = column.field
        label = column.name("en")
        if column.kind in ("text", "texts"):
            self._text(column, given, values, report)
            return
        cell = given[0][1]
        text = cells_of.as_text(cell)
        if not text and column.kind not in ("bool",):
            if column.required:
                report(name, f"the {label} is empty; every row needs one")
            elif name == "key":
                values["key"] = None
            elif column.kind == "period":
                values["start"] = values["end"] = None
            else:
                values[name] = _default(register, name)
            return
        try:
            value = self._value(column, cell, text, dutch)
        except ValueError as err:
            report(name, str(err))
            return
        if column.kind == "period":
            values["start"], values["end"] = value
        else:
            values[name] = value

    def _value(self, column: Column, cell: object, text: str, dutch: bool) -> Any:
        kind = column.kind
        if kind == "str":
            return self._plain(cell)
        if kind == "key":
            return self._key(column, text)
        if kind == "number":
            return cells_of.as_number(cell, decimal_comma=dutch)
        if kind == "year":
            return cells_of.as_year(cell)
        if kind == "period":
            return cells_of.as_period(cell)
        if kind == "score":
            return cells_of.as_score(cell)
        if kind == "bool":
            return cells_of.as_bool(cell)
        if kind == "date":
            return cells_of.as_date(cell).isoformat()
        if kind == "choice":
            return _choice(column, text)
        if kind == "ref":
            return self._reference(column, text)
        return [self._reference(column, part) for part in cells_of.as_keys(cell)]  # refs

    def _text(
        self,
        column: Column,
        given: list[tuple[Language | None, object]],
        values: dict[str, Any],
        report: _Report,
    ) -> None:
        own = self.study.language
        if column.kind == "text":
            part: dict[str, str | None] = {
                language or own: (self._plain(cell) or None) for language, cell in given
            }  # fmt: skip
            if column.required and not any(part.values()):
                report(column.field, f"the {column.name('en')} is empty; every row needs one")
                return
            values[column.field] = TextPart(part)
        else:
            lines: dict[str, list[str | None]] = {
                language or own: [
                    cells_of.unescape(line) if line is not None and self.escaped else line
                    for line in cells_of.as_lines(cell)
                ]
                for language, cell in given
            }
            values[column.field] = TextsPart(lines)

    def _plain(self, cell: object) -> str:
        text = cells_of.as_text(cell)
        return cells_of.unescape(text) if self.escaped and isinstance(cell, str) else text

    def _key(self, column: Column, text: str) -> str:
        if not _KEY.match(text) or len(text) > 64:
            raise ValueError(
                f"'{text}' is not a key; use letters, digits, '-', '_' and '.', start with a "
                "letter or digit, at most 64 characters"
            )
        if column.refers == "indicator" and text not in self.indicators:
            raise ValueError(
                f"'{text}' is not an indicator of the study; {suggest(text, self.indicators)}"
            )
        return text

    def _reference(self, column: Column, text: str) -> str:
        if column.refers == "scenario":
            known, keys, what = self.scenarios, self.scenario_keys, "scenario"
        else:
            known, keys, what = self.policies, self.policy_keys, "policy"
        if text in keys:
            return text
        found = known.get(text.casefold())
        if found is not None:
            return found
        if not keys:
            raise ValueError(
                f"'{text}' is not a {what}: the study has no "
                f"{'policies' if what == 'policy' else 'scenarios'} yet; "
                + (
                    "import the policies first, or in the same workbook"
                    if what == "policy"
                    else "add scenarios to the study first"
                )
            )
        where = "the study" if what == "scenario" else "the study or of this file"
        raise ValueError(
            f"'{text}' is not a {what} of {where} (by key or by name); {suggest(text, keys)}"
        )

    def _named_key(self, register: Register, values: dict[str, Any], report: _Report) -> None:
        """A policy or initiative without a key takes the key of the known item of that
        name, else one made from the name; a policy becomes known to the rows that follow."""
        name: TextPart = values["name"]
        texts = [text for text in name.languages.values() if text]
        known = self.policies if register.key == "policies" else self.initiatives
        if not values.get("key"):
            found = next((known[t.casefold()] for t in texts if t.casefold() in known), None)
            made = found or cells_of.slug(texts[0])
            if not made:
                report("key", "the name makes no key (it has no letters or digits); give a key")
                return
            values["key"] = made
        key = values["key"]
        if register.key == "policies" and key not in self.policy_keys:
            self.policy_keys.append(key)
        for text in texts:
            known.setdefault(text.casefold(), key)

    def _trigger(self, values: dict[str, Any], report: _Report) -> None:
        trigger = values["trigger"]
        if trigger is None:
            return
        signpost = values.get("signpost")
        if signpost is None:
            report("trigger", "a trigger needs its signpost; fill in the signpost column")
            return
        triggers = self.indicators.get(signpost, ())
        if trigger not in triggers:
            report(
                "trigger",
                f"'{trigger}' is not a trigger of '{signpost}'; {suggest(trigger, triggers)}",
            )


def _names(items: Any) -> dict[str, str]:
    """Key by folded key and by folded name (either language)."""
    names: dict[str, str] = {}
    for key, texts in items:
        for text in texts:
            if text:
                names.setdefault(text.strip().casefold(), key)
    return names


def _default(register: Register, name: str) -> Any:
    """The model's default of a field (what an empty cell means)."""
    default = _MODELS[register.key].model_fields[name].default
    return list(default) if isinstance(default, tuple) else default


def _choice(column: Column, text: str) -> str:
    folded = text.casefold()
    for value, dutch in column.choices.items():
        if folded in (value, dutch):
            return value
    alias = CHOICE_ALIASES.get(folded)
    if alias is not None and alias in column.choices:
        return alias
    options = ", ".join(f"{value} ({dutch})" for value, dutch in column.choices.items())
    raise ValueError(f"'{text}' is not a {column.name('en')} Koers knows; write one of {options}")
