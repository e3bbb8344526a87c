"""The pure domain model of Koers: a study and everything in it. No I/O lives here."""

from koers.model.study import (
    Descriptor,
    Framing,
    Scenario,
    Source,
    Study,
    Variant,
)
from koers.model.text import LANGUAGES, Language, Text

__all__ = [
    "LANGUAGES",
    "Descriptor",
    "Framing",
    "Language",
    "Scenario",
    "Source",
    "Study",
    "Text",
    "Variant",
]
