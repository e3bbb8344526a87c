"""The cells of a register table read as values: each function takes what the table holds
(text from CSV; text, numbers, dates or booleans from Excel) and returns the value, or raises
``ValueError`` with a message that says what to write instead.

CSV cells that Koers wrote with a leading apostrophe against formula injection (see
:mod:`koers.io.register_export`) lose that apostrophe when read: :func:`unescape`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Mapping

from koers.io.observations import parse_number
from koers.model.strategy import FIT_RANGE

__all__ = [
    "FORMULA_STARTS",
    "SCORE_WORDS",
    "as_bool",
    "as_date",
    "as_keys",
    "as_lines",
    "as_number",
    "as_period",
    "as_score",
    "as_text",
    "as_year",
    "slug",
    "unescape",
]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a cell as a formula (OWASP, "CSV
Injection"): such a text is written with a leading apostrophe in CSV."""

SCORE_WORDS: Mapping[str, int] = {
    "harmful": -2,
    "schadelijk": -2,
    "weak": -1,
    "zwak": -1,
    "neutral": 0,
    "neutraal": 0,
    "fits": 1,
    "past": 1,
    "strong": 2,
    "sterk": 2,
}
"""The words of the simple scale (-2 harmful .. +2 strong), in English and Dutch."""

_TRUE = {"yes", "ja", "true", "waar", "x", "1", "y", "j"}
_FALSE = {"no", "nee", "false", "onwaar", "0", "n", ""}
_SCALE = "-2 harmful, -1 weak, 0 neutral, +1 fits, +2 strong"


def unescape(text: str) -> str:
    """A CSV cell without the apostrophe that guards a formula-like text.

    >>> unescape("'=SUM(A1)"), unescape("'-2"), unescape("'t Hooft"), unescape("''x")
    ('=SUM(A1)', '-2', "'t Hooft", "'x")
    """
    if len(text) > 1 and text[0] == "'" and text[1] in (*FORMULA_STARTS, "'"):
        return text[1:]
    return text


def as_text(cell: object) -> str:
    """A cell as stripped text: a whole number without ``.0``, a date as ISO.

    >>> as_text(2021.0), as_text(" a "), as_text(None), as_text(dt.datetime(2021, 3, 1))
    ('2021', 'a', '', '2021-03-01')
    """
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell).strip()


def as_lines(cell: object) -> list[str | None]:
    """A cell with one item a line (Alt+Enter in Excel); an empty line is a missing item
    (it keeps the items of two language columns paired), empty lines at the end are dropped.

    >>> as_lines("first\\n\\n second \\n"), as_lines("\\nonly English"), as_lines("")
    (['first', None, 'second'], [None, 'only English'], [])
    """
    text = cell.replace("\r\n", "\n") if isinstance(cell, str) else as_text(cell)
    lines: list[str | None] = [line.strip() or None for line in text.split("\n")]
    while lines and lines[-1] is None:
        lines.pop()
    return lines


def as_keys(cell: object) -> list[str]:
    """Keys or names separated by commas, semicolons or new lines.

    >>> as_keys("a, b;c\\nd"), as_keys(None)
    (['a', 'b', 'c', 'd'], [])
    """
    return [part.strip() for part in re.split(r"[,;\n]", as_text(cell)) if part.strip()]


def as_number(cell: object, *, decimal_comma: bool) -> float:
    """An amount: a number cell, or text in the notation asked for, with or without ``€``.

    >>> as_number("€ 1.250.000", decimal_comma=True), as_number(12, decimal_comma=False)
    (1250000.0, 12.0)
    """
    if isinstance(cell, bool | dt.date | dt.time):
        raise ValueError(f"'{as_text(cell)}' is not an amount; write a number such as 125000")
    if isinstance(cell, int | float):
        if not math.isfinite(cell):
            raise ValueError(f"{cell} is not a finite number; write an amount such as 125000")
        return float(cell)
    text = as_text(cell).replace("€", "").replace("EUR", "").replace(" ", "").replace("\u00a0", "")
    return parse_number(text, decimal_comma=decimal_comma)


def as_year(cell: object) -> int:
    """A year from 1900 to 2200.

    >>> as_year(2024.0), as_year("2026")
    (2024, 2026)
    """
    if isinstance(cell, dt.date):
        return cell.year
    text = as_text(cell)
    if not re.fullmatch(r"\d{4}", text) or not 1900 <= int(text) <= 2200:
        raise ValueError(f"'{text}' is not a year; write four digits such as 2026")
    return int(text)


def as_period(cell: object) -> tuple[int, int]:
    """A period of years: ``2022-2026`` (also with an en dash or ``t/m``), or one year.

    >>> as_period("2022 - 2026"), as_period("2022 t/m 2025"), as_period(2024)
    ((2022, 2026), (2022, 2025), (2024, 2024))
    """
    text = as_text(cell)
    parts = re.split(r"\s*(?:-|\u2013|\u2014|t/m|to|tot)\s*", text)
    if len(parts) == 1:
        year = as_year(parts[0])
        return year, year
    if len(parts) != 2:
        raise ValueError(f"'{text}' is not a period; write it like 2022-2026")
    start, end = as_year(parts[0]), as_year(parts[1])
    if end < start:
        raise ValueError(f"the period '{text}' ends before it starts; write it like 2022-2026")
    return start, end


def as_score(cell: object) -> int:
    """A score on the simple scale: a whole number in -2..+2 or its word.

    >>> as_score("+1"), as_score(-2.0), as_score("Sterk"), as_score("\u22121")
    (1, -2, 2, -1)
    """
    low, high = FIT_RANGE
    hint = f"write a whole number from {low} to +{high} ({_SCALE})"
    if isinstance(cell, bool):
        raise ValueError(f"{str(cell).upper()} is not a score; {hint}")
    if isinstance(cell, float) and not cell.is_integer():
        raise ValueError(f"{cell:g} is not a whole number; {hint}")
    text = as_text(cell).replace("\u2212", "-")
    if not text:
        raise ValueError(f"the score is empty; {hint}")
    word = SCORE_WORDS.get(text.lower())
    if word is not None:
        return word
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValueError(f"'{text}' is not a score; {hint}")
    value = int(text)
    if not low <= value <= high:
        raise ValueError(f"{value:+d} is outside {low}..+{high}; {hint}")
    return value


def as_bool(cell: object) -> bool:
    """Yes or no: a TRUE/FALSE cell, or yes/no, ja/nee, x, 1/0; empty is no.

    >>> as_bool("Ja"), as_bool(None), as_bool(True), as_bool("x")
    (True, False, True, True)
    """
    if isinstance(cell, bool):
        return cell
    text = as_text(cell).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"'{as_text(cell)}' is neither yes nor no; write yes or no (ja or nee)")


def as_date(cell: object) -> dt.date:
    """A date: a date cell, or ISO text (2021-03-31), or Dutch order (31-3-2021).

    >>> as_date("2021-03-31"), as_date("31-3-2021")
    (datetime.date(2021, 3, 31), datetime.date(2021, 3, 31))
    """
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    text = as_text(cell)
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
        dutch = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
        if dutch:
            return dt.date(int(dutch[3]), int(dutch[2]), int(dutch[1]))
    except ValueError:
        pass
    raise ValueError(f"'{text}' is not a date; write it like 2021-03-31 or 31-3-2021")


def slug(text: str) -> str:
    """A key made from a name: lower case ASCII, words joined by ``-``, at most 64 long.

    >>> slug("Armoede & schulden: één loket")
    'armoede-schulden-een-loket'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", folded.lower())
    return "-".join(words)[:64].strip("-")
