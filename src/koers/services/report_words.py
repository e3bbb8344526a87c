"""What the board report reads from a study, gathered once, and how it writes it.

:class:`Sources` holds the services' results the chapters share (the signals assessment,
the strategy review, the structural analysis and the chain of what may follow); :class:`Words`
writes texts, numbers and dates in the reader's language (``27 november 2026``,
``1.234,5``; ``27 November 2026``, ``1,234.5``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from babel.dates import format_date

from koers.i18n import translator
from koers.model import Language, Study, Text
from koers.report import figures
from koers.services.chains import ChainReport
from koers.services.micmac import MicmacReport
from koers.services.signal_views import SignalStatus
from koers.services.strategy import StrategyReview

__all__ = ["Sources", "Words"]


@dataclass(frozen=True)
class Words:
    """The reader's language: translations, texts of the study, numbers, dates, names."""

    study: Study
    language: Language

    @property
    def gettext(self) -> Callable[[str], str]:
        return translator(self.language)

    def text(self, text: Text | None) -> str:
        return "" if text is None else text.get(self.language)

    def number(self, value: float, digits: int = 1) -> str:
        return figures.format_number(value, self.language, digits)

    def percent(self, share: float) -> str:
        return figures.format_percent(share, self.language)

    def period(self, period: str) -> str:
        return figures.period_label(period, self.language, long=True)

    def date(self, day: dt.date) -> str:
        """``day`` written out: ``27 november 2026`` (nl), ``27 November 2026`` (en)."""
        return str(format_date(day, "d MMMM y", locale=self.language))

    def descriptor(self, key: str) -> str:
        return self.study.descriptor(key).name.get(self.language)

    def variant(self, descriptor: str, key: str) -> str:
        found = self.study.descriptor(descriptor).variant(key)
        return key if found is None else found.name.get(self.language)

    def scenario(self, key: str) -> str:
        return self.study.scenario(key).name.get(self.language)

    def indicator(self, key: str) -> str:
        return self.study.indicator(key).name.get(self.language)


@dataclass(frozen=True)
class Sources:
    """The results of the services that the chapters of the report draw on."""

    status: SignalStatus
    review: StrategyReview | None
    structure: MicmacReport | None
    follow: ChainReport | None
    since: dt.date  # alerts of periods ending on or after this day count as "since"
