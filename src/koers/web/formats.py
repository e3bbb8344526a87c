"""Numbers, shares and periods as a reader writes them, for the templates (``fmt`` in a page).

One formatter for every page; the figures format the same way (:mod:`koers.report.figures`).
"""

from __future__ import annotations

from koers.model import Language
from koers.report import figures
from koers.report.strategy_figures import signed_number

__all__ = ["NO_VALUE", "Formats"]

NO_VALUE = "\u2013"
"""What a cell without a value shows: an en dash."""


class Formats:
    """Numbers, shares and periods as a reader of ``language`` writes them.

    >>> fmt = Formats("nl")
    >>> fmt.number(1234.5), fmt.signed(1.5), fmt.percent(0.57), fmt.points(-0.031)
    ('1.234,5', '+1,5', '57%', '-3')
    """

    def __init__(self, language: Language) -> None:
        self.language = language

    def number(self, value: float | None, digits: int = 1) -> str:
        if value is None:
            return NO_VALUE
        return figures.format_number(value, self.language, digits)

    def signed(self, value: float | None, digits: int = 2) -> str:
        """A value with its sign: ``+1,5``, ``-2``; ``0`` when it rounds to nothing."""
        if value is None:
            return NO_VALUE
        return signed_number(value, self.language, digits)

    def percent(self, share: float) -> str:
        return figures.format_percent(share, self.language)

    def points(self, change: float | None) -> str:
        """A change of probability in percentage points, signed: ``+12``, ``-3``."""
        if change is None:
            return NO_VALUE
        points = round(change * 100)
        text = figures.format_number(abs(points), self.language, 0)
        return f"+{text}" if points > 0 else f"-{text}" if points < 0 else "0"

    def period(self, period: str, long: bool = False) -> str:
        return figures.period_label(period, self.language, long=long)
