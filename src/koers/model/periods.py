"""Periods of a time series: a week, month, quarter or year, written the way people write them.

A :class:`Period` is a frequency and an ordinal, so that periods of one frequency sort, subtract
and step like integers. Its text form is the one the observation files use: ``2021-W05``,
``2021-03``, ``2021-Q1`` and ``2021``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal, get_args

__all__ = ["FREQUENCIES", "Frequency", "Period"]

Frequency = Literal["week", "month", "quarter", "year"]
FREQUENCIES: tuple[Frequency, ...] = get_args(Frequency)

_PATTERNS: dict[Frequency, re.Pattern[str]] = {
    "week": re.compile(r"^(\d{4})-W(\d{2})$"),
    "month": re.compile(r"^(\d{4})-(\d{2})$"),
    "quarter": re.compile(r"^(\d{4})-Q(\d)$"),
    "year": re.compile(r"^(\d{4})$"),
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_EXAMPLES: dict[Frequency, str] = {
    "week": "2021-W05",
    "month": "2021-03",
    "quarter": "2021-Q1",
    "year": "2021",
}


@dataclass(frozen=True, order=True, slots=True)
class Period:
    """One period of a frequency, numbered so that the next period has the next number.

    >>> Period.parse("2021-03", "month").ordinal - Period.parse("2020-12", "month").ordinal
    3
    >>> str(Period.parse("2021-05-17", "quarter"))
    '2021-Q2'
    """

    frequency: Frequency
    ordinal: int

    @classmethod
    def parse(cls, text: str, frequency: Frequency) -> Period:
        """The period ``text`` names, for a series of ``frequency``.

        ``text`` is the period in its own form (``2021-03`` for a month) or an ISO date, which
        stands for the period that holds it. A :class:`ValueError` says what is wrong.
        """
        text = text.strip()
        if _DATE.match(text):
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                raise ValueError(f"'{text}' is not a date in the calendar") from None
            return cls.containing(day, frequency)
        for own, pattern in _PATTERNS.items():
            match = pattern.match(text)
            if match is None:
                continue
            if own != frequency:
                raise ValueError(
                    f"'{text}' is a {own} but this series is measured per {frequency}; "
                    f"write a {frequency} such as '{_EXAMPLES[frequency]}', or a date"
                )
            return cls._from_parts(frequency, text, *(int(part) for part in match.groups()))
        raise ValueError(
            f"'{text}' is not a period; write a {frequency} such as "
            f"'{_EXAMPLES[frequency]}', or a date such as '2021-03-31'"
        )

    @classmethod
    def _from_parts(cls, frequency: Frequency, text: str, year: int, part: int = 1) -> Period:
        if frequency == "month" and not 1 <= part <= 12:
            raise ValueError(f"'{text}' has no month {part}; months run from 01 to 12")
        if frequency == "quarter" and not 1 <= part <= 4:
            raise ValueError(f"'{text}' has no quarter {part}; quarters run from Q1 to Q4")
        if frequency == "week":
            try:
                return cls.containing(dt.date.fromisocalendar(year, part, 1), "week")
            except ValueError:
                raise ValueError(f"{year} has no ISO week {part}") from None
        first_month = {"month": part, "quarter": 3 * part - 2}.get(frequency, 1)
        return cls.containing(dt.date(year, first_month, 1), frequency)

    @classmethod
    def containing(cls, day: dt.date, frequency: Frequency) -> Period:
        """The period of ``frequency`` that holds ``day``.

        >>> str(Period.containing(dt.date(2021, 1, 3), "week"))
        '2020-W53'
        """
        if frequency == "week":
            monday = day - dt.timedelta(days=day.weekday())
            return cls(frequency, monday.toordinal() // 7)
        if frequency == "month":
            return cls(frequency, day.year * 12 + day.month - 1)
        if frequency == "quarter":
            return cls(frequency, day.year * 4 + (day.month - 1) // 3)
        return cls(frequency, day.year)

    def start(self) -> dt.date:
        """The first day of the period."""
        if self.frequency == "week":
            return dt.date.fromordinal(self.ordinal * 7 + 1)
        if self.frequency == "month":
            return dt.date(self.ordinal // 12, self.ordinal % 12 + 1, 1)
        if self.frequency == "quarter":
            return dt.date(self.ordinal // 4, 3 * (self.ordinal % 4) + 1, 1)
        return dt.date(self.ordinal, 1, 1)

    def end(self) -> dt.date:
        """The last day of the period.

        >>> Period.parse("2024-02", "month").end()
        datetime.date(2024, 2, 29)
        """
        return (self + 1).start() - dt.timedelta(days=1)

    def __add__(self, periods: int) -> Period:
        return Period(self.frequency, self.ordinal + periods)

    def __sub__(self, other: Period) -> int:
        if other.frequency != self.frequency:
            raise ValueError("periods of different frequencies do not subtract")
        return self.ordinal - other.ordinal

    def __str__(self) -> str:
        start = self.start()
        if self.frequency == "week":
            year, week, _ = start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.frequency == "month":
            return f"{start.year}-{start.month:02d}"
        if self.frequency == "quarter":
            return f"{start.year}-Q{self.ordinal % 4 + 1}"
        return f"{start.year}"
