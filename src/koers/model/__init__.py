"""The pure domain model of Koers: a study and everything in it. No I/O lives here."""

from koers.model.factors import Descriptor, Variant
from koers.model.scenario import Framing, Scenario
from koers.model.study import Source, Study
from koers.model.text import LANGUAGES, Language, Text

__all__ = [
    "LANGUAGES",
    "STRONG",
    "Descriptor",
    "Framing",
    "JUDGEMENT_RANGE",
    "Judgement",
    "JudgementSection",
    "Language",
    "Scenario",
    "Source",
    "Study",
    "Text",
    "Variant",
]
