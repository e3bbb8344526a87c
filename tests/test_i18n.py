"""Every word Koers itself shows has a Dutch translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from koers.i18n import catalogue, translator

SOURCE = Path(__file__).parents[1] / "src" / "koers"


METHODS = [
    ("**/templates/**.html", "jinja2.ext:babel_extract"),
    ("**.py", "python"),
]


def _message_ids() -> set[str]:
    found = extract_from_dir(str(SOURCE), method_map=METHODS)
    return {message for _, _, message, _, _ in found if isinstance(message, str)}


def test_every_ui_string_is_translated_into_dutch() -> None:
    ids = _message_ids()
    assert "Leadership role" in ids  # the extraction finds the strings
    assert "Skip to main content" in ids  # ... in the Jinja templates too
    missing = sorted(ids - set(catalogue("nl")))
    assert not missing, f"untranslated into Dutch: {missing}"


def test_translator_translates_and_passes_english_through() -> None:
    assert translator("nl")("Focus areas") == "Aandachtspunten"
    assert translator("en")("Focus areas") == "Focus areas"
