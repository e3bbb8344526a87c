"""HTML forms to the model's JSON form and back: two text areas (Dutch, English) per field.

A text field (a scenario's narrative, a descriptor's name) is one text in each language; a
list field (focus areas, questions, implications) is one item per line, the Dutch and
English lines paired by position.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FIELD_LABELS", "LIST_FIELDS", "MAX_TEXT", "from_form", "to_form"]

LIST_FIELDS = frozenset({"focus", "questions", "implications"})
MAX_TEXT = 20_000
"""The longest text one form field takes (a long narrative is about 2,000 characters)."""


def from_form(field: str, nl: str, en: str) -> Any:
    """The JSON value of ``field`` from its Dutch and English form text."""
    nl = nl.replace("\r\n", "\n").strip()
    en = en.replace("\r\n", "\n").strip()
    if field in LIST_FIELDS:
        dutch = [line.strip() for line in nl.split("\n") if line.strip()]
        english = [line.strip() for line in en.split("\n") if line.strip()]
        items = []
        for index in range(max(len(dutch), len(english))):
            items.append(
                {
                    "nl": dutch[index] if index < len(dutch) else None,
                    "en": english[index] if index < len(english) else None,
                }
            )
        return items
    if not nl and not en:
        return None
    return {"nl": nl or None, "en": en or None}


def to_form(value: Any) -> tuple[str, str]:
    """The Dutch and English form text of a JSON value (a text, a list of texts or None)."""
    if value is None:
        return "", ""
    if isinstance(value, list):
        dutch = "\n".join((item or {}).get("nl") or "" for item in value)
        english = "\n".join((item or {}).get("en") or "" for item in value)
        return dutch, english
    return value.get("nl") or "", value.get("en") or ""


def N_(message: str) -> str:
    """Mark ``message`` for translation; it is translated where it is shown."""
    return message


FIELD_LABELS = {
    "name": N_("Name"),
    "summary": N_("Summary"),
    "narrative": N_("Narrative"),
    "leadership": N_("Leadership role"),
    "focus": N_("Focus areas"),
    "questions": N_("Key questions"),
    "implications": N_("Implications"),
    "description": N_("Description"),
    "title": N_("Title"),
}
"""The label of each editable field, in English (the message id)."""
