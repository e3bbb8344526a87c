"""The columns of the strategy registers: their names in English and Dutch, and their kinds.

Four registers of a study's strategy review travel as tables (an Excel sheet or a CSV file
each): ``policies``, ``scores``, ``assumptions`` and ``initiatives``. Every column maps to a
field of :mod:`koers.model.strategy`; a header may use the English or the Dutch name, in any
case, with ``_`` or ``-`` for a space. A bilingual text column may carry a language:
``name (nl)``, ``naam en``, ``name_en``; without one it holds the study's language.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from koers.model.text import LANGUAGES, Language

__all__ = [
    "REGISTERS",
    "Column",
    "Header",
    "Kind",
    "Register",
    "normalise",
    "parse_header",
    "register_named",
]

Kind = Literal[
    "key", "text", "texts", "str", "number", "year", "period", "score", "bool", "keys", "date",
    "choice", "ref", "refs",
]  # fmt: skip
"""How a column's cells are read: ``text``/``texts`` are bilingual (one text, or one a line),
``ref``/``refs`` name a policy or a scenario by key or by name, ``keys`` are plain keys."""


@dataclass(frozen=True)
class Column:
    """One column of a register: the model field it fills and the names it goes by."""

    field: str
    kind: Kind
    en: tuple[str, ...]
    nl: tuple[str, ...]
    required: bool = False
    choices: Mapping[str, str] = dataclasses.field(default_factory=dict)
    """For ``choice``: the model's value and its Dutch word."""
    refers: Literal["policy", "scenario", "indicator", "trigger", ""] = ""
    written: bool = True
    """False for a column that is read but never written (``period``: start and end are)."""

    def name(self, language: Language) -> str:
        """The header Koers writes for this column."""
        return (self.nl if language == "nl" else self.en)[0]


@dataclass(frozen=True)
class Register:
    """A register: its names (English and Dutch), its columns and the field of its items."""

    key: Literal["policies", "scores", "assumptions", "initiatives"]
    en: tuple[str, ...]
    nl: tuple[str, ...]
    columns: tuple[Column, ...]

    def name(self, language: Language) -> str:
        """The sheet name Koers writes."""
        return (self.nl if language == "nl" else self.en)[0]

    def column(self, field_name: str) -> Column:
        """The column of ``field_name``; a ``KeyError`` when there is none."""
        for column in self.columns:
            if column.field == field_name:
                return column
        raise KeyError(field_name)


@dataclass(frozen=True)
class Header:
    """A header cell understood: its column and, for a bilingual text, its language."""

    column: Column
    language: Language | None


def normalise(name: str) -> str:
    """A header or sheet name folded for comparison.

    >>> normalise("  Portefeuille_Houder "), normalise("Scenario's")
    ('portefeuille houder', "scenario's")
    """
    return re.sub(r"[\s_-]+", " ", name.strip().lower()).strip()


_LANGUAGE_SUFFIX = re.compile(r"^(.+?)\s*(?:\((nl|en)\)|\[(nl|en)\]|\s(nl|en))$")


def parse_header(register: Register, cell: str) -> Header | None:
    """The column a header cell names in ``register``, or ``None`` when it names none.

    >>> header = parse_header(POLICIES, "Naam (en)")
    >>> header.column.field, header.language
    ('name', 'en')
    >>> parse_header(POLICIES, "budget").column.field, parse_header(POLICIES, "colour")
    ('budget', None)
    """
    text = normalise(cell)
    names = {normalise(name): column for column in register.columns for name in _all(column)}
    if text in names:
        return Header(names[text], None)
    suffixed = _LANGUAGE_SUFFIX.match(text)
    if suffixed:
        base = suffixed[1]
        language = next(part for part in suffixed.groups()[1:] if part)
        column = names.get(base)
        if column is not None and column.kind in ("text", "texts") and language in LANGUAGES:
            return Header(column, language)
    return None


def _all(column: Column) -> tuple[str, ...]:
    return (*column.en, *column.nl)


def register_named(name: str) -> Register | None:
    """The register a sheet or file name means (English or Dutch, any case), if any.

    >>> register_named("Beleid").key, register_named("assumptions").key, register_named("x")
    ('policies', 'assumptions', None)
    """
    text = normalise(name)
    for register in REGISTERS:
        if text in (normalise(alias) for alias in (*register.en, *register.nl)):
            return register
    return None


_KEY = Column("key", "key", ("key",), ("sleutel", "code"))
_POLICY = Column("policy", "ref", ("policy",), ("beleid",), required=True, refers="policy")

POLICIES = Register(
    "policies",
    ("policies", "policy"),
    ("beleid", "beleidsregister"),
    (
        _KEY,
        Column("name", "text", ("name",), ("naam",), required=True),
        Column("programme", "str", ("programme", "program"), ("programma",)),
        Column(
            "portfolio",
            "str",
            ("portfolio holder", "portfolio"),
            ("portefeuillehouder", "portefeuille", "wethouder"),
        ),
        Column("budget", "number", ("budget",), ("budget", "begroting", "bedrag")),
        Column("start", "year", ("start", "from"), ("begin", "vanaf", "startjaar")),
        Column("end", "year", ("end", "until"), ("eind", "einde", "tot", "eindjaar")),
        Column("period", "period", ("period",), ("periode",), written=False),
        Column("description", "text", ("description",), ("omschrijving", "beschrijving")),
        Column("goals", "texts", ("goals",), ("doelen",)),
    ),
)

SCORES = Register(
    "scores",
    ("scores", "policy scores"),
    ("scores", "beoordelingen", "oordelen"),
    (
        _POLICY,
        Column("scenario", "ref", ("scenario",), ("scenario",), required=True, refers="scenario"),
        Column("participant", "str", ("participant",), ("deelnemer",), required=True),
        Column("score", "score", ("score",), ("score", "oordeel"), required=True),
        Column("reason", "text", ("reason",), ("toelichting", "reden", "motivering")),
    ),
)

ASSUMPTIONS = Register(
    "assumptions",
    ("assumptions",),
    ("aannames", "veronderstellingen"),
    (
        Column("key", "key", ("key",), ("sleutel", "code"), required=True),
        _POLICY,
        Column("text", "text", ("assumption", "text"), ("aanname", "tekst"), required=True),
        Column("load_bearing", "bool", ("load bearing", "load-bearing"), ("dragend",)),
        Column("vulnerable", "bool", ("vulnerable",), ("kwetsbaar",)),
        Column(
            "signpost",
            "key",
            ("signpost",),
            ("signaal", "wegwijzer", "indicator"),
            refers="indicator",
        ),
        Column("trigger", "key", ("trigger",), ("trigger", "drempel"), refers="trigger"),
        Column("fails_in", "refs", ("fails in",), ("faalt in", "breekt in"), refers="scenario"),
        Column("shaping", "texts", ("shaping actions", "shaping"), ("sturende acties",)),
        Column("hedging", "texts", ("hedging actions", "hedging"), ("indekkende acties",)),
    ),
)

INITIATIVES = Register(
    "initiatives",
    ("initiatives", "gains and ideas"),
    ("initiatieven", "winsten en ideeen", "winsten en ideeën"),
    (
        _KEY,
        Column(
            "kind",
            "choice",
            ("kind",),
            ("soort",),
            required=True,
            choices={"gain": "winst", "idea": "idee"},
        ),
        Column("name", "text", ("name",), ("naam",), required=True),
        Column("description", "text", ("description",), ("omschrijving", "beschrijving")),
        Column(
            "origin",
            "choice",
            ("origin",),
            ("herkomst", "oorsprong"),
            required=True,
            choices={
                "residents": "inwoners",
                "entrepreneurs": "ondernemers",
                "staff": "medewerkers",
                "partners": "partners",
                "organisation": "organisatie",
            },
        ),
        Column("owner", "str", ("owner",), ("eigenaar",)),
        Column("scenarios", "refs", ("scenarios",), ("scenario's", "scenarios"), refers="scenario"),
        Column("policies", "refs", ("policies",), ("beleid",), refers="policy"),
        Column(
            "status",
            "choice",
            ("status",),
            ("status",),
            choices={"idea": "idee", "pilot": "pilot", "embedded": "ingebed", "stopped": "gestopt"},
        ),
        Column("changed", "date", ("changed", "date"), ("gewijzigd", "datum")),
        Column("reason", "text", ("reason",), ("reden", "toelichting")),
    ),
)

REGISTERS: tuple[Register, ...] = (POLICIES, SCORES, ASSUMPTIONS, INITIATIVES)
"""The registers in the order Koers writes them (and imports them: policies first)."""

CHOICE_ALIASES: Mapping[str, str] = {
    "crisiswinst": "gain",
    "initiatief": "idea",
    "verankerd": "embedded",
    "gestaakt": "stopped",
    "organization": "organisation",
}
"""Further words a choice cell may hold, and the model's value they mean."""
