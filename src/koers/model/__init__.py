"""The pure domain model of Koers: a study and everything in it. No I/O lives here."""

from koers.model.factors import Descriptor, Variant
from koers.model.judgements import JUDGEMENT_RANGE, STRONG, Judgement, JudgementSection
from koers.model.periods import FREQUENCIES, Frequency, Period
from koers.model.scenario import Framing, Scenario
from koers.model.signals import (
    Alert,
    CbsTable,
    Condition,
    Evidence,
    Indicator,
    ManualEntry,
    Observation,
    Trigger,
    Upload,
)
from koers.model.study import Source, Study
from koers.model.text import LANGUAGES, Language, Text

__all__ = [
    "FREQUENCIES",
    "JUDGEMENT_RANGE",
    "LANGUAGES",
    "STRONG",
    "Alert",
    "CbsTable",
    "Condition",
    "Descriptor",
    "Evidence",
    "Framing",
    "Frequency",
    "Indicator",
    "Judgement",
    "JudgementSection",
    "Language",
    "ManualEntry",
    "Observation",
    "Period",
    "Scenario",
    "Source",
    "Study",
    "Text",
    "Trigger",
    "Upload",
    "Variant",
]
