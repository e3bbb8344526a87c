"""The pure domain model of Koers: a study and everything in it. No I/O lives here."""

from koers.model.factors import Descriptor, Variant
from koers.model.judgements import JUDGEMENT_RANGE, STRONG, Judgement, JudgementSection
from koers.model.scenario import Framing, Scenario
from koers.model.study import Source, Study
from koers.model.text import LANGUAGES, Language, Text

__all__ = [
    "JUDGEMENT_RANGE",
    "LANGUAGES",
    "STRONG",
    "Descriptor",
    "Framing",
    "Judgement",
    "JudgementSection",
    "Language",
    "Scenario",
    "Source",
    "Study",
    "Text",
    "Variant",
]
